package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.spi.JobFunction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every way a job, a producer or a consumer can misbehave, each repeated {@value #ITERATIONS} times (more with
 * {@code -Dworkerpool.fault.iterations}). Each iteration asserts the pool's promises: its workers stay alive
 * while it is open, every accepted job yields exactly one result, and it terminates — no hang.
 */
class FaultInjectionTest {

    static final int ITERATIONS = Integer.getInteger("workerpool.fault.iterations", 100);
    private static final Duration SHORT = Duration.ofMillis(20);

    record R(Integer job, Object value, Throwable error) {}

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static LocalEngine<Integer, Object, R> start(int workers, int buffer,
            JobFunction<Integer, Object> function) {
        return LocalEngine.start("Fault" + POOLS.incrementAndGet(), workers, buffer, function, R::new);
    }

    private static long liveWorkers(LocalEngine<?, ?, ?> pool) {
        return Waits.liveThreads(pool.name() + "-worker-");
    }

    /** Closes (if needed), waits for termination, and returns every result by job, failing on a duplicate. */
    private static Map<Integer, R> drain(LocalEngine<Integer, Object, R> pool) throws InterruptedException {
        pool.close();
        Map<Integer, R> byJob = new HashMap<>();
        for (R r : pool.results()) {
            assertNull(byJob.put(r.job(), r), "a second result for job " + r.job());
        }
        assertTrue(pool.await(Waits.LIMIT), "the pool terminates");
        assertEquals(0, liveWorkers(pool), "no worker thread left");
        return byJob;
    }

    @AfterEach
    void noPoolLeaksAThread() {
        Waits.until(() -> Waits.liveThreads("Fault") == 0, "every fault pool's workers to exit");
    }

    // --- what jobs throw ---------------------------------------------------------------------------------------

