package dev.workerpool.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * The lock-free buffered {@link Channel}: a ring of {@code capacity} slots, each stamped with a sequence number
 * (D. Vyukov's bounded MPMC queue), plus close, blocking and overflow.
 *
 * <h2>How it works</h2>
 * <ul>
 *   <li>Positions: {@code tail} counts items ever claimed by senders, {@code head} items ever claimed by
 *       receivers; position {@code p} lives in slot {@code p % capacity}. A slot's stamp is {@code 2p} when it
 *       is free for the sender of position {@code p}, {@code 2p + 1} once that item is in it, and
 *       {@code 2(p + capacity)} once a receiver has taken it (free for the next lap). Doubling keeps "published"
 *       and "free for the next lap" apart even at capacity 1. Positions stay below 2^62 (the close bit), so
 *       stamps do not overflow: that is 146 years of sends at one per nanosecond.</li>
 *   <li>Send: read {@code tail}; if its slot's stamp is {@code 2 * tail}, claim the position with one compare-and-set on
 *       {@code tail}, store the item, publish the stamp. Receive is the mirror image on {@code head}. An older
 *       stamp means full only if {@code tail - head} is the capacity: otherwise a receiver has claimed the
 *       previous lap's item and is about to free the slot, and the sender waits for it rather than report a
 *       "full" that a completed receive already contradicts (found by the Lincheck model checker). Senders contend only with senders, receivers only with receivers.</li>
 *   <li>Close sets a bit in {@code tail}, so no send can claim a position after it, atomically. Drained means
 *       closed and {@code head} has reached the frozen {@code tail}. A receiver that finds a position claimed
 *       but not yet published waits for that sender (a few instructions away) rather than report "empty".</li>
 *   <li>Waiting: spin/yield on the stamps, then park on a {@link Condition} after registering in a parked
 *       counter. For its first yields a waiter waits for a batch (half the capacity: that many items, or that
 *       much room), so that on a small machine a thread switched back in has a batch of work rather than one
 *       item (session 4 in BENCHMARKS.md: 8-19% at 3 workers x 10 slots); then one item or slot will do.
 *       Publishing a stamp and reading the other side's parked counter are both volatile, as are the
 *       registration and the re-check, so either the parker sees the item (or room) or the publisher sees the
 *       parker and signals it: no lost wake-up. While nobody is parked, no lock is taken.</li>
 *   <li>Overflow: after {@link #unbound()} a send into a full ring, and {@link #sendBeyondCapacity} into a full
 *       ring, go to a small locked deque. Receivers take from it first, so such an item is not held up behind
 *       items sent after it; FIFO order across the two does not hold (the channel's Javadoc says so).</li>
 *   <li>{@code head}, {@code tail} and the read-mostly counters sit in one {@code long[]}, 128 bytes apart, so
 *       that senders and receivers do not write the same cache line.</li>
 * </ul>
 */
final class RingChannel<T> extends ChannelCore<T> {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The bit set in {@code tail} by close. Positions never reach it (2^62 items). */
    private static final long CLOSED = 1L << 62;
    private static final int TAIL = 16;
    private static final int HEAD = 32;
    /** Read-mostly: written when a thread parks or unparks, or when the overflow or high-water mark changes. */
    private static final int PARKED_RECEIVERS = 48;
    private static final int PARKED_SENDERS = 49;
    private static final int OVERFLOW = 50;
    private static final int HIGH_WATER_MARK = 51;
    private static final int COUNTERS = 64;

    private final Object[] items;
    private final long[] stamps;
    private final long[] counters = new long[COUNTERS];
    /** {@code capacity - 1} if the capacity is a power of two (index by mask), else -1 (index by remainder). */
    private final int mask;
    /** Items sent beyond the capacity, guarded by {@link #lock}; its size is mirrored in {@code OVERFLOW}. */
    private final ArrayDeque<T> overflow = new ArrayDeque<>();
    /** Items ever sent into the overflow; guarded by {@link #lock}. */
    private long overflowSent;
    private final BooleanSupplier senderMayProceed = this::senderMayProceed;
    private final BooleanSupplier receiverMayProceed = this::receiverMayProceed;
    private final BooleanSupplier senderHasBatch = this::senderHasBatch;
    private final BooleanSupplier receiverHasBatch = this::receiverHasBatch;
    /** What a waiter waits for during its first {@link #patience} yields: this many items, or this much room. */
    final int batch;
    /** Yields spent waiting for a batch before one item or slot will do. */
    private final int patience = patience();

    RingChannel(String name, int capacity) {
        super(name, capacity);
        this.items = new Object[capacity];
        this.stamps = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            stamps[i] = 2L * i;
        }
        this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
        this.batch = batchFor(capacity);
    }

    @Override
    int size() {
        for (;;) {
            long head = head();
            long tail = tail() & ~CLOSED;
            if (head == head()) { // head did not move while tail was read: tail - head was the size then
                return (int) Math.min(Integer.MAX_VALUE, tail - head + (long) LONGS.getVolatile(counters, OVERFLOW));
            }
        }
    }

    @Override
    long sent() {
        lock.lock();
        try {
            return (tail() & ~CLOSED) + overflowSent;
        } finally {
            lock.unlock();
        }
    }

    @Override
    int highWaterMark() {
        return (int) (long) LONGS.getOpaque(counters, HIGH_WATER_MARK);
    }

    @Override
    boolean isClosed() {
        return (tail() & CLOSED) != 0;
    }

    @Override
    boolean isDrained() {
        long tail = tail();
        return (tail & CLOSED) != 0 && (tail & ~CLOSED) == head() && (long) LONGS.getVolatile(counters, OVERFLOW) == 0;
    }

    @Override
    boolean sendUntil(T item, long deadline) throws InterruptedException {
        for (;;) {
            if (trySend(item)) {
                return true;
            }
            if (!spinUntil(senderHasBatch, senderMayProceed, patience) && !parkSender(deadline)) {
                return false;
            }
        }
    }

    @Override
    boolean trySend(T item) {
        if (offer(item)) {
            return true;
        }
        if (unbounded) {
            sendToOverflow(item);
            return true;
        }
        return false;
    }

    @Override
    void sendBeyondCapacity(T item) {
        if (!offer(item)) {
            sendToOverflow(item);
        }
    }

    @Override
    T receiveUntil(long deadline, long[] ticket) throws InterruptedException {
        for (;;) {
            T item = poll(ticket);
            if (item != null) {
                return item;
            }
            if (isDrained()) {
                return null;
            }
            if (!spinUntil(receiverHasBatch, receiverMayProceed, patience) && !parkReceiver(deadline)) {
                return null;
            }
        }
    }

    @Override
    T tryReceive() {
        return poll(null);
    }

    @Override
    boolean close() {
        lock.lock();
        try {
            long tail = (long) LONGS.getAndBitwiseOr(counters, TAIL, CLOSED);
            if ((tail & CLOSED) != 0) {
                return false;
            }
            notEmpty.signalAll();
            notFull.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private long tail() {
        return (long) LONGS.getVolatile(counters, TAIL);
    }

    private long head() {
        return (long) LONGS.getVolatile(counters, HEAD);
    }

    private int index(long position) {
        return mask >= 0 ? (int) position & mask : (int) (position % capacity);
    }

    /** One attempt to put the item in the ring: false if it is full. Throws if closed. */
    private boolean offer(T item) {
        for (int waits = 0; ; ) {
            long tail = tail();
            if ((tail & CLOSED) != 0) {
                throw closedException();
            }
            int i = index(tail);
            long stamp = (long) LONGS.getAcquire(stamps, i);
            if (stamp == 2 * tail) {
                if (LONGS.compareAndSet(counters, TAIL, tail, tail + 1)) {
                    items[i] = item;
                    LONGS.setVolatile(stamps, i, 2 * tail + 1); // volatile: before the parked-receivers read
                    long mark = (long) LONGS.getOpaque(counters, HIGH_WATER_MARK);
                    if (mark < capacity) { // once the ring has been full, ring sends cannot raise the mark
                        raiseHighWaterMark(mark, tail + 1 - head());
                    }
                    if ((long) LONGS.getVolatile(counters, PARKED_RECEIVERS) > 0) {
                        signal(notEmpty);
                    }
                    return true;
                }
            } else if (stamp < 2 * tail) {
                // The slot still holds the previous lap's item. Full, unless a receiver has already taken that
                // item and is about to free the slot: then the channel is not full, and the wait is short.
                if (tail - head() >= capacity) {
                    return false;
                }
                waitForOtherSide(waits++);
            }
            // stamp > 2 * tail: another sender claimed this position first; try the next one
        }
    }

    /** The next item, or null if the ring and the overflow are empty. */
    @SuppressWarnings("unchecked")
    private T poll(long[] ticket) {
        if ((long) LONGS.getVolatile(counters, OVERFLOW) > 0) {
            T item = pollOverflow();
            if (item != null) {
                return item;
            }
        }
        for (int waits = 0; ; ) {
            long head = head();
            int i = index(head);
            long stamp = (long) LONGS.getAcquire(stamps, i);
            if (stamp == 2 * head + 1) {
                if (LONGS.compareAndSet(counters, HEAD, head, head + 1)) {
                    T item = (T) items[i];
                    items[i] = null;
                    LONGS.setVolatile(stamps, i, 2 * (head + capacity)); // volatile: before the parked-senders read
                    if (ticket != null) {
                        ticket[0] = head;
                    }
                    if ((long) LONGS.getVolatile(counters, PARKED_SENDERS) > 0) {
                        signal(notFull);
                    }
                    return item;
                }
            } else if (stamp < 2 * head + 1) {
                if ((tail() & ~CLOSED) == head) {
                    return null; // empty
                }
                // A sender has claimed this position and is storing its item: wait for it, it is close.
                waitForOtherSide(waits++);
            }
            // stamp > 2 * head + 1: another receiver took this position first; try the next one
        }
    }

    /**
     * A thread of the other side is between its compare-and-set and its stamp store, a few instructions: spin a
     * little, then yield (on a small machine it may be waiting for this very core).
     */
    private static void waitForOtherSide(int waits) {
        if (waits < 16) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private void sendToOverflow(T item) {
        lock.lock();
        try {
            if (isClosed()) {
                throw closedException();
            }
            overflow.add(item);
            overflowSent++;
            LONGS.setVolatile(counters, OVERFLOW, (long) overflow.size());
            raiseHighWaterMark((long) LONGS.getOpaque(counters, HIGH_WATER_MARK), capacity + (long) overflow.size());
            if ((long) LONGS.getVolatile(counters, PARKED_RECEIVERS) > 0) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private T pollOverflow() {
        lock.lock();
        try {
            T item = overflow.poll();
            LONGS.setVolatile(counters, OVERFLOW, (long) overflow.size());
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Raises the high-water mark, last seen as {@code mark}, to {@code size} if that is higher. */
    private void raiseHighWaterMark(long mark, long size) {
        while (size > mark && !LONGS.weakCompareAndSet(counters, HIGH_WATER_MARK, mark, size)) {
            mark = (long) LONGS.getVolatile(counters, HIGH_WATER_MARK);
        }
    }

    private boolean senderMayProceed() {
        return hasRoom(1);
    }

    private boolean receiverMayProceed() {
        return hasItems(1);
    }

    /** Room for a batch (or closed, or unbounded): see {@link #hasRoom}. */
    boolean senderHasBatch() {
        return hasRoom(batch);
    }

    /** A batch to take (or closed, or items in the overflow): see {@link #hasItems}. */
    boolean receiverHasBatch() {
        return hasItems(batch);
    }

    /**
     * Whether a sender may stop waiting: closed, unbounded, or the slot {@code slots - 1} positions past the tail
     * is free for its lap (so, with one sender, {@code slots} sends would not wait).
     */
    @Override
    boolean hasRoom(int slots) {
        long tail = tail();
        long last = tail + slots - 1;
        return (tail & CLOSED) != 0 || unbounded || (long) LONGS.getVolatile(stamps, index(last)) >= 2 * last;
    }

    /**
     * Whether a receiver may stop waiting: items in the overflow, the item {@code items - 1} positions past the
     * head published, or closed.
     */
    @Override
    boolean hasItems(int items) {
        if ((long) LONGS.getVolatile(counters, OVERFLOW) > 0) {
            return true;
        }
        long last = head() + items - 1;
        return (long) LONGS.getVolatile(stamps, index(last)) > 2 * last || isClosed();
    }

    private boolean parkSender(long deadline) throws InterruptedException {
        return park(notFull, PARKED_SENDERS, senderMayProceed, deadline);
    }

    private boolean parkReceiver(long deadline) throws InterruptedException {
        return park(notEmpty, PARKED_RECEIVERS, receiverMayProceed, deadline);
    }

    /**
     * Registers as parked, re-checks, and awaits the condition until the check passes; false if the deadline
     * passed first. The registration is a volatile read-modify-write before the re-check: see the class comment.
     */
    private boolean park(Condition condition, int parkedCounter, BooleanSupplier mayProceed, long deadline)
            throws InterruptedException {
        lock.lockInterruptibly();
        try {
            LONGS.getAndAdd(counters, parkedCounter, 1L);
            try {
                while (!mayProceed.getAsBoolean()) {
                    if (!await(condition, deadline)) {
                        return false;
                    }
                }
                return true;
            } finally {
                LONGS.getAndAdd(counters, parkedCounter, -1L);
            }
        } finally {
            lock.unlock();
        }
    }

    private void signal(Condition condition) {
        lock.lock();
        try {
            condition.signal();
        } finally {
            lock.unlock();
        }
    }
}
