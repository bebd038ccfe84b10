package dev.workerpool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-worker result queue of unordered pools: shared bound, order, waking both sides, close, unbound. */
class LanedResultsTest {

    @Test
    void aWorkerWhoseLaneIsFullUsesTheOthersAndWaitsOnlyWhenAllAreFull() throws Exception {
        LanedResults<String> results = new LanedResults<>("r", 3, 13); // lanes of 5, 4, 4
        for (int i = 0; i < 13; i++) {
            results.put(0, -1, "a" + i); // one worker alone fills the whole bound, as with one channel
        }
        assertEquals(13, results.size());
        Thread blocked = ChannelTest.start("worker-1", () -> results.put(0, -1, "a13"));
        Waits.untilWaiting(blocked);
        assertEquals(13, results.size());
        assertEquals("a0", results.take()); // a slot frees up in lane 1
        Waits.join(blocked);
        assertEquals(13, results.size());
    }

    @Test
    void aParkedWorkerIsWokenByATakeFromAnyLane() throws Exception {
        for (int lane = 0; lane < 3; lane++) {
            LanedResults<String> results = new LanedResults<>("r", 3, 3);
            for (int i = 0; i < 3; i++) {
                results.put(i, -1, "r" + i);
            }
            for (int i = 0; i < lane; i++) { // take from the lanes before 'lane' and refill them: 'lane' is next
                results.put(i, -1, results.take());
            }
            Thread blocked = ChannelTest.start("worker", () -> results.put(0, -1, "late"));
            Waits.untilWaiting(blocked);
            assertEquals("r" + lane, results.take());
            Waits.join(blocked);
            assertEquals(3, results.size());
        }
    }

    @Test
    void eachLaneKeepsItsOrderAndReadersTakeFromTheLanesInTurn() throws Exception {
        LanedResults<String> results = new LanedResults<>("r", 2, 8);
        for (int i = 0; i < 3; i++) {
            results.put(0, -1, "a" + i);
        }
        results.put(1, -1, "b0");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(results.take());
        }
        assertEquals(List.of("a0", "b0", "a1", "a2"), out); // lane 2 is not held up behind lane 1's backlog
    }

    @Test
    void aParkedReaderIsWokenByAResultInAnyLane() throws Exception {
        for (int lane = 0; lane < 3; lane++) {
            LanedResults<String> results = new LanedResults<>("r", 3, 3);
            AtomicReference<String> got = new AtomicReference<>();
            Thread reader = ChannelTest.start("reader", () -> got.set(results.take()));
            Waits.untilWaiting(reader); // parked: spinning and yielding are over
            results.put(lane, -1, "x" + lane);
            Waits.join(reader);
            assertEquals("x" + lane, got.get());
        }
    }

    @Test
    void closeWakesReadersWhoGetTheRestThenNull() throws Exception {
        LanedResults<String> results = new LanedResults<>("r", 2, 2);
        AtomicReference<String> got = new AtomicReference<>("unset");
        Thread reader = ChannelTest.start("reader", () -> got.set(results.take()));
        Waits.untilWaiting(reader);
        results.close();
        Waits.join(reader);
        assertNull(got.get());

        LanedResults<String> left = new LanedResults<>("r", 2, 2);
        left.put(1, -1, "last");
        left.close();
        assertEquals("last", left.take());
        assertNull(left.take());
    }

    @Test
    void putNowAndUnboundNeverWait() throws Exception {
        LanedResults<String> results = new LanedResults<>("r", 2, 2); // one slot per lane
        results.put(0, -1, "a");
        results.putNow(0, -1, "timed out"); // beyond the lane's share, from the watchdog
        results.unbound(); // cancelled: workers must not wait for a reader
        results.put(0, -1, "b");
        results.put(0, -1, "c");
        assertEquals(4, results.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(results.take());
        }
        assertEquals(4, out.size());
        assertTrue(out.containsAll(List.of("a", "timed out", "b", "c")), out::toString);
    }

    @Test
    void anInterruptedReaderTakesNothing() throws Exception {
        LanedResults<String> results = new LanedResults<>("r", 2, 2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, results::take);
        results.put(1, -1, "kept");
        assertEquals("kept", results.take());
    }

    @Test
    void rejectsFewerSlotsThanLanes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LanedResults<String>("p results", 3, 2));
        assertEquals("p results: needs at least one result slot per lane, had 2 for 3 lanes", e.getMessage());
    }

    /** Workers and readers at full speed, small lanes so that both sides wait and park: nothing lost or doubled. */
    @Test
    void everyResultIsTakenExactlyOnce() throws Exception {
        int lanes = 3;
        int perLane = 200_000;
        LanedResults<Integer> results = new LanedResults<>("r", lanes, 4);
        List<Thread> workers = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            int l = lane;
            workers.add(ChannelTest.start("worker-" + lane, () -> {
                for (int i = 0; i < perLane; i++) {
                    results.put(l, -1, l * perLane + i);
                }
            }));
        }
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicIntegerArray seen = new AtomicIntegerArray(lanes * perLane);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(ChannelTest.start("reader-" + r, () -> {
                for (Integer item = results.take(); item != null; item = results.take()) {
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
