package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generated API, exercised through pools that the processor generated for the fixtures in src/main. */
@ExtendWith(NoLeakedThreads.class)
class GeneratedPoolTest {

    @Test
    void seedExampleFiveSquaresWithThreeWorkers() throws Exception {
        Map<Integer, Integer> got = new TreeMap<>();
        try (SquaresSquarePool pool = SquaresSquarePool.start(new Squares())) {
            for (int n = 1; n <= 5; n++) {
                pool.submit(n);
            }
            pool.close();
            for (SquaresSquarePool.Result r : pool.results()) {
                assertTrue(r.isSuccess());
                got.put(r.job().n(), r.value());
            }
            assertTrue(pool.isTerminated(), "iteration ends only after the last worker exits");
        }
        assertEquals(Map.of(1, 1, 2, 4, 3, 9, 4, 16, 5, 25), got);
    }

    @Test
    void producerOnAnotherThreadAndConsumerHereLikeTheGoPattern() throws Exception {
        int jobs = 10_000;
        long sum = 0;
        int count = 0;
        try (SquaresSquarePool pool = SquaresSquarePool.start(new Squares())) {
            Thread producer = new Thread(() -> {
                try {
                    for (int n = 0; n < jobs; n++) {
                        pool.submit(new SquaresSquarePool.Job(n));
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    pool.close();
                }
            }, "producer");
            producer.start();
            for (SquaresSquarePool.Result r : pool.results()) {
                sum += r.getOrThrow();
                count++;
            }
            Waits.join(producer);
        }
        assertEquals(jobs, count);
        assertEquals(IntStream.range(0, jobs).mapToLong(n -> (long) n * n).sum(), sum);
    }

    @Test
    void nineJobsThreeWorkersEveryWorkerTakesAShare() throws Exception {
        Map<String, Integer> perWorker = new HashMap<>();
        try (IdentifyWorkerPool pool = IdentifyWorkerPool.start(new Identify())) {
            for (int job = 1; job <= 9; job++) {
                pool.submit(job);
            }
            pool.close();
            for (IdentifyWorkerPool.Result r : pool.results()) {
                perWorker.merge(r.getOrThrow(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of("IdentifyWorkerPool-worker-1", 3, "IdentifyWorkerPool-worker-2", 3,
                "IdentifyWorkerPool-worker-3", 3), perWorker);
    }

    @Test
    void startsExactlyTheConfiguredThreadsNamedAfterThePoolAndAllExit() throws Exception {
        Gate gate = new Gate();
        GatePassPool pool = GatePassPool.start(gate, 5, 0);
        Set<String> names = new TreeSet<>();
        Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("GatePassPool-worker-"))
                .forEach(names::add);
        assertEquals(Set.of("GatePassPool-worker-1", "GatePassPool-worker-2", "GatePassPool-worker-3",
                "GatePassPool-worker-4", "GatePassPool-worker-5"), names);
        pool.close();
        pool.await();
        assertEquals(0, Waits.liveThreads("GatePassPool-worker-"));
    }

    /** With W workers busy, exactly B more submits succeed; the next blocks until a worker frees. */
    @Test
    void backpressureExactlyBufferMoreJobsThenSubmitBlocks() throws Exception {
        Gate gate = new Gate();
        try (GatePassPool pool = GatePassPool.start(gate)) {
            assertTrue(pool.trySubmit(1));
            assertTrue(pool.trySubmit(2));
            gate.started.acquire(2); // both workers now hold a job
            for (int id = 3; id < 3 + GatePassPool.BUFFER; id++) {
                assertTrue(pool.trySubmit(id), "buffer slot for job " + id);
            }
            assertFalse(pool.trySubmit(99), "queue full: a non-blocking submit is refused");
            assertFalse(pool.trySubmit(new GatePassPool.Job(99), Duration.ofMillis(20)), "a timed submit times out");

            CountDownLatch submitted = new CountDownLatch(1);
            Thread producer = new Thread(() -> {
                try {
                    pool.submit(6);
                    submitted.countDown();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "blocked-producer");
            producer.start();
            Waits.untilWaiting(producer);
            assertEquals(1, submitted.getCount(), "submit must block while the queue is full");

            gate.finish.release(); // one worker finishes, takes job 3, and frees a slot
            Waits.await(submitted, "the blocked submit to go through");
            Waits.join(producer);

            gate.finish.release(100);
            pool.close();
            List<Integer> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.value()));
            ids.sort(null);
            assertEquals(List.of(1, 2, 3, 4, 5, 6), ids);
        }
    }

    @Test
    void unbufferedHandOffReturnsOnlyWhenAWorkerTakesTheJob() throws Exception {
        Gate gate = new Gate();
        try (GatePassPool pool = GatePassPool.start(gate, 1, 0)) {
            pool.submit(1);
            gate.started.acquire();
            assertFalse(pool.trySubmit(2), "the only worker is busy and there is no buffer");
            CountDownLatch submitted = new CountDownLatch(1);
            Thread producer = new Thread(() -> {
                try {
                    pool.submit(2);
                    submitted.countDown();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "hand-off-producer");
            producer.start();
            Waits.untilWaiting(producer);
            assertEquals(1, submitted.getCount(), "no worker has taken job 2 yet");
            gate.finish.release();
            Waits.await(submitted, "the worker to take job 2");
            gate.started.acquire(); // job 2 is running: the worker took it
            gate.finish.release();
            pool.close();
            List<Integer> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.value()));
            assertEquals(List.of(1, 2), ids);
            assertTrue(pool.await(Waits.LIMIT));
        }
    }

    @Test
    void closeRunsQueuedJobsRejectsNewOnesReleasesBlockedSubmittersAndEndsIteration() throws Exception {
        Gate gate = new Gate();
        GatePassPool pool = GatePassPool.start(gate);
        for (int id = 1; id <= 5; id++) {
            pool.submit(id); // 2 running + 3 queued: full
        }
        gate.started.acquire(2);
        AtomicReference<Throwable> blockedFailure = new AtomicReference<>();
        Thread blocked = new Thread(() -> {
            try {
                pool.submit(6);
            } catch (Throwable t) {
                blockedFailure.set(t);
            }
        }, "blocked-submitter");
        blocked.start();
        Waits.untilWaiting(blocked);

        pool.close();
        pool.close(); // idempotent, unlike Go's close on a closed channel

        Waits.join(blocked);
        PoolClosedException e = assertInstanceOf(PoolClosedException.class, blockedFailure.get());
        assertEquals("GatePassPool is closed; it accepts no more jobs", e.getMessage());
        PoolClosedException after = assertThrows(PoolClosedException.class, () -> pool.submit(7));
        assertTrue(after.getMessage().startsWith("GatePassPool is closed"));
        assertThrows(PoolClosedException.class, () -> pool.trySubmit(7));
        assertTrue(pool.isClosed());
        assertFalse(pool.await(Duration.ofMillis(10)), "queued jobs still run after close");

        gate.finish.release(5);
        List<Integer> ids = new ArrayList<>();
        for (GatePassPool.Result r : pool.results()) {
            ids.add(r.getOrThrow());
        }
        ids.sort(null);
        assertEquals(List.of(1, 2, 3, 4, 5), ids, "every accepted job ran; the rejected one did not");
        pool.await();
        assertTrue(pool.isTerminated());
    }

    @Test
    void everyKindOfThrowableIsCapturedWithItsJobAndTheWorkerSurvives() throws Exception {
        Map<String, FailingAttemptPool.Result> byKind = new HashMap<>();
        try (FailingAttemptPool pool = FailingAttemptPool.start(new Failing())) {
            for (String kind : List.of("io", "runtime", "error", "overflow", "ok")) {
                pool.submit(kind);
            }
            pool.close();
            for (FailingAttemptPool.Result r : pool.results()) {
                byKind.put(r.job().kind(), r);
            }
        }
        assertEquals(5, byKind.size());
        IOException io = assertThrows(IOException.class, () -> byKind.get("io").getOrThrow());
        assertEquals("disk on fire", io.getMessage());
        assertInstanceOf(IllegalStateException.class, byKind.get("runtime").error());
        assertThrows(IllegalStateException.class, () -> byKind.get("runtime").getOrThrow());
        assertThrows(AssertionError.class, () -> byKind.get("error").getOrThrow());
        assertInstanceOf(StackOverflowError.class, byKind.get("overflow").error());
        assertFalse(byKind.get("overflow").isSuccess());
        FailingAttemptPool.Result ok = byKind.get("ok");
        assertTrue(ok.isSuccess());
        assertNull(ok.error());
        assertEquals("FailingAttemptPool-worker-1", ok.getOrThrow(), "the single worker survived four failures");
    }

    @Test
    void neverMoreThanWorkersJobsAtOnce() throws Exception {
        Concurrency target = new Concurrency();
        List<ConcurrencyMeasurePool.Job> jobs = IntStream.range(0, 20_000).mapToObj(ConcurrencyMeasurePool.Job::new)
                .toList();
        List<ConcurrencyMeasurePool.Result> results = ConcurrencyMeasurePool.runAll(target, jobs);
        assertEquals(jobs.size(), results.size());
        assertTrue(results.stream().allMatch(ConcurrencyMeasurePool.Result::isSuccess));
        assertTrue(target.highest.get() <= ConcurrencyMeasurePool.WORKERS,
                "at most " + ConcurrencyMeasurePool.WORKERS + " at once, saw " + target.highest.get());
        assertTrue(target.highest.get() >= 1);
    }

    @Test
    void cancelInterruptsRunningSkipsQueuedAndStillGivesEveryJobOneResult() throws Exception {
        Gate gate = new Gate();
        GatePassPool pool = GatePassPool.start(gate, 2, 10);
        for (int id = 1; id <= 7; id++) {
            pool.submit(id);
        }
        gate.started.acquire(2); // jobs 1 and 2 run; 3..7 wait
        pool.cancel();
        pool.cancel();
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> pool.submit(8));
        assertEquals("GatePassPool was cancelled; it accepts no more jobs", e.getMessage());
        assertTrue(pool.await(Waits.LIMIT), "cancel stops the pool without anyone reading results");

        Map<Integer, Throwable> errors = new TreeMap<>();
        for (GatePassPool.Result r : pool.results()) {
            assertNull(errors.put(r.job().id(), r.error()), "one result per job");
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7), errors.keySet());
        for (int id = 1; id <= 7; id++) {
            assertInstanceOf(CancellationException.class, errors.get(id), "job " + id);
        }
        // The two running jobs were interrupted; the five queued ones never started. Which two ran is 1 and 2 with
        // one job queue, but any two with lanes (jobs start only roughly in submission order there).
        long interrupted = errors.values().stream().filter(t -> t.getCause() instanceof InterruptedException).count();
        long neverStarted = errors.values().stream().filter(t -> t.getCause() == null).count();
        assertEquals(2, interrupted, "the two running jobs were interrupted: " + errors);
        assertEquals(5, neverStarted, "the queued jobs never started: " + errors);
        assertTrue(pool.isCancelled());
        assertEquals(0, gate.started.availablePermits(), "queued jobs never started");
    }

    @Test
    void cancelReleasesASubmitterBlockedOnAFullQueueWithoutAcceptingItsJob() throws Exception {
        Gate gate = new Gate();
        GatePassPool pool = GatePassPool.start(gate); // 2 workers, buffer 3
        for (int id = 1; id <= 5; id++) {
            pool.submit(id);
        }
        gate.started.acquire(2);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread blocked = new Thread(() -> {
            try {
                pool.submit(6);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "blocked-submitter");
        blocked.start();
        Waits.untilWaiting(blocked);
        pool.cancel();
        Waits.join(blocked);
        PoolClosedException e = assertInstanceOf(PoolClosedException.class, thrown.get());
        assertEquals("GatePassPool was cancelled; it accepts no more jobs", e.getMessage());
        assertTrue(pool.await(Waits.LIMIT));
        Set<Integer> ids = new TreeSet<>();
        pool.results().forEach(r -> assertTrue(ids.add(r.job().id())));
        assertEquals(Set.of(1, 2, 3, 4, 5), ids, "one result per accepted job; none for the rejected one");
    }

    @Test
    void runAllTenThousandJobsFromOneThreadInInputOrder() throws Exception {
        List<SquaresSquarePool.Job> jobs = IntStream.range(0, 10_000).mapToObj(SquaresSquarePool.Job::new).toList();
        List<SquaresSquarePool.Result> results = SquaresSquarePool.runAll(new Squares(), jobs);
        assertEquals(jobs.size(), results.size());
        for (int i = 0; i < jobs.size(); i++) {
            assertSame(jobs.get(i), results.get(i).job());
            assertEquals(i * i, results.get(i).value());
        }
        assertEquals(List.of(), SquaresSquarePool.runAll(new Squares(), List.of()));
    }

    @Test
    void staticVoidMethodsNeedNoTargetAndReportSuccess() throws Exception {
        Lines.SEEN.clear();
        try (LinesRecordPool pool = LinesRecordPool.start()) {
            pool.submit("a", new int[] {1, 2});
            pool.submit(new LinesRecordPool.Job("b", new int[] {3}));
            pool.close();
            int n = 0;
            for (LinesRecordPool.Result r : pool.results()) {
                r.throwIfFailed();
                n++;
            }
            assertEquals(2, n);
        }
        assertEquals(Map.of("a", 2, "b", 1), Lines.SEEN);
        List<LinesTotalPool.Result> totals =
                LinesTotalPool.runAll(List.of(new LinesTotalPool.Job(List.of("ab", "cde"))));
        assertEquals(5, totals.get(0).getOrThrow());
    }

    @Test
    void runTimeSizesAreValidatedWithAClearMessage() {
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                () -> SquaresSquarePool.start(new Squares(), 0, 1));
        assertEquals("SquaresSquarePool: workers must be at least 1, was 0", workers.getMessage());
        IllegalArgumentException buffer = assertThrows(IllegalArgumentException.class,
                () -> SquaresSquarePool.start(new Squares(), 1, -1));
        assertEquals("SquaresSquarePool: buffer must be at least 0, was -1", buffer.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> SquaresSquarePool.start(new Squares(), 1, Integer.MAX_VALUE));
        assertEquals("SquaresSquarePool: buffer = 2147483647 is so large that the queue is effectively unbounded and "
                + "backpressure never happens; the limit is 16777216", huge.getMessage());
        assertThrows(NullPointerException.class, () -> SquaresSquarePool.start((Squares) null));
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a rejected start leaves no thread");
    }

    @Test
    void tooManyWorkersAtRunTimeFailStartAtOnceWithTheAnnotationsLimit() {
        long before = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SquaresSquarePool.start(new Squares(), 100_000, 10));
        assertEquals("SquaresSquarePool: workers = 100000 would start that many platform threads; the limit is 10000",
                e.getMessage());
        assertTrue(System.nanoTime() - before < java.time.Duration.ofSeconds(5).toNanos(), "failed fast");
        assertEquals(0, Waits.liveThreads("SquaresSquarePool-worker-"), "a rejected start leaves no thread");
    }

    @Test
    void interruptedSubmitThrowsAndTheJobIsNotAccepted() throws Exception {
        Gate gate = new Gate();
        try (GatePassPool pool = GatePassPool.start(gate, 1, 0)) {
            pool.submit(1);
            gate.started.acquire();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    pool.submit(2);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "interrupted-producer");
            producer.start();
            Waits.untilWaiting(producer);
            producer.interrupt();
            Waits.join(producer);
            assertInstanceOf(InterruptedException.class, thrown.get());
            gate.finish.release();
            pool.close();
            List<Integer> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.value()));
            assertEquals(List.of(1), ids, "the interrupted submit's job never ran");
        }
    }
}
