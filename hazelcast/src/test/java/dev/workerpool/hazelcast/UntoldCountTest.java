package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.collection.IQueue;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stall's look counts a pending job it finds nowhere as lost untold ({@link SubmitterState#lostUntold}); these
 * tests hold a job where a look could miss it, force a stall's look ({@link HazelcastEngine#reconcileStalled}; the
 * stall time itself is ten minutes), and check that a job that is not lost is not counted
 * ({@link EngineHooks#afterCountingUntold}), and ends with its one correct result.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UntoldCountTest {
    private static TwoMemberCluster pair;
    /**
     * What the stall looks of the test under way counted as lost untold: sequence numbers, which count from 1 in
     * the order of the submits (a test that submits job 0 first has job n as n + 1).
     */
    private final Set<Long> counted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void formCluster() {
        pair = TwoMemberCluster.form("wp-untold-");
    }

    @AfterAll
    static void stopCluster() {
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void setHooks() {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        EngineHooks.afterCountingUntold = counted::addAll;
    }

    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    /**
     * The delivery in place of job 1's result fails once (a told loss), and the look that it asks for throws after
     * the members answered (here its hook, as a failed read of the results queue would): the next, a stall's, still
     * knows the loss was told, and does not count it again as untold. Before the fix the failed look dropped the
     * told losses, and the stall's look counted job 1 lost untold.
     */
    @Test
    void aToldLossIsNotCountedUntoldAfterALookThatFailed() throws Exception {
        String pool = "UntoldAfterAFailedLook";
        AtomicBoolean deliveryFailed = new AtomicBoolean();
        EngineHooks.whileDelivering = seq -> {
            if (seq == 1 && deliveryFailed.compareAndSet(false, true)) {
                throw new IllegalStateException("the delivery of job 1 fails once");
            }
        };
        CountDownLatch lookFailed = new CountDownLatch(1);
        EngineHooks.beforeRequeuing = lost -> {
            if (lookFailed.getCount() > 0 && lost.contains(1L)) {
                lookFailed.countDown();
                throw new IllegalStateException("the look fails once");
            }
        };
        PoolEngine<Long, String> a = TwoMemberCluster.startPart(pair.first, pool, PoolOptions.DEFAULT, 1,
                job -> "first");
        try {
            a.submit(1L);
            awaitLatch(lookFailed, "the look after the failed delivery to fail");
            stallLook(a);
            assertFalse(counted.contains(1L), "counted lost untold: " + counted);
            a.close();
            assertEquals(List.of("1=first"), readAll(a, pool));
        } finally {
            a.cancel();
            a.await(Duration.ofSeconds(60));
        }
    }

    /** Forces a stall's look on {@code engine}'s member, and waits (at most 60 s) until it has looked. */
    private static void stallLook(PoolEngine<Long, String> engine) throws InterruptedException {
        ((HazelcastEngine<?, ?, ?>) engine).reconcileStalled();
        awaitMaintained(engine);
    }

    /** Waits (at most 60 s) until {@code engine}'s maintenance thread has done what it was handed so far. */
    private static void awaitMaintained(PoolEngine<Long, String> engine) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ((HazelcastEngine<?, ?, ?>) engine).maintain(done::countDown, 0);
        awaitLatch(done, "the maintenance thread to finish its tasks");
    }

    /** {@link TwoMemberCluster#awaitLatch} on an engine's thread: an interrupt is kept, and ends the wait. */
    private static void awaitQuietly(CountDownLatch latch, String what) {
        try {
            awaitLatch(latch, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads {@code engine}'s results (pool {@code pool}'s) to their end, at most 60 s; returns them, sorted. */
    private static List<String> readAll(PoolEngine<Long, String> engine, String pool) throws InterruptedException {
        List<String> results = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> engine.results().forEach(results::add), pool + "-test-reader");
        reader.setDaemon(true);
        reader.start();
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(reader.isAlive(), "the results ended; read " + results + "\n" + StartTest.threadDump());
        List<String> sorted = new ArrayList<>(results);
        sorted.sort(null);
        return sorted;
    }
}
