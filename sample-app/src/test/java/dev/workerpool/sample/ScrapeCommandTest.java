package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scrape} end to end against a local HTTP server that this test starts on 127.0.0.1 (loopback only:
 * nothing here contacts any other address). The server counts what the politeness and concurrency bounds are
 * about: request starts and requests in flight.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScrapeCommandTest {

    private static final InetAddress LOOPBACK = loopback();

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @TempDir
    Path dir;

    /** The test's web site. Every handler runs on its own thread, so the server never limits concurrency. */
    static final class Site implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-site");
            t.setDaemon(true);
            return t;
        });
        final List<Long> starts = Collections.synchronizedList(new ArrayList<>()); // System.nanoTime() at arrival
        final List<String> paths = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>(); // path -> System.nanoTime() at arrival
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final CountDownLatch hangRelease = new CountDownLatch(1);
        final Semaphore blockPermits = new Semaphore(0);
        final CountDownLatch blocked;

        Site(int blockedToWaitFor) throws IOException {
            blocked = new CountDownLatch(blockedToWaitFor);
            server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
            server.setExecutor(threads);
            server.createContext("/", this::handle);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private void handle(HttpExchange exchange) throws IOException {
            long arrived = System.nanoTime();
            starts.add(arrived);
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            List<Long> before = arrivals.computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()));
            before.add(arrived);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            boolean answered = false;
            try {
                if (path.startsWith("/ok")) {
                    answered = answer(exchange, 200, "x".repeat(1_000));
                } else if (path.equals("/slow")) {
                    Thread.sleep(200); // simulated latency, not a guess about timing: nothing waits on it
                    answered = answer(exchange, 200, "slow");
                } else if (path.startsWith("/busy")) { // busy twice, then fine
                    answered = before.size() <= 2 ? answer(exchange, 503, "busy") : answer(exchange, 200, "done");
                } else if (path.equals("/too-many")) { // never lets up
                    answered = answer(exchange, 429, "slow down");
                } else if (path.equals("/fail")) {
                    answered = answer(exchange, 500, "boom");
                } else if (path.equals("/redirect")) {
                    exchange.getResponseHeaders().add("Location", "/ok/target");
                    answered = answer(exchange, 302, null);
                } else if (path.equals("/q/redirect") && exchange.getRequestURI().getQuery() == null) {
                    exchange.getResponseHeaders().add("Location", "?page=2"); // a query only: this path, that query
                    answered = answer(exchange, 302, null);
                } else if (path.equals("/q/redirect") || path.equals("/target")) {
                    answered = answer(exchange, 200, "arrived");
                } else if (path.equals("/up/redirect")) {
                    exchange.getResponseHeaders().add("Location", "../../target?from=up"); // more ".." than segments
                    answered = answer(exchange, 302, null);
                } else if (path.equals("/loop")) {
                    exchange.getResponseHeaders().add("Location", "/loop");
                    answered = answer(exchange, 302, null);
                } else if (path.equals("/hang")) {
                    hangRelease.await(); // never answers while the test runs
                } else if (path.startsWith("/block")) {
                    blocked.countDown();
                    blockPermits.acquire();
                    answered = answer(exchange, 200, "unblocked");
                } else {
                    answered = answer(exchange, 404, "not found");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!answered) {
                    inFlight.decrementAndGet();
                }
                exchange.close();
            }
        }

        /** In flight ends before the answer is sent: the client cannot start its next request any earlier. */
        private boolean answer(HttpExchange exchange, int status, String body) throws IOException {
            inFlight.decrementAndGet();
            byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            return true;
        }

        @Override
        public void close() {
            hangRelease.countDown();
            blockPermits.release(1_000);
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private Site site;
    private Socket notListening;

    @BeforeEach
    void startSite() throws IOException {
        site = new Site(3);
    }

    @AfterEach
    void stopSite() throws IOException {
        site.close();
        if (notListening != null) {
            notListening.close();
        }
    }

    private static String lineFor(Cli.Run run, String url) {
        return run.out().lines()
                .filter(l -> l.endsWith("  " + url) || l.contains("  " + url + " -> ") || l.contains("  " + url + " ("))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + url + " in\n" + run.out()));
    }

    @Test
    void reportsEveryOutcomeOneLinePerUrlAndASummary() throws IOException {
        // Bound but not listening, and held until the test ends: a connection to it is refused, and nothing else can
        // take the port meanwhile (a port merely closed could be reused, or picked as a connection's own port).
        notListening = new Socket();
        notListening.bind(new InetSocketAddress(LOOPBACK, 0));
        String refused = "http://127.0.0.1:" + notListening.getLocalPort() + "/";
        Path urls = Files.write(dir.resolve("urls.txt"), List.of(
                "# a comment, then a blank line", "",
                site.url("/ok/a"), site.url("/slow"), site.url("/fail"), site.url("/missing"),
                site.url("/redirect"), site.url("/loop"), site.url("/hang")));

        // 5 s: generous, so that on a loaded machine only /hang times out (a cold HttpClient's first requests
        // have taken over a second there); /hang is held until the test ends, so it always does.
        Cli.Run run = Cli.run("scrape", "--file", urls.toString(), refused, "--timeout", "5s", "--workers", "4",
                "--per-host-rate", "50");

        assertEquals(1, run.code(), "some URLs failed: " + run.out() + run.err());
        assertTrue(lineFor(run, site.url("/ok/a")).matches("200\\s+1,000 B\\s+(\\d+ ms|\\d+\\.\\d\\d s)  .*"),
                run.out());
        assertTrue(lineFor(run, site.url("/slow")).startsWith("200 "), run.out());
        assertTrue(lineFor(run, site.url("/fail")).startsWith("500 "), run.out());
        assertTrue(lineFor(run, site.url("/missing")).startsWith("404 "), run.out());
        assertTrue(lineFor(run, site.url("/redirect")).matches(
                "200\\s+1,000 B .*  \\Q" + site.url("/redirect") + " -> " + site.url("/ok/target")
                        + " (1 redirect)\\E"),
                run.out());
        assertEquals("ERR  IOException (more than 5 redirects)  " + site.url("/loop"), lineFor(run, site.url("/loop")));
        assertTrue(lineFor(run, site.url("/hang")).matches("ERR  timeout: no (complete )?response within 5\\.0 s  .*"),
                run.out());
        assertTrue(lineFor(run, refused).startsWith("ERR  ConnectException"), run.out());
        assertEquals(8, run.out().lines().filter(l -> l.startsWith("ERR ") || l.matches("\\d{3} .*")).count(),
                run.out());
        assertTrue(site.paths.contains("/ok/target"), "the redirect was followed");
        assertEquals(6, site.paths.stream().filter("/loop"::equals).count(), "the first request and 5 redirects");
        for (String row : List.of("2xx\\s+\\|\\s+3", "4xx / 5xx\\s+\\|\\s+2", "timed out\\s+\\|\\s+1",
                "failed\\s+\\|\\s+2",
                "redirects followed\\s+\\|\\s+1", "timeout\\s+\\|\\s+5\\.0 s")) {
            assertTrue(run.out().matches("(?s).*\\| " + row + " \\|.*"), row + " in\n" + run.out());
        }
    }

    /**
     * A relative {@code Location} resolves as browsers resolve it (RFC 3986): {@code ?page=2} keeps the path,
     * and {@code ..} above the root stops at the root (the server is not asked for {@code /../target}).
     */
    @Test
    void relativeRedirectsResolveAsBrowsersResolveThem() {
        Cli.Run run = Cli.run("scrape", site.url("/q/redirect"), site.url("/up/redirect"), "--per-host-rate", "50");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(lineFor(run, site.url("/q/redirect")).matches("200 .* -> \\Q" + site.url("/q/redirect?page=2")
                + "\\E \\(1 redirect\\)"), run.out());
        assertTrue(lineFor(run, site.url("/up/redirect")).matches("200 .* -> \\Q" + site.url("/target?from=up")
                + "\\E \\(1 redirect\\)"), run.out());
    }

    /**
     * 429 and 503 mean "try again later": the pool retries them, with the annotation's growing waits (0.5 s, 1 s,
     * 2 s, each at most 20% shorter), every attempt waiting for its host's turn; the server counts the attempts and
     * their spacing. Other errors are not retried (the first test: /fail and /hang arrive once each).
     */
    @Test
    void busyAnswersAreRetriedWithGrowingWaitsAndTheLastOneIsReported() {
        String busy = site.url("/busy/1");
        String tooMany = site.url("/too-many");
        int rate = 2;
        Cli.Run run = Cli.run("scrape", busy, tooMany, site.url("/fail"), "--workers", "4",
                "--per-host-rate", String.valueOf(rate));

        assertEquals(1, run.code(), "a URL ended in 429 and one in 500: " + run.out() + run.err());
        assertTrue(lineFor(run, busy).matches("200\\s+4 B .*  \\Q" + busy + "\\E"), run.out());
        assertTrue(lineFor(run, tooMany).matches("429\\s+9 B .*  \\Q" + tooMany + "\\E \\(4 attempts\\)"), run.out());
        assertTrue(lineFor(run, site.url("/fail")).startsWith("500 "), "a 500 is not retried: " + run.out());
        assertEquals(3, site.arrivals.get("/busy/1").size(), "503, 503, then 200");
        assertEquals(4, site.arrivals.get("/too-many").size(), "four attempts in all");
        assertEquals(1, site.arrivals.get("/fail").size(), "a 500 is not retried");
        for (String row : List.of("2xx\\s+\\|\\s+1", "4xx / 5xx\\s+\\|\\s+2", "retries \\(429 / 503\\)\\s+\\|\\s+5")) {
            assertTrue(run.out().matches("(?s).*\\| " + row + " \\|.*"), row + " in\n" + run.out());
        }
        // The waits, as the server saw them: each at least the backoff less its 20% jitter.
        List<Long> attempts = new ArrayList<>(site.arrivals.get("/too-many"));
        long[] atLeastMillis = {400, 800, 1_600};
        for (int i = 1; i < attempts.size(); i++) {
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(attempts.get(i) - attempts.get(i - 1));
            assertTrue(gapMillis >= atLeastMillis[i - 1], "wait before attempt " + (i + 1) + ": " + gapMillis + " ms");
        }
        // Retries are requests like any other: the host's rate held with them counted.
        List<Long> starts;
        synchronized (site.starts) {
            starts = new ArrayList<>(site.starts);
        }
        Collections.sort(starts);
        long second = TimeUnit.SECONDS.toNanos(1);
        for (long from : starts) {
            long inWindow = starts.stream().filter(t -> t >= from && t - from < second).count();
            assertTrue(inWindow <= rate, inWindow + " requests arrived within one second");
        }
    }

    @Test
    void neverMoreThanWorkersRequestsAtOnce() throws Exception {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            urls.add(site.url("/block/" + i));
        }
        List<String> args = new ArrayList<>(List.of("scrape", "--workers", "3", "--per-host-rate", "1000", "--timeout",
                "2m"));
        args.addAll(urls);
        AtomicReference<Cli.Run> result = new AtomicReference<>();
        Thread command = new Thread(() -> result.set(Cli.run(args.toArray(String[]::new))), "scrape-under-test");
        command.start();
        // Three requests are held by the server: a fourth could only come from a fourth concurrent request.
        assertTrue(site.blocked.await(60, TimeUnit.SECONDS), "3 requests in flight");
        assertEquals(3, site.inFlight.get());
        site.blockPermits.release(urls.size());
        command.join(TimeUnit.SECONDS.toMillis(120));
        assertFalse(command.isAlive());
        Cli.Run run = result.get();
        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals(12, run.out().lines().filter(l -> l.startsWith("200 ")).count(), run.out());
        assertEquals(3, site.maxInFlight.get(), "at most --workers requests at once, and that many were reached");
    }

    @Test
    void atMostNRequestsPerHostInAnySecondCountedByTheServer() {
        int rate = 3;
        List<String> args = new ArrayList<>(List.of("scrape", "--workers", "8", "--per-host-rate",
                String.valueOf(rate)));
        for (int i = 0; i < 12; i++) {
            args.add(site.url("/ok/" + i));
        }
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.out() + run.err());

        List<Long> starts;
        synchronized (site.starts) {
            starts = new ArrayList<>(site.starts);
        }
        Collections.sort(starts);
        assertEquals(12, starts.size());
        // Counted on the server: the requests that arrived in the one-second window starting at each arrival.
        // Exact, with no allowance for network delays: the limiter holds a host's slot from a request's start
        // to one second after its end, and the arrival lies between the two.
        long second = TimeUnit.SECONDS.toNanos(1);
        for (int i = 0; i < starts.size(); i++) {
            long from = starts.get(i);
            long inWindow = starts.stream().filter(t -> t >= from && t - from < second).count();
            assertTrue(inWindow <= rate, inWindow + " requests arrived within one second (from arrival " + i + ")");
        }
        // So 12 requests at 3 a second arrive over at least 3 seconds: the limiter did hold requests back.
        assertTrue(starts.get(11) - starts.get(0) >= 3 * second,
                "spread over " + (starts.get(11) - starts.get(0)) / 1e9 + " s");
    }

    @Test
    void aWaitForTheHostIsPerHostAndEndsAtOnceOnInterrupt() throws Exception {
        HostLimiter limiter = new HostLimiter(1, Duration.ofHours(1));
        HostLimiter.Permit running = limiter.acquire(URI.create("http://127.0.0.1:1/a")); // not closed: still running
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> limiter.acquire(URI.create("http://127.0.0.2:1/b")),
                "another host does not wait");
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                limiter.acquire(URI.create("http://127.0.0.1:2/c")); // same host: an hour's wait
                outcome.set(new AssertionError("acquired"));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        waiter.start();
        waiter.interrupt(); // what a pool's cancel() does to its workers
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive());
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        running.close(); // ended: its slot stays taken for the window (an hour here)
        Thread again = new Thread(() -> {
            try {
                limiter.acquire(URI.create("http://127.0.0.1:3/d"));
                outcome.set(new AssertionError("acquired"));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        outcome.set(null);
        again.start();
        again.interrupt();
        again.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        assertThrows(IllegalArgumentException.class, () -> new HostLimiter(0));
    }

    /**
     * A host name that does not resolve is named as such, not called a refused connection (the JDK's
     * {@code ConnectException} for it has no message). In a JVM of its own whose resolver reads an empty hosts
     * file, so that no name server is asked.
     */
    @Test
    void anUnknownHostIsNamedNotCalledARefusedConnection() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("out.txt");
        String unknown = "http://no-such-host.invalid/";
        Process process = new ProcessBuilder(java, "-Djdk.net.hosts.file=" + hosts, "-cp",
                System.getProperty("java.class.path"), DemoApp.class.getName(), "scrape", unknown, site.url("/ok/a"),
                "--timeout", "30s").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.getOutputStream().close();
        try {
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "scrape ended");
        } finally {
            process.destroyForcibly();
        }
        String output = Files.readString(out);
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.lines().anyMatch(
                ("ERR  UnknownHostException (no-such-host.invalid)  " + unknown)::equals), output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("200 ") && l.endsWith(site.url("/ok/a"))), output);
        assertTrue(output.matches("(?s).*\\| failed\\s+\\|\\s+1 \\|.*"), output);
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() {
        String url = site.url("/ok");
        String[][] cases = {
            {"scrape", url, "--workers", "0"},
            {"scrape", url, "--buffer", "-1"},
            {"scrape", url, "--timeout", "0s"},
            {"scrape", url, "--timeout", "soon"},
            {"scrape", url, "--timeout", "2h"},
            {"scrape", url, "--per-host-rate", "0"},
            {"scrape", url, "--per-host-rate", "1001"},
            {"scrape", "--file", dir.resolve("missing.txt").toString()},
            {"scrape"},
            {"scrape", "ftp://127.0.0.1/file"},
            {"scrape", "not a url"},
            {"scrape", url, "--workers", "100000"},
            {"scrape", url, "--per-host-rate", "fast"},
        };
        String[] expected = {
            "workerpool-demo scrape: --workers must be at least 1, was 0",
            "workerpool-demo scrape: --buffer must be at least 0, was -1",
            "workerpool-demo scrape: --timeout must be more than 0 and at most 1 h, was 0s",
            "workerpool-demo scrape: --timeout is not a duration (like 500ms, 10s, 2m or PT10S): soon",
            "workerpool-demo scrape: --timeout must be more than 0 and at most 1 h, was 2h",
            "workerpool-demo scrape: --per-host-rate must be between 1 and 1000, was 0",
            "workerpool-demo scrape: --per-host-rate must be between 1 and 1000, was 1001",
            "workerpool-demo scrape: file not found: " + dir.resolve("missing.txt"),
            "workerpool-demo scrape: no URLs: give them as arguments or in a --file",
            "workerpool-demo scrape: not an http(s) URL (argument): ftp://127.0.0.1/file",
            "workerpool-demo scrape: not an http(s) URL (argument): not a url",
        };
        for (int i = 0; i < cases.length; i++) {
            Cli.Run run = Cli.run(cases[i]);
            assertEquals(2, run.code(), String.join(" ", cases[i]) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace");
            assertTrue(run.err().startsWith("workerpool-demo scrape: "), run.err());
            if (i < expected.length) {
                assertEquals(expected[i], run.err().strip());
            }
        }
        assertTrue(site.paths.isEmpty(), "nothing was fetched: " + site.paths);
    }

    /**
     * A URL whose port is out of range is malformed like any other: one line and exit code 2 before anything is
     * fetched, not an error line per URL after the others were fetched.
     */
    @Test
    void aPortOutOfRangeIsRejectedBeforeAnythingIsFetched() throws IOException {
        Path urls = Files.write(dir.resolve("urls.txt"), List.of(site.url("/ok/a"), "http://127.0.0.1:0/"));
        String[][] cases = {
            {"scrape", site.url("/ok/a"), "http://127.0.0.1:99999/"},
            {"scrape", site.url("/ok/a"), "https://127.0.0.1:65536/x"},
            {"scrape", "--file", urls.toString()},
        };
        String[] expected = {
            "workerpool-demo scrape: not an http(s) URL (argument): http://127.0.0.1:99999/",
            "workerpool-demo scrape: not an http(s) URL (argument): https://127.0.0.1:65536/x",
            "workerpool-demo scrape: not an http(s) URL (" + urls + " line 2): http://127.0.0.1:0/",
        };
        for (int i = 0; i < cases.length; i++) {
            Cli.Run run = Cli.run(cases[i]);
            assertEquals(2, run.code(), String.join(" ", cases[i]) + ": " + run.out() + run.err());
            assertEquals(expected[i], run.err().strip());
            assertEquals("", run.out());
        }
        assertTrue(site.paths.isEmpty(), "nothing was fetched: " + site.paths);
    }

    /**
     * Sizes and times are shown in units that fit: a 20 ms timeout is "20 ms", not "0.0 s"; a kilobyte in all is
     * "1.0 kB", nothing at all "0 B", not "0.0 MB"; a time under a second is in milliseconds.
     */
    @Test
    void smallSizesAndShortTimesAreShownInUnitsThatFit() {
        Cli.Run timedOut = Cli.run("scrape", site.url("/hang"), "--timeout", "20ms");
        assertEquals(1, timedOut.code(), timedOut.out() + timedOut.err());
        assertTrue(lineFor(timedOut, site.url("/hang")).matches("ERR  timeout: "
                + "no (complete )?response within 20 ms  .*"),
                timedOut.out());
        String folded = timedOut.out().replaceAll("[ |]+", " ");
        assertTrue(folded.contains(" timeout 20 ms "), timedOut.out());
        assertTrue(folded.contains(" bytes 0 B "), timedOut.out());
        assertTrue(folded.matches("(?s).* elapsed (\\d{1,3} ms|\\d+\\.\\d\\d s) .*"), timedOut.out());

        Cli.Run fetched = Cli.run("scrape", site.url("/ok/a"), "--timeout", "1500ms");
        assertEquals(0, fetched.code(), fetched.out() + fetched.err());
        assertTrue(lineFor(fetched, site.url("/ok/a")).matches("200\\s+1,000 B +(\\d{1,3} ms|\\d+\\.\\d\\d s)  .*"),
                fetched.out());
        assertEquals(27, lineFor(fetched, site.url("/ok/a")).indexOf("  http"), "the columns stay aligned");
        folded = fetched.out().replaceAll("[ |]+", " ");
        assertTrue(folded.contains(" bytes 1.0 kB "), fetched.out());
        assertTrue(folded.contains(" timeout 1.5 s "), fetched.out());

        assertEquals("999 B", Summary.bytes(999));
        assertEquals("1.0 kB", Summary.bytes(1_000));
        assertEquals("999.9 kB", Summary.bytes(999_949));
        assertEquals("1.0 MB", Summary.bytes(999_950));
        assertEquals("0.50 ms", Summary.time(500_000));
        assertEquals("999 ms", Summary.time(999_000_000));
        assertEquals("1.00 s", Summary.time(999_600_000));
        assertEquals("2.35 s", Summary.time(2_345_000_000L));
    }

    /**
     * A URL file saved with a UTF-8 byte-order mark (as some Windows editors do) reads as if it had none: its first
     * line is a URL like the others, not an invalid one.
     */
    @Test
    void aByteOrderMarkAtTheStartOfTheUrlFileIsIgnored() throws IOException {
        Path urls = dir.resolve("urls.txt");
        Files.writeString(urls, "\uFEFF" + site.url("/ok/a") + "\r\n" + site.url("/ok/b") + "\r\n");
        Cli.Run run = Cli.run("scrape", "--file", urls.toString(), "--per-host-rate", "50");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(lineFor(run, site.url("/ok/a")).startsWith("200 "), run.out());
        assertTrue(lineFor(run, site.url("/ok/b")).startsWith("200 "), run.out());
        Path commented = dir.resolve("commented.txt");
        Files.writeString(commented, "\uFEFF# the URLs\n" + site.url("/ok/c") + "\n");
        Cli.Run again = Cli.run("scrape", "--file", commented.toString(), "--per-host-rate", "50");
        assertEquals(0, again.code(), again.out() + again.err());
        assertEquals(1, again.out().lines().filter(l -> l.startsWith("200 ")).count(), again.out());
    }

    /** A URL file that is not UTF-8 is named as such, with the line, and nothing is fetched. */
    @Test
    void aUrlFileThatIsNotUtf8NamesTheLine() throws IOException {
        Path urls = dir.resolve("latin1.txt");
        Files.write(urls, (site.url("/ok/a") + "\n# caf\u00e9\n" + site.url("/ok/b") + "\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Cli.Run run = Cli.run("scrape", "--file", urls.toString());
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("workerpool-demo scrape: cannot read " + urls + ": line 2 is not UTF-8 (byte 0xE9)",
                run.err().strip());
        assertTrue(site.paths.isEmpty(), "nothing was fetched: " + site.paths);
    }

    @Test
    void helpListsTheOptions() {
        Cli.Run help = Cli.run("scrape", "--help");
        assertEquals(0, help.code());
        for (String option : List.of("URL", "--file=FILE", "--workers=W", "--buffer=B", "--timeout=TIME",
                "--per-host-rate=N", "Redirects")) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
        String text = help.out().replaceAll("\\s+", " "); // however the help is wrapped
        assertTrue(text.contains("A 429 or 503 answer is retried"), help.out());
        // the guide's N = 8 workers by default, 2 requests a second per host, 10 s per request
        assertTrue(text.contains("--workers=W Requests at once (default: 8)"), help.out());
        assertTrue(text.matches(".*--per-host-rate=N [^-]*\\(default: 2\\).*"), help.out());
        assertTrue(text.matches(".*--timeout=TIME [^-]*\\(default: 10s\\).*"), help.out());
    }
}
