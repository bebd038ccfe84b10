package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.Objects;

/** Turns {@link Duration} timeouts into nanoseconds and {@link System#nanoTime()} deadlines, without overflow. */
final class Timeouts {
    /** The deadline that never comes. */
    static final long NONE = Long.MAX_VALUE;

    private Timeouts() {}

    /** The timeout in nanoseconds: negative as 0, too long for a {@code long} as {@link Long#MAX_VALUE}. */
    static long nanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** {@code System.nanoTime()} plus the timeout, or {@link #NONE} if that would overflow (centuries away). */
    static long deadline(Duration timeout) {
        long nanos = nanos(timeout);
        try {
            long deadline = Math.addExact(System.nanoTime(), nanos);
            return deadline == NONE ? NONE - 1 : deadline;
        } catch (ArithmeticException tooFar) {
            return NONE;
        }
    }
}
