package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool to resize at run time. A job may meet others at a latch (only as many jobs as run at once get past it),
 * hold its worker until the test lets it go, or resize its own pool. As a per-worker target it counts how many
 * instances were made and closed.
 */
public class Elastic implements AutoCloseable {
    public static final AtomicInteger OPENED = new AtomicInteger();
    public static final AtomicInteger CLOSED = new AtomicInteger();

    /** One permit per held job that has started. */
    public final Semaphore started = new Semaphore(0);
    /** One permit lets one held job finish. */
    public final Semaphore finish = new Semaphore(0);
    /** What a meeting job counts down and waits for. */
    public volatile CountDownLatch meet = new CountDownLatch(0);
    /** The pool a resizing job resizes. */
    public volatile ElasticWorkPool pool;

    public Elastic() {
        OPENED.incrementAndGet();
    }

    /**
     * Runs one job: {@code hold} waits for a {@link #finish} permit; otherwise it meets the others at {@link #meet};
     * a positive {@code resizeTo} then resizes {@link #pool}. Returns the worker thread's name.
     */
    @WorkerPool(workers = 2, buffer = 4)
    public String work(int job, boolean hold, int resizeTo) throws InterruptedException {
        if (hold) {
            started.release();
            finish.acquire();
        } else {
            CountDownLatch latch = meet;
            latch.countDown();
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("job " + job + ": the others never ran at the same time");
            }
        }
        if (resizeTo > 0) {
            pool.resize(resizeTo);
        }
        return Thread.currentThread().getName();
    }

    /** A pool with per-worker lanes by default (128 job slots per worker); a negative id holds its worker. */
    @WorkerPool(workers = 2, buffer = 256)
    public int spread(int id) throws InterruptedException {
        if (id < 0) {
            started.release();
            finish.acquire();
        }
        return id;
    }

    @Override
    public void close() {
        CLOSED.incrementAndGet();
    }
}
