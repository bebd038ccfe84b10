package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A serving member's memory of gone submitters stays bounded, and keeps every one for a while. */
class GoneSubmittersTest {
    private static final long HOUR = GoneSubmitters.KEEP_NANOS;

    @Test
    void fewGoneSubmittersAreKeptHoweverOld() {
        GoneSubmitters gone = new GoneSubmitters();
        gone.add("a", 0);
        gone.prune(100 * HOUR);
        assertTrue(gone.contains("a"));
    }

    @Test
    void manyArePrunedOnlyOfThoseHeardLongAgo() {
        GoneSubmitters gone = new GoneSubmitters();
        for (int i = 0; i < GoneSubmitters.KEEP_AT_MOST; i++) {
            gone.add("old-" + i, 0);
        }
        gone.add("recent", HOUR);
        gone.prune(HOUR); // many, but none older than the time kept
        assertEquals(GoneSubmitters.KEEP_AT_MOST + 1, gone.size());
        gone.prune(HOUR + 1);
        assertEquals(1, gone.size());
        assertTrue(gone.contains("recent"));
        assertFalse(gone.contains("old-0"));
    }

    @Test
    void aSubmitterHeardGoneAgainIsKeptFromThen() {
        GoneSubmitters gone = new GoneSubmitters();
        for (int i = 0; i <= GoneSubmitters.KEEP_AT_MOST; i++) {
            gone.add("s-" + i, 0);
        }
        gone.add("s-0", 2 * HOUR);
        gone.prune(2 * HOUR + 1);
        assertEquals(1, gone.size());
        assertTrue(gone.contains("s-0"));
    }
}
