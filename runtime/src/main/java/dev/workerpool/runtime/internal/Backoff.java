package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
    /** {@code Thread.isVirtual()} on JDK 21 and later (this module compiles for 17); null before. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    /**
     * How soon an item must come, once a waiter starts yielding, for the yields to have been worth it: a few
     * context switches. One that comes later counts as a park for {@link Budget}: the waiter's yields mostly
     * handed its core back and forth with threads that had nothing for it.
     */
    private static final long QUICK_NANOS = 20_000;

    private Backoff() {
    }

    /**
     * How many times the waiters on one side of a queue yield before they park, learnt from how their waits
     * ended: a wait that ended in a park, or that its yields ended only after {@link #QUICK_NANOS}, makes the
     * next one yield once less (down to one yield), and a wait that a yield ended sooner gives back every yield. So while hand-offs keep coming within a few time slices, waiters
     * yield as many times as {@link Tuning#YIELDS} allows; where items come far apart (jobs that sleep, a
     * consumer that is slow), they soon stop making yields that only switch threads and then park anyway. A
     * virtual thread yields at most {@link Tuning#VIRTUAL_YIELDS} times. Shared by the side's waiters without
     * synchronization: a lost update only shifts the estimate by one.
     */
    static final class Budget {
        private int yields = Tuning.YIELDS;

        /** The yields the calling thread makes in its next wait. */
        int yields() {
            return isVirtual(Thread.currentThread()) ? Math.min(yields, Tuning.VIRTUAL_YIELDS) : yields;
        }

        /** A wait ended while yielding: the item or room came within the yields. */
        void held() {
            if (yields != Tuning.YIELDS) { // no write while it holds: waiters on other cores share the field
                yields = Tuning.YIELDS;
            }
        }

        /** A wait used up its yields: the waiter parks. */
        void parked() {
            int y = yields;
            if (y > 1) {
                yields = y - 1;
            }
        }
    }

    /** Whether {@code thread} is virtual (JDK 21+). */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17-20: no virtual threads
        }
    }

    /**
     * Pauses for waiting round {@code round} (0, 1, 2, …): spins for the first {@link Tuning#SPINS} rounds,
     * then yields for {@code yields} rounds ({@link Budget#yields()}, read once per wait).
     *
     * @return false once the rounds are used up: time to park
     */
    static boolean pause(int round, int yields) {
        if (round < Tuning.SPINS) {
            Thread.onSpinWait();
            return true;
        }
        if (round < Tuning.SPINS + yields) {
            Thread.yield();
            return true;
        }
        return false;
    }

    /**
     * Waits, without parking, until {@code condition} holds, except that during the first {@code patience}
     * yields it waits for {@code batch} instead; it yields as many times as {@code budget} says, and tells it how
     * the wait ended.
     *
     * @return whether it held (then the caller proceeds); false when it is time to park
     */
    static boolean spinUntil(BooleanSupplier batch, BooleanSupplier condition, int patience, Budget budget) {
        int yields = budget.yields();
        long yieldingSince = 0;
        for (int round = 0; ; round++) {
            int yielded = round - Tuning.SPINS;
            boolean wantBatch = yielded >= 0 && yielded < patience && yielded < yields;
            if (wantBatch ? batch.getAsBoolean() : condition.getAsBoolean()) {
                if (yielded > 0) { // came while yielding: soon enough to be worth yielding for?
                    if (System.nanoTime() - yieldingSince <= QUICK_NANOS) {
                        budget.held();
                    } else {
                        budget.parked();
                    }
                }
                return true;
            }
            if (yielded == 0) {
                yieldingSince = System.nanoTime();
            }
            if (!pause(round, yields)) {
                budget.parked();
                return false;
            }
        }
    }

    /** As {@link #spinUntil(BooleanSupplier, BooleanSupplier, int, Budget)} with no batch. */
    static boolean spinUntil(BooleanSupplier condition, Budget budget) {
        return spinUntil(condition, condition, 0, budget);
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
