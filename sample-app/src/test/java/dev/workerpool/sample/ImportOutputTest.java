package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code import} and its stdout: a stdout that is closed ({@code ... | head}) or cannot be written (a full disk)
 * ends it as it ends the other commands (exit code 141, silent; exit code 1, one line), and the database is as it
 * was: the summary's heading is written before the rows are committed, and a failed write rolls them back. It used
 * to never look, import every row and end with exit code 0. What stdout says is true whatever fails: the rows of
 * the summary, which say how many rows are in, come only after the commit.
 */
class ImportOutputTest {

    private static final int BOUND_SECONDS = 60;

    @TempDir
    Path dir;

    private Path database;
    private Path csv;

    /** A database with one student, and a CSV of 2,000 more. */
    @BeforeEach
    void oneStudentAndACsv() throws IOException {
        database = dir.resolve("db");
        Path first = Files.write(dir.resolve("first.csv"), List.of(Student.HEADER, "1,Ada,ada@example.edu,90"));
        Cli.Run run = Cli.run("import", first.toString(), "--database", database.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        List<String> lines = new ArrayList<>(List.of(Student.HEADER));
        for (int id = 2; id <= 2_001; id++) {
            lines.add(ImportCommand.sampleLine(id));
        }
        csv = Files.write(dir.resolve("more.csv"), lines);
    }

    private long students() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + database.toAbsolutePath())) {
            return ImportCommand.count(c, "students");
        }
    }

    /** A stdout whose every write fails, as {@code > /dev/full}: one line, exit code 1, nothing imported. */
    @Test
    void aStdoutThatCannotBeWrittenImportsNothing() throws Exception {
        CommandLine cli = DemoApp.commandLine();
        cli.setOut(new PrintWriter(new Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }, true));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("import", csv.toString(), "--database", database.toString());
        List<String> said = err.toString().lines().filter(line -> !line.startsWith("import: ")).toList();
        assertEquals(List.of("workerpool-demo import: cannot write to stdout"), said, err.toString());
        assertEquals(1, code);
        assertEquals(1, students(), "the database as it was");
    }

    /** A commit that closes the database under it (H2's {@code SHUTDOWN IMMEDIATELY}), then commits: both fail. */
    private static final ImportCommand.Commit SHUTDOWN_AT_COMMIT = c -> {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        }
        c.commit();
    };

    /** Imports {@code csv} into {@code database} with {@code commit} as the merge's commit, then restores it. */
    private Cli.Run importCommittingWith(ImportCommand.Commit commit) throws Exception {
        ImportCommand.commit = commit;
        try {
            return Cli.run("import", csv.toString(), "--database", database.toString());
        } finally {
            ImportCommand.commit = Connection::commit;
        }
    }

    /**
     * A commit that fails (a full disk, say) after the summary's heading was written: stdout says nothing of rows
     * imported, one line on stderr says the commit failed and that nothing was imported, and the database is as it
     * was. The whole summary used to be written before the commit, so stdout reported 2,000 rows imported that
     * were rolled back.
     */
    @Test
    void aCommitThatFailsClaimsNoRowsOnStdout() throws Exception {
        Cli.Run run = importCommittingWith(c -> {
            throw new java.sql.SQLException("No space left on device", "HY000");
        });
        assertEquals(DemoApp.INTERNAL_ERROR, run.code(), run.out() + run.err());
        assertTrue(run.out().lines().noneMatch(line -> line.contains("imported") || line.contains("students in")),
                "no row of the summary on stdout:\n" + run.out());
        assertEquals(List.of("import failed: " + csv + ": the commit failed (SQLException: No space left on device)."
                + " Nothing was imported; the database is unchanged."),
                run.err().lines().filter(line -> !line.startsWith("import: ")).toList(), run.err());
        assertEquals(1, students(), "the database as it was");
    }

    /**
     * A commit that reports a failure but has committed the rows (its acknowledgement lost), into a database this
     * run created: the line says the database holds rows and to check it, so the database stays. It used to be
     * removed as a database this run created for nothing, with the rows the line told the user to check.
     */
    @Test
    void rowsAFailedCommitLeftInANewDatabaseAreKept() throws Exception {
        database = dir.resolve("new-db");
        Cli.Run run = importCommittingWith(c -> {
            c.commit();
            throw new java.sql.SQLException("the acknowledgement was lost", "08006");
        });
        assertEquals(DemoApp.INTERNAL_ERROR, run.code(), run.out() + run.err());
        assertEquals(List.of("import failed: " + csv + ": the commit failed (SQLException: the acknowledgement was"
                + " lost). The database holds 2,000 students, 0 before the import: check it."),
                run.err().lines().filter(line -> !line.startsWith("import: ")).toList(), run.err());
        assertTrue(Files.exists(dir.resolve("new-db.mv.db")), "the database the line tells to check is there");
        assertEquals(2_000, students(), "the rows the commit left in");
    }

    /**
     * {@link #SHUTDOWN_AT_COMMIT}, with the database's file made unreadable before the commit: it cannot be opened
     * again to be asked what it holds.
     */
    private ImportCommand.Commit shutdownAndGarbleAtCommit() {
        return c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY");
            }
            try {
                Files.writeString(Path.of(database.toAbsolutePath() + ".mv.db"), "not a database\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            c.commit();
        };
    }

    /**
     * A commit that fails with the database closed under it, in a database this run created, which cannot be opened
     * again: whether the rows are in cannot be asked, and the line says so; the database stays, for it may hold them.
     * It used to be removed, whatever its commit had done.
     */
    @Test
    void aNewDatabaseWhoseRowsAFailedCommitLeavesUnknownIsKept() throws Exception {
        database = dir.resolve("new-db");
        Cli.Run run = importCommittingWith(shutdownAndGarbleAtCommit());
        assertEquals(DemoApp.INTERNAL_ERROR, run.code(), run.out() + run.err());
        List<String> said = run.err().lines().filter(line -> !line.startsWith("import: ")).toList();
        assertTrue(said.get(0).contains("Whether any row was imported could not be checked"), run.err());
        assertTrue(Files.exists(dir.resolve("new-db.mv.db")), "the database whose rows are unknown is there");
    }

    /**
     * The database closed under the import as it commits (H2's {@code SHUTDOWN IMMEDIATELY}: the commit, the
     * rollback and every later statement on its connection fail): the commit's failure is what is reported, with
     * what can be said of the database, not the failure of a statement run after it; stdout has no row of the
     * summary, and no row was imported. It was reported as an internal error of a later statement. The database,
     * opened again on a connection of its own, is found as it was, and the line says so: it said that whether any
     * row was imported could not be checked, as it was asked only on the connection the failed rollback had closed.
     */
    @Test
    void aDatabaseClosedAtTheCommitIsReportedAsAFailedCommit() throws Exception {
        Cli.Run run = importCommittingWith(SHUTDOWN_AT_COMMIT);
        assertEquals(DemoApp.INTERNAL_ERROR, run.code(), run.out() + run.err());
        assertTrue(run.out().lines().noneMatch(line -> line.contains("imported") || line.contains("students in")),
                "no row of the summary on stdout:\n" + run.out());
        List<String> said = run.err().lines().filter(line -> !line.startsWith("import: ")).toList();
        assertTrue(said.get(0).startsWith("import failed: " + csv + ": the commit failed (")
                && said.get(0).endsWith(". Nothing was imported; the database is unchanged."), run.err());
        assertTrue(said.stream().noneMatch(line -> line.contains("internal error")), run.err());
        assertEquals(1, students(), "the database as it was (its open transaction rolled back when it reopens)");
    }

    /**
     * Stdout fails once the summary's heading is out, that is after the commit: the rows are imported, and a line on
     * stderr says so (the failed stdout does not claim a rollback). Before, a stdout that failed anywhere in the
     * summary rolled the rows back.
     */
    @Test
    void aStdoutThatFailsAfterTheCommitSaysTheRowsWereImported() throws Exception {
        CommandLine cli = DemoApp.commandLine();
        StringWriter written = new StringWriter();
        cli.setOut(new PrintWriter(new Writer() {
            private int lines;

            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                if (lines == 3) {
                    throw new IOException("No space left on device");
                }
                for (int i = off; i < off + len; i++) {
                    if (chars[i] == '\n' && ++lines == 3) {
                        written.write(chars, off, i + 1 - off);
                        return;
                    }
                }
                written.write(chars, off, len);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        }, true));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("import", csv.toString(), "--database", database.toString());
        assertEquals(3, written.toString().lines().count(), "the heading:\n" + written);
        assertTrue(written.toString().contains("| import " + csv), written.toString());
        List<String> said = err.toString().lines().filter(line -> !line.startsWith("import: ")).toList();
        assertEquals(List.of("import " + csv + ": 2,000 rows imported, 2,001 students in the database; stdout failed "
                + "after the commit, so the summary is cut short",
                "workerpool-demo import: cannot write to stdout"), said, err.toString());
        assertEquals(1, code);
        assertEquals(2_001, students(), "committed");
    }

    /** The program in a JVM of its own in {@code dir}; its stdout's reader goes away at once (... | true). */
    private Process startWithStdoutClosed(String... args) throws IOException {
        Process process = new ProcessBuilder(Cli.childCommand(List.of("-Xmx128m"), args)).directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        process.getInputStream().close();
        process.getOutputStream().close();
        return process;
    }

    private int awaitExit(Process process) throws Exception {
        try {
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                fail("not ended within " + BOUND_SECONDS + " s; stderr:\n" + stderr());
            }
            return process.exitValue();
        } finally {
            process.destroyForcibly();
            process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    /**
     * {@code import more.csv | head}, {@code head} gone before the summary: exit code 141, nothing but progress on
     * stderr, and the 2,000 rows rolled back.
     */
    @Test
    void aClosedStdoutEndsItSilentlyWithNothingImported() throws Exception {
        int code = awaitExit(startWithStdoutClosed("import", csv.toString(), "--database", database.toString()));
        String err = stderr();
        assertEquals(OutputClosed.BROKEN_PIPE, code, err);
        assertTrue(err.lines().allMatch(line -> line.matches("import: [\\d,]+ of 2,000 rows \\(\\d+%\\)")),
                "silent, as a command killed by SIGPIPE:\n" + err);
        assertEquals(1, students(), "the database as it was");
    }

    /**
     * With no CSV, the first line (the generated sample's) already fails: the import ends there, before any row is
     * read (no progress at all), with nothing imported and no temporary file left.
     */
    @Test
    void aClosedStdoutStopsTheSampleBeforeItsRowsAreRead() throws Exception {
        int code = awaitExit(startWithStdoutClosed("import", "--rows", "200000", "--database", database.toString()));
        String err = stderr();
        assertEquals(OutputClosed.BROKEN_PIPE, code, err);
        assertEquals("", err, "silent, and no row read");
        assertEquals(1, students(), "the database as it was");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".tmp")).toList(), "no temporary file left");
        }
    }

    /** {@code import more.csv > /dev/full}: one line, exit code 1, nothing imported. */
    @Test
    void aFullDiskEndsItWithOneLineAndNothingImported() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "Linux's /dev/full");
        Process process = new ProcessBuilder(Cli.childCommand(List.of("-Xmx128m"), "import", csv.toString(),
                "--database", database.toString())).directory(dir.toFile()).redirectOutput(full.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        process.getOutputStream().close();
        int code = awaitExit(process);
        String err = stderr();
        assertEquals(1, code, err);
        assertEquals(List.of("workerpool-demo import: cannot write to stdout: IOException: No space left on device"),
                err.lines().filter(line -> !line.startsWith("import: ")).toList(), err);
        assertEquals(1, students(), "the database as it was");
    }
}
