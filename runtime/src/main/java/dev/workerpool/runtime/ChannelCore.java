package dev.workerpool.runtime;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What a {@link Channel} does, behind its public methods: {@link RingChannel} (lock-free, up to
 * {@link Channel#RING_LIMIT}) or {@link LockedChannel} (too large to allocate up front, or forced for comparison). The public class checks arguments and
 * interrupts; a core may assume items are non-null and that the caller was not interrupted on entry.
 * Every method is thread-safe; the semantics are the ones {@link Channel} documents.
 */
abstract class ChannelCore<T> {

    /**
     * Busy-spins before yielding. With fewer than 4 cores none: a spinning thread then takes the core from the
     * thread that would hand it an item (measured on 2 cores: 3 workers, buffer 10, trivial jobs: about 1.5 µs
     * per job with 256 spins, 0.5 µs with none; see BENCHMARKS.md). With more cores, a short spin catches a
     * hand-off already on its way (not measured here: the project's machines have 2 cores).
     */
    static final int SPINS = Integer.getInteger("dev.workerpool.spins",
            Runtime.getRuntime().availableProcessors() >= 4 ? 128 : 0);
    /** Thread.yield rounds after spinning and before parking: a yield hands the core to a runnable thread. */
    static final int YIELDS = Integer.getInteger("dev.workerpool.yields", 16);

    final String name;
    final int capacity;
    /** The lock-based core's lock; the ring takes it only for its overflow and to count what was sent. */
    final ReentrantLock lock = new ReentrantLock();
    /** Set by {@link #unbound()}: sends no longer wait for room. */
    volatile boolean unbounded;

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

    /** Sends, waiting until the deadline ({@link Timeouts#NONE}: none); false if it passed first. */
    abstract boolean sendUntil(T item, long deadline) throws InterruptedException;

    abstract boolean trySend(T item);

    /** Sends without waiting, beyond the capacity if need be. */
    abstract void sendBeyondCapacity(T item);

    /**
     * Receives, waiting until the deadline; {@code null} if closed and drained or the deadline passed.
     * {@code ticket}, if not null, receives the item's position in the receive order.
     */
    abstract T receiveUntil(long deadline, long[] ticket) throws InterruptedException;

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

    /**
     * Spins, then yields, watching {@code condition} (one item, or one free slot), except that for the first
     * {@code patience} yields it waits for {@code batch} (a batch of them). Only yields switch threads: a thread
     * that resumes for one item and must wait again pays a context switch per item; resuming for a batch
     * amortizes it. Spinning (on 4 or more cores) involves no switch, so it takes one item as soon as it is
     * there; and after {@code patience} yields one is enough again, so a lone item is never held up by more than
     * those yields.
     */
    static boolean spinUntil(BooleanSupplier batch, BooleanSupplier condition, int patience) {
        for (int i = 0; i < SPINS; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < YIELDS; i++) {
            if (i < patience ? batch.getAsBoolean() : condition.getAsBoolean()) {
                return true;
            }
            Thread.yield();
        }
        return condition.getAsBoolean();
    }

    /**
     * The batch a waiter of a queue of {@code capacity} waits for during its first {@link #patience()} yields:
     * half the capacity by default ({@code -Ddev.workerpool.batch=N}: capacity / N; 0 turns it off), at least 1.
     * Read when a channel or lanes are made.
     */
    static int batchFor(int capacity) {
        int divisor = Integer.getInteger("dev.workerpool.batch", 2);
        return divisor <= 0 ? 1 : Math.max(1, capacity / divisor);
    }

    /**
     * Yields spent waiting for a batch before one item or slot will do ({@code -Ddev.workerpool.patience}, 8 by
     * default). Read when a channel or lanes are made.
     */
    static int patience() {
        return Integer.getInteger("dev.workerpool.patience", 8);
    }

    /** Spins, then yields, watching a condition that is read without a lock; returns its last value. */
    static boolean spinUntil(BooleanSupplier condition) {
        return spinUntil(condition, condition, 0);
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
