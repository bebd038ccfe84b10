package dev.workerpool.runtime.internal;

import java.util.function.BooleanSupplier;

/**
 * How every waiter in this package waits before it parks: spin, then yield, then give up (the caller then parks:
 * on a {@link WaitSet}, or, in the lock-based channel, on its lock's condition). Written once, here.
 *
 * <p>Why this order. Parking costs a round trip through the operating system's scheduler for both the waiter
 * and whoever wakes it, which dominates a hand-off between threads. While items keep flowing, the item or slot
 * a waiter needs usually arrives within a time slice, so a waiter first yields its core to the thread that
 * would hand it over. Busy-spinning helps only when that thread runs on another core at the same moment; with
 * fewer than four cores a spinning thread mostly takes the core from the very thread it waits for, so it does
 * not spin at all there ({@link Tuning#SPINS}).
 *
 * <p>Batches. Only yields switch threads: a waiter that resumes for one item and must soon wait again pays a
 * switch per item. So for its first {@link #patience()} yields it waits for a batch (a share of the capacity);
 * after that one item or slot is enough, so a lone item is never held up by more than those yields.
 */
final class Backoff {

    private Backoff() {
    }

    /**
     * Pauses for waiting round {@code round} (0, 1, 2, …): spins for the first {@link Tuning#SPINS} rounds,
     * then yields for {@link Tuning#YIELDS} rounds.
     *
     * @return false once the rounds are used up: time to park
     */
    static boolean pause(int round) {
        if (round < Tuning.SPINS) {
            Thread.onSpinWait();
            return true;
        }
        if (round < Tuning.SPINS + Tuning.YIELDS) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * Waits, without parking, until {@code condition} holds, except that during the first {@code patience}
     * yields it waits for {@code batch} instead.
     *
     * @return whether it held (then the caller proceeds); false when it is time to park
     */
    static boolean spinUntil(BooleanSupplier batch, BooleanSupplier condition, int patience) {
        for (int round = 0; ; round++) {
            int yielded = round - Tuning.SPINS;
            boolean wantBatch = yielded >= 0 && yielded < patience && yielded < Tuning.YIELDS;
            if (wantBatch ? batch.getAsBoolean() : condition.getAsBoolean()) {
                return true;
            }
            if (!pause(round)) {
                return false;
            }
        }
    }

    /** As {@link #spinUntil(BooleanSupplier, BooleanSupplier, int)} with no batch. */
    static boolean spinUntil(BooleanSupplier condition) {
        return spinUntil(condition, condition, 0);
    }

    /**
     * The batch a waiter on a queue of {@code capacity} waits for during its first {@link #patience()} yields:
     * capacity / {@link Tuning#batchDivisor()} (half by default; a divisor of 0 turns batching off), at least 1.
     */
    static int batchFor(int capacity) {
        int divisor = Tuning.batchDivisor();
        return divisor <= 0 ? 1 : Math.max(1, capacity / divisor);
    }

    /** Yields spent waiting for a batch before one item or slot will do ({@link Tuning#patience()}). */
    static int patience() {
        return Tuning.patience();
    }
}
