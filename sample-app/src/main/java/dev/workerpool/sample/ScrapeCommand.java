package dev.workerpool.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scrape [URL...]}: a polite scraper. W workers fetch the URLs (I/O-bound, so more workers than
 * processors: 8 by default); a per-host limiter keeps each host at N requests a second; each request must
 * complete within the timeout. A producer thread submits the URLs; this thread prints one line per URL as
 * results complete, then a summary.
 */
@Command(name = "scrape", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        description = "Fetch every URL (arguments and/or --file) with W worker threads, at most --per-host-rate "
                + "requests a second per host, each within --timeout; print one line per URL (status, bytes, time,"
                + " or the error) and a summary. Redirects are followed (up to 5; each hop counts against its "
                + "host's rate). A 429 or 503 answer is retried, up to 4 attempts in all, after 0.5 s, 1 s and 2 s "
                + "(each counts against its host's rate too).")
final class ScrapeCommand implements Callable<Integer> {

    static final int MAX_RATE = 1_000;
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "http or https URLs.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--file", paramLabel = "FILE",
            description = "A file of URLs, one a line (UTF-8, a byte-order mark ignored; blank lines and lines "
                    + "starting with # are skipped).")
    Path file;

    @Option(names = "--workers", paramLabel = "W", description = "Requests at once (default: ${DEFAULT-VALUE}).")
    int workers = FetcherFetchPool.WORKERS;

    @Option(names = "--buffer", paramLabel = "B", description = "URLs waiting for a worker (default: "
            + "${DEFAULT-VALUE}).")
    int buffer = FetcherFetchPool.BUFFER;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "10s",
            description = "Per request, from sending it to the last byte of the body, e.g. 500ms, 10s, 2m, PT1M "
                    + "(default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--per-host-rate", paramLabel = "N", defaultValue = "2",
            description = "At most N requests per host in any second, as the host sees them (a request counts from its "
                    + "start to one second after its end), 1 to " + MAX_RATE + " (default: ${DEFAULT-VALUE}).")
    int perHostRate;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        Duration requestTimeout = parseTimeout(timeout);
        if (perHostRate < 1 || perHostRate > MAX_RATE) {
            throw new UserError("--per-host-rate must be between 1 and " + MAX_RATE + ", was " + perHostRate);
        }
        List<URI> urls = urls();
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        int ok = 0;
        int httpErrors = 0;
        int otherStatus = 0;
        int failed = 0;
        int timedOut = 0;
        int redirects = 0;
        long bytes = 0;
        long retries;
        Fetcher fetcher = new Fetcher(requestTimeout, new HostLimiter(perHostRate));
        try (FetcherFetchPool pool = Options.startPool(() -> FetcherFetchPool.start(fetcher, workers, buffer))) {
            Thread producer = new Thread(() -> {
                try {
                    for (URI url : urls) {
                        pool.submit(url); // blocks while `buffer` URLs wait: backpressure
                    }
                } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                    // stdout closed: the pool was cancelled, stop submitting
                } catch (InterruptedException e) {
                    pool.cancel(); // interrupts the workers, including those waiting for their host's turn
                } finally {
                    pool.close();
                }
            }, "scrape-producer");
            producer.start();
            for (FetcherFetchPool.Result result : pool.results()) {
                // a page, or a 429 / 503 at every attempt: its last answer, printed as a page with its attempts
                ServerBusyException busy = result.error() instanceof ServerBusyException b ? b : null;
                if (result.isSuccess() || busy != null) {
                    Page page = busy == null ? result.value() : busy.page();
                    int status = page.status();
                    if (status >= 200 && status < 300) {
                        ok++;
                    } else if (status >= 400) {
                        httpErrors++;
                    } else {
                        otherStatus++;
                    }
                    redirects += page.redirects();
                    bytes += page.bytes();
                    String redirected = page.redirects() == 0 ? ""
                            : " -> " + page.finalUri() + " (" + page.redirects()
                                    + (page.redirects() == 1 ? " redirect)" : " redirects)");
                    String attempts = busy == null ? "" : " (" + (1 + busy.getSuppressed().length) + " attempts)";
                    out.printf(Locale.ROOT, "%-4d %,10d B %9s  %s%s%s%n", status, page.bytes(),
                            Summary.time(page.time().toNanos()), page.uri(), redirected, attempts);
                } else {
                    Throwable error = result.error();
                    String what;
                    if (error instanceof HttpTimeoutException) {
                        timedOut++;
                        what = "timeout: " + error.getMessage();
                    } else if (error instanceof java.net.ConnectException && error.getMessage() == null) {
                        failed++;
                        what = "ConnectException (connection refused)"; // the JDK's says nothing more
                    } else {
                        failed++;
                        what = HashCommand.describe(error);
                    }
                    out.printf(Locale.ROOT, "ERR  %s  %s%n", what, result.job().uri());
                }
                out.flush();
                if (out.checkError()) { // ... | head: stop now, not after every URL
                    pool.cancel(); // interrupts the workers, including those waiting for their host's turn
                    throw new OutputClosed();
                }
            }
            producer.join();
            retries = pool.stats().retries();
        }
        long elapsed = System.nanoTime() - started;
        new Summary("scrape " + urls.size() + (urls.size() == 1 ? " URL" : " URLs"))
                .row("2xx", "%,d", ok)
                .row("4xx / 5xx", "%,d", httpErrors)
                .row("other status (1xx, 3xx)", "%,d", otherStatus)
                .row("timed out", "%,d", timedOut)
                .row("failed", "%,d", failed)
                .row("redirects followed", "%,d", redirects)
                .row("retries (429 / 503)", "%,d", retries)
                .row("bytes", "%s", Summary.bytes(bytes))
                .row("workers / buffer", "%d / %d", workers, buffer)
                .row("per-host rate", "%d/s", perHostRate)
                .row("timeout", "%s", Fetcher.duration(requestTimeout))
                .row("elapsed", "%s", Summary.time(elapsed))
                .print(out);
        OutputClosed.check(out);
        return httpErrors + timedOut + failed == 0 ? 0 : 1;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    static Duration parseTimeout(String text) {
        Duration d;
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new UserError("--timeout is not a duration (like 500ms, 10s, 2m or PT10S): " + text);
            }
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw new UserError("--timeout must be more than 0 and at most 1 h, was " + text);
        }
        return d;
    }

    /** The arguments, then the file's lines; every one must be an absolute http or https URL. */
    private List<URI> urls() {
        List<URI> urls = new ArrayList<>();
        for (String argument : arguments) {
            urls.add(parse(argument, "argument"));
        }
        if (file != null) {
            List<String> lines;
            try {
                lines = readLines(file);
            } catch (NoSuchFileException e) {
                throw new UserError("file not found: " + file);
            } catch (AccessDeniedException e) {
                throw new UserError("cannot read " + file + " (permission denied)");
            } catch (IOException e) {
                throw new UserError("cannot read " + file + " (" + e.getMessage() + ")");
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    urls.add(parse(line, file + " line " + (i + 1)));
                }
            }
        }
        if (urls.isEmpty()) {
            throw new UserError("no URLs: give them as arguments or in a --file");
        }
        return urls;
    }

    /**
     * The lines of a UTF-8 file, without a byte-order mark at its start; a line ends at LF, CRLF or CR, as
     * {@link Files#readAllLines} has it.
     *
     * @throws UserError if a line is not UTF-8 (naming the line and the first byte that is not)
     * @throws IOException if the file cannot be read
     */
    static List<String> readLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = new ArrayList<>();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            ByteBuffer line = ByteBuffer.wrap(bytes, start, end - start);
            try {
                lines.add(decoder.decode(line).toString());
            } catch (CharacterCodingException e) {
                throw new UserError(String.format(Locale.ROOT, "cannot read %s: line %d is not UTF-8 (byte 0x%02X)",
                        file, lines.size() + 1, bytes[line.position()] & 0xff));
            }
            start = end + (end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1)); // a byte-order mark, as some editors write: not part of line 1
        }
        return lines;
    }

    private static URI parse(String text, String where) {
        try {
            URI uri = new URI(text);
            if (Fetcher.isHttp(uri)) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UserError("not an http(s) URL (" + where + "): " + text);
    }
}
