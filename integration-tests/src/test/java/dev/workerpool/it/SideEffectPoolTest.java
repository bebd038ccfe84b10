package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.List;
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
