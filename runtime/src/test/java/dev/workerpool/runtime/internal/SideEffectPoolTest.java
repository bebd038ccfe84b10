package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Side-effect pools: every result goes to a handler on the worker thread; nothing waits for a reader. */
class SideEffectPoolTest {

    record R(Integer job, Object value, Throwable error) {
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static String poolName(String what) {
        return "SideEffect" + what + POOLS.incrementAndGet();
    }

    private static LocalEngine<Integer, Object, R> start(String name, PoolOptions options, int workers, int buffer,
            dev.workerpool.runtime.spi.JobFunction<Integer, Object> function, Consumer<R> handler) {
        return LocalEngine.start(name, options, workers, buffer, function, R::new, handler);
    }

    @Test
    void oneThreadSubmitsAHundredThousandJobsClosesAndAwaitsWithEverySideEffectDone() throws Exception {
        AtomicLong sum = new AtomicLong();
        AtomicInteger handled = new AtomicInteger();
        LocalEngine<Integer, Object, R> pool = start(poolName("Touch"), PoolOptions.DEFAULT, 2, 4, n -> {
            sum.addAndGet(n);
            return null;
        }, r -> handled.incrementAndGet());
        for (int i = 1; i <= 100_000; i++) {
            pool.submit(i); // would stall at about the 13th with a result queue nobody reads
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(100_000L * 100_001 / 2, sum.get());
        assertEquals(100_000, handled.get());
        assertEquals(100_000, pool.stats().completed());
        assertTrue(pool.isTerminated());
    }

    @Test
    void failuresReachTheHandlerOnTheWorkerThreadAndAreCounted() throws Exception {
        List<R> failures = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        String name = poolName("Failures");
        LocalEngine<Integer, Object, R> pool = start(name, PoolOptions.DEFAULT, 3, 2, n -> {
            if (n % 10 == 0) {
                throw new IllegalArgumentException("bad " + n);
            }
            return n;
        }, r -> {
            threads.add(Thread.currentThread().getName());
            if (r.error() != null) {
                failures.add(r);
            }
        });
        for (int i = 1; i <= 1_000; i++) {
            pool.submit(i);
        }
        pool.close();
        pool.await();
        assertEquals(100, failures.size());
        failures.forEach(r -> assertEquals("bad " + r.job(), r.error().getMessage()));
        assertTrue(threads.stream().allMatch(t -> t.startsWith(name + "-worker-")), threads.toString());
        assertEquals(100, pool.stats().failed());
        assertEquals(900, pool.stats().completed());
    }

    @Test
    void aHandlerThatThrowsIsReportedToTheThreadsHandlerAndTheWorkerGoesOn() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(runnable -> {
            Thread t = new Thread(runnable);
            t.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
            return t;
        });
        AtomicInteger handled = new AtomicInteger();
        LocalEngine<Integer, Object, R> pool = start(poolName("Throwing"), options, 2, 2, n -> n, r -> {
            handled.incrementAndGet();
            if (r.job() % 3 == 0) {
                throw new IllegalStateException("handler failed on " + r.job());
            }
        });
        for (int i = 1; i <= 300; i++) {
            pool.submit(i);
        }
        pool.close();
        pool.await();
        assertEquals(300, handled.get());
        assertEquals(100, reported.size());
        assertTrue(reported.stream().allMatch(e -> e.getMessage().startsWith("handler failed on ")));
        assertTrue(pool.isTerminated());
    }

    @Test
    void failFastStillCancelsAndEveryAcceptedJobReachesTheHandlerOnce() throws Exception {
        Map<Integer, R> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        String name = poolName("FailFast");
        LocalEngine<Integer, Object, R> pool = start(name, PoolOptions.DEFAULT.withFailFast(true), 2, 4, n -> {
            if (n == 50) {
                throw new IllegalArgumentException("job 50 fails");
            }
            return n;
        }, r -> {
            if (seen.put(r.job(), r) != null) {
                duplicates.incrementAndGet();
            }
        });
        int accepted = 0;
        try {
            for (int i = 1; i <= 10_000; i++) {
                pool.submit(i);
                accepted++;
            }
        } catch (PoolClosedException expected) {
            // the failure cancelled the pool
        }
        PoolFailedException failed = assertThrows(PoolFailedException.class, pool::awaitOrThrow);
        assertEquals("job 50 fails", failed.getCause().getMessage());
        assertTrue(accepted < 10_000, "the first failure stopped intake");
        assertEquals(accepted, seen.size());
        assertEquals(0, duplicates.get());
        assertInstanceOf(IllegalArgumentException.class, seen.get(50).error());
        long cancelled = seen.values().stream().filter(r -> r.error() instanceof CancellationException).count();
        assertEquals(pool.stats().cancelled(), cancelled);
    }

