package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @WorkerPool(distributed = true)}: a parameter or return type that cannot be sent to other members, and an
 * option a distributed backend rejects, are errors at compile time, each with its file and the line of the
 * parameter, the method or the value at fault; what can be sent compiles without a warning, into the same pool as
 * without {@code distributed}. The same rule at {@code start} is tested in workerpool-hazelcast's
 * {@code StartTest}.
 */
class DistributedTest {

    private static final String SENDABLE = "(a primitive, String, an enum, a java.io.Serializable class, a record "
            + "whose components can be sent, an array of these, or a java.util interface), or remove distributed = "
            + "true.";

    /** {@code com.example.Owner} holding these lines, with the imports they need. */
    private static JavaFileObject owner(String... body) {
        return source("com.example.Owner", Stream.concat(Stream.of(
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.io.*;",
                "import java.nio.file.Path;",
                "import java.util.*;",
                "public class Owner {"), Stream.concat(Stream.of(body), Stream.of("}"))).toArray(String[]::new));
    }

    @Test
    void aSendableSignatureCompilesWithoutDiagnosticsIntoTheSamePool() throws IOException {
        String[] body = {
                "    public enum Color { RED, GREEN }",
                "    public record Name(String value) {}",
                "    public record Person(Name name, Color color) {}",
                "    public static class Blob implements Serializable {",
                "        private static final long serialVersionUID = 1L;",
                "    }",
                "    public record Tree(String label, List<Tree> children) {}",
                "    public record Pair(Pair left, Pair right) {}",
                "    @WorkerPool(workers = 2, failFast = true, distributed = true)",
                "    public static Person m(String s, int i, long[] ls, Color c, Person p, Blob b, List<String> l,",
                "            Object o, Tree t, Pair pair, Integer boxed, Map.Entry<String, Path> entry, "
                        + "String[][] grid,",
                "            List<Thread>[] lists) {",
                "        return p;",
                "    }",
                "    @WorkerPool(distributed = true)",
                "    public static void sideEffect(Tree t) {}"};
        Compilation compilation = compile(owner(body));
        assertThat(compilation).succeededWithoutWarnings();
        // distributed changes no generated line
        String[] local = body.clone();
        local[8] = "    @WorkerPool(workers = 2, failFast = true)";
        local[14] = "    @WorkerPool";
        Compilation plain = compile(owner(local));
        assertThat(plain).succeededWithoutWarnings();
        for (String pool : List.of("com.example.OwnerMPool", "com.example.OwnerSideEffectPool")) {
            assertThat(compilation.generatedSourceFile(pool).orElseThrow().getCharContent(false).toString())
                    .isEqualTo(plain.generatedSourceFile(pool).orElseThrow().getCharContent(false).toString());
        }
    }

