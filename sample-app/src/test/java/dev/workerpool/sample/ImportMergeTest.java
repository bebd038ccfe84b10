package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import's merge ({@link ImportCommand#mergeIntoStudents}) when its rollback fails: the failure that called
 * for the rollback is what is thrown, and the transaction the rollback could not end is never committed.
 */
class ImportMergeTest {

    @TempDir
    Path dir;

    /** {@code real}, but its {@code rollback()} fails, as it does when the database goes away mid-way. */
    private static Connection rollbackFails(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("rollback") && (args == null || args.length == 0)) {
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
            s.execute("CREATE TABLE students (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL UNIQUE, grade INT NOT NULL)");
            s.execute("CREATE TABLE staging (id INT NOT NULL, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL, grade INT NOT NULL, line INT NOT NULL)");
            s.execute("INSERT INTO staging VALUES (1, 'Ada', 'ada@example.edu', 90, 2), "
                    + "(2, 'Grace', 'grace@example.edu', 80, 3)");
            IllegalStateException reportFailed = new IllegalStateException("the summary's heading failed");
            Connection real = DriverManager.getConnection(url);
            try {
                Throwable thrown = assertThrows(Throwable.class, () -> ImportCommand.mergeIntoStudents(
                        rollbackFails(real), "staging", students -> {
                            throw reportFailed;
                        }));
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
}
