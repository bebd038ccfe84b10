package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The no-argument tour, the README's run command: hash, import (into {@code ./workerpool-demo-db}, from a generated
 * {@code students-sample.csv}; both removed here afterwards unless they were there before), classify, thumbs and scrape of the loopback demo site; it succeeds and
 * leaves no tour directory behind.
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
        Cli.Run run;
        try {
            run = Cli.run();
        } finally {
            if (!dbBefore) {
                Files.deleteIfExists(db);
                Files.deleteIfExists(Path.of("workerpool-demo-db.trace.db"));
            }
            if (!csvBefore) {
                Files.deleteIfExists(csv);
            }
        }
        String text = run.out();
        assertEquals(0, run.code(), text + run.err());
        assertTrue(text.contains("| hash "), text);
        assertTrue(text.contains("| import "), text);
        assertTrue(text.contains("classify"), text);
        assertTrue(text.contains("thumbs"), text);
        assertTrue(text.contains("started a web site on http://127.0.0.1:"), text);
        try (var left = Files.list(Path.of(""))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("workerpool-demo-tour")),
                    "the tour removed its directory");
        }
    }
}
