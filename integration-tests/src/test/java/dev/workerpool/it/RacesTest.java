package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The races of the production features, in loops, each asserting exactly one result per accepted job:
 * timeout against completion, cancel against close (on an ordered pool), fail-fast with many workers failing
 * at once. Rounds: {@code workerpool.stress.rounds} (2 by default, 10 with {@code -Pstress}) times a base.
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
}
