package dev.workerpool.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** Compiles test sources through the processor, and checks what the compilation reported. */
final class Sources {
    private Sources() {}

    /** A source file named after its public type; {@code lines} are joined with newlines. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /** {@code com.example.Owner}, which imports {@code WorkerPool}, with these lines as its body. */
    static JavaFileObject owner(String... body) {
        String[] lines = new String[body.length + 4];
        lines[0] = "package com.example;";
        lines[1] = "import dev.workerpool.WorkerPool;";
        lines[2] = "public class Owner {";
        System.arraycopy(body, 0, lines, 3, body.length);
        lines[lines.length - 1] = "}";
        return source("com.example.Owner", lines);
    }

    static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new WorkerPoolProcessor()).withOptions("-Xlint:all").compile(sources);
    }

    /** Compiles with this class path instead of the test run's. */
    static Compilation compileOnClassPath(List<File> classPath, JavaFileObject... sources) {
        return javac().withProcessors(new WorkerPoolProcessor()).withOptions("-Xlint:all").withClasspath(classPath)
                .compile(sources);
    }

    /** Compiles for a given {@code --release}. */
    static Compilation compileForRelease(int release, JavaFileObject... sources) {
        return javac().withProcessors(new WorkerPoolProcessor())
                .withOptions("-Xlint:all", "--release", String.valueOf(release))
                .compile(sources);
    }

    /** Compiles {@code source} and asserts exactly one error, with this text, on the line containing {@code line}. */
    static void assertOneError(JavaFileObject source, String text, String line) {
        assertOneError(compile(source), source, text, line);
    }

    /**
     * Asserts that {@code compilation} reported exactly one error, and that it has this text and is in
     * {@code file} on the line containing {@code line}.
     */
    static void assertOneError(Compilation compilation, JavaFileObject file, String text, String line) {
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation).hadErrorContaining(text).inFile(file).onLineContaining(line);
    }

    /** This test run's class path (the processor, the runtime, the annotations), then {@code extra}. */
    static List<File> classPathWith(File... extra) {
        List<File> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(new File(entry));
        }
        classPath.addAll(List.of(extra));
        return classPath;
    }

    /** Compiles {@code sources}, without the processor, into class files in {@code out}. */
    static void compileClasses(Path out, JavaFileObject... sources) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            if (!compiler.getTask(null, files, null, null, null, List.of(sources)).call()) {
                throw new AssertionError("the classes for the class path did not compile");
            }
        }
    }

    /**
     * The names of the source files that the processor generated for {@code sources}, sorted, written to
     * {@code dir/out}; compile-testing hides them when the compilation fails.
     */
    static List<String> generatedBy(Path dir, JavaFileObject... sources) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(out.toFile()));
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostic -> { }, null, null,
                    List.of(sources));
            task.setProcessors(List.of(new WorkerPoolProcessor()));
            task.call();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return walk.filter(f -> f.toString().endsWith(".java")).map(f -> f.getFileName().toString()).sorted()
                    .toList();
        }
    }
}
