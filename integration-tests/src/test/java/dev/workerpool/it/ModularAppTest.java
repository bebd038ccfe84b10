package dev.workerpool.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workerpool.WorkerPool;
import dev.workerpool.runtime.PoolStats;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime as Java modules: a named-module application ({@code requires dev.workerpool.runtime; requires
 * static dev.workerpool;}) compiled through the processor on the module path, run with {@code java -m}, and
 * linked by jlink into an image without {@code jdk.jfr} (the runtime's {@code requires static jdk.jfr}) that runs
 * it too. The jars (or, under {@code mvn test}, the classes directories) are those of the reactor: found from
 * the classes this test loads.
 */
class ModularAppTest {
    /** Every child process and tool gets this long; only reached when something is stuck. */
    private static final long LIMIT_SECONDS = 60;
    private static final int JOBS = 1_000;
    /** The sum of n * n for n = 1..JOBS. */
    private static final long CHECKSUM = (long) JOBS * (JOBS + 1) * (2L * JOBS + 1) / 6;

    private static final String MODULE_INFO = """
            module demo.app {
                requires dev.workerpool.runtime;
                requires static dev.workerpool;
            }
            """;

    private static final String SQUARES = """
            package demo.app;

            import dev.workerpool.WorkerPool;

            public class Squares {
                @WorkerPool(workers = 3, buffer = 4)
                public long square(int n) {
                    return (long) n * n;
                }
            }
            """;

    private static final String MAIN = """
            package demo.app;

            /** Submits 1..n from a producer thread, reads the results here, and prints their count and checksum. */
            public final class Main {
                public static void main(String[] args) throws Exception {
                    int n = Integer.parseInt(args[0]);
                    SquaresSquarePool pool = SquaresSquarePool.start(new Squares());
                    Thread producer = new Thread(() -> {
                        try (pool) {
                            for (int i = 1; i <= n; i++) {
                                pool.submit(i);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "producer");
                    producer.start();
                    long sum = 0;
                    int count = 0;
                    for (SquaresSquarePool.Result r : pool.results()) {
                        if (r.error() != null) {
                            throw new IllegalStateException("job " + r.job(), r.error());
                        }
                        sum += r.value();
                        count++;
                    }
                    pool.await();
                    producer.join();
                    System.out.println("module=" + Main.class.getModule().getName()
                            + " results=" + count + " checksum=" + sum
                            + " jfr=" + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
                }
            }
            """;

    private static Path annotations;
    private static Path runtime;
    private static Path processor;
    private static Path javapoet;

    @BeforeAll
    static void locateTheReactorsArtifacts() throws Exception {
        annotations = location(WorkerPool.class);
        runtime = location(PoolStats.class);
        processor = location(Class.forName("dev.workerpool.processor.WorkerPoolProcessor", false,
                ModularAppTest.class.getClassLoader()));
        javapoet = location(Class.forName("com.palantir.javapoet.JavaFile", false,
                ModularAppTest.class.getClassLoader()));
    }

    @Test
    void moduleDescriptors() {
        ModuleDescriptor rt = descriptor(runtime);
        assertEquals("dev.workerpool.runtime", rt.name());
        assertFalse(rt.isAutomatic() || rt.isOpen(), rt.toString());
        assertEquals(Set.of("dev.workerpool.runtime", "dev.workerpool.runtime.spi"),
                rt.exports().stream().map(Exports::source).collect(Collectors.toSet()));
        assertTrue(rt.exports().stream().noneMatch(Exports::isQualified), rt.exports().toString());
        assertTrue(rt.opens().isEmpty(), rt.opens().toString());
        assertTrue(rt.packages().contains("dev.workerpool.runtime.internal"), rt.packages().toString());
        Requires jfr = rt.requires().stream().filter(r -> r.name().equals("jdk.jfr")).findFirst().orElseThrow();
        assertEquals(Set.of(Requires.Modifier.STATIC), jfr.modifiers());

        ModuleDescriptor api = descriptor(annotations);
        assertEquals("dev.workerpool", api.name());
        assertFalse(api.isAutomatic(), api.toString());
        assertEquals(Set.of("dev.workerpool"), api.exports().stream().map(Exports::source).collect(Collectors.toSet()));
    }

    @Test
    void processorJarHasAnAutomaticModuleName() throws IOException {
        assumeTrue(Files.isRegularFile(processor), "the processor is a classes directory (mvn test): no manifest");
        try (JarFile jar = new JarFile(processor.toFile())) {
            assertEquals("dev.workerpool.processor",
                    jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
        assertEquals("dev.workerpool.processor", descriptor(processor).name());
    }

    @Test
    void namedModuleAppRunsOnTheModulePathAndInAJlinkImageWithoutJfr(@TempDir Path dir) throws Exception {
        Path classes = compile(dir, List.of());
        Path generated = dir.resolve("generated/demo/app/SquaresSquarePool.java");
        assertTrue(Files.isRegularFile(generated), "the processor wrote the pool");
        // @Generated lives in java.compiler, which this app does not read: the processor leaves it out, unless the
        // runtime hands java.compiler on to its readers (requires static transitive java.compiler).
        assertEquals(readsJavaCompiler(), Files.readString(generated).contains("@Generated"));

        String expected = "module=demo.app results=" + JOBS + " checksum=" + CHECKSUM;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String modulePath = classes + File.pathSeparator + runtime;
        String out = run(List.of(java.toString(), "--module-path", modulePath, "-m", "demo.app/demo.app.Main",
                String.valueOf(JOBS)));
        assertTrue(out.contains(expected), out);

        Path image = dir.resolve("image");
        tool("jlink", "--module-path", modulePath, "--add-modules", "demo.app", "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", image.toString());
        String modules = Files.readAllLines(image.resolve("release")).stream()
                .filter(line -> line.startsWith("MODULES=")).findFirst().orElseThrow();
        assertEquals(Set.of("java.base", "dev.workerpool.runtime", "demo.app"),
                Set.of(modules.substring("MODULES=".length()).replace("\"", "").trim().split(" ")));
        String imageOut = run(List.of(image.resolve("bin/java").toString(), "-m", "demo.app/demo.app.Main",
                String.valueOf(JOBS)));
        assertTrue(imageOut.contains(expected + " jfr=false"), imageOut);
    }

    /**
     * With java.compiler in the module graph (here --add-modules; in real builds any dependency that requires
     * it) the processor finds {@code @Generated}: the app must read java.compiler then, which it does only if the
     * runtime declares {@code requires static transitive java.compiler}.
     */
    @Test
    void javaCompilerInTheGraph(@TempDir Path dir) throws Exception {
        assumeTrue(readsJavaCompiler(), "the runtime does not declare requires static transitive java.compiler");
        compile(dir, List.of("--add-modules", "java.compiler"));
        assertTrue(Files.readString(dir.resolve("generated/demo/app/SquaresSquarePool.java")).contains("@Generated"));
    }

    private static boolean readsJavaCompiler() {
        return descriptor(runtime).requires().stream().anyMatch(r -> r.name().equals("java.compiler")
                && r.modifiers().contains(Requires.Modifier.TRANSITIVE));
    }

    /** Compiles demo.app through the processor, every lint on and warnings as errors; returns its classes. */
    private static Path compile(Path dir, List<String> extraOptions) throws IOException {
        Path src = dir.resolve("src");
        Map<String, String> sourceFiles = Map.of("module-info.java", MODULE_INFO,
                "demo/app/Squares.java", SQUARES, "demo/app/Main.java", MAIN);
        List<String> options = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror",
                "--module-path", annotations + File.pathSeparator + runtime,
                "--processor-path", processor + File.pathSeparator + javapoet,
                "-d", dir.resolve("classes").toString(), "-s", dir.resolve("generated").toString()));
        options.addAll(extraOptions);
        List<Path> sources = new ArrayList<>();
        for (Map.Entry<String, String> file : sourceFiles.entrySet()) {
            Path path = src.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
            sources.add(path);
        }
        Files.createDirectories(dir.resolve("generated"));
        JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, UTF_8)) {
            boolean ok = javac.getTask(diagnostics, files, null, options, null,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, "javac " + options + " " + sources + "\n" + diagnostics);
        }
        return dir.resolve("classes");
    }

    private static void tool(String name, String... args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new AssertionError("no " + name));
        StringWriter out = new StringWriter();
        int rc;
        try (PrintWriter writer = new PrintWriter(out)) {
            rc = tool.run(writer, writer, args);
        }
        assertEquals(0, rc, name + " " + List.of(args) + "\n" + out);
    }

    /** Runs a child process; bounded, destroyed on time-out; returns its output (stdout and stderr) on exit 0. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("modular-app", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("timed out after " + LIMIT_SECONDS + " s: " + command + "\n" + Files.readString(log, UTF_8));
            }
            String out = Files.readString(log, UTF_8);
            assertEquals(0, process.exitValue(), command + "\n" + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static ModuleDescriptor descriptor(Path location) {
        return ModuleFinder.of(location).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module at " + location)).descriptor();
    }

    /** The jar, or the classes directory, that a class was loaded from. */
    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
