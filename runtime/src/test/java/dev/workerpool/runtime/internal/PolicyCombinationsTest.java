package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.RetryPolicy;
import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The production policies combined with each other and with the pool's lifecycle: a cancel reaching a retried
 * job while it waits for its next attempt's rate-limit permit, a shrink while retried jobs wait out their backoff,
 * an attempt timeout shorter than the backoff, and a side-effect handler that throws an {@code Error} or calls
 * {@code await()} or {@code results()} on its own pool. Each checks one result per accepted job and the stats.
 */
class PolicyCombinationsTest {

    record R(Object job, Object value, Throwable error) {}

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static String poolName(String what) {
        return "Policy" + what + POOLS.incrementAndGet();
    }

    private static List<R> readAll(LocalEngine<Integer, Object, R> pool) throws InterruptedException {
        if (!pool.await(Waits.LIMIT)) {
            AssertionError stuck = Waits.stuck(pool.name() + " to terminate");
            pool.cancel();
            throw stuck;
        }
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        results.sort(Comparator.comparing(r -> (Integer) r.job()));
        return results;
    }

    /**
     * A job whose first attempt failed waits for its second attempt's permit (one start an hour); cancel() ends
     * that wait at once: a cancelled result with the first attempt's error suppressed, no retry counted, and the
     * job queued behind it cancelled before it started.
     */
    @Test
    void cancelEndsAWaitForTheNextAttemptsRatePermit() throws Exception {
        CountDownLatch firstAttempt = new CountDownLatch(1);
        IOException first = new IOException("attempt 1");
        PoolOptions options = PoolOptions.DEFAULT.withRate(Rate.of(1, Duration.ofHours(1)))
                .withRetry(RetryPolicy.of(3, List.of(), null, 1.0, null, 0));
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("PermitCancel"), options, 1, 2, job -> {
            firstAttempt.countDown();
            throw first;
        }, R::new);
        pool.submit(1);
        pool.submit(2);
        pool.close();
        Waits.await(firstAttempt, "the first attempt");
        Worker<Integer, Object, R> worker = pool.workerThreads().get(0);
        Waits.untilWaiting(worker.thread); // in the rate limiter, for the second attempt's permit
        pool.cancel();
        List<R> results = readAll(pool);
        assertEquals(2, results.size(), results.toString());
        Throwable error = results.get(0).error();
        assertInstanceOf(CancellationException.class, error);
        assertEquals(List.of(first), List.of(error.getSuppressed()));
        assertInstanceOf(CancellationException.class, results.get(1).error());
        PoolStats stats = pool.stats();
        assertEquals(0, stats.retries(), stats.toString());
        assertEquals(2, stats.cancelled(), stats.toString());
        assertEquals(2, stats.submitted(), stats.toString());
    }

    /**
     * Both workers hold a job waiting out its backoff when the pool shrinks to one: neither job is cut short or
     * run twice, the retiring worker finishes its own, and the queued jobs go to the one that stays.
     */
    @Test
    void shrinkingWhileRetriedJobsWaitForTheirBackoffKeepsExactlyOnce() throws Exception {
        CountDownLatch failedOnce = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        PoolOptions options = PoolOptions.DEFAULT.withRetry(
                RetryPolicy.of(2, List.of(), Duration.ofMillis(1), 1.0, null, 0));
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("ShrinkBackoff"), options, 2, 8, job -> {
            int attempt = attempts.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
            if (job <= 2 && attempt == 1) {
                failedOnce.countDown();
                if (!release.await(Waits.LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("never released");
                }
                throw new IOException("attempt 1 of " + job);
            }
            return job;
        }, R::new);
        for (int i = 1; i <= 6; i++) {
            pool.submit(i);
        }
        Waits.await(failedOnce, "both workers in their first attempt");
        pool.resize(1);
        assertEquals(1, pool.stats().workers());
        release.countDown();
        pool.close();
        List<R> results = readAll(pool);
        assertEquals(6, results.size(), results.toString());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, results.get(i).value(), results.get(i).toString());
            assertNull(results.get(i).error());
        }
        attempts.forEach((job, n) -> assertEquals(job <= 2 ? 2 : 1, n.get(), "attempts of job " + job));
        PoolStats stats = pool.stats();
        assertEquals(6, stats.completed(), stats.toString());
        assertEquals(2, stats.retries(), stats.toString());
        assertEquals(1, stats.workers(), stats.toString());
    }

    /**
     * The timeout bounds each attempt, not the backoff between them (here longer than the timeout): a job stuck
     * in its first two attempts succeeds in its third; one stuck in every attempt times out once, its result
     * carrying the two earlier timeouts.
     */
    @Test
    void aBackoffLongerThanTheAttemptTimeoutStillGivesOneResultPerJob() throws Exception {
        Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        PoolOptions options = PoolOptions.DEFAULT.withTimeout(Duration.ofMillis(30))
                .withRetry(RetryPolicy.of(3, List.of(TimeoutException.class), Duration.ofMillis(60), 1.0, null, 0));
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("TimeoutBackoff"), options, 2, 2, job -> {
            int attempt = attempts.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet();
            if (job == 1 && attempt == 3) {
                return "third";
            }
            Thread.sleep(Waits.LIMIT.toMillis()); // until the timeout's interrupt
            throw new AssertionError("not interrupted");
        }, R::new);
        pool.submit(1);
        pool.submit(2);
        pool.close();
        List<R> results = readAll(pool);
        assertEquals(2, results.size(), results.toString());
        assertEquals("third", results.get(0).value());
        Throwable timedOut = results.get(1).error();
        assertInstanceOf(TimeoutException.class, timedOut);
        assertEquals(2, timedOut.getSuppressed().length);
        for (Throwable earlier : timedOut.getSuppressed()) {
            assertInstanceOf(TimeoutException.class, earlier);
        }
        assertEquals(3, attempts.get(1).get());
        assertEquals(3, attempts.get(2).get());
        PoolStats stats = pool.stats();
        assertEquals(4, stats.retries(), stats.toString());
        assertEquals(1, stats.timedOut(), stats.toString());
        assertEquals(1, stats.completed(), stats.toString());
    }

    /**
     * A side-effect handler that throws an Error, or calls await() or results() on its own pool, is reported to
     * the worker thread's uncaught-exception handler (the await and results calls as IllegalStateExceptions
     * naming the pool, not a wait for ever), and the worker goes on: every job reaches the handler once.
     */
    @Test
    void aHandlerThatThrowsAnErrorOrAwaitsOrReadsItsOwnPoolIsReportedAndTheWorkerGoesOn() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(runnable -> {
            Thread t = new Thread(runnable);
            t.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
            return t;
        });
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        List<Object> handled = new CopyOnWriteArrayList<>();
        OutOfMemoryError error = new OutOfMemoryError("simulated");
        Consumer<R> handler = r -> {
            handled.add(r.job());
            switch ((Integer) r.job()) {
                case 1 -> throw error;
                case 2 -> {
                    try {
                        self.get().await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                case 3 -> self.get().results();
                default -> { }
            }
        };
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("HandlerErrors"), options, 1, 8,
                job -> job, R::new, handler);
        self.set(pool);
        for (int i = 1; i <= 5; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(List.of(1, 2, 3, 4, 5), handled);
        assertEquals(3, reported.size(), reported.toString());
        assertEquals(error, reported.get(0));
        for (Throwable e : reported.subList(1, 3)) {
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().startsWith(pool.name() + ": "), e.getMessage());
        }
        assertEquals(5, pool.stats().completed());
    }
}
