package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Retries: jobs that fail a given number of times, fail with an error that is not retried, wait in a long
 * backoff, or block past their per-attempt timeout. Every method counts its attempts.
 */
public class Retrying {
    /** The most job ids of the randomized pools. */
    public static final int MAX_IDS = 4_096;

    /** Attempts made, by key. */
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Attempts made, by id (the randomized pools). */
    public final AtomicIntegerArray idCalls = new AtomicIntegerArray(MAX_IDS);
    /** Counted down by the first attempt of {@link #failing}. */
    public final CountDownLatch failedOnce = new CountDownLatch(1);

    private int call(String key) {
        return calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The attempts made for {@code key} so far. */
    public int attempts(String key) {
        AtomicInteger n = calls.get(key);
        return n == null ? 0 : n.get();
    }

    /** Fails its first {@code failures} attempts with an IOException; a negative count: an IllegalStateException. */
    @WorkerPool(workers = 2, buffer = 4, retry = @WorkerPool.Retry(attempts = 3, on = IOException.class))
    public String flaky(String key, int failures) throws IOException {
        int call = call(key);
        if (failures < 0) {
            throw new IllegalStateException(key + " failure " + call);
        }
        if (call <= failures) {
            throw new IOException(key + " failure " + call);
        }
        return key + " on attempt " + call;
    }

    /** {@link #flaky} in a fail-fast pool of one worker: a job fails the pool only when its last attempt fails. */
    @WorkerPool(workers = 1, buffer = 2, failFast = true, name = "RetryingFailFastPool",
            retry = @WorkerPool.Retry(attempts = 3, on = IOException.class))
    public String flakyFailFast(String key, int failures) throws IOException {
        return flaky(key, failures);
    }

    /** Always fails, then waits an hour for its second attempt: only {@code cancel()} ends that wait. */
    @WorkerPool(workers = 1, buffer = 2, retry = @WorkerPool.Retry(attempts = 2, backoff = "1h"))
    public void failing(String key) throws IOException {
        call(key);
        failedOnce.countDown();
        throw new IOException(key + " failed");
    }

    /**
     * Always fails, in a pool of one start an hour: the first attempt takes the hour's permit, so the second
     * waits for a permit until {@code cancel()} ends the wait.
     */
    @WorkerPool(workers = 1, buffer = 2, rate = "1/h", name = "RetryingThrottledPool",
            retry = @WorkerPool.Retry(attempts = 3, on = IOException.class))
    public void throttled(String key) throws IOException {
        call(key);
        failedOnce.countDown();
        throw new IOException(key + " failed");
    }

    /** Its first {@code blocked} attempts wait until interrupted: only their 200 ms timeout ends them. */
    @WorkerPool(workers = 2, buffer = 2, timeout = "200ms",
            retry = @WorkerPool.Retry(attempts = 3, on = TimeoutException.class))
    public int slow(String key, int blocked) throws InterruptedException {
        int call = call(key);
        if (call <= blocked) {
            new CountDownLatch(1).await();
        }
        return call;
    }

    /**
     * The randomized test's job: fails its first {@code failures} attempts (IOException, retried after a short
     * jittered exponential backoff); a negative count waits until interrupted (only in rounds that cancel).
     */
    @WorkerPool(workers = 4, buffer = 4, retry = @WorkerPool.Retry(attempts = 3, on = IOException.class,
            backoff = "50us", multiplier = 2, maxBackoff = "1ms", jitter = 0.5))
    public int mixed(int id, int failures) throws IOException, InterruptedException {
        return mixedAttempt(id, failures);
    }

    /** {@link #mixed}, ordered. */
    @WorkerPool(workers = 4, buffer = 4, ordered = true, name = "RetryingMixedOrderedPool",
            retry = @WorkerPool.Retry(attempts = 3, on = IOException.class, backoff = "50us", multiplier = 2,
                    maxBackoff = "1ms", jitter = 0.5))
    public int mixedOrdered(int id, int failures) throws IOException, InterruptedException {
        return mixedAttempt(id, failures);
    }

    private int mixedAttempt(int id, int failures) throws IOException, InterruptedException {
        int call = idCalls.incrementAndGet(id);
        if (failures < 0) {
            new CountDownLatch(1).await();
        }
        if (call <= failures) {
            throw new IOException(id + " failure " + call);
        }
        return call;
    }

    /**
     * Busy-spins about {@code micros} µs, ignoring interrupts, against a 1 ms timeout per attempt: each attempt
     * races its own deadline, and a timed-out attempt is retried.
     */
    @WorkerPool(workers = 3, buffer = 6, timeout = "1ms",
            retry = @WorkerPool.Retry(attempts = 3, on = TimeoutException.class))
    public int spin(int id, long micros) {
        int call = idCalls.incrementAndGet(id);
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        return call;
    }
}
