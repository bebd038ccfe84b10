package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A lock-based lane under {@link Lanes}: a parker's re-check ({@link LockedChannel#hasClaimedItems},
 * {@link LockedChannel#hasClaimedRoom}) reads the count under the lane's lock, so it cannot pass a send or receive
 * under way (which updates the count under that lock, then asks whether anyone is parked). Each test holds the lock
 * as that operation would, starts a re-check, finishes the operation and lets go: the re-check must wait for it and
 * see its count, not answer from before it.
 */
class LockedLaneRecheckTest {

    @Test
    void theItemsRecheckWaitsForASendUnderWayAndSeesItsItem() throws InterruptedException {
        LockedChannel<Integer> lane = new LockedChannel<>("lane", 4);
        assertEquals(Boolean.TRUE, recheckDuring(lane, () -> lane.hasClaimedItems(1), () -> lane.trySend(7)));
    }

    @Test
    void theRoomRecheckWaitsForAReceiveUnderWayAndSeesItsRoom() throws InterruptedException {
        LockedChannel<Integer> lane = new LockedChannel<>("lane", 2);
        assertTrue(lane.trySend(1));
        assertTrue(lane.trySend(2));
        assertEquals(Boolean.TRUE, recheckDuring(lane, () -> lane.hasClaimedRoom(1), () -> lane.tryReceive() != null));
    }

    /**
     * Holds the lane's lock, starts {@code recheck} on another thread, and once that thread waits (or has answered:
     * the defect), runs {@code operation} under the held lock (reentrant, as the lane's own send or receive takes
     * it), lets go, and returns the re-check's answer.
     */
    private static Boolean recheckDuring(LockedChannel<Integer> lane, BooleanSupplier recheck,
            BooleanSupplier operation) throws InterruptedException {
        AtomicReference<Boolean> answer = new AtomicReference<>();
        Thread parker = new Thread(() -> answer.set(recheck.getAsBoolean()), "parker");
        lane.lock.lock();
        try {
            parker.start();
            Waits.until(() -> answer.get() != null || lane.lock.hasQueuedThread(parker),
                    "the re-check to wait for the lane's lock");
            assertNull(answer.get(),
                    "the re-check answered " + answer.get() + " without the lane's lock, before the operation under "
                            + "way ended (an acquire load of the count orders neither way with the parker's joining)");
            assertTrue(operation.getAsBoolean());
        } finally {
            lane.lock.unlock();
        }
        Waits.join(parker);
        return answer.get();
    }
}
