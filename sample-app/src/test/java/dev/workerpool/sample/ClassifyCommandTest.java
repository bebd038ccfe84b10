package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code classify} end to end, through the command line, with stdin and stdout replaced by the test's streams. */
class ClassifyCommandTest {

    @TempDir
    Path dir;

    /** Runs the demo with {@code stdin} as its standard input and {@code out} as its standard output. */
    static int run(InputStream stdin, Writer out, StringWriter err, String... args) {
        CommandLine cli = DemoApp.commandLine();
        ((DemoApp) cli.getCommand()).in = stdin;
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static final String[] LEVELS = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE", "FATAL", "WARNING", "notice"};
    private static final String[] MESSAGES = {
        "GET /api/orders/%d HTTP/1.1 200 12ms",
        "login failed for user%d from 10.0.0.7",
        "SQLException: deadlock detected on orders row %d",
        "cache warmed with %d entries",
        "token expired for session %d",
        "select name from students where id = %d",
        "upstream returned status=503 for https://example.com/items/%d",
        "",
        "Unauthorized: POST /admin/%d",
    };

    /** Input line {@code i}: levels and categories of every kind, in combinations that vary from line to line. */
    static String line(int i) {
        return "2026-12-05T01:02:03." + String.format("%03d", i % 1000) + " " + LEVELS[i % LEVELS.length]
                + " [worker-" + (i % 7) + "] " + String.format(MESSAGES[i % MESSAGES.length], i);
    }

    /** Lines 0 to n-1, generated as they are read: a million lines without holding them in memory. */
    static final class GeneratedInput extends InputStream {
        private final int lines;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        GeneratedInput(int lines) {
            this.lines = lines;
        }

        private boolean fill() {
            if (position < current.length) {
                return true;
            }
            if (next == lines) {
                return false;
            }
            current = (line(next++) + "\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && fill()) {
                int k = Math.min(len - n, current.length - position);
                System.arraycopy(current, position, b, off + n, k);
                position += k;
                n += k;
            }
            return n == 0 ? -1 : n;
        }
    }

    /** Checks each output line, as it is written, against the sequential classification of the same input line. */
    static final class CheckingOutput extends Writer {
        private final StringBuilder current = new StringBuilder();
        final CountDownLatch firstLine = new CountDownLatch(1);
        int lines;
        String firstMismatch;

        @Override
        public void write(char[] buffer, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buffer[i] != '\n') {
                    current.append(buffer[i]);
                    continue;
                }
                String expected = LogClassifier.label(line(lines));
                if (firstMismatch == null && !expected.contentEquals(current)) {
                    firstMismatch = "line " + lines + ": expected\n" + expected + "\nbut was\n" + current;
                }
                current.setLength(0);
                lines++;
                firstLine.countDown();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aMillionLinesComeOutInInputOrderClassifiedAsSequentially() {
        int n = 1_000_000;
        CheckingOutput out = new CheckingOutput();
        StringWriter err = new StringWriter();
        int code = run(new GeneratedInput(n), out, err, "classify", "--workers", "4", "--buffer", "8", "--batch",
                "100");
        assertEquals(0, code, err.toString());
        assertNull(out.firstMismatch, out.firstMismatch);
        assertEquals(n, out.lines, "one output line per input line");
        assertTrue(err.toString().matches("(?s).*\\| lines\\s+\\|\\s+1,000,000 \\|.*"), err.toString());
        assertTrue(err.toString().matches("(?s).*\\| workers / buffer / batch\\s+\\|\\s+4 / 8 / 100 \\|.*"),
                err.toString());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void outputStartsBeforeTheInputEnds() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 64 * 1024);
        CheckingOutput out = new CheckingOutput();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread command = new Thread(() -> code.set(run(stdin, out, err, "classify")), "classify-under-test");
        command.start();
        try {
            feed.write((line(0) + "\n" + line(1) + "\n").getBytes(StandardCharsets.UTF_8));
            feed.flush();
            // The input is still open: nothing but streaming can print a line now.
            assertTrue(out.firstLine.await(60, TimeUnit.SECONDS), "the first line is printed while the input is open");
            assertTrue(command.isAlive(), "the command is still waiting for input");
            for (int i = 2; i < 1_000; i++) {
                feed.write((line(i) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            feed.close();
        }
        command.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(command.isAlive(), "the command ends when the input ends");
        assertEquals(0, code.get(), err.toString());
        assertNull(out.firstMismatch, out.firstMismatch);
        assertEquals(1_000, out.lines);
    }

    @Test
    void readsAFileAndPrintsTheDocumentedClasses() throws IOException {
        Path log = Files.write(dir.resolve("app.log"), List.of(
                "2026-12-05 10:00:01 INFO  GET /index.html HTTP/1.1 200",
                "2026-12-05 10:00:02 WARNING password expires in 3 days",
                "2026-12-05 10:00:03 FATAL SQLException: connection refused",
                "2026-12-05 10:00:04 DEBUG cache hit ratio 0.93",
                "just text, no level",
                "TRACE ERROR: the first level word wins"), StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(new ByteArrayInputStream(new byte[0]), out, err, "classify", "--file", log.toString()),
                err.toString());
        assertEquals(List.of(
                "INFO  http  2026-12-05 10:00:01 INFO  GET /index.html HTTP/1.1 200",
                "WARN  auth  2026-12-05 10:00:02 WARNING password expires in 3 days",
                "ERROR db    2026-12-05 10:00:03 FATAL SQLException: connection refused",
                "DEBUG other 2026-12-05 10:00:04 DEBUG cache hit ratio 0.93",
                "-     other just text, no level",
                "TRACE other TRACE ERROR: the first level word wins"), out.toString().lines().toList());
        assertTrue(err.toString().matches("(?s).*\\| level ERROR\\s+\\|\\s+1 \\|.*"), err.toString());
        assertTrue(err.toString().matches("(?s).*\\| category other\\s+\\|\\s+3 \\|.*"), err.toString());

        StringWriter quietOut = new StringWriter();
        assertEquals(0, run(new ByteArrayInputStream(new byte[0]), quietOut, new StringWriter(),
                "classify", "--file", log.toString(), "--quiet"));
        assertTrue(quietOut.toString().startsWith("+"), "only the summary: " + quietOut);
        assertTrue(quietOut.toString().matches("(?s).*\\| lines\\s+\\|\\s+6 \\|.*"), quietOut.toString());
    }

    /**
     * Memory stays bounded whatever the lines' length, not only whatever their number: a job is sent once it holds
     * {@value ClassifyCommand#MAX_BATCH_CHARS} characters, whatever {@code --batch} says. A file of 400 lines of
     * 200,000 characters (80 MB, all of it ready to read, so batches fill up) goes through a JVM with a 64 MB heap
     * at the default {@code --batch} of 256 lines, which would be 51 MB a job if jobs counted lines only.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void longLinesGoThroughASmallHeap() throws Exception {
        Path log = dir.resolve("long.log");
        try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 400; i++) {
                writer.write((i % 2 == 0 ? "INFO " : "ERROR ") + "x".repeat(200_000) + " line " + i + "\n");
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("out.txt");
        Path errors = dir.resolve("err.txt");
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                DemoApp.class.getName(), "classify", "--file", log.toString(), "--quiet", "--workers", "2")
                .redirectOutput(out.toFile()).redirectError(errors.toFile()).start();
        process.getOutputStream().close(); // stdin: not read
        try {
            assertTrue(process.waitFor(4, TimeUnit.MINUTES), "classify ended");
        } finally {
            process.destroyForcibly();
        }
        String stdout = Files.readString(out);
        assertEquals(0, process.exitValue(), Files.readString(errors) + stdout);
        assertTrue(stdout.matches("(?s).*\\| lines\\s+\\|\\s+400 \\|.*"), stdout);
        assertTrue(stdout.matches("(?s).*\\| level ERROR\\s+\\|\\s+200 \\|.*"), stdout);
    }

    /**
     * Bytes that are not UTF-8 (a Latin-1 line in a UTF-8 log) are read as U+FFFD from a file, as from stdin: the
     * line is classified and printed, and the run is not cut short half-way with exit code 2.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void bytesThatAreNotUtf8AreReplacedInAFileAsOnStdin() throws IOException {
        byte[] log = "INFO ok\nERROR caf\u00e9 login\nWARN after\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("INFO  other INFO ok", "ERROR auth  ERROR caf\uFFFD login", "WARN  other WARN after"),
                classifiedFromFileAndStdinAlike(log, "latin1.log").out().lines().toList());
    }

    /** What {@code classify} printed: its output (the same from a file and from stdin), and each run's stderr. */
    private record Classified(String out, String fileErr, String stdinErr) {
    }

    /**
     * Runs {@code classify} on {@code log} written to a file named {@code name} ({@code --file}), then on the same
     * bytes from stdin; asserts both exit 0 with the same output.
     */
    private Classified classifiedFromFileAndStdinAlike(byte[] log, String name) throws IOException {
        Path file = Files.write(dir.resolve(name), log);
        StringWriter fromFile = new StringWriter();
        StringWriter fileErr = new StringWriter();
        assertEquals(0, run(new ByteArrayInputStream(new byte[0]), fromFile, fileErr, "classify", "--file",
                file.toString()), fileErr.toString());
        StringWriter fromStdin = new StringWriter();
        StringWriter stdinErr = new StringWriter();
        assertEquals(0, run(new ByteArrayInputStream(log), fromStdin, stdinErr, "classify"), stdinErr.toString());
        assertEquals(fromFile.toString(), fromStdin.toString());
        return new Classified(fromFile.toString(), fileErr.toString(), stdinErr.toString());
    }

    /**
     * Lines end at LF or CRLF only: a lone carriage return stays in its line (it does not split it in two), from a
     * file as from stdin; a CR at the very end, with no LF after it, stays too.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aLoneCarriageReturnStaysInItsLineInAFileAsOnStdin() throws IOException {
        byte[] log = "INFO a\rb login\r\nERROR c\rWARN d\n\r\nDEBUG tail\r".getBytes(StandardCharsets.UTF_8);
        Classified classified = classifiedFromFileAndStdinAlike(log, "cr.log");
        assertEquals(List.of("INFO  auth  INFO a\rb login", "ERROR other ERROR c\rWARN d", "-     other ",
                "DEBUG other DEBUG tail\r"), List.of(classified.out().split("\n")));
        for (String err : List.of(classified.fileErr(), classified.stdinErr())) {
            assertTrue(err.matches("(?s).*\\| lines\\s+\\|\\s+4 \\|.*"), err);
        }
        String help = Cli.run("classify", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("A line ends at LF or CRLF (a lone CR stays in its line)."), help);
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"classify", "--workers", "0"});
        cases.add(new String[] {"classify", "--buffer", "-1"});
        cases.add(new String[] {"classify", "--batch", "0"});
        cases.add(new String[] {"classify", "--file", dir.resolve("missing.log").toString()});
        cases.add(new String[] {"classify", "--batch", "2000000000"}); // each job holds its lines: bounded
        cases.add(new String[] {"classify", "--buffer", "2000000000"}); // the pool allocates its buffer up front
        cases.add(new String[] {"classify", "--workers", "many"});
        cases.add(new String[] {"classify", "--colour", "blue"});
        cases.add(new String[] {"classify", "--workers", "100000"});
        List<String> expected = List.of(
                "workerpool-demo classify: --workers must be at least 1, was 0",
                "workerpool-demo classify: --buffer must be at least 0, was -1",
                "workerpool-demo classify: --batch must be between 1 and 65,536, was 0",
                "workerpool-demo classify: file not found: " + dir.resolve("missing.log"),
                "workerpool-demo classify: --batch must be between 1 and 65,536, was 2000000000",
                "workerpool-demo classify: --buffer must be at most 1,048,576, was 2000000000");
        for (int i = 0; i < cases.size(); i++) {
            StringWriter err = new StringWriter();
            int code = run(new ByteArrayInputStream(new byte[0]), new StringWriter(), err, cases.get(i));
            assertEquals(2, code, String.join(" ", cases.get(i)) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertTrue(err.toString().startsWith("workerpool-demo classify: "), err.toString());
            assertFalse(err.toString().contains("\tat "), "no stack trace");
            if (i < expected.size()) {
                assertEquals(expected.get(i), err.toString().strip());
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anInputThatFailsMidwayIsOneLineAndExitCode2() {
        InputStream failing = inputThatFails(() -> {
            throw new IOException("disk on fire");
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, run(failing, out, err, "classify"), err.toString());
        assertEquals("workerpool-demo classify: cannot read stdin: disk on fire", err.toString().strip());
    }

    /** Not an I/O error: the reader thread dies of something else (out of memory, say). Not exit 0, not silent. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aReaderThatDiesOfAnythingElseIsOneLineAndExitCode2() {
        InputStream failing = inputThatFails(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        StringWriter err = new StringWriter();
        assertEquals(2, run(failing, new StringWriter(), err, "classify"), err.toString());
        assertEquals("workerpool-demo classify: reading stdin failed: OutOfMemoryError (Java heap space)",
                err.toString().strip());
    }

    /** How a read fails: throws. */
    private interface Failure {
        void fail() throws IOException;
    }

    /** 5,000 generated lines, then every read fails as {@code failure} says. */
    private static InputStream inputThatFails(Failure failure) {
        return new InputStream() {
            private final GeneratedInput lines = new GeneratedInput(5_000);

            @Override
            public int read() throws IOException {
                int b = lines.read();
                if (b < 0) {
                    failure.fail();
                }
                return b;
            }
        };
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(new ByteArrayInputStream(new byte[0]), out, new StringWriter(), "classify", "--help"));
        for (String option : List.of("--file=FILE", "--workers=W", "--buffer=B", "--batch=N", "--quiet")) {
            assertTrue(out.toString().contains(option), option + " in\n" + out);
        }
        StringWriter top = new StringWriter();
        run(new ByteArrayInputStream(new byte[0]), top, new StringWriter(), "--help");
        assertTrue(top.toString().contains("classify"), top.toString());
    }
}
