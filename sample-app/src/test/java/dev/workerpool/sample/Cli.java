package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs the demo's command line as a user does, capturing what it prints (for the commands' own test classes). */
final class Cli {
    private Cli() {}

    /** What one run printed, and its exit code. */
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DemoApp.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code java JVM_OPTIONS -cp <this test class path> DemoApp ARGS}: the demo in a JVM of its own. */
    static List<String> childCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DemoApp.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code command} in the directory {@code work}, with its standard input closed and its output in
     * temporary files (deleted after, so that nothing is added to {@code work}, which may be read-only). Fails the
     * calling test, with what it printed, if it has not ended within {@code bound}; it is then killed, so a command
     * that hangs does not hang the build.
     */
    static Run inChild(Path work, Duration bound, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("child-stdout", ".txt");
        Path err = Files.createTempFile("child-stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            try {
                boolean ended = process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(ended, () -> "not ended within " + bound + ": " + String.join(" ", command.subList(
                        Math.max(0, command.size() - 4), command.size())) + "\n" + read(out) + read(err));
            } finally {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            return new Run(process.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }
}
