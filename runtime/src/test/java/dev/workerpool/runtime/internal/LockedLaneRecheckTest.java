package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A lock-based lane under {@link Lanes}: a parker's re-check ({@link LockedChannel#hasClaimedItems},
 * {@link LockedChannel#hasClaimedRoom}) reads the count under the lane's lock, as sends and receives update it, so
 * the re-check cannot pass a send or receive under way. Each test holds the lock as that operation would, and checks
 * that the re-check waits for it: on the lane itself, answering only after the operation, with its count; and through
 * {@link Lanes} (lanes above the ring's size limit are lock-based), a reader parking and a sender woken waiting for
 * the lock inside the re-check. These show where the re-check reads, which the no-lost-wake-up argument needs
 * (DESIGN.md, {@code WaitSet}); a lost wake-up itself is not seen on x86, where the lock's release orders the count.
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

    @Test
    void aReaderParkingOnLanesOfLockBasedLanesRechecksUnderTheLanesLock() throws Exception {
        Lanes<Integer> queue = new Lanes<>("big", 2, 2 * (Channel.RING_LIMIT + 1), true); // lock-based lanes
        LockedChannel<?> lane = lockBased(queue, 0);
        AtomicReference<Integer> got = new AtomicReference<>();
        Thread reader;
        lane.lock.lock();
        try {
            // Its look at the lanes reads without the lock; only its park's re-check takes it.
            reader = ChannelTest.start("reader", () -> got.set(queue.receiveUntil(0, Timeouts.NONE)));
            Waits.until(() -> lane.lock.hasQueuedThread(reader) || LockSupport.getBlocker(reader) instanceof WaitSet,
                    "the reader to re-check or park");
            assertRecheckingUnderTheLock(reader, lane, "hasClaimedItems");
            assertTrue(queue.trySend(0, 7)); // the lane's lock is reentrant: a send under way
        } finally {
            lane.lock.unlock();
        }
        Waits.join(reader);
        assertEquals(7, got.get());
    }

    @Test
    void aSenderWokenOnLanesOfLockBasedLanesRechecksUnderTheLanesLock() throws Exception {
        int share = Channel.RING_LIMIT + 1;
        Lanes<Integer> queue = new Lanes<>("big", 1, share, true); // one lock-based lane
        for (int i = 0; i < share; i++) {
            assertTrue(queue.trySend(0, i));
        }
        LockedChannel<?> lane = lockBased(queue, 0);
        Thread sender = ChannelTest.start("sender", () -> assertTrue(queue.sendUntil(0, -1, Timeouts.NONE)));
        Waits.until(() -> LockSupport.getBlocker(sender) instanceof WaitSet, "the sender to park");
        lane.lock.lock();
        try {
            assertEquals(0, queue.receiveUntil(0, Timeouts.NONE)); // a receive under way, which wakes the sender
            // Woken, it re-checks: under the lock, it waits here; without it, it saw the room and waits in its send.
            Waits.until(() -> lane.lock.hasQueuedThread(sender), "the woken sender to wait for the lane's lock");
            assertRecheckingUnderTheLock(sender, lane, "hasClaimedRoom");
        } finally {
            lane.lock.unlock();
        }
        Waits.join(sender);
        assertEquals(share, queue.size());
    }

    /** {@code thread} waits for the lane's lock inside the park's re-check ({@code recheck} of the lane). */
    private static void assertRecheckingUnderTheLock(Thread thread, LockedChannel<?> lane, String recheck) {
        boolean inRecheck = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            inRecheck |= frame.getClassName().equals(LockedChannel.class.getName())
                    && frame.getMethodName().equals(recheck);
        }
        assertTrue(lane.lock.hasQueuedThread(thread) && inRecheck, thread.getName() + " did not re-check under the "
                + "lane's lock (" + recheck + ") while a send or receive was under way in it; it is "
                + thread.getState() + " at " + Arrays.toString(thread.getStackTrace()));
    }

    private static LockedChannel<?> lockBased(Lanes<?> queue, int i) throws ReflectiveOperationException {
        Field lanes = Lanes.class.getDeclaredField("lanes");
        lanes.setAccessible(true);
        Field core = Channel.class.getDeclaredField("core");
        core.setAccessible(true);
        return (LockedChannel<?>) core.get(((Channel<?>[]) lanes.get(queue))[i]);
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
