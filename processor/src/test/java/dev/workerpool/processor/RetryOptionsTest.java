package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code retry = @WorkerPool.Retry(...)}: every diagnostic, with its file and the line of the value at fault
 * (each attribute is written on a line of its own), what a valid policy generates, and that it runs. The run-time
 * behaviour is tested through real generated pools in the integration tests ({@code RetryTest}).
 */
class RetryOptionsTest {

    /** An owner whose method {@code throws} the given clause, annotated with {@code retry = @WorkerPool.Retry(...)}. */
    private static JavaFileObject owner(String throwsClause, String... retryLines) {
        String[] lines = new String[retryLines.length + 10];
        int i = 0;
        lines[i++] = "package com.example;";
        lines[i++] = "import dev.workerpool.WorkerPool;";
        lines[i++] = "import java.io.*;";
        lines[i++] = "import java.util.concurrent.*;";
        lines[i++] = "public class Owner {";
        lines[i++] = "    @WorkerPool(workers = 2, retry = @WorkerPool.Retry(";
        for (String line : retryLines) {
            lines[i++] = "            " + line;
        }
        lines[i++] = "    ))";
        lines[i++] = "    public static int m(int x)" + (throwsClause.isEmpty() ? "" : " throws " + throwsClause)
                + " { return x; }";
        lines[i++] = "}";
        lines[i] = "";
        return source("com.example.Owner", lines);
    }

    @Test
    void attemptsMustBeOneToAHundred() {
        assertOneError(owner("", "attempts = 0"), "[WorkerPoolRetry] attempts must be at least 1, was 0. Set "
                + "attempts to how many times a job may be tried in all, e.g. attempts = 3", "attempts = 0");
        assertOneError(owner("", "attempts = 101"), "[WorkerPoolRetry] attempts = 101 is more than 100",
                "attempts = 101");
    }

