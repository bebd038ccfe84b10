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
import java.util.Map;
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
        List<String> digests = run.out().lines().filter(l -> !l.startsWith("+") && !l.startsWith("|"))
                .sorted().toList();
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
            "import, --chunk, 0, '--chunk must be between 1 and 100,000, was 0'",
            "import, --chunk, 2000000000, '--chunk must be between 1 and 100,000, was 2000000000'",
            "import, --rows, -1, '--rows must be between 0 and 10,000,000, was -1'",
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

    /** Help text as a terminal of any width shows it: every run of whitespace one space. */
    private static String fold(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    @Test
    void theCommandListShowsEachCommandsWholeDescription() {
        Run help = run("--help");
        assertEquals(0, help.code(), help.err());
        String flowing = fold(help.out());
        assertTrue(flowing.contains("import Import a CSV of students (id,name,email,grade) into an embedded H2 "
                + "database, all or nothing, with W worker threads, each on its own connection."), help.out());
        Map<String, CommandLine> commands = DemoApp.commandLine().getSubcommands();
        assertEquals(List.of("hash", "import", "basics", "classify", "thumbs", "scrape", "serve"),
                List.copyOf(commands.keySet()));
        for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
            String whole = fold(String.join(" ", command.getValue().getCommandSpec().usageMessage().description()));
            assertTrue(flowing.contains(command.getKey() + " " + whole),
                    command.getKey() + ": the whole description, \"" + whole + "\", in\n" + help.out());
            Run own = run(command.getKey(), "--help");
            assertTrue(fold(own.out()).contains(whole), own.out());
        }
        Run importHelp = run("import", "--help");
        assertTrue(importHelp.out().replaceAll("\\s+", " ").contains("all or nothing, with W worker threads"),
                importHelp.out());
    }

    @Test
    void theProgramsDescriptionIsWholeAndFilledAsOneParagraph() {
        CommandLine cli = DemoApp.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--help"));
        String help = out.toString();
        assertTrue(fold(help).contains("Real work done by worker pools that @WorkerPool generated at compile time. "
                + "With no command: hash this JDK's files, import a generated sample of students, classify a "
                + "generated log, make thumbnails of generated images and scrape a web site it starts on "
                + "127.0.0.1."), help);
        // The lines between the usage line and the options: each one full, that is, the next line's first word
        // would not have fitted on it (whatever the width picocli uses here).
        List<String> lines = help.lines().toList();
        int options = 0;
        while (options < lines.size() && !lines.get(options).strip().startsWith("-h, --help")) {
            options++;
        }
        List<String> description = lines.subList(1, options);
        assertFalse(description.isEmpty(), help);
        int width = cli.getUsageHelpWidth();
        for (int i = 0; i + 1 < description.size(); i++) {
            String nextWord = description.get(i + 1).strip().split(" ")[0];
            assertTrue(description.get(i).stripTrailing().length() + 1 + nextWord.length() > width - 1,
                    "line " + (i + 1) + " of the description is cut short (width " + width + "):\n" + help);
        }
    }

    @Test
    void theExitCodeListHasEveryLine() {
        Run help = run("--help");
        String flowing = fold(help.out());
        assertEquals("Exit codes: "
                + "0 success "
                + "1 some input failed: import found a bad row (nothing was imported), thumbs skipped an "
                + "image or could not read a directory (the others were written), scrape had a "
                + "URL fail (4xx, 5xx, network error or timeout), or stdout could not be written (one line says "
                + "why) "
                + "2 bad input or options "
                + "3 internal error: the command failed unexpectedly (import's commit among such failures); one "
                + "line names the exception "
                + "141 stdout was closed by its reader (such as head): the command stopped, silently, as a command "
                + "killed by SIGPIPE (but for a line from import if it had committed its rows already)",
                flowing.substring(flowing.indexOf("Exit codes:")), help.out());
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
        assertEquals("workerpool-demo import: CSV file not found: " + dir.resolve("missing.csv"),
                missing.err().strip());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fresh-db"))
                    .toList());
        }
    }

    // --- i. a database that cannot be opened; an unexpected failure ------------------------------------------

    private Path goodCsv() throws IOException {
        return Files.write(dir.resolve("good.csv"),
                List.of("id,name,email,grade", "1,Ada,ada@example.edu,90", "2,Alan,alan@example.edu,85"));
    }

    /** The program as a user runs it: a JVM of its own, so that whatever anything prints on System.err is seen. */
    private static Run runInItsOwnJvm(Path workingDirectory, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                DemoApp.class.getName()));
        command.addAll(List.of(args));
        Path out = workingDirectory.resolve("stdout.txt");
        Path err = workingDirectory.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "the demo did not end");
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aDatabaseThatCannotBeCreatedIsOneLineAndExitCodeTwo() throws Exception {
        Path good = goodCsv();
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "not a directory");
        Path database = notADirectory.resolve("db");
        Path work = Files.createDirectories(dir.resolve("work"));
        Run run = runInItsOwnJvm(work, "import", good.toString(), "--database", database.toString());
        assertEquals(2, run.code(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().strip().lines().count(), "one line, no stack trace:\n" + run.err());
        assertTrue(run.err().startsWith("workerpool-demo import: cannot open the database " + database + ": "),
                run.err());
        assertTrue(run.err().strip().endsWith(": " + notADirectory + ": not a directory"), "the reason:\n" + run.err());
    }

    @Test
    void anUnexpectedFailureOfACommandIsOneLineAndExitCodeThree() throws Exception {
        Path database = dir.resolve("other-schema");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:" + database.toAbsolutePath());
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE students (name VARCHAR(100))"); // a database the import did not make
        }
        Run run = run("import", goodCsv().toString(), "--database", database.toString());
        assertEquals(3, run.code(), run.err());
        List<String> err = run.err().lines().toList();
        assertEquals(2, err.size(), "the progress, then one line, no stack trace:\n" + run.err());
        assertEquals("import: 2 of 2 rows (100%)", err.get(0)); // the rows were staged; the merge failed
        assertTrue(err.get(1).startsWith("workerpool-demo import: internal error: "), run.err());
        assertTrue(err.get(1).contains("Column \"ID\" not found"), run.err());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:" + database.toAbsolutePath());
                java.sql.ResultSet tables = c.getMetaData().getTables(null, null, "STUDENTS%", null)) {
            assertTrue(tables.next());
            assertEquals("STUDENTS", tables.getString("TABLE_NAME"));
            assertFalse(tables.next(), "the staging table is gone");
        }
    }

    @Test
    void anExceptionWithAMultiLineMessageOrAnErrorIsStillOneLine() {
        assertEquals("workerpool-demo boom: internal error: IllegalStateException: first line",
                runFailing(new IllegalStateException("first line\nsecond line\n\tat somewhere")));
        // An Error is not an Exception: picocli lets it through, stack trace and all, unless the app catches it.
        assertEquals("workerpool-demo boom: internal error: OutOfMemoryError: Java heap space",
                runFailing(new OutOfMemoryError("Java heap space")));
    }

    /** Runs a command that throws {@code failure}; expects exit code 3 and returns what it printed on stderr. */
    private static String runFailing(Throwable failure) {
        CommandLine cli = DemoApp.commandLine();
        cli.addSubcommand("boom", new CommandLine(new Boom(failure)));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(3, cli.execute("boom"), err.toString());
        return err.toString().strip();
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements java.util.concurrent.Callable<Integer> {
        private final Throwable failure;

        Boom(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Error e) {
                throw e;
            }
            throw (Exception) failure;
        }
    }

    // --- j. nothing left behind by a rejected or failed import ---------------------------------------------------

    @Test
    void tooManyWorkersIsRejectedBeforeAnythingIsWritten() throws IOException {
        Path sample = Path.of("students-sample.csv"); // where the import writes its generated sample
        boolean sampleBefore = Files.exists(sample);
        Object sampleStamp = sampleBefore ? Files.getLastModifiedTime(sample) + "/" + Files.size(sample) : null;
        Path database = dir.resolve("x").resolve("w100k");
        Run run;
        try {
            run = run("import", "--workers", "100000", "--rows", "10", "--database", database.toString());
        } finally {
            if (!sampleBefore) {
                Files.deleteIfExists(sample);
            }
        }
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("workerpool-demo import: StudentImporterInsertPool: workers = 100000 would start that many "
                + "platform threads; the limit is 10000", run.err().strip());
        assertEquals("", run.out(), "no sample generated");
        assertFalse(Files.exists(dir.resolve("x")), "no database, not even its directory");
        if (sampleBefore) {
            assertEquals(sampleStamp, Files.getLastModifiedTime(sample) + "/" + Files.size(sample),
                    "the sample file is untouched");
        }
    }

    @Test
    void aFailedImportIntoANewDatabaseLeavesNoDatabase() throws Exception {
        Path bad = Files.write(dir.resolve("bad.csv"),
                List.of("id,name,email,grade", "1,Ada,ada@example.edu,90", "2,Alan,alan@example.edu,101"));
        Path database = dir.resolve("new").resolve("db");
        Run run = run("import", bad.toString(), "--database", database.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("line 3: grade must be between 0 and 100"), run.err());
        assertTrue(run.err().contains("the database is unchanged"), run.err());
        assertFalse(Files.exists(dir.resolve("new")), "the database this run created is gone, and its directory");

        // An existing database stays, unchanged.
        Path existing = dir.resolve("existing");
        assertEquals(0, run("import", goodCsv().toString(), "--database", existing.toString()).code());
        assertEquals(1, run("import", bad.toString(), "--database", existing.toString()).code());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:" + existing.toAbsolutePath())) {
            assertEquals(2, ImportCommand.count(c, "students"));
        }
    }

    // --- k. plain progress (logs, pipes, CI) ends at the total -------------------------------------------------

    @Test
    void plainProgressEndsWithALineAtTheTotal() throws IOException {
        Progress.terminal = () -> null;
        StringWriter lines = new StringWriter();
        try (Progress progress = Progress.start("hash", "files", 308, new PrintWriter(lines, true))) {
            for (int i = 0; i < 308; i++) {
                progress.step(1);
            }
        }
        List<String> printed = lines.toString().lines().toList();
        assertFalse(printed.isEmpty(), "a final line");
        assertEquals("hash: 308 of 308 files (100%)", printed.get(printed.size() - 1));

        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(tree.resolve("f" + i), "x".repeat(i));
        }
        Run hash = run("hash", tree.toString());
        assertEquals(0, hash.code(), hash.err());
        assertEquals(List.of("hash: 3 of 3 files (100%)"), hash.err().lines().toList());
        Run quiet = run("hash", tree.toString(), "--quiet");
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.err(), "--quiet: the summary only");
    }

    /**
     * hash walks the tree while it hashes, so its progress starts without a total: plain lines count the files
     * found so far, and the last line, once the walk has ended, has the total; on a terminal, an indefinite bar
     * ends at 100% with the total.
     */
    @Test
    void progressWithATotalNotKnownYetCountsTheFilesFoundSoFar() {
        Progress.terminal = () -> null;
        StringWriter lines = new StringWriter();
        try (Progress progress = Progress.start("hash", "files", -1, new PrintWriter(lines, true))) {
            progress.total(5, false);
            progress.step(2);
        }
        try (Progress progress = Progress.start("hash", "files", -1, new PrintWriter(lines, true))) {
            progress.total(5, false);
            progress.step(2);
            progress.total(1_007, true);
            progress.step(1_005);
        }
        assertEquals(List.of("hash: 2 of 5 files found so far", "hash: 1,007 of 1,007 files (100%)"),
                lines.toString().lines().toList());

        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
        Progress.terminal = () -> new Progress.Terminal(terminal, 100, Duration.ofHours(1));
        try (Progress progress = Progress.start("hash", "files", -1, new PrintWriter(terminal, true))) {
            progress.total(2, false);
            progress.step(1);
            progress.total(3, true);
            progress.step(2);
        }
        String output = screen.toString(StandardCharsets.UTF_8);
        List<String> shown = screenLines(output);
        assertTrue(shown.get(shown.size() - 1).matches("hash 100% \\[=+\\] 3/3 files .*"), output);
    }

    // --- l. blank lines in a CSV do not shift the line numbers a bad row is named by ---------------------------

    @Test
    void aBadRowAfterBlankLinesIsNamedByItsLineInTheFile() throws Exception {
        Path constraint = Files.write(dir.resolve("blank-lines.csv"), List.of("id,name,email,grade",
                "1,Ada,ada@example.edu,90", "", "   ", "2,Alan,alan@example.edu,101"));
        Run run = run("import", constraint.toString(), "--database", dir.resolve("db").toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains(": line 5: grade must be between 0 and 100."), run.err());

        Path duplicate = Files.write(dir.resolve("blank-dup.csv"), List.of("id,name,email,grade",
                "1,Ada,ada@example.edu,90", "", "1,Alan,alan@example.edu,85"));
        Run dup = run("import", duplicate.toString(), "--database", dir.resolve("db").toString());
        assertEquals(1, dup.code(), dup.err());
        assertTrue(dup.err().contains(": line 4: " + ImportCommand.DUPLICATE_IN_FILE + " (line 2)."), dup.err());

        Path good = Files.write(dir.resolve("blank-good.csv"), List.of("id,name,email,grade", "",
                "1,Ada,ada@example.edu,90", "", "2,Alan,alan@example.edu,85", ""));
        Run imported = run("import", good.toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.out().matches("(?s).*\\| rows imported\\s+\\|\\s+2 \\|.*"), imported.out());
    }

    // --- m. a CSV without a header line: its first line is data, and the progress counts it -------------------

    @Test
    void aCsvWithoutAHeaderIsImportedWithTheRightTotalInItsProgress() throws Exception {
        Path noHeader = Files.write(dir.resolve("no-header.csv"), List.of("1,Ada,ada@example.edu,90",
                "2,Alan,alan@example.edu,85"));
        Run run = run("import", noHeader.toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("import: 2 of 2 rows (100%)"), run.err().lines().toList());
        assertTrue(run.out().matches("(?s).*\\| rows imported\\s+\\|\\s+2 \\|.*"), run.out());
    }

    // --- n. a CSV saved with a byte-order mark (Excel's "CSV UTF-8") ------------------------------------------

    @Test
    void aCsvWithAByteOrderMarkIsImportedAsIfItHadNone() throws Exception {
        Path withBom = Files.writeString(dir.resolve("excel.csv"),
                "\uFEFFid,name,email,grade\r\n1,Ada,ada@example.edu,90\r\n2,Alan,alan@example.edu,85\r\n");
        Run run = run("import", withBom.toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("import: 2 of 2 rows (100%)"), run.err().lines().toList());

        Path dataFirst = Files.writeString(dir.resolve("excel-no-header.csv"), "\uFEFF3,Grace,grace@example.edu,95\n");
        Run noHeader = run("import", dataFirst.toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, noHeader.code(), noHeader.err());
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
            assertEquals(3, ImportCommand.count(c, "students"));
        }
    }

    // --- o. a CSV that is not UTF-8 --------------------------------------------------------------------------

    @Test
    void aCsvThatIsNotUtf8IsNamedAsSuchAndCreatesNoDatabase() throws Exception {
        Path latin1 = Files.write(dir.resolve("latin1.csv"),
                "id,name,email,grade\n1,Ren\u00e9,rene@example.edu,90\n".getBytes(StandardCharsets.ISO_8859_1));
        Run run = run("import", latin1.toString(), "--database", dir.resolve("db").toString());
        assertEquals(2, run.code(), run.err());
        assertEquals("workerpool-demo import: cannot read CSV file: " + latin1 + " (it is not UTF-8)",
                run.err().strip());
        assertFalse(Files.exists(dir.resolve("db.mv.db")));
    }

    // --- p. a huge --rows is refused before anything is written -----------------------------------------------

    /**
     * {@code --rows 2147483647} would write a sample of some 100 GB into the working directory (and its ids would
     * pass the largest INT): refused up front, with nothing written. In a JVM of its own, in a directory of its
     * own, ended after 60 s if it does not end by itself.
     */
    @Test
    void aHugeRowCountIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), DemoApp.class.getName(),
                "import", "--rows", "2147483647"));
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve("stdout.txt").toFile()).redirectError(work.resolve("stderr.txt").toFile())
                .start();
        process.getOutputStream().close();
        try {
            assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS),
                    "still running after 60 s: writing the sample? " + Files.size(work.resolve("stdout.txt")));
        } finally {
            process.destroyForcibly();
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(2, process.exitValue(), Files.readString(work.resolve("stderr.txt")));
        assertEquals("workerpool-demo import: --rows must be between 0 and 10,000,000, was 2147483647",
                Files.readString(work.resolve("stderr.txt")).strip());
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of("stderr.txt", "stdout.txt"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no sample, no database");
        }
    }

    // --- q. a reader that dies of anything but an I/O error fails the import -----------------------------------

    /**
     * The thread that reads the CSV into chunks runs out of memory (30 lines of 3,000,000 characters, read one at
     * a time to count them, but 500 to a chunk, in a 64 MB heap): the import fails with one line, not a stack
     * trace, and imports nothing. It used to end "successfully" with the rows submitted before the reader died
     * (none here), exit code 0.
     */
    @Test
    void aReaderThatRunsOutOfMemoryFailsTheImportWithOneLine() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path csv = work.resolve("long-lines.csv");
        try (var writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            writer.write("id,name,email,grade\n");
            String name = "n".repeat(3_000_000);
            for (int i = 1; i <= 30; i++) {
                writer.write(i + "," + name + ",s" + i + "@example.edu,50\n");
            }
        }
        Run run = Cli.inChild(work, Duration.ofMinutes(2), Cli.childCommand(List.of("-Xmx64m"),
                "import", csv.toString(), "--database", work.resolve("db").toString()));
        String err = run.err();
        assertEquals(2, run.code(), run.out() + err);
        assertFalse(err.contains("\tat "), "no stack trace:\n" + err);
        List<String> messages = err.lines().filter(l -> !l.startsWith("import: ")).toList(); // not progress lines
        assertEquals(List.of("workerpool-demo import: reading " + csv + " failed: OutOfMemoryError (Java heap space)"),
                messages, err);
        assertFalse(Files.exists(work.resolve("db.mv.db")), "nothing imported: the database this run made is gone");
    }

    // --- r. hash follows a link only to a regular file ---------------------------------------------------------

    /**
     * A link to a named pipe or to a device ({@code /dev/zero}) is not a file to hash: reading it never ends (the
     * pipe has no writer, the device no end), and it hung the whole run. It is skipped, as the pipe itself is; a
     * link to a regular file is hashed, and a dangling link is still reported. In a JVM of its own, ended after
     * 60 s if it hangs.
     */
    @Test
    void hashSkipsLinksToPipesAndDevicesInsteadOfHanging() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "mkfifo and /dev/zero: Linux");
        Path tree = Files.createDirectories(dir.resolve("special"));
        Files.writeString(tree.resolve("a.txt"), "hello");
        Process mkfifo = new ProcessBuilder("mkfifo", tree.resolve("pipe").toString()).start();
        assertTrue(mkfifo.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Files.createSymbolicLink(tree.resolve("link-to-pipe"), tree.resolve("pipe"));
        Files.createSymbolicLink(tree.resolve("zero"), Path.of("/dev/zero"));
        Files.createSymbolicLink(tree.resolve("link-to-a"), tree.resolve("a.txt"));
        Files.createSymbolicLink(tree.resolve("dangling"), tree.resolve("missing"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Run run = Cli.inChild(work, Duration.ofSeconds(60),
                Cli.childCommand(List.of(), "hash", tree.toString(), "--ordered"));
        String out = run.out();
        String err = run.err();
        assertEquals(0, run.code(), out + err);
        String hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        assertEquals(List.of(hello + "  a.txt", hello + "  link-to-a"),
                out.lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).sorted().toList(), out);
        assertTrue(out.matches("(?s).*\\| files\\s+\\|\\s+3 \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| errors\\s+\\|\\s+1 \\|.*"), out);
        assertTrue(err.contains("unreadable: " + tree.resolve("dangling")), err);
    }

    // --- s. a CSV from a pipe ----------------------------------------------------------------------------------

    /**
     * {@code import <(gunzip -c students.csv.gz)}: the CSV is a pipe, which can be read once, and the import reads
     * its file twice (to count the rows, then to import them): it imported nothing and said so with exit code 0.
     * It is refused up front, with one line, and no database is made.
     */
    @Test
    void aCsvThatIsAPipeIsRefusedNotImportedAsEmpty() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash's process substitution");
        Path work = Files.createDirectories(dir.resolve("work"));
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + javaCommand + "' -cp '" + System.getProperty("java.class.path") + "' "
                + DemoApp.class.getName() + " import <(printf 'id,name,email,grade\\n1,Ada,ada@example.edu,90\\n') "
                + "--database db";
        Run run = Cli.inChild(work, Duration.ofMinutes(2), List.of("/bin/bash", "-c", command));
        String out = run.out();
        String err = run.err();
        assertEquals(2, run.code(), out + err);
        assertEquals("", out);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("workerpool-demo import: CSV file is not a regular file: /\\S+ \\(a pipe cannot be read "
                + "twice, to count its rows and then import them: save it to a file first\\)\\s*"), err);
        assertFalse(Files.exists(work.resolve("db.mv.db")), "no database");
    }
}
