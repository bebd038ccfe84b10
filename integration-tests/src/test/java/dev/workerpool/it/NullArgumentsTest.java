package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.spi.PoolBackend;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Every object a user can pass to a generated pool's methods, given as {@code null}: each is refused with a
 * {@link NullPointerException} whose message names the pool, the method and what was null, before any thread
 * starts or any job is accepted.
 */
@ExtendWith(NoLeakedThreads.class)
class NullArgumentsTest {

    private static final Squares NO_TARGET = null;
    private static final Supplier<Squares> NO_TARGETS = null;
    private static final Consumer<SquaresSquarePool.Result> NO_HANDLER = null;
    private static final PoolBackend NO_BACKEND = null;
    private static final Rate NO_RATE = null; // allowed: no limit

    @Test
    void everyStartRefusesANullTargetNamingThePool() {
        String message = "SquaresSquarePool: start was given a null target";
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, 1, 1));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, 1, 1, NO_RATE));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, result -> { }));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, 1, 1, result -> { }));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, 1, 1, NO_RATE, result -> { }));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, NO_BACKEND));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGET, 1, 1, NO_BACKEND));
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a refused start leaves no thread");
    }

    @Test
    void everyPerWorkerStartRefusesANullSupplierNamingThePool() {
        String message = "SquaresSquarePool: start was given a null target supplier";
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS, 1, 1));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS, 1, 1, NO_RATE));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS, result -> { }));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS, 1, 1, result -> { }));
        assertRefused(message, () -> SquaresSquarePool.start(NO_TARGETS, 1, 1, NO_RATE, result -> { }));
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a refused start leaves no thread");
    }

    @Test
    void everySideEffectStartRefusesANullHandlerNamingThePool() {
        String message = "SquaresSquarePool: start was given a null onResult handler";
        assertRefused(message, () -> SquaresSquarePool.start(new Squares(), NO_HANDLER));
        assertRefused(message, () -> SquaresSquarePool.start(new Squares(), 1, 1, NO_HANDLER));
        assertRefused(message, () -> SquaresSquarePool.start(new Squares(), 1, 1, NO_RATE, NO_HANDLER));
        assertRefused(message, () -> SquaresSquarePool.start(Squares::new, NO_HANDLER));
        assertRefused(message, () -> SquaresSquarePool.start(Squares::new, 1, 1, NO_HANDLER));
        assertRefused(message, () -> SquaresSquarePool.start(Squares::new, 1, 1, NO_RATE, NO_HANDLER));
        Consumer<CounterTouchPool.Result> none = null;
        assertRefused("CounterTouchPool: start was given a null onResult handler", () -> CounterTouchPool.start(none));
        assertRefused("CounterTouchPool: start was given a null onResult handler",
                () -> CounterTouchPool.start(1, 1, NO_RATE, none));
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a refused start leaves no thread");
        assertEquals(0, Waits.liveThreads("CounterTouchPool-worker-"), "a refused start leaves no thread");
    }

    @Test
    void aStartOnABackendRefusesANullBackendNamingThePool() {
        assertRefused("SquaresSquarePool: start was given a null backend",
                () -> SquaresSquarePool.start(new Squares(), NO_BACKEND));
        assertRefused("SquaresSquarePool: start was given a null backend",
                () -> SquaresSquarePool.start(new Squares(), 1, 1, NO_BACKEND));
        assertRefused("CounterTouchPool: start was given a null backend", () -> CounterTouchPool.start(NO_BACKEND));
        assertRefused("CounterTouchPool: start was given a null backend",
                () -> CounterTouchPool.start(1, 1, NO_BACKEND));
    }

    @Test
    void runAllRefusesANullTargetCollectionOrJobNamingThePool() {
        List<SquaresSquarePool.Job> jobs = List.of(new SquaresSquarePool.Job(2));
        assertRefused("SquaresSquarePool: runAll was given a null target",
                () -> SquaresSquarePool.runAll(NO_TARGET, jobs));
        assertRefused("SquaresSquarePool: runAll was given a null target",
                () -> SquaresSquarePool.runAll(NO_TARGET, jobs, 1, 1));
        Collection<SquaresSquarePool.Job> noJobs = null;
        assertRefused("SquaresSquarePool: runAll was given null instead of a collection of jobs",
                () -> SquaresSquarePool.runAll(new Squares(), noJobs));
        assertRefused("SquaresSquarePool: runAll was given a null job, at index 1 of 2; a job may not be null",
                () -> SquaresSquarePool.runAll(new Squares(), Arrays.asList(jobs.get(0), null), 1, 1));
        Collection<CounterTouchPool.Job> noTouches = null;
        assertRefused("CounterTouchPool: runAll was given null instead of a collection of jobs",
                () -> CounterTouchPool.runAll(noTouches));
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a refused runAll starts no thread");
    }

    /** A running pool refuses a null job or timeout, accepting nothing, and still runs the jobs it did accept. */
    @Test
    void aRunningPoolRefusesANullJobOrTimeoutNamingThePool() throws Exception {
        try (SquaresSquarePool pool = SquaresSquarePool.start(new Squares(), 1, 4)) {
            SquaresSquarePool.Job noJob = null;
            String job = "SquaresSquarePool: %s was given a null job; a job may not be null";
            assertRefused(String.format(job, "submit"), () -> pool.submit(noJob));
            assertRefused(String.format(job, "trySubmit"), () -> pool.trySubmit(noJob));
            assertRefused(String.format(job, "trySubmit"), () -> pool.trySubmit(noJob, Duration.ofSeconds(1)));
            assertRefused("SquaresSquarePool: trySubmit was given a null timeout",
                    () -> pool.trySubmit(new SquaresSquarePool.Job(3), null));
            assertRefused("SquaresSquarePool: await was given a null timeout", () -> pool.await(null));
            pool.submit(4);
            pool.close();
            int results = 0;
            for (SquaresSquarePool.Result r : pool.results()) {
                assertEquals(16, r.getOrThrow());
                results++;
            }
            assertEquals(1, results, "only the one job given was accepted");
            assertEquals(1, pool.stats().submitted());
        }
    }

    /** A supplier that returns null for a worker's target fails start naming the pool and the worker. */
    @Test
    void aSupplierThatReturnsNullFailsStartNamingThePoolAndTheWorker() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SquaresSquarePool.start(() -> null, 2, 1));
        assertEquals("SquaresSquarePool: could not create the target for worker 1 of 2", e.getMessage());
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertEquals("the target supplier returned null", e.getCause().getMessage());
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a failed start leaves no thread");
    }

    private static void assertRefused(String message, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(message, e.getMessage());
    }
}
