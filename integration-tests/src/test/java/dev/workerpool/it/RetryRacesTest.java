package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retries mixed with close and cancel, in randomized rounds (fixed seeds), each asserting exactly one result per
 * accepted job and that the result is the one its attempts earned. Rounds: {@code workerpool.stress.rounds} (2 by
 * default, 10 with {@code -Pstress}) times a base.
 */
@ExtendWith(NoLeakedThreads.class)
class RetryRacesTest {

    private static final int ROUNDS = Integer.getInteger("workerpool.stress.rounds", 2);

    /** One result, whichever pool it came from. */
    private record Outcome(int id, int value, Throwable error) {}

    /** The generated pools of the round, behind one face. */
    private interface Pool {
        void submit(int id, long arg) throws InterruptedException;

        void close();

        void cancel();

        /** Reads every result, in the order they come. */
        List<Outcome> results();

        boolean await() throws InterruptedException;

        PoolStats stats();
    }

    /**
     * Jobs fail 0–4 times (3 attempts, so 3 or more fail for good), a few in cancelling unordered rounds wait until
     * interrupted; the producer closes after the last job, or cancels after a random number of them.
     */
    @Test
    void retriesWithCloseAndCancelGiveEachAcceptedJobOneResult() throws Exception {
        Random random = new Random(19);
        for (int round = 0; round < 15 * ROUNDS; round++) {
            boolean ordered = random.nextBoolean();
            boolean cancel = random.nextBoolean();
            int n = 50 + random.nextInt(250);
            long[] failures = new long[n];
            for (int i = 0; i < n; i++) {
                failures[i] = random.nextInt(5);
            }
            // Blocked jobs only where they cannot stall the producer: an ordered pool's window would fill behind them.
            for (int b = cancel && !ordered ? random.nextInt(4) : 0; b > 0; b--) { // fewer than the 4 workers
                failures[random.nextInt(n)] = -1;
            }
            int accepted = cancel ? random.nextInt(n + 1) : n;
            Retrying target = new Retrying();
            Pool pool = ordered ? ordered(target) : unordered(target);
            List<Outcome> results = run(pool, failures, accepted, cancel);
            String round_ = "round " + round + (ordered ? " ordered" : "")
                    + (cancel ? " cancelled at " + accepted : "");

            BitSet seen = new BitSet();
            long retries = 0;
            int previous = -1;
            for (Outcome r : results) {
                assertTrue(r.id() < accepted, round_);
                assertTrue(!seen.get(r.id()), round_ + ": a second result for job " + r.id());
                seen.set(r.id());
                if (ordered) {
                    assertEquals(previous + 1, r.id(), round_ + ": in acceptance order");
                    previous = r.id();
                }
                long f = failures[r.id()];
                int calls = target.idCalls.get(r.id());
                retries += Math.max(0, calls - 1);
                if (r.error() == null) {
                    assertTrue(f >= 0 && f <= 2 && calls == f + 1 && r.value() == calls, round_ + ": job " + r.id());
                } else if (r.error() instanceof IOException e) {
                    assertTrue(f >= 3 && calls == 3, round_ + ": job " + r.id() + " failed for good after 3");
                    assertEquals(2, e.getSuppressed().length, round_);
                    assertInstanceOf(IOException.class, e.getSuppressed()[0]);
                    assertInstanceOf(IOException.class, e.getSuppressed()[1]);
                } else if (r.error() instanceof CancellationException e) {
                    assertTrue(cancel, round_ + ": a cancellation without cancel(): " + e);
                    assertTrue(e.getSuppressed().length <= calls, round_);
                    for (Throwable s : e.getSuppressed()) {
                        assertInstanceOf(IOException.class, s);
                    }
                } else {
                    fail(round_ + ": job " + r.id() + " has " + r.error());
                }
                if (f < 0) {
                    assertInstanceOf(CancellationException.class, r.error(), round_ + ": blocked until cancelled");
                }
            }
            assertEquals(accepted, seen.cardinality(), round_ + ": every accepted job has a result");
            PoolStats stats = pool.stats();
            assertEquals(accepted, stats.submitted(), round_);
            assertEquals(accepted, stats.finished(), round_);
            assertEquals(retries, stats.retries(), round_ + ": stats count every attempt after a job's first");
        }
    }

