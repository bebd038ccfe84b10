package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code resize(int)} on generated pools: growing starts workers at once, shrinking lets running jobs finish and
 * retires the rest, per-worker targets are made and closed, a job resizes its own pool, a laned pool loses no job,
 * bad sizes are refused naming the pool, and random resizes mixed with submit, close and cancel keep exactly one
 * result per accepted job. The whole class runs again with lanes forced on (the with-lanes surefire execution).
 */
@ExtendWith(NoLeakedThreads.class)
class ResizeTest {

    private static final String WORKERS = "ElasticWorkPool-worker-";

    @BeforeEach
    void reset() {
        Elastic.OPENED.set(0);
        Elastic.CLOSED.set(0);
    }

    @Test
    void growingStartsTheNewWorkersAtOnce() throws Exception {
        Elastic elastic = new Elastic();
        elastic.meet = new CountDownLatch(4); // only four jobs running at the same time get past it
        try (ElasticWorkPool pool = ElasticWorkPool.start(elastic, 1, 4)) {
            pool.resize(4);
            assertEquals(4, pool.stats().workers());
            for (int i = 0; i < 4; i++) {
                pool.submit(i, false, 0);
            }
            pool.close();
            Set<String> threads = new HashSet<>();
            for (ElasticWorkPool.Result r : pool.results()) {
                threads.add(r.getOrThrow());
            }
            assertEquals(Set.of(WORKERS + 1, WORKERS + 2, WORKERS + 3, WORKERS + 4), threads);
            pool.await();
        }
    }

    @Test
    void shrinkingLetsRunningJobsFinishAndTheWorkersKeptRunTheQueuedOnes() throws Exception {
        Elastic elastic = new Elastic();
        ElasticWorkPool pool = ElasticWorkPool.start(elastic, 3, 4);
        for (int i = 0; i < 3; i++) {
            pool.submit(i, true, 0);
        }
        assertTrue(elastic.started.tryAcquire(3, Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        for (int i = 3; i < 7; i++) {
            assertTrue(pool.trySubmit(i, false, 0), "queued job " + i);
        }
        pool.resize(1);
        assertEquals(3, pool.stats().busyWorkers(), "no running job was stopped");
        elastic.finish.release(3);
        Waits.until(() -> Waits.liveThreads(WORKERS) == 1, "two workers retired");
        pool.close();
        BitSet seen = new BitSet();
        for (ElasticWorkPool.Result r : pool.results()) {
            assertFalse(seen.get(r.job().job()), "a second result for job " + r.job().job());
            seen.set(r.job().job());
            r.getOrThrow();
        }
        assertEquals(7, seen.cardinality());
        pool.await();
        assertEquals(7, pool.stats().completed());
        assertEquals(1, pool.stats().workers());
    }

    @Test
    void perWorkerTargetsAreMadeForNewWorkersAndClosedByRetiringOnes() throws Exception {
        try (ElasticWorkPool pool = ElasticWorkPool.start(Elastic::new, 2, 4)) {
            assertEquals(2, Elastic.OPENED.get());
            pool.resize(5);
            assertEquals(5, Elastic.OPENED.get(), "made on this thread before resize returned");
            pool.resize(1);
            Waits.until(() -> Elastic.CLOSED.get() == 4, "the four retired workers' targets closed");
            pool.resize(2);
            assertEquals(6, Elastic.OPENED.get());
            pool.close();
            pool.await();
        }
        assertEquals(6, Elastic.CLOSED.get(), "every target closed once, by its own worker");
    }

    @Test
    void aJobMayResizeItsOwnPoolEvenBelowItsOwnWorker() throws Exception {
        Elastic elastic = new Elastic();
        elastic.meet = new CountDownLatch(3); // one job on each of three workers
        try (ElasticWorkPool pool = ElasticWorkPool.start(elastic, 3, 4)) {
            elastic.pool = pool;
            for (int i = 0; i < 3; i++) {
                pool.submit(i, false, 1); // each shrinks the pool to one worker
            }
            for (int i = 0; i < 3; i++) {
                pool.results().iterator().next().getOrThrow();
            }
            Waits.until(() -> Waits.liveThreads(WORKERS) == 1, "two workers retired");
            elastic.meet = new CountDownLatch(0);
            pool.submit(3, false, 3); // the last worker grows the pool again
            pool.results().iterator().next().getOrThrow();
            assertEquals(3, Waits.liveThreads(WORKERS));
            assertEquals(3, pool.stats().workers());
            pool.close();
            assertFalse(pool.results().iterator().hasNext());
            pool.await();
        }
    }

    @Test
    void aLanedPoolLosesNoJobWhenItShrinksOrGrows() throws Exception {
        Elastic elastic = new Elastic();
        try (ElasticSpreadPool pool = ElasticSpreadPool.start(elastic)) {
            pool.submit(-1);
            pool.submit(-2);
            assertTrue(elastic.started.tryAcquire(2, Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS));
            for (int id = 0; id < 200; id++) {
                assertTrue(pool.trySubmit(id), "room for job " + id); // spread over both workers' lanes
            }
            pool.resize(1); // the lane of the retiring worker is drained by the one kept
            elastic.finish.release(2);
            Waits.until(() -> pool.stats().completed() == 202 && Waits.liveThreads("ElasticSpreadPool-worker-") == 1,
                    "every job done, one worker left");
            pool.resize(3); // more workers than lanes: they share them
            for (int id = 200; id < 250; id++) {
                pool.submit(id);
            }
            pool.close();
            BitSet seen = new BitSet();
            int results = 0;
            for (ElasticSpreadPool.Result r : pool.results()) {
                int id = r.getOrThrow() + 2;
                assertFalse(seen.get(id), "a second result for job " + r.getOrThrow());
                seen.set(id);
                results++;
            }
            assertEquals(252, results);
            pool.await();
        }
    }

    @Test
    void aBadSizeIsRefusedNamingThePoolAndAClosedPoolGrowsNoMore() throws Exception {
        try (ElasticWorkPool pool = ElasticWorkPool.start(new Elastic())) {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
            assertEquals("ElasticWorkPool: workers must be at least 1, was 0", zero.getMessage());
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> pool.resize(20_000));
            assertEquals("ElasticWorkPool: workers = 20000 would start that many platform threads; the limit is 10000",
                    huge.getMessage());
            pool.close();
            PoolClosedException closed = assertThrows(PoolClosedException.class, () -> pool.resize(3));
            assertEquals("ElasticWorkPool is closed; it starts no more workers", closed.getMessage());
            pool.resize(1); // shrinking a closed pool is harmless
            pool.await();
        }
    }

    /**
     * Random rounds, bounded in time: two producers submit (waiting or not), two threads resize at random, a
     * reader reads; one producer closes or cancels the pool at a random moment. Every accepted job has exactly one
     * result; no result is extra; no thread is left.
     */
    @Test
    void randomResizesWithSubmitCloseAndCancelKeepExactlyOnce() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Random random = new Random(4);
        int rounds = 0;
        while (rounds < 5 || rounds < 100 && System.nanoTime() < deadline) { // at least 5, however slow
            rounds++;
            round(random.nextLong());
        }
    }