    @Test
    void backoffDurationsAreCheckedLikeTheTimeout() {
        assertOneError(owner("", "attempts = 3,", "backoff = \"5 sec\""),
                "[WorkerPoolRetry] backoff \"5 sec\" is not a duration. Use a whole number and a unit", "5 sec");
        assertOneError(owner("", "attempts = 3,", "backoff = \"-1ms\""),
                "[WorkerPoolRetry] backoff \"-1ms\" must not be negative", "-1ms");
        assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "maxBackoff = \"99999999d\""),
                "[WorkerPoolRetry] maxBackoff \"99999999d\" is longer than 36500 days", "99999999d");
        assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "maxBackoff = \"soon\""),
                "[WorkerPoolRetry] maxBackoff \"soon\" is not a duration", "soon");
    }

    /**
     * A backoff or maxBackoff of only whitespace is an error on the value, not "none" as the empty string is; the
     * wait options beside a blank backoff are not also reported as having no effect without one.
     */
    @Test
    void blankBackoffsAreAnErrorOnTheValue() {
        assertOneError(owner("", "attempts = 3,", "backoff = \" \",", "multiplier = 2.0"),
                "[WorkerPoolRetry] backoff \" \" is blank. Leave backoff out, or set it to \"\", for no wait; "
                        + "or give a duration, e.g. backoff = \"100ms\".", "backoff = ");
        assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "maxBackoff = \"\\t\""),
                "[WorkerPoolRetry] maxBackoff \"\\u0009\" is blank. Leave maxBackoff out, or set it to \"\", for "
                        + "no limit; or give a duration, e.g. maxBackoff = \"100ms\".", "maxBackoff = ");
        assertThat(compile(owner("", "attempts = 3,", "backoff = \"\""))).succeeded();
        assertThat(compile(owner("", "attempts = 3,", "backoff = \"1s\",", "maxBackoff = \"\""))).succeeded();
    }

    /** A number past the range of a {@code long} is a wait too long, or negative, not one that is malformed. */
    @Test
    void backoffsPastTheRangeOfALongAreOutOfRangeNotMalformed() {
        assertOneError(owner("", "attempts = 3,", "backoff = \"99999999999999999999ms\""),
                "[WorkerPoolRetry] backoff \"99999999999999999999ms\" is longer than 36500 days",
                "99999999999999999999ms");
        assertOneError(owner("", "attempts = 3,", "backoff = \"-99999999999999999999ms\""),
                "[WorkerPoolRetry] backoff \"-99999999999999999999ms\" must not be negative",
                "-99999999999999999999ms");
    }

    /**
     * A backoff that is not a valid duration is one error, on it: the wait options beside it were also each
     * reported as having "no effect without a backoff", though a backoff was set, only a wrong one.
     */
    @Test
    void anInvalidBackoffIsOneErrorNotAlsoOneOnEachWaitOption() {
        for (String backoff : List.of("soon", "-1ms", "99999999d")) {
            assertOneError(owner("", "attempts = 3,", "backoff = \"" + backoff + "\",", "multiplier = 2.0,",
                    "maxBackoff = \"5s\",", "jitter = 0.5"), "[WorkerPoolRetry] backoff \"" + backoff + "\"",
                    "backoff = ");
        }
    }

    @Test
    void maxBackoffMustNotBeShorterThanBackoff() {
        assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "maxBackoff = \"500ms\""),
                "[WorkerPoolRetry] maxBackoff \"500ms\" is shorter than backoff \"1s\"", "500ms");
    }

    @Test
    void multiplierAndJitterMustBeInRange() {
        for (String bad : List.of("0.5", "-2.0", "Double.NaN", "Double.POSITIVE_INFINITY")) {
            assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "multiplier = " + bad),
                    "[WorkerPoolRetry] multiplier must be a finite number of at least 1, was ", "multiplier = " + bad);
        }
        for (String bad : List.of("-0.1", "1.5", "Double.NaN")) {
            assertOneError(owner("", "attempts = 3,", "backoff = \"1s\",", "jitter = " + bad),
                    "[WorkerPoolRetry] jitter must be between 0 and 1, was ", "jitter = " + bad);
        }
    }

    @Test
    void optionsWithOneAttemptAreErrorsOnEachOption() {
        JavaFileObject source = owner("", "on = IllegalStateException.class,", "backoff = \"1s\",",
                "jitter = 0.1");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        for (String option : List.of("on", "backoff", "jitter")) {
            assertThat(compilation).hadErrorContaining("[WorkerPoolRetry] " + option + " has no effect with "
                    + "attempts = 1: a job is tried once.").inFile(source).onLineContaining(option + " =");
        }
        // attempts = 1 alone, or an empty @Retry, is simply no retries
        assertThat(compile(owner("", "attempts = 1"))).succeededWithoutWarnings();
        assertThat(compile(owner(""))).succeededWithoutWarnings();
    }

    @Test
    void waitOptionsWithoutABackoffAreErrors() {
        JavaFileObject source = owner("", "attempts = 3,", "multiplier = 2.0,", "maxBackoff = \"1s\",",
                "jitter = 0.5");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        for (String option : List.of("multiplier", "maxBackoff", "jitter")) {
            assertThat(compilation).hadErrorContaining("[WorkerPoolRetry] " + option + " has no effect without a "
                    + "backoff").inFile(source).onLineContaining(option + " =");
        }
        assertOneError(owner("", "attempts = 3,", "backoff = \"0ms\",", "multiplier = 2.0"),
                "[WorkerPoolRetry] multiplier has no effect without a backoff", "multiplier = 2.0");
    }

    @Test
    void interruptsAndCancellationsCannotBeRetried() {
        JavaFileObject source = owner("InterruptedException", "attempts = 3,", "on = {",
                "    IllegalStateException.class,", "    InterruptedException.class,",
                "    CancellationException.class", "}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolRetry] java.lang.InterruptedException is never "
                + "retried: it means that the job was asked to stop").inFile(source)
                .onLineContaining("    InterruptedException.class,");
        assertThat(compilation).hadErrorContaining("[WorkerPoolRetry] java.util.concurrent.CancellationException is "
                + "never retried").inFile(source).onLineContaining("CancellationException.class");
    }

    @Test
    void aCheckedExceptionTheMethodCannotThrowIsAnError() {
        assertOneError(owner("", "attempts = 3,", "on = IOException.class"),
                "[WorkerPoolRetry] java.io.IOException is a checked exception that com.example.Owner#m(int) does not "
                        + "declare, so no attempt can fail with it", "on = IOException.class");
        // declared, or a subtype or supertype of a declared one, or unchecked: fine
        for (String[] ok : List.of(new String[] {"IOException", "IOException.class"},
                new String[] {"IOException", "FileNotFoundException.class"},
                new String[] {"FileNotFoundException", "IOException.class"},
                new String[] {"", "Exception.class"}, new String[] {"", "Throwable.class"},
                new String[] {"", "OutOfMemoryError.class"}, new String[] {"", "UncheckedIOException.class"})) {
            Compilation compilation = compile(owner(ok[0], "attempts = 3,", "on = " + ok[1]));
            assertThat(compilation).succeededWithoutWarnings();
        }
    }

    @Test
    void aTimeoutIsRetriedOnlyInAPoolWithATimeout() {
        assertOneError(owner("", "attempts = 3,", "on = TimeoutException.class"),
                "[WorkerPoolRetry] java.util.concurrent.TimeoutException is retried when an attempt times out, but "
                        + "this pool has no timeout, and com.example.Owner#m(int) does not declare it",
                "on = TimeoutException.class");
        JavaFileObject timed = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    @WorkerPool(timeout = \"1s\", retry = @WorkerPool.Retry(attempts = 2,",
                "            on = java.util.concurrent.TimeoutException.class))",
                "    public static int m(int x) { return x; }",
                "}");
        assertThat(compile(timed)).succeededWithoutWarnings();
        // a subclass of TimeoutException: a timed-out attempt fails with a plain TimeoutException, never with it
        JavaFileObject subclass = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    public static class SlowBackend extends java.util.concurrent.TimeoutException {}",
                "    @WorkerPool(timeout = \"1s\", retry = @WorkerPool.Retry(attempts = 2,",
                "            on = SlowBackend.class))",
                "    public static int m(int x) { return x; }",
                "}");
        assertOneError(subclass, "[WorkerPoolRetry] com.example.Owner.SlowBackend is a checked exception that "
                + "com.example.Owner#m(int) does not declare, so no attempt can fail with it",
                "on = SlowBackend.class");
    }

    @Test
    void anExceptionTheGeneratedPoolCannotNameIsAnError() {
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    private static class Secret extends RuntimeException {}",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = 2, on = Secret.class))",
                "    public static int m(int x) { return x; }",
                "}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] com.example.Owner#m(int) uses "
                + "com.example.Owner.Secret, which is private").inFile(source).onLineContaining("on = Secret.class");
    }

    @Test
    void aValidPolicyBecomesTheOptionsRetryPolicy() {
        Compilation compilation = compile(owner("IOException", "attempts = 3,", "on = {IOException.class, "
                + "IllegalStateException.class},", "backoff = \"100ms\",", "multiplier = 2,", "maxBackoff = \"5s\",",
                "jitter = 0.2"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("com.example.OwnerMPool").contentsAsUtf8String()
                .contains(".withRetry(RetryPolicy.of(3, List.of(IOException.class, "
                        + "IllegalStateException.class), Duration.parse(\"PT0.1S\"), 2.0, Duration.parse(\"PT5S\"), "
                        + "0.2));");
        Compilation plain = compile(owner("", "attempts = 2"));
        assertThat(plain).generatedSourceFile("com.example.OwnerMPool").contentsAsUtf8String()
                .contains(".withRetry(RetryPolicy.of(2, List.of(), null, 1.0, null, "
                        + "0.0));");
    }

    @Test
    void aGeneratedRetryingPoolRetries() throws Throwable {
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    private int calls;",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = 3, on = java.io.IOException.class))",
                "    public synchronized int m(int failures) throws java.io.IOException {",
                "        if (++calls <= failures) throw new java.io.IOException(\"failure \" + calls);",
                "        return calls;",
                "    }",
                "}");
        ClassLoader loader = Run.load(compile(source));
        assertThat(Run.one(loader, "com.example.OwnerMPool", Run.instance(loader, "com.example.Owner"), 2))
                .isEqualTo(3);
        try {
            Run.one(loader, "com.example.OwnerMPool", Run.instance(loader, "com.example.Owner"), 5);
            throw new AssertionError("three failures: the job fails");
        } catch (IOException e) {
            assertThat(e).hasMessageThat().isEqualTo("failure 3");
            assertThat(List.of(e.getSuppressed()).stream().map(Throwable::getMessage).toList())
                    .containsExactly("failure 1", "failure 2").inOrder();
        }
    }
}
