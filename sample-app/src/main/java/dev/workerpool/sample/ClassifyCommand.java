package dev.workerpool.sample;

import dev.workerpool.runtime.PoolClosedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code classify}: log lines from stdin (or a file) classified in parallel by an {@code ordered} pool and printed
 * in input order, streaming. A reader thread submits batches of lines (held back by the pool's buffer); this
 * thread prints results as they come out. Memory is bounded by the pool's reorder window, whatever the input
 * size: at most {@code (workers + buffer)} batches wait anywhere, each of at most {@code --batch} lines and
 * {@link #MAX_BATCH_CHARS} characters (and one line).
 */
@Command(name = "classify", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        description = "Classify log lines by level (ERROR WARN INFO DEBUG TRACE, or -) and category (auth db http "
                + "other) with W worker threads; print each line with its class, in input order, as the input "
                + "streams in. A line ends at LF or CRLF (a lone CR stays in its line). A summary goes to stderr, "
                + "so that stdout is only the classified lines.")
final class ClassifyCommand implements Callable<Integer> {

    /** The most lines a job holds. */
    static final int MAX_BATCH = 65_536;

    /**
     * The characters after which a job takes no more lines: a job is sent once its lines hold this many, however
     * few they are, so that long lines do not multiply the memory a batch of {@code --batch} lines holds.
     */
    static final int MAX_BATCH_CHARS = 65_536;

    @Spec
    CommandSpec spec;

    @ParentCommand
    DemoApp app;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Read this file instead of stdin (UTF-8; bytes that are not UTF-8 are read as U+FFFD, as on "
                    + "stdin).")
    Path file;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: the processors, "
            + "${DEFAULT-VALUE}).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--buffer", paramLabel = "B", description = "Batches waiting for a worker (default: "
            + "${DEFAULT-VALUE}).")
    int buffer = LogClassifierPool.BUFFER;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
            description = "At most N lines per job (default: ${DEFAULT-VALUE}); a shorter batch is sent as soon as "
                    + "no more input is waiting, so a slow stream is printed line by line, or once its lines hold "
                    + "64 Ki characters, so long lines do not take more memory.")
    int batch;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary, not the lines.")
    boolean quiet;

    /** Set by the reader thread if the input fails mid-way; rethrown by the command's thread. */
    private volatile UserError readFailure;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (batch < 1 || batch > MAX_BATCH) {
            throw new UserError(String.format(Locale.ROOT, "--batch must be between 1 and %,d, was %d",
                    MAX_BATCH, batch));
        }
        LineReader reader = open();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        long lines = 0;
        long[] levels = new long[LogClassifier.Level.values().length];
        long[] categories = new long[LogClassifier.Category.values().length];
        Thread producer = null;
        try (LogClassifierPool pool = Options.startPool(() -> LogClassifierPool.start(workers, buffer))) {
            // The README's rule: a thread that submits must not be the only reader of results, or the pool
            // stalls once 2 x (workers + buffer) results wait. So a reader thread submits, and this one prints.
            producer = new Thread(() -> readBatches(reader, pool), "classify-reader");
            // If this thread stops early (stdout closed), the reader may be blocked reading stdin, a read that
            // cannot be interrupted: as a daemon, it does not keep the JVM running.
            producer.setDaemon(true);
            producer.start();
            try {
                for (LogClassifierPool.Result result : pool.results()) { // input order: the pool is ordered
                    if (!result.isSuccess() && readFailure != null) {
                        continue; // the input failed and the pool was cancelled: reported below
                    }
                    LogClassifier.Labelled labelled = result.getOrThrow();
                    if (!quiet) {
                        for (String line : labelled.lines()) {
                            out.write(line);
                            out.write('\n');
                        }
                        out.flush(); // once per batch: streaming, without a system call per line
                        OutputClosed.check(out); // ... | head: stop now, not at the end of the input
                    }
                    lines += labelled.lines().size();
                    for (int i = 0; i < levels.length; i++) {
                        levels[i] += labelled.levels()[i];
                    }
                    for (int i = 0; i < categories.length; i++) {
                        categories[i] += labelled.categories()[i];
                    }
                }
            } catch (RuntimeException | Error e) {
                // Stdout closed, say: no more batches. The reader ends at its next submit, or stays blocked in
                // its read; it is not joined.
                pool.cancel();
                throw e;
            }
            producer.join();
        } finally {
            // Closing the input while the reader is blocked reading it would block too (the read holds its lock):
            // a reader still running is left as it is, and the program ends without it.
            if (producer == null || !producer.isAlive()) {
                reader.close();
            }
        }
        if (readFailure != null) {
            throw readFailure;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Summary summary = new Summary("classify " + (file == null ? "stdin" : file)).row("lines", "%,d", lines);
        for (LogClassifier.Level level : LogClassifier.Level.values()) {
            summary.row("level " + (level == LogClassifier.Level.NONE ? "-" : level.name()), "%,d",
                    levels[level.ordinal()]);
        }
        for (LogClassifier.Category category : LogClassifier.Category.values()) {
            summary.row("category " + category.name().toLowerCase(Locale.ROOT), "%,d", categories[category.ordinal()]);
        }
        summary.row("workers / buffer / batch", "%d / %d / %d", workers, buffer, batch)
                .row("elapsed", "%.2f s", seconds)
                .row("throughput", "%,.0f lines/s", lines / Math.max(seconds, 1e-9))
                .print(quiet ? out : err);
        OutputClosed.check(out);
        return 0;
    }

    private LineReader open() {
        if (file == null) {
            InputStream in = app != null ? app.in : System.in;
            return new LineReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        try {
            // Not Files.newBufferedReader: its decoder throws at the first byte that is not UTF-8, half-way through
            // the output. Like stdin, the file's bad bytes are read as U+FFFD, and every line is classified.
            return new LineReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new UserError("file not found: " + file);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read " + file + " (permission denied)");
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The producer: batches of consecutive lines; blocks while the pool's buffer is full (backpressure). */
    private void readBatches(LineReader reader, LogClassifierPool pool) {
        try {
            List<String> lines = new ArrayList<>(batch);
            long chars = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                chars += line.length();
                // A full batch (by lines, or by characters: memory stays bounded however long the lines), or
                // nothing more waiting to be read: send what we have, so that a slow stream (tail -f) is
                // classified as it comes, not when a batch fills up.
                if (lines.size() == batch || chars >= MAX_BATCH_CHARS || !reader.ready()) {
                    pool.submit(lines);
                    lines = new ArrayList<>(batch);
                    chars = 0;
                }
            }
            if (!lines.isEmpty()) {
                pool.submit(lines);
            }
        } catch (PoolClosedException cancelled) {
            // the pool was cancelled: stop reading
        } catch (InterruptedException e) {
            pool.cancel();
        } catch (IOException | UncheckedIOException e) {
            readFailure = new UserError("cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
            pool.cancel();
        } catch (RuntimeException | Error e) { // out of memory, say: the command fails with it, not exit 0
            readFailure = new UserError("reading " + (file == null ? "stdin" : file) + " failed: "
                    + HashCommand.describe(e));
            pool.cancel();
        } finally {
            pool.close();
        }
    }

    /**
     * Reads lines that end at LF or CRLF only, unlike {@link java.io.BufferedReader#readLine}, for which a lone CR
     * ends a line too: a CR that is not right before an LF stays in its line (a log line holding one is one line,
     * not two). The last line needs no LF. Its own buffer, so that {@link #ready()} says whether a line can be
     * read without waiting for more of the input than a read of the underlying reader waits for.
     */
    static final class LineReader implements AutoCloseable {
        private final Reader in;
        private final char[] buffer = new char[8_192];
        private int position;
        private int limit;

        /** @param in the characters to split into lines; closed by {@link #close()} */
        LineReader(Reader in) {
            this.in = in;
        }

        /**
         * The next line, without its LF or CRLF, or null at the end of the input.
         *
         * @throws IOException if the input cannot be read
         */
        String readLine() throws IOException {
            StringBuilder line = null;
            while (true) {
                if (position == limit) {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        return line == null ? null : line.toString(); // the last line, with no LF after it
                    }
                    position = 0;
                    limit = n;
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                if (line == null) {
                    line = new StringBuilder(position - start + 16);
                }
                line.append(buffer, start, position - start);
                if (position < limit) { // an LF: the end of the line, and of a CR right before it
                    position++;
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
            }
        }

        /**
         * Whether more input can be read without blocking.
         *
         * @throws IOException if the input cannot be read
         */
        boolean ready() throws IOException {
            return position < limit || in.ready();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
