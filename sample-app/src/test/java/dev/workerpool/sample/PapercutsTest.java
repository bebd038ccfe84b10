package dev.workerpool.sample;

import static dev.workerpool.sample.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workerpool.sample.Cli.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The sample app's papercuts: each test failed against the code before its fix. */
class PapercutsTest {

    @TempDir
    Path dir;

    private final Supplier<Progress.Terminal> realTerminal = Progress.terminal;

    @AfterEach
    void restoreTerminal() {
        Progress.terminal = realTerminal;
    }


    /**
     * Runs a command as if on a terminal: the live bar and stderr share one captured stream, as on a screen. The
     * bar is redrawn only when its state changes (the periodic redraw is an hour away).
     */
    private static String runOnTerminal(String... args) {
        return runOnTerminal(0, args);
    }

    private static String runOnTerminal(int expectedCode, String... args) {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Progress.terminal = () -> new Progress.Terminal(terminal, 100, Duration.ofHours(1));
        CommandLine cli = DemoApp.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(terminal, true));
        assertEquals(expectedCode, cli.execute(args));
        terminal.flush();
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** What a terminal shows for this output: a carriage return goes back to column 0, text overwrites. */
    private static List<String> screenLines(String output) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int column = 0;
        for (char c : output.toCharArray()) {
            if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                column = 0;
            } else {
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    // --- a. the README's run commands -------------------------------------------------------------------------

    @Test
    void everyReadmeRunCommandBuildsTheModulesTheAppNeeds() throws IOException {
        // On a fresh machine nothing is installed: exec:java alone cannot resolve workerpool-annotations.
        List<String> commands = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(l -> l.contains("exec:java"))
                .toList();
        assertFalse(commands.isEmpty());
        for (String command : commands) {
            assertTrue(command.contains("-pl sample-app -am package exec:java"), command);
        }
    }

    // --- b. a report while the bar is live --------------------------------------------------------------------

    @Test
    void anUnreadableLineStartsOnALineOfItsOwnAndTheBarIsRedrawnAfterIt() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("good.txt"), "hello");
        Files.createSymbolicLink(tree.resolve("dangling.txt"), tree.resolve("missing-target"));
        String output = runOnTerminal("hash", tree.toString(), "--quiet", "--workers", "1");