    @Test
    void aTimedOutJobsResultReachesTheHandlerOnItsWorkerBeforeAwaitReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<R> results = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        String name = poolName("Timeout");
        LocalEngine<Integer, Object, R> pool = start(name, PoolOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)), 1, 1,
                n -> {
                    if (n == 1) {
                        // Ignores the watchdog's interrupt until released, so the result is decided long before
                        // the job returns.
                        while (true) {
                            try {
                                if (release.await(Waits.LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                                    return n;
                                }
                            } catch (InterruptedException ignored) {
                                // keep waiting
                            }
                        }
                    }
                    return n;
                }, r -> {
                    threads.add(Thread.currentThread().getName());
                    results.add(r);
                });
        pool.submit(1);
        Waits.until(() -> pool.stats().timedOut() == 1, "job 1 timed out");
        assertEquals(0, results.size(), "the watchdog never calls the handler");
        release.countDown();
        pool.submit(2);
        pool.close();
        pool.await();
        assertEquals(2, results.size());
        assertInstanceOf(TimeoutException.class, results.get(0).error());
        assertEquals(2, results.get(1).value());
        assertEquals(List.of(name + "-worker-1", name + "-worker-1"), threads);
    }

    @Test
    void resultsIsRefusedAndAnOrderedPoolIsRejected() throws Exception {
        String name = poolName("Refused");
        LocalEngine<Integer, Object, R> pool = start(name, PoolOptions.DEFAULT, 1, 1, n -> n, r -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::results);
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        pool.close();
        pool.await();
        IllegalArgumentException ordered = assertThrows(IllegalArgumentException.class,
                () -> start("OrderedHandler", PoolOptions.DEFAULT.withOrdered(true), 1, 1, n -> n, r -> { }));
        assertTrue(ordered.getMessage().startsWith("OrderedHandler: an ordered pool"), ordered.getMessage());
        assertEquals(0, Waits.liveThreads("OrderedHandler"));
    }

    /**
     * Exactly once under close and cancel racing the producer: random sizes, a cancel from another thread at a
     * random moment (or a plain close); every accepted job reaches the handler exactly once, no other does.
     */
    @Test
    void everyAcceptedJobReachesTheHandlerExactlyOnceUnderRandomCloseAndCancel() throws Exception {
        Random random = new Random(20261205);
        int rounds = Integer.getInteger("workerpool.stress.rounds", 2) * 25;
        for (int round = 0; round < rounds; round++) {
            int workers = 1 + random.nextInt(4);
            int buffer = random.nextInt(6);
            int jobs = 200 + random.nextInt(2_000);
            boolean cancel = random.nextBoolean();
            int cancelAt = random.nextInt(jobs);
            boolean failFast = random.nextInt(4) == 0;
            Map<Integer, Integer> calls = new ConcurrentHashMap<>();
            PoolOptions options = failFast ? PoolOptions.DEFAULT.withFailFast(true) : PoolOptions.DEFAULT;
            LocalEngine<Integer, Object, R> pool = start(poolName("Random"), options, workers, buffer, n -> {
                if (failFast && n == cancelAt) {
                    throw new IllegalStateException("fails");
                }
                if (n % 97 == 0) {
                    Thread.yield();
                }
                return n;
            }, r -> calls.merge(r.job(), 1, Integer::sum));
            CountDownLatch reached = new CountDownLatch(1);
            Thread canceller = new Thread(() -> {
                try {
                    reached.await();
                } catch (InterruptedException e) {
                    return;
                }
                pool.cancel();
            });
            canceller.start();
            int accepted = 0;
            try {
                for (int i = 0; i < jobs; i++) {
                    if (i == cancelAt) {
                        if (cancel) {
                            reached.countDown();
                        } else {
                            pool.close();
                        }
                    }
                    pool.submit(i);
                    accepted++;
                }
            } catch (PoolClosedException expected) {
                // closed or cancelled under the producer
            }
            reached.countDown();
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
            Waits.join(canceller);
            assertEquals(accepted, calls.size(), "round " + round);
            for (int i = 0; i < accepted; i++) {
                assertEquals(1, calls.getOrDefault(i, 0), "round " + round + ", job " + i);
            }
        }
    }
}
