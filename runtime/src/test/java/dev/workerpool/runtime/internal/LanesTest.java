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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lanes behind large unordered pools' queues: shared bound, order, preference, waking both sides, close. */
class LanesTest {

    private static <T> void put(Lanes<T> lanes, int lane, T item) throws InterruptedException {
        assertTrue(lanes.sendUntil(lane, item, Timeouts.NONE));
    }

    private static <T> T take(Lanes<T> lanes) throws InterruptedException {
        return lanes.receiveUntil(Lanes.ANY, Timeouts.NONE);
    }

    @Test
    void aWorkerWhoseLaneIsFullUsesTheOthersAndWaitsOnlyWhenAllAreFull() throws Exception {
        Lanes<String> results = new Lanes<>("r", 3, 13, true); // lanes of 5, 4, 4
        for (int i = 0; i < 13; i++) {
            put(results, 0, "a" + i); // one worker alone fills the whole bound, as with one channel
        }
        assertEquals(13, results.size());
        Thread blocked = ChannelTest.start("worker-1", () -> put(results, 0, "a13"));
        Waits.untilWaiting(blocked);
        assertEquals(13, results.size());
        assertEquals("a0", take(results)); // a slot frees up in lane 1
        Waits.join(blocked);
        assertEquals(13, results.size());
    }

    @Test
    void aParkedWorkerIsWokenByATakeFromAnyLane() throws Exception {
        for (int lane = 0; lane < 3; lane++) {
            Lanes<String> results = new Lanes<>("r", 3, 3, true);
            for (int i = 0; i < 3; i++) {
                put(results, i, "r" + i);
            }
            for (int i = 0; i < lane; i++) { // take from the lanes before 'lane' and refill them: 'lane' is next
                put(results, i, take(results));
            }
            Thread blocked = ChannelTest.start("worker", () -> put(results, 0, "late"));
            Waits.untilWaiting(blocked);
            assertEquals("r" + lane, take(results));
            Waits.join(blocked);
            assertEquals(3, results.size());
        }
    }

