package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The races of the production features, in loops, each asserting exactly one result per accepted job:
 * timeout against completion, cancel against close (on an ordered pool), fail-fast with many workers failing
 * at once, and every option at once against close, cancel, failures and timeouts. Rounds:
 * {@code workerpool.stress.rounds} (2 by default, 10 with {@code -Pstress}) times a base.
 */
@ExtendWith(NoLeakedThreads.class)
class RacesTest {

    private static final int ROUNDS = Integer.getInteger("workerpool.stress.rounds", 2);


    /** Jobs of 0–2 ms against a 1 ms timeout: each job has exactly one result, success or TimeoutException. */
    @Test
    void timeoutRacesCompletion() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 5 * ROUNDS; round++) {
            List<TimedSpinPool.Job> jobs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                jobs.add(new TimedSpinPool.Job(random.nextInt(2_000)));
            }
            TimedSpinPool pool = TimedSpinPool.start();
            Thread producer = new Thread(() -> {
                try {
                    for (TimedSpinPool.Job job : jobs) {
                        pool.submit(job);
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    pool.close();
                }
            });
            producer.start();
            int successes = 0;
            int timeouts = 0;
            BitSet seen = new BitSet();
            List<TimedSpinPool.Job> identity = new ArrayList<>(jobs);
            for (TimedSpinPool.Result r : pool.results()) {
                int index = indexOf(identity, r.job());
                assertTrue(!seen.get(index), "one result per job");
                seen.set(index);
                if (r.isSuccess()) {
                    successes++;
                } else {
                    assertInstanceOf(TimeoutException.class, r.error());
                    timeouts++;
                }
            }
            Waits.join(producer);
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(jobs.size(), successes + timeouts);
            assertEquals(timeouts, pool.stats().timedOut());
            assertEquals(successes, pool.stats().completed());
        }
    }

    /** Identity, not equals: two jobs may have the same argument. */
    private static int indexOf(List<TimedSpinPool.Job> jobs, TimedSpinPool.Job job) {
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i) == job) {
                return i;
            }
        }
        throw new AssertionError("unknown job " + job);
    }

    /** close() and cancel() from two threads at once, while a producer submits: every accepted job, once, in order. */
    @Test
    void cancelRacesClose() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 50 * ROUNDS; round++) {
            RaceStepPool pool = RaceStepPool.start();
            AtomicInteger accepted = new AtomicInteger();
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < 10_000; i++) {
                        pool.submit(i);
                        accepted.incrementAndGet();
                    }
                } catch (PoolClosedException expected) {
                    // closed or cancelled under it
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            int stopAt = random.nextInt(300);
            CountDownLatch go = new CountDownLatch(1);
            Thread closer = new Thread(() -> {
                awaitQuietly(go);
                pool.close();
            });
            Thread canceller = new Thread(() -> {
                awaitQuietly(go);
                pool.cancel();
            });
            closer.start();
            canceller.start();
            producer.start();
            int expected = 0;
            for (RaceStepPool.Result r : pool.results()) {
                if (expected == stopAt) {
                    go.countDown();
                }
                assertEquals(expected++, r.job().id(), "in order, no gap, no duplicate");
                if (!r.isSuccess()) {
                    assertInstanceOf(CancellationException.class, r.error());
                }
            }
            go.countDown();
            Waits.join(producer);
            Waits.join(closer);
            Waits.join(canceller);
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(accepted.get(), expected, "round " + round + ": one result per accepted job");
            assertEquals(accepted.get(), pool.stats().submitted());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            Waits.await(latch, "the go signal");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Every job fails, on 8 workers at once: one first failure, one result per accepted job, and await throws it. */
    @Test
    void failFastWithManyWorkersFailingAtOnce() throws Exception {
        for (int round = 0; round < 50 * ROUNDS; round++) {
            RaceFailManyPool pool = RaceFailManyPool.start();
            AtomicInteger accepted = new AtomicInteger();
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) {
                        pool.submit(i, i % 3 != 0 || i > 20);
                        accepted.incrementAndGet();
                    }
                    pool.close();
                } catch (PoolClosedException expected) {
                    // cancelled by the first failure
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            producer.start();
            int results = 0;
            int failed = 0;
            List<RaceFailManyPool.Result> all = new ArrayList<>();
            for (RaceFailManyPool.Result r : pool.results()) {
                results++;
                all.add(r);
                if (!r.isSuccess() && !(r.error() instanceof CancellationException)) {
                    assertInstanceOf(IllegalStateException.class, r.error());
                    failed++;
                }
            }
            Waits.join(producer);
            PoolFailedException thrown = assertThrows(PoolFailedException.class, pool::await);
            assertEquals(accepted.get(), results, "round " + round + ": one result per accepted job");
            assertTrue(failed >= 1);
            assertEquals(failed, pool.stats().failed());
            RaceFailManyPool.Job firstJob = (RaceFailManyPool.Job) thrown.job();
            assertNotNull(firstJob);
            RaceFailManyPool.Result ofFirst = all.stream().filter(r -> r.job() == firstJob).findFirst().orElseThrow();
            assertSame(thrown.getCause(), ofFirst.error(), "the first failure is its job's own result");
        }
    }

    /**
     * Every option at once (ordered, fail-fast, a 20 ms timeout) against everything that ends a pool: two
     * producers; jobs that return, spin past the deadline, throw, block until interrupted or ignore the interrupt;
     * and close, cancel or both from another thread at a random moment. Each round: one result per accepted job,
     * each producer's jobs in its order, the pool's failure (if any) the result of its own job, and, once the
     * pool has terminated, {@code stats()} adding up to exactly what the results say.
     */
    @Test
    void everyOptionAtOnceAgainstCloseCancelFailuresAndTimeouts() throws Exception {
        Random random = new Random(11);
        for (int round = 0; round < 10 * ROUNDS; round++) {
            Scripted target = new Scripted();
            ScriptedStrictPool pool = ScriptedStrictPool.start(target);
            List<List<Integer>> accepted = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            long seed = random.nextLong();
            for (int p = 0; p < 2; p++) {
                List<Integer> mine = new CopyOnWriteArrayList<>();
                accepted.add(mine);
                int base = p * 1_000_000;
                Random modes = new Random(seed + p);
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < 300; i++) {
                            int x = modes.nextInt(1_000);
                            String mode = x < 2 ? "fail" : x < 3 ? "block" : x < 4 ? "stubborn"
                                    : x < 10 ? "spin:" + modes.nextInt(40_000) : "spin:" + modes.nextInt(50);
                            pool.submit(base + i, mode);
                            mine.add(base + i);
                        }
                    } catch (PoolClosedException expected) {
                        // closed or cancelled under it
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, "producer-" + p));
            }
            int stop = random.nextInt(4);
            long stopAfterNanos = random.nextInt(40_000) * 1_000L;
            threads.add(new Thread(() -> {
                long end = System.nanoTime() + stopAfterNanos;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                switch (stop) {
                    case 0 -> pool.cancel();
                    case 1 -> pool.close();
                    case 2 -> {
                        pool.close();
                        pool.cancel();
                    }
                    default -> {
                        pool.cancel();
                        pool.close();
                    }
                }
            }, "stopper"));
            long releaseAfterNanos = random.nextInt(60_000) * 1_000L;
            threads.add(new Thread(() -> { // stubborn jobs return then; their results are out at their deadlines
                long end = System.nanoTime() + releaseAfterNanos;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                target.release.countDown();
            }, "releaser"));
            threads.forEach(Thread::start);
            Map<Integer, ScriptedStrictPool.Result> byId = new HashMap<>();
            List<Integer> order = new ArrayList<>();
            long completed = 0;
            long failed = 0;
            long timedOut = 0;
            long cancelled = 0;
            for (ScriptedStrictPool.Result r : pool.results()) {
                assertNull(byId.put(r.job().id(), r), "round " + round + ": one result per job");
                order.add(r.job().id());
                if (r.isSuccess()) {
                    completed++;
                } else if (r.error() instanceof TimeoutException) {
                    timedOut++;
                } else if (r.error() instanceof CancellationException) {
                    cancelled++;
                } else {
                    failed++;
                }
            }
            for (Thread t : threads) {
                Waits.join(t);
            }
            String at = "round " + round + ": ";
            Set<Integer> all = new HashSet<>();
            accepted.forEach(all::addAll);
            assertEquals(all, byId.keySet(), at + "a result for every accepted job, and only for those");
            for (List<Integer> mine : accepted) {
                assertEquals(mine, order.stream().filter(new HashSet<>(mine)::contains).toList(),
                        at + "each producer's jobs in the order it submitted them");
            }
            Optional<Throwable> failure = pool.failure();
            try {
                pool.await();
                assertTrue(failure.isEmpty(), at + "await returned, but the pool has a failure");
            } catch (PoolFailedException e) {
                assertSame(e.getCause(), failure.orElseThrow());
                int id = ((ScriptedStrictPool.Job) e.job()).id();
                assertSame(e.getCause(), byId.get(id).error(), at + "the first failure is its own job's result");
            }
            PoolStats stats = pool.stats();
            assertEquals(new PoolStats("ScriptedStrictPool", 3, 4, 0, stats.queueHighWaterMark(), 0, 0, all.size(),
                    completed, failed, cancelled, timedOut, stats.meanRunTime(), stats.maxRunTime()), stats, at);
            assertTrue(stats.queueHighWaterMark() <= stats.buffer(), at + stats);
        }
    }
}
