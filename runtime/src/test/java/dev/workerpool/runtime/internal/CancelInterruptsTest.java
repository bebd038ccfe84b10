package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.RetryPolicy;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What cancel() interrupts, and what it never does: an interrupt sent to a running job never outlives that job
 * (it reaches neither the handler call that follows it, nor a per-worker target's close), and a side-effect pool's
 * handler call in progress when cancel() comes is interrupted, so that a handler blocked for ever does not keep the
 * pool from terminating.
 */
class CancelInterruptsTest {

    record R(Integer job, Object value, Throwable error) {
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static String poolName(String what) {
        return "CancelInterrupts" + what + POOLS.incrementAndGet();
    }

    private static PoolOptions options(String kind) {
        return switch (kind) {
            case "plain" -> PoolOptions.DEFAULT;
            case "failFast" -> PoolOptions.DEFAULT.withFailFast(true);
            case "ordered" -> PoolOptions.DEFAULT.withOrdered(true);
            case "timeout" -> PoolOptions.DEFAULT.withTimeout(Duration.ofMinutes(10));
            case "retry" -> PoolOptions.DEFAULT.withRetry(
                    RetryPolicy.of(3, List.of(IllegalStateException.class), null, 1, null, 0));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static boolean inFrame(Thread thread, String method) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
    }

    /**
     * cancel() sees the job running, then the job ends before the interrupt is sent (forced: a hook between the
     * two lets the job end and waits until its handler call has begun, or the worker waits for the interrupt to be
     * sent). The interrupt was meant for the job: the handler call that follows must not get it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "failFast", "timeout", "retry"})
    void anInterruptSentToAJobThatHasJustEndedNeverReachesItsHandlerCall(String kind) throws Exception {
        CountDownLatch jobRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handlerEntered = new CountDownLatch(1);
        CountDownLatch handlerGo = new CountDownLatch(1);
        AtomicReference<String> leaked = new AtomicReference<>();
        Map<Integer, R> handled = new ConcurrentHashMap<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("Handler"), options(kind), 1, 1, n -> {
            jobRuns.countDown();
            release.await(); // the interrupt comes only after this returns
            return n;
        }, R::new, r -> {
            handled.put(r.job(), r);
            if (r.job() == 1) {
                if (Thread.currentThread().isInterrupted()) {
                    leaked.set("interrupted as it began");
                }
                handlerEntered.countDown();
                try {
                    handlerGo.await();
                } catch (InterruptedException e) {
                    leaked.set("interrupted while it waited");
                }
            }
        });
        pool.submit(1);
        pool.submit(2);
        Waits.await(jobRuns, "job 1 to run");
        Thread worker = pool.workerThreads().get(0).thread;
        pool.beforeInterrupt = thread -> {
            release.countDown();
            Waits.until(() -> handlerEntered.getCount() == 0 || inFrame(worker, "awaitInterrupters"),
                    "job 1's handler call to begin, or its worker to wait for the interrupt");
        };
        pool.cancel();
        handlerGo.countDown();
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertNull(leaked.get(), "job 1's handler call was " + leaked.get());
        assertEquals(1, handled.get(1).value(), "job 1 returned before the interrupt: it keeps its value");
        assertInstanceOf(CancellationException.class, handled.get(2).error());
        assertEquals(2, handled.size());
    }

    /**
     * cancel() comes after a side-effect pool's job has ended but before its handler call begins (forced: the
     * result factory, which runs in between, waits until cancel() has returned). That call is the one the interrupt
     * was sent to: it begins interrupted, so a call that then blocks until interrupted ends and the pool terminates.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "failFast", "timeout", "retry"})
    void cancelBetweenAJobsEndAndItsHandlerCallInterruptsThatCall(String kind) throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch cancelReturned = new CountDownLatch(1);
        CountDownLatch handlerEntered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean beganInterrupted = new AtomicBoolean();
        AtomicBoolean interruptedWhileBlocked = new AtomicBoolean();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("AfterEnd"), options(kind), 1, 1,
                n -> n, (job, value, error) -> {
                    if (value != null) { // job 1 has ended: its handler call is next
                        ended.countDown();
                        boolean interrupted = false; // waits uninterruptibly, keeping the status as it found it
                        for (;;) {
                            try {
                                Waits.await(cancelReturned, "cancel() to return");
                                break;
                            } catch (InterruptedException e) {
                                interrupted = true;
                            }
                        }
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new R(job, value, error);
                }, r -> {
                    beganInterrupted.set(Thread.currentThread().isInterrupted());
                    handlerEntered.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interruptedWhileBlocked.set(true);
                    }
                });
        try {
            pool.submit(1);
            Waits.await(ended, "job 1 to end");
            pool.cancel();
            cancelReturned.countDown();
            Waits.await(handlerEntered, "job 1's handler call to begin");
            assertTrue(beganInterrupted.get(), "cancel() came before job 1's handler call: it must begin interrupted");
            assertTrue(pool.await(Waits.LIMIT), "cancel() left the pool running\n" + Waits.threadDump());
            assertTrue(interruptedWhileBlocked.get());
        } finally {
            never.countDown();
        }
    }

    /** A per-worker target that records whether its close() was interrupted; close() waits for {@code go}. */
    static final class Target implements AutoCloseable {
        final CountDownLatch closing = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();

        @Override
        public void close() {
            closing.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }
    }

    /**
     * The same race in a pool read through results(): the interrupt meant for the job that has just ended must not
     * reach the worker's per-worker target as the worker closes it on its way out.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "ordered", "failFast", "timeout", "retry"})
    void anInterruptSentToAJobThatHasJustEndedNeverReachesItsTargetsClose(String kind) throws Exception {
        CountDownLatch jobRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Target> targets = new CopyOnWriteArrayList<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker(poolName("Target"), options(kind),
                1, 0, () -> {
                    Target t = new Target();
                    targets.add(t);
                    return t;
                }, t -> (JobFunction<Integer, Object>) n -> {
                    jobRuns.countDown();
                    release.await();
                    return n;
                }, R::new);
        pool.submit(1);
        Waits.await(jobRuns, "job 1 to run");
        pool.close();
        Thread worker = pool.workerThreads().get(0).thread;
        Target target = targets.get(0);
        List<R> results = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> pool.results().forEach(results::add), "reader");
        reader.start();
        pool.beforeInterrupt = thread -> {
            release.countDown();
            Waits.until(() -> target.closing.getCount() == 0 || inFrame(worker, "awaitInterrupters"),
                    "the target's close to begin, or its worker to wait for the interrupt");
        };
        pool.cancel();
        target.go.countDown();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        Waits.join(reader);
        assertFalse(target.interrupted.get(), "the target's close() was interrupted");
        assertEquals(1, results.size());
        assertEquals(1, results.get(0).value());
    }

    /**
     * Unforced: cancel() at a random moment against short jobs, in pools with per-worker targets and a handler: no
     * target's close() begins interrupted, and every accepted job is handled once.
     */
    @Test
    void atRandomCancelsNoInterruptReachesATargetsCloseAndEveryJobIsHandledOnce() throws Exception {
        java.util.Random random = new java.util.Random(20261206);
        int rounds = Integer.getInteger("workerpool.stress.rounds", 2) * 50;
        for (int round = 0; round < rounds; round++) {
            int workers = 1 + random.nextInt(4);
            int jobs = 20 + random.nextInt(200);
            int cancelAt = random.nextInt(jobs);
            AtomicInteger interruptedCloses = new AtomicInteger();
            Map<Integer, Integer> calls = new ConcurrentHashMap<>();
            LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker(poolName("Random"),
                    PoolOptions.DEFAULT, workers, 1 + random.nextInt(4),
                    () -> (AutoCloseable) () -> {
                        if (Thread.currentThread().isInterrupted()) {
                            interruptedCloses.incrementAndGet();
                        }
                    }, t -> (JobFunction<Integer, Object>) n -> {
                        for (int i = n % 7; i > 0; i--) {
                            Thread.onSpinWait();
                        }
                        return n;
                    }, R::new, r -> calls.merge(r.job(), 1, Integer::sum));
            int accepted = 0;
            try {
                for (int i = 0; i < jobs; i++) {
                    if (i == cancelAt) {
                        pool.cancel();
                    }
                    pool.submit(i);
                    accepted++;
                }
            } catch (dev.workerpool.runtime.PoolClosedException expected) {
                // cancelled
            }
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
            assertEquals(0, interruptedCloses.get(), "round " + round + ": closes that began interrupted");
            assertEquals(accepted, calls.size(), "round " + round);
            calls.forEach((job, n) -> assertEquals(1, n, "calls for job " + job));
        }
    }

    /**
     * A handler call that blocks (on a latch that never opens) when cancel() comes is interrupted, so the pool
     * terminates; every accepted job reaches the handler exactly once, and the handler calls that begin after
     * cancel() (the queued jobs' cancelled results) begin with the interrupt status clear.
     */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "failFast", "timeout", "retry"})
    void cancelInterruptsAHandlerCallThatBlocksAndThePoolTerminates(String kind) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(2);
        Map<Integer, Integer> calls = new ConcurrentHashMap<>();
        Map<Integer, R> handled = new ConcurrentHashMap<>();
        AtomicInteger interruptedCalls = new AtomicInteger();
        List<Integer> beganInterrupted = new CopyOnWriteArrayList<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("Blocking"), options(kind), 2, 4,
                n -> n, R::new, r -> {
                    calls.merge(r.job(), 1, Integer::sum);
                    handled.put(r.job(), r);
                    if (Thread.currentThread().isInterrupted()) {
                        beganInterrupted.add(r.job());
                    }
                    if (r.error() == null) { // a completed job's call blocks until interrupted
                        blocked.countDown();
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            interruptedCalls.incrementAndGet();
                        }
                    }
                });
        for (int i = 1; i <= 6; i++) {
            pool.submit(i); // two run and block in their handler calls; four wait in the queue
        }
        Waits.await(blocked, "two handler calls to block");
        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT), "cancel() left the pool running\n" + Waits.threadDump());
        assertEquals(2, interruptedCalls.get(), "both blocked handler calls were interrupted");
        assertEquals(List.of(), beganInterrupted, "handler calls that began interrupted");
        assertEquals(6, calls.size());
        calls.forEach((job, n) -> assertEquals(1, n, "calls for job " + job));
        long cancelled = handled.values().stream().filter(r -> r.error() instanceof CancellationException).count();
        assertEquals(4, cancelled, handled.toString());
        assertEquals(4, pool.stats().cancelled());
        assertEquals(2, pool.stats().completed());
    }

    /**
     * cancel() called by a handler: the calling handler call is in progress, so it is interrupted too (as a job
     * that cancels its own pool is); its interrupt status is clear again in the next handler call on its worker.
     */
    @Test
    void cancelFromInsideAHandlerInterruptsThatCallOnlyAndEveryJobIsHandledOnce() throws Exception {
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        CountDownLatch queued = new CountDownLatch(1);
        AtomicBoolean cancellerInterrupted = new AtomicBoolean();
        List<Integer> beganInterrupted = new CopyOnWriteArrayList<>();
        Map<Integer, Integer> calls = new ConcurrentHashMap<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("HandlerCancels"), PoolOptions.DEFAULT,
                1, 4, n -> {
                    if (n == 1) {
                        queued.await();
                    }
                    return n;
                }, R::new, r -> {
                    calls.merge(r.job(), 1, Integer::sum);
                    if (Thread.currentThread().isInterrupted()) {
                        beganInterrupted.add(r.job());
                    }
                    if (r.job() == 1) {
                        self.get().cancel();
                        cancellerInterrupted.set(Thread.interrupted());
                    }
                });
        self.set(pool);
        for (int i = 1; i <= 4; i++) {
            pool.submit(i);
        }
        queued.countDown();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertTrue(cancellerInterrupted.get(), "the handler call that cancelled was in progress: interrupted");
        assertEquals(List.of(), beganInterrupted, "handler calls that began interrupted");
        assertEquals(Map.of(1, 1, 2, 1, 3, 1, 4, 1), calls);
        assertEquals(3, pool.stats().cancelled());
    }

    /**
     * A side-effect pool's job that waits for its next attempt (a long backoff) or for its next attempt's rate
     * permit when cancel() comes: the wait ends at once, the job's one result is a cancellation carrying the failed
     * attempt's error, the pool terminates, and no handler call begins interrupted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"backoff", "rate"})
    void cancelEndsARetryWaitInASideEffectPoolWithOneResultPerJob(String wait) throws Exception {
        PoolOptions options = PoolOptions.DEFAULT.withRetry(RetryPolicy.of(3, List.of(IllegalStateException.class),
                wait.equals("backoff") ? Duration.ofMinutes(10) : null, 1, null, 0));
        if (wait.equals("rate")) {
            options = options.withRate(Rate.parse("1/m")); // the first attempt takes the minute's permit
        }
        AtomicInteger attempts = new AtomicInteger();
        Map<Integer, Integer> calls = new ConcurrentHashMap<>();
        Map<Integer, R> handled = new ConcurrentHashMap<>();
        List<Integer> beganInterrupted = new CopyOnWriteArrayList<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("RetryWait"), options, 1, 2, n -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("attempt fails");
        }, R::new, r -> {
            calls.merge(r.job(), 1, Integer::sum);
            handled.put(r.job(), r);
            if (Thread.currentThread().isInterrupted()) {
                beganInterrupted.add(r.job());
            }
        });
        pool.submit(1);
        pool.submit(2);
        Waits.until(() -> attempts.get() == 1, "job 1's first attempt");
        Waits.untilWaiting(pool.workerThreads().get(0).thread);
        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertEquals(1, attempts.get());
        assertEquals(Map.of(1, 1, 2, 1), calls);
        assertEquals(List.of(), beganInterrupted, "handler calls that began interrupted");
        Throwable first = handled.get(1).error();
        assertInstanceOf(CancellationException.class, first);
        assertEquals(1, first.getSuppressed().length, "the failed attempt's error, suppressed");
        assertInstanceOf(IllegalStateException.class, first.getSuppressed()[0]);
        assertInstanceOf(CancellationException.class, handled.get(2).error());
        assertEquals(2, pool.stats().cancelled());
    }

    /**
     * cancel() called by a job of a side-effect pool: that job is interrupted (it runs), its own handler call is
     * not, and neither is any later one; the queued jobs never start.
     */
    @Test
    void cancelFromInsideAJobInterruptsThatJobButNotItsHandlerCall() throws Exception {
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        CountDownLatch queued = new CountDownLatch(1);
        AtomicBoolean jobInterrupted = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        List<Integer> beganInterrupted = new CopyOnWriteArrayList<>();
        Map<Integer, R> handled = new ConcurrentHashMap<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("JobCancels"), PoolOptions.DEFAULT, 1, 4,
                n -> {
                    started.incrementAndGet();
                    queued.await();
                    self.get().cancel();
                    jobInterrupted.set(Thread.currentThread().isInterrupted());
                    return n;
                }, R::new, r -> {
                    handled.put(r.job(), r);
                    if (Thread.currentThread().isInterrupted()) {
                        beganInterrupted.add(r.job());
                    }
                });
        self.set(pool);
        for (int i = 1; i <= 4; i++) {
            pool.submit(i);
        }
        queued.countDown();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        assertTrue(jobInterrupted.get(), "the job that cancelled its pool runs: interrupted");
        assertEquals(List.of(), beganInterrupted, "handler calls that began interrupted");
        assertEquals(1, started.get());
        assertEquals(1, handled.get(1).value());
        assertEquals(4, handled.size());
        assertEquals(3, pool.stats().cancelled());
    }

    /**
     * cancel() called again and again from several threads, each call overlapping the next, while a worker ends
     * its job: the worker waits only for the cancel() that saw its job running, not for the later calls, which
     * could otherwise keep it waiting for as long as they keep coming. Forced: each cancel() that sees the worker
     * in its stretch starts the next one and waits, in the hook between seeing and interrupting, until that one
     * is there too (or has returned, or the worker has gone on to its handler call); the first one also waits
     * until the worker's job has ended and the worker waits for it. Against the defect the worker waits through
     * every one of the calls.
     */
    @Test
    void overlappingCancelCallsDoNotKeepAWorkerWaitingAtItsJobsEnd() throws Exception {
        int calls = 8;
        CountDownLatch jobRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch handlerEntered = new CountDownLatch(1);
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("Overlapping"), PoolOptions.DEFAULT, 1, 1,
                n -> {
                    jobRuns.countDown();
                    release.await(); // the interrupt comes only after this returns
                    return n;
                }, R::new, r -> handlerEntered.countDown());
        pool.submit(1);
        Waits.await(jobRuns, "job 1 to run");
        Thread worker = pool.workerThreads().get(0).thread;
        AtomicInteger inHook = new AtomicInteger();
        List<Thread> cancellers = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        pool.beforeInterrupt = thread -> {
            int call = inHook.incrementAndGet();
            if (call == 1) {
                release.countDown();
                Waits.until(() -> inFrame(worker, "awaitInterrupters"), "job 1 to end and its worker to wait");
            }
            if (call < calls && handlerEntered.getCount() != 0) {
                Thread next = new Thread(() -> {
                    try {
                        pool.cancel();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "canceller-" + (call + 1));
                cancellers.add(next);
                next.start();
                Waits.until(() -> inHook.get() > call || !next.isAlive() || handlerEntered.getCount() == 0,
                        "cancel() " + (call + 1) + " to be between seeing the worker and interrupting it, or done");
            }
        };
        pool.cancel();
        for (Thread canceller : cancellers) {
            Waits.join(canceller);
        }
        assertEquals(List.of(), failures);
        assertTrue(inHook.get() < calls, "the worker waited at its job's end through " + inHook.get()
                + " overlapping cancel() calls\n" + Waits.threadDump());
        Waits.await(handlerEntered, "job 1's handler call");
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
    }
}
