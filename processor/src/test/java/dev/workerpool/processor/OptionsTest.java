package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.compileForRelease;
import static dev.workerpool.processor.Sources.source;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The behaviour attributes ({@code ordered}, {@code failFast}, {@code timeout}, {@code virtualThreads}): each
 * diagnostic on the attribute's value, the accepted timeout forms, and what the generated class gets.
 * Their run-time behaviour is tested through real generated pools in the integration tests.
 */
class OptionsTest {

    private static JavaFileObject owner(String annotation) {
        return source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    " + annotation,
                "    public static int m(int x) { return x; }",
                "}");
    }

    @Test
    void timeoutThatIsNotADurationIsAnErrorOnTheValue() {
        JavaFileObject source = owner("@WorkerPool(timeout = \"5 sec\")");
        assertOneError(source, "[WorkerPoolTimeout] timeout \"5 sec\" is not a duration. Use a whole number and a "
                + "unit (ns, us, µs, ms, s, m, h, d), e.g. timeout = \"5s\" or \"250ms\", or ISO-8601", "5 sec");
    }

    /**
     * A timeout or rate of only whitespace is an error on the value, not "none" as the empty string is: whoever
     * wrote it did not mean "none", and was told nothing. Burst beside a blank rate is not reported as well.
     */
    @Test
    void blankTimeoutOrRateIsAnErrorOnTheValue() {
        for (String[] blank : List.of(new String[] {" ", " "}, new String[] {"\\t", "\\u0009"},
                new String[] {"  \\n ", "  \\u000a "})) {
            JavaFileObject timeout = owner("@WorkerPool(workers = 2,\n        timeout = \"" + blank[0] + "\")");
            Compilation compilation = compile(timeout);
            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadErrorContaining("[WorkerPoolTimeout] timeout \"" + blank[1] + "\" is blank. "
                    + "Leave timeout out, or set it to \"\", for no timeout; or give a duration, e.g. timeout = "
                    + "\"5s\".").inFile(timeout).onLine(5);
            JavaFileObject rate = owner("@WorkerPool(workers = 2,\n        rate = \"" + blank[0] + "\", burst = 3)");
            compilation = compile(rate);
            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadErrorContaining("[WorkerPoolRate] rate \"" + blank[1] + "\" is blank. Leave "
                    + "rate out, or set it to \"\", for no limit; or give a rate, e.g. rate = \"50/s\".")
                    .inFile(rate).onLine(5);
        }
        assertThat(compile(owner("@WorkerPool(timeout = \"\", rate = \"\")"))).succeededWithoutWarnings();
    }

    @Test
    void timeoutMustBePositiveAndMeasurable() {
        for (String bad : List.of("0s", "-5ms", "-PT1S", "PT0S")) {
            JavaFileObject source = owner("@WorkerPool(timeout = \"" + bad + "\")");
            assertThat(compile(source)).hadErrorContaining("[WorkerPoolTimeout] timeout \"" + bad
                    + "\" must be longer than zero").inFile(source).onLineContaining(bad);
        }
        JavaFileObject huge = owner("@WorkerPool(timeout = \"99999999d\")");
        assertThat(compile(huge)).hadErrorContaining("[WorkerPoolTimeout] timeout \"99999999d\" is longer "
                + "than 36500 days")
                .inFile(huge).onLineContaining("99999999d");
    }

    /**
     * A number too large for a {@code long} (or a duration past {@code Duration}'s range) is a duration, or a rate,
     * that is too long (or too fast), not one that is malformed: it was reported as "is not a duration", and as
     * "is not a rate", whose advice (a whole number and a unit) it already follows.
     */
    @Test
    void numbersPastTheRangeOfALongAreOutOfRangeNotMalformed() {
        for (String[] bad : List.of(
                new String[] {"timeout", "99999999999999999999s", "[WorkerPoolTimeout] timeout \"%s\" is longer "
                        + "than 36500 days"},
                new String[] {"timeout", "999999999999999999d", "[WorkerPoolTimeout] timeout \"%s\" is longer "
                        + "than 36500 days"},
                new String[] {"timeout", "PT99999999999999999999S", "[WorkerPoolTimeout] timeout \"%s\" is longer "
                        + "than 36500 days"},
                new String[] {"timeout", "-99999999999999999999s", "[WorkerPoolTimeout] timeout \"%s\" must be "
                        + "longer than zero"},
                new String[] {"rate", "99999999999999999999/s", "[WorkerPoolRate] rate \"%s\" is more than one "
                        + "start per nanosecond"},
                new String[] {"rate", "1/99999999999999999999d", "[WorkerPoolRate] rate \"%s\" has a period "
                        + "longer than 36500 days"})) {
            JavaFileObject source = owner("@WorkerPool(" + bad[0] + " = \"" + bad[1] + "\")");
            assertOneError(source, String.format(bad[2], bad[1]), bad[1]);
        }
    }

    @Test
    void everyTimeoutFormIsAccepted() throws Exception {
        List<String> forms = List.of("1ns", "250us", "250µs", "250ms", "5s", " 5 s ", "2m", "1h", "1d", "PT5S",
                "pt0.25s", "P1D");
        List<Duration> expected = List.of(Duration.ofNanos(1), Duration.ofNanos(250_000), Duration.ofNanos(250_000),
                Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(2),
                Duration.ofHours(1), Duration.ofDays(1), Duration.ofSeconds(5), Duration.ofMillis(250),
                Duration.ofDays(1));
        for (int i = 0; i < forms.size(); i++) {
            assertThat(Durations.parse(forms.get(i))).hasValue(expected.get(i));
            Compilation compilation = compile(owner("@WorkerPool(timeout = \"" + forms.get(i) + "\")"));
            assertThat(compilation).succeededWithoutWarnings();
            assertThat(compilation).generatedSourceFile("com.example.OwnerMPool")
                    .contentsAsUtf8String().contains("withTimeout(Duration.parse(\"" + expected.get(i) + "\"))");
        }
        // README states exactly these: units in lower case, and µ only as the micro sign (not the Greek mu)
        for (String bad : List.of("", "5", "s", "5x", "1.5s", "5 s s", "P", "PT", "5S", "5MS", "250\u03bcs")) {
            if (!bad.isEmpty()) {
                assertThat(Durations.parse(bad)).isEmpty();
            }
        }
    }

    /**
     * The messages for a value that is not a duration or not a rate list exactly the units that the parser takes,
     * each of them taken by a timeout, a rate's period and a retry's backoff. They listed no {@code µs}, which was
     * taken.
     */
    @Test
    void theSyntaxMessagesListExactlyTheUnitsTaken() {
        String units = "ns, us, µs, ms, s, m, h, d";
        JavaFileObject timeout = owner("@WorkerPool(timeout = \"5 sec\")");
        assertThat(compile(timeout)).hadErrorContaining("timeout \"5 sec\" is not a duration. Use a whole number "
                + "and a unit (" + units + "), e.g.").inFile(timeout).onLineContaining("5 sec");
        JavaFileObject rate = owner("@WorkerPool(rate = \"5 per sec\")");
        assertThat(compile(rate)).hadErrorContaining("rate \"5 per sec\" is not a rate. Use a whole number of starts, "
                + "a slash and a period, e.g. rate = \"50/s\", \"3/250ms\", \"100/m\" or \"5/PT10S\" (units " + units
                + ").").inFile(rate).onLineContaining("5 per sec");
        JavaFileObject backoff = owner("@WorkerPool(retry = @WorkerPool.Retry(attempts = 3, backoff = \"5 sec\"))");
        assertThat(compile(backoff)).hadErrorContaining("backoff \"5 sec\" is not a duration. Use a whole number "
                + "and a unit (" + units + "), e.g.").inFile(backoff).onLineContaining("5 sec");
        for (String unit : units.split(", ")) {
            assertThat(compile(owner("@WorkerPool(timeout = \"5" + unit + "\", rate = \"1/" + unit + "\", "
                    + "retry = @WorkerPool.Retry(attempts = 3, backoff = \"5" + unit + "\"))")))
                    .succeededWithoutWarnings();
        }
    }

    @Test
    void rateThatIsNotARateIsAnErrorOnTheValue() {
        for (String bad : List.of("50", "50/", "/s", "50/x", "50 per s", "1.5/s", "-5/s", "fifty/s")) {
            JavaFileObject source = owner("@WorkerPool(workers = 2,\n        rate = \"" + bad + "\")");
            Compilation compilation = compile(source);
            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadErrorContaining("[WorkerPoolRate] rate \"" + bad + "\" is not a rate. "
                    + "Use a whole number of starts, a slash and a period, e.g. rate = \"50/s\"").inFile(source)
                    .onLine(5);
        }
    }

    @Test
    void rateMustBePositiveSchedulableAndMeasurable() {
        for (String bad : List.of("0/s", "5/0s", "5/PT0S", "5/-PT1S", "50/-1s")) {
            JavaFileObject source = owner("@WorkerPool(rate = \"" + bad + "\")");
            assertThat(compile(source)).hadErrorContaining("[WorkerPoolRate] rate \"" + bad
                    + "\" must allow at least 1 start per period "
                    + "longer than zero").inFile(source).onLineContaining(bad);
        }
        JavaFileObject fast = owner("@WorkerPool(rate = \"2/1ns\")");
        assertThat(compile(fast)).hadErrorContaining("[WorkerPoolRate] rate \"2/1ns\" is more than one start per "
                + "nanosecond").inFile(fast).onLineContaining("2/1ns");
        JavaFileObject slow = owner("@WorkerPool(rate = \"1/99999999d\")");
        assertThat(compile(slow)).hadErrorContaining("[WorkerPoolRate] rate \"1/99999999d\" has a period longer than "
                + "36500 days").inFile(slow).onLineContaining("99999999d");
    }

    @Test
    void burstMustBePositiveAndComeWithARate() {
        JavaFileObject zero = owner("@WorkerPool(rate = \"5/s\",\n        burst = 0)");
        Compilation compilation = compile(zero);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[WorkerPoolBurst] burst must be at least 1, was 0.")
                .inFile(zero).onLine(5);
        JavaFileObject alone = owner("@WorkerPool(workers = 2,\n        burst = 10)");
        compilation = compile(alone);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining("[WorkerPoolBurst] burst = 10 has no effect without a "
                + "rate. Set rate "
                + "too, e.g. rate = \"50/s\", or leave burst out.").inFile(alone).onLine(5);
        assertThat(compile(owner("@WorkerPool(burst = 1)"))).hadErrorContaining("[WorkerPoolBurst] burst = 1 "
                + "has no effect");
    }

    @Test
    void everyRateFormIsAcceptedAndGeneratesItsRate() throws Exception {
        List<String> forms = List.of("50/s", " 50 / 1s ", "3/250ms", "100/m", "1000/h", "2/d", "7/7us", "5/PT10S",
                "5/pt10s");
        List<String> expected = List.of("50, Duration.parse(\"PT1S\")", "50, Duration.parse(\"PT1S\")",
                "3, Duration.parse(\"PT0.25S\")", "100, Duration.parse(\"PT1M\")", "1000, Duration.parse(\"PT1H\")",
                "2, Duration.parse(\"PT24H\")", "7, Duration.parse(\"PT0.000007S\")", "5, Duration.parse(\"PT10S\")",
                "5, Duration.parse(\"PT10S\")");
        for (int i = 0; i < forms.size(); i++) {
            Compilation compilation = compile(owner("@WorkerPool(rate = \"" + forms.get(i) + "\")"));
            assertThat(compilation).succeededWithoutWarnings();
            String generated = compilation.generatedSourceFile("com.example.OwnerMPool").orElseThrow()
                    .getCharContent(false).toString();
            assertThat(generated).contains(".withRate(Rate.of(" + expected.get(i) + "));");
            // the run time reads the same forms the same way
            assertThat(dev.workerpool.runtime.Rate.parse(forms.get(i)).toString())
                    .startsWith(expected.get(i).replace(", Duration.parse(\"", "/").replace("\")", ""));
        }
        Compilation burst = compile(owner("@WorkerPool(rate = \"50/s\", burst = 5)"));
        assertThat(burst).succeededWithoutWarnings();
        assertThat(burst).generatedSourceFile("com.example.OwnerMPool").contentsAsUtf8String()
                .contains(".withRate(Rate.of(50, Duration.parse(\"PT1S\")).withBurst(5));");
    }

    @Test
    void virtualThreadsBelowRelease21IsAnErrorThatSaysWhy() {
        JavaFileObject source = owner("@WorkerPool(workers = 4, virtualThreads = true)");
        assertOneError(compileForRelease(17, source), source, "[WorkerPoolVirtualThreads] virtualThreads = true "
                + "needs Java 21 (Thread.ofVirtual()), but this compilation targets release 17. Compile with "
                + "--release 21 or later", "virtualThreads = true");
    }

    @Test
    void virtualThreadsRunTheJobsOnVirtualThreadsFromRelease21() throws Throwable {
        assumeTrue(Runtime.version().feature() >= 21, "needs a JDK 21+ compiler and runtime; "
                + "CI's JDK 25 run covers it");
        JavaFileObject source = source("com.example.Where",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Where {",
                "    @WorkerPool(workers = 2000, buffer = 0, virtualThreads = true)",
                "    public static String thread(int i) {",
                "        return Thread.currentThread().isVirtual() + \" \" + Thread.currentThread().getName();",
                "    }",
                "}");
        Compilation compilation = compileForRelease(21, source);
        // the sizes' Javadoc gives the virtual-thread limit (the golden files show the platform one)
        assertThat(compilation).generatedSourceFile("com.example.WhereThreadPool").contentsAsUtf8String()
                .contains("@param workers the number of worker threads, 1 to 1,048,576\n");
        ClassLoader loader = Run.load(compilation);
        Object value = Run.one(loader, "com.example.WhereThreadPool", null, 1);
        assertThat((String) value).startsWith("true WhereThreadPool-worker-");
        // workers above the platform-thread limit are fine for virtual threads
        assertThat(compileForRelease(21, owner("@WorkerPool(workers = 100000, virtualThreads = true)")))
                .succeededWithoutWarnings();
        assertThat(compileForRelease(21, owner("@WorkerPool(workers = 100000)")))
                .hadErrorContaining("[WorkerPoolWorkers] workers = 100000 would start that many platform threads");
    }

    @Test
    void failFastPoolsDeclareTheFailureOnAwaitAndRunAll() throws Exception {
        Compilation compilation = compile(owner("@WorkerPool(failFast = true)"));
        ClassLoader loader = Run.load(compilation);
        Class<?> pool = loader.loadClass("com.example.OwnerMPool");
        for (Method m : pool.getMethods()) {
            if (m.getName().equals("await") || m.getName().equals("runAll")) {
                assertThat(List.of(m.getExceptionTypes())).contains(dev.workerpool.runtime.PoolFailedException.class);
            }
        }
        assertThat(pool.getMethod("failure").getReturnType()).isEqualTo(java.util.Optional.class);
        Class<?> plain = Run.load(compile(owner("@WorkerPool"))).loadClass("com.example.OwnerMPool");
        assertThat(List.of(plain.getMethod("await").getExceptionTypes())).containsExactly(InterruptedException.class);
        assertThat(List.of(plain.getMethods()).stream().map(Method::getName).toList()).doesNotContain("failure");
    }

    @Test
    void optionsAreInTheGeneratedConstant() {
        Compilation compilation = compile(owner("@WorkerPool(ordered = true)"));
        assertThat(compilation).generatedSourceFile("com.example.OwnerMPool").contentsAsUtf8String()
                .contains("OPTIONS = PoolOptions.DEFAULT.withOrdered(true);");
    }
}
