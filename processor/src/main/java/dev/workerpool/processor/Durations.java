package dev.workerpool.processor;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration attributes ({@code timeout}; a retry's {@code backoff} and {@code maxBackoff}): a whole
 * number and a unit ({@code 250ms}, {@code 5s}, {@code 2m}), or an ISO-8601 duration ({@code PT5S}, as
 * {@link Duration#parse} reads it); and the {@code rate} attribute, whose period is such a duration.
 */
final class Durations {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("\\s*(-?\\d+)\\s*(ns|us|µs|ms|s|m|h|d)\\s*");
    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ns", ChronoUnit.NANOS, "us", ChronoUnit.MICROS, "µs", ChronoUnit.MICROS, "ms", ChronoUnit.MILLIS,
            "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

    /** A rate: starts, a slash, a period whose number may be left out ({@code 50/s}). */
    private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S.*)");
    private static final Pattern UNIT_ONLY = Pattern.compile("\\s*(ns|us|µs|ms|s|m|h|d)\\s*");

    /** A rate attribute's two parts: starts per period. */
    record Rate(long permits, Duration per) {
    }

    private Durations() {
    }

    /** The duration {@code text} denotes, or empty if it is neither form (or overflows). */
    static Optional<Duration> parse(String text) {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        try {
            if (m.matches()) {
                return Optional.of(Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2))));
            }
            String trimmed = text.trim();
            String upper = trimmed.toUpperCase(Locale.ROOT);
            if (upper.startsWith("P") || upper.startsWith("-P")) {
                return Optional.of(Duration.parse(trimmed));
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The rate {@code text} denotes ({@code 50/s}, {@code 3/250ms}, {@code 5/PT10S}), or empty if it is not of
     * that form (or overflows); its values are not range-checked here.
     */
    static Optional<Rate> parseRate(String text) {
        Matcher m = RATE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long permits;
        try {
            permits = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String period = m.group(2);
        Optional<Duration> per = UNIT_ONLY.matcher(period).matches() ? parse("1" + period.trim()) : parse(period);
        return per.map(d -> new Rate(permits, d));
    }
}