    /**
     * Each attempt spins 0–1.5 ms, ignoring its interrupt, against a 1 ms timeout per attempt (3 attempts, timeouts
     * retried): every attempt races its own deadline, and the watchdog and the worker must still send one result
     * per job, the last attempt's timeout at once. Some rounds cancel part-way.
     */
    @Test
    void perAttemptTimeoutsRaceCompletionAndEachJobHasOneResult() throws Exception {
        Random random = new Random(20);
        for (int round = 0; round < 5 * ROUNDS; round++) {
            boolean cancel = random.nextInt(3) == 0;
            int n = 300;
            long[] micros = new long[n];
            for (int i = 0; i < n; i++) {
                micros[i] = random.nextInt(1_500);
            }
            int accepted = cancel ? random.nextInt(n + 1) : n;
            Retrying target = new Retrying();
            Pool pool = spin(target);
            List<Outcome> results = run(pool, micros, accepted, cancel);
            String round_ = "round " + round + (cancel ? " cancelled at " + accepted : "");
            BitSet seen = new BitSet();
            long retries = 0;
            long timeouts = 0;
            for (Outcome r : results) {
                assertTrue(!seen.get(r.id()), round_ + ": a second result for job " + r.id());
                seen.set(r.id());
                int calls = target.idCalls.get(r.id());
                retries += Math.max(0, calls - 1);
                if (r.error() == null) {
                    assertTrue(r.value() >= 1 && r.value() <= 3 && r.value() == calls, round_ + ": job " + r.id());
                } else if (r.error() instanceof TimeoutException e) {
                    timeouts++;
                    assertEquals(3, calls, round_ + ": only the last attempt's timeout is the job's result");
                    assertEquals(2, e.getSuppressed().length, round_);
                } else {
                    assertTrue(cancel, round_ + ": job " + r.id() + " has " + r.error());
                    assertInstanceOf(CancellationException.class, r.error(), round_);
                }
                for (Throwable s : r.error() == null ? new Throwable[0] : r.error().getSuppressed()) {
                    assertInstanceOf(TimeoutException.class, s, round_);
                }
            }
            assertEquals(accepted, seen.cardinality(), round_ + ": every accepted job has a result");
            PoolStats stats = pool.stats();
            assertEquals(accepted, stats.finished(), round_);
            assertEquals(timeouts, stats.timedOut(), round_);
            assertEquals(retries, stats.retries(), round_);
        }
    }

    /** Submits jobs 0 to accepted - 1 on a producer thread, then closes or cancels; reads every result here. */
    private static List<Outcome> run(Pool pool, long[] args, int accepted, boolean cancel) throws Exception {
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < accepted; i++) {
                    pool.submit(i, args[i]);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                if (cancel) {
                    pool.cancel();
                } else {
                    pool.close();
                }
            }
        }, "retry-races-producer");
        producer.start();
        List<Outcome> results = pool.results();
        Waits.join(producer);
        assertTrue(pool.await(), "the pool terminates");
        return results;
    }

    private static Pool unordered(Retrying target) {
        RetryingMixedPool pool = RetryingMixedPool.start(target);
        return face(pool::close, pool::cancel, (id, f) -> pool.submit(id, (int) f),
                () -> collect(pool.results(), r -> new Outcome(r.job().id(), r.value(), r.error())),
                pool::stats, () -> pool.await(Waits.LIMIT));
    }

    private static Pool ordered(Retrying target) {
        RetryingMixedOrderedPool pool = RetryingMixedOrderedPool.start(target);
        return face(pool::close, pool::cancel, (id, f) -> pool.submit(id, (int) f),
                () -> collect(pool.results(), r -> new Outcome(r.job().id(), r.value(), r.error())),
                pool::stats, () -> pool.await(Waits.LIMIT));
    }

    private static Pool spin(Retrying target) {
        RetryingSpinPool pool = RetryingSpinPool.start(target);
        return face(pool::close, pool::cancel, pool::submit,
                () -> collect(pool.results(), r -> new Outcome(r.job().id(), r.value(), r.error())),
                pool::stats, () -> pool.await(Waits.LIMIT));
    }

    private static <R> List<Outcome> collect(Iterable<R> results, Function<R, Outcome> outcome) {
        List<Outcome> all = new ArrayList<>();
        for (R r : results) {
            all.add(outcome.apply(r));
        }
        return all;
    }

    private interface Submit {
        void submit(int id, long arg) throws InterruptedException;
    }

    private interface Await {
        boolean await() throws InterruptedException;
    }

    private static Pool face(Runnable close, Runnable cancel, Submit submit,
            java.util.function.Supplier<List<Outcome>> results, java.util.function.Supplier<PoolStats> stats,
            Await await) {
        return new Pool() {
            @Override
            public void submit(int id, long arg) throws InterruptedException {
                submit.submit(id, arg);
            }

            @Override
            public void close() {
                close.run();
            }

            @Override
            public void cancel() {
                cancel.run();
            }

            @Override
            public List<Outcome> results() {
                return results.get();
            }

            @Override
            public boolean await() throws InterruptedException {
                return await.await();
            }

            @Override
            public PoolStats stats() {
                return stats.get();
            }
        };
    }
}
