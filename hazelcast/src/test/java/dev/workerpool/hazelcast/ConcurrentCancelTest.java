package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two threads that cancel a pool's part at once, on a one-member cluster: the part acts on the cancel once. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConcurrentCancelTest {
    private static HazelcastBackend backend;

    @BeforeAll
    static void startMember() {
        int port = MemberProcesses.freePort();
        backend = HazelcastBackend.builder().cluster("wp-cancel-" + port).address("127.0.0.1", port).start();
    }

    @AfterAll
    static void stopMember() {
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    /**
     * Both cancels are held where each has found the part not cancelled yet, until the other is there too: only one
     * of them records the cancel and has the part look for its queued jobs (one look, counted once the maintenance
     * thread has run every task handed to it before the cancels returned). Job 0 holds the part's one worker
     * throughout, so that the part cannot end under the cancels. Before the fix both cancels acted: two looks.
     */
    @Test
    void twoCancelsAtOnceActOnce() throws Exception {
        CyclicBarrier bothIn = new CyclicBarrier(2);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        EngineHooks.whileCancelling = () -> {
            try {
                bothIn.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                failures.add(new AssertionError("the two cancels were not both held at once\n"
                        + StartTest.threadDump(), e));
            }
        };
        AtomicInteger looks = new AtomicInteger();
        EngineHooks.beforeCancellingQueued = looks::incrementAndGet;
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PoolEngine<Long, String> pool = backend.start("TwoCancels", PoolOptions.DEFAULT, 1, 8, job -> {
            running.countDown();
            holdUntil(release);
            return "ran";
        }, PlacementTest::describe, PlacementTest.LONG_TO_STRING);
        try {
            pool.submit(0L);
            awaitLatch(running, "job 0 to hold the part's worker");
            Thread[] cancels = new Thread[2];
            for (int i = 0; i < cancels.length; i++) {
                cancels[i] = new Thread(() -> {
                    try {
                        pool.cancel();
                    } catch (RuntimeException | Error e) {
                        failures.add(e);
                    }
                }, "cancel-" + i);
                cancels[i].start();
            }
            for (Thread cancel : cancels) {
                cancel.join(TimeUnit.SECONDS.toMillis(60));
                if (cancel.isAlive()) {
                    throw new AssertionError(cancel.getName() + " did not return within 60 s\n"
                            + StartTest.threadDump());
                }
            }
            assertEquals(List.of(), failures);
            CountDownLatch handedBefore = new CountDownLatch(1);
            ((HazelcastEngine<?, ?, ?>) pool).maintain(handedBefore::countDown, 0);
            awaitLatch(handedBefore, "the maintenance thread to run the tasks the cancels handed it");
            assertEquals(1, looks.get(), "looks for the cancelled part's queued jobs");
        } finally {
            EngineHooks.whileCancelling = null;
            release.countDown();
            pool.cancel();
            assertTrue(pool.await(Duration.ofSeconds(60)), "the part ended");
        }
    }

    /** Waits (at most 60 s) for {@code release}, through the interrupts of a cancel: a job the cancel cannot end. */
    private static void holdUntil(CountDownLatch release) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (!release.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new AssertionError("not released within 60 s\n" + StartTest.threadDump());
                }
                return;
            } catch (InterruptedException cancelled) {
                // the cancel's interrupt: held on
            }
        }
    }
}
