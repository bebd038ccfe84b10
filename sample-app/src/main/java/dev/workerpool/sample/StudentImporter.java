package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts chunks of CSV lines into a staging table. JDBC connections are not thread-safe (the seed's Go
 * version shares one transaction across goroutines; Java must not), so the pool is started with
 * {@code StudentImporterInsertPool.start(() -> StudentImporter.open(url, staging), ...)}: every worker gets an
 * importer, and so a connection, of its own, and closes it when it exits.
 */
public final class StudentImporter implements AutoCloseable {

    private final String stagingTable;
    private final Connection connection;

    private StudentImporter(Connection connection, String stagingTable) {
        this.connection = connection;
        this.stagingTable = stagingTable;
    }

    /**
     * Opens a connection for one worker.
     *
     * @throws IllegalStateException if the database cannot be opened (the cause says why); the pool's start
     *                               then fails and closes the importers already opened
     */
    public static StudentImporter open(String url, String stagingTable) {
        try {
            Connection c = DriverManager.getConnection(url);
            c.setAutoCommit(false);
            return new StudentImporter(c, stagingTable);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses and inserts one chunk in one transaction of this thread's connection; blank lines are skipped.
     *
     * @param chunk consecutive CSV lines
     * @return how many rows were inserted
     * @throws BadRowException naming the first bad line of the chunk, and why
     * @throws SQLException    if the database fails for another reason
     */
    @WorkerPool(workers = 4, buffer = 8, failFast = true)
    public int insert(Chunk chunk) throws BadRowException, SQLException {
        List<Student> students = new ArrayList<>(chunk.lines().size());
        for (int i = 0; i < chunk.lines().size(); i++) {
            String line = chunk.lines().get(i);
            if (!line.isBlank()) { // skipped, but counted: line firstLine + i is the i-th of the chunk
                students.add(Student.parse(chunk.firstLine() + i, line));
            }
        }
        if (students.isEmpty()) {
            return 0;
        }
        Connection c = connection;
        String sql = "INSERT INTO " + stagingTable + " (id, name, email, grade, line) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (Student s : students) {
                s.bind(insert);
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
            return students.size();
        } catch (SQLException batchFailed) {
            c.rollback();
            throwBadRow(c, sql, students);
            throw batchFailed; // no single row fails on its own: a database problem, not the data
        }
    }

    /**
     * The batch failed: insert row by row (then roll back) to name the line that breaks a constraint. Not a
     * duplicate key: the staging table has no unique constraints (chunks commit in any order, so the import
     * finds duplicates by line once every chunk is in).
     */
    private static void throwBadRow(Connection c, String sql, List<Student> students)
            throws BadRowException, SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (Student s : students) {
                s.bind(insert);
                try {
                    insert.executeUpdate();
                } catch (SQLException e) {
                    throw new BadRowException(s.line(), reason(e));
                }
            }
        } finally {
            c.rollback();
        }
    }

    static String reason(SQLException e) {
        return switch (e.getSQLState()) {
            case "23513" -> "grade must be between 0 and 100";
            case "23502" -> "a required value is missing";
            case "22001" -> "a value is too long";
            default -> e.getMessage().lines().findFirst().orElse(e.toString());
        };
    }

    /** Closes this worker's connection; called by the pool when the worker exits. */
    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
