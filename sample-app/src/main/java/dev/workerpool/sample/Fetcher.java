package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches URLs politely: every request, redirects included, first waits for its host's {@link HostLimiter}; the
 * whole response, body included, must arrive within the timeout; bodies are counted, not kept. Thread-safe
 * ({@link HttpClient} is), so one instance serves every worker of {@code FetcherFetchPool}.
 */
public final class Fetcher {
    static final int MAX_REDIRECTS = 5;

    private final HttpClient client;
    private final Duration timeout;
    private final HostLimiter limiter;

    Fetcher(Duration timeout, HostLimiter limiter) {
        // Redirects are followed here, not by the client, so that each hop passes the politeness limiter.
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.timeout = timeout;
        this.limiter = limiter;
    }

    /**
     * GETs a URL, following up to {@value #MAX_REDIRECTS} redirects (301, 302, 303, 307, 308 with a
     * {@code Location}) to http or https URLs.
     *
     * <p>A 429 or 503 answer means "try again later": the pool tries the URL up to four times in all, waiting
     * 0.5 s, 1 s and 2 s (each ± 20%) between attempts, and every attempt waits for its host's turn like any other
     * request. Only those answers are retried: a timeout or a refused connection is the URL's result at once.
     *
     * @param uri an absolute http or https URL
     * @return the final response's status, size and timing
     * @throws ServerBusyException if the server answered 429 or 503 (retried; the last one is the result)
     * @throws HttpTimeoutException if a response (body included) took longer than the timeout
     * @throws IOException if the request failed (connection refused, reset, too many redirects...; an
     *     {@link UnknownHostException} if a host name does not resolve)
     * @throws InterruptedException if the pool was cancelled while this waited
     */
    @WorkerPool(workers = 8, buffer = 16, retry = @WorkerPool.Retry(attempts = 4, on = ServerBusyException.class,
            backoff = "500ms", multiplier = 2.0, maxBackoff = "2s", jitter = 0.2))
    public Page fetch(URI uri) throws IOException, InterruptedException {
        URI current = uri;
        long nanos = 0;
        for (int redirects = 0; ; redirects++) {
            HostLimiter.Permit permit = limiter.acquire(current);
            long started = System.nanoTime();
            HttpResponse<Long> response;
            try {
                response = send(current);
            } finally {
                permit.close(); // the host's slot stays taken for one more second
                nanos += System.nanoTime() - started;
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || !(status == 301 || status == 302 || status == 303 || status == 307
                    || status == 308)) {
                Page page = new Page(uri, current, status, response.body(), Duration.ofNanos(nanos), redirects);
                if (status == 429 || status == 503) {
                    throw new ServerBusyException(page);
                }
                return page;
            }
            if (redirects == MAX_REDIRECTS) {
                throw new IOException("more than " + MAX_REDIRECTS + " redirects");
            }
            URI next;
            try {
                next = resolve(current, location);
            } catch (URISyntaxException e) {
                throw new IOException("bad redirect Location: " + location, e);
            }
            if (!isHttp(next)) {
                throw new IOException("redirect to a non-HTTP URL: " + next);
            }
            current = next;
        }
    }

