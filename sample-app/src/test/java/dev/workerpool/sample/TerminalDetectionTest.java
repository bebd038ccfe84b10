package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live bar is drawn where stderr is a terminal, and only there: whether stdin and stdout are terminals does
 * not matter (the bar is drawn on stderr). Each test runs the demo in a JVM of its own on a pseudo-terminal that
 * util-linux's {@code script} opens, with one stream redirected to a file by the shell.
 */
class TerminalDetectionTest {

    @TempDir
    Path dir;

    private Path tree;

    @BeforeEach
    void checkScriptAndMakeATree() throws IOException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "util-linux script: Linux only");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no /usr/bin/script");
        tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(tree.resolve("f" + i), "x".repeat(i));
        }
    }

    /** {@code hash 2> err.txt} on a terminal: stderr is a file, so plain lines there, and no bar. */
    @Test
    void stderrRedirectedToAFileGetsPlainLinesNotTheBar() throws Exception {
        Path err = dir.resolve("err.txt");
        String screen = onATerminal(demo("hash", tree.toString()) + " 2> " + quote(err.toString()));
        String log = Files.readString(err, StandardCharsets.UTF_8);
        assertFalse(log.contains("\r"), "a bar, redrawn with carriage returns, in a file:\n"
                + log.replace("\r", "\\r"));
        assertEquals(List.of("hash: 5 of 5 files (100%)"), log.lines().toList(), log + "\n(screen: " + screen + ")");
    }

    /** {@code hash > out.txt} on a terminal: stderr is still the terminal, so the bar is drawn there. */
    @Test
    void stdoutRedirectedToAFileStillGetsTheBarOnTheTerminal() throws Exception {
        Path out = dir.resolve("out.txt");
        String screen = onATerminal(demo("hash", tree.toString()) + " > " + quote(out.toString()));
        assertTrue(screen.contains("\rhash 100% ["), "the live bar on the terminal:\n" + screen.replace("\r", "\\r"));
        assertFalse(screen.contains("hash: 5 of 5 files"), "no plain line on a terminal:\n" + screen);
        assertTrue(Files.readString(out).matches("(?s).*\\| files\\s+\\|\\s+5 \\|.*"), Files.readString(out));
    }

    /** The shell command that runs the demo as a user does, its arguments quoted. */
    private static String demo(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), DemoApp.class.getName()));
        command.addAll(Arrays.asList(args));
        return command.stream().map(TerminalDetectionTest::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Runs a shell command on a pseudo-terminal; returns what the terminal showed. */
    private String onATerminal(String command) throws Exception {
        Path typescript = dir.resolve("typescript.txt");
        Process script = new ProcessBuilder("/usr/bin/script", "-q", "-e", "-c", command, typescript.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(dir.resolve("script-out.txt").toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!script.waitFor(2, TimeUnit.MINUTES)) {
                throw new AssertionError("the demo did not end on its terminal; threads here:\n" + threadDump());
            }
        } finally {
            script.getOutputStream().close();
            script.destroyForcibly();
        }
        String screen = Files.readString(typescript, StandardCharsets.UTF_8);
        assertEquals(0, script.exitValue(), screen);
        return screen;
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(thread);
        }
        return dump.toString();
    }
}
