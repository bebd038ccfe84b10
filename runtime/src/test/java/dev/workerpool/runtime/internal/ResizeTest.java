package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code resize}: growing starts workers at once; shrinking lets running jobs finish, wakes idle workers and
 * retires them, and drops no job; per-worker targets are made and closed; a job may resize its own pool; concurrent
 * resizes converge; and, over random rounds mixing resizes with submit, close and cancel, every accepted job has
 * exactly one result. Each test runs on every kind of job queue a pool can have.
 */
class ResizeTest {

    record R(Integer job, Object value, Throwable error) {}

    /** The job queues: each wakes a waiting receiver its own way. */
    enum Kind {
        HAND_OFF(0), RING(8), LOCKED(Channel.RING_LIMIT + 1), LANES(256);

        final int buffer;

        Kind(int buffer) {
            this.buffer = buffer;
        }
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** Starts a pool of this kind; for {@link Kind#LANES}, with lanes forced on while it starts. */
    private static LocalEngine<Integer, Object, R> start(Kind kind, PoolOptions options, int workers,
            JobFunction<Integer, Object> function, Consumer<? super R> handler) {
        String name = "Resize" + kind + POOLS.incrementAndGet();
        AtomicReference<LocalEngine<Integer, Object, R>> started = new AtomicReference<>();
        LanesTest.withLanesSetting(kind == Kind.LANES ? "true" : "false", () -> started.set(
                LocalEngine.start(name, options, workers, kind.buffer, function, R::new, handler)));
        LocalEngine<Integer, Object, R> pool = started.get();
        assertEquals(kind == Kind.LANES, pool.jobs instanceof Lanes, "the queue of " + kind);
        return pool;
    }

    private static LocalEngine<Integer, Object, R> start(Kind kind, int workers, JobFunction<Integer, Object> f) {
        return start(kind, PoolOptions.DEFAULT, workers, f, null);
    }

    private static long alive(LocalEngine<?, ?, ?> pool) {
        return pool.workerThreads().stream().filter(w -> w.thread.isAlive()).count();
    }

    private static void untilAlive(LocalEngine<?, ?, ?> pool, int n) {
        Waits.until(() -> alive(pool) == n, n + " live workers in " + pool);
    }

    /** Waits for a latch inside a job, failing the job (not hanging the test) if it never opens. */
    private static void meet(CountDownLatch latch) throws InterruptedException {
        latch.countDown();
        if (!latch.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the other jobs never ran at the same time as this one");
        }
    }

    private static List<R> readAll(LocalEngine<Integer, Object, R> pool) {
        List<R> all = new ArrayList<>();
        pool.results().forEach(all::add);
        return all;
    }

    /**
     * Reads the pool's results on another thread while {@code submitting} runs, then closes the pool and waits for
     * the reader: the jobs read, sorted, a failed job as -1.
     */
    private static List<Integer> jobsReadWhile(LocalEngine<Integer, Object, R> pool, ChannelTest.Body submitting)
            throws Exception {
        List<Integer> jobs = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readAll(pool).forEach(r -> jobs.add(r.error() == null ? r.job() : -1)));
        reader.start();
        submitting.run();
        pool.close();
        Waits.join(reader);
        Collections.sort(jobs);
        return jobs;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void growingStartsTheNewWorkersAtOnce(Kind kind) throws Exception {
        CountDownLatch four = new CountDownLatch(4);
        LocalEngine<Integer, Object, R> pool = start(kind, 2, job -> {
            meet(four); // only four jobs running at the same time get past this
            return Thread.currentThread().getName();
        });
        pool.resize(4);
        assertEquals(4, pool.stats().workers());
        assertEquals(4, alive(pool), "started before resize returned");
        for (int i = 0; i < 4; i++) {
            pool.submit(i);
        }
        pool.close();
        Set<Object> threads = new HashSet<>();
        for (R r : readAll(pool)) {
            assertNull(r.error());
            threads.add(r.value());
        }
        assertEquals(4, threads.size(), "four jobs on four threads: " + threads);
        assertTrue(threads.contains(pool.name() + "-worker-3") && threads.contains(pool.name() + "-worker-4"));
        pool.await();
        assertTrue(pool.isTerminated());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shrinkingLetsRunningJobsFinishThenRetiresTheWorkers(Kind kind) throws Exception {
        Semaphore started = new Semaphore(0);
        Semaphore finish = new Semaphore(0);
        LocalEngine<Integer, Object, R> pool = start(kind, 4, job -> {
            if (job < 4) {
                started.release();
                finish.acquire();
            }
            return job;
        });
        for (int i = 0; i < 4; i++) {
            pool.submit(i);
        }
        assertTrue(started.tryAcquire(4, Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS), "four jobs running");
        pool.resize(1);
        assertEquals(1, pool.stats().workers());
        assertEquals(4, pool.stats().busyWorkers(), "the running jobs were not stopped");
        assertEquals(4, alive(pool));
        finish.release(4);
        untilAlive(pool, 1);
        List<Integer> jobs = jobsReadWhile(pool, () -> {
            for (int i = 4; i < 20; i++) {
                pool.submit(i);
            }
        });
        assertEquals(IntStream.range(0, 20).boxed().toList(), jobs, "each job once");
        pool.await();
        assertEquals(20, pool.stats().completed());
    }

    /**
     * An interrupt from outside the pool that lands while a worker waits for a job ends the wait, not the worker
     * ({@code Worker.run} receives again): every worker is still there, then runs jobs, and a later shrink still
     * retires one. Each worker's interrupt is seen cleared, by its own receive, before any job is submitted.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStrayInterruptWhileWaitingForAJobEndsNeitherTheWorkerNorAJob(Kind kind) throws Exception {
        LocalEngine<Integer, Object, R> pool = start(kind, 2, job -> job);
        for (Worker<Integer, Object, R> worker : pool.workerThreads()) {
            Thread t = worker.thread;
            Waits.untilWaiting(t);
            t.interrupt();
            Waits.until(() -> !t.isInterrupted() && t.getState() != Thread.State.RUNNABLE,
                    t.getName() + " to take the interrupt and wait again (or end)");
            assertTrue(t.isAlive(), t.getName() + " ended on an interrupt while it waited for a job");
        }
        assertEquals(2, alive(pool));
        List<Integer> jobs = jobsReadWhile(pool, () -> {
            for (int i = 0; i < 50; i++) {
                pool.submit(i);
            }
            pool.resize(1);
            untilAlive(pool, 1);
            for (int i = 50; i < 100; i++) {
                pool.submit(i);
            }
        });
        assertEquals(IntStream.range(0, 100).boxed().toList(), jobs, "each job once");
        pool.await();
        assertEquals(100, pool.stats().completed());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shrinkingWakesIdleWorkersAndGrowingAgainRefillsTheirSeats(Kind kind) throws Exception {
        LocalEngine<Integer, Object, R> pool = start(kind, 4, job -> Thread.currentThread().getName());
        for (int round = 0; round < 3; round++) {
            pool.resize(1); // every other worker waits for a job: woken, it retires
            untilAlive(pool, 1);
            pool.resize(3);
            assertEquals(3, alive(pool));
        }
        pool.resize(2);
        untilAlive(pool, 2);
        assertEquals(2, pool.stats().workers());
        pool.close();
        pool.await();
        assertTrue(pool.isTerminated());
        assertTrue(pool.toString().contains("workers=2"), pool.toString());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void jobsQueuedWhenThePoolShrinksGoToTheRemainingWorkers(Kind kind) throws Exception {
        Semaphore started = new Semaphore(0);
        Semaphore finish = new Semaphore(0);
        Map<Integer, String> ranOn = new ConcurrentHashMap<>();
        LocalEngine<Integer, Object, R> pool = start(kind, 3, job -> {
            ranOn.put(job, Thread.currentThread().getName());
            if (job < 3) {
                started.release();
                finish.acquire();
            }
            return job;
        });
        for (int i = 0; i < 3; i++) {
            pool.submit(i);
        }
        assertTrue(started.tryAcquire(3, Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        int queued = Math.min(kind.buffer, 6);
        for (int i = 3; i < 3 + queued; i++) {
            assertTrue(pool.trySubmit(i), "room for job " + i);
        }
        pool.resize(1);
        finish.release(3);
        pool.close();
        List<R> all = readAll(pool);
        int expected = 3 + (kind == Kind.HAND_OFF ? 0 : queued);
        assertEquals(expected, all.size());
        assertEquals(expected, all.stream().map(R::job).distinct().count());
        pool.await();
        // Every queued job ran after the shrink, so on the one worker kept (worker-1) or on a retiring worker
        // that had not yet looked: never lost, never twice (counted above).
        assertEquals(expected, ranOn.size());
    }

    @Test
    void perWorkerTargetsAreMadeForNewWorkersAndClosedByRetiringOnes() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Map<Integer, Set<String>> threadsPerTarget = new ConcurrentHashMap<>();
        final class Conn implements AutoCloseable {
            final int id = opened.incrementAndGet();

            Object use(Integer job) {
                threadsPerTarget.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread().getName());
                return id;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }
        LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker("ResizeTargets" + POOLS.incrementAndGet(),
                2, 4, Conn::new, conn -> conn::use, R::new);
        assertEquals(2, opened.get());
        pool.resize(5);
        assertEquals(5, opened.get(), "one new target per new worker, made before resize returned");
        pool.resize(2);
        Waits.until(() -> closed.get() == 3, "the three retired workers' targets closed");
        pool.resize(3);
        assertEquals(6, opened.get());
        Thread reader = new Thread(() -> readAll(pool).forEach(r -> assertNull(r.error())));
        reader.start();
        for (int i = 0; i < 50; i++) {
            pool.submit(i);
        }
        pool.close();
        Waits.join(reader);
        pool.await();
        assertEquals(6, closed.get(), "every target closed once");
        threadsPerTarget.forEach((id, threads) -> assertEquals(1, threads.size(), "target " + id + ": " + threads));
    }

    @Test
    void aTargetThatCannotBeMadeStopsTheGrowthWhereItFailed() throws Exception {
        AtomicInteger made = new AtomicInteger();
        LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker("ResizeFails" + POOLS.incrementAndGet(),
                1, 1, () -> {
                    if (made.incrementAndGet() == 3) {
                        throw new IllegalArgumentException("no more connections");
                    }
                    return new Object();
                }, target -> job -> job, R::new);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.resize(4));
        assertEquals(pool.name() + ": could not create the target for worker 3 of 4", e.getMessage());
        assertEquals(2, pool.stats().workers(), "the size is the workers then running");
        assertEquals(2, alive(pool));
        pool.close();
        pool.await();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aJobMayResizeItsOwnPoolBelowItsOwnWorker(Kind kind) throws Exception {
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        CyclicBarrier three = new CyclicBarrier(3);
        LocalEngine<Integer, Object, R> pool = start(kind, 3, job -> {
            if (job < 3) {
                three.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS); // one job on each worker
                self.get().resize(1); // each of the three, so the two retiring workers resize below themselves
            } else if (job == 3) {
                self.get().resize(3);
            }
            return job;
        });
        self.set(pool);
        for (int i = 0; i < 3; i++) {
            pool.submit(i);
        }
        for (int i = 0; i < 3; i++) {
            assertNull(pool.results().iterator().next().error());
        }
        untilAlive(pool, 1);
        pool.submit(3); // the one worker left grows the pool again from inside its job
        assertNull(pool.results().iterator().next().error());
        assertEquals(3, pool.stats().workers());
        untilAlive(pool, 3);
        pool.close();
        assertFalse(pool.results().iterator().hasNext());
        pool.await();
    }

    @Test
    void aBadSizeIsRefusedNamingThePool() {
        LocalEngine<Integer, Object, R> pool = start(Kind.RING, 2, job -> job);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
        assertEquals(pool.name() + ": workers must be at least 1, was 0", zero.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> pool.resize(10_001));
        assertEquals(pool.name() + ": workers = 10001 would start that many platform threads; the limit is 10000",
                huge.getMessage());
        assertEquals(2, pool.stats().workers(), "unchanged");
        pool.close();
    }

    @Test
    void aClosedOrCancelledPoolStartsNoMoreWorkersButMayShrink() throws Exception {
        LocalEngine<Integer, Object, R> closed = start(Kind.RING, 3, job -> job);
        closed.close();
        PoolClosedException grow = assertThrows(PoolClosedException.class, () -> closed.resize(4));
        assertEquals(closed.name() + " is closed; it starts no more workers", grow.getMessage());
        closed.resize(1);
        closed.resize(1);
        assertThrows(PoolClosedException.class, () -> closed.resize(2), "more than it has now");
        closed.await();
        assertThrows(PoolClosedException.class, () -> closed.resize(5));

        LocalEngine<Integer, Object, R> cancelled = start(Kind.RING, 2, job -> job);
        cancelled.cancel();
        PoolClosedException afterCancel = assertThrows(PoolClosedException.class, () -> cancelled.resize(3));
        assertEquals(cancelled.name() + " was cancelled; it starts no more workers", afterCancel.getMessage());
        cancelled.resize(1);
        cancelled.await();
    }

    /** The SPI's default, for an engine that cannot resize (one written against an older runtime). */
    @Test
    void anEngineWithoutResizeSaysSo() {
        dev.workerpool.runtime.spi.PoolEngine<Integer, R> plain = new dev.workerpool.runtime.spi.PoolEngine<>() {
            @Override public void submit(Integer job) { }
            @Override public boolean trySubmit(Integer job) { return false; }
            @Override public boolean trySubmit(Integer job, Duration timeout) { return false; }
            @Override public void close() { }
            @Override public void cancel() { }
            @Override public void await() { }
            @Override public boolean await(Duration timeout) { return true; }
            @Override public void awaitOrThrow() { }
            @Override public boolean awaitOrThrow(Duration timeout) { return true; }
            @Override public java.util.Optional<Throwable> failure() { return java.util.Optional.empty(); }
            @Override public Iterable<R> results() { return List.of(); }
            @Override public boolean isClosed() { return true; }
            @Override public boolean isCancelled() { return false; }
            @Override public boolean isTerminated() { return true; }
            @Override public dev.workerpool.runtime.PoolStats stats() { return null; }
        };
        assertThrows(UnsupportedOperationException.class, () -> plain.resize(2));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentResizesConvergeToTheLastOne(Kind kind) throws Exception {
        LocalEngine<Integer, Object, R> pool = start(kind, 2, job -> job);
        List<Thread> resizers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            Thread resizer = new Thread(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 40; i++) {
                    pool.resize(1 + random.nextInt(6));
                }
            }, "resizer-" + t);
            resizers.add(resizer);
            resizer.start();
        }
        for (Thread resizer : resizers) {
            Waits.join(resizer);
        }
        pool.resize(3);
        untilAlive(pool, 3);
        assertEquals(3, pool.stats().workers());
        for (int i = 0; i < 3 + Math.min(kind.buffer, 10); i++) {
            pool.submit(i);
        }
        pool.close();
        assertEquals(3 + Math.min(kind.buffer, 10), readAll(pool).size());
        pool.await();
        assertEquals(0, alive(pool));
    }

