package dev.workerpool.runtime.internal;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The counters of {@link RingChannel} as fields, each group on cache lines of its own: {@code tail} (written by
 * every send), {@code head} (by every receive), the read-mostly ones, and the count of spinning receivers (by every
 * waiting receiver). HotSpot lays a class's fields out after its superclass's, except fields that fit into holes
 * of the superclass's layout; the padding classes, all {@code long}s, leave none, so only {@link ChannelCore}'s
 * holes can take a later field. So 128 bytes of padding between the classes of this chain keep the groups apart,
 * and apart from the fields before and after (two cache lines, for CPUs that fetch lines in pairs).
 *
 * <p>Why fields with field updaters, and not one padded {@code long[]} with a {@code VarHandle}: C2 parses a field
 * access, or a field updater's, from a few bytecodes, and a {@code VarHandle} access from some 150 bytes of guards
 * and accessors that it then folds away. A ring's send and receive paths make some twenty such accesses, and C2
 * compiles them again for each hot caller; in a fresh JVM that compile time takes the cores from the pool's own
 * threads (BENCHMARKS.md, Fresh JVM). The slots' stamps stay an array with a {@code VarHandle}: an array element has
 * no field form.
 */
final class RingFields {
    private RingFields() {
    }

    /** An updater of {@code type}'s volatile {@code long} field, typed for the generic class (its literal is raw). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <U> AtomicLongFieldUpdater<U> updater(Class<?> type, String field) {
        return (AtomicLongFieldUpdater<U>) (AtomicLongFieldUpdater) AtomicLongFieldUpdater.newUpdater(type, field);
    }

    /** Padding before {@code tail}: after {@link ChannelCore}'s fields. */
    abstract static class PadBeforeTail<T> extends ChannelCore<T> {
        long a00, a01, a02, a03, a04, a05, a06, a07;
        long a08, a09, a10, a11, a12, a13, a14, a15;

        PadBeforeTail(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** {@code tail}: items ever claimed by senders, and the close bit (see {@link RingChannel}). */
    abstract static class Tail<T> extends PadBeforeTail<T> {
        static final AtomicLongFieldUpdater<Tail<?>> TAIL = updater(Tail.class, "tail");
        volatile long tail;
        /**
         * Capacity 0: the position of the item a waiting hand-off sender put in the slot (see {@code RingChannel}).
         * Beside {@code tail}, which the same sender has just written: a write per item on the read-mostly fields'
         * line would make every receiver fetch that line again.
         */
        long handOffAt = -1;

        Tail(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Padding between {@code tail} and {@code head}. */
    abstract static class PadBeforeHead<T> extends Tail<T> {
        long b00, b01, b02, b03, b04, b05, b06, b07;
        long b08, b09, b10, b11, b12, b13, b14, b15;

        PadBeforeHead(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** {@code head}: items ever claimed by receivers. */
    abstract static class Head<T> extends PadBeforeHead<T> {
        static final AtomicLongFieldUpdater<Head<?>> HEAD = updater(Head.class, "head");
        volatile long head;

        Head(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Padding between {@code head} and the read-mostly counters. */
    abstract static class PadBeforeReadMostly<T> extends Head<T> {
        long c00, c01, c02, c03, c04, c05, c06, c07;
        long c08, c09, c10, c11, c12, c13, c14, c15;

        PadBeforeReadMostly(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Read-mostly: written when the overflow or the high-water mark changes, or (hand-off) as receivers wait. */
    abstract static class ReadMostly<T> extends PadBeforeReadMostly<T> {
        static final AtomicLongFieldUpdater<ReadMostly<?>> WAITING_RECEIVERS =
                updater(ReadMostly.class, "waitingReceivers");
        static final AtomicLongFieldUpdater<ReadMostly<?>> RETRACTED = updater(ReadMostly.class, "retracted");
        static final AtomicLongFieldUpdater<ReadMostly<?>> HIGH_WATER_MARK =
                updater(ReadMostly.class, "highWaterMark");
        /** Hand-off: receivers waiting, to whom a {@code trySend} may hand its item. */
        volatile long waitingReceivers;
        /** Hand-off: positions whose senders took their items back. */
        volatile long retracted;
        /** The overflow's size, mirrored here (written under the lock). */
        volatile long overflowSize;
        /** The most items that have waited at once. */
        volatile long highWaterMark;

        ReadMostly(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Padding between the read-mostly counters and the spinning receivers' count. */
    abstract static class PadBeforeSpinning<T> extends ReadMostly<T> {
        long d00, d01, d02, d03, d04, d05, d06, d07;
        long d08, d09, d10, d11, d12, d13, d14, d15;

        PadBeforeSpinning(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Receivers spinning or yielding for an item (not parked): written by every waiting receiver. */
    abstract static class Spinning<T> extends PadBeforeSpinning<T> {
        static final AtomicLongFieldUpdater<Spinning<?>> SPINNING_RECEIVERS =
                updater(Spinning.class, "spinningReceivers");
        volatile long spinningReceivers;

        Spinning(String name, int capacity) {
            super(name, capacity);
        }
    }

    /** Padding after the spinning receivers' count: before {@link RingChannel}'s own fields. */
    abstract static class PadAfter<T> extends Spinning<T> {
        long e00, e01, e02, e03, e04, e05, e06, e07;
        long e08, e09, e10, e11, e12, e13, e14, e15;

        PadAfter(String name, int capacity) {
            super(name, capacity);
        }
    }
}
