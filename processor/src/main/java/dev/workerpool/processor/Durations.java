package dev.workerpool.processor;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses the duration attributes ({@code timeout}; a retry's {@code backoff} and {@code maxBackoff}): a whole
 * number and a unit ({@code 250ms}, {@code 5s}, {@code 2m}), or an ISO-8601 duration ({@code PT5S}, as
 * {@link Duration#parse} reads it); and the {@code rate} attribute, whose period is such a duration.
 */
final class Durations {

    /**
     * The units a number may have, and what each stands for: the only list of them, which the patterns below and
     * the messages' {@link #UNIT_NAMES} are made of. In order, shortest first.
     */
    private static final Map<String, ChronoUnit> UNITS = units();
    /** The units as the messages list them: {@code ns, us, µs, ms, s, m, h, d}. */
    static final String UNIT_NAMES = String.join(", ", UNITS.keySet());
    /** One of {@link #UNITS}: a longer unit before any that it starts with ({@code ms} before {@code m}). */
    private static final String UNIT = UNITS.keySet().stream().sorted(Comparator.comparingInt(String::length)
            .reversed()).map(Pattern::quote).collect(Collectors.joining("|", "(", ")"));
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("\\s*(-?\\d+)\\s*" + UNIT + "\\s*");

    /** A rate: starts, a slash, a period whose number may be left out ({@code 50/s}). */
    private static final Pattern RATE = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\S.*)");
    private static final Pattern UNIT_ONLY = Pattern.compile("\\s*" + UNIT + "\\s*");

    /** A rate attribute's two parts: starts per period. */
    record Rate(long permits, Duration per) {
    }

    /** What a number of a unit past the range of a {@code long} or a {@code Duration} stands for. */
    private static final Duration LONGEST = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    private static final Duration SHORTEST = Duration.ofSeconds(Long.MIN_VALUE);

    private Durations() {
    }

    private static Map<String, ChronoUnit> units() {
        Map<String, ChronoUnit> units = new LinkedHashMap<>();
        units.put("ns", ChronoUnit.NANOS);
        units.put("us", ChronoUnit.MICROS);
        units.put("µs", ChronoUnit.MICROS);
        units.put("ms", ChronoUnit.MILLIS);
        units.put("s", ChronoUnit.SECONDS);
        units.put("m", ChronoUnit.MINUTES);
        units.put("h", ChronoUnit.HOURS);
        units.put("d", ChronoUnit.DAYS);
        return Collections.unmodifiableMap(units);
    }

    /**
     * The duration {@code text} denotes, or empty if it is neither form. A number too large for a {@code long}, or
     * a duration past {@link Duration}'s range, is written well enough: it gives the longest duration (the
     * shortest, for a negative number), which every range check then rejects as too long (or negative).
     */
    static Optional<Duration> parse(String text) {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (m.matches()) {
            try {
                return Optional.of(Duration.of(Long.parseLong(m.group(1)), UNITS.get(m.group(2))));
            } catch (NumberFormatException | ArithmeticException outOfRange) { // the pattern admits nothing else
                return Optional.of(m.group(1).startsWith("-") ? SHORTEST : LONGEST);
            }
        }
        String trimmed = text.trim();
        String upper = trimmed.toUpperCase(Locale.ROOT);
        if (upper.startsWith("P") || upper.startsWith("-P")) {
            try {
                return Optional.of(Duration.parse(trimmed));
            } catch (DateTimeParseException e) {
                // a number out of range has a cause; a syntax error has none. With a sign anywhere, which way it
                // is out of range is not worth working out: the text stays "not a duration"
                return e.getCause() != null && trimmed.indexOf('-') < 0 ? Optional.of(LONGEST) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The rate {@code text} denotes ({@code 50/s}, {@code 3/250ms}, {@code 5/PT10S}), or empty if it is not of
     * that form; its values are not range-checked here (a number past the range of a {@code long} is the largest
     * one, as in {@link #parse}).
     */
    static Optional<Rate> parseRate(String text) {
        Matcher m = RATE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long parsed;
        try {
            parsed = Long.parseLong(m.group(1));
        } catch (NumberFormatException outOfRange) { // digits only: more starts than any period can schedule
            parsed = Long.MAX_VALUE;
        }
        long permits = parsed;
        String period = m.group(2);
        Optional<Duration> per = UNIT_ONLY.matcher(period).matches() ? parse("1" + period.trim()) : parse(period);
        return per.map(d -> new Rate(permits, d));
    }
}
