package dev.workerpool.runtime.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What a {@link Channel} does, behind its public methods: {@link RingChannel} (lock-free, up to
 * {@link Channel#RING_LIMIT}) or {@link LockedChannel} (too large to allocate up front, or forced for comparison). The
 * public class checks arguments and interrupts; a core may assume items are non-null and that the caller was not
 * interrupted on entry.
 * Every method is thread-safe; the semantics are the ones {@link Channel} documents.
 */
abstract class ChannelCore<T> {

    final String name;
    final int capacity;
    /** The lock-based core's lock; the ring takes it only for its overflow and to count what was sent. */
    final ReentrantLock lock = new ReentrantLock();
    /** Set by {@link #unbound()}: sends no longer wait for room. */
    volatile boolean unbounded;
    /** How many times {@link #wakeReceivers()} was called; see {@link JobQueue#wakeups()}. */
    volatile long wakeups;
    /**
     * Whether a thread that could make room runs: a sender waiting for room yields only while it says so
     * ({@link Backoff}). Set before the channel is shared ({@link JobQueue#sendersYieldWhile}).
     */
    BooleanSupplier roomMayCome = Backoff.ASSUME_RUNNING;
    /** As {@link #roomMayCome}, for a receiver waiting for an item ({@link ResultQueue#receiversYieldWhile}). */
    BooleanSupplier itemsMayCome = Backoff.ASSUME_RUNNING;
    /**
     * Whether sends keep {@link #highWaterMark()}: cleared, before the channel is shared, for a queue whose mark
     * nobody reads ({@link Channel#withoutHighWaterMark()}).
     */
    boolean keepsHighWaterMark = true;

    ChannelCore(String name, int capacity) {
        this.name = name;
        this.capacity = capacity;
    }

    /** Items waiting to be received: a snapshot. */
    abstract int size();

    /** Items ever accepted by a send. */
    abstract long sent();

    /** The most items that have waited at once. */
    abstract int highWaterMark();

    abstract boolean isClosed();

    /** {@code n} items waiting, or closed: see {@link Channel#hasItems}. */
    abstract boolean hasItems(int n);

    /** Room for {@code n} items, or closed, or unbounded: see {@link Channel#hasRoom}. */
    abstract boolean hasRoom(int n);

    abstract boolean isDrained();

    /**
     * As {@link #hasItems}, for a parker's re-check: it may also count items whose senders have claimed their
     * positions and not yet published them (the ring: see {@link RingChannel}'s waiting); here, {@link #hasItems}
     * ({@link LockedChannel} reads its count under its lock instead).
     */
    boolean hasClaimedItems(int n) {
        return hasItems(n);
    }

    /**
     * For a parker's re-check, the sender-side twin of {@link #hasClaimedItems}: room for {@code n} items counting
     * slots whose receivers have claimed their items (the ring), or closed, or unbounded. As {@link #hasRoom},
     * except on a hand-off ring, where it is the slot's being free for a sender, and {@link #hasRoom} is closed.
     */
    boolean hasClaimedRoom(int n) {
        return hasRoom(n);
    }

    /** Sends, waiting until the deadline ({@link Timeouts#NONE}: none); false if it passed first. */
    abstract boolean sendUntil(T item, long deadline) throws InterruptedException;

    abstract boolean trySend(T item);

    /** Sends without waiting, beyond the capacity if need be. */
    abstract void sendBeyondCapacity(T item);

    /**
     * Receives, waiting until the deadline; {@code null} if closed and drained or the deadline passed, or, unless
     * {@code wakeups} is {@link JobQueue#UNWAKEABLE}, once {@link #wakeups} differs from it (a receive that finds
     * an item takes it, woken or not). {@code ticket}, if not null, receives the item's position in the receive
     * order.
     */
    abstract T receiveUntil(long deadline, long[] ticket, long wakeups) throws InterruptedException;

    /** Whether a receive that read {@code seen} from {@link #wakeups} has been woken since. */
    final boolean woken(long seen) {
        return seen != JobQueue.UNWAKEABLE && wakeups != seen;
    }

    /** Counts a wake-up in {@link #wakeups}, then wakes every parked receiver: see {@link JobQueue#wakeReceivers()}. */
    abstract void wakeReceivers();

    abstract T tryReceive();

    abstract boolean close();

    /** Lifts the capacity: sends no longer wait for room; wakes the senders that do. */
    final void unbound() {
        unbounded = true; // volatile: before the parked senders are read
        wakeSenders();
    }

    /** Wakes every sender parked for room, after {@link #unbounded} was set. */
    abstract void wakeSenders();

    final ChannelClosedException closedException() {
        return new ChannelClosedException(name + " is closed");
    }

    /** Awaits a condition until the deadline ({@link Timeouts#NONE}: none); false if the deadline had passed. */
    static boolean await(Condition condition, long deadline) throws InterruptedException {
        if (deadline == Timeouts.NONE) {
            condition.await();
            return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        condition.awaitNanos(remaining);
        return true;
    }
}