    private static void round(long seed) throws Exception {
        Random random = new Random(seed);
        Set<Integer> accepted = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> results = new ConcurrentHashMap<>();
        ElasticWorkPool pool = ElasticWorkPool.start(new Elastic(), 1 + random.nextInt(4), random.nextInt(6));
        int perProducer = 100 + random.nextInt(200);
        int stopAt = random.nextInt(2 * perProducer);
        boolean cancel = random.nextBoolean();
        AtomicInteger submitted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int base = p * 1_000_000;
            threads.add(new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    try {
                        boolean in = (i & 1) == 0 ? pool.trySubmit(new ElasticWorkPool.Job(base + i, false, 0),
                                Duration.ofMillis(20)) : pool.trySubmit(base + i, false, 0);
                        if (in) {
                            accepted.add(base + i);
                        }
                    } catch (PoolClosedException | InterruptedException e) {
                        return;
                    }
                    if (submitted.incrementAndGet() == stopAt) {
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
                for (int i = 0; i < 20; i++) {
                    try {
                        pool.resize(1 + r.nextInt(5));
                    } catch (PoolClosedException e) {
                        return; // closed: grows no more, as documented
                    }
                    Thread.yield();
                }
            }, "resizer-" + t));
        }
        Thread reader = new Thread(() -> pool.results().forEach(r -> results.merge(r.job().job(), 1, Integer::sum)),
                "reader");
        reader.start();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            Waits.join(t);
        }
        pool.close();
        if (!pool.await(Waits.LIMIT)) {
            throw Waits.stuck(pool + " to terminate");
        }
        Waits.join(reader);
        assertEquals(accepted, results.keySet(), "seed " + seed + ": a result for every accepted job, none other");
        results.forEach((job, n) -> assertEquals(1, n, "seed " + seed + ": job " + job + " had " + n + " results"));
        assertEquals(accepted.size(), pool.stats().finished(), "seed " + seed);
        assertEquals(0, Waits.liveThreads(WORKERS), "seed " + seed);
    }
}
