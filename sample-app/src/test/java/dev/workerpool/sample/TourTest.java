package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The no-argument tour, the README's run command: hash, import (into {@code ./workerpool-demo-db}, from a generated
 * {@code students-sample.csv}; both removed here afterwards unless they were there before), classify, thumbs and
 * scrape of the loopback demo site; it succeeds and leaves those two files behind, and nothing else (the README
 * says so).
 */
class TourTest {

    @Test
    void theTourRunsEveryCommandAndCleansUp() throws Exception {
        try (var existing = Files.list(Path.of(""))) {
            assertFalse(existing.anyMatch(p -> p.getFileName().toString().startsWith("workerpool-demo-tour")),
                    "no tour directory before");
        }
        Path db = Path.of("workerpool-demo-db.mv.db");
        Path csv = Path.of("students-sample.csv");
        boolean dbBefore = Files.exists(db);
        boolean csvBefore = Files.exists(csv);
        java.util.Set<String> before = names();
        Cli.Run run;
        java.util.Set<String> added;
        try {
            run = Cli.run();
            added = names();
            added.removeAll(before);
        } finally {
            if (!dbBefore) {
                Files.deleteIfExists(db);
                Files.deleteIfExists(Path.of("workerpool-demo-db.trace.db"));
            }
            if (!csvBefore) {
                Files.deleteIfExists(csv);
            }
        }
        String text = run.out() + run.err(); // classify's summary goes to stderr
        assertEquals(0, run.code(), text);
        java.util.Set<String> expected = new java.util.TreeSet<>();
        if (!dbBefore) {
            expected.add(db.toString());
        }
        if (!csvBefore) {
            expected.add(csv.toString());
        }
        assertEquals(expected, added, "what the README says the tour leaves in the working directory");
        assertTrue(text.contains("| hash "), text);
        assertTrue(text.contains("| import "), text);
        // classify printed its first lines, classified, in input order, then its summary
        assertTrue(text.matches("(?s).*\\nINFO  http  2026-12-05T10:00:00\\.000 INFO  \\[worker-1\\] "
                + "GET /api/orders/1000 .*\\nINFO  auth  2026-12-05T10:00:00\\.001 .*"
                + "\\n\\.\\.\\. and the other lines, in input order\\n.*"), text);
        assertRow(text, "lines", "100,000");
        assertRow(text, "thumbnails written", "16");
        assertTrue(text.contains("started a web site on http://127.0.0.1:"), text);
        // scrape: every kind of outcome the demo site has, the busy page retried once
        assertTrue(text.contains("| scrape 12 URLs"), text);
        assertRow(text, "2xx", "9");
        assertRow(text, "4xx / 5xx", "2");
        assertRow(text, "timed out", "1");
        assertRow(text, "failed", "0");
        assertRow(text, "redirects followed", "1");
        assertRow(text, "retries (429 / 503)", "1");
        try (var left = Files.list(Path.of(""))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("workerpool-demo-tour")),
                    "the tour removed its directory");
        }
    }

    /** The names in the working directory. */
    private static java.util.Set<String> names() throws java.io.IOException {
        try (var files = Files.list(Path.of(""))) {
            return files.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    private static void assertRow(String text, String name, String value) {
        assertTrue(text.matches("(?s).*\\| \\Q" + name + "\\E +\\| +\\Q" + value + "\\E \\|.*"),
                "a summary row " + name + " = " + value + " in\n" + text);
    }

    /**
     * In a working directory where no file can be made ({@code /proc}, even for root), the tour cannot make its
     * inputs: that is said in one line naming the directory, exit code 2, not reported as an internal error.
     */
    @Test
    void aWorkingDirectoryWhereNothingCanBeWrittenIsOneLineNotAnInternalError() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux's /proc");
        Cli.Run run = Cli.inChild(Path.of("/proc"), java.time.Duration.ofMinutes(3),
                Cli.childCommand(java.util.List.of()));
        String errors = run.err();
        assertEquals(2, run.code(), errors);
        assertFalse(errors.contains("internal error"), errors);
        assertFalse(errors.contains("\tat "), errors);
        java.util.List<String> lines = errors.strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("workerpool-demo: cannot make the tour's files in the "
                + "working directory, /proc: "), errors);
    }
}
