package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The canonical example's generated source, compared strictly: byte for byte, and as a syntax tree. One
 * golden file, to catch "correct but weird" output; everything else is tested by behaviour.
 *
 * <p>After an intended change to the output, regenerate it with
 * {@code mvn -pl processor test -Dtest=GoldenFileTest -Dgolden.update=true} and review the diff.
 */
class GoldenFileTest {

    static final JavaFileObject THUMBNAILER = source("com.example.Thumbnailer",
            "package com.example;",
            "",
            "import dev.workerpool.WorkerPool;",
            "import java.io.IOException;",
            "import java.nio.file.Path;",
            "",
            "public class Thumbnailer {",
            "    @WorkerPool(workers = 3, buffer = 10)",
            "    public Thumbnail resize(Path image, int width) throws IOException {",
            "        return new Thumbnail(image, width);",
            "    }",
            "}");
    static final JavaFileObject THUMBNAIL = source("com.example.Thumbnail",
            "package com.example;",
            "",
            "public record Thumbnail(java.nio.file.Path image, int width) {}");

    private static final String GOLDEN = "golden/ThumbnailerResizePool.java";

    @Test
    void canonicalExampleMatchesTheGoldenFileAndCompilesWithoutWarnings() throws IOException {
        Compilation compilation = compile(THUMBNAILER, THUMBNAIL);
        assertThat(compilation).succeededWithoutWarnings();
        JavaFileObject generated = compilation.generatedSourceFile("com.example.ThumbnailerResizePool").orElseThrow();
        String actual = generated.getCharContent(false).toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(compilation).generatedSourceFile("com.example.ThumbnailerResizePool")
                .hasSourceEquivalentTo(JavaFileObjects.forResource(GOLDEN));
    }

    @Test
    void outputIsDeterministic() throws IOException {
        String first = compile(THUMBNAILER, THUMBNAIL).generatedSourceFile("com.example.ThumbnailerResizePool")
                .orElseThrow().getCharContent(false).toString();
        String second = compile(THUMBNAIL, THUMBNAILER).generatedSourceFile("com.example.ThumbnailerResizePool")
                .orElseThrow().getCharContent(false).toString();
        assertThat(second).isEqualTo(first);
    }
}
