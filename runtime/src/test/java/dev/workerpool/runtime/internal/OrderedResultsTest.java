package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The reorder window of ordered pools: order, the window's bound, waking both sides, close, unbound. */
class OrderedResultsTest {

    @Test
    void aReaderParkedForTheNextResultIsWokenByItAndNotByALaterOne() throws Exception {
        OrderedResults<String> results = new OrderedResults<>(4);
        AtomicReference<String> got = new AtomicReference<>();
        Thread reader = ChannelTest.start("reader", () -> got.set(results.receive()));
        Waits.untilWaiting(reader); // it spun and yielded first, and then parked
        results.send(0, 1, "b"); // not the one it waits for
        results.send(1, 0, "a");
        Waits.join(reader);
        assertEquals("a", got.get());
        assertEquals("b", results.receive());
    }

    @Test
    void aSenderAFullWindowAheadParksUntilTheReaderCatchesUp() throws Exception {
        OrderedResults<String> results = new OrderedResults<>(2);
        results.send(0, 0, "a");
        results.send(1, 1, "b");
        Thread sender = ChannelTest.start("sender", () -> results.send(0, 2, "c"));
        Waits.untilWaiting(sender);
        assertEquals(2, results.size());
        assertEquals("a", results.receive());
        Waits.join(sender);
        assertEquals("b", results.receive());
        assertEquals("c", results.receive());
    }

    @Test
    void closeWakesAParkedReaderAndUnboundWakesAParkedSender() throws Exception {
        OrderedResults<String> results = new OrderedResults<>(1);
        AtomicReference<String> got = new AtomicReference<>("not yet");
        Thread reader = ChannelTest.start("reader", () -> got.set(results.receive()));
        Waits.untilWaiting(reader);
        results.close();
        Waits.join(reader);
        assertNull(got.get());

        OrderedResults<String> cancelled = new OrderedResults<>(1);
        Thread sender = ChannelTest.start("sender", () -> cancelled.send(0, 1, "b"));
        Waits.untilWaiting(sender);
        cancelled.unbound();
        Waits.join(sender);
        assertEquals(1, cancelled.size());
    }

    /**
     * Workers take tickets in order, finish in any order and send; readers, two at once, get every result once,
     * each reader in increasing ticket order, whatever the interleaving of spins, yields and parks.
     */
    @Test
    void manySendersInAnyOrderAndTwoReadersGetEveryResultOnceInTicketOrder() throws Exception {
        int jobs = 200_000;
        int senders = 4;
        OrderedResults<Long> results = new OrderedResults<>(senders + 3, 3);
        AtomicLong tickets = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int lane = s;
            threads.add(ChannelTest.start("sender-" + s, () -> {
                for (long t = tickets.getAndIncrement(); t < jobs; t = tickets.getAndIncrement()) {
                    if (ThreadLocalRandom.current().nextInt(8) == 0) {
                        Thread.yield(); // finish out of order now and then
                    }
                    results.send(lane, t, t);
                }
            }));
        }
        List<List<Long>> read = List.of(new ArrayList<>(), new ArrayList<>());
        for (List<Long> mine : read) {
            threads.add(ChannelTest.start("reader", () -> {
                for (Long r = results.receive(); r != null; r = results.receive()) {
                    mine.add(r);
                }
            }));
        }
        for (int s = 0; s < senders; s++) {
            Waits.join(threads.get(s));
        }
        results.close();
        for (Thread t : threads) {
            Waits.join(t);
        }
        boolean[] seen = new boolean[jobs];
        for (List<Long> mine : read) {
            for (int i = 0; i < mine.size(); i++) {
                long r = mine.get(i);
                long before = i == 0 ? -1 : mine.get(i - 1);
                assertTrue(before < r, "a reader got " + before + " before " + r);
                assertTrue(!seen[(int) r], "result " + r + " read twice");
                seen[(int) r] = true;
            }
        }
        assertEquals(jobs, read.get(0).size() + read.get(1).size());
    }

    @Test
    void orderedResultsGrowBeyondTheWindowOnlyWhenUnboundedOrForced() throws Exception {
        OrderedResults<String> window = new OrderedResults<>(2);
        window.send(0, 1, "b");
        window.sendNow(0, 5, "f"); // a timed-out job's result: never waits
        window.send(0, 0, "a");
        assertEquals("a", window.receive());
        assertEquals("b", window.receive());
        window.unbound();
        window.send(0, 9, "j"); // would wait if bounded: 9 >= 2 + 2
        for (long ticket : new long[] {2, 3, 4, 6, 7, 8}) {
            window.send(0, ticket, String.valueOf((char) ('a' + ticket)));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            out.append(window.receive());
        }
        assertEquals("cdefghij", out.toString());
        window.close();
        assertNull(window.receive());
        assertThrows(IllegalStateException.class, () -> window.sendNow(0, 3, "old"));
    }
}