        List<String> screen = screenLines(output);
        List<String> reports = screen.stream().filter(l -> l.contains("unreadable:")).toList();
        assertEquals(1, reports.size(), output);
        assertTrue(reports.get(0).startsWith("unreadable: " + tree.resolve("dangling.txt")),
                "the report shares its line with the bar:\n" + reports.get(0));
        String afterReport = output.substring(output.indexOf('\n', output.indexOf("unreadable:")) + 1);
        assertTrue(afterReport.startsWith("\rhash "), "the bar is redrawn at once:\n" + afterReport);
    }

    @Test
    void thumbsReportsASkippedImageOnALineOfItsOwnAndRedrawsTheBar() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 20, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", images.resolve("good.png").toFile());
        Files.writeString(images.resolve("fake.png"), "not an image");
        String output = runOnTerminal(1, "thumbs", images.toString(), "--out", dir.resolve("thumbs").toString(),
                "--width", "10", "--workers", "1");

        List<String> reports = screenLines(output).stream().filter(l -> l.contains("skipped:")).toList();
        assertEquals(1, reports.size(), output);
        assertTrue(reports.get(0).startsWith("skipped: fake.png: "), "the report shares its line with the bar:\n"
                + reports.get(0));
        String afterReport = output.substring(output.indexOf('\n', output.indexOf("skipped:")) + 1);
        assertTrue(afterReport.startsWith("\rthumbs "), "the bar is redrawn at once:\n" + afterReport);
    }

    // --- c. the final state of the bar -------------------------------------------------------------------------

    @Test
    void quietPrintsTheFinalBarOnce() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(tree.resolve("f" + i), "x".repeat(i));
        }
        String output = runOnTerminal("hash", tree.toString(), "--quiet");
        assertEquals(1, output.split("100%", -1).length - 1, "the 100% bar, once:\n" + output.replace("\r", "\\r\n"));
        assertTrue(screenLines(output).get(screenLines(output).size() - 1).contains("3/3 files"), output);
    }

    // --- d. file names as sha256sum writes them ----------------------------------------------------------------

    @Test
    void fileNamesAreEscapedAsSha256sumEscapesThem() throws IOException {
        assumeTrue("/".equals(FileSystems.getDefault().getSeparator()), "names with \\ and newlines: POSIX only");
        Path tree = Files.createDirectories(dir.resolve("names"));
        Files.writeString(tree.resolve("back\\slash"), "a");
        Files.writeString(tree.resolve("new\nline"), "b");
        Files.writeString(tree.resolve("car\rret"), "c");
        Files.writeString(tree.resolve("plain"), "d");
        Run run = run("hash", tree.toString(), "--ordered");
        assertEquals(0, run.code(), run.err());
        // Written by GNU coreutils 9.1's sha256sum for the same four files.
        List<String> expected = List.of(
                "\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  back\\\\slash",
                "\\2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6  car\\rret",
                "\\3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  new\\nline",
                "18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4  plain");
        List<String> digests = run.out().lines().filter(l -> !l.startsWith("+") && !l.startsWith("|")).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), digests, run.out());
    }

    // --- e. and every other option: one line, exit code 2 ------------------------------------------------------

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "basics, --limit, -5, '--limit must be at least 0, was -5'",
            "hash, --workers, 0, '--workers must be at least 1, was 0'",
            "hash, --buffer, -1, '--buffer must be at least 0, was -1'",
            "import, --workers, 0, '--workers must be at least 1, was 0'",
            "import, --buffer, -1, '--buffer must be at least 0, was -1'",
            "import, --chunk, 0, '--chunk must be at least 1, was 0'",
            "import, --rows, -1, '--rows must be at least 0, was -1'",
    })
    void aBadOptionIsOneLineAndExitCodeTwo(String command, String option, String value, String message) {
        Run run = command.equals("import")
                ? run(command, option, value, "--database", dir.resolve("db").toString())
                : run(command, option, value);
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("workerpool-demo " + command + ": " + message, run.err().strip());
        assertFalse(Files.exists(dir.resolve("db.mv.db")), "no database for a rejected command");
    }

    // --- f. the command list -----------------------------------------------------------------------------------

    @Test
    void theCommandListShowsEachCommandsWholeDescription() {
        Run help = run("--help");
        String flowing = help.out().replaceAll("\\s+", " ");
        assertTrue(flowing.contains("import Import a CSV of students (id,name,email,grade) into an embedded H2 "
                + "database, all or nothing, with W worker threads, each on its own connection."), help.out());
        Run importHelp = run("import", "--help");
        assertTrue(importHelp.out().replaceAll("\\s+", " ").contains("all or nothing, with W worker threads"),
                importHelp.out());
    }

    // --- g. the version ----------------------------------------------------------------------------------------

    @Test
    void versionIsThePomsVersion() {
        String pomVersion = System.getProperty("workerpool.version");
        assertNotNull(pomVersion, "the build passes the POM's version to the tests");
        Run version = run("--version");
        assertEquals(0, version.code());
        assertEquals("workerpool-demo " + pomVersion, version.out().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hash", "import", "basics", "classify", "thumbs", "scrape", "serve"})
    void everyCommandsVersionOptionPrintsThePomsVersion(String command) {
        Run version = run(command, "--version");
        assertEquals(0, version.code());
        assertEquals("workerpool-demo " + System.getProperty("workerpool.version"), version.out().strip());
    }

    // --- h. a missing CSV --------------------------------------------------------------------------------------

    @Test
    void importingAMissingCsvCreatesNoDatabase() throws IOException {
        Path database = dir.resolve("fresh-db");
        Run missing = run("import", dir.resolve("missing.csv").toString(), "--database", database.toString());
        assertEquals(2, missing.code());
        assertEquals("workerpool-demo import: CSV file not found: " + dir.resolve("missing.csv"), missing.err().strip());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fresh-db"))
                    .toList());
        }
    }
}
