package dev.workerpool.sample;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Politeness: at most N requests per host in any second, as the host sees them. A request holds one of its host's
 * N slots from the moment it may start ({@link #acquire}) until one second after it ended ({@link Permit#close}).
 * Its arrival at the server lies between the two, so however long the network or a cold start delays some
 * requests and not others, no window of one second at the server holds more than N arrivals. (Counting only
 * start times would not do: three requests slowed by connection set-up can arrive together with the next three.)
 *
 * <p>{@link #acquire} blocks until a slot is free: a {@link Condition} wait, timed until the oldest ended request
 * leaves the window, or until a running one ends — no spinning — and an interrupt (which is how a pool's
 * {@code cancel()} stops its workers) ends it at once with {@link InterruptedException}.
 */
final class HostLimiter {
    private final int permits;
    private final long windowNanos;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    /** A started request's slot: {@link #close()} when the request has ended, however it ended. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** At most {@code permits} requests per host in any one second. */
    HostLimiter(int permits) {
        this(permits, Duration.ofSeconds(1));
    }

    HostLimiter(int permits, Duration window) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        this.permits = permits;
        this.windowNanos = window.toNanos();
    }

    /** Waits until a request to this URI's host may start. */
    Permit acquire(URI uri) throws InterruptedException {
        String name = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        Host host = hosts.computeIfAbsent(name, h -> new Host());
        host.acquire();
        return host::release;
    }

    /** One host: how many of its requests run, and when those that ended in the last window ended. */
    private final class Host {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Long> ended = new ArrayDeque<>(); // System.nanoTime(), oldest first
        private int running;

        void acquire() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (true) {
                    long now = System.nanoTime();
                    while (!ended.isEmpty() && now - ended.peekFirst() >= windowNanos) {
                        ended.pollFirst();
                    }
                    if (running + ended.size() < permits) {
                        running++;
                        return;
                    }
                    if (ended.isEmpty()) {
                        changed.await(); // all N running: until one ends
                    } else {
                        changed.awaitNanos(ended.peekFirst() + windowNanos - now); // until the oldest leaves
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        void release() {
            lock.lock();
            try {
                running--;
                ended.addLast(System.nanoTime());
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d per %s per host", permits, Duration.ofNanos(windowNanos));
    }
}
