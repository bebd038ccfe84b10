package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What only the ring has: the batch a waiting thread waits for during its first yields, receives that take from
 * the overflow first, and a hand-off item that a close leaves to its sender. The channel contract itself is
 * {@link ChannelTest}'s; the batch predicates only decide how long a waiter yields, so they are tested on their
 * own, in every lap of the ring (positions past the capacity), rather than through timings.
 */
class RingChannelTest {

    @Test
    void theBatchIsHalfTheCapacityAndAtLeastOne() {
        assertEquals(4, new RingChannel<Integer>("r", 8).batch);
        assertEquals(5, new RingChannel<Integer>("r", 10).batch);
        assertEquals(1, new RingChannel<Integer>("r", 2).batch);
        assertEquals(1, new RingChannel<Integer>("r", 1).batch);
    }

    @Test
    void aReceiverHasABatchOnceHalfTheCapacityIsWaitingInEveryLap() {
        RingChannel<Integer> ring = new RingChannel<>("r", 8);
        for (int lap = 0; lap < 3; lap++) {
            assertFalse(ring.receiverHasBatch(), "empty, lap " + lap);
            for (int i = 0; i < 3; i++) {
                assertTrue(ring.trySend(i));
            }
            assertFalse(ring.receiverHasBatch(), "3 of 8, lap " + lap);
            assertTrue(ring.trySend(3));
            assertTrue(ring.receiverHasBatch(), "4 of 8, lap " + lap);
            for (int i = 0; i < 4; i++) {
                assertEquals(i, ring.tryReceive());
            }
            for (int i = 0; i < 4; i++) { // move the head around the ring: 4 more per lap, wrapping at 8
                assertTrue(ring.trySend(i));
                assertEquals(i, ring.tryReceive());
            }
        }
    }

    @Test
    void aSenderHasABatchWhileHalfTheCapacityIsFreeInEveryLap() {
        RingChannel<Integer> ring = new RingChannel<>("r", 8);
        for (int lap = 0; lap < 3; lap++) {
            for (int i = 0; i < 4; i++) {
                assertTrue(ring.trySend(i));
            }
            assertTrue(ring.senderHasBatch(), "4 free of 8, lap " + lap);
            assertTrue(ring.trySend(4));
            assertFalse(ring.senderHasBatch(), "3 free of 8, lap " + lap);
            for (int i = 5; i < 8; i++) {
                assertTrue(ring.trySend(i));
            }
            assertFalse(ring.senderHasBatch(), "full, lap " + lap);
            assertFalse(ring.trySend(8));
            for (int i = 0; i < 4; i++) {
                assertEquals(i, ring.tryReceive());
            }
            assertTrue(ring.senderHasBatch(), "4 free again, lap " + lap);
            for (int i = 4; i < 8; i++) {
                assertEquals(i, ring.tryReceive());
            }
        }
    }

    @Test
    void closedOrUnboundedEndsEitherWaitAtOnce() {
        RingChannel<Integer> empty = new RingChannel<>("r", 8);
        empty.close();
        assertTrue(empty.receiverHasBatch());
        assertTrue(empty.senderHasBatch());

        RingChannel<Integer> full = new RingChannel<>("r", 2);
        assertTrue(full.trySend(1));
        assertTrue(full.trySend(2));
        assertFalse(full.senderHasBatch());
        full.unbound();
        assertTrue(full.senderHasBatch());
        assertTrue(full.trySend(3)); // into the overflow
        assertTrue(full.receiverHasBatch());
    }

    /**
     * An item sent beyond the capacity of a full ring is not held up behind the ring's items: receivers take from
     * the overflow first (see the class comment), on the receive's fast path as on its slow one; so no item sent
     * after it can overtake it. Checked at every position of the head over several laps, past the positions
     * where the fast path steps aside.
     */
    @Test
    void aReceiveTakesAnItemBeyondTheCapacityBeforeTheRingsItems() throws Exception {
        Channel<String> c = new Channel<>("c", 3, true);
        for (int round = 0; round < 300; round++) {
            c.send("a0");
            c.send("a1");
            c.send("a2");
            c.sendBeyondCapacity("x"); // the ring is full: into the overflow
            List<String> got = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                got.add(c.receive());
            }
            assertEquals(List.of("x", "a0", "a1", "a2"), got, "round " + round);
            assertEquals(0, c.size());
        }
    }

    /**
     * A hand-off sender's item that is still in the slot when the channel closes is that sender's (it takes it
     * back, and its send fails): a receive after the close leaves it and finds the channel drained, at every
     * position, those of the receive's fast path included. The sender is played by the test, which puts the item
     * in as a hand-off send does ({@code offer} with take-back) and then does not run, so the receive comes first.
     */
    @Test
    void aReceiveAfterTheCloseLeavesAWaitingHandOffSendersItem() throws Exception {
        Method offer = RingChannel.class.getDeclaredMethod("offer", Object.class, boolean.class);
        offer.setAccessible(true);
        for (int position = 0; position < 8; position++) {
            RingChannel<Integer> ring = new RingChannel<>("r", 0);
            for (int p = 0; p < position; p++) { // earlier hand-offs, received before the close
                assertEquals((long) p, offer.invoke(ring, p, true));
                assertEquals(p, ring.tryReceive());
            }
            assertEquals((long) position, offer.invoke(ring, -1, true));
            assertTrue(ring.close());
            assertNull(ring.receiveUntil(Timeouts.NONE, null, JobQueue.UNWAKEABLE), "position " + position);
            assertTrue(ring.isDrained(), "position " + position);
        }
    }
}
