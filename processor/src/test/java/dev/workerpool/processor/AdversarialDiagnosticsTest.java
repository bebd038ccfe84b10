package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.classPathWith;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.compileClasses;
import static dev.workerpool.processor.Sources.compileForRelease;
import static dev.workerpool.processor.Sources.compileOnClassPath;
import static dev.workerpool.processor.Sources.generatedBy;
import static dev.workerpool.processor.Sources.owner;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an adversarial audit of issue #3 found that made the processor crash, stay silent, or write a pool that
 * does not compile: each is now generated correctly, or rejected with a tagged diagnostic on the element or on
 * the annotation value.
 */
class AdversarialDiagnosticsTest {

    /**
     * An annotation value naming a constant or class that does not exist is javac's error, and was a
     * {@code [WorkerPoolInternal]} crash (a {@code ClassCastException} on javac's {@code "<error>"} value), or,
     * for a {@code Retry.on} class, silently left out: a pool that retried every error. Now the method waits for
     * later rounds like a missing signature type; at the last round javac's "cannot find symbol" on the value is
     * the one error (the processor adds none: it would only repeat it), and no pool is written.
     */
    @Test
    void unresolvedAnnotationValuesAreJavacsErrorsNotACrash(@TempDir Path dir) throws IOException {
        JavaFileObject source = owner(
                "    @WorkerPool(workers = Missing.WORKERS) int a(int x) { return x; }",
                "    @WorkerPool(name = Limits.NO_SUCH_NAME) int b(int x) { return x; }",
                "    @WorkerPool(timeout = NO_SUCH_TIMEOUT) int c(int x) { return x; }",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = Missing.ATTEMPTS)) int d(int x) { return x; }",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = 2, on = MissingException.class)) int e(int x) {",
                "        return x; }",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = 2, on = {IllegalStateException.class,",
                "            OtherMissingException.class})) int f(int x) { return x; }",
                "    static final class Limits {}");
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            assertThat(error.getMessage(null)).doesNotContain("[WorkerPool");
        }
        for (String value : List.of("workers = Missing.WORKERS", "name = Limits.NO_SUCH_NAME",
                "timeout = NO_SUCH_TIMEOUT", "attempts = Missing.ATTEMPTS", "on = MissingException.class",
                "OtherMissingException.class")) {
            assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(source).onLineContaining(value);
        }
        // javac's own "cannot find symbol", one per value: nothing else
        assertThat(compilation).hadErrorCount(6);
        assertThat(generatedBy(dir, source)).isEmpty();
    }

    /**
     * Constants and a {@code Retry.on} class that another processor generates in a later round: the method waits
     * for them, and its pool has their values.
     */
    @Test
    void constantsAndRetriedExceptionsOfALaterRoundAreWaitedFor() throws Throwable {
        JavaFileObject later = source("com.example.Later", "package com.example;", "public @interface Later {}");
        JavaFileObject source = source("com.example.Uses",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "@Later public class Uses {",
                "    @WorkerPool(workers = Limits.WORKERS, name = Limits.NAME, timeout = Limits.TIMEOUT,",
                "            retry = @WorkerPool.Retry(attempts = Limits.WORKERS, on = Transient.class))",
                "    public static int m(int x) { return x; }",
                "}");
        // in round 1, when it sees @Later (which it claims)
        AbstractProcessor generator = new FirstRoundSources("com.example.Later", true, Map.of(
                "com.example.Limits", "package com.example; public final class Limits {"
                        + " public static final int WORKERS = 3; public static final String NAME = \"LimitedPool\";"
                        + " public static final String TIMEOUT = \"5s\"; private Limits() {} }",
                "com.example.Transient", "package com.example;"
                        + " public class Transient extends RuntimeException { private static final long"
                        + " serialVersionUID = 1L; }"));
        Compilation compilation = javac().withProcessors(new WorkerPoolProcessor(), generator)
                .withOptions("-Xlint:all").compile(later, source);
        ClassLoader loader = Run.load(compilation);
        assertThat(loader.loadClass("com.example.LimitedPool").getField("WORKERS").get(null)).isEqualTo(3);
        String generated = compilation.generatedSourceFile("com.example.LimitedPool").orElseThrow()
                .getCharContent(false).toString();
        assertThat(generated).contains(".withTimeout(Duration.parse(\"PT5S\"))");
        assertThat(generated).contains(".withRetry(RetryPolicy.of(3, List.of(Transient.class)");
        assertThat(Run.one(loader, "com.example.LimitedPool", null, 7)).isEqualTo(7);
    }

    /**
     * A method named {@code $} in class {@code A} would generate {@code A$Pool}, whose class file is that of
     * {@code A}'s nested class {@code Pool}: javac could not even write it. Any name that starts with a class of
     * the package and a {@code $} could be a nested, local or anonymous class's binary name, so it is rejected.
     */
    @Test
    void aPoolNamedLikeTheBinaryNameOfANestedClassIsRejected() {
        JavaFileObject source = source("com.example.A",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class A {",
                "    static class Pool { static class Deep {} }",
                "    @WorkerPool static int $(int x) { return x; }",
                "    @WorkerPool(name = \"A$Pool$Deep\") static int deep(int x) { return x; }",
                "    @WorkerPool(name = \"A$1\") static int anonymous(int x) { return x; }",
                "    @WorkerPool(name = \"My$Pool\") static int free(int x) { return x; }",
                "}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] com.example.A$Pool, the class that "
                + "com.example.A#$(int) would generate, starts with the name of class com.example.A and a $, as the "
                + "binary names of the classes nested in it do: its class file A$Pool.class could be one of theirs. "
                + "Set name = \"...\" without a $, e.g. name = \"APool\".")
                .inFile(source).onLineContaining("int $(int x)");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] com.example.A$Pool$Deep, the class that "
                + "com.example.A#deep(int) would generate, starts with the name of class com.example.A")
                .inFile(source).onLineContaining("name = \"A$Pool$Deep\"");
        assertThat(compilation).hadErrorContaining("e.g. name = \"AAnonymousPool\"")
                .inFile(source).onLineContaining("name = \"A$1\"");
    }

    /**
     * A type parameter named like the first part of a package ({@code com} for {@code com.example}) hides that
     * package in the generic pool, where qualified names ({@code com.example.Job}, {@code java.lang.Override})
     * then fail to resolve.
     */
    @Test
    void aTypeParameterNamedLikeAPackageIsRejected() {
        JavaFileObject job = source("com.example.Job", "package com.example;", "public class Job {}");
        JavaFileObject source = source("com.example.Packages",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Packages {",
                "    @WorkerPool static <com> int own(com x, Job j) { return 1; }",
                "    @WorkerPool static <java> int jdk(java x) { return 1; }",
                "    public static class Box<dev> {",
                "        @WorkerPool public int runtime(dev x) { return 1; }",
                "    }",
                "}");
        Compilation compilation = compile(job, source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolGeneric] type parameter com of "
                + "com.example.Packages#own(com, Job) has the name of package com, which the generated class names "
                + "in qualified type names (such as com.example.Job); there it would mean the type parameter. "
                + "Rename the type parameter.").inFile(source).onLineContaining("int own(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolGeneric] type parameter java of "
                + "com.example.Packages#jdk(java) has the name of package java").inFile(source)
                .onLineContaining("int jdk(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolGeneric] type parameter dev of "
                + "com.example.Packages.Box#runtime(dev) has the name of package dev")
                .inFile(source).onLineContaining("int runtime(");
    }

    /** Below release 16 the generated records do not even parse: one clear error per method instead. */
    @Test
    void aReleaseWithoutRecordsIsRejectedWithTheReason() {
        JavaFileObject source = owner(
                "    @WorkerPool int a(int x) { return x; }",
                "    @WorkerPool int b(int x) { return x; }");
        Compilation compilation = compileForRelease(11, source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolRelease] the generated OwnerAPool declares records, "
                + "which need release 16, but this compilation targets release 11. Compile with --release 17 or "
                + "later (maven.compiler.release): workerpool needs Java 17.").inFile(source)
                .onLineContaining("int a(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolRelease] the generated OwnerBPool")
                .inFile(source).onLineContaining("int b(");
    }

    /** Interface methods are public or private: the fix for a private one is to drop {@code private}. */
    @Test
    void aPrivateInterfaceMethodIsRejectedWithTheInterfaceFix() {
        JavaFileObject source = source("com.example.Api",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public interface Api {",
                "    @WorkerPool private int helper(int x) { return x; }",
                "}");
        assertOneError(source, "[WorkerPoolAccess] @WorkerPool method com.example.Api#helper(int) must not be "
                + "private: the generated ApiHelperPool calls it from outside its interface. Remove private: the "
                + "method is then public.", "private int helper");
    }

    /** The message names both type parameters and where each is declared, also for an inner class's. */
    @Test
    void aHiddenTypeParameterIsReportedWithBothDeclarations() {
        JavaFileObject source = source("com.example.Outer",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Outer<T> {",
                "    public class Inner<T> {",
                "        @WorkerPool public T m(T x) { return x; }",
                "    }",
                "    @WorkerPool public <T> T n(T x) { return x; }",
                "}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolGeneric] type parameter T of com.example.Outer.Inner "
                + "hides type parameter T of com.example.Outer, and the pool for com.example.Outer.Inner#m(T) takes "
                + "both. Rename one of them.").inFile(source).onLineContaining("public T m(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolGeneric] type parameter T of com.example.Outer#n(T) "
                + "hides type parameter T of com.example.Outer").inFile(source).onLineContaining("public <T> T n(");
    }

    /** A class may not have the name of a package: {@code name = "sub"} next to package {@code com.example.sub}. */
    @Test
    void aNameOfAPackageIsRejectedOnTheValue() {
        JavaFileObject sub = source("com.example.sub.Thing", "package com.example.sub;", "public class Thing {}");
        JavaFileObject source = owner("    @WorkerPool(name = \"sub\") int m(int x) { return x; }");
        assertOneError(compile(sub, source), source, "[WorkerPoolName] com.example.sub, the class that "
                + "com.example.Owner#m(int) would generate, has the name of a package; a class and a package may not "
                + "share a name. Set name = \"...\", e.g. name = \"OwnerMPool\".", "name = \"sub\"");
    }

    /**
     * A package that only the class path has (no source of the compilation is in it) is a name the pool cannot
     * take either: the generated class {@code com.example.sub} did not compile ("class sub clashes with package
     * of same name", and the package's types named through it were not found), with no error of the processor's.
     * Both forms: {@code name = "sub"}, and a default name ({@code <Owner><Method>Pool}) that is a package.
     */
    @Test
    void aNameOfAPackageOnlyOnTheClassPathIsRejectedOnTheValue(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        compileClasses(lib,
                source("com.example.sub.Thing", "package com.example.sub;", "public class Thing {}"),
                source("com.example.OwnerMPool.Thing", "package com.example.OwnerMPool;", "public class Thing {}"));
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"sub\") int n(com.example.sub.Thing x) { return 0; }",
                "    @WorkerPool int m(int x) { return x; }");
        Compilation compilation = compileOnClassPath(classPathWith(lib.toFile()), source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] com.example.sub, the class that "
                + "com.example.Owner#n(Thing) would generate, has the name of a package; a class and a package may "
                + "not share a name.").inFile(source).onLineContaining("name = \"sub\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] com.example.OwnerMPool, the class that "
                + "com.example.Owner#m(int) would generate, has the name of a package").inFile(source)
                .onLineContaining("int m(int x)");
    }

    /**
     * A package that exists only as the parent of others ({@code acme} of {@code acme.deep.Thing}: no class in
     * {@code acme} itself) is a name the pool cannot take either, whether the compilation happened to load a class
     * below it or not. javac loads none before the processor runs when only a method body names one, and then
     * knew no package {@code acme}: the pool {@code acme} of the default package was written, and obscured the
     * package, so that the body's {@code acme.deep.Thing} meant a member of the pool ("cannot find symbol ...
     * location: class acme"). The same in a named package ({@code com.example.sub} beside
     * {@code com.example.sub.deep.Thing}), from a jar without directory entries and from a directory, and for
     * {@code org}, the root of packages of the JDK's modules and of the class path's jars.
     */
    @Test
    void aNameOfAPackageThatOnlyHasPackagesIsRejectedOnTheValue(@TempDir Path dir) throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        compileClasses(classes,
                source("acme.deep.Thing", "package acme.deep;", "public class Thing {}"),
                source("com.example.sub.deep.Thing", "package com.example.sub.deep;", "public class Thing {}"));
        Path jar = dir.resolve("acme.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("acme/deep/Thing.class")); // no entries for directories
            out.write(Files.readAllBytes(classes.resolve("acme/deep/Thing.class")));
            out.closeEntry();
        }
        Path lib = Files.createDirectories(dir.resolve("lib/com/example/sub/deep"));
        Files.copy(classes.resolve("com/example/sub/deep/Thing.class"), lib.resolve("Thing.class"));
        JavaFileObject unnamed = source("Owner",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    @WorkerPool(name = \"acme\") int m(int x) { return x; }",
                "    @WorkerPool(name = \"org\") int n(int x) { return x; }",
                "    Object t() { return new acme.deep.Thing(); }",
                "}");
        JavaFileObject named = source("com.example.Named",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Named {",
                "    @WorkerPool(name = \"sub\") int m(int x) { return x; }",
                "    Object t() { return new com.example.sub.deep.Thing(); }",
                "}");
        Compilation compilation = compileOnClassPath(classPathWith(jar.toFile(), dir.resolve("lib").toFile()),
                unnamed, named);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] acme, the class that Owner#m(int) would "
                + "generate, has the name of a package").inFile(unnamed).onLineContaining("name = \"acme\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] org, the class that Owner#n(int) would "
                + "generate, has the name of a package").inFile(unnamed).onLineContaining("name = \"org\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] com.example.sub, the class that "
                + "com.example.Named#m(int) would generate, has the name of a package").inFile(named)
                .onLineContaining("name = \"sub\"");
    }

    /** The name a message suggests is not a package either: here the default name was, and was suggested. */
    @Test
    void aSuggestedNameIsNotAPackageOfTheClassPath(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        compileClasses(lib,
                source("com.example.OwnerMPool.Thing", "package com.example.OwnerMPool;", "public class Thing {}"));
        JavaFileObject source = owner("    @WorkerPool(name = \"Owner\") int m(int x) { return x; }");
        assertOneError(compileOnClassPath(classPathWith(lib.toFile()), source), source,
                "[WorkerPoolDuplicate] com.example.Owner, the class that com.example.Owner#m(int) would generate, is "
                + "already a class of this compilation. Set name = \"...\", e.g. name = \"Owner2Pool\".",
                "name = \"Owner\"");
    }

    /**
     * A name with a character that Java ignores in identifiers (a zero-width space, a control character) is a
     * valid identifier to {@code SourceVersion}, but javac drops the character: the generated class did not
     * compile ("class ZwPool is public, should be declared in a file named ZwPool.java"), or could not be
     * written, reported as another processor's file ("bad filename"). Now an error on the value that shows the
     * character.
     */
    @Test
    void aNameWithCharactersJavaIgnoresIsRejectedOnTheValue() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"Zw\\u200bPool\") int m(int x) { return x; }",
                "    @WorkerPool(name = \"Ctl\\u0000Pool\") int n(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] name \"Zw\\u200bPool\" has a character that "
                + "Java ignores in identifiers (\\u200b), so the class would not have this name. Use a name without "
                + "it, e.g. name = \"OwnerMPool\".").inFile(source).onLineContaining("Zw");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] name \"Ctl\\u0000Pool\" has a character that "
                + "Java ignores in identifiers (\\u0000)").inFile(source).onLineContaining("Ctl");
    }

    /** A character that does not show (a zero-width or no-break space) is shown escaped in the message. */
    @Test
    void invisibleCharactersOfAValueAreShownEscaped() {
        JavaFileObject source = owner(
                "    @WorkerPool(timeout = \"5s\\u200b\") int m(int x) { return x; }",
                "    @WorkerPool(rate = \"\\u00a050/s\") int n(int x) { return x; }",
                "    @WorkerPool(retry = @WorkerPool.Retry(attempts = 2, backoff = \"1\\u2009s\")) int o(int x) {",
                "        return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolTimeout] timeout \"5s\\u200b\" is not a duration")
                .inFile(source).onLineContaining("timeout");
        assertThat(compilation).hadErrorContaining("[WorkerPoolRate] rate \"\\u00a050/s\" is not a rate")
                .inFile(source).onLineContaining("rate");
        assertThat(compilation).hadErrorContaining("[WorkerPoolRetry] backoff \"1\\u2009s\" is not a duration")
                .inFile(source).onLineContaining("backoff");
    }

    /**
     * Three methods generating one class: each message names the two others, and each suggests a name of its own
     * that is free, so that following every suggestion ends the clash.
     */
    @Test
    void threeMethodsGeneratingOneClassGetDistinctFreeSuggestions() {
        JavaFileObject taken = source("com.example.AB2Pool", "package com.example;", "class AB2Pool {}");
        JavaFileObject a = source("com.example.A",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class A {",
                "    @WorkerPool int b(int x) { return x; }",
                "    @WorkerPool int b(long x) { return 1; }",
                "}");
        JavaFileObject shared = owner("    @WorkerPool(name = \"ABPool\") int named(int x) { return x; }");
        Compilation compilation = compile(taken, a, shared);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolDuplicate] com.example.ABPool is generated for "
                + "com.example.A#b(int), com.example.A#b(long) and com.example.Owner#named(int). Set name = \"...\" "
                + "on all but one of them, e.g. name = \"AB3Pool\" here.").inFile(a).onLineContaining("int b(int x)");
        assertThat(compilation).hadErrorContaining("e.g. name = \"AB4Pool\" here.").inFile(a)
                .onLineContaining("int b(long x)");
        assertThat(compilation).hadErrorContaining("e.g. name = \"AB5Pool\" here.").inFile(shared)
                .onLineContaining("name = \"ABPool\"");
    }
}
