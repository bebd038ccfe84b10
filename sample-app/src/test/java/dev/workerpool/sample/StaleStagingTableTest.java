package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging table of an import that was stopped mid-way (Ctrl-C or {@code kill} while it merged: no
 * {@code finally} runs) stayed in the database for ever, with every row it had staged. The next import drops it,
 * and says so; the table of an import still running, and tables of other names, stay.
 */
class StaleStagingTableTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreCommit() {
        ImportCommand.commit = Connection::commit;
    }

    private String url() {
        return "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
    }

    private List<String> tables() throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                        + "WHERE TABLE_SCHEMA = CURRENT_SCHEMA ORDER BY TABLE_NAME")) {
            List<String> names = new ArrayList<>();
            while (r.next()) {
                names.add(r.getString(1));
            }
            return names;
        }
    }

    private Path csv(String name, int first, int rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of(Student.HEADER));
        for (int id = first; id < first + rows; id++) {
            lines.add(ImportCommand.sampleLine(id));
        }
        return Files.write(dir.resolve(name), lines);
    }

    /** What an import killed as it merged left (seen so with {@code kill -TERM}): its staging table, full. */
    @Test
    void theStagingTableOfAnImportThatWasStoppedIsDroppedByTheNext() throws Exception {
        String database = dir.resolve("db").toString();
        Cli.Run first = Cli.run("import", csv("first.csv", 1, 3).toString(), "--database", database);
        assertEquals(0, first.code(), first.out() + first.err());
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE students_import_0badf00d (id INT NOT NULL, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL, grade INT NOT NULL, line INT NOT NULL)");
            s.execute("INSERT INTO students_import_0badf00d VALUES (9, 'Ada 9', 'ada.9@example.edu', 5, 2)");
            s.execute("CREATE TABLE students_import_notes (note VARCHAR(100))"); // a user's own: not of that form
        }
        Cli.Run next = Cli.run("import", csv("next.csv", 4, 3).toString(), "--database", database);
        assertEquals(0, next.code(), next.out() + next.err());
        assertEquals(List.of("STUDENTS", "STUDENTS_IMPORT_NOTES"), tables());
        assertEquals(List.of("dropped the staging table STUDENTS_IMPORT_0BADF00D, which an import that was stopped "
                + "left in the database"), next.err().lines().filter(line -> !line.startsWith("import: ")).toList());
    }

    /** An import that runs in this JVM keeps its staging table while another looks for stale ones. */
    @Test
    void theStagingTableOfAnImportStillRunningStays() throws Exception {
        List<String> during = new ArrayList<>();
        java.io.StringWriter said = new java.io.StringWriter();
        ImportCommand.commit = c -> {
            try (Connection other = DriverManager.getConnection(url())) {
                ImportCommand.dropStaleStagingTables(other, new java.io.PrintWriter(said, true));
            }
            during.addAll(tables());
            c.commit();
        };
        Cli.Run run = Cli.run("import", csv("first.csv", 1, 3).toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertEquals(2, during.size(), "students and the running import's staging table: " + during);
        assertEquals("", said.toString());
        assertEquals(List.of("STUDENTS"), tables(), "dropped as the import ended");
    }

    /**
     * A stale staging table that cannot be dropped (the database refuses) is said on stderr, and the import that
     * found it goes on: the cleanup is best effort. It used to throw, failing the import over a table it does not
     * need.
     */
    @Test
    void aStaleTableThatCannotBeDroppedIsSaidAndTheImportGoesOn() throws Exception {
        try (Connection real = DriverManager.getConnection(url()); Statement s = real.createStatement()) {
            s.execute("CREATE TABLE students_import_0badf00d (id INT)");
            Connection refusing = (Connection) java.lang.reflect.Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        Object made = invoke(method, real, args);
                        if (method.getName().equals("createStatement")) {
                            Statement statement = (Statement) made;
                            return java.lang.reflect.Proxy.newProxyInstance(Statement.class.getClassLoader(),
                                    new Class<?>[] {Statement.class}, (p2, m2, a2) -> {
                                        boolean drop = m2.getName().equals("execute")
                                                && String.valueOf(a2[0]).startsWith("DROP");
                                        if (drop) {
                                            throw new SQLException("the table is locked", "HYT00");
                                        }
                                        return invoke(m2, statement, a2);
                                    });
                        }
                        return made;
                    });
            java.io.StringWriter said = new java.io.StringWriter();
            ImportCommand.dropStaleStagingTables(refusing, new java.io.PrintWriter(said, true));
            assertEquals("could not drop the staging table STUDENTS_IMPORT_0BADF00D, which an import that was stopped "
                    + "left in the database: SQLException: the table is locked", said.toString().strip());
        }
        assertEquals(List.of("STUDENTS_IMPORT_0BADF00D"), tables(), "still there, for the next import to drop");
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
