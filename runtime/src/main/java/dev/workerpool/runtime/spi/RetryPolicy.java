package dev.workerpool.runtime.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often, on which errors, and after what wait a pool tries a failed job again: the value of
 * {@code @WorkerPool(retry = @WorkerPool.Retry(...))}, given to a pool by {@link PoolOptions#withRetry}.
 * Immutable and thread-safe.
 *
 * <p>The pool's contract with a policy: one accepted job still yields exactly one result, its value as soon as an
 * attempt returns one, or else the error of its last attempt with the earlier attempts' errors added to it as
 * suppressed exceptions, oldest first. A job keeps its worker from its first attempt to its result, also while it
 * waits for the next attempt ({@link #delayNanos}); {@code cancel()} ends that wait at once, and the job's result
 * then carries a {@link CancellationException}. A per-job timeout applies to each attempt.
 */
public final class RetryPolicy {

    /** The most attempts a policy allows: more is a typo, or a polling loop that a job should not be. */
    public static final int MAX_ATTEMPTS = 100;

    private final int attempts;
    private final List<Class<? extends Throwable>> on;
    private final long backoffNanos;
    private final double multiplier;
    /** {@link Long#MAX_VALUE} for no limit. */
    private final long maxBackoffNanos;
    private final double jitter;

    private RetryPolicy(int attempts, List<Class<? extends Throwable>> on, long backoffNanos, double multiplier,
            long maxBackoffNanos, double jitter) {
        this.attempts = attempts;
        this.on = on;
        this.backoffNanos = backoffNanos;
        this.multiplier = multiplier;
        this.maxBackoffNanos = maxBackoffNanos;
        this.jitter = jitter;
    }

    /**
     * A policy.
     *
     * @param attempts   how many times a job may be tried in all, 1 to {@link #MAX_ATTEMPTS}
     * @param on         the error types that are retried (an error that is an instance of one of them); empty for
     *                   every error. {@code InterruptedException} and {@code CancellationException} are never
     *                   retried and may not be listed
     * @param backoff    the wait before the second attempt, zero or more; {@code null} for none
     * @param multiplier how much each wait grows over the one before, finite and at least 1
     * @param maxBackoff the longest wait, at least {@code backoff}; {@code null} for no limit
     * @param jitter     how much a wait is spread at random, 0 to 1 (see {@link #delayNanos})
     * @return the policy
     * @throws IllegalArgumentException if a value is out of range, or {@code on} lists an error that is never
     *                                  retried
     * @throws NullPointerException     if {@code on} or one of its elements is null
     */
    public static RetryPolicy of(int attempts, List<Class<? extends Throwable>> on, Duration backoff,
            double multiplier, Duration maxBackoff, double jitter) {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be 1 to " + MAX_ATTEMPTS + ", was " + attempts);
        }
        List<Class<? extends Throwable>> errors = List.copyOf(on);
        for (Class<? extends Throwable> type : errors) {
            if (InterruptedException.class.isAssignableFrom(type)
                    || CancellationException.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is never retried: it means the job was asked "
                        + "to stop");
            }
        }
        if (backoff != null && backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative, was " + backoff);
        }
        if (!(multiplier >= 1 && multiplier < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("multiplier must be finite and at least 1, was " + multiplier);
        }
        if (maxBackoff != null && backoff != null && maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than backoff " + backoff);
        }
        if (maxBackoff != null && maxBackoff.isNegative()) {
            throw new IllegalArgumentException("maxBackoff must not be negative, was " + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be 0 to 1, was " + jitter);
        }
        return new RetryPolicy(attempts, errors, nanos(backoff, 0), multiplier, nanos(maxBackoff, Long.MAX_VALUE),
                jitter);
    }

    private static long nanos(Duration d, long ifNull) {
        if (d == null) {
            return ifNull;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * How many times a job may be tried in all.
     *
     * @return at least 1; 1 means no retries
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The error types that are retried.
     *
     * @return an unmodifiable list; empty for every error
     */
    public List<Class<? extends Throwable>> on() {
        return on;
    }

    /**
     * Whether an attempt that failed with {@code error} may be retried (if attempts are left): never an
     * {@code InterruptedException} or a {@code CancellationException}; else whether {@link #on()} is empty or
     * {@code error} is an instance of one of its types. Safe to call from any thread.
     *
     * @param error what the attempt threw (or the {@code TimeoutException} of an attempt that timed out)
     * @return whether it is retried
     */
    public boolean retries(Throwable error) {
        if (error instanceof InterruptedException || error instanceof CancellationException) {
            return false;
        }
        if (on.isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> type : on) {
            if (type.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The wait before retry {@code retry} (1 for the wait between the first attempt and the second), in
     * nanoseconds: <i>d</i> = min(maxBackoff, backoff × multiplier<sup>retry - 1</sup>), then, with jitter
     * <i>j</i>, a uniformly random value between <i>d</i> × (1 - <i>j</i>) and <i>d</i> × (1 + <i>j</i>),
     * at most maxBackoff. Uses {@link ThreadLocalRandom}; safe to call from any thread.
     *
     * @param retry the number of the retry, at least 1
     * @return the wait in nanoseconds, zero or more
     */
    public long delayNanos(int retry) {
        if (backoffNanos == 0) {
            return 0;
        }
        double d = Math.min((double) maxBackoffNanos, backoffNanos * Math.pow(multiplier, retry - 1));
        if (jitter > 0) {
            d *= 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        }
        return d >= maxBackoffNanos ? maxBackoffNanos : (long) d; // the cast saturates at Long.MAX_VALUE
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy other && attempts == other.attempts && on.equals(other.on)
                && backoffNanos == other.backoffNanos && multiplier == other.multiplier
                && maxBackoffNanos == other.maxBackoffNanos && jitter == other.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(attempts, on, backoffNanos, multiplier, maxBackoffNanos, jitter);
    }

    @Override
    public String toString() {
        return "RetryPolicy[attempts=" + attempts + ", on=" + on.stream().map(Class::getName).toList()
                + ", backoff=" + Duration.ofNanos(backoffNanos) + ", multiplier=" + multiplier + ", maxBackoff="
                + (maxBackoffNanos == Long.MAX_VALUE ? "none" : Duration.ofNanos(maxBackoffNanos))
                + ", jitter=" + jitter + "]";
    }
}
