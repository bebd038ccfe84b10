package dev.workerpool.runtime;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A limit on how often a pool's jobs may start: at most {@link #permits()} starts per {@link #per()}, with
 * bursts of up to {@link #burst()} starts at once after a quiet spell. Given to a pool by
 * {@code @WorkerPool(rate = "50/s", burst = 5)} or at run time by the generated
 * {@code start(target, workers, buffer, rate)}.
 *
 * <h2>What it guarantees</h2>
 * Starts are spaced one {@linkplain #interval() interval} ({@code per / permits}, rounded up to the nanosecond)
 * apart on a schedule; a start may run up to {@code burst - 1} intervals ahead of it. So in any window of
 * length {@code w}, at most {@code burst - 1 + ceil(w / interval)} jobs start: with the default burst of 1,
 * {@code "50/s"} starts at most 50 jobs in any second, 20 ms apart. The limit counts starts: a job takes its
 * permit on its worker, after leaving the queue and just before it runs; the queue's bound and backpressure are
 * unchanged. Idle time does not save up permits beyond the burst.
 *
 * <p>Immutable and thread-safe; two rates are equal when their permits, period and burst are.
 */
public final class Rate {

    /** Units in lower case only, as the annotation's {@code rate} takes them; an ISO-8601 period in either case. */
    private static final Pattern TEXT = Pattern.compile(
            "\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ns|us|µs|ms|s|m|h|d)\\s*|\\s*(\\d+)\\s*/\\s*((?i:P)\\S+)\\s*");

    private final long permits;
    private final Duration per;
    private final int burst;

    private Rate(long permits, Duration per, int burst) {
        this.permits = permits;
        this.per = per;
        this.burst = burst;
    }

    /**
     * At most {@code permits} starts per {@code per}, with a burst of 1.
     *
     * @param permits how many jobs may start per {@code per}, at least 1
     * @param per     the period, positive, and at least {@code permits} nanoseconds (one start per nanosecond
     *                is the finest schedule the clock can keep)
     * @return the rate
     * @throws IllegalArgumentException if {@code permits} or {@code per} is out of range
     */
    public static Rate of(long permits, Duration per) {
        Objects.requireNonNull(per, "per");
        if (permits < 1) {
            throw new IllegalArgumentException("a rate needs at least 1 permit per period, was " + permits);
        }
        if (per.isZero() || per.isNegative()) {
            throw new IllegalArgumentException("a rate's period must be positive, was " + per);
        }
        if (per.compareTo(Duration.ofDays(365L * 100)) > 0) {
            throw new IllegalArgumentException("a rate's period must be at most 100 years, was " + per);
        }
        if (per.toNanos() < permits) {
            throw new IllegalArgumentException("a rate of " + permits + " per " + per
                    + " is more than one start per nanosecond, which the clock cannot schedule");
        }
        return new Rate(permits, per, 1);
    }

    /**
     * Parses a rate: a number of permits, a slash, and a period in the syntax of {@code @WorkerPool(timeout)}
     * whose number may be left out, units in lower case: {@code "50/s"}, {@code "3/250ms"}, {@code "100/m"},
     * {@code "1000/h"}, {@code "5/PT10S"}. The burst is 1.
     *
     * @param text the rate
     * @return the rate
     * @throws IllegalArgumentException if {@code text} is not a rate, or is out of range as for {@link #of}
     */
    public static Rate parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a rate; write permits/period, e.g. \"50/s\","
                    + " \"3/250ms\" or \"100/m\"");
        }
        try {
            if (m.group(1) != null) {
                long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
                return of(Long.parseLong(m.group(1)), unit(amount, m.group(3)));
            }
            return of(Long.parseLong(m.group(4)), Duration.parse(m.group(5).toUpperCase(Locale.ROOT)));
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a rate: " + e.getMessage(), e);
        }
    }

    private static Duration unit(long amount, String unit) {
        return switch (unit) {
            case "ns" -> Duration.ofNanos(amount);
            case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /**
     * This rate with another burst: how many jobs may start at once after a quiet spell.
     *
     * @param burst at least 1
     * @return a rate like this one with that burst
     * @throws IllegalArgumentException if {@code burst} is below 1
     */
    public Rate withBurst(int burst) {
        if (burst < 1) {
            throw new IllegalArgumentException("a rate's burst must be at least 1, was " + burst);
        }
        return new Rate(permits, per, burst);
    }

    /**
     * How many jobs may start per {@link #per()}.
     *
     * @return the permits per period, at least 1
     */
    public long permits() {
        return permits;
    }

    /**
     * The period the permits are counted over.
     *
     * @return the period, positive
     */
    public Duration per() {
        return per;
    }

    /**
     * How many jobs may start at once after a quiet spell.
     *
     * @return the burst, at least 1
     */
    public int burst() {
        return burst;
    }

    /**
     * The spacing of starts on the schedule: {@code per / permits}, rounded up to the nanosecond, so that the
     * pool never starts more than {@code permits} jobs per {@code per} (plus the burst).
     *
     * @return the interval between starts, at least 1 ns
     */
    public Duration interval() {
        long nanos = per.toNanos();
        return Duration.ofNanos(nanos / permits + (nanos % permits == 0 ? 0 : 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rate r && r.permits == permits && r.per.equals(per) && r.burst == burst;
    }

    @Override
    public int hashCode() {
        return Objects.hash(permits, per, burst);
    }

    /**
     * The rate as {@link #parse} reads it, with the burst: {@code "50/PT1S, burst 5"}.
     *
     * @return a description of the rate
     */
    @Override
    public String toString() {
        return permits + "/" + per + (burst == 1 ? "" : ", burst " + burst);
    }
}
