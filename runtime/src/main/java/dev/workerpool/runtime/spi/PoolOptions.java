package dev.workerpool.runtime.spi;

import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.internal.Engines;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How a pool behaves beyond its size: ordered results, fail-fast, a per-job timeout, retries, a rate limit on
 * job starts, and the threads its workers run on. Immutable and thread-safe; every {@code with…} method returns a
 * new instance. Generated
 * pools build theirs once, from the {@code @WorkerPool} attributes, in a constant.
 */
public final class PoolOptions {

    /**
     * No option set: results in completion order, failures do not stop the pool, no timeout, platform threads, no
     * retries, no rate limit.
     */
    public static final PoolOptions DEFAULT = new PoolOptions(false, false, null, null, null, null);

    /**
     * The most platform-thread workers a pool may have, at compile time ({@code @WorkerPool(workers = …)}) and
     * at run time ({@code start(target, workers, buffer)}): more would spend minutes creating threads and hit
     * the operating system's limit instead of bounding concurrency.
     */
    public static final int MAX_PLATFORM_WORKERS = 10_000;

    /** The most virtual-thread workers a pool may have; virtual threads are cheap, so this only catches a typo. */
    public static final int MAX_VIRTUAL_WORKERS = 1 << 20;

    /**
     * The largest job queue a pool may have, at compile time ({@code @WorkerPool(buffer = …)}) and at run time:
     * a queue that large is effectively unbounded, so {@code submit} would never apply backpressure. The same
     * limit as the processor's (which does not depend on the runtime).
     */
    public static final int MAX_BUFFER = 1 << 24;

    private final boolean ordered;
    private final boolean failFast;
    private final Duration timeout;
    private final ThreadFactory threadFactory;
    /** Null for none. */
    private final Rate rate;
    /** Null for none. */
    private final RetryPolicy retry;

    private PoolOptions(boolean ordered, boolean failFast, Duration timeout, ThreadFactory threadFactory,
            Rate rate, RetryPolicy retry) {
        this.ordered = ordered;
        this.failFast = failFast;
        this.timeout = timeout;
        this.threadFactory = threadFactory;
        this.rate = rate;
        this.retry = retry;
    }

