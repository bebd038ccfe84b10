package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The channel's contract, run against the lock-free ring; {@link LockedChannelTest} runs it against the lock. */
class ChannelTest {

    /** Whether the channels under test are the lock-free ring where the capacity allows (1 to 16,384). */
    boolean ring() {
        return true;
    }

    <T> Channel<T> channel(String name, int capacity) {
        return new Channel<>(name, capacity, ring());
    }

    @Test
    void rejectsNegativeCapacityWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> channel("c", -1));
        assertEquals("c: capacity must be at least 0, was -1", e.getMessage());
    }

    @Test
    void rejectsNullItems() {
        Channel<String> c = channel("c", 1);
        assertThrows(NullPointerException.class, () -> c.send(null));
        assertThrows(NullPointerException.class, () -> c.trySend(null));
    }

    @Test
    void hasItemsAndHasRoomCountOrSayClosed() {
        Channel<Integer> c = channel("c", 4);
        assertFalse(c.hasItems(1));
        assertTrue(c.hasRoom(4));
        assertTrue(c.trySend(1));
        assertTrue(c.trySend(2));
        assertTrue(c.hasItems(2));
        assertFalse(c.hasItems(3));
        assertTrue(c.hasRoom(2));
        assertFalse(c.hasRoom(3));
        c.close();
        assertTrue(c.hasItems(3), "closed: a receive would not wait");
        assertTrue(c.hasRoom(3), "closed: a send would not wait (it fails)");

        Channel<Integer> full = channel("full", 1);
        assertTrue(full.trySend(1));
        assertFalse(full.hasRoom(1));
        full.unbound();
        assertTrue(full.hasRoom(1), "unbounded: a send would not wait");
    }

    /** Capacities 1..20, filled and drained three times over so the ring wraps around. */
    @Test
    void isFifoAcrossWrapAround() throws InterruptedException {
        for (int capacity = 1; capacity <= 20; capacity++) {
            Channel<Integer> c = channel("c", capacity);
            int next = 0;
            int expected = 0;
            for (int round = 0; round < 3; round++) {
                while (c.size() < capacity) {
                    assertTrue(c.trySend(next++));
                }
                assertFalse(c.trySend(-1), "full at capacity " + capacity);
                assertEquals(capacity, c.size());
                for (int i = 0; i < capacity / 2 + 1; i++) {
                    assertEquals(expected++, c.receive());
                }
            }
            c.close();
            for (Integer v = c.receive(); v != null; v = c.receive()) {
                assertEquals(expected++, v);
            }
            assertEquals(next, expected);
            assertTrue(c.isDrained());
        }
    }

    @Test
    void largeCapacityAllocatesOnDemand() throws InterruptedException {
        Channel<Integer> c = channel("big", Integer.MAX_VALUE);
        for (int i = 0; i < 1000; i++) {
            c.send(i);
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, c.receive());
        }
    }

    @Test
    void sendBlocksWhileFullUntilAReceive() throws Exception {
        Channel<Integer> c = channel("c", 2);
        c.send(1);
        c.send(2);
        CountDownLatch sent = new CountDownLatch(1);
        Thread sender = start("sender", () -> {
            c.send(3);
            sent.countDown();
        });
        Waits.untilWaiting(sender);
        assertEquals(1, sent.getCount(), "send must block while full");
        assertEquals(1, c.receive());
        Waits.await(sent, "the blocked send to complete");
        assertEquals(List.of(2, 3), List.of(c.receive(), c.receive()));
        Waits.join(sender);
    }

    @Test
    void unbufferedSendReturnsOnlyOnceAReceiverHasTakenTheItem() throws Exception {
        Channel<String> c = channel("c", 0);
        assertFalse(c.trySend("x"), "no receiver waiting");
        CountDownLatch sent = new CountDownLatch(1);
        Thread sender = start("sender", () -> {
            c.send("a");
            sent.countDown();
        });
        Waits.untilWaiting(sender);
        assertEquals(1, sent.getCount(), "send must wait for a receiver");
        assertEquals("a", c.receive());
        Waits.await(sent, "the hand-off to complete");
        Waits.join(sender);
    }

    @Test
    void unbufferedTrySendSucceedsWhenAReceiverWaits() throws Exception {
        Channel<String> c = channel("c", 0);
        AtomicReference<String> got = new AtomicReference<>();
        Thread receiver = start("receiver", () -> got.set(c.receive()));
        Waits.until(() -> c.trySend("x"), "a receiver to be waiting");
        Waits.join(receiver);
        assertEquals("x", got.get());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void closeDrainsThenEnds(int capacity) throws Exception {
        Channel<Integer> c = channel("c", Math.max(capacity, 1));
        c.send(1);
        assertTrue(c.close());
        assertFalse(c.close(), "second close is harmless and says so");
        assertTrue(c.isClosed());
        assertFalse(c.isDrained());
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> c.send(2));
        assertEquals("c is closed", e.getMessage());
        assertThrows(ChannelClosedException.class, () -> c.trySend(2));
        assertThrows(ChannelClosedException.class, () -> c.trySend(2, Duration.ofSeconds(1)));
        assertEquals(1, c.receive());
        assertNull(c.receive());
        assertNull(c.receive(Duration.ofSeconds(1)));
        assertTrue(c.isDrained());
    }

    /**
     * The public constructor picks the ring for capacities 0 (the hand-off, on one slot) to
     * {@link Channel#RING_LIMIT}, the lock otherwise; under {@code -Ddev.workerpool.ring=false} (a test run of the
     * build's), the lock always.
     */
    @Test
    void ringServesChannelsUpToItsLimit() {
        boolean rings = Tuning.ring();
        assertEquals(rings, new Channel<>("c", 0).isRing());
        assertEquals(rings, new Channel<>("c", 1).isRing());
        assertEquals(rings, new Channel<>("c", Channel.RING_LIMIT).isRing());
        assertFalse(new Channel<>("c", Channel.RING_LIMIT + 1).isRing());
        assertEquals(ring(), channel("c", 3).isRing());
    }

    /**
     * The ring tests for a new high-water mark with arithmetic that sends at multiples of 256 and 4096 take the other
     * way (a no-op there): the mark stays exact across many laps, for a rise that comes late, and once full.
     */
    @Test
    void highWaterMarkStaysExactOverThousandsOfSendsAndRisesLate() throws InterruptedException {
        Channel<Integer> c = channel("c", 16);
        int expected = 0;
        int sent = 0;
        for (int round = 0; sent < 20_000; round++) {
            int burst = round < 1_000 ? 1 + round % 5 : round < 1_500 ? 1 + round % 9 : 1 + round % 13;
            for (int i = 0; i < burst; i++) {
                c.send(sent++);
            }
            expected = Math.max(expected, burst);
            assertEquals(expected, c.highWaterMark(), "after " + sent + " sends");
            for (int i = 0; i < burst; i++) {
                assertTrue(c.receive() != null);
            }
        }
        assertEquals(13, expected);
        while (c.trySend(-1)) {
            // fill it
        }
        assertEquals(16, c.highWaterMark());
        for (int i = 0; i < 16; i++) {
            c.receive();
        }
        for (int i = 0; i < 5_000; i++) {
            c.send(i);
            c.receive();
        }
        assertEquals(16, c.highWaterMark(), "once full, the mark stays at the capacity");
    }

    /**
     * The ring's send and receive leave their fast paths for their slow ones at a few positions in every 256, on
     * purpose (see {@code RingChannel.receiveUntil}). Around those positions, lap after lap, a parked receiver is
     * woken by the send of each position, a parked sender by the receive of each, and tickets have no gap.
     */
    @Test
    void wakeUpsAndTicketsHoldWhereTheFastPathsStepAside() throws Exception {
        Channel<Long> c = channel("c", 2);
        long[] ticket = new long[1];
        long next = 0; // the next position to send and to receive: the channel is empty here
        for (int lap = 1; lap <= 4; lap++) {
            while (next < lap * 256L - 4) {
                c.send(next);
                assertEquals(next, c.receive(ticket));
                assertEquals(next, ticket[0]);
                next++;
            }
            if (lap % 2 == 1) { // positions lap * 256 - 4 .. + 3, each sent to a parked receiver
                for (int step = 0; step < 8; step++, next++) {
                    long position = next;
                    AtomicReference<Long> got = new AtomicReference<>();
                    long[] receiverTicket = new long[1];
                    Thread receiver = start("receiver", () -> got.set(c.receive(receiverTicket)));
                    Waits.untilWaiting(receiver);
                    c.send(position);
                    Waits.join(receiver);
                    assertEquals(position, got.get(), "a parked receiver, woken by the send of " + position);
                    assertEquals(position, receiverTicket[0]);
                }
            } else { // the same positions, each received while a sender is parked on the full channel
                c.send(next);
                c.send(next + 1);
                for (int step = 0; step < 8; step++, next++) {
                    long item = next + 2;
                    Thread sender = start("sender", () -> c.send(item));
                    Waits.untilWaiting(sender);
                    assertEquals(next, c.receive(ticket), "the receive that wakes the sender of " + item);
                    assertEquals(next, ticket[0]);
                    Waits.join(sender);
                }
                for (int k = 0; k < 2; k++, next++) {
                    assertEquals(next, c.receive(ticket));
                    assertEquals(next, ticket[0]);
                }
            }
        }
        assertEquals(0, c.size());
        assertEquals(next, c.sent());
    }

    @Test
    void highWaterMarkAndSentCountTheFullestMomentAndEveryAcceptedItem() throws InterruptedException {
        Channel<Integer> c = channel("c", 8);
        for (int i = 0; i < 5; i++) {
            c.send(i);
        }
        for (int i = 0; i < 5; i++) {
            c.receive();
        }
        for (int i = 0; i < 3; i++) {
            c.send(i);
        }
        assertEquals(5, c.highWaterMark());
        while (c.trySend(9)) {
            // fill it
        }
        assertEquals(8, c.highWaterMark());
        assertEquals(13, c.sent());
        assertEquals(8, c.size());
    }

    /** A channel without a high-water mark (a pool's result queue) reads 0, and is otherwise the same channel. */
    @Test
    void aChannelWithoutHighWaterMarkReadsZeroAndLosesNothing() throws InterruptedException {
        Channel<Integer> c = this.<Integer>channel("c", 4).withoutHighWaterMark();
        for (int i = 0; i < 4; i++) {
            c.send(i);
        }
        assertFalse(c.trySend(4), "still bounded");
        c.unbound();
        c.send(4); // beyond the capacity
        assertEquals(0, c.highWaterMark());
        assertEquals(5, c.size());
        assertEquals(5, c.sent());
        c.close();
        List<Integer> got = new ArrayList<>();
        for (Integer item = c.receive(); item != null; item = c.receive()) {
            got.add(item);
        }
        got.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4), got);
    }

    /**
     * After {@code unbound()} (a cancelled pool's results) sends never wait, blocked senders proceed, and every
     * item sent beyond the capacity is received exactly once. Order across the bound is not promised.
     */
    @Test
    void unboundLetsSendersPastTheCapacityAndLosesNothing() throws Exception {
        Channel<Integer> c = channel("c", 2);
        c.send(0);
        c.send(1);
        Thread blocked = start("blocked-sender", () -> c.send(2));
        Waits.untilWaiting(blocked);
        c.unbound();
        Waits.join(blocked);
        for (int i = 3; i < 10; i++) {
            assertTrue(c.trySend(i), "beyond the capacity after unbound");
        }
        c.send(10);
        assertEquals(11, c.size());
        assertEquals(11, c.sent());
        assertTrue(c.highWaterMark() >= 10, "high-water mark " + c.highWaterMark());
        c.close();
        List<Integer> got = new ArrayList<>();
        for (Integer v = c.receive(); v != null; v = c.receive()) {
            got.add(v);
        }
        got.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), got);
        assertTrue(c.isDrained());
    }

    /** The watchdog's way in: never blocks on a full channel, is received exactly once, and wakes a receiver. */
    @Test
    void sendBeyondCapacityNeverWaitsAndWakesAReceiver() throws Exception {
        Channel<Integer> c = channel("c", 1);
        c.sendBeyondCapacity(1);
        c.sendBeyondCapacity(2); // full: beyond the capacity
        assertEquals(2, c.size());
        List<Integer> got = new ArrayList<>(List.of(c.receive(), c.receive()));
        got.sort(null);
        assertEquals(List.of(1, 2), got);
        AtomicReference<Integer> received = new AtomicReference<>();
        Thread receiver = start("receiver", () -> received.set(c.receive()));
        Waits.untilWaiting(receiver);
        c.sendBeyondCapacity(3);
        Waits.join(receiver);
        assertEquals(3, received.get());
        c.close();
        assertThrows(ChannelClosedException.class, () -> c.sendBeyondCapacity(4));
        assertTrue(c.isDrained());
    }

    @Test
    void closeReleasesEveryBlockedSenderAndEnqueuesNothing() throws Exception {
        Channel<Integer> c = channel("c", 1);
        c.send(0);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int item = i;
            senders.add(start("sender-" + i, () -> {
                try {
                    c.send(item);
                } catch (ChannelClosedException expected) {
                    failures.add(expected);
                }
            }));
        }
        senders.forEach(Waits::untilWaiting);
        c.close();
        for (Thread t : senders) {
            Waits.join(t);
        }
        assertEquals(5, failures.size());
        assertEquals(0, c.receive());
        assertNull(c.receive(), "no blocked sender's item got in");
    }

    @Test
    void closeReleasesEveryBlockedReceiver() throws Exception {
        Channel<Integer> c = channel("c", 4);
        ConcurrentLinkedQueue<String> ends = new ConcurrentLinkedQueue<>();
        List<Thread> receivers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            receivers.add(start("receiver-" + i, () -> ends.add(String.valueOf(c.receive()))));
        }
        receivers.forEach(Waits::untilWaiting);
        c.close();
        for (Thread t : receivers) {
            Waits.join(t);
        }
        assertEquals(List.of("null", "null", "null", "null", "null", "null"), List.copyOf(ends));
    }

    @Test
    void unbufferedSenderWaitingForPickupFailsOnCloseAndTakesItsItemBack() throws Exception {
        Channel<String> c = channel("c", 0);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread sender = sendingA(c, thrown);
        Waits.untilWaiting(sender);
        c.close();
        Waits.join(sender);
        // Either the sender failed and took "a" back, or (never here: nobody received) it was delivered.
        assertTrue(thrown.get() instanceof ChannelClosedException);
        assertNull(c.receive(), "the item of a failed send is not in the channel");
    }

    /**
     * A receiver that comes after the close, however soon, must not take the item of an unbuffered sender that
     * was waiting when the channel closed: that send fails, so its item is not delivered. (A pool's cancel
     * closes intake, then interrupts its workers: a worker freed that way comes at once, before the woken sender
     * has taken its item back.)
     */
    @Test
    void aReceiverAfterCloseNeverTakesTheItemOfAnUnbufferedSenderThatWasWaiting() throws Exception {
        for (int round = 0; round < 50; round++) {
            Channel<String> c = channel("c", 0);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread sender = sendingA(c, thrown);
            Waits.untilWaiting(sender);
            c.close();
            assertNull(c.tryReceive(), "round " + round + ": the failed send's item was received");
            assertNull(c.receive(), "round " + round + ": closed, and nothing to drain");
            assertTrue(c.isDrained());
            Waits.join(sender);
            assertTrue(thrown.get() instanceof ChannelClosedException, "round " + round + ": " + thrown.get());
            assertEquals(0, c.sent(), "round " + round);
        }
    }

    /** What {@code trySend} accepted stays deliverable after a close, on an unbuffered channel too. */
    @Test
    void anUnbufferedItemThatTrySendAcceptedIsStillDrainedAfterClose() throws Exception {
        Channel<String> c = channel("c", 0);
        AtomicReference<String> got = new AtomicReference<>();
        Thread receiver = start("receiver", () -> got.set(c.receive(Duration.ofMillis(50))));
        Waits.until(() -> c.trySend("x") || !receiver.isAlive(), "a receiver to be waiting");
        Waits.join(receiver);
        c.close();
        if (got.get() == null) { // the receiver timed out before it took the item: the item waits in the slot
            assertEquals("x", c.receive());
        } else {
            assertEquals("x", got.get());
        }
        assertNull(c.receive());
    }

    @Test
    void interruptBeforeSendOrReceiveThrowsAndChangesNothing() {
        Channel<Integer> c = channel("c", 2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> c.send(1));
        assertFalse(Thread.interrupted(), "interrupt status is cleared when InterruptedException is thrown");
        assertEquals(0, c.size());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::receive);
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> c.trySend(1, Duration.ofSeconds(1)));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> c.receive(Duration.ofSeconds(1)));
        assertEquals(0, c.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void interruptWhileBlockedInSendThrowsAndEnqueuesNothing(int capacity) throws Exception {
        Channel<Integer> c = channel("c", capacity);
        if (capacity > 0) {
            c.send(0);
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread sender = start("sender", () -> {
            try {
                c.send(1);
            } catch (InterruptedException e) {
                thrown.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        Waits.untilWaiting(sender);
        sender.interrupt();
        Waits.join(sender);
        assertTrue(thrown.get() instanceof InterruptedException);
        assertFalse(flagAfter.get());
        assertEquals(capacity, c.size(), "the interrupted send left nothing behind");
    }

    @Test
    void interruptWhileBlockedInReceiveThrowsAndTakesNothing() throws Exception {
        Channel<Integer> c = channel("c", 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread receiver = start("receiver", () -> {
            try {
                c.receive();
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });
        Waits.untilWaiting(receiver);
        receiver.interrupt();
        Waits.join(receiver);
        assertTrue(thrown.get() instanceof InterruptedException);
        c.send(7);
        assertEquals(7, c.receive(), "nothing was lost to the interrupted receiver");
    }

    @Test
    void interruptWhileBlockedInTimedSendOrReceiveThrowsAndChangesNothing() throws Exception {
        Channel<Integer> full = channel("full", 1);
        full.send(0);
        Channel<Integer> empty = channel("empty", 1);
        AtomicReference<Throwable> sendFailure = new AtomicReference<>();
        AtomicReference<Throwable> receiveFailure = new AtomicReference<>();
        Thread sender = start("timed-sender", () -> {
            try {
                full.trySend(1, Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                sendFailure.set(e);
            }
        });
        Thread receiver = start("timed-receiver", () -> {
            try {
                empty.receive(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                receiveFailure.set(e);
            }
        });
        Waits.untilWaiting(sender);
        Waits.untilWaiting(receiver);
        sender.interrupt();
        receiver.interrupt();
        Waits.join(sender);
        Waits.join(receiver);
        assertTrue(sendFailure.get() instanceof InterruptedException);
        assertTrue(receiveFailure.get() instanceof InterruptedException);
        assertEquals(1, full.size());
        assertEquals(0, full.receive());
        assertEquals(0, empty.size());
    }

    @Test
    void unbufferedChannelDeliversInOrder() throws Exception {
        Channel<Integer> c = channel("c", 0);
        Thread producer = start("producer", () -> {
            for (int i = 0; i < 2_000; i++) {
                c.send(i);
            }
            c.close();
        });
        int expected = 0;
        for (Integer v = c.receive(); v != null; v = c.receive()) {
            assertEquals(expected++, v);
        }
        assertEquals(2_000, expected);
        Waits.join(producer);
    }

    @Test
    void timedOperationsTimeOutWithoutSideEffects() throws Exception {
        Channel<Integer> full = channel("full", 1);
        full.send(1);
        assertFalse(full.trySend(2, Duration.ofMillis(20)));
        assertFalse(full.trySend(2, Duration.ZERO));
        assertFalse(full.trySend(2, Duration.ofMillis(-5)));
        assertEquals(1, full.size());

        Channel<Integer> empty = channel("empty", 1);
        assertNull(empty.receive(Duration.ofMillis(20)));
        assertNull(empty.receive(Duration.ZERO));
        assertFalse(empty.isDrained(), "a timeout is not the end of the channel");

        Channel<Integer> unbuffered = channel("unbuffered", 0);
        assertFalse(unbuffered.trySend(1, Duration.ofMillis(20)), "nobody took it");
        assertNull(unbuffered.tryReceive(), "the timed-out item was taken back");
    }

    /**
     * Unbuffered sends taken back (timed out, interrupted) are not counted as sent and leave no gap in the receive
     * tickets that ordered pools number their results by.
     */
    @Test
    void unbufferedSendsTakenBackAreNotCountedAndLeaveNoTicketGap() throws Exception {
        Channel<Integer> c = channel("c", 0);
        assertFalse(c.trySend(1, Duration.ofMillis(20)), "nobody took it");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread interrupted = start("interrupted-sender", () -> {
            try {
                c.send(2);
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });
        Waits.untilWaiting(interrupted);
        interrupted.interrupt();
        Waits.join(interrupted);
        assertTrue(thrown.get() instanceof InterruptedException);
        assertEquals(0, c.sent());
        assertEquals(0, c.size());

        long[] ticket = {-1};
        Thread sender = start("sender", () -> {
            c.send(3);
            c.send(4);
        });
        assertEquals(3, c.receive(ticket));
        assertEquals(0, ticket[0], "the first item received is ticket 0, whatever was taken back before it");
        assertEquals(4, c.receive(ticket));
        assertEquals(1, ticket[0]);
        Waits.join(sender);
        assertEquals(2, c.sent());
        assertEquals(1, c.highWaterMark(), "an unbuffered channel holds at most the one item being handed over");
    }

    @Test
    void tryReceiveNeverBlocks() throws InterruptedException {
        Channel<Integer> c = channel("c", 2);
        assertNull(c.tryReceive());
        c.send(5);
        assertEquals(5, c.tryReceive());
        assertNull(c.tryReceive());
    }

    /** Starts a thread {@code sender} that sends "a" to {@code c}, keeping the close's exception in {@code thrown}. */
    private static Thread sendingA(Channel<String> c, AtomicReference<Throwable> thrown) {
        return start("sender", () -> {
            try {
                c.send("a");
            } catch (ChannelClosedException e) {
                thrown.set(e);
            }
        });
    }

    /**
     * 4 producers x 4 consumers with exact counts: nothing lost, nothing duplicated, nothing invented, and each
     * producer's items reach each consumer in the order they were sent.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 16, 1024})
    void manyProducersManyConsumersExactlyOnceInOrder(int capacity) throws Exception {
        int producers = 4;
        int consumers = 4;
        int perProducer = 25_000;
        Channel<Long> c = channel("mpmc", capacity);
        CountDownLatch producersDone = new CountDownLatch(producers);
        List<long[]> received = new ArrayList<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long base = (long) p << 32;
            threads.add(start("producer-" + p, () -> {
                for (int i = 0; i < perProducer; i++) {
                    c.send(base | i);
                }
                producersDone.countDown();
            }));
        }
        for (int k = 0; k < consumers; k++) {
            long[] seen = new long[producers * perProducer + 1];
            received.add(seen);
            threads.add(start("consumer-" + k, () -> {
                int[] lastPerProducer = {-1, -1, -1, -1};
                int n = 0;
                for (Long v = c.receive(); v != null; v = c.receive()) {
                    int producer = (int) (v >>> 32);
                    int index = (int) (long) v;
                    if (index <= lastPerProducer[producer]) {
                        errors.add("producer " + producer + " item " + index + " after " + lastPerProducer[producer]);
                    }
                    lastPerProducer[producer] = index;
                    seen[++n] = v;
                }
                seen[0] = n;
            }));
        }
        Waits.await(producersDone, "producers");
        c.close();
        for (Thread t : threads) {
            Waits.join(t);
        }
        boolean[] got = new boolean[producers * perProducer];
        int total = 0;
        for (long[] seen : received) {
            for (int i = 1; i <= seen[0]; i++) {
                int slot = (int) (seen[i] >>> 32) * perProducer + (int) seen[i];
                if (got[slot]) {
                    errors.add("duplicate " + slot);
                }
                got[slot] = true;
                total++;
            }
        }
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(producers * perProducer, total);
    }

    interface Body {
        void run() throws Exception;
    }

    static Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new AssertionError(name + " failed", e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
