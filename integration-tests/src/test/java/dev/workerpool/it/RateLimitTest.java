package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.Rate;
import dev.workerpool.testing.Waits;
import dev.workerpool.testing.Windows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @WorkerPool(rate = …, burst = …)} through generated pools: starts counted per window, cancel ends the
 * wait for a permit, close does not, a timeout runs from the start, the start-time override, and a randomized
 * exactly-once run mixing the limit with close and cancel.
 */
@ExtendWith(NoLeakedThreads.class)
class RateLimitTest {

    /**
     * 60 jobs at 20/s with a burst of 3, over about three seconds: no window holds more starts than the burst
     * allows (burst - 1 + window / 50 ms), give or take one start recorded late by a descheduled worker.
     */
    @Test
    void noWindowHoldsMoreStartsThanTheRateAndBurstAllow() throws Exception {
        Throttled target = new Throttled();
        try (var pool = ThrottledRecordPool.start(target)) {
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        pool.submit(i);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    pool.close();
                }
            });
            producer.start();
            int results = 0;
            for (var r : pool.results()) {
                assertTrue(r.isSuccess(), String.valueOf(r));
                results++;
            }
            producer.join();
            assertEquals(60, results);
        }
        List<Long> starts = new ArrayList<>(target.starts);
        assertEquals(60, starts.size());
        long interval = Duration.ofMillis(50).toNanos();
        for (long window : new long[] {interval, 4 * interval, 20 * interval, 40 * interval}) {
            long bound = 3 - 1 + window / interval;
            int most = Windows.mostWithin(starts, window);
            assertTrue(most <= bound + 1, most + " starts within " + window / 1_000_000 + " ms; the bound is " + bound);
        }
        // And the limit held the run back: 60 starts need at least 57 intervals after the first burst of 3.
        long span = Collections.max(starts) - Collections.min(starts);
        assertTrue(span >= 56 * interval, "60 starts took only " + span / 1_000_000 + " ms");
    }

    /** One job takes the hour's permit, two wait for the next; cancel gives those cancelled results, unstarted. */
    @Test
    void cancelEndsTheWaitForAPermit() throws Exception {
        Throttled target = new Throttled();
        var pool = ThrottledHourlyPool.start(target);
        pool.submit(1);
        pool.submit(2);
        pool.submit(3);
        Waits.until(() -> pool.stats().queuedJobs() == 0 && target.started.size() == 1,
                "the first job started and the other two were taken by workers");
        Waits.until(() -> Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("ThrottledHourlyPool-worker-"))
                        .filter(t -> t.getState() == Thread.State.TIMED_WAITING).count() == 2,
                "two workers parked for a permit");
        pool.cancel();
        List<ThrottledHourlyPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(3, results.size());
        assertEquals(1, target.started.size(), "one job started (with lanes, any of the three)");
        int first = target.started.peek();
        for (var r : results) {
            if (r.job().n() == first) {
                assertEquals(first, r.value());
            } else {
                assertInstanceOf(CancellationException.class, r.error());
                assertEquals("ThrottledHourlyPool was cancelled before this job started", r.error().getMessage());
            }
        }
        assertEquals(2, pool.stats().cancelled());
    }

    /** close() does not cut the wait short: the accepted jobs still run, at the rate. */
    @Test
    void closedPoolsStillRunEveryAcceptedJobAtTheRate() throws Exception {
        Throttled target = new Throttled();
        var pool = ThrottledRecordPool.start(target, 2, 10, Rate.parse("10/s"));
        for (int i = 0; i < 8; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(8, pool.stats().completed());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), new HashSet<>(target.started));
        long span = Collections.max(target.starts) - Collections.min(target.starts);
        assertTrue(span >= Duration.ofMillis(100).toNanos() * 6, "8 starts at 10/s took " + span / 1_000_000 + " ms");
    }

    /**
     * No worker waits for a permit without a job in hand: at one start an hour, two jobs take the burst, and once
     * they are done {@code close()} lets the idle workers (one never had a job) exit at once.
     */
    @Test
    void idleWorkersExitAtCloseWhateverTheRate() throws Exception {
        Throttled target = new Throttled();
        var pool = ThrottledRecordPool.start(target, 3, 4, Rate.parse("1/h").withBurst(2));
        pool.submit(0);
        pool.submit(1);
        Waits.until(() -> pool.stats().completed() == 2, "the two jobs of the burst to complete");
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(Set.of(0, 1), new HashSet<>(target.started));
    }

    /**
     * Permits 500 ms apart, a 1 s timeout (long, so that a job of no work cannot time out on a loaded machine): the
     * last job waits 1.5 s for its permit, yet none times out.
     */
    @Test
    void aTimeoutRunsFromTheStartNotFromTheWaitForAPermit() throws Exception {
        Throttled target = new Throttled();
        try (var pool = ThrottledQuickPool.start(target)) {
            for (int i = 0; i < 4; i++) {
                pool.submit(i);
            }
            pool.close();
            int ok = 0;
            for (var r : pool.results()) {
                assertTrue(r.isSuccess(), String.valueOf(r));
                ok++;
            }
            assertEquals(4, ok);
            assertEquals(0, pool.stats().timedOut());
        }
    }

    /** The start-time override replaces the annotation's hourly rate; null lifts the limit. */
    @Test
    void theRateCanBeOverriddenAtStart() throws Exception {
        for (Rate rate : new Rate[] {Rate.parse("1000/s").withBurst(10), null}) {
            Throttled target = new Throttled();
            AtomicInteger handled = new AtomicInteger();
            var pool = ThrottledHourlyPool.start(target, 3, 4, rate, r -> handled.incrementAndGet());
            for (int i = 0; i < 50; i++) {
                pool.submit(i);
            }
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
            assertEquals(50, handled.get());
            assertEquals(50, target.started.size());
        }
    }

    /**
     * Random sizes, rates and bursts; a producer submits, and the pool is closed or cancelled at a random
     * moment: every accepted job has exactly one result, a value if it started and a cancellation if it did not.
     */
    @Test
    void everyAcceptedJobHasExactlyOneResultUnderCloseAndCancel() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        int rounds = 0;
        while (rounds < 8 || rounds < 200 && System.nanoTime() < deadline) {
            rounds++;
            String round = "seed " + seed + ", round " + rounds;
            Throttled target = new Throttled();
            Rate rate = Rate.of(500 + random.nextInt(5000), Duration.ofSeconds(1)).withBurst(1 + random.nextInt(5));
            int jobs = 20 + random.nextInt(150);
            int cancelAfter = random.nextBoolean() ? random.nextInt(jobs) : -1;
            var pool = ThrottledRecordPool.start(target, 1 + random.nextInt(4), random.nextInt(6), rate);
            AtomicInteger accepted = new AtomicInteger();
            CountDownLatch reachedCancelPoint = new CountDownLatch(1);
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < jobs; i++) {
                        if (i == cancelAfter) {
                            reachedCancelPoint.countDown();
                        }
                        pool.submit(i);
                        accepted.incrementAndGet();
                    }
                    pool.close();
                } catch (PoolClosedException cancelled) {
                    // cancelled while submitting: the job was not accepted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            // Cancels from a thread of its own: the main thread must read, or the producer blocks for room.
            Thread canceller = new Thread(() -> {
                try {
                    if (reachedCancelPoint.await(Waits.LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        pool.cancel();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            if (cancelAfter >= 0) {
                canceller.start();
            }
            Set<Integer> seen = new HashSet<>();
            int cancelled = 0;
            for (var r : pool.results()) {
                assertTrue(seen.add(r.job().n()), round + ": two results for job " + r.job().n());
                if (r.isSuccess()) {
                    assertEquals(r.job().n(), r.value(), round);
                } else {
                    assertInstanceOf(CancellationException.class, r.error(), round);
                    cancelled++;
                }
            }
            Waits.join(producer);
            if (cancelAfter >= 0) {
                Waits.join(canceller);
            }
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
            assertEquals(accepted.get(), seen.size(), round + ": results for every accepted job, and no more");
            assertEquals(new HashSet<>(target.started), seen.stream()
                    .filter(n -> !cancelledJob(n, target)).collect(java.util.stream.Collectors.toSet()), round);
            assertEquals(accepted.get() - cancelled, target.started.size(), round + ": started exactly the successes");
            if (cancelAfter < 0) {
                assertEquals(0, cancelled, round);
                assertEquals(jobs, accepted.get(), round);
            }
        }
    }

    private static boolean cancelledJob(int n, Throttled target) {
        return !target.started.contains(n);
    }
}
