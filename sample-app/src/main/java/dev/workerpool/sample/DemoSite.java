package dev.workerpool.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small web site on 127.0.0.1 (loopback only, a free port) for the tour's {@code scrape}: a few pages, one
 * slow, one redirect, one busy the first time it is asked (503, then 200: scrape retries it), one 500, one 404,
 * and one that never answers. Nothing leaves this machine.
 */
final class DemoSite implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-site");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger busyAnswers = new AtomicInteger();

    private DemoSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    static DemoSite start() throws IOException {
        return new DemoSite();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The tour's URLs: every kind of outcome. */
    List<String> tourUrls() {
        List<String> urls = new ArrayList<>();
        for (String path : List.of("/", "/about", "/blog/1", "/blog/2", "/blog/3", "/blog/4", "/slow", "/old",
                "/busy", "/broken", "/missing", "/hang")) {
            urls.add(url(path));
        }
        return urls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/" -> answer(exchange, 200, page("Home", 2));
                case "/about" -> answer(exchange, 200, page("About", 1));
                case "/new" -> answer(exchange, 200, page("Moved here", 3));
                case "/slow" -> {
                    closing.await(400, TimeUnit.MILLISECONDS); // a slow page (over at once if the site closes)
                    answer(exchange, 200, page("Slow", 1));
                }
                case "/old" -> {
                    exchange.getResponseHeaders().add("Location", "/new");
                    answer(exchange, 301, "");
                }
                case "/busy" -> { // too busy the first time: scrape tries again after its backoff
                    if (busyAnswers.getAndIncrement() == 0) {
                        answer(exchange, 503, "busy, try again");
                    } else {
                        answer(exchange, 200, page("Busy", 2));
                    }
                }
                case "/broken" -> answer(exchange, 500, "internal error");
                case "/hang" -> closing.await(); // never answers while the site is up
                default -> {
                    if (path.matches("/blog/\\d{1,3}")) {
                        answer(exchange, 200, page("Post " + path.substring(6),
                                4 + 3 * Integer.parseInt(path.substring(6))));
                    } else {
                        answer(exchange, 404, "not found");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String page(String title, int kilobytes) {
        return "<html><head><title>" + title + "</title></head><body>" + "lorem ipsum ".repeat(kilobytes * 85)
                + "</body></html>";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