    @Test
    void anOrderedPoolKeepsItsOrderAndItsWindowFollowsTheSize() throws Exception {
        LocalEngine<Integer, Object, R> pool = start(Kind.RING, PoolOptions.DEFAULT.withOrdered(true), 1,
                job -> job, null);
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 2_000; i++) {
                    if (i == 500) {
                        pool.resize(4);
                    } else if (i == 1_000) {
                        pool.resize(2);
                    } else if (i == 1_500) {
                        pool.resize(5);
                    }
                    pool.submit(i);
                }
                pool.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer");
        producer.start();
        int expected = 0;
        for (R r : pool.results()) {
            assertEquals(expected++, r.job(), "acceptance order");
        }
        assertEquals(2_000, expected);
        Waits.join(producer);
        pool.await();
    }

    @Test
    void statsKeepTheCountsOfRetiredWorkers() throws Exception {
        LocalEngine<Integer, Object, R> pool = start(Kind.RING, 4, job -> job);
        Thread reader = new Thread(() -> readAll(pool));
        reader.start();
        for (int i = 0; i < 100; i++) {
            pool.submit(i);
        }
        Waits.until(() -> pool.stats().completed() == 100, "100 jobs done");
        pool.resize(1);
        untilAlive(pool, 1);
        pool.resize(1); // prunes the three terminated workers into the sum
        assertEquals(1, pool.workerThreads().size(), "the retired workers were pruned");
        assertEquals(100, pool.stats().completed(), "their counts were kept");
        pool.close();
        Waits.join(reader);
        pool.await();
        assertEquals(100, pool.stats().completed());
    }

