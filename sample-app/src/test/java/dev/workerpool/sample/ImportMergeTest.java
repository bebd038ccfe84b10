package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import's merge ({@link ImportCommand#mergeIntoStudents}) and its workers ({@link StudentImporter}) when a
 * rollback fails: the failure that called for the rollback is what is thrown, and the transaction the rollback
 * could not end is never committed.
 */
class ImportMergeTest {

    @TempDir
    Path dir;

    /** The table the merge fills, as the import makes it. */
    private static final String STUDENTS = "CREATE TABLE students (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
            + "email VARCHAR(200) NOT NULL UNIQUE, grade INT NOT NULL)";

    /** A staging table, as the import makes one (with each row's line in the CSV). */
    private static final String STAGING = "CREATE TABLE staging (id INT NOT NULL, name VARCHAR(100) NOT NULL, "
            + "email VARCHAR(200) NOT NULL, grade INT NOT NULL, line INT NOT NULL)";

    /** Makes, with {@code s}, the students table holding Ada (id 1) and a staging table holding Grace (id 2). */
    private static void adaInStudentsGraceInStaging(Statement s) throws SQLException {
        s.execute(STUDENTS);
        s.execute("INSERT INTO students VALUES (1, 'Ada', 'ada@example.edu', 90)");
        s.execute(STAGING);
        s.execute("INSERT INTO staging VALUES (2, 'Grace', 'grace@example.edu', 80, 2)");
    }

