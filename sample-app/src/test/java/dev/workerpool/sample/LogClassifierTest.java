package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link LogClassifier}'s rules on lines a log may hold, long ones included. */
class LogClassifierTest {

    /**
     * A long line classifies in time linear in its length. The "select ... from" rule used to be a regular
     * expression tried again at every later word, so a line of many {@code select}s (an HTML form logged whole,
     * say) took time quadratic in its length: minutes for a line of a megabyte, with a worker stuck on it.
     */
    @Test
    void aLongLineOfManySelectsClassifiesInLinearTime() {
        String selects = "<select name=a> ".repeat(100_000); // 1.6 MB
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertEquals(LogClassifier.Category.OTHER, LogClassifier.category("INFO " + selects));
            assertEquals(LogClassifier.Category.DB, LogClassifier.category("INFO " + selects + "from t"));
            assertEquals(LogClassifier.Category.AUTH, LogClassifier.category("INFO " + selects + "from t login"));
        });
    }

    /** The rules as one regular expression, as the README states them: the reference for the classifier. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(?:"
            + "(?<auth>auth\\w*|oauth2?|log(?:in|out)|passwords?|credentials?|tokens?|sessions?|unauthori[sz]ed"
            + "|forbidden|permission denied)"
            + "|(?<db>sql\\w*|jdbc|database|db|deadlock|transactions?|rollback|commit|query|insert into|delete from"
            + "|select\\b.*\\bfrom)"
            + "|(?<http>(?:get|post|put|delete|patch|head|options) /|http/\\d|https?://|status[=: ]+[1-5]\\d\\d|http)"
            + ")\\b");

    /** The first rule, in rule order, that the reference matches anywhere in the line. */
    private static LogClassifier.Category reference(String line) {
        Matcher m = REFERENCE.matcher(line.toLowerCase(java.util.Locale.ROOT));
        LogClassifier.Category best = LogClassifier.Category.OTHER;
        for (boolean found = m.find(); found; found = m.find(m.start() + 1)) {
            LogClassifier.Category c = m.start("auth") >= 0 ? LogClassifier.Category.AUTH
                    : m.start("db") >= 0 ? LogClassifier.Category.DB : LogClassifier.Category.HTTP;
            if (c.compareTo(best) < 0) {
                best = c;
            }
        }
        return best;
    }

    /** Random short lines of the rules' words and near misses: the classifier agrees with the reference. */
    @Test
    void shortLinesClassifyAsTheReferenceRulesSay() {
        String[] words = {"select", "SELECT", "from", "From", "selectfrom", "select_x", "xselect", "fromage", "*",
            "name", "token", "tokens", "db", "dbs", "get", "/", "GET /x", "http", "https://a", "status=503",
            "status 42", "insert", "into", "\u2028", "\u0085", "login", "log", "in", "sql1", "query", "a-from",
            "from-b", ",", "  ", "\t", "é", "select.from"};
        Random random = new Random(21);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder();
            int n = 1 + random.nextInt(7);
            for (int k = 0; k < n; k++) {
                line.append(words[random.nextInt(words.length)]);
                if (random.nextInt(4) != 0) {
                    line.append(' ');
                }
            }
            String text = line.toString();
            assertEquals(reference(text), LogClassifier.category(text), () -> "[" + text + "]");
        }
    }
}
