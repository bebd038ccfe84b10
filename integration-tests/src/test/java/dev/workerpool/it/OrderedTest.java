package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ordered = true}: results in submission order, with memory bounded by the reorder window. */
@ExtendWith(NoLeakedThreads.class)
class OrderedTest {

    /**
     * What a producer thread threw other than the PoolClosedException of a cancelled pool; checked by
     * {@link #join}.
     */
    private final AtomicReference<Throwable> producerFailure = new AtomicReference<>();


    @Test
    void resultsComeOutInSubmissionOrder() throws Exception {
        Ordered target = new Ordered();
        int n = 20_000;
        try (OrderedEchoPool pool = OrderedEchoPool.start(target)) {
            Thread producer = producer(pool, 0, n);
            List<Integer> ids = new ArrayList<>();
            for (OrderedEchoPool.Result r : pool.results()) {
                ids.add(r.getOrThrow());
            }
            join(producer);
            assertEquals(n, ids.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, ids.get(i), "result " + i);
            }
        }
    }

    /**
     * One slow job at the head: the others fill the window (workers + buffer = 8 results), then the workers
     * hold their results, the queue fills, and submit blocks — exactly 15 jobs accepted, not more.
     */
    @Test
    void aSlowJobHoldsBackAtMostTheWindowThenBackpressure() throws Exception {
        Ordered target = new Ordered();
        try (OrderedEchoPool pool = OrderedEchoPool.start(target)) {
            pool.submit(0, true);
            Waits.await(target.heldStarted, "the slow job to start");
            Thread producer = producer(pool, 1, 100);
            // Quiescent: the queue is full and every thread is parked, so no count can change any more. Thread
            // states alone are not enough: a worker woken for a job shows WAITING until it is scheduled, while the
            // producer may already have filled the queue behind it (seen once, under load: 14 accepted at that
            // moment). So wait for the 15th as well; a pool that accepted a 16th would never block its producer at
            // 15, and the assertion below would see it.
            Waits.until(() -> pool.stats().queuedJobs() == OrderedEchoPool.BUFFER && isWaiting(producer)
                    && workersWaiting() == OrderedEchoPool.WORKERS && pool.stats().submitted() >= 15,
                    "the producer to be held back");
            // 1 slow + 7 stored results (window 8) + 3 workers holding theirs + 4 queued
            assertEquals(1 + 7 + 3 + 4, pool.stats().submitted());
            assertEquals(OrderedEchoPool.WORKERS, pool.stats().busyWorkers() + 3, "three workers wait with a result");
            target.release.countDown();
            int expected = 0;
            for (OrderedEchoPool.Result r : pool.results()) {
                assertEquals(expected++, r.getOrThrow());
            }
            assertEquals(100, expected);
            join(producer);
        }
    }

    @Test
    void cancelDeliversEveryAcceptedJobInOrderWithoutAReader() throws Exception {
        Ordered target = new Ordered();
        OrderedEchoPool pool = OrderedEchoPool.start(target);
        pool.submit(0, true);
        Waits.await(target.heldStarted, "the slow job to start");
        Thread producer = producer(pool, 1, 1_000);
        Waits.until(() -> isWaiting(producer), "the producer to be held back");
        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT), "a cancelled ordered pool terminates though nobody reads");
        join(producer);
        long accepted = pool.stats().submitted();
        int expected = 0;
        for (OrderedEchoPool.Result r : pool.results()) {
            assertEquals(expected++, r.job().id());
            if (!r.isSuccess()) {
                assertInstanceOf(CancellationException.class, r.error());
            }
        }
        assertEquals(accepted, expected);
    }

    static long workersWaiting() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("OrderedEchoPool-worker-") && isWaiting(t))
                .count();
    }

    static boolean isWaiting(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING;
    }

    /** Waits for the producer and fails with what it threw, if anything. */
    private void join(Thread producer) throws InterruptedException {
        Waits.join(producer);
        assertNull(producerFailure.get(), () -> "the producer failed: " + producerFailure.get());
    }

    /** Submits ids [from, to) on a thread of its own, then closes; stops quietly when the pool is cancelled. */
    private Thread producer(OrderedEchoPool pool, int from, int to) {
        AtomicReference<Throwable> failure = producerFailure;
        Thread t = new Thread(() -> {
            try {
                for (int i = from; i < to; i++) {
                    pool.submit(i, false);
                }
                pool.close();
            } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                // the test cancelled the pool
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "producer");
        t.start();
        return t;
    }
}
