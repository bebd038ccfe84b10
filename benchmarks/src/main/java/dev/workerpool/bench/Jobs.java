package dev.workerpool.bench;

import dev.workerpool.WorkerPool;

/**
 * The workloads. Each is a {@code @WorkerPool} method, so the generated pools measured here are what a
 * user gets; the JDK baselines call the same static methods. The annotation's sizes are only defaults: every
 * benchmark starts its pool with the shape it measures.
 */
public final class Jobs {
    /** Iterations of {@link #burn} that take about 50 µs on this machine; set by {@link #calibrate}. */
    static volatile int burnIterations = 20_000;

    private Jobs() {}

    /** Trivial: the cost of the hand-off dominates. */
    @WorkerPool(workers = 3, buffer = 10)
    public static long square(int n) {
        return (long) n * n;
    }

    /**
     * Trivial, with a per-job timeout that no job reaches: what the timeout's per-job bookkeeping (the job's
     * deadline published for the pool's watchdog thread) costs, against {@link #square}.
     */
    @WorkerPool(workers = 3, buffer = 10, timeout = "10s")
    public static long squareTimed(int n) {
        return square(n);
    }

    /**
     * Trivial, with a retry policy that no job needs (it never fails): what a pool with retries costs per job,
     * against {@link #square}.
     */
    @WorkerPool(workers = 3, buffer = 10, retry = @WorkerPool.Retry(attempts = 3, backoff = "10ms", multiplier = 2))
    public static long squareRetried(int n) {
        return square(n);
    }

    /** {@link #square} in an ordered pool: results in acceptance order, through the reorder window. */
    @WorkerPool(workers = 3, buffer = 10, ordered = true)
    public static long squareOrdered(int n) {
        return square(n);
    }

    /**
     * Trivial, with a rate limit it never reaches (one start per nanosecond): what taking a permit costs a
     * start, against {@link #square}. The {@code workerpool-rate-limited} contender starts the same pool with a
     * rate it does reach.
     */
    @WorkerPool(workers = 3, buffer = 10, rate = "1000000000/s")
    public static long squareRated(int n) {
        return square(n);
    }

    /** CPU: about 50 µs of real work (a xorshift chain the JIT cannot remove). */
    @WorkerPool(workers = 2, buffer = 16)
    public static long burn(int n) {
        long x = n | 1L;
        for (int i = burnIterations; i > 0; i--) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** Sleep: 5 ms, like a call to a slow service. */
    @WorkerPool(workers = 8, buffer = 16)
    public static long nap(int n) throws InterruptedException {
        Thread.sleep(5);
        return n;
    }

    /** Sets {@link #burnIterations} so that one {@link #burn} takes about {@code micros} on this machine. */
    static synchronized void calibrate(int micros) {
        int iterations = 20_000;
        for (int round = 0; round < 5; round++) {
            burnIterations = iterations;
            long sink = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                sink += burn(i);
            }
            double perJob = (System.nanoTime() - start) / 200.0;
            iterations = (int) Math.max(1, iterations * (micros * 1000.0 / perJob));
            if (sink == 42) {
                System.out.print("");
            }
        }
        burnIterations = iterations;
    }
}
