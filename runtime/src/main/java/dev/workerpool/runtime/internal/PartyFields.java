package dev.workerpool.runtime.internal;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The fields of {@link Party}, on cache lines of their own, laid out as {@link RingFields} lays out a ring's
 * counters: 128 bytes of {@code long} padding before them here, and after them in {@link Party}.
 */
final class PartyFields {
    private PartyFields() {
    }

    /** Padding before the fields: whatever the heap holds before a party. */
    abstract static class PadBefore {
        long a00, a01, a02, a03, a04, a05, a06, a07;
        long a08, a09, a10, a11, a12, a13, a14, a15;
    }

    /** The fields; see {@link Party}. */
    abstract static class Fields extends PadBefore {
        static final AtomicReferenceFieldUpdater<Fields, Thread> THREAD =
                AtomicReferenceFieldUpdater.newUpdater(Fields.class, Thread.class, "thread");
        static final AtomicIntegerFieldUpdater<Fields> YIELDS =
                AtomicIntegerFieldUpdater.newUpdater(Fields.class, "yields");
        /** The party's thread: the one that came last; null while it yields in a wait. */
        volatile Thread thread;
        /** 1 if the party has yielded in a wait since it last came, else 0. */
        volatile int yields;
        /** Where the party's next look for a running worker starts; read and written by the party only. */
        int runningHint;
    }
}
