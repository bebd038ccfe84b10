package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated pool is public API of the user's project, and its Javadoc goes into the user's Javadoc jar (Maven's
 * javadoc plugin documents the generated sources with the rest): it must pass the javadoc tool's strictest
 * checks, {@code -Xdoclint:all} with warnings as errors, so that it adds no warning to the user's build.
 */
class GeneratedJavadocTest {

    /**
     * A void static method, a generic one, a varargs one and a method of a generic class: the shapes whose Javadoc
     * differs from the goldens'.
     */
    private static final JavaFileObject SHAPES = source("com.example.Shapes",
            "package com.example;",
            "",
            "import dev.workerpool.WorkerPool;",
            "import java.util.List;",
            "",
            "public class Shapes {",
            "    @WorkerPool(workers = 2, buffer = 4)",
            "    public static void log(String line) throws InterruptedException {",
            "    }",
            "",
            "    @WorkerPool(workers = 2, buffer = 4)",
            "    public static <T extends Comparable<T>> T max(List<T> values) {",
            "        return values.get(0);",
            "    }",
            "",
            "    @WorkerPool(workers = 2, buffer = 4, failFast = true)",
            "    public <E> int count(E element, String... names) throws java.io.IOException {",
            "        return names.length;",
            "    }",
            "",
            "    public static class Box<B extends Number & Comparable<B>> {",
            "        @WorkerPool(workers = 2, buffer = 4, timeout = \"1s\")",
            "        public <E extends B> B[] with(E element, B[] all) throws Exception {",
            "            return all;",
            "        }",
            "    }",
            "}");

    @Test
    void theGoldenPoolsPassDoclintAll(@TempDir Path dir) throws IOException {
        assertDoclintClean(dir, compile(GoldenFileTest.THUMBNAILER, GoldenFileTest.THUMBNAIL),
                GoldenFileTest.THUMBNAILER, GoldenFileTest.THUMBNAIL);
        assertDoclintClean(dir.resolve("options"), compile(GoldenFileTest.CRAWLER), GoldenFileTest.CRAWLER);
    }

    @Test
    void voidGenericAndVarargsPoolsPassDoclintAll(@TempDir Path dir) throws IOException {
        assertDoclintClean(dir, compile(SHAPES), SHAPES);
    }

    /**
     * Runs javadoc over the generated sources only (the user's sources on the source path, so they are read but
     * not documented), every doclint group on and warnings as errors.
     */
    private static void assertDoclintClean(Path dir, Compilation compilation, JavaFileObject... userSources)
            throws IOException {
        assertThat(compilation).succeededWithoutWarnings();
        Path sourcePath = dir.resolve("src");
        for (JavaFileObject source : userSources) {
            write(sourcePath, source);
        }
        List<String> generated = new ArrayList<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            generated.add(write(dir.resolve("generated"), file).toString());
        }
        assertThat(generated).isNotEmpty();
        List<String> args = new ArrayList<>(List.of("-quiet", "-Xdoclint:all", "-Werror",
                "-sourcepath", sourcePath.toString(), "-classpath", System.getProperty("java.class.path"),
                "-d", dir.resolve("doc").toString()));
        args.addAll(generated);
        ToolProvider javadoc = ToolProvider.findFirst("javadoc").orElseThrow();
        StringWriter out = new StringWriter();
        int exit;
        try (PrintWriter writer = new PrintWriter(out)) {
            exit = javadoc.run(writer, writer, args.toArray(String[]::new));
        }
        assertThat(out.toString()).doesNotContain("warning");
        assertWithMessage(out.toString()).that(exit).isEqualTo(0);
    }

    /** Writes a source file under {@code root} at the path its package gives it. */
    private static Path write(Path root, JavaFileObject source) throws IOException {
        String name = source.toUri().getPath();
        String relative = name.substring(name.lastIndexOf("/com/") + 1);
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.writeString(path, source.getCharContent(false), StandardCharsets.UTF_8);
        return path;
    }
}
