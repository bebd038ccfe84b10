package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OrderedResultsTest {

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
