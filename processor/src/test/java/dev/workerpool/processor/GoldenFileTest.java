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
 * Generated sources compared strictly, byte for byte and as a syntax tree: the canonical example, and a pool
 * with every option that compiles on release 17. Golden files catch "correct but weird" output; everything
 * else is tested by behaviour.
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

    /**
     * Every behaviour attribute that compiles on release 17: what options change in the generated class. It
     * returns a primitive (an HTTP status), so that this golden file also pins the unboxed Result.
     */
    static final JavaFileObject CRAWLER = source("com.example.Crawler",
            "package com.example;",
            "",
            "import dev.workerpool.WorkerPool;",
            "import java.io.IOException;",
            "import java.net.URI;",
            "",
            "public class Crawler {",
            "    @WorkerPool(workers = 8, buffer = 32, ordered = true, failFast = true, timeout = \"5s\",",
            "            rate = \"50/s\", burst = 5)",
            "    public int fetch(URI page) throws IOException {",
            "        return page.getPort();",
            "    }",
            "}");

    @Test
    void canonicalExampleMatchesTheGoldenFileAndCompilesWithoutWarnings() throws IOException {
        assertGolden(compile(THUMBNAILER, THUMBNAIL), "com.example.ThumbnailerResizePool");
    }

    @Test
    void poolWithOptionsMatchesItsGoldenFileAndCompilesWithoutWarnings() throws IOException {
        assertGolden(compile(CRAWLER), "com.example.CrawlerFetchPool");
    }

    private void assertGolden(Compilation compilation, String className) throws IOException {
        String golden = "golden/" + className.substring(className.lastIndexOf('.') + 1) + ".java";
        assertThat(compilation).succeededWithoutWarnings();
        JavaFileObject generated = compilation.generatedSourceFile(className).orElseThrow();
        String actual = generated.getCharContent(false).toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources", golden), actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(golden)) {
            assertThat(in).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(compilation).generatedSourceFile(className)
                .hasSourceEquivalentTo(JavaFileObjects.forResource(golden));
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
