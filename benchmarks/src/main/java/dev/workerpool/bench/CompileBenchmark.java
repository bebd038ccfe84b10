package dev.workerpool.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** javac on 500 annotated methods (50 classes x 10), with the processor and without (-proc:none). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class CompileBenchmark {

    @Param({"with-processor", "without-processor"})
    public String mode;

    private Path sources;
    private final List<String> files = new ArrayList<>();
    private int round;

    @Setup(Level.Trial)
    public void writeSources() throws IOException {
        sources = Files.createTempDirectory("workerpool-compile-bench");
        Path pkg = Files.createDirectories(sources.resolve("src/bench"));
        for (int c = 0; c < 50; c++) {
            StringBuilder text = new StringBuilder("package bench;\nimport dev.workerpool.WorkerPool;\n"
                    + "public class Owner" + c + " {\n");
            for (int m = 0; m < 10; m++) {
                text.append("    @WorkerPool(workers = 2, buffer = 4)\n    public String job").append(m)
                        .append("(int id, String name, java.util.List<String> tags) throws java.io.IOException {\n")
                        .append("        return name + id + tags;\n    }\n");
            }
            Path file = pkg.resolve("Owner" + c + ".java");
            Files.writeString(file, text.append("}\n"));
            files.add(file.toString());
        }
    }

    @Benchmark
    public int compile() {
        Path out = sources.resolve("out" + round++);
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-s", out.toString(),
                "-classpath", System.getProperty("java.class.path"), "--release", "17"));
        if (mode.equals("with-processor")) {
            args.addAll(List.of("-processorpath", System.getProperty("java.class.path"),
                    "-processor", "dev.workerpool.processor.WorkerPoolProcessor"));
        } else {
            args.add("-proc:none");
        }
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, OutputStream.nullOutputStream(), OutputStream.nullOutputStream(),
                args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("javac failed: " + code);
        }
        return code;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
