package dev.workerpool.sample;

import java.io.IOException;

/**
 * The server answered 429 (Too Many Requests) or 503 (Service Unavailable): it asks to be tried again later.
 * {@code FetcherFetchPool} retries such a URL with a growing wait ({@link Fetcher#fetch}); if every attempt gets
 * this answer, this exception is the URL's result, with the earlier attempts' answers as suppressed exceptions.
 */
public final class ServerBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The last response, as a page (status 429 or 503). */
    private final transient Page page;

    ServerBusyException(Page page) {
        super("HTTP " + page.status() + " from " + page.finalUri());
        this.page = page;
    }

    /** The busy response: its status, size and timing. */
    public Page page() {
        return page;
    }
}
