package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The tour's second half ({@link Tour}) stops at the first step whose output fails: its own line before a step, or
 * the step's. {@code classify} wrote through a wrapper that kept stdout's failures to itself, so it classified the
 * whole log and printed its summary before the tour looked; a failed line before a step did not stop that step.
 */
class TourOutputTest {

    /** A stdout that fails from the write that completes {@code from} on, as a pipe whose reader went away. */
    private static final class FailingFrom extends Writer {
        private final String from;
        private final StringBuilder written = new StringBuilder();
        private boolean failing;

        FailingFrom(String from) {
            this.from = from;
        }

        @Override
        public void write(char[] chars, int off, int len) throws IOException {
            if (!failing) {
                written.append(chars, off, len);
                failing = written.indexOf(from) >= 0;
            }
            if (failing) {
                throw new IOException("Broken pipe");
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** The steps, in order, and what each puts on stderr when it runs (classify's summary, the others' progress). */
    private static final List<String> STEPS = List.of("classify", "thumbs", "scrape");
    private static final List<String> SIGNS = List.of("| classify ", "thumbs", "scrape");

    /**
     * Stdout fails at {@code from}: the tour ends there ({@link OutputClosed}), and neither {@code stopped} nor a
     * later step ran to its end: nothing on stderr shows it (classify's summary after the 100,000 lines, the others'
     * progress and failure). Where a step's own output failed, it says so in one line ({@code said}), its last.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "generated app.log|''|classify",
        "INFO  http  2026-12-05T10:00:00.000|workerpool-demo classify: cannot write to stdout|classify",
        "generated 16 images|''|thumbs",
        "started a web site|''|scrape"})
    void theTourStopsAtTheFirstStepWhoseOutputFails(String from, String said, String stopped) throws Exception {
        try (var existing = Files.list(Path.of(""))) {
            assertFalse(existing.anyMatch(p -> p.getFileName().toString().startsWith("workerpool-demo-tour")),
                    "no tour directory before");
        }
        CommandLine cli = DemoApp.commandLine();
        cli.setOut(new PrintWriter(new FailingFrom(from), true));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs(); // as the tour is run: with no command (picocli's steps need their parent's parse)
        assertThrows(OutputClosed.class, () -> Tour.newCommands(cli));
        String errors = err.toString();
        List<String> lines = errors.lines().toList();
        if (said.isEmpty()) {
            assertFalse(errors.contains("cannot write"), errors);
        } else {
            assertEquals(said, lines.get(lines.size() - 1), errors);
            assertEquals(1, lines.stream().filter(line -> line.contains("cannot write")).count(), errors);
        }
        for (int i = STEPS.indexOf(stopped); i < STEPS.size(); i++) {
            String sign = SIGNS.get(i);
            assertFalse(lines.stream().anyMatch(line -> line.contains(sign) && !line.equals(said)),
                    STEPS.get(i) + " did not run to its end:\n" + errors);
        }
        try (var left = Files.list(Path.of(""))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("workerpool-demo-tour")),
                    "the tour removed its directory");
        }
    }
}