    @Test
    void eachLaneKeepsItsOrderAndReadersTakeFromTheLanesInTurn() throws Exception {
        Lanes<String> results = new Lanes<>("r", 2, 8, true);
        for (int i = 0; i < 3; i++) {
            put(results, 0, "a" + i);
        }
        put(results, 1, "b0");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(take(results));
        }
        assertEquals(List.of("a0", "b0", "a1", "a2"), out); // lane 2 is not held up behind lane 1's backlog
    }

    @Test
    void aParkedReaderIsWokenByAResultInAnyLane() throws Exception {
        for (int lane = 0; lane < 3; lane++) {
            Lanes<String> results = new Lanes<>("r", 3, 3, true);
            AtomicReference<String> got = new AtomicReference<>();
            Thread reader = ChannelTest.start("reader", () -> got.set(take(results)));
            Waits.untilWaiting(reader); // parked: spinning and yielding are over
            put(results, lane, "x" + lane);
            Waits.join(reader);
            assertEquals("x" + lane, got.get());
        }
    }

    @Test
    void closeWakesReadersWhoGetTheRestThenNull() throws Exception {
        Lanes<String> results = new Lanes<>("r", 2, 2, true);
        AtomicReference<String> got = new AtomicReference<>("unset");
        Thread reader = ChannelTest.start("reader", () -> got.set(take(results)));
        Waits.untilWaiting(reader);
        results.close();
        Waits.join(reader);
        assertNull(got.get());

        Lanes<String> left = new Lanes<>("r", 2, 2, true);
        put(left, 1, "last");
        left.close();
        assertEquals("last", take(left));
        assertNull(take(left));
    }

    @Test
    void sendNowAndUnboundNeverWait() throws Exception {
        Lanes<String> results = new Lanes<>("r", 2, 2, true); // one slot per lane
        put(results, 0, "a");
        results.sendNow(0, "timed out"); // beyond the lane's share, from the watchdog
        results.unbound(); // cancelled: workers must not wait for a reader
        put(results, 0, "b");
        put(results, 0, "c");
        assertEquals(4, results.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(take(results));
        }
        assertEquals(4, out.size());
        assertTrue(out.containsAll(List.of("a", "timed out", "b", "c")), out::toString);
    }

    @Test
    void anInterruptedReaderTakesNothing() throws Exception {
        Lanes<String> results = new Lanes<>("r", 2, 2, true);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> take(results));
        put(results, 1, "kept");
        assertEquals("kept", take(results));
    }

    @Test
    void rejectsFewerSlotsThanLanes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Lanes<String>("p results", 3, 2, true));
        assertEquals("p results: needs at least one slot per lane, had 2 for 3 lanes", e.getMessage());
    }

    @Test
    void poolsUseLanesFrom64JobSlotsPerWorkerWhenUnorderedAndNoMoreWorkersThanProcessors() {
        withLanesSetting(null, () -> {
            assertTrue(Queues.laned(2, 128, false, 2));
            assertTrue(Queues.laned(8, 512, false, 8));
            assertFalse(Queues.laned(8, 512, false, 2), "more workers than processors");
            assertFalse(Queues.laned(2, 127, false, 2), "63 slots per worker");
            assertFalse(Queues.laned(2, 10, false, 2));
            assertFalse(Queues.laned(1, 1024, false, 2), "one worker: nobody to contend with");
            assertFalse(Queues.laned(2, 1024, true, 2), "ordered: one FIFO job queue");
        });
        withLanesSetting("true", () -> {
            assertTrue(Queues.laned(3, 3, false, 2));
            assertFalse(Queues.laned(3, 2, false, 2), "fewer slots than workers");
            assertFalse(Queues.laned(3, 3, true, 2), "ordered");
        });
        withLanesSetting("false", () -> assertFalse(Queues.laned(2, 1024, false, 2)));
    }

    /** Runs {@code check} with {@code -Ddev.workerpool.lanes} set to {@code value} (null: unset), then restores it. */
    static void withLanesSetting(String value, Runnable check) {
        String saved = System.getProperty("dev.workerpool.lanes");
        if (value == null) {
            System.clearProperty("dev.workerpool.lanes");
        } else {
            System.setProperty("dev.workerpool.lanes", value);
        }
        try {
            check.run();
        } finally {
            if (saved == null) {
                System.clearProperty("dev.workerpool.lanes");
            } else {
                System.setProperty("dev.workerpool.lanes", saved);
            }
        }
    }

    @Test
    void aTakerPrefersItsLaneAndTakesFromTheOthersWhenItIsEmpty() throws Exception {
        Lanes<String> jobs = new Lanes<>("j", 3, 6, true);
        for (int i = 0; i < 4; i++) {
            put(jobs, Lanes.ANY, "j" + i); // a producer spreads its items: lanes 1, 2, 3, 1
        }
        assertEquals("j1", jobs.receiveUntil(1, Timeouts.NONE));
        assertEquals("j2", jobs.receiveUntil(1, Timeouts.NONE)); // its own lane is empty: the next one
        assertEquals("j0", jobs.receiveUntil(1, Timeouts.NONE));
        assertEquals("j3", jobs.receiveUntil(1, Timeouts.NONE));
        assertEquals(4, jobs.sent());
        assertEquals(4, jobs.highWaterMark());
    }

    @Test
    void timedPutsAndTakesGiveUpAtTheirDeadline() throws Exception {
        Lanes<String> jobs = new Lanes<>("j", 2, 2, true);
        assertNull(jobs.receiveUntil(0, Timeouts.deadline(Duration.ofMillis(5))), "empty and open: times out");
        put(jobs, Lanes.ANY, "a");
        assertTrue(jobs.trySend(Lanes.ANY, "b"));
        assertFalse(jobs.trySend(Lanes.ANY, "c"));
        assertFalse(jobs.sendUntil(Lanes.ANY, "c", Timeouts.deadline(Duration.ofMillis(5))), "full: times out");
        assertEquals(2, jobs.size());
        assertEquals(2, jobs.sent());
    }

    @Test
    void closeFailsPutsIncludingAWaitingOne() throws Exception {
        Lanes<String> jobs = new Lanes<>("j", 2, 2, true);
        put(jobs, 0, "a");
        put(jobs, 0, "b"); // lane 1 full: lane 2
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread blocked = ChannelTest.start("producer", () -> {
            try {
                put(jobs, Lanes.ANY, "c");
            } catch (ChannelClosedException expected) {
                failed.set(expected);
            }
        });
        Waits.untilWaiting(blocked);
        assertTrue(jobs.close());
        assertFalse(jobs.close());
        Waits.join(blocked);
        assertTrue(failed.get() instanceof ChannelClosedException);
        assertThrows(ChannelClosedException.class, () -> jobs.trySend(1, "d"));
        assertTrue(jobs.isClosed());
        assertEquals("a", jobs.receiveUntil(0, Timeouts.NONE)); // what was accepted is still taken
        assertEquals("b", jobs.receiveUntil(0, Timeouts.NONE));
        assertNull(jobs.receiveUntil(0, Timeouts.NONE));
    }

    /**
     * Both sides at full speed, small lanes so that both wait and park: result-like (each putter its own lane,
     * readers take in turn) and job-like (producers spread, each taker its own lane). Nothing lost or doubled.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyItemIsTakenExactlyOnce(boolean putToOwnLane) throws Exception {
        int lanes = 3;
        int perLane = 200_000;
        Lanes<Integer> results = new Lanes<>("r", lanes, 4, true);
        List<Thread> workers = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            int l = putToOwnLane ? lane : Lanes.ANY;
            int first = lane * perLane;
            workers.add(ChannelTest.start("putter-" + lane, () -> {
                for (int i = 0; i < perLane; i++) {
                    put(results, l, first + i);
                }
            }));
        }
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray seen = new AtomicIntegerArray(lanes * perLane);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < (putToOwnLane ? 2 : lanes); r++) {
            int l = putToOwnLane ? Lanes.ANY : r;
            readers.add(ChannelTest.start("taker-" + r, () -> {
                for (Integer item = results.receiveUntil(l, Timeouts.NONE); item != null;
                        item = results.receiveUntil(l, Timeouts.NONE)) {
                    if (seen.getAndIncrement(item) != 0) {
                        errors.add("taken twice: " + item);
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            Waits.join(worker);
        }
        results.close();
        for (Thread reader : readers) {
            Waits.join(reader);
        }
        assertEquals(List.of(), List.copyOf(errors));
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "result " + i);
        }
    }
}
