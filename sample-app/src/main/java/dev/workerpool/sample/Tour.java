package dev.workerpool.sample;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine;

/**
 * The no-argument tour's second half: {@code classify}, {@code thumbs} and {@code scrape} on inputs it makes
 * itself (a generated log, generated images, a web site on 127.0.0.1) in a temporary directory, in the working
 * directory, that it removes. It stops at the first step whose output fails (its own line before the step, or the
 * step's): {@link OutputClosed}. Run by the command's thread only.
 */
final class Tour {
    private Tour() {}

    static final int LOG_LINES = 100_000;
    static final int IMAGES = 16;

    /** Runs the three; returns the worst exit code (scrape's 1 excepted: the demo site fails on purpose). */
    static int newCommands(CommandLine cli) throws IOException {
        PrintWriter out = cli.getOut();
        Path dir = Path.of("workerpool-demo-tour"); // in the working directory: short paths in the output
        try {
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                dir = Files.createTempDirectory(Path.of(""), "workerpool-demo-tour-"); // never touch what is there
            }
        } catch (IOException e) { // a directory nothing can be written in: not an internal error
            throw new UserError("cannot make the tour's files in the working directory, "
                    + Path.of("").toAbsolutePath() + ": " + HashCommand.describe(e));
        }
        try {
            int classify = classify(cli, dir);
            OutputClosed.check(out); // stdout closed or failed: the tour stops here (DemoApp.call)
            out.println();
            int thumbs = thumbs(cli, dir);
            OutputClosed.check(out);
            out.println();
            int scrape = scrape(cli);
            OutputClosed.check(out);
            return Math.max(Math.max(classify, thumbs), scrape == 1 ? 0 : scrape);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int classify(CommandLine cli, Path dir) throws IOException {
        PrintWriter out = cli.getOut();
        Path log = dir.resolve("app.log");
        String[] levels = {"INFO", "INFO", "DEBUG", "WARN", "INFO", "ERROR", "TRACE", "INFO"};
        String[] messages = {
            "GET /api/orders/%d HTTP/1.1 200 (12 ms)",
            "user %d: login succeeded",
            "query took 840 ms: select * from orders where customer = %d",
            "retrying upstream https://payments.example/charge/%d",
            "cache warmed with %d entries",
            "SQLException: deadlock detected on orders row %d",
            "session %d: token refreshed",
            "POST /api/carts/%d HTTP/1.1 201 (31 ms)",
            "password reset requested for user %d",
            "scheduler tick %d",
            "status=503 from inventory for item %d",
        };
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LOG_LINES; i++) {
                w.write(String.format(Locale.ROOT, "2026-12-05T10:%02d:%02d.%03d %-5s [%s] ", i / 60_000 % 60,
                        i / 1_000 % 60, i % 1_000, levels[i % levels.length], "worker-" + (i % 4 + 1)));
                w.write(String.format(Locale.ROOT, messages[i % messages.length], 1_000 + i));
                w.newLine();
            }
        }
        out.printf(Locale.ROOT, "generated app.log: %,d log lines; classify prints every one (the first 6 here):%n",
                LOG_LINES);
        OutputClosed.check(out); // before the step: its line did not reach the reader
        CommandLine classify = cli.getSubcommands().get("classify");
        PrintWriter original = classify.getOut();
        Head head = new Head(original, 6);
        classify.setOut(new PrintWriter(head, true));
        int code;
        try {
            code = classify.execute("--file", log.toString());
        } finally {
            classify.setOut(original);
        }
        out.flush();
        return code;
    }

    /**
     * Passes the first lines through and counts the rest. A failed write to the target (a {@link PrintWriter}, which
     * keeps its failures to itself) is thrown, so that classify's own check sees it and the step stops there.
     */
    private static final class Head extends Writer {
        private final PrintWriter target;
        private final int limit;
        private long lines;

        Head(PrintWriter target, int limit) {
            this.target = target;
            this.limit = limit;
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            boolean passed = false;
            for (int i = off; i < off + len; i++) {
                if (lines < limit) {
                    target.write(chars[i]);
                    passed = true;
                }
                if (chars[i] == '\n' && ++lines == limit) {
                    target.write("... and the other lines, in input order\n");
                }
            }
            if (passed) {
                failed();
            }
        }

        @Override
        public void flush() throws IOException {
            failed(); // checkError() flushes the target
        }

        private void failed() throws IOException {
            if (target.checkError()) {
                throw new IOException("stdout could not be written");
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static int thumbs(CommandLine cli, Path dir) throws IOException {
        PrintWriter out = cli.getOut();
        Path images = dir.resolve("images");
        List<String> sizes = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            int width = 640 + 80 * i;
            int height = 480 + 40 * i;
            boolean png = i % 2 == 1;
            Path file = images.resolve((i < IMAGES / 2 ? "2025/" : "2026/") + "photo-" + (i + 1)
                    + (png ? ".png" : ".jpg"));
            Files.createDirectories(file.getParent());
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(30, 60 + 10 * i, 160),
                    width, height, new Color(250, 200, 40 + 10 * i)));
            g.fillRect(0, 0, width, height);
            g.setColor(Color.WHITE);
            g.fillOval(width / 4, height / 4, width / 2, height / 2);
            g.dispose();
            ImageIO.write(image, png ? "png" : "jpeg", file.toFile());
            sizes.add(width + "x" + height);
        }
        out.printf(Locale.ROOT, "generated %d images (JPEG and PNG, %s to %s) under images/%n", IMAGES,
                sizes.get(0), sizes.get(IMAGES - 1));
        OutputClosed.check(out); // flushes it; before the step: its line did not reach the reader
        return cli.getSubcommands().get("thumbs").execute(images.toString(), "--out", dir.resolve("thumbs").toString(),
                "--width", "160");
    }

    private static int scrape(CommandLine cli) throws IOException {
        PrintWriter out = cli.getOut();
        try (DemoSite site = DemoSite.start()) {
            out.println("started a web site on " + site.url("/")
                    + " (loopback only); scraping it, 4 requests a second:");
            OutputClosed.check(out); // flushes it; before the step: its line did not reach the reader
            List<String> args = new ArrayList<>(site.tourUrls());
            args.addAll(List.of("--timeout", "2s", "--per-host-rate", "4"));
            return cli.getSubcommands().get("scrape").execute(args.toArray(String[]::new));
        }
    }
}
