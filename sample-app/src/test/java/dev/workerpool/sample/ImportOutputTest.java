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
 * was: the summary is written before the rows are committed, and a failed write rolls them back. It used to never
 * look, import every row and end with exit code 0.
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