    /**
     * Results come out in the order the jobs were accepted, not the order they completed. A result that is
     * {@code workers + buffer} or more positions ahead of the next one to be read holds its worker until the
     * reader gets there, so a slow job holds back at most that many results (then the queue fills and
     * {@code submit} blocks: backpressure, never unbounded memory).
     *
     * @param ordered whether results come out in acceptance order
     * @return options like these, with {@code ordered} set
     */
    public PoolOptions withOrdered(boolean ordered) {
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * The first job that fails cancels the pool (Go's errgroup): running jobs are interrupted, queued jobs get
     * cancelled results. The failed job's result keeps its own error; {@link PoolEngine#failure()} returns it.
     *
     * @param failFast whether the first failure cancels the pool
     * @return options like these, with {@code failFast} set
     */
    public PoolOptions withFailFast(boolean failFast) {
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * A job running longer than {@code timeout} is interrupted and its result carries a
     * {@link java.util.concurrent.TimeoutException}; {@code null} for none. The deadline is enforced by a
     * watchdog thread of the pool's own (a daemon); a job that ignores the interrupt keeps its worker until it
     * returns.
     *
     * @param timeout how long one job may run, from its start on a worker; {@code null} for no limit
     * @return options like these, with {@code timeout} set
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public PoolOptions withTimeout(Duration timeout) {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * Makes the worker threads; {@code null} for the default (platform, non-daemon threads). The pool names
     * every thread it gets {@code <pool>-worker-<i>}. Used by generated pools for virtual threads
     * ({@code Thread.ofVirtual().factory()}). The factory is called on the thread that starts the pool, once
     * per worker, possibly once more by {@link #checkWorkers}, and by {@code runAll} once more for the thread
     * that submits its jobs (named {@code <pool>-runAll}); it must be thread-safe if several pools share it.
     *
     * @param threadFactory makes the worker threads; {@code null} for platform threads
     * @return options like these, with {@code threadFactory} set
     */
    public PoolOptions withThreadFactory(ThreadFactory threadFactory) {
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * Limits how often jobs start, pool-wide; {@code null} for no limit. A worker that has taken a job waits
     * for a permit (parked, not spinning) before it starts it, so the limit counts starts, and a per-job
     * {@linkplain #withTimeout timeout} runs from the start. {@code close()} does not end the wait: an accepted
     * job still runs, at the rate. {@code cancel()} does: the waiting jobs get cancelled results at once,
     * without starting. See {@link Rate} for the guarantee.
     *
     * @param rate the limit on job starts; {@code null} for none
     * @return options like these, with {@code rate} set
     */
    public PoolOptions withRate(Rate rate) {
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * The limit on job starts.
     *
     * @return the rate, or {@code null} for no limit
     */
    public Rate rate() {
        return rate;
    }

    /**
     * A failed job is tried again as {@code retry} says; {@code null}, or a policy of one attempt, for none. A job
     * keeps its worker until its one result, also while it waits for its next attempt; a {@link #timeout()}
     * applies to each attempt; {@code cancel()} ends the wait for the next attempt at once. The policy's Javadoc
     * has the contract.
     *
     * @param retry when and how to try a failed job again; {@code null} for never
     * @return options like these, with {@code retry} set
     */
    public PoolOptions withRetry(RetryPolicy retry) {
        return new PoolOptions(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    /**
     * Whether results come out in acceptance order.
     *
     * @return whether the pool is ordered
     */
    public boolean ordered() {
        return ordered;
    }

    /**
     * Whether the first failure cancels the pool.
     *
     * @return whether the pool is fail-fast
     */
    public boolean failFast() {
        return failFast;
    }

    /**
     * The per-job timeout.
     *
     * @return the timeout, or {@code null} for none
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The worker thread factory.
     *
     * @return the factory, or {@code null} for platform threads
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * The retry policy.
     *
     * @return the policy, or {@code null} for none
     */
    public RetryPolicy retry() {
        return retry;
    }

    /**
     * Checks a pool's worker count against the limits: at least 1, at most {@link #MAX_PLATFORM_WORKERS}, or
     * {@link #MAX_VIRTUAL_WORKERS} when the {@link #threadFactory() thread factory} makes virtual threads. Only
     * a count above the platform limit with a factory set asks the factory for one thread (never started) to
     * see which kind it makes. Safe to call from any thread.
     *
     * @param pool    the pool's name, for the message
     * @param workers the worker count to check
     * @throws IllegalArgumentException if {@code workers} is out of range; the message names the pool, the count
     *                                  and the limit
     */
    public void checkWorkers(String pool, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException(pool + ": workers must be at least 1, was " + workers);
        }
        if (workers <= MAX_PLATFORM_WORKERS) {
            return;
        }
        boolean virtual = threadFactory != null && makesVirtualThreads(threadFactory);
        int limit = virtual ? MAX_VIRTUAL_WORKERS : MAX_PLATFORM_WORKERS;
        if (workers > limit) {
            throw new IllegalArgumentException(pool + ": workers = " + workers + " would start that many "
                    + (virtual ? "virtual" : "platform") + " threads; the limit is " + limit);
        }
    }

    /**
     * Checks a pool's job queue capacity against the limits: at least 0, at most {@link #MAX_BUFFER}. Safe to
     * call from any thread.
     *
     * @param pool   the pool's name, for the message
     * @param buffer the capacity to check
     * @throws IllegalArgumentException if {@code buffer} is out of range; the message names the pool, the
     *                                  capacity and the limit
     */
    public static void checkBuffer(String pool, int buffer) {
        if (buffer < 0) {
            throw new IllegalArgumentException(pool + ": buffer must be at least 0, was " + buffer);
        }
        if (buffer > MAX_BUFFER) {
            throw new IllegalArgumentException(pool + ": buffer = " + buffer + " is so large that the queue is "
                    + "effectively unbounded and backpressure never happens; the limit is " + MAX_BUFFER);
        }
    }

    private static boolean makesVirtualThreads(ThreadFactory factory) {
        Thread probe = factory.newThread(() -> { });
        return probe != null && Engines.isVirtual(probe);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolOptions other && ordered == other.ordered && failFast == other.failFast
                && Objects.equals(timeout, other.timeout) && Objects.equals(threadFactory, other.threadFactory)
                && Objects.equals(rate, other.rate) && Objects.equals(retry, other.retry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ordered, failFast, timeout, threadFactory, rate, retry);
    }

    @Override
    public String toString() {
        return "PoolOptions[ordered=" + ordered + ", failFast=" + failFast + ", timeout=" + timeout
                + ", threadFactory=" + threadFactory + ", rate=" + rate + ", retry=" + retry + "]";
    }
}
