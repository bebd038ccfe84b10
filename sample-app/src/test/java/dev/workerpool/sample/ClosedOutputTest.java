package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose stdout is closed by its reader ({@code ... | head -3}) stops: it used to go on to the end of its
 * input (for ever, on {@code tail -f}), because a {@code PrintWriter} keeps a broken pipe to itself. Each test runs
 * the program in a JVM of its own, reads a few lines of its stdout and closes it; the program must end within
 * {@value #BOUND_SECONDS} s, silently, with exit code 141, or it is killed and the test fails with its threads.
 */
class ClosedOutputTest {

    private static final int BOUND_SECONDS = 30;

    @TempDir
    Path dir;

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), DemoApp.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    /** The first {@code n} lines of the process's stdout, then stdout closed, as {@code head -n} does. */
    private static List<String> head(Process process, int n) throws Exception {
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try {
                for (String line = out.readLine(); line != null && read.size() < n; line = out.readLine()) {
                    read.add(line);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return read;
        });
        try {
            List<String> read = lines.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(n, read.size(), "lines before the end of stdout: " + read);
            return read;
        } catch (TimeoutException e) {
            return fail("no " + n + " lines in " + BOUND_SECONDS + " s\n" + threads(process));
        } finally {
            process.getInputStream().close(); // the reader goes away
        }
    }

    /** The process's threads (jcmd), for a failure message. */
    private static String threads(Process process) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            return dump.waitFor(BOUND_SECONDS, TimeUnit.SECONDS) ? text.get(BOUND_SECONDS, TimeUnit.SECONDS)
                    : "(jcmd did not answer)";
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    /**
     * {@code tail -f app.log | workerpool-demo classify | head -3}: stdin stays open and lines keep coming; once
     * stdout is closed, the next batch's write fails and classify ends, although its reader thread may be blocked
     * reading stdin. Before the fix it ran until killed.
     */
    @Test
    void classifyEndsWhenItsStdoutIsClosedWhileStdinStaysOpen() throws Exception {
        Process process = start("classify");
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write("INFO one\nWARN two\nERROR three\nINFO four\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            assertEquals(List.of("INFO  other INFO one", "WARN  other WARN two", "ERROR other ERROR three"),
                    head(process, 3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            int written = 0;
            // tail -f: a line every 100 ms, stdin never closed, until classify ends or the bound passes
            while (!process.waitFor(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                try {
                    stdin.write(("INFO more " + written++ + "\n").getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                } catch (IOException ended) {
                    // classify has ended between waitFor and the write
                }
            }
            if (process.isAlive()) {
                fail("classify still running " + BOUND_SECONDS + " s after its stdout closed (" + written
                        + " more lines sent); stderr:\n" + stderr() + "\n" + threads(process));
            }
            assertEquals(OutputClosed.BROKEN_PIPE, process.exitValue(), stderr());
            assertEquals("", stderr(), "silent, as a command killed by SIGPIPE");
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code hash DIR | head -3} stops after the lines its reader took: on a tree of 2,000 files of 64 MB (sparse:
     * 128 GB to read, minutes of hashing), it ends within the bound, and its last progress line says it did not
     * get far. Before the fix it hashed every file.
     */
    @Test
    void hashStopsWhenItsStdoutIsClosed() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        int files = 2_000;
        for (int i = 0; i < files; i++) {
            try (RandomAccessFile file = new RandomAccessFile(tree.resolve("f" + i).toFile(), "rw")) {
                file.setLength(64L << 20); // a hole: no disk space, but 64 MB of zeros to hash
            }
        }
        Process process = start("hash", tree.toString(), "--workers", "2");
        try {
            List<String> lines = head(process, 3);
            lines.forEach(line -> assertTrue(line.matches("[0-9a-f]{64}  f\\d+"), line));
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("hash still running " + BOUND_SECONDS + " s after its stdout closed; stderr:\n" + stderr()
                        + "\n" + threads(process));
            }
            String err = stderr();
            assertEquals(OutputClosed.BROKEN_PIPE, process.exitValue(), err);
            List<String> progress = err.lines().toList();
            assertTrue(progress.stream().allMatch(line -> line.matches("hash: [\\d,]+ of 2,000 files \\(\\d+%\\)")),
                    "nothing but progress lines on stderr:\n" + err);
            String last = progress.isEmpty() ? "hash: 0 of" : progress.get(progress.size() - 1);
            int hashed = Integer.parseInt(last.replaceFirst("hash: ([\\d,]+) of.*", "$1").replace(",", ""));
            assertTrue(hashed < files / 2, "stopped early: " + last);
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code scrape --file urls.txt | head -3}: 400 URLs of a web site on 127.0.0.1 at 4 requests a second
     * (100 s); once its stdout is closed, scrape ends within the bound, silently, with exit code 141, and the
     * site saw a small part of the requests.
     */
    @Test
    void scrapeStopsWhenItsStdoutIsClosed() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        site.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "page".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            }
        });
        site.start();
        try {
            int urls = 400;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < urls; i++) {
                lines.add("http://127.0.0.1:" + site.getAddress().getPort() + "/page/" + i);
            }
            Path file = Files.write(dir.resolve("urls.txt"), lines);
            Process process = start("scrape", "--file", file.toString(), "--per-host-rate", "4", "--workers", "4");
            try {
                head(process, 3).forEach(line -> assertTrue(line.matches("200 +4 B .*/page/\\d+"), line));
                if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                    fail("scrape still running " + BOUND_SECONDS + " s after its stdout closed; stderr:\n"
                            + stderr() + "\n" + threads(process));
                }
                assertEquals(OutputClosed.BROKEN_PIPE, process.exitValue(), stderr());
                assertEquals("", stderr(), "silent, as a command killed by SIGPIPE");
                assertTrue(requests.get() < urls / 2, "stopped early: " + requests.get() + " requests");
            } finally {
                process.destroyForcibly();
                process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            site.stop(0);
        }
    }

    /**
     * {@code thumbs DIR --out OUT --verbose | head -3} on 1,500 images of 2,000 x 2,000 pixels (links to one file):
     * once its stdout is closed, thumbs ends within the bound with exit code 141, having written a small part of
     * the thumbnails, and nothing but progress lines on stderr.
     */
    @Test
    void thumbsStopsWhenItsStdoutIsClosed() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path first = images.resolve("i0.png");
        ImageIO.write(new BufferedImage(2_000, 2_000, BufferedImage.TYPE_INT_RGB), "png", first.toFile());
        int count = 1_500;
        for (int i = 1; i < count; i++) {
            Files.createLink(images.resolve("i" + i + ".png"), first);
        }
        Path thumbs = dir.resolve("thumbs");
        Process process = start("thumbs", images.toString(), "--out", thumbs.toString(), "--verbose",
                "--workers", "2");
        try {
            head(process, 3).forEach(line -> assertTrue(line.matches("2000x2000 -> 128x128  i\\d+\\.png"), line));
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("thumbs still running " + BOUND_SECONDS + " s after its stdout closed; stderr:\n" + stderr()
                        + "\n" + threads(process));
            }
            String err = stderr();
            assertEquals(OutputClosed.BROKEN_PIPE, process.exitValue(), err);
            assertTrue(err.lines().allMatch(line -> line.matches("thumbs: [\\d,]+ of 1,500 images \\(\\d+%\\)")),
                    "nothing but progress lines on stderr:\n" + err);
            long written;
            try (var files = Files.list(thumbs)) {
                written = files.count();
            }
            assertTrue(written < count / 2, "stopped early: " + written + " thumbnails written");
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code workerpool-demo | head -3}: the tour stops at the step that finds its stdout closed, silently, with
     * exit code 141. Which step that is depends on the pipe (hash's summary may still fit in the pipe's buffer
     * when its reader goes; import writes to stdout only at its start and its end), but the tour never goes on to
     * classify, thumbs and scrape, whose lines and summary on stderr would show it. It used to go on with each of
     * them, each stopping at its first write.
     */
    @Test
    void theTourStopsWhenItsStdoutIsClosed() throws Exception {
        Process process = start();
        try {
            List<String> lines = head(process, 3);
            assertTrue(lines.get(0).startsWith("No command given: a tour"), lines.toString());
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("the tour still running " + BOUND_SECONDS + " s after its stdout closed; stderr:\n" + stderr()
                        + "\n" + threads(process));
            }
            String err = stderr();
            assertEquals(OutputClosed.BROKEN_PIPE, process.exitValue(), err);
            // hash reports the JDK's own dangling links (a src.zip that is not installed); import, its progress
            assertTrue(err.lines().allMatch(line -> line.startsWith("unreadable: ")
                    || line.matches("import: [\\d,]+ of [\\d,]+ rows \\(\\d+%\\)")),
                    "silent, as a command killed by SIGPIPE, and nothing from a later step:\n" + err);
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code workerpool-demo > /dev/full}: stdout cannot be written (no space left), which is not a closed pipe:
     * the tour stops at once, exit code 1, and says so in one line (not once per step, as it went on to each).
     */
    @Test
    void theTourStopsWithOneLineWhenItsStdoutCannotBeWritten() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "Linux's /dev/full");
        Process process = new ProcessBuilder(Cli.childCommand(List.of("-Xmx128m"))).directory(dir.toFile())
                .redirectOutput(full.toFile()).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("the tour still running after " + BOUND_SECONDS + " s; stderr:\n" + stderr() + "\n"
                        + threads(process));
            }
            String err = stderr();
            assertEquals(1, process.exitValue(), err);
            assertEquals(List.of("workerpool-demo: cannot write to stdout: IOException: No space left on device"),
                    err.lines().toList());
            try (var left = Files.list(dir)) {
                assertEquals(List.of("stderr.txt"), left.map(p -> p.getFileName().toString()).toList(),
                        "no import, no tour directory");
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }
}
