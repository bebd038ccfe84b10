package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Side-effect pools through generated classes: {@code start(onResult)}, no results channel to read. */
@ExtendWith(NoLeakedThreads.class)
class SideEffectPoolTest {

    /** The README's snippet, with a handler: one thread submits 100,000 jobs, closes, awaits; nothing hangs. */
    @Test
    void oneThreadSubmitsAHundredThousandJobsThenClosesAndAwaits() throws Exception {
        Counter.TOUCHED.set(0);
        LongAdder failures = new LongAdder();
        var pool = CounterTouchPool.start(r -> {
            if (!r.isSuccess()) {
                failures.increment();
            }
        });
        for (int i = 1; i <= 100_000; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(100_000L * 100_001 / 2, Counter.TOUCHED.get());
        assertEquals(0, failures.sum());
        assertEquals(100_000, pool.stats().completed());
    }

    @Test
    void aFailedJobReachesTheHandlerWithItsError() throws Exception {
        List<CounterTouchPool.Result> failed = new CopyOnWriteArrayList<>();
        try (var pool = CounterTouchPool.start(1, 0, r -> {
            if (!r.isSuccess()) {
                failed.add(r);
            }
        })) {
            pool.submit(5);
            pool.submit(-7);
            pool.submit(6);
            pool.close();
            pool.await();
            assertEquals(1, failed.size());
            assertEquals(-7, failed.get(0).job().n());
            assertEquals("negative: -7", failed.get(0).error().getMessage());
            assertEquals(1, pool.stats().failed());
        }
    }

    /** failFast through a generated side-effect pool: the failure cancels it, and still every job is handled once. */
    @Test
    void failFastStillCancelsAndEveryAcceptedJobReachesTheHandlerOnce() throws Exception {
        Map<Integer, CounterStrictPool.Result> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        var pool = CounterStrictPool.start(r -> {
            if (seen.put(r.job().n(), r) != null) {
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
            // job 50's failure cancelled the pool
        }
        PoolFailedException failed = assertThrows(PoolFailedException.class, pool::await);
        assertEquals("job 50 fails", failed.getCause().getMessage());
        assertTrue(accepted < 10_000, "the failure stopped intake");
        assertEquals(accepted, seen.size(), "every accepted job reached the handler");
        assertEquals(0, duplicates.get());
        assertInstanceOf(IllegalArgumentException.class, seen.get(50).error());
        long cancelled = seen.values().stream().filter(r -> r.error() instanceof CancellationException).count();
        assertEquals(pool.stats().cancelled(), cancelled);
        assertEquals(1, pool.stats().failed());
    }

    /** A timeout through a generated side-effect pool: the timed-out result reaches the handler, on the worker. */
    @Test
    void aTimedOutJobsResultReachesTheHandlerBeforeAwaitReturns() throws Exception {
        Counter.release = new CountDownLatch(1);
        List<CounterSlowPool.Result> results = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        var pool = CounterSlowPool.start(r -> {
            threads.add(Thread.currentThread().getName());
            results.add(r);
        });
        try {
            pool.submit(1);
            Waits.until(() -> pool.stats().timedOut() == 1, "job 1 timed out");
            assertEquals(List.of(), results,
                    "the watchdog never calls the handler: the worker does, once job 1 returns");
        } finally {
            Counter.release.countDown();
        }
        pool.submit(2);
        pool.close();
        pool.await();
        assertEquals(2, results.size());
        assertInstanceOf(TimeoutException.class, results.get(0).error());
        assertEquals(1, results.get(0).job().n());
        assertTrue(results.get(1).isSuccess());
        assertEquals(List.of("CounterSlowPool-worker-1", "CounterSlowPool-worker-1"), threads);
    }

    @Test
    void resultsIsRefusedWithAClearMessage() throws Exception {
        try (var pool = CounterTouchPool.start(r -> { })) {
            IllegalStateException e = assertThrows(IllegalStateException.class, pool::results);
            assertEquals("CounterTouchPool: its results go to the handler given to start; there is nothing to read",
                    e.getMessage());
            pool.close();
            pool.await();
        }
    }

    @Test
    void perWorkerTargetsWithAHandler() throws Exception {
        List<Counter> made = new CopyOnWriteArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        var pool = CounterRecordPool.start(() -> {
            Counter c = new Counter();
            made.add(c);
            return c;
        }, r -> handled.incrementAndGet());
        for (int i = 0; i < 1_000; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Duration.ofMinutes(1)), Waits.threadDump());
        assertEquals(3, made.size());
        assertEquals(1_000, handled.get());
    }
}
