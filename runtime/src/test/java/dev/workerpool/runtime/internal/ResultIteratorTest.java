package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolInterruptedException;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code results()}'s iterator keeps {@link Iterator}'s contract however a caller mixes {@code hasNext()} and
 * {@code next()}: {@code next()} alone waits for a result, {@code hasNext()} twice takes one result, and
 * {@code next()} after the last result throws {@link NoSuchElementException} naming the pool. Every 256th read
 * goes through the iterator's rarely called receive, as the end does: nothing is lost or repeated there.
 */
class ResultIteratorTest {

    record R(Object job, Object value, Throwable error) {}

    @Test
    void nextWithoutHasNextWaitsHasNextTwiceTakesOneAndTheEndThrows() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("ResultIterator", 1, 3, job -> {
            if (job == 1) {
                release.await(); // the first result comes only once the reader waits in next()
            }
            return job * 10;
        }, R::new);
        try {
            pool.submit(1);
            pool.submit(2);
            pool.submit(3);
            pool.close();
            Iterator<R> results = pool.results().iterator();
            List<Object> values = new ArrayList<>();
            Thread reader = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                Waits.untilWaiting(reader); // the reader waits inside next(), not in hasNext()
                release.countDown();
            }, "releaser");
            releaser.start();
            values.add(results.next().value());
            Waits.join(releaser);
            assertTrue(results.hasNext());
            assertTrue(results.hasNext(), "a second hasNext() takes nothing");
            values.add(results.next().value());
            values.add(results.next().value());
            assertEquals(List.of(10, 20, 30), values, "one worker: in submission order, none lost or repeated");
            assertFalse(results.hasNext());
            NoSuchElementException end = assertThrows(NoSuchElementException.class, results::next);
            assertEquals("ResultIterator: every result has been read", end.getMessage());
            assertFalse(results.hasNext(), "still at the end");
        } finally {
            release.countDown();
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * A thousand results cross the iterator's every-256th-read path three times, read with {@code hasNext()} and
     * {@code next()}, {@code next()} alone, and {@code hasNext()} twice, on each kind of result queue (one worker;
     * two workers with room for lanes, which this machine's processors decide; three workers sharing one channel;
     * ordered). Each result comes once, and the iteration ends only once every worker thread has terminated.
     */
    @ParameterizedTest(name = "{0} workers, buffer {1}, ordered {2}")
    @CsvSource({"1, 4, false", "2, 16, false", "3, 2, false", "3, 8, true"})
    void resultsAcrossTheRarelyTakenReadsComeOnceAndTheEndWaitsForTheWorkers(int workers, int buffer,
            boolean ordered) throws Exception {
        int jobs = 1000;
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("ResultIteratorSteps",
                PoolOptions.DEFAULT.withOrdered(ordered), workers, buffer, job -> job * 10, R::new);
        Thread producer = submitThenClose(pool, jobs);
        try {
            Iterator<R> results = pool.results().iterator();
            List<Integer> values = new ArrayList<>();
            for (int read = 1; read <= jobs; read++) {
                if (read % 3 == 0) {
                    values.add((Integer) results.next().value()); // next() alone
                } else {
                    assertTrue(results.hasNext(), "result " + read);
                    if (read % 3 == 1) {
                        assertTrue(results.hasNext(), "a second hasNext() takes nothing");
                    }
                    values.add((Integer) results.next().value());
                }
            }
            assertFalse(results.hasNext());
            for (Worker<Integer, Object, R> worker : pool.workerThreads()) {
                assertFalse(worker.thread.isAlive(), "the iteration ended before " + worker.thread.getName()
                        + " terminated\n" + Waits.threadDump());
            }
            assertFalse(results.hasNext(), "still at the end");
            assertThrows(NoSuchElementException.class, results::next);
            List<Integer> expected = IntStream.rangeClosed(1, jobs).map(job -> job * 10).boxed().toList();
            if (ordered) {
                assertEquals(expected, values, "an ordered pool's results in submission order");
            } else {
                assertEquals(expected, values.stream().sorted().toList(), "each result once");
            }
        } finally {
            pool.close();
            Waits.join(producer);
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * The 256th read, which goes through the rarely called receive, waits for a result that is not there yet (a
     * receive that does not wait would end the iteration early); interrupted while it waits, it throws
     * {@link PoolInterruptedException}, keeps the interrupt and loses nothing. On each kind of result queue: a
     * ring channel, a lock-based channel (more result slots than the ring serves), lanes, ordered.
     */
    @ParameterizedTest(name = "{0} workers, buffer {1}, ordered {2}, lanes {3}, interrupted {4}")
    @CsvSource({"1, 4, false, false, false", "1, 16384, false, false, false", "2, 256, false, true, false",
            "2, 8, true, false, false", "1, 4, false, false, true", "1, 16384, false, false, true",
            "2, 256, false, true, true", "2, 8, true, false, true"})
    void theRarelyTakenReadWaitsForItsResultAndAnInterruptThereThrows(int workers, int buffer, boolean ordered,
            boolean lanes, boolean interrupted) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<LocalEngine<Integer, Object, R>> started = new AtomicReference<>();
        LanesTest.withLanesSetting(Boolean.toString(lanes), () -> started.set(LocalEngine.start(
                "ResultIteratorWaits", PoolOptions.DEFAULT.withOrdered(ordered), workers, buffer, job -> {
                    if (job == 256) {
                        release.await(); // the 256th result comes only once the reader waits for it
                    }
                    return job * 10;
                }, R::new)));
        LocalEngine<Integer, Object, R> pool = started.get();
        Thread producer = null;
        try {
            assertEquals(lanes, pool.results instanceof Lanes, "lanes");
            assertEquals(ordered, pool.results instanceof OrderedResults, "ordered");
            if (pool.results instanceof Channel<?> channel) {
                assertEquals(buffer < Channel.RING_LIMIT, channel.isRing(), "the ring");
            }
            producer = submitThenClose(pool, 256);
            Iterator<R> results = pool.results().iterator();
            List<Integer> values = new ArrayList<>();
            for (int read = 1; read < 256; read++) {
                values.add((Integer) results.next().value());
            }
            Thread reader = Thread.currentThread();
            Thread other = new Thread(() -> {
                Waits.untilWaiting(reader); // inside the 256th read
                if (interrupted) {
                    reader.interrupt();
                } else {
                    release.countDown();
                }
            }, "releaser");
            other.start();
            if (interrupted) {
                assertThrows(PoolInterruptedException.class, results::hasNext);
                assertTrue(Thread.interrupted(), "the interrupt is kept");
                Waits.join(other);
                release.countDown();
            }
            assertTrue(results.hasNext(), "the 256th result, waited for\n" + Waits.threadDump());
            values.add((Integer) results.next().value());
            Waits.join(other);
            assertFalse(results.hasNext());
            assertEquals(IntStream.rangeClosed(1, 256).map(job -> job * 10).boxed().toList(),
                    values.stream().sorted().toList(), "each result once");
        } finally {
            Thread.interrupted();
            release.countDown();
            pool.close();
            if (producer != null) {
                Waits.join(producer);
            }
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * The iteration ends only once every worker thread has terminated, not when the results close: here each
     * worker thread lingers after its worker has exited (its thread factory's code), until the reader waits at
     * the end.
     */
    @Test
    void theEndWaitsForWorkerThreadsThatLingerAfterTheResultsClose() throws Exception {
        int workers = 2;
        CountDownLatch linger = new CountDownLatch(1);
        AtomicInteger lingering = new AtomicInteger();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("ResultIteratorLinger",
                PoolOptions.DEFAULT.withThreadFactory(task -> new Thread(() -> {
                    task.run();
                    lingering.incrementAndGet();
                    try {
                        linger.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })), workers, 4, job -> job * 10, R::new);
        try {
            for (int job = 1; job <= 3; job++) {
                pool.submit(job);
            }
            pool.close();
            Iterator<R> results = pool.results().iterator();
            for (int read = 1; read <= 3; read++) {
                assertTrue(results.hasNext(), "result " + read);
                results.next();
            }
            Waits.until(() -> lingering.get() == workers, "every worker to exit (the results are closed)");
            Thread reader = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                Waits.untilWaiting(reader); // at the end, joining the lingering threads
                linger.countDown();
            }, "releaser");
            releaser.start();
            assertFalse(results.hasNext());
            for (Worker<Integer, Object, R> worker : pool.workerThreads()) {
                assertFalse(worker.thread.isAlive(), "the iteration ended before " + worker.thread.getName()
                        + " terminated\n" + Waits.threadDump());
            }
            Waits.join(releaser);
        } finally {
            linger.countDown();
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /** A producer thread that submits jobs 1 to {@code jobs}, then closes the pool. */
    private static Thread submitThenClose(LocalEngine<Integer, Object, R> pool, int jobs) {
        return ChannelTest.start("producer", () -> {
            for (int job = 1; job <= jobs; job++) {
                pool.submit(job);
            }
            pool.close();
        });
    }
}
