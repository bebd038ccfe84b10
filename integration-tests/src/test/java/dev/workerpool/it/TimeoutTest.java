package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code timeout = "200ms"}: overrunning jobs are interrupted and get a TimeoutException; workers go on. */
@ExtendWith(NoLeakedThreads.class)
class TimeoutTest {


    @Test
    void anOverrunningJobIsInterruptedAndTheWorkerGoesOn() throws Exception {
        try (TimedWorkPool pool = TimedWorkPool.start(new Timed())) {
            pool.submit("block"); // waits until interrupted: only the timeout can end it
            pool.submit("block");
            pool.submit("after-1");
            pool.submit("after-2");
            pool.close();
            Map<String, TimedWorkPool.Result> byMode = new HashMap<>();
            int blocked = 0;
            for (TimedWorkPool.Result r : pool.results()) {
                if (r.job().mode().equals("block")) {
                    blocked++;
                    assertInstanceOf(TimeoutException.class, r.error());
                    assertTrue(r.error().getMessage().contains("TimedWorkPool: "
                            + "the job ran longer than its timeout of PT0.2S"),
                            r.error().getMessage());
                } else {
                    byMode.put(r.job().mode(), r);
                }
            }
            assertEquals(2, blocked);
            assertEquals("after-1", byMode.get("after-1").getOrThrow());
            assertEquals("after-2", byMode.get("after-2").getOrThrow());
            assertTrue(pool.await(Waits.LIMIT));
            PoolStats stats = pool.stats();
            assertEquals(2, stats.timedOut());
            assertEquals(2, stats.completed());
            assertEquals(4, stats.finished());
        }
    }

    /**
     * A job that ignores its interrupt: its TimeoutException result is delivered at the deadline anyway, the
     * pool reports the worker as stuck, the other worker keeps working, and the pool ends once the job returns.
     */
    @Test
    void aJobThatIgnoresTheInterruptIsReportedAndDoesNotHangThePool() throws Exception {
        Timed target = new Timed();
        TimedWorkPool pool = TimedWorkPool.start(target);
        pool.submit("stubborn");
        Iterator<TimedWorkPool.Result> results = pool.results().iterator();
        TimedWorkPool.Result first = results.next(); // delivered while the job still runs
        assertEquals("stubborn", first.job().mode());
        assertInstanceOf(TimeoutException.class, first.error());
        Waits.await(target.ignoredInterrupt, "the stubborn job to be interrupted");
        Waits.until(() -> pool.stats().stuckWorkers() == 1, "the stuck worker to show in stats");
        for (String mode : List.of("a", "b", "c")) {
            pool.submit(mode);
            assertEquals(mode, results.next().getOrThrow(), "the other worker goes on");
        }
        pool.close();
        target.release.countDown();
        assertTrue(pool.await(Waits.LIMIT));
        assertTrue(!results.hasNext(), "the stubborn job's late value is discarded: one result per job");
        assertEquals(0, pool.stats().stuckWorkers());
        assertEquals(1, pool.stats().timedOut());
    }

    /** An idle pool's watchdog parks without a deadline (no periodic wake-ups), and still times out the next job. */
    @Test
    void anIdleWatchdogParksUntilAJobStarts() throws Exception {
        try (TimedWorkPool pool = TimedWorkPool.start(new Timed())) {
            Thread watchdog = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("TimedWorkPool-watchdog")).findFirst().orElseThrow();
            Waits.until(() -> watchdog.getState() == Thread.State.WAITING, "the idle watchdog to park untimed");
            pool.submit("block");
            Iterator<TimedWorkPool.Result> results = pool.results().iterator();
            assertInstanceOf(TimeoutException.class, results.next().error());
            Waits.until(() -> watchdog.getState() == Thread.State.WAITING, "the watchdog to park again");
            pool.close();
            assertTrue(pool.await(Waits.LIMIT));
            assertTrue(!watchdog.isAlive());
        }
    }

    @Test
    void aTimedOutJobKeepsItsPlaceInAnOrderedPool() throws Exception {
        try (OrderedTimedPool pool = OrderedTimedPool.start()) {
            Thread producer = new Thread(() -> {
                try {
                    for (String mode : List.of("a", "block", "b", "c", "d", "e", "f")) {
                        pool.submit(mode);
                    }
                    pool.close();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            producer.start();
            StringBuilder order = new StringBuilder();
            for (OrderedTimedPool.Result r : pool.results()) {
                order.append(r.isSuccess() ? r.value() : r.error() instanceof TimeoutException ? "T" : "?");
            }
            Waits.join(producer);
            assertEquals("aTbcdef", order.toString());
        }
    }

    @Test
    void aTimeoutIsAFailureForAFailFastPool() throws Exception {
        FailFastTimedPool pool = FailFastTimedPool.start();
        pool.submit("block");
        dev.workerpool.runtime.PoolFailedException thrown =
                org.junit.jupiter.api.Assertions.assertThrows(dev.workerpool.runtime.PoolFailedException.class,
                        pool::await);
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        assertEquals(new FailFastTimedPool.Job("block"), thrown.job());
        assertTrue(pool.isCancelled());
        Iterator<FailFastTimedPool.Result> results = pool.results().iterator();
        assertInstanceOf(TimeoutException.class, results.next().error());
        assertTrue(!results.hasNext());
    }

    /**
     * A fail-fast pool fails by its first failure only if that failure cancelled it: a job that outlives its
     * deadline after the pool was cancelled (it ignores the interrupt) is timed out, but the cancel came first,
     * so {@code await} returns normally and {@code failure()} stays empty, as for a job that throws after a cancel.
     */
    @Test
    void aTimeoutAfterTheCancelIsNoFailureOfAFailFastPool() throws Exception {
        Scripted target = new Scripted();
        ScriptedGuardedPool pool = ScriptedGuardedPool.start(target); // fail-fast, timeout 100 ms
        pool.submit(1, "stubborn");
        Waits.await(target.stubbornStarted, "the stubborn job to start");
        pool.cancel();
        Iterator<ScriptedGuardedPool.Result> results = pool.results().iterator();
        ScriptedGuardedPool.Result timedOut = results.next(); // at the deadline, while the job still runs
        assertInstanceOf(TimeoutException.class, timedOut.error());
        target.release.countDown();
        assertTrue(pool.await(Waits.LIMIT), "no PoolFailedException: the cancel, not a failure, stopped the pool");
        assertTrue(pool.failure().isEmpty(), "failure() is what cancelled the pool: " + pool.failure());
        assertTrue(!results.hasNext());
    }

    @Test
    void runAllReportsTimeoutsInTheResults() throws Exception {
        List<TimedWorkPool.Result> results = TimedWorkPool.runAll(new Timed(),
                List.of(new TimedWorkPool.Job("x"), new TimedWorkPool.Job("block"), new TimedWorkPool.Job("y")));
        assertEquals("x", results.get(0).getOrThrow());
        assertInstanceOf(TimeoutException.class, results.get(1).error());
        assertEquals("y", results.get(2).getOrThrow());
    }
}
