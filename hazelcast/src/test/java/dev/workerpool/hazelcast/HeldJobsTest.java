package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member asked what it holds waits for its takes under way, so that a job taken out of the queue and not yet
 * recorded as held is found; and that wait is bounded.
 */
class HeldJobsTest {
    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    @Test
    void aQueryWaitsForATakeUnderWayAndFindsWhatItTook() throws InterruptedException {
        HeldJobs held = new HeldJobs(2);
        held.hold("other/1");
        assertTrue(held.tryAcquirePermit(0));
        held.startTake(1);
        AtomicInteger waits = new AtomicInteger();
        // the take ends (having taken job 7 of "s") only once the query waits for it
        EngineHooks.whileAwaitingTakes = () -> {
            waits.incrementAndGet();
            held.hold("s/7");
            held.endTake(1);
        };
        long[] found = held.heldOf("s", System.nanoTime() + TimeUnit.SECONDS.toNanos(60)).toArray();
        assertArrayEquals(new long[] {7}, found, "the job the take under way took, and only the submitter's");
        assertEquals(1, waits.get(), "the query waited for the take once");
        held.forget("s/7");
        assertArrayEquals(new long[0], held.heldOf("s", System.nanoTime()).toArray());
    }

    @Test
    void theWaitForTakesEndsAtItsDeadline() {
        HeldJobs held = new HeldJobs(1);
        held.startTake(0); // never ends
        assertFalse(held.awaitUnderWay(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
        held.endTake(0);
        assertTrue(held.awaitUnderWay(System.nanoTime() + TimeUnit.SECONDS.toNanos(60)));
    }

    @Test
    void atMostMaxTakesPermitsAtOnce() throws InterruptedException {
        HeldJobs held = new HeldJobs(HazelcastEngine.MAX_TAKES + 3);
        for (int i = 0; i < HazelcastEngine.MAX_TAKES; i++) {
            assertTrue(held.tryAcquirePermit(0), "permit " + (i + 1));
        }
        assertFalse(held.tryAcquirePermit(0), "one more than MAX_TAKES");
        held.startTake(0);
        held.endTake(0); // gives one back
        assertTrue(held.tryAcquirePermit(0));
    }
}
