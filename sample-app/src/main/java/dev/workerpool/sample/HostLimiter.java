package dev.workerpool.sample;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Politeness: at most N requests start per host in any window of one second (a sliding window, not calendar
 * seconds). {@link #acquire} blocks until the host allows one more; waiting is a timed {@link Condition} wait
 * until the oldest of the host's last N starts leaves the window — no spinning — and an interrupt (which is how
 * a pool's {@code cancel()} stops its workers) ends it at once with {@link InterruptedException}.
 */
final class HostLimiter {
    private final int permits;
    private final long windowNanos;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();

    /** At most {@code permits} request starts per host in any one second. */
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

    /** Waits until a request to this URI's host may start, and counts it as started. */
    void acquire(URI uri) throws InterruptedException {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        hosts.computeIfAbsent(host, h -> new Host()).acquire();
    }

    /** One host's last {@code permits} start times, oldest at {@code next}: a ring. */
    private final class Host {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition never = lock.newCondition(); // only timed waits: nothing frees a permit earlier
        private final long[] starts = new long[permits];
        private int next;

        Host() {
            long longAgo = System.nanoTime() - windowNanos - 1;
            java.util.Arrays.fill(starts, longAgo);
        }

        void acquire() throws InterruptedException {
            lock.lockInterruptibly();
            try {
                for (long wait = waitNanos(); wait > 0; wait = waitNanos()) {
                    never.awaitNanos(wait);
                }
                starts[next] = System.nanoTime();
                next = (next + 1) % permits;
            } finally {
                lock.unlock();
            }
        }

        /** How long until the oldest start leaves the window; 0 or less: a request may start now. */
        private long waitNanos() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return starts[next] + windowNanos - System.nanoTime();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d per %d ms per host", permits, TimeUnit.NANOSECONDS.toMillis(windowNanos));
    }
}