    /**
     * Resolves a redirect's {@code Location} against the URL that answered with it as RFC 3986 (section 5.2)
     * says, as browsers and curl do. {@link URI#resolve} follows RFC 2396, and differs: it drops the last segment
     * for a query-only reference ({@code ?page=2}), the query for an empty one, and keeps {@code ..} above the
     * root in the path.
     *
     * @param base     an absolute, hierarchical URL
     * @param location the header's value
     * @return the URL to fetch next
     * @throws URISyntaxException if the location is not a URI reference
     */
    static URI resolve(URI base, String location) throws URISyntaxException {
        URI reference = new URI(location);
        if (reference.isOpaque()) {
            return reference; // mailto:... : not fetched (isHttp)
        }
        String scheme;
        String authority;
        String path;
        String query;
        String referencePath = reference.getRawPath() == null ? "" : reference.getRawPath();
        if (reference.getScheme() != null || reference.getRawAuthority() != null) {
            scheme = reference.getScheme() != null ? reference.getScheme() : base.getScheme();
            authority = reference.getRawAuthority();
            path = withoutDotSegments(referencePath);
            query = reference.getRawQuery();
        } else {
            scheme = base.getScheme();
            authority = base.getRawAuthority();
            String basePath = base.getRawPath() == null ? "" : base.getRawPath();
            if (referencePath.isEmpty()) {
                path = basePath;
                query = reference.getRawQuery() != null ? reference.getRawQuery() : base.getRawQuery();
            } else {
                if (referencePath.startsWith("/")) {
                    path = withoutDotSegments(referencePath);
                } else if (authority != null && basePath.isEmpty()) {
                    path = withoutDotSegments("/" + referencePath);
                } else {
                    path = withoutDotSegments(basePath.substring(0, basePath.lastIndexOf('/') + 1) + referencePath);
                }
                query = reference.getRawQuery();
            }
        }
        StringBuilder uri = new StringBuilder(scheme).append(':');
        if (authority != null) {
            uri.append("//").append(authority);
        }
        uri.append(path);
        if (query != null) {
            uri.append('?').append(query);
        }
        if (reference.getRawFragment() != null) {
            uri.append('#').append(reference.getRawFragment());
        }
        return new URI(uri.toString());
    }

    /** RFC 3986's remove_dot_segments (section 5.2.4): {@code .} and {@code ..} out of a path. */
    private static String withoutDotSegments(String path) {
        String in = path;
        StringBuilder out = new StringBuilder(path.length());
        while (!in.isEmpty()) {
            if (in.startsWith("../")) {
                in = in.substring(3);
            } else if (in.startsWith("./") || in.startsWith("/./")) {
                in = in.substring(2);
            } else if (in.equals("/.")) {
                in = "/";
            } else if (in.startsWith("/../") || in.equals("/..")) {
                in = in.length() == 3 ? "/" : in.substring(3);
                out.setLength(Math.max(0, out.lastIndexOf("/")));
            } else if (in.equals(".") || in.equals("..")) {
                in = "";
            } else {
                int end = in.indexOf('/', 1);
                end = end < 0 ? in.length() : end;
                out.append(in, 0, end);
                in = in.substring(end);
            }
        }
        return out.toString();
    }

    /**
     * Whether a URL can be fetched: absolute, http or https, with a host, and a port (if it names one) from 1 to
     * 65535 ({@link URI} takes any number of digits as a port).
     */
    static boolean isHttp(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        return uri.isAbsolute() && uri.getHost() != null && (scheme.equals("http") || scheme.equals("https"))
                && (port == -1 || (port >= 1 && port <= 65_535));
    }

    /** One request; the timeout covers it from sending to the last byte of the body. */
    private HttpResponse<Long> send(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout) // until the response headers
                .header("User-Agent", "workerpool-demo/0.1 (scrape)")
                .GET()
                .build();
        CompletableFuture<HttpResponse<Long>> response = client.sendAsync(request, info -> counting());
        try {
            return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS); // until the body's last byte
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new HttpTimeoutException("no complete response within " + duration(timeout));
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new HttpTimeoutException("no response within " + duration(timeout));
            }
            if (cause instanceof ConnectException && cause.getCause() instanceof UnresolvedAddressException) {
                // The JDK's ConnectException for a name that does not resolve says nothing: name the host.
                UnknownHostException unknown = new UnknownHostException(uri.getHost());
                unknown.initCause(cause);
                throw unknown;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    /** A timeout as the user reads it: milliseconds below a second ({@code 20 ms}), else seconds ({@code 2.0 s}). */
    static String duration(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return Summary.time(d.toNanos()); // 20 ms, not 0.0 s
        }
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }

    /** Counts the body's bytes and drops them: memory stays flat whatever a page's size. */
    private static HttpResponse.BodySubscriber<Long> counting() {
        return HttpResponse.BodySubscribers.fromSubscriber(new Counter(), Counter::bytes);
    }

    private static final class Counter implements Flow.Subscriber<List<ByteBuffer>> {
        private volatile long bytes; // written by one thread at a time (the subscriber contract), read at the end

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            long n = bytes;
            for (ByteBuffer b : buffers) {
                n += b.remaining();
            }
            bytes = n;
        }

        @Override
        public void onError(Throwable error) {}

        @Override
        public void onComplete() {}

        long bytes() {
            return bytes;
        }
    }
}
