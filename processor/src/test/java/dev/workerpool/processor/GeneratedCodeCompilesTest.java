package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** Shapes of annotated methods whose generated pools must compile without warnings. */
class GeneratedCodeCompilesTest {

    @Test
    void instanceAndStaticVoidAndNonVoidPrimitiveGenericAndArrayParametersCheckedExceptions() {
        Compilation compilation = compile(source("com.example.Shapes",
                "package com.example;",
                "",
                "import dev.workerpool.WorkerPool;",
                "import java.io.IOException;",
                "import java.util.List;",
                "import java.util.Map;",
                "",
                "public class Shapes {",
                "    @WorkerPool(workers = 2)",
                "    int length(List<String> words, int[] weights) { return words.size() + weights.length; }",
                "",
                "    @WorkerPool(workers = 2, buffer = 4)",
                "    static void log(String line) throws IOException, InterruptedException { }",
                "",
                "    @WorkerPool",
                "    public Map<String, List<Integer>> index(long id, double[][] grid, char c) { return Map.of(); }",
                "",
                "    @WorkerPool",
                "    static String[] noParameters() { return new String[0]; }",
                "",
                "    @WorkerPool(workers = 3)",
                "    protected void varargs(String first, Object... rest) throws Exception { }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
        for (String pool : new String[] {"ShapesLengthPool", "ShapesLogPool", "ShapesIndexPool",
                "ShapesNoParametersPool", "ShapesVarargsPool"}) {
            assertThat(compilation).generatedSourceFile("com.example." + pool);
        }
        assertThat(compilation).generatedSourceFile("com.example.ShapesLogPool")
                .contentsAsUtf8String().contains("public static ShapesLogPool start()");
        assertThat(compilation).generatedSourceFile("com.example.ShapesLengthPool")
                .contentsAsUtf8String().contains("public record Result(Job job, int value, Throwable error)");
        assertThat(compilation).generatedSourceFile("com.example.ShapesLogPool")
                .contentsAsUtf8String().contains("public record Result(Job job, Throwable error)");
    }

    @Test
    void nestedOwnersArePrefixedAndNameOverrides() {
        Compilation compilation = compile(source("com.example.Outer",
                "package com.example;",
                "",
                "import dev.workerpool.WorkerPool;",
                "",
                "public class Outer {",
                "    public static class Inner {",
                "        @WorkerPool(workers = 2) public int resize(int w) { return w; }",
                "    }",
                "    public class NonStatic {",
                "        @WorkerPool public int twice(int w) { return 2 * w; }",
                "    }",
                "    public interface Api {",
                "        @WorkerPool int call(int x);",
                "        @WorkerPool(name = \"ApiDefaults\") default int fallback(int x) { return x; }",
                "    }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("com.example.OuterInnerResizePool");
        assertThat(compilation).generatedSourceFile("com.example.OuterNonStaticTwicePool");
        assertThat(compilation).generatedSourceFile("com.example.OuterApiCallPool");
        assertThat(compilation).generatedSourceFile("com.example.ApiDefaults");
    }

    @Test
    void parameterNamesThatMatchGeneratedMembersAndUserTypesNamedJobAndResult() {
        Compilation compilation = compile(
                source("com.example.Job", "package com.example;", "public class Job {}"),
                source("com.example.Result", "package com.example;", "public class Result {}"),
                source("com.example.Clash",
                        "package com.example;",
                        "",
                        "import dev.workerpool.WorkerPool;",
                        "",
                        "public class Clash {",
                        "    @WorkerPool(workers = 2)",
                        "    Result run(Job job, String result, int engine, int target, int workers, int buffer,",
                        "            int value, int error, int jobs, int timeout) { return new Result(); }",
                        "}"));
        assertThat(compilation).succeededWithoutWarnings();
        String source = compilation.generatedSourceFile("com.example.ClashRunPool").orElseThrow().toString();
        assertThat(source).isNotEmpty();
    }

    @Test
    void twoAnnotatedMethodsInOneClassAndTheSameMethodNameInTwoClasses() {
        Compilation compilation = compile(
                source("com.example.A",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class A {",
                        "    @WorkerPool int first(int x) { return x; }",
                        "    @WorkerPool int second(int x) { return x; }",
                        "}"),
                source("com.example.B",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class B {",
                        "    @WorkerPool int first(int x) { return x; }",
                        "}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).generatedSourceFile("com.example.AFirstPool");
        assertThat(compilation).generatedSourceFile("com.example.ASecondPool");
        assertThat(compilation).generatedSourceFile("com.example.BFirstPool");
    }
}
