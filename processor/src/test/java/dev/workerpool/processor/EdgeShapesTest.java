package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.workerpool.WorkerPool;
import dev.workerpool.runtime.spi.PoolEngine;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shapes an outside adversarial suite found that made generated code fail to compile, or warn: each now
 * compiles without a warning under {@code -Xlint:all} (and runs), or is rejected with a tagged diagnostic.
 */
class EdgeShapesTest {

    private static String path(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file named unlike its classes, compiled by plain javac with a source path, as Maven always passes. */
    @Test
    void aFileNamedUnlikeItsClassesCompilesWithASourcePath(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src/p");
        Files.createDirectories(src);
        Path file = src.resolve("Owners.java");
        Files.writeString(file, "package p; import dev.workerpool.WorkerPool; class Squares {"
                + " @WorkerPool(workers = 3, buffer = 5) long square(int n) { return (long) n * n; } }\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = String.join(File.pathSeparator, path(WorkerPool.class), path(PoolEngine.class));
        String processorPath = String.join(File.pathSeparator, path(WorkerPoolProcessor.class),
                path(com.palantir.javapoet.ClassName.class));
        StringWriter out = new StringWriter();
        List<String> args = List.of("-Xlint:all", "-processorpath", processorPath,
                "-processor", WorkerPoolProcessor.class.getName(), "-cp", classpath,
                "-sourcepath", dir.resolve("src").toString(), "-s", dir.resolve("gen").toString(),
                "-d", dir.resolve("out").toString());
        Files.createDirectories(dir.resolve("gen"));
        Files.createDirectories(dir.resolve("out"));
        boolean ok;
        try (var files = javac.getStandardFileManager(null, null, null)) {
            ok = javac.getTask(out, files, null, args, null, files.getJavaFileObjects(file)).call();
        }
        assertTrue(ok, out.toString());
        // The one lint left is javac's about the user's own layout: the pool must name the auxiliary class.
        assertEquals(List.of(), out.toString().lines()
                .filter(l -> l.contains("warning:") || l.contains("error:"))
                .filter(l -> !l.contains("warning: [auxiliaryclass] auxiliary class Squares in")
                        && !l.contains("warning: auxiliary class Squares in"))
                .toList(), out.toString());
        assertTrue(Files.exists(dir.resolve("out/p/SquaresSquarePool.class")));
    }

    @Test
    void staticMethodsOfGenericTypesAreCalledThroughTheRawName() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Generic",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Generic {",
                "    public static class Box<T> {",
                "        @WorkerPool static int twice(int x) { return 2 * x; }",
                "        public class Inner {",
                "            @WorkerPool static int thrice(int x) { return 3 * x; }",
                "        }",
                "    }",
                "    public interface Api<T> {",
                "        @WorkerPool static int plusOne(int x) { return x + 1; }",
                "    }",
                "    public record Pair<A, B>(A a, B b) {",
                "        @WorkerPool static String joined(String x, String y) { return x + y; }",
                "    }",
                "}")));
        assertThat(Run.one(loader, "com.example.GenericBoxTwicePool", null, 21)).isEqualTo(42);
        assertThat(Run.one(loader, "com.example.GenericBoxInnerThricePool", null, 5)).isEqualTo(15);
        assertThat(Run.one(loader, "com.example.GenericApiPlusOnePool", null, 41)).isEqualTo(42);
        assertThat(Run.one(loader, "com.example.GenericPairJoinedPool", null, "a", "b")).isEqualTo("ab");
    }

    @ParameterizedTest
    @ValueSource(strings = {"var", "record", "yield", "sealed", "permits", "Job", "Result"})
    void namesThatCannotNameThePoolAreRejected(String name) {
        Compilation compilation = compile(source("com.example.Named",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Named {",
                "    @WorkerPool(name = \"" + name + "\") static int m(int x) { return x; }",
                "}"));
        assertThat(compilation).failed();
        assertOneError(compilation, compilation.sourceFiles().get(0),
                "[WorkerPoolName] name \"" + name + "\" cannot name a class", "name = \"" + name + "\"");
    }

    private static JavaFileObject slots(String parameters, String body) {
        return source("com.example.Wide",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Wide {",
                "    @WorkerPool static int m(" + parameters + ") { " + body + " }",
                "}");
    }

    private static String ints(int n) {
        return IntStream.range(0, n).mapToObj(i -> "int p" + i).collect(Collectors.joining(", "));
    }

    @Test
    void parameterSlotsAreCheckedAtTheBoundary() throws Throwable {
        // 254 slots: the pool's constructor and submit take 255 with this.
        ClassLoader loader = Run.load(compile(slots(ints(254), "return p0 + p253;")));
        Object[] args = IntStream.range(0, 254).boxed().toArray();
        assertThat(Run.one(loader, "com.example.WideMPool", null, args)).isEqualTo(253);
        for (String parameters : List.of(ints(255), "long a, " + IntStream.range(0, 126)
                .mapToObj(i -> "long l" + i).collect(Collectors.joining(", ")) + ", int b")) {
            Compilation compilation = compile(slots(parameters, "return 0;"));
            assertThat(compilation).hadErrorContaining("[WorkerPoolParameters]");
            assertThat(compilation).hadErrorContaining("takes 255 parameter slots");
            assertThat(compilation).hadErrorContaining("so the pool needs 256");
            assertThat(compilation).hadErrorCount(1);
        }
    }

    @Test
    void protectedTypesInheritedFromAnotherPackageAreRejected() {
        Compilation compilation = compile(
                source("other.Base",
                        "package other;",
                        "public class Base {",
                        "    protected static class Secret {}",
                        "    static class Hidden {}",
                        "}"),
                source("com.example.Sub",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Sub extends other.Base {",
                        "    @WorkerPool int size(Secret s) { return 1; }",
                        "    @WorkerPool Secret make(int n) { return new Secret(); }",
                        "}"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] com.example.Sub#size(Base.Secret) uses "
                + "other.Base.Secret, which is protected in package other").inFile(compilation.sourceFiles().get(1))
                .onLineContaining("int size(Secret s)");
        assertThat(compilation).hadErrorContaining("com.example.Sub#make(int) uses other.Base.Secret")
                .inFile(compilation.sourceFiles().get(1)).onLineContaining("Secret make(int n)");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    void protectedTypesOfTheSamePackageStillWork() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Near",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Near {",
                "    protected static class Box { final int n; Box(int n) { this.n = n; } }",
                "    @WorkerPool static int open(Box b) { return b.n; }",
                "}")));
        Object box = Run.instance(loader, "com.example.Near$Box", 7);
        assertThat(Run.one(loader, "com.example.NearOpenPool", null, box)).isEqualTo(7);
    }

    @Test
    void defaultPackageTypesNamedJobOrResultAreRejected() {
        Compilation compilation = compile(
                source("Job",
                        "import dev.workerpool.WorkerPool;",
                        "public class Job {",
                        "    @WorkerPool int run(int x) { return x; }",
                        "}"),
                source("Result", "public class Result {}"),
                source("Uses",
                        "import dev.workerpool.WorkerPool;",
                        "public class Uses {",
                        "    @WorkerPool static int take(Result r) { return 1; }",
                        "}"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] Job#run(int) uses Job, a type of the "
                + "default package named like the generated pool's nested Job record")
                .inFile(compilation.sourceFiles().get(0)).onLineContaining("int run(int x)");
        assertThat(compilation).hadErrorContaining("Uses#take(Result) uses Result")
                .inFile(compilation.sourceFiles().get(2)).onLineContaining("take(Result r)");
        assertThat(compilation).hadErrorCount(2);
    }

    @Test
    void annotationTextNeverReachesAGeneratedComment() throws Throwable {
        Compilation compilation = compile(
                source("com.example.Tag",
                        "package com.example;",
                        "import java.lang.annotation.*;",
                        "@Target(ElementType.TYPE_USE) @Retention(RetentionPolicy.RUNTIME)",
                        "public @interface Tag { String value(); }"),
                source("com.example.Tagged",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Tagged {",
                        "    @WorkerPool static String echo(@Tag(\"a) */ b \\\\u002a/ c\") String s) { return s; }",
                        "}"));
        ClassLoader loader = Run.load(compilation);
        assertThat(Run.one(loader, "com.example.TaggedEchoPool", null, "x")).isEqualTo("x");
        String generated = compilation.generatedSourceFile("com.example.TaggedEchoPool").orElseThrow()
                .getCharContent(true).toString();
        assertThat(generated).contains("{@link com.example.Tagged#echo(String)}");
    }

    @Test
    void aPoolNameTooLongForAFileIsRejected() throws Throwable {
        String longName = "m" + "x".repeat(237); // 238 characters
        Compilation compilation = compile(source("com.example.Long",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Long {",
                "    @WorkerPool static int " + longName + "(int x) { return x; }",
                "}"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] the generated class").inFile(
                compilation.sourceFiles().get(0)).onLineContaining("@WorkerPool static int");
        assertThat(compilation).hadErrorContaining("over the 255-byte limit");
        assertThat(compilation).hadErrorContaining("Set a shorter name = \"...\"");
        assertThat(compilation).hadErrorCount(1);
        // With a name, the same method is fine.
        Run.load(compile(source("com.example.Long",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Long {",
                "    @WorkerPool(name = \"ShortPool\") static int " + longName + "(int x) { return x; }",
                "}")));
    }

    @Test
    void genericVarargsAndDeprecatedMethodsCompileWithoutWarnings() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Warned",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.List;",
                "public class Warned {",
                "    @SafeVarargs @WorkerPool static <T> int count(T... items) { return items.length; }",
                "    @SafeVarargs @WorkerPool static int sizes(List<String>... lists) { return lists.length; }",
                "    @Deprecated(forRemoval = true) @WorkerPool static int old(int x) { return x; }",
                "    @Deprecated @WorkerPool static int older(int x) { return x; }",
                "}")));
        assertThat(Run.one(loader, "com.example.WarnedCountPool", null, (Object) new Object[] {1, 2, 3}))
                .isEqualTo(3);
        assertThat(Run.one(loader, "com.example.WarnedOldPool", null, 5)).isEqualTo(5);
    }

    /**
     * The annotations and exceptions the pool names only in some shapes (deprecated, generic varargs) or only in
     * Javadoc are qualified like the others when the owner's package has a type of that simple name.
     */
    @Test
    void ownTypesNamedLikeTheAnnotationsAndJavadocTypesOfThePool() throws Throwable {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String name : List.of("SuppressWarnings", "SafeVarargs", "IllegalStateException", "CompletionException")) {
            sources.add(source("com.example." + name, "package com.example;", "public class " + name + " {}"));
        }
        sources.add(source("com.example.Shadowed",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.List;",
                "public class Shadowed {",
                "    @java.lang.SafeVarargs @WorkerPool static int sizes(List<String>... lists) "
                        + "{ return lists.length; }",
                "    @Deprecated @WorkerPool static int old(int x) { return x; }",
                "}"));
        Compilation compilation = compile(sources.toArray(JavaFileObject[]::new));
        ClassLoader loader = Run.load(compilation);
        assertThat(Run.one(loader, "com.example.ShadowedOldPool", null, 5)).isEqualTo(5);
        String old = compilation.generatedSourceFile("com.example.ShadowedOldPool").orElseThrow()
                .getCharContent(false).toString();
        assertThat(old).contains("@java.lang.SuppressWarnings({");
        assertThat(old).contains("@throws java.lang.IllegalStateException if");
        assertThat(old).contains("{@link java.util.concurrent.CompletionException}");
        String sizes = compilation.generatedSourceFile("com.example.ShadowedSizesPool").orElseThrow()
                .getCharContent(false).toString();
        assertThat(sizes).contains("@java.lang.SafeVarargs");
    }

    /**
     * {@code throws Throwable}: {@code getOrThrow} rethrows the error as it is, with no {@code instanceof} test and
     * cast to {@code Throwable} (javac's "redundant cast" warning), also next to other declared exceptions.
     */
    @Test
    void throwsThrowableRethrowsWithoutARedundantCast() throws Throwable {
        Compilation compilation = compile(source("com.example.Thrower",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Thrower {",
                "    @WorkerPool static int any(int x) throws Throwable {",
                "        if (x < 0) { throw new Throwable(\"negative\"); } return x; }",
                "    @WorkerPool static void both(int x) throws java.io.IOException, Throwable {",
                "        if (x < 0) { throw new Throwable(\"negative\"); } }",
                "}"));
        ClassLoader loader = Run.load(compilation);
        assertThat(Run.one(loader, "com.example.ThrowerAnyPool", null, 5)).isEqualTo(5);
        for (String pool : List.of("com.example.ThrowerAnyPool", "com.example.ThrowerBothPool")) {
            Object failed = Run.oneResult(loader, pool, null, -1);
            String rethrow = pool.endsWith("AnyPool") ? "getOrThrow" : "throwIfFailed";
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                    () -> failed.getClass().getMethod(rethrow).invoke(failed));
            assertEquals(Throwable.class, thrown.getCause().getClass());
            assertEquals("negative", thrown.getCause().getMessage());
        }
    }

    /** Raw types in the signature or in a type parameter's bound: the pool suppresses the rawtypes warnings. */
    @Test
    void rawTypesCompileWithoutWarnings() throws Throwable {
        Compilation compilation = compile(source("com.example.Raw",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.List;",
                "@SuppressWarnings(\"rawtypes\")",
                "public class Raw {",
                "    @WorkerPool static int raw(List l) { return l.size(); }",
                "    @WorkerPool static List rawRet(int n) { return List.of(n); }",
                "    @WorkerPool static int nested(List<List>[] lists, java.util.Map.Entry e) { return lists.length; }",
                "    @WorkerPool static <T extends Comparable> int bound(T t) { return 1; }",
                "    public static class Box<T extends List> {",
                "        @WorkerPool public int size(T t) { return t.size(); }",
                "    }",
                "}"));
        ClassLoader loader = Run.load(compilation);
        assertThat(Run.one(loader, "com.example.RawRawPool", null, List.of(1, 2))).isEqualTo(2);
        assertThat(Run.one(loader, "com.example.RawRawRetPool", null, 3)).isEqualTo(List.of(3));
        assertThat(Run.one(loader, "com.example.RawBoxSizePool", Run.instance(loader, "com.example.Raw$Box"),
                List.of(1))).isEqualTo(1);
        assertThat(compilation.generatedSourceFile("com.example.RawRawPool").orElseThrow().getCharContent(false)
                .toString()).contains("@SuppressWarnings(\"rawtypes\")");
    }

    /**
     * Type parameters named like the types the pool names ({@code Generated}, {@code SuppressWarnings},
     * {@code Override}, {@code String}, {@code Objects}...), which would hide them inside the generic pool: the
     * pool then writes those types qualified.
     */
    @Test
    void typeParametersNamedLikeTheTypesThePoolUses() throws Throwable {
        Compilation compilation = compile(source("com.example.Hiding",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Hiding {",
                "    @WorkerPool static <Generated> Generated generated(Generated x) { return x; }",
                "    @Deprecated @WorkerPool static <SuppressWarnings> int suppressed(SuppressWarnings x) {",
                "        return 1; }",
                "    @WorkerPool static <Override, String, Objects, Throwable> int many(Override o, String s) {",
                "        return 2; }",
                "    @WorkerPool static <Path> int signature(Path p, java.nio.file.Path q) {",
                "        return q.getNameCount(); }",
                "    public static class Box<Generated> {",
                "        @WorkerPool public Generated echo(Generated g) { return g; }",
                "    }",
                "}"));
        ClassLoader loader = Run.load(compilation);
        assertThat(Run.one(loader, "com.example.HidingGeneratedPool", null, "g")).isEqualTo("g");
        assertThat(Run.one(loader, "com.example.HidingSuppressedPool", null, "s")).isEqualTo(1);
        assertThat(Run.one(loader, "com.example.HidingManyPool", null, "o", "s")).isEqualTo(2);
        assertThat(Run.one(loader, "com.example.HidingSignaturePool", null, "p", Path.of("/a/b"))).isEqualTo(2);
        assertThat(Run.one(loader, "com.example.HidingBoxEchoPool", Run.instance(loader, "com.example.Hiding$Box"),
                "e")).isEqualTo("e");
        String hidden = compilation.generatedSourceFile("com.example.HidingGeneratedPool").orElseThrow()
                .getCharContent(false).toString();
        assertThat(hidden).contains("@javax.annotation.processing.Generated(");
    }

    /**
     * F-bounded type parameters ({@code T extends Comparable<T>}) with a primitive result: javac inferred the
     * backend start's arguments only with the codec's type arguments written out.
     */
    @Test
    void fBoundedTypeParametersWithAPrimitiveResult() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Ranked",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.List;",
                "public class Ranked {",
                "    @WorkerPool static <T extends Comparable<T>> int rank(T x, T y) { return x.compareTo(y); }",
                "    @WorkerPool static <T extends Comparable<T>, U extends List<? super T>> int add(T x, U u) {",
                "        return u.size(); }",
                "    public static class Box<E extends Comparable<E>> {",
                "        @WorkerPool public boolean less(E a, E b) { return a.compareTo(b) < 0; }",
                "    }",
                "}")));
        assertThat(Run.one(loader, "com.example.RankedRankPool", null, "a", "b")).isEqualTo(-1);
        assertThat(Run.one(loader, "com.example.RankedAddPool", null, "a", List.of("x"))).isEqualTo(1);
        assertThat(Run.one(loader, "com.example.RankedBoxLessPool", Run.instance(loader, "com.example.Ranked$Box"),
                "a", "b")).isEqualTo(true);
    }

    /** Under -Xlint:all (processing lint included), a compilation using the processor has no warning at all. */
    @Test
    void noUnclaimedAnnotationWarningUnderXlintAll() {
        Compilation compilation = compile(source("com.example.Plain",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Plain {",
                "    @WorkerPool static int m(int x) { return x; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }
}
