package dev.workerpool.runtime.internal;

import java.util.function.BooleanSupplier;

/**
 * How every waiter in this package waits before it parks: spin, then yield, then give up (the caller then parks:
 * on a {@link WaitSet}, or, in the lock-based channel, on its lock's condition). Written once, here, with the
 * brief waits that never park ({@link #briefly}).
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
 *
 * <p>Yields only while they can help. A yield helps only if a thread that could end the wait is running or
 * waiting for a core. When none is (a pool's workers all sleep or block in their jobs, say), the item or slot
 * comes no sooner for yielding, and two waiters (a producer and a reader) would only trade the core back and
 * forth, an involuntary switch each time: so a waiter given a test of that ({@code othersRun}) asks it before
 * its first yield and every {@link #ASK_EVERY}th after, and parks at once when it says no. A pool gives it to
 * its producer and reader ({@link JobQueue#sendersYieldWhile}, {@link ResultQueue#receiversYieldWhile}); a
 * worker's waits keep yielding, since the threads that end them (the pool's users) are not known.
 */
final class Backoff {

    /** An {@code othersRun} for a waiter that does not know who ends its wait: it yields every round. */
    static final BooleanSupplier ASSUME_RUNNING = () -> true;

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
     * A brief wait, which never parks: for another thread that is a few instructions from done (a sender between
     * its claim of a slot and its store, the holder of a short lock). Spins for the first {@code spins} rounds,
     * then yields: on a small machine that thread may be waiting for this very core.
     */
    static void briefly(int round, int spins) {
        if (round < spins) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** How often a yielding waiter asks whether a thread that could end its wait runs: every this many yields. */
    static final int ASK_EVERY = 4;

    /**
     * Which asks step aside ({@link #pause(int, BooleanSupplier)}): the first of every this many, counted over all
     * threads.
     */
    static final int STEP_ASIDE_EVERY = 64;

    /** Asks so far, for the step-asides: a plain count that threads may race on (a lost count moves one). */
    private static int asks;

    /**
     * As {@link #pause(int)}, except that the first yield round, and every {@link #ASK_EVERY}th after it, first
     * asks {@code othersRun} whether a thread that could end the wait runs, and returns false (park) if not.
     * (Asking reads other threads' states, which those threads write as they park and wake: not every round.)
     *
     * <p>A step-aside keeps the "park" way in every profile. A JVM's first pool may never find nobody running
     * before C2 compiles its waits, and C2 would then compile that way as a trap, whose first use (often in the
     * next pool) throws the compiled waits away to be compiled again. So one ask in {@link #STEP_ASIDE_EVERY}
     * takes that way too, answering with what the ask found: true (go on waiting, this round without its yield)
     * when a thread runs, false (park) when none does.
     */
    static boolean pause(int round, BooleanSupplier othersRun) {
        int yielded = round - Tuning.SPINS;
        if (yielded >= 0 && yielded < Tuning.YIELDS && yielded % ASK_EVERY == 0) {
            boolean run = othersRun.getAsBoolean();
            if (!(run & asks++ % STEP_ASIDE_EVERY != 0)) {
                return run;
            }
        }
        return pause(round);
    }

    /**
     * Waits, without parking, until {@code condition} holds, except that during the first {@code patience}
     * yields it waits for {@code batch} instead; it yields only while {@code othersRun} says that a thread that
     * could end the wait runs.
     *
     * @return whether it held (then the caller proceeds); false when it is time to park
     */
    static boolean spinUntil(BooleanSupplier batch, BooleanSupplier condition, int patience,
            BooleanSupplier othersRun) {
        for (int round = 0; ; round++) {
            int yielded = round - Tuning.SPINS;
            boolean wantBatch = yielded >= 0 && yielded < patience && yielded < Tuning.YIELDS;
            if (wantBatch ? batch.getAsBoolean() : condition.getAsBoolean()) {
                return true;
            }
            if (!pause(round, othersRun)) {
                return false;
            }
        }
    }

    /** As {@link #spinUntil(BooleanSupplier, BooleanSupplier, int, BooleanSupplier)} with no batch. */
    static boolean spinUntil(BooleanSupplier condition, BooleanSupplier othersRun) {
        return spinUntil(condition, condition, 0, othersRun);
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