    /**
     * Random rounds, bounded in time: a pool of random kind, options and size; two producers submit (some
     * waiting, some not), two threads resize at random, one reads (or a handler takes the results); then close
     * or cancel at a random moment. Every accepted job has exactly one result, and no result is extra.
     */
    @Test
    void randomResizesWithSubmitCloseAndCancelKeepExactlyOnce() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Random random = new Random(19);
        int rounds = 0;
        while (rounds < 10 || rounds < 150 && System.nanoTime() < deadline) { // at least 10, however slow
            rounds++;
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            boolean handler = random.nextInt(3) == 0;
            boolean ordered = !handler && kind != Kind.LANES && random.nextBoolean();
            long seed = random.nextLong();
            int workers = (kind == Kind.LANES ? 2 : 1) + random.nextInt(3);
            exactlyOnceRound(kind, ordered, handler, workers, seed);
        }
    }

    private static void exactlyOnceRound(Kind kind, boolean ordered, boolean handler, int workers, long seed)
            throws Exception {
        Random random = new Random(seed);
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> results = new ConcurrentHashMap<>();
        Consumer<R> take = r -> results.merge(r.job(), 1, Integer::sum);
        LocalEngine<Integer, Object, R> pool = start(kind, PoolOptions.DEFAULT.withOrdered(ordered), workers, job -> {
            if (job % 7 == 0) {
                Thread.yield();
            }
            return job;
        }, handler ? take : null);
        int perProducer = 200 + random.nextInt(300);
        AtomicInteger stopAt = new AtomicInteger(random.nextInt(2 * perProducer));
        boolean cancel = random.nextBoolean();
        AtomicInteger submitted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int base = p * 1_000_000;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    try {
                        boolean in = (i & 1) == 0 ? pool.trySubmit(base + i, Duration.ofMillis(50))
                                : pool.trySubmit(base + i);
                        if (in) {
                            accepted.add(base + i);
                        }
                    } catch (PoolClosedException e) {
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (submitted.incrementAndGet() == stopAt.get()) {
                        if (cancel) {
                            pool.cancel();
                        } else {
                            pool.close();
                        }
                    }
                }
            }, "producer-" + p));
        }
        for (int t = 0; t < 2; t++) {
            long resizerSeed = random.nextLong();
            threads.add(new Thread(() -> {
                Random r = new Random(resizerSeed);
                for (int i = 0; i < 30; i++) {
                    try {
                        pool.resize(1 + r.nextInt(5));
                    } catch (PoolClosedException e) {
                        // grown after close: refused, as documented
                    }
                    Thread.yield();
                }
            }, "resizer-" + t));
        }
        Thread reader = handler ? null : new Thread(() -> pool.results().forEach(take), "reader");
        if (reader != null) {
            reader.start();
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            Waits.join(t);
        }
        pool.close();
        if (!pool.await(Waits.LIMIT)) {
            throw Waits.stuck(pool + " to terminate");
        }
        if (reader != null) {
            Waits.join(reader);
        }
        String round = kind + (ordered ? " ordered" : "") + (handler ? " handler" : "") + " seed " + seed;
        assertEquals(accepted, results.keySet(), round + ": a result for every accepted job, and none other");
        results.forEach((job, n) -> assertEquals(1, n, round + ": job " + job + " had " + n + " results"));
        assertEquals(0, alive(pool), round);
        assertEquals(accepted.size(), pool.stats().finished(), round);
    }
}
