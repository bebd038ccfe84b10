package dev.workerpool.hazelcast;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools with retries, run on a cluster: the member that runs a job tries it again. */
final class Flaky {
    /** Attempts per job id, in this JVM. */
    static final ConcurrentHashMap<Long, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    /** Counted down by {@link #stubborn}'s first attempt. */
    static final CountDownLatch STUBBORN_TRIED = new CountDownLatch(1);

    private Flaky() {
    }

    /**
     * Fails the first {@code failures} attempts of job {@code id}.
     *
     * @param id       the job
     * @param failures how many attempts fail
     * @param io       whether they fail with an {@link IOException} (retried) or an {@link IllegalStateException}
     *                 (not retried)
     * @return the attempt that succeeded
     * @throws IOException while {@code failures} attempts are not made yet
     */
    @WorkerPool(workers = 2, buffer = 8, retry = @WorkerPool.Retry(attempts = 3, on = IOException.class))
    static int flaky(long id, int failures, boolean io) throws IOException {
        int attempt = ATTEMPTS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (attempt <= failures) {
            if (io) {
                throw new IOException("attempt " + attempt + " of job " + id);
            }
            throw new IllegalStateException("attempt " + attempt + " of job " + id);
        }
        return attempt;
    }

    /**
     * Always fails, and waits ten minutes before its second attempt: only a cancel ends that wait.
     *
     * @param x anything
     * @return never
     * @throws IOException always
     */
    @WorkerPool(workers = 1, buffer = 1, retry = @WorkerPool.Retry(attempts = 2, backoff = "10m"))
    static int stubborn(int x) throws IOException {
        STUBBORN_TRIED.countDown();
        throw new IOException("stubborn " + x);
    }
}
