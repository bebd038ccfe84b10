package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies log lines by level and category with regular expressions. The rules, in full:
 *
 * <ul>
 *   <li><b>Level</b>: the first of the whole upper-case words FATAL, CRITICAL, ERROR, WARN, WARNING, INFO, DEBUG,
 *       TRACE in the line; FATAL and CRITICAL count as ERROR, WARNING as WARN; a line with none of them is
 *       {@code -}.</li>
 *   <li><b>Category</b>: the first rule that matches, in this order (case-insensitive, whole words):
 *       <b>auth</b> (auth..., oauth, login, logout, password, credential(s), token, session, unauthorized,
 *       forbidden, permission denied); <b>db</b> (sql..., jdbc, database, db, deadlock, transaction, rollback,
 *       commit, query, "insert into", "delete from", "select ... from"); <b>http</b> (an HTTP method followed by a
 *       path, HTTP/1.1, http:// or https://, "status 404", the word http); else <b>other</b>.</li>
 * </ul>
 *
 * The rule that matches anywhere in the line decides, in rule order, not the leftmost match. Case-insensitive
 * here means ASCII letters only. Stateless and thread-safe ({@link Pattern}s are; each call makes its own
 * {@link Matcher}s).
 */
public final class LogClassifier {
    private LogClassifier() {}

    /** Levels in output order; {@code NONE} prints as {@code -}. */
    enum Level { ERROR, WARN, INFO, DEBUG, TRACE, NONE }

    /** Categories, in the order their rules are tried. */
    enum Category { AUTH, DB, HTTP, OTHER }

    private static final Pattern LEVEL =
            Pattern.compile("\\b(FATAL|CRITICAL|ERROR|WARN|WARNING|INFO|DEBUG|TRACE)\\b");
    // The three category rules in one pattern, so that a line is scanned once, not three times; tried on the line
    // in lower case (ASCII-only lower-casing is cheaper than case-insensitive matching).
    private static final Pattern CATEGORY = Pattern.compile("\\b(?:"
            + "(?<auth>auth\\w*|oauth2?|log(?:in|out)|passwords?|credentials?|tokens?|sessions?|unauthori[sz]ed"
            + "|forbidden|permission denied)"
            + "|(?<db>sql\\w*|jdbc|database|db|deadlock|transactions?|rollback|commit|query|insert into|delete from)"
            + "|(?<http>(?:get|post|put|delete|patch|head|options) /|http/\\d|https?://|status[=: ]+[1-5]\\d\\d|http)"
            + ")\\b");

    static Level level(String line) {
        Matcher m = LEVEL.matcher(line);
        if (!m.find()) {
            return Level.NONE;
        }
        return switch (m.group(1)) {
            case "FATAL", "CRITICAL", "ERROR" -> Level.ERROR;
            case "WARN", "WARNING" -> Level.WARN;
            case "INFO" -> Level.INFO;
            case "DEBUG" -> Level.DEBUG;
            default -> Level.TRACE;
        };
    }

    /**
     * The words of the db rule "select ... from", and the characters that {@code .} does not match (line
     * terminators), which end a "select ... from".
     */
    private static final Pattern SELECT_FROM = Pattern.compile("\\b(select|from)\\b|[\\n\\r\\u0085\\u2028\\u2029]");

    /**
     * Whether the lower-cased line has a whole word "select" followed by a whole word "from" with no line terminator
     * between: the regular expression {@code \bselect\b.*\bfrom\b}, in one pass. As part of {@link #CATEGORY},
     * that expression was tried at each later match and scanned to the end of the line each time: quadratic in
     * the line's length on a line of many "select"s.
     */
    private static boolean selectFrom(String lower) {
        Matcher m = SELECT_FROM.matcher(lower);
        boolean select = false;
        while (m.find()) {
            if (m.group(1) == null) {
                select = false; // a line terminator
            } else if (m.group(1).equals("select")) {
                select = true;
            } else if (select) {
                return true;
            }
        }
        return false;
    }

    static Category category(String line) {
        String lower = asciiLowerCase(line);
        Matcher m = CATEGORY.matcher(lower);
        Category best = Category.OTHER;
        // Every position is tried (find(start + 1), not find()): a db match such as "delete from sessions" must not
        // hide the auth word inside it. The first rule in order that matches anywhere wins ("select ... from",
        // one of the db rule's, is checked apart, in one pass: see selectFrom).
        for (boolean found = m.find(); found; found = m.find(m.start() + 1)) {
            if (m.start("auth") >= 0) {
                return Category.AUTH;
            }
            Category c = m.start("db") >= 0 ? Category.DB : Category.HTTP;
            if (c.compareTo(best) < 0) {
                best = c;
            }
        }
        return best.compareTo(Category.DB) > 0 && selectFrom(lower) ? Category.DB : best;
    }

    private static String asciiLowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** The output line: level and category in fixed-width columns, then the line as it was. */
    static String label(Level level, Category category, String line) {
        String l = level == Level.NONE ? "-" : level.name();
        String c = category.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder(line.length() + 12).append(l);
        sb.append(" ".repeat(6 - l.length())).append(c).append(" ".repeat(6 - c.length())).append(line);
        return sb.toString();
    }

    /** The sequential classification of one line: what {@code classify} prints for it. */
    static String label(String line) {
        return label(level(line), category(line), line);
    }

    /**
     * Classifies a batch of consecutive lines (one job per batch spreads the hand-off between threads over many
     * lines). {@code ordered}: the results come out in the order the batches were submitted,
     * so the output is in input order without a sequence number or a reorder buffer of our own.
     *
     * @param lines consecutive input lines
     * @return the labelled lines and the counts per level and category
     */
    @WorkerPool(name = "LogClassifierPool", workers = 4, buffer = 16, ordered = true)
    public static Labelled classify(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        int[] levels = new int[Level.values().length];
        int[] categories = new int[Category.values().length];
        for (String line : lines) {
            Level level = level(line);
            Category category = category(line);
            levels[level.ordinal()]++;
            categories[category.ordinal()]++;
            out.add(label(level, category, line));
        }
        return new Labelled(out, levels, categories);
    }

    /**
     * A classified batch.
     *
     * @param lines      the output lines, in input order
     * @param levels     how many lines have each {@link Level}, by ordinal
     * @param categories how many lines have each {@link Category}, by ordinal
     */
    public record Labelled(List<String> lines, int[] levels, int[] categories) {}
}