    /**
     * {@code Void} can be sent: its only value is {@code null}, which a backend sends as it sends a {@code null} of
     * any type (workerpool-hazelcast's {@code StartTest} runs such a pool). It was rejected as "a class that is
     * neither java.io.Serializable nor a record", as a return type, a parameter type and a record component.
     */
    @Test
    void voidCanBeSentAsTheResultAParameterOrAComponent() {
        Compilation compilation = compile(owner(
                "    public record Done(String label, Void nothing) {}",
                "    @WorkerPool(distributed = true)",
                "    public static Void m(String s) { return null; }",
                "    @WorkerPool(distributed = true)",
                "    public static Done n(Void v, Done d) { return d; }"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void aParameterOfAnInterfaceOutsideJavaUtilIsAnErrorOnTheParameter() {
        assertOneError(owner(
                "    @WorkerPool(distributed = true)",
                "    public static long size(",
                "            String name,",
                "            Path file) {",
                "        return 0;",
                "    }"),
                "[WorkerPoolDistributed] parameter 'file' of com.example.Owner#size(String, Path) has type "
                        + "java.nio.file.Path, which cannot be sent to other members: an interface that is neither "
                        + "java.io.Serializable nor a record. Use a type that can be sent " + SENDABLE,
                "Path file");
        // a type annotation is no part of the type's name
        assertOneError(owner(
                "    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)",
                "    @interface Checked {}",
                "    @WorkerPool(distributed = true)",
                "    public static long size(",
                "            java.nio.file.@Checked Path file) {",
                "        return 0;",
                "    }"),
                "[WorkerPoolDistributed] parameter 'file' of com.example.Owner#size(Path) has type "
                        + "java.nio.file.Path, which cannot be sent to other members:",
                "@Checked Path file");
    }

    @Test
    void aReturnTypeThatCannotBeSentIsAnErrorOnTheMethod() {
        assertOneError(owner(
                "    @WorkerPool(distributed = true)",
                "    public static Thread thread(String name) {",
                "        return new Thread(name);",
                "    }"),
                "[WorkerPoolDistributed] com.example.Owner#thread(String) returns java.lang.Thread, which cannot be "
                        + "sent back to the submitting member: a class that is neither java.io.Serializable nor a "
                        + "record. Return a type that can be sent " + SENDABLE,
                "public static Thread thread(");
        assertOneError(owner(
                "    @WorkerPool(distributed = true)",
                "    public static InputStream open(String name) {",
                "        return InputStream.nullInputStream();",
                "    }"),
                "returns java.io.InputStream, which cannot be sent back to the submitting member: an abstract class "
                        + "that is neither java.io.Serializable nor a record.",
                "public static InputStream open(");
    }

    @Test
    void aRecordIsRejectedNamingTheComponentThatCannotBeSent() {
        assertOneError(owner(
                "    public record Task(int id, Thread worker) {}",
                "    public record Batch(String name, List<Task> all, Task first) {}",
                "    @WorkerPool(distributed = true)",
                "    public static int run(",
                "            Batch batch) {",
                "        return 0;",
                "    }"),
                "[WorkerPoolDistributed] parameter 'batch' of com.example.Owner#run(Owner.Batch) has type "
                        + "com.example.Owner.Batch, which cannot be sent to other members: its component 'first' of "
                        + "type com.example.Owner.Task cannot be sent (its component 'worker' of type java.lang.Thread "
                        + "cannot be sent (a class that is neither java.io.Serializable nor a record)). Use a type "
                        + "that can be sent",
                "Batch batch)");
    }

    @Test
    void anArrayIsRejectedNamingItsElementType() {
        assertOneError(owner(
                "    @WorkerPool(distributed = true)",
                "    public static int count(",
                "            Thread[][] threads) {",
                "        return threads.length;",
                "    }"),
                "[WorkerPoolDistributed] parameter 'threads' of com.example.Owner#count(Thread[][]) has type "
                        + "java.lang.Thread[][], which cannot be sent to other members: its element type "
                        + "java.lang.Thread cannot be sent (a class that is neither java.io.Serializable nor a "
                        + "record).",
                "Thread[][] threads");
    }

    @Test
    void aTypeVariableIsJudgedByItsBound() {
        assertOneError(owner(
                "    @WorkerPool(distributed = true)",
                "    public static <T extends Thread> String name(",
                "            T thread) {",
                "        return thread.getName();",
                "    }"),
                "[WorkerPoolDistributed] parameter 'thread' of com.example.Owner#name(T) has type T, which cannot be "
                        + "sent to other members: its bound java.lang.Thread cannot be sent (a class that is neither "
                        + "java.io.Serializable nor a record).",
                "T thread)");
        // the owner's type variable, as a return type
        JavaFileObject box = source("com.example.Box",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Box<E extends Comparable<E>> {",
                "    @WorkerPool(distributed = true)",
                "    public E first(int i) { return null; }",
                "}");
        assertOneError(box, "[WorkerPoolDistributed] com.example.Box#first(int) returns E, which cannot be sent back "
                + "to the submitting member: its bound java.lang.Comparable cannot be sent (an interface that is "
                + "neither java.io.Serializable nor a record).", "public E first(");
        // serializable bounds, an unbounded variable (Object), intersections and wildcards are fine
        assertThat(compile(owner(
                "    @WorkerPool(distributed = true)",
                "    public static <T extends Serializable, U, N extends Number & Comparable<N>, "
                        + "R extends Object & Runnable>",
                "    T pick(T a, U b, N n, R r, List<? extends Thread> threads, T[] all) { return a; }"
        ))).succeededWithoutWarnings();
    }

    @Test
    void optionsTheDistributedBackendRejectsAreErrorsOnTheirValues() {
        JavaFileObject source = owner(
                "    @WorkerPool(distributed = true,",
                "            ordered = true,",
                "            timeout = \"5s\",",
                "            rate = \"50/s\",",
                "            burst = 5)",
                "    public static int m(int x) { return x; }");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(3);
        assertThat(compilation).hadErrorContaining("[WorkerPoolDistributed] ordered = true is not supported by a "
                + "distributed backend: the results of one submitter come from several members, in no order. Remove "
                + "ordered (order the results by a job component instead), or remove distributed = true.")
                .inFile(source).onLineContaining("ordered = true");
        assertThat(compilation).hadErrorContaining("[WorkerPoolDistributed] timeout \"5s\" is not supported by a "
                + "distributed backend: a job timeout is not enforced across members. Remove timeout (bound the job's "
                + "own waits instead), or remove distributed = true.").inFile(source).onLineContaining("timeout = ");
        assertThat(compilation).hadErrorContaining("[WorkerPoolDistributed] rate \"50/s\" is not supported by a "
                + "distributed backend: a limit per JVM would not bound the job starts of the whole cluster. Remove "
                + "rate (limit the calls inside the job instead), or remove distributed = true.")
                .inFile(source).onLineContaining("rate = ");
        // each on its own
        assertOneError(owner("    @WorkerPool(ordered = true, distributed = true)",
                "    public static int m(int x) { return x; }"), "[WorkerPoolDistributed] ordered = true", "ordered");
        assertOneError(owner("    @WorkerPool(distributed = true, timeout = \"PT1S\")",
                "    public static int m(int x) { return x; }"), "[WorkerPoolDistributed] timeout \"PT1S\"", "timeout");
        assertOneError(owner("    @WorkerPool(distributed = true, rate = \"1/m\")",
                "    public static int m(int x) { return x; }"), "[WorkerPoolDistributed] rate \"1/m\"", "rate = ");
        // the options' defaults, written out, are fine
        assertThat(compile(owner("    @WorkerPool(distributed = true, ordered = false, timeout = \"\", rate = \"\")",
                "    public static int m(int x) { return x; }"))).succeededWithoutWarnings();
    }

    @Test
    void everyProblemOfAMethodIsReportedTogether() {
        JavaFileObject source = owner(
                "    @WorkerPool(distributed = true,",
                "            ordered = true)",
                "    public static Thread m(",
                "            Path file,",
                "            String name,",
                "            Socket[] sockets) { return null; }",
                "    public static class Socket {}");
        Compilation compilation = compile(source);
        assertThat(compilation).hadErrorCount(4);
        assertThat(compilation).hadErrorContaining("parameter 'file'").inFile(source).onLineContaining("Path file");
        assertThat(compilation).hadErrorContaining("parameter 'sockets'").inFile(source)
                .onLineContaining("Socket[] sockets");
        assertThat(compilation).hadErrorContaining("returns java.lang.Thread").inFile(source)
                .onLineContaining("public static Thread m(");
        assertThat(compilation).hadErrorContaining("ordered = true is not supported").inFile(source)
                .onLineContaining("ordered = true)");
    }

    @Test
    void withoutDistributedNothingIsChecked() {
        for (String annotation : List.of("@WorkerPool", "@WorkerPool(distributed = false)")) {
            Compilation compilation = compile(owner(
                    "    " + annotation,
                    "    public static Thread m(Path file, Thread[] threads) { return null; }",
                    "    @WorkerPool(ordered = true, timeout = \"5s\", rate = \"50/s\", distributed = false)",
                    "    public static int n(int x) { return x; }"));
            assertThat(compilation).succeededWithoutWarnings();
        }
    }

    @Test
    void typesTheCompilerCannotResolveNeverCrashTheCheck() {
        // a record component of a missing type: javac's error, and no other
        Compilation compilation = compile(owner(
                "    public record Holder(Missing missing) {}",
                "    @WorkerPool(distributed = true)",
                "    public static int m(Holder holder) { return 0; }"));
        assertThat(compilation).failed();
        for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
            assertThat(error.getMessage(null)).doesNotContain("[WorkerPoolInternal]");
            assertThat(error.getMessage(null)).doesNotContain("[WorkerPoolDistributed]");
        }
        // a missing parameter type: javac's error alone, as without distributed
        Compilation missing = compile(owner(
                "    @WorkerPool(distributed = true)",
                "    public static int m(Missing missing) { return 0; }"));
        assertThat(missing).hadErrorCount(1);
        assertThat(missing).hadErrorContaining("cannot find symbol");
    }
}
