package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** A pool with side effects only: the shape of Go's "WaitGroup only" worker pool. */
public class Counter {
    /** What every {@link #touch} has added. */
    public static final AtomicLong TOUCHED = new AtomicLong();

    @WorkerPool(workers = 2, buffer = 4)
    public static void touch(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative: " + n);
        }
        TOUCHED.addAndGet(n);
    }

    /** Appends to this instance's own log: one instance per worker needs no locking. */
    @WorkerPool(workers = 3, buffer = 2)
    public int record(int n) {
        log.append(n).append(' ');
        return n;
    }

    private final StringBuilder log = new StringBuilder();

    /** The jobs {@link #mark} completed. */
    public final Set<Integer> marked = ConcurrentHashMap.newKeySet();

    /** Side effects only, on a shared target: records {@code n}; a negative {@code n} fails instead. */
    @WorkerPool(workers = 3, buffer = 4)
    public void mark(int n) {
        if (n < 0) {
            throw new IllegalStateException("negative: " + n);
        }
        marked.add(n);
    }

    /** Side effects only, failing fast: job 50 fails, and that cancels the pool. */
    @WorkerPool(workers = 2, buffer = 4, failFast = true)
    public static void strict(int n) {
        if (n == 50) {
            throw new IllegalArgumentException("job 50 fails");
        }
        TOUCHED.incrementAndGet();
    }

    /** Released by a test: {@link #slow} job 1 waits for it, ignoring interrupts, so that it outlives its timeout. */
    public static volatile CountDownLatch release = new CountDownLatch(0);

    /** Side effects only, timed: job 1 runs past its timeout (it ignores the watchdog's interrupt until released). */
    @WorkerPool(workers = 1, buffer = 1, timeout = "1s")
    public static void slow(int n) {
        if (n == 1) {
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the watchdog's: keep waiting, so that the result is decided before the end
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        TOUCHED.incrementAndGet();
    }
}
