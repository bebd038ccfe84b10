package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Side-effect pools ({@code start(onResult)}) under close and cancel at random moments, with failing jobs and a
 * handler that sometimes throws: every accepted job reaches the handler exactly once, with the outcome its job
 * earned, and the handler's own failures are reported, not lost.
 */
@ExtendWith(NoLeakedThreads.class)
class SideEffectRacesTest {

    @Test
    void everyAcceptedJobReachesTheHandlerExactlyOnce() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        LongAdder handlerFailuresReported = new LongAdder();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (t.getName().startsWith("CounterMarkPool-worker-") && e.getMessage().startsWith("handler rejects")) {
                handlerFailuresReported.increment();
            } else if (previous != null) {
                previous.uncaughtException(t, e);
            }
        });
        try {
            int rounds = 0;
            while (rounds < 10 || rounds < 300 && System.nanoTime() < deadline) {
                rounds++;
                String round = "seed " + seed + ", round " + rounds;
                handlerFailuresReported.reset();
                Counter target = new Counter();
                Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
                Map<Integer, Throwable> errors = new ConcurrentHashMap<>();
                AtomicInteger handlerThrew = new AtomicInteger();
                var pool = CounterMarkPool.start(target, 1 + random.nextInt(4), random.nextInt(6), r -> {
                    int n = r.job().n();
                    handled.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
                    if (r.error() != null) {
                        errors.put(n, r.error());
                    }
                    if (Math.floorMod(n, 7) == 3) {
                        handlerThrew.incrementAndGet();
                        throw new IllegalArgumentException("handler rejects " + n);
                    }
                });
                int jobs = 20 + random.nextInt(300);
                int cancelAt = random.nextBoolean() ? random.nextInt(jobs) : -1;
                CountDownLatch atCancelPoint = new CountDownLatch(1);
                AtomicInteger accepted = new AtomicInteger();
                Thread producer = new Thread(() -> {
                    try {
                        for (int i = 0; i < jobs; i++) {
                            if (i == cancelAt) {
                                atCancelPoint.countDown();
                            }
                            pool.submit(random.nextInt(10) == 0 ? -i - 1 : i);
                            accepted.incrementAndGet();
                        }
                        pool.close();
                    } catch (PoolClosedException cancelled) {
                        // cancelled while submitting: that job was not accepted
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "producer");
                producer.start();
                if (cancelAt >= 0) {
                    assertTrue(atCancelPoint.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS), round);
                    pool.cancel();
                }
                Waits.join(producer);
                assertTrue(pool.await(Waits.LIMIT), round + "\n" + Waits.threadDump());
                assertEquals(accepted.get(), handled.size(), round + ": every accepted job handled");
                for (var e : handled.entrySet()) {
                    assertEquals(1, e.getValue().get(), round + ": job " + e.getKey() + " handled once");
                    int n = e.getKey();
                    Throwable error = errors.get(n);
                    if (error == null) {
                        assertTrue(n >= 0 && target.marked.contains(n), round + ": job " + n + " succeeded");
                    } else if (error instanceof CancellationException) {
                        assertTrue(cancelAt >= 0, round + ": cancelled without cancel()");
                    } else {
                        assertTrue(n < 0, round + ": job " + n + " failed: " + error);
                        assertInstanceOf(IllegalStateException.class, error, round);
                    }
                }
                assertEquals(handled.size() - errors.size(), target.marked.size(), round + ": side effects done");
                assertEquals(handlerThrew.get(), handlerFailuresReported.sum(),
                        round + ": every handler failure reported to the uncaught-exception handler");
                var stats = pool.stats();
                assertEquals(accepted.get(), stats.completed() + stats.failed() + stats.cancelled(), round);
                if (cancelAt < 0) {
                    assertEquals(jobs, accepted.get(), round);
                }
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
