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
 * number and a unit ({@code 250ms}, {@code 5s}, {@code 2m}), or
 * an ISO-8601 duration ({@code PT5S}, as {@link Duration#parse} reads it).
 */
final class Durations {

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("\\s*(-?\\d+)\\s*(ns|us|µs|ms|s|m|h|d)\\s*");
    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ns", ChronoUnit.NANOS, "us", ChronoUnit.MICROS, "µs", ChronoUnit.MICROS, "ms", ChronoUnit.MILLIS,
            "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);

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
}
