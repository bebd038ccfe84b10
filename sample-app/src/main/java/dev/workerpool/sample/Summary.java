package dev.workerpool.sample;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A two-column table printed at the end of a command. */
final class Summary {
    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Summary(String title) {
        this.title = title;
    }

    Summary row(String name, String format, Object... args) {
        rows.add(new String[] {name, String.format(Locale.ROOT, format, args)});
        return this;
    }

    void print(PrintWriter out) {
        printHeading(out);
        printRows(out);
    }

    /** The table's first three lines: a rule, the title, a rule; flushed. The same widths as {@link #printRows}. */
    void printHeading(PrintWriter out) {
        String rule = rule();
        out.println(rule);
        out.printf(Locale.ROOT, "| %-" + (left() + right() + 3) + "s |%n", title);
        out.println(rule);
        out.flush();
    }

    /** The rest of the table after {@link #printHeading}: a line per row, a rule; flushed. */
    void printRows(PrintWriter out) {
        for (String[] row : rows) {
            out.printf(Locale.ROOT, "| %-" + left() + "s | %" + right() + "s |%n", row[0], row[1]);
        }
        out.println(rule());
        out.flush();
    }

    private int left() {
        int left = 0;
        for (String[] row : rows) {
            left = Math.max(left, row[0].length());
        }
        return left;
    }

    private int right() {
        int right = 0;
        for (String[] row : rows) {
            right = Math.max(right, row[1].length());
        }
        return Math.max(right, title.length() - left() - 3); // a long title widens the value column
    }

    private String rule() {
        return "+" + "-".repeat(left() + 2) + "+" + "-".repeat(right() + 2) + "+";
    }

    /**
     * A size in the unit that fits: bytes below 1,000 ({@code 999 B}), then kilobytes ({@code 12.3 kB}) below
     * 999,950 bytes, then megabytes ({@code 1.0 MB}); decimal units, as {@link #megabytes} has them.
     */
    static String bytes(long bytes) {
        if (bytes < 1_000) {
            return String.format(Locale.ROOT, "%d B", bytes);
        }
        return bytes < 999_950 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3) : megabytes(bytes);
    }

    /**
     * A time in the unit that fits: milliseconds below a second ({@code 0.50 ms} below one, {@code 170 ms}
     * above), then seconds to two decimals ({@code 2.35 s}).
     */
    static String time(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        long millis = Math.round(nanos / 1e6);
        return millis < 1_000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