    private void throwsAndSurvives(Supplier<Throwable> failure, Class<? extends Throwable> expected) throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            LocalEngine<Integer, Object, R> pool = start(2, 4, n -> {
                if (n % 2 == 0) {
                    throw failure.get();
                }
                return n;
            });
            for (int n = 0; n < 10; n++) {
                pool.submit(n);
            }
            assertEquals(2, liveWorkers(pool), "both workers survive their jobs' failures");
            Map<Integer, R> results = drain(pool);
            assertEquals(10, results.size());
            for (int n = 0; n < 10; n++) {
                if (n % 2 == 0) {
                    assertInstanceOf(expected, results.get(n).error());
                } else {
                    assertEquals(n, results.get(n).value());
                }
            }
        }
    }

    @Test
    void runtimeException() throws Exception {
        throwsAndSurvives(() -> new IllegalStateException("boom"), IllegalStateException.class);
    }

    @Test
    void checkedException() throws Exception {
        throwsAndSurvives(() -> new IOException("disk"), IOException.class);
    }

    @Test
    void assertionError() throws Exception {
        throwsAndSurvives(() -> new AssertionError("broken"), AssertionError.class);
    }

    @Test
    void stackOverflowError() throws Exception {
        throwsAndSurvives(() -> {
            try {
                return new AssertionError(recurse(0));
            } catch (StackOverflowError real) {
                return real;
            }
        }, StackOverflowError.class);
    }

    @Test
    void rawThrowable() throws Exception {
        throwsAndSurvives(() -> new Throwable("neither exception nor error"), Throwable.class);
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    // --- cancel --------------------------------------------------------------------------------------------------

    @Test
    void jobThatSwallowsInterruptsKeepsItsWorkerUntilItReturnsThenCancelCompletes() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger swallowed = new AtomicInteger();
            LocalEngine<Integer, Object, R> pool = start(1, 4, n -> {
                if (n == 0) {
                    started.countDown();
                    for (;;) {
                        try {
                            release.await();
                            return "finished anyway";
                        } catch (InterruptedException e) {
                            swallowed.incrementAndGet();
                        }
                    }
                }
                return n;
            });
            for (int n = 0; n < 4; n++) {
                pool.submit(n);
            }
            Waits.await(started, "the stubborn job to start");
            pool.cancel();
            Waits.until(() -> swallowed.get() > 0, "the interrupt to be delivered (and swallowed)");
            assertFalse(pool.await(SHORT), "the stubborn job still holds its worker");
            release.countDown();
            Map<Integer, R> results = drain(pool);
            assertEquals(Set.of(0, 1, 2, 3), results.keySet());
            assertEquals("finished anyway", results.get(0).value(), "a job that returns normally keeps its value");
            for (int n = 1; n < 4; n++) {
                assertInstanceOf(CancellationException.class, results.get(n).error(), "queued job " + n);
            }
        }
    }

    @Test
    void cancelBeforeDuringAndAfterAJobRuns() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            CountDownLatch running = new CountDownLatch(1);
            LocalEngine<Integer, Object, R> pool = start(1, 4, n -> {
                if (n == 1) {
                    running.countDown();
                    new CountDownLatch(1).await(); // never ends, unless interrupted
                }
                return n;
            });
            pool.submit(0); // will have run before cancel
            Iterator<R> results = pool.results().iterator();
            R first = results.next();
            pool.submit(1); // will be running
            pool.submit(2); // will be queued
            Waits.await(running, "job 1 to run");
            pool.cancel();
            Map<Integer, R> byJob = new HashMap<>();
            byJob.put(first.job(), first);
            while (results.hasNext()) {
                R r = results.next();
                assertNull(byJob.put(r.job(), r));
            }
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(0, byJob.get(0).value(), "after: a job that ran before cancel keeps its value");
            CancellationException during = assertInstanceOf(CancellationException.class, byJob.get(1).error());
            assertInstanceOf(InterruptedException.class, during.getCause(), "during: interrupted");
            CancellationException before = assertInstanceOf(CancellationException.class, byJob.get(2).error());
            assertNull(before.getCause(), "before: never started");
            assertEquals(3, byJob.size());
        }
    }

    @Test
    void cancelRacingClose() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            LocalEngine<Integer, Object, R> pool = start(4, 8, n -> n);
            Set<Integer> accepted = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            Thread producer = ChannelTest.start("producer", () -> {
                try {
                    for (int n = 0; ; n++) {
                        pool.submit(n);
                        accepted.add(n);
                        if (n == 50) {
                            go.countDown();
                        }
                    }
                } catch (PoolClosedException expected) {
                    go.countDown();
                }
            });
            Map<Integer, R> byJob = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            Thread consumer = ChannelTest.start("consumer", () -> {
                for (R r : pool.results()) {
                    if (byJob.put(r.job(), r) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            });
            Waits.await(go, "some jobs to flow");
            Thread closer = ChannelTest.start("closer", pool::close);
            pool.cancel();
            Waits.join(closer);
            Waits.join(producer);
            Waits.join(consumer);
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(0, duplicates.get());
            assertEquals(accepted, byJob.keySet(), "one result per accepted job, none for rejected ones");
        }
    }

    @Test
    void cancelFromInsideAJob() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            LocalEngine<Integer, Object, R> pool = start(2, 16, n -> {
                ready.await();
                if (n == 5) {
                    self.get().cancel();
                }
                return n;
            });
            self.set(pool);
            for (int n = 0; n < 12; n++) {
                pool.submit(n);
            }
            ready.countDown();
            Map<Integer, R> results = drain(pool);
            assertEquals(12, results.size(), "every accepted job has exactly one result");
            assertTrue(pool.isCancelled());
        }
    }

    // --- producers -----------------------------------------------------------------------------------------------

    @Test
    void submitAfterCloseOrCancelFails() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            LocalEngine<Integer, Object, R> pool = start(1, 1, n -> n);
            if (i % 2 == 0) {
                pool.close();
            } else {
                pool.cancel();
            }
            assertThrows(PoolClosedException.class, () -> pool.submit(1));
            assertThrows(PoolClosedException.class, () -> pool.trySubmit(1));
            assertThrows(PoolClosedException.class, () -> pool.trySubmit(1, SHORT));
            assertEquals(Map.of(), drain(pool));
        }
    }

    @Test
    void submitterBlockedOnAFullQueueIsReleasedByCloseOrCancel() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            Semaphore finish = new Semaphore(0);
            LocalEngine<Integer, Object, R> pool = start(1, 1, n -> {
                finish.acquire();
                return n;
            });
            pool.submit(0);
            pool.submit(1); // the queue may need the worker to take job 0 first: submit waits for that
            Waits.until(() -> pool.queuedJobs() == 1, "job 1 queued behind the running job 0");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread blocked = ChannelTest.start("blocked", () -> {
                try {
                    pool.submit(2);
                } catch (PoolClosedException e) {
                    thrown.set(e);
                }
            });
            Waits.untilWaiting(blocked);
            boolean cancel = i % 2 == 1;
            if (cancel) {
                pool.cancel();
            } else {
                pool.close();
            }
            Waits.join(blocked);
            assertInstanceOf(PoolClosedException.class, thrown.get());
            finish.release(2);
            Map<Integer, R> results = drain(pool);
            assertEquals(Set.of(0, 1), results.keySet(), "the blocked submitter's job was not accepted");
        }
    }

    @Test
    void jobThatSubmitsToItsOwnFullPoolIsReleasedByCancel() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
            CountDownLatch submitting = new CountDownLatch(1);
            CountDownLatch filled = new CountDownLatch(1);
            LocalEngine<Integer, Object, R> pool = start(1, 1, n -> {
                if (n == 0) {
                    filled.await();
                    submitting.countDown();
                    self.get().submit(100); // the only worker waits for room in its own queue: stuck
                }
                return n;
            });
            self.set(pool);
            pool.submit(0);
            pool.submit(1);
            filled.countDown();
            Waits.await(submitting, "the job to submit to its own pool");
            assertFalse(pool.await(SHORT), "stuck until cancelled");
            pool.cancel();
            Map<Integer, R> results = drain(pool);
            assertEquals(Set.of(0, 1), results.keySet());
            assertInstanceOf(CancellationException.class, results.get(0).error());
            assertInstanceOf(CancellationException.class, results.get(1).error());
        }
    }

    @Test
    void callerInterruptedInSubmitOrAwait() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            Semaphore finish = new Semaphore(0);
            LocalEngine<Integer, Object, R> pool = start(1, 0, n -> {
                finish.acquire();
                return n;
            });
            pool.submit(0);
            AtomicReference<Throwable> inSubmit = new AtomicReference<>();
            Thread submitter = ChannelTest.start("submitter", () -> {
                try {
                    pool.submit(1);
                } catch (InterruptedException e) {
                    inSubmit.set(e);
                }
            });
            Waits.untilWaiting(submitter);
            submitter.interrupt();
            Waits.join(submitter);
            assertInstanceOf(InterruptedException.class, inSubmit.get());

            AtomicReference<Throwable> inAwait = new AtomicReference<>();
            Thread waiter = ChannelTest.start("waiter", () -> {
                try {
                    pool.await();
                } catch (InterruptedException e) {
                    inAwait.set(e);
                }
            });
            Waits.untilWaiting(waiter);
            waiter.interrupt();
            Waits.join(waiter);
            assertInstanceOf(InterruptedException.class, inAwait.get());
            assertEquals(1, liveWorkers(pool), "interrupting callers does not touch the pool");
            finish.release();
            assertEquals(Set.of(0), drain(pool).keySet(), "the interrupted submit's job was not accepted");
        }
    }

    // --- consumers -----------------------------------------------------------------------------------------------

    @Test
    void consumerThatStopsReadingThenCancel() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            LocalEngine<Integer, Object, R> pool = start(2, 2, n -> n);
            Set<Integer> accepted = new TreeSet<>();
            for (int n = 0; n < 8; n++) { // fills queue, workers and the result channel
                assertTrue(pool.trySubmit(n, Waits.LIMIT));
                accepted.add(n);
            }
            R one = pool.results().iterator().next(); // read one result, then walk away
            pool.cancel();
            assertTrue(pool.await(Waits.LIMIT), "cancel terminates the pool although nobody reads");
            Map<Integer, R> rest = drain(pool);
            assertSame(null, rest.get(one.job()));
            rest.put(one.job(), one);
            assertEquals(accepted, rest.keySet());
        }
    }
}