    /**
     * {@code real}, but its {@code rollback()} fails after the first {@code succeeding} calls, as it does when the
     * database goes away mid-way.
     */
    private static Connection rollbackFails(Connection real, int succeeding) {
        AtomicInteger rollbacks = new AtomicInteger();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rollback") && (args == null || args.length == 0)
                            && rollbacks.incrementAndGet() > succeeding) {
                        throw new SQLException("rollback failed: the disk went away", "08006");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The summary's heading fails (the report throws) and the rollback after it fails too: the report's failure
     * is thrown, with the rollback's suppressed in it, and the rows are not committed: the connection is closed
     * (the database rolls back what it holds) rather than put back in auto-commit mode, which commits. The
     * rollback's failure used to be thrown in place of the report's, and the finally block's
     * {@code setAutoCommit(true)} committed the rows the rollback had been meant to undo.
     */
    @Test
    void aRollbackThatFailsMasksNothingAndCommitsNothing() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            s.execute(STUDENTS);
            s.execute(STAGING);
            s.execute("INSERT INTO staging VALUES (1, 'Ada', 'ada@example.edu', 90, 2), "
                    + "(2, 'Grace', 'grace@example.edu', 80, 3)");
            IllegalStateException reportFailed = new IllegalStateException("the summary's heading failed");
            Connection real = DriverManager.getConnection(url);
            try {
                Throwable thrown = assertThrows(Throwable.class, () -> ImportCommand.mergeIntoStudents(
                        rollbackFails(real, 0), "staging", students -> {
                            throw reportFailed;
                        }, () -> { }));
                assertSame(reportFailed, thrown, "the report's failure, not the rollback's: " + thrown);
                assertEquals("[java.sql.SQLException: rollback failed: the disk went away]",
                        Arrays.toString(thrown.getSuppressed()));
                assertTrue(real.isClosed(), "not put back into use with the transaction the rollback left open");
            } finally {
                real.close();
            }
            assertEquals(0, ImportCommand.count(setup, "students"), "nothing committed");
        }
    }

    /**
     * The merge's commit fails, and so does the rollback after it, so the merge closes its connection: what the
     * database holds is asked on a connection of its own to the same database, which finds it as it was. It was
     * asked only on the closed connection, and the line said it "could not be checked".
     */
    @Test
    void aFailedCommitWhoseRollbackFailedIsCheckedOnAConnectionOfItsOwn() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            adaInStudentsGraceInStaging(s);
            Connection real = DriverManager.getConnection(url);
            Connection admin = rollbackFails(real, 0);
            ImportCommand.commit = c -> {
                throw new SQLException("No space left on device", "HY000");
            };
            try {
                assertThrows(SQLException.class,
                        () -> ImportCommand.mergeIntoStudents(admin, "staging", n -> { }, () -> { }));
                assertTrue(real.isClosed(), "closed by the merge, its rollback having failed");
                assertEquals("Nothing was imported; the database is unchanged.",
                        new ImportCommand().stateAfterFailedCommit(admin, url, 1));
            } finally {
                ImportCommand.commit = Connection::commit;
                real.close();
            }
            assertEquals(1, ImportCommand.count(setup, "students"), "nothing committed");
        }
    }

    /**
     * {@code real}, but its {@code rollback()} fails, and so does its {@code close()}, which leaves {@code real}
     * open (it says it is not closed), with whatever transaction the rollback could not end. Every method called
     * on it after its rollback failed, other than {@code close()} and {@code isClosed()}, is added to {@code used}.
     */
    private static Connection rollbackAndCloseFail(Connection real, List<String> used) {
        AtomicBoolean rollbackFailed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("rollback") && (args == null || args.length == 0)) {
                        rollbackFailed.set(true);
                        throw new SQLException("rollback failed: the disk went away", "08006");
                    }
                    if (name.equals("close")) {
                        throw new SQLException("close failed: the disk went away", "08006");
                    }
                    if (rollbackFailed.get() && !name.equals("isClosed")) {
                        used.add(name + (args == null ? "()" : Arrays.toString(args)));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * The merge's commit fails, the rollback after it fails, and the close after that fails too, leaving the
     * connection open with the merge's transaction in it: no statement runs on it again, and the students table
     * holds none of the failed import's rows. The staging table was dropped on it (it said it was open), and H2
     * commits the transaction open on a connection that drops a table: the rows of an import reported as failed
     * were in. The report is the one line on stderr: the import's last close of the connection, which failed again,
     * escaped the command, and a second line after the report called it an internal error.
     */
    @Test
    void noStatementRunsOnAConnectionWhoseRollbackAndCloseFailed() throws Exception {
        String database = dir.resolve("db").toString();
        java.nio.file.Path first = Files.write(dir.resolve("first.csv"),
                List.of(Student.HEADER, ImportCommand.sampleLine(1)));
        Cli.Run before = Cli.run("import", first.toString(), "--database", database);
        assertEquals(0, before.code(), before.out() + before.err());
        java.nio.file.Path more = Files.write(dir.resolve("more.csv"), List.of(
                Student.HEADER, ImportCommand.sampleLine(2), ImportCommand.sampleLine(3), ImportCommand.sampleLine(4)));
        List<String> used = Collections.synchronizedList(new ArrayList<>());
        List<Connection> real = Collections.synchronizedList(new ArrayList<>());
        ImportCommand.connectAdmin = url -> {
            Connection c = DriverManager.getConnection(url);
            real.add(c);
            return rollbackAndCloseFail(c, used);
        };
        ImportCommand.commit = c -> {
            throw new SQLException("No space left on device", "HY000");
        };
        Cli.Run run;
        try {
            CompletableFuture<Cli.Run> running = CompletableFuture
                    .supplyAsync(() -> Cli.run("import", more.toString(), "--database", database));
            try {
                run = running.get(2, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                throw new AssertionError("the import did not end; threads here:\n" + threadDump(), e);
            }
        } finally {
            ImportCommand.connectAdmin = DriverManager::getConnection;
            ImportCommand.commit = Connection::commit;
            for (Connection c : real) {
                c.close(); // rolls back what it holds
            }
        }
        assertEquals(1, real.size(), "one admin connection");
        assertEquals(List.of(), used, "used after its rollback failed; stderr: " + run.err());
        assertEquals(List.of("import failed: " + more + ": the commit failed (SQLException: No space left "
                + "on device). Nothing was imported; the database is unchanged."), run.err().lines()
                .filter(line -> !line.startsWith("import: ")).toList(), // the progress line aside
                "the one report, and no second line for admin's final close, which failed again");
        assertEquals(DemoApp.INTERNAL_ERROR, run.code(), run.err());
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("db").toAbsolutePath())) {
            assertEquals(1, ImportCommand.count(c, "students"), "none of the failed import's rows");
        }
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        for (ThreadInfo thread
                : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append(thread);
        }
        return dump.toString();
    }

    /** A stdout whose reader has gone: every write to it fails, as a pipe's does once {@code head} has exited. */
    private static PrintWriter closedOutput() {
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] chars, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void close() {
            }
        }, true);
    }

    /**
     * The summary's heading fails (stdout is gone) and the rollback after it fails too, so the merge closes its
     * connection: what the database holds is asked on a connection of its own, as after a failed commit, and a line
     * on stderr says so before the import stops as it does when stdout fails. It stopped with nothing said, and
     * whether the database was as before was never asked.
     */
    @Test
    void aFailedHeadingWhoseRollbackFailedIsCheckedOnAConnectionOfItsOwn() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            adaInStudentsGraceInStaging(s);
            Connection real = DriverManager.getConnection(url);
            PrintWriter out = closedOutput();
            StringWriter said = new StringWriter();
            try {
                assertThrows(OutputClosed.class, () -> new ImportCommand().mergeWithHeading(rollbackFails(real, 0),
                        url, "staging", 1, "more.csv", students -> {
                            out.println("import more.csv");
                            OutputClosed.check(out);
                        }, new PrintWriter(said, true)));
                assertTrue(real.isClosed(), "closed by the merge, its rollback having failed");
                assertEquals(List.of("import failed: more.csv: stdout failed before the commit, and the "
                        + "rollback after it failed too (SQLException: rollback failed: the disk went away). Nothing "
                        + "was imported; the database is unchanged."), said.toString().lines().toList());
            } finally {
                real.close();
            }
            assertEquals(1, ImportCommand.count(setup, "students"), "nothing committed");
        }
    }

    /**
     * The summary's heading fails (stdout is gone), the rollback after it fails, and so does the close after that,
     * leaving the connection open with the merge's transaction in it: what the database holds is asked on a
     * connection of its own, and nothing runs on that one. It was asked on that connection, which counted the rows
     * the rollback had failed to undo, and the line said the database held them.
     */
    @Test
    void aFailedHeadingWhoseRollbackAndCloseFailedIsCheckedOnAConnectionOfItsOwn() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            adaInStudentsGraceInStaging(s);
            Connection real = DriverManager.getConnection(url);
            List<String> used = Collections.synchronizedList(new ArrayList<>());
            PrintWriter out = closedOutput();
            StringWriter said = new StringWriter();
            try {
                assertThrows(OutputClosed.class, () -> new ImportCommand().mergeWithHeading(
                        rollbackAndCloseFail(real, used), url, "staging", 1, "more.csv", students -> {
                            out.println("import more.csv");
                            OutputClosed.check(out);
                        }, new PrintWriter(said, true)));
                assertEquals(List.of(), used, "used after its rollback failed: " + said);
                assertEquals(List.of("import failed: more.csv: stdout failed before the commit, and the "
                        + "rollback after it failed too (SQLException: rollback failed: the disk went away). Nothing "
                        + "was imported; the database is unchanged."), said.toString().lines().toList());
            } finally {
                real.close(); // rolls back what it holds
            }
            assertEquals(1, ImportCommand.count(setup, "students"), "nothing committed");
        }
    }

    /**
     * A worker's chunk has a bad row, and the rollback after the row-by-row look for it fails: the bad row is what
     * is thrown (the import names it), with the rollback's failure suppressed in it, and the worker's connection is
     * closed, so that no later chunk of that worker commits the rows the rollback left. The rollback's failure used
     * to be thrown in place of the bad row.
     */
    @Test
    void aWorkersRollbackThatFailsMasksNotTheBadRow() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (Connection setup = DriverManager.getConnection(url); Statement s = setup.createStatement()) {
            s.execute("CREATE TABLE staging (id INT NOT NULL, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL, grade INT NOT NULL CHECK (grade BETWEEN 0 AND 100), "
                    + "line INT NOT NULL)");
            Connection real = DriverManager.getConnection(url);
            real.setAutoCommit(false);
            try (StudentImporter importer = new StudentImporter(rollbackFails(real, 1), "staging")) {
                Exception thrown = assertThrows(Exception.class, () -> importer.insert(new Chunk(2,
                        List.of("1,Ada,ada@example.edu,90", "2,Grace,grace@example.edu,200"))));
                assertEquals("BadRowException: line 3: grade must be between 0 and 100", DemoApp.oneLine(thrown));
                assertTrue(Arrays.stream(thrown.getSuppressed())
                        .anyMatch(e -> e.getMessage().equals("rollback failed: the disk went away")),
                        Arrays.toString(thrown.getSuppressed()));
                assertTrue(real.isClosed(), "not used for another chunk with the rows the rollback left");
            } finally {
                real.close();
            }
            assertEquals(0, ImportCommand.count(setup, "staging"), "nothing committed");
        }
    }

    /**
     * A worker's connection that cannot be put in manual-commit mode: the worker's start fails naming the database,
     * and the connection, which nobody else holds, is closed. It used to stay open.
     */
    @Test
    void aConnectionThatRefusesManualCommitIsClosedWhenItsImporterCannotStart() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        Connection real = DriverManager.getConnection(url);
        try {
            Connection refusing = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("setAutoCommit")) {
                            throw new SQLException("manual commit refused", "0A000");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> StudentImporter.over(refusing, url, "staging"));
            assertEquals("cannot open " + url + ": manual commit refused", thrown.getMessage());
            assertTrue(real.isClosed(), "the connection nobody else holds is closed");
        } finally {
            real.close();
        }
    }
}
