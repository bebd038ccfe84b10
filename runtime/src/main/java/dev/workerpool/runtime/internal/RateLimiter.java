package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.Rate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool-wide limit on job starts, as a {@link Rate} describes it: at most {@code permits} starts per
 * {@code per}, with bursts of up to {@code burst} starts at once after an idle spell. A worker asks for a permit after
 * it has received a job and before it starts it, so the limit counts starts, not receives.
 *
 * <p>The algorithm is the generic cell rate algorithm (a token bucket kept as one timestamp): each start is due
 * one interval ({@link Rate#interval()}) after the previous one; a start may run up to {@code burst - 1} intervals
 * ahead of that schedule, and waits until it is no further ahead. So over any window of length {@code w}, at most
 * {@code burst - 1 + ceil(w / interval)} permits are granted: permits {@code j} and {@code k > j} are at least
 * {@code (k - j - burst + 1)} intervals apart.
 *
 * <p>Waiters park on a condition with a deadline (no spinning); {@link #wakeAll()} (on cancel) wakes them at once,
 * and {@link #acquire} then returns {@code false} so that the job is not started. Thread-safe; a lock guards the
 * schedule, held for a few instructions (never while waiting).
 */
final class RateLimiter {

    private final long intervalNanos;
    /** How far ahead of the schedule a start may run: {@code (burst - 1)} intervals. */
    private final long toleranceNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** When the next start is due on the schedule ({@code System.nanoTime()}); guarded by {@link #lock}. */
    private long due;
    private boolean stopped;

    RateLimiter(Rate rate) {
        this.intervalNanos = rate.interval().toNanos();
        long burst = rate.burst();
        this.toleranceNanos = Math.multiplyHigh(burst - 1, intervalNanos) != 0 ? Long.MAX_VALUE / 4
                : Math.min(Long.MAX_VALUE / 4, (burst - 1) * intervalNanos);
        this.due = System.nanoTime(); // the first start may be at once, and a full burst with it
    }

    /**
     * Waits for a permit to start a job: parks (never spins) until the schedule allows a start. An interrupt
     * does not end the wait (only cancel interrupts workers, and it calls {@link #wakeAll()} first).
     *
     * @return {@code true} with a permit; {@code false} if {@link #wakeAll()} was called first (no permit taken)
     */
    boolean acquire() {
        return acquireAt() != NO_PERMIT;
    }

    /** What {@link #acquireAt()} returns after {@link #wakeAll()}. */
    static final long NO_PERMIT = Long.MIN_VALUE;

    /**
     * As {@link #acquire()}, and tells when the permit was granted: the {@code System.nanoTime()} read under the
     * lock, the time the schedule counts (tests check the bound on these, exactly); {@link #NO_PERMIT} if none.
     */
    long acquireAt() {
        lock.lock();
        try {
            for (;;) {
                if (stopped) {
                    return NO_PERMIT;
                }
                long now = System.nanoTime();
                long start = due - now > 0 ? due : now; // the schedule, or now if it fell behind
                long wait = start - toleranceNanos - now;
                if (wait <= 0) {
                    due = start + intervalNanos;
                    return now == NO_PERMIT ? now + 1 : now;
                }
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException stray) {
                    // Only cancel interrupts workers, and it calls wakeAll() first: looked at above.
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancellation: every waiter returns {@code false} now, and so does every later {@link #acquire()}. */
    void wakeAll() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The interval between starts on the schedule, in nanoseconds (tests). */
    long intervalNanos() {
        return intervalNanos;
    }

    @Override
    public String toString() {
        return "RateLimiter[" + TimeUnit.NANOSECONDS.toMicros(intervalNanos) + " µs between starts, burst "
                + (toleranceNanos / intervalNanos + 1) + "]";
    }
}
