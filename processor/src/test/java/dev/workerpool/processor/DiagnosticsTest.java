package dev.workerpool.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.generatedBy;
import static dev.workerpool.processor.Sources.owner;
import static dev.workerpool.processor.Sources.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each diagnostic: its tag and message, on the right file and line, and nothing generated for the method. */
class DiagnosticsTest {

    @Test
    void workersBelowOneIsAnErrorOnTheValue() {
        JavaFileObject source = owner("    @WorkerPool(", "        workers = 0)", "    int m(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertOneError(compilation, source, "[WorkerPoolWorkers] workers must be at least 1, was 0", "workers = 0");
        assertThat(compilation).hadErrorContaining("Set workers to how many jobs may run at once");
    }

    @Test
    void absurdWorkersIsAnError() {
        JavaFileObject source = owner("    @WorkerPool(workers = 1000000)", "    int m(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining("[WorkerPoolWorkers] workers = 1000000 would start")
                .inFile(source).onLineContaining("workers = 1000000");
    }

    @Test
    void negativeAndAbsurdBuffersAreErrorsOnTheValue() {
        JavaFileObject source = owner(
                "    @WorkerPool(buffer = -1) int m(int x) { return x; }",
                "    @WorkerPool(buffer = 2147483647) int n(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolBuffer] buffer must be at least 0, was -1")
                .inFile(source).onLineContaining("buffer = -1");
        assertThat(compilation).hadErrorContaining("[WorkerPoolBuffer] buffer = 2147483647 is so large")
                .inFile(source).onLineContaining("buffer = 2147483647");
    }

    @Test
    void allProblemsOfAMethodAreReportedTogether() {
        JavaFileObject source = owner("    @WorkerPool(workers = 0, buffer = -3) private int m(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolWorkers]");
        assertThat(compilation).hadErrorContaining("[WorkerPoolBuffer]");
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess]");
    }

    @Test
    void nameMustBeAJavaIdentifier() {
        JavaFileObject source = owner("    @WorkerPool(name = \"my-pool\") int m(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining(
                "[WorkerPoolName] name \"my-pool\" is not a valid Java identifier. Use a simple class name, "
                        + "e.g. name = \"OwnerMPool\".")
                .inFile(source).onLineContaining("my-pool");
        JavaFileObject keyword = owner("    @WorkerPool(name = \"class\") int m(int x) { return x; }");
        assertThat(compile(keyword)).hadErrorContaining("[WorkerPoolName]").inFile(keyword).onLineContaining("class\"");
    }

    @Test
    void overloadsThatWouldGenerateTheSameClassAreReportedWithTheFix() {
        JavaFileObject source = owner(
                "    @WorkerPool int resize(int x) { return x; }",
                "    @WorkerPool int resize(long x) { return 1; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolDuplicate] com.example.OwnerResizePool is generated "
                + "for both com.example.Owner#resize(int) and com.example.Owner#resize(long)")
                .inFile(source).onLineContaining("resize(int x)");
        assertThat(compilation).hadErrorContaining("Set name = \"...\" on one of them")
                .inFile(source).onLineContaining("resize(long x)");
    }

    @Test
    void twoMethodsGivenTheSameNameAreReportedOnTheirNameValues() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"Shared\") int first(int x) { return x; }",
                "    @WorkerPool(name = \"Shared\") int second(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolDuplicate] com.example.Shared is generated for both "
                + "com.example.Owner#first(int) and com.example.Owner#second(int)").inFile(source)
                .onLineContaining("first(");
        assertThat(compilation).hadErrorContaining("e.g. name = \"Shared2Pool\"").inFile(source)
                .onLineContaining("second(");
    }

    /**
     * Two pools of one package whose names differ only in case, or a pool and a class of the sources, were both
     * written; on a case-insensitive file system (macOS's and Windows' default) their files are one, and javac
     * failed on the other's source or class file. Now an error on the second, on its {@code name} value when it
     * has one, with a free name.
     */
    @Test
    void namesThatDifferOnlyInCaseAreReportedOnTheSecond() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"FooBarPool\") int first(int x) { return x; }",
                "    @WorkerPool(name = \"FoobarPool\") int second(int x) { return x; }");
        assertOneError(source, "[WorkerPoolDuplicate] com.example.FoobarPool, the class that "
                + "com.example.Owner#second(int) would generate, differs only in case from com.example.FooBarPool, "
                + "the class generated for com.example.Owner#first(int): on a case-insensitive file system (the "
                + "default on macOS and Windows) their files would be the same. Set name = \"...\", e.g. name = "
                + "\"Foobar2Pool\".", "name = \"FoobarPool\"");

        JavaFileObject foo = source("com.example.Foo",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Foo {",
                "    @WorkerPool int bar(int x) { return x; }",
                "}");
        JavaFileObject squatter = source("com.example.FoobarPool", "package com.example;",
                "public class FoobarPool {}");
        assertOneError(compile(squatter, foo), foo, "[WorkerPoolDuplicate] com.example.FooBarPool, the class that "
                + "com.example.Foo#bar(int) would generate, differs only in case from com.example.FoobarPool, a class "
                + "of this compilation: on a case-insensitive file system", "int bar(");
    }

    /**
     * Case-insensitive file systems compare names a character at a time (NTFS's upcase table, APFS's simple case
     * folding): a character whose upper case is two ({@code ß}: {@code SS}; {@code ﬁ}: {@code FI}) is not the same
     * as those two, so names that only such a character tells apart are different files, and both pools are written.
     */
    @Test
    void namesThatDifferOnlyInALengthChangingCaseMappingAreBothWritten() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"StraßePool\") int first(int x) { return x; }",
                "    @WorkerPool(name = \"StrassePool\") int second(int x) { return x; }",
                "    @WorkerPool(name = \"ﬁlePool\") int third(int x) { return x; }",
                "    @WorkerPool(name = \"FILEPool\") int fourth(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).succeeded();
        for (String pool : List.of("StraßePool", "StrassePool", "ﬁlePool", "FILEPool")) {
            assertThat(compilation).generatedSourceFile("com.example." + pool);
        }
    }

    @Test
    void privateMethodIsRejected() {
        JavaFileObject source = owner("    @WorkerPool", "    private int hidden(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorContaining(
                "[WorkerPoolAccess] @WorkerPool method com.example.Owner#hidden(int) must not be private")
                .inFile(source).onLineContaining("private int hidden");
    }

    @Test
    void methodInAPrivateClassIsRejected() {
        JavaFileObject source = owner(
                "    private static class Secret {",
                "        @WorkerPool int m(int x) { return x; }",
                "    }");
        assertThat(compile(source)).hadErrorContaining(
                "[WorkerPoolAccess] @WorkerPool method com.example.Owner.Secret#m(int) is in com.example.Owner.Secret, "
                        + "which is private").inFile(source).onLineContaining("int m(int x)");
    }

    @Test
    void methodsInLocalAndAnonymousClassesAreRejectedOnTheirLine() {
        JavaFileObject source = owner(
                "    @WorkerPool int member(int x) { return x; }",
                "    void body() {",
                "        class Local {",
                "            @WorkerPool int inLocal(int x) { return x; }",
                "        }",
                "        Runnable r = new Runnable() {",
                "            @WorkerPool public void run() { }",
                "        };",
                "    }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method inLocal(...) in local class "
                + "Local: generated code cannot name a local or anonymous class").inFile(source)
                .onLineContaining("inLocal");
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method run(...) "
                + "in an anonymous class")
                .inFile(source).onLineContaining("public void run()");
    }

    /**
     * javac runs a processor only for annotations on members of types, so a compilation whose only
     * {@code @WorkerPool} is in a local class never calls {@code process}: the error must come all the same.
     */
    @Test
    void aLocalClassMethodIsRejectedWhenItIsTheOnlyWorkerPool() {
        JavaFileObject source = owner(
                "    void body() {",
                "        class Local {",
                "            @WorkerPool int inLocal(int x) { return x; }",
                "        }",
                "    }");
        Compilation compilation = compile(source);
        assertThat(compilation).failed();
        assertOneError(compilation, source, "[WorkerPoolAccess] @WorkerPool method inLocal(...) in local class "
                + "Local: generated code cannot name a local or anonymous class", "inLocal");
    }

    /** Anonymous classes in a method body, a field initializer and an enum constant's body, in two files. */
    @Test
    void anonymousClassMethodsAreRejectedWhenTheyAreTheOnlyWorkerPools() {
        JavaFileObject source = owner(
                "    void body() {",
                "        Runnable r = new Runnable() {",
                "            @WorkerPool public void run() { }",
                "        };",
                "        r.run();",
                "    }",
                "    final Object field = new Object() {",
                "        @WorkerPool int inField(int x) { return x; }",
                "    };",
                "    enum Kind {",
                "        A {",
                "            @WorkerPool int inConstant(int x) { return x; }",
                "        };",
                "    }");
        JavaFileObject other = source("com.example.Other",
                "package com.example;",
                "public class Other {",
                "    static Object make() {",
                "        record Local(int n) {",
                "            @dev.workerpool.WorkerPool int inRecord(int x) { return x + n; }",
                "        }",
                "        return new Local(1);",
                "    }",
                "}");
        Compilation compilation = compile(source, other);
        assertThat(compilation).hadErrorCount(4);
        String anonymous = "in an anonymous class: generated code cannot name a local or anonymous class";
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method run(...) " + anonymous)
                .inFile(source).onLineContaining("public void run()");
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method inField(...) " + anonymous)
                .inFile(source).onLineContaining("int inField(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method inConstant(...) " + anonymous)
                .inFile(source).onLineContaining("int inConstant(");
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method inRecord(...) in local class "
                + "Local").inFile(other).onLineContaining("int inRecord(");
    }

    /**
     * Member classes at any depth inside a local or anonymous class are as unreachable: reported with the path
     * from the local or anonymous class, whether or not {@code process} runs (a member {@code @WorkerPool}).
     */
    @Test
    void classesNestedInLocalAndAnonymousClassesAreRejected() {
        for (String member : List.of("", "    @WorkerPool int member(int x) { return x; }")) {
            JavaFileObject source = owner(
                    member,
                    "    void body() {",
                    "        class Local {",
                    "            class InLocal {",
                    "                @WorkerPool int deep(int x) { return x; }",
                    "            }",
                    "        }",
                    "        Runnable r = new Runnable() {",
                    "            public void run() { }",
                    "            class InAnon {",
                    "                static class Deeper {",
                    "                    @WorkerPool int deeper(int x) { return x; }",
                    "                }",
                    "            }",
                    "        };",
                    "        r.run();",
                    "    }");
            Compilation compilation = compile(source);
            assertThat(compilation).hadErrorCount(2);
            assertThat(compilation).hadErrorContaining(
                    "[WorkerPoolAccess] @WorkerPool method InLocal.deep(...) in local class Local:")
                    .inFile(source).onLineContaining("int deep(");
            assertThat(compilation).hadErrorContaining(
                    "[WorkerPoolAccess] @WorkerPool method InAnon.Deeper.deeper(...) in an anonymous class:")
                    .inFile(source).onLineContaining("int deeper(");
        }
    }

    /**
     * Each such method is reported once, also when javac goes on to analyse the classes after errors (as with
     * Error Prone's {@code -XDshould-stop.ifError=FLOW}) and under {@code -proc:only} (no analysis at all). When
     * it is the only {@code @WorkerPool}, javac still reports its own errors too, and {@code -proc:only} the
     * method's.
     */
    @Test
    void localClassMethodsAreReportedOnceWhateverJavacStopsAt() {
        JavaFileObject source = owner(
                "    @WorkerPool int member(int x) { return x; }",
                "    void body() {",
                "        class Local {",
                "            @WorkerPool int inLocal(int x) { return x; }",
                "        }",
                "    }");
        for (String option : List.of("-XDshould-stop.ifError=FLOW", "-proc:only")) {
            Compilation compilation = javac().withProcessors(new WorkerPoolProcessor())
                    .withOptions("-Xlint:all", option).compile(source);
            assertOneError(compilation, source, "[WorkerPoolAccess] @WorkerPool method inLocal(...)", "inLocal");
        }
        JavaFileObject only = owner(
                "    void body() {",
                "        class Local {",
                "            @WorkerPool int inLocal(int x) { return x; }",
                "        }",
                "    }",
                "    int broken() { return \"not an int\"; }");
        Compilation compilation = compile(only);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[WorkerPoolAccess] @WorkerPool method inLocal(...)")
                .inFile(only).onLineContaining("inLocal");
        assertThat(compilation).hadErrorContaining("incompatible types").inFile(only).onLineContaining("not an int");
        Compilation processingOnly = javac().withProcessors(new WorkerPoolProcessor())
                .withOptions("-Xlint:all", "-proc:only").compile(only); // javac analyses nothing
        assertOneError(processingOnly, only, "[WorkerPoolAccess] @WorkerPool method inLocal(...)", "inLocal");
    }

    @Test
    void privateTypeInTheSignatureIsRejected() {
        JavaFileObject source = owner(
                "    private static class Secret {}",
                "    @WorkerPool int m(java.util.List<Secret> x) { return 0; }");
        assertThat(compile(source)).hadErrorContaining(
                "[WorkerPoolAccess] com.example.Owner#m(List) uses com.example.Owner.Secret, which is private")
                .inFile(source).onLineContaining("int m(");
    }

    @Test
    void typeVariableInThrowsIsRejectedWithTheReason() {
        JavaFileObject source = owner("    @WorkerPool <E extends Exception> int risky(int x) throws E { return x; }");
        assertThat(compile(source)).hadErrorContaining("[WorkerPoolGeneric] com.example.Owner#risky(int) throws type "
                + "variable E, which a Result cannot rethrow type-safely").inFile(source).onLineContaining("throws E");
    }

    @Test
    void typeParameterNamedLikeAGeneratedTypeIsRejected() {
        JavaFileObject source = owner("    @WorkerPool <Job> Job same(Job x) { return x; }");
        assertThat(compile(source)).hadErrorContaining("[WorkerPoolGeneric] type parameter Job of "
                + "com.example.Owner#same(Job) clashes with the nested type Job").inFile(source)
                .onLineContaining("same(");
    }

    @Test
    void methodTypeParameterHidingTheClassOneIsRejected() {
        JavaFileObject source = source("com.example.Box",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Box<T> {",
                "    @WorkerPool <T> int size(T x) { return 1; }",
                "}");
        assertThat(compile(source)).hadErrorContaining("[WorkerPoolGeneric] type parameter T of "
                + "com.example.Box#size(T) hides type parameter T of com.example.Box, and the pool for "
                + "com.example.Box#size(T) takes both. "
                + "Rename one of them.").inFile(source).onLineContaining("int size");
    }

    @Test
    void typeParameterNamedLikeThePoolIsRejected() {
        JavaFileObject source = owner("    @WorkerPool <OwnerPickPool> int pick(OwnerPickPool x) { return 0; }");
        assertThat(compile(source)).hadErrorContaining("[WorkerPoolGeneric] type parameter OwnerPickPool of "
                + "com.example.Owner#pick(OwnerPickPool) clashes with the name of the generated class")
                .inFile(source).onLineContaining("int pick(");
    }

    @Test
    void aClassThatAlreadyExistsIsReportedOnTheMethodWithAFreeName() {
        JavaFileObject existing = source("com.example.OwnerMPool", "package com.example;", "class OwnerMPool {}");
        JavaFileObject taken = source("com.example.OwnerM2Pool", "package com.example;", "class OwnerM2Pool {}");
        JavaFileObject source = owner("    @WorkerPool int m(int x) { return x; }");
        Compilation compilation = compile(existing, taken, source);
        assertOneError(compilation, source, "[WorkerPoolDuplicate] com.example.OwnerMPool, the class that "
                + "com.example.Owner#m(int) would generate, is already a class of this compilation. Set "
                + "name = \"...\", e.g. name = \"OwnerM3Pool\".", "int m(int x)");
        assertThat(compilation).hadWarningCount(0);
    }

    /** A name equal to a class of the sources (here the owner itself) is reported on the value, without a warning. */
    @Test
    void aNameOfAnExistingClassIsReportedOnTheValue() {
        JavaFileObject source = source("com.example.Names",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Names {",
                "    @WorkerPool(",
                "        name = \"Names\")",
                "    static int m(int x) { return x; }",
                "    @WorkerPool(name = \"Other\") static int n(int x) { return x; }",
                "}");
        JavaFileObject other = source("com.example.Other", "package com.example;", "class Other {}");
        Compilation compilation = compile(source, other);
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadWarningCount(0);
        assertThat(compilation).hadErrorContaining("[WorkerPoolDuplicate] com.example.Names, the class that "
                + "com.example.Names#m(int) would generate, is already a class of this compilation")
                .inFile(source).onLineContaining("name = \"Names\"");
        assertThat(compilation).hadErrorContaining("e.g. name = \"NamesMPool\"").inFile(source)
                .onLineContaining("name = \"Names\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolDuplicate] com.example.Other, the class that "
                + "com.example.Names#n(int) would generate").inFile(source).onLineContaining("name = \"Other\"");
    }

    /**
     * A pool named like a java.lang type would hide that type from the whole package: from the other pools (which
     * write {@code @Override}, {@code String}...) and from the user's own classes.
     */
    @Test
    void aNameOfAJavaLangTypeIsRejectedOnTheValue() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"Override\") int a(int x) { return x; }",
                "    @WorkerPool(name = \"String\") int b(int x) { return x; }",
                "    @WorkerPool(name = \"AutoCloseable\") int c(int x) { return x; }",
                "    @WorkerPool int d(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] name \"Override\" would hide java.lang.Override "
                + "from every class of package com.example, the generated pools and your own. Use another class name, "
                + "e.g. name = \"OwnerAPool\".").inFile(source).onLineContaining("name = \"Override\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] name \"String\" would hide java.lang.String")
                .inFile(source).onLineContaining("name = \"String\"");
        assertThat(compilation).hadErrorContaining("[WorkerPoolName] name \"AutoCloseable\" would hide")
                .inFile(source).onLineContaining("name = \"AutoCloseable\"");
    }

    @Test
    void parameterNamedLikeAnObjectMethodIsRejected() {
        JavaFileObject source = owner("    @WorkerPool int m(int hashCode) { return 0; }");
        assertThat(compile(source)).hadErrorContaining("[WorkerPoolParameterName] parameter 'hashCode'")
                .inFile(source).onLineContaining("int hashCode");
    }

    /**
     * A type of the signature that never appears is javac's "cannot find symbol", on the type as written; the
     * processor waits for it until the last round, generates nothing, and adds no error of its own (one on the
     * method would only repeat javac's, less precisely: it used to, and could read "uses type &lt;any&gt;" for a
     * missing generic type). Also when the missing type is generic, annotated, nested, an array or a bound.
     */
    @Test
    void aTypeThatNeverAppearsIsJavacsErrorAlone() {
        List<String> shapes = List.of("int m(NoSuchType x)", "int m(NoSuchType<String> x)",
                "int m(java.util.List<NoSuchType<String>> x)", "int m(java.lang.@Deprecated NoSuchType x)",
                "int m(NoSuchType.Inner x)", "int m(NoSuchType[] x)", "int m(NoSuchType... x)",
                "NoSuchType m(int x)", "int m(int x) throws NoSuchType", "<T extends NoSuchType> int m(T x)");
        for (String shape : shapes) {
            JavaFileObject source = owner("    @WorkerPool " + shape + " { return " + (shape.startsWith("int") ? "0"
                    : shape.startsWith("NoSuchType") ? "null" : "0") + "; }");
            Compilation compilation = compile(source);
            assertOneError(compilation, source, "NoSuchType", shape);
            assertTrue(compilation.errors().stream().noneMatch(e -> e.getMessage(null).contains("[WorkerPool")),
                    shape);
        }
    }

    /**
     * A method waiting for a missing generic type is found again in the next round as itself: it was looked up
     * by its text, which javac gives as {@code m()} for {@code m(NoSuchType<String>)}, so its overload
     * {@code m()} was validated a second time and reported as generating its own pool twice.
     */
    @Test
    void aMethodWaitingForAMissingTypeIsNotTakenForItsOverload() {
        JavaFileObject source = owner(
                "    @WorkerPool(name = \"APool\") int m() { return 0; }",
                "    @WorkerPool(name = \"BPool\") int m(NoSuchType<String> x) { return 0; }");
        assertOneError(source, "NoSuchType", "NoSuchType<String>");
    }

    @Test
    void anErrorInOneMethodDoesNotStopTheOthers(@TempDir Path dir) throws IOException {
        JavaFileObject source = owner(
                "    @WorkerPool(workers = 0) int bad(int x) { return x; }",
                "    @WorkerPool int good(int x) { return x; }");
        assertOneError(source, "[WorkerPoolWorkers]", "bad(");
        // compile-testing hides generated files of a failed compilation; ask javac directly.
        assertEquals(List.of("OwnerGoodPool.java"), generatedBy(dir, source),
                "the good method's pool is generated, the bad method's is not");
    }
}
