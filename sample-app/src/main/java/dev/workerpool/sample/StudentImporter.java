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

    /** An importer on {@code connection}, which must not be in auto-commit mode; {@link #open} makes one. */
    StudentImporter(Connection connection, String stagingTable) {
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
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + url + ": " + e.getMessage(), e);
        }
        return over(c, url, stagingTable);
    }

    /**
     * An importer over {@code c}, just opened for it, in manual-commit mode; if that mode cannot be set, {@code c}
     * is closed (nobody else holds it) and the failure thrown, naming {@code url}.
     */
    static StudentImporter over(Connection c, String url, String stagingTable) {
        try {
            c.setAutoCommit(false);
            return new StudentImporter(c, stagingTable);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException close) {
                e.addSuppressed(close);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
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
        String sql = "INSERT INTO " + stagingTable + " (id, name, email, grade, line) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Student s : students) {
                s.bind(insert);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
            return students.size();
        } catch (SQLException batchFailed) {
            if (rollBack(batchFailed)) {
                BadRowException bad = findBadRow(sql, students, batchFailed);
                if (bad != null) {
                    throw bad;
                }
            }
            throw batchFailed; // no single row fails on its own: a database problem, not the data
        }
    }

    /**
     * The batch failed: insert row by row (then roll back) to name the line that breaks a constraint; null if no
     * row fails on its own. Not a duplicate key: the staging table has no unique constraints (chunks commit in any
     * order, so the import finds duplicates by line once every chunk is in). A rollback that fails is added to the
     * bad row, or else to {@code batchFailed}.
     */
    private BadRowException findBadRow(String sql, List<Student> students, SQLException batchFailed)
            throws SQLException {
        BadRowException bad = null;
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (Student s : students) {
                s.bind(insert);
                try {
                    insert.executeUpdate();
                } catch (SQLException e) {
                    bad = new BadRowException(s.line(), reason(e));
                    break;
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            rollBack(e);
            throw e;
        }
        rollBack(bad != null ? bad : batchFailed);
        return bad;
    }

    /**
     * Rolls this worker's transaction back after {@code failure}; returns whether it could. If not, the rollback's
     * failure is added to {@code failure} as suppressed, never in its place, and the connection is closed (H2 rolls
     * back what a connection closed mid-transaction held): a later chunk must not commit what it holds.
     */
    private boolean rollBack(Throwable failure) {
        try {
            connection.rollback();
            return true;
        } catch (SQLException notRolledBack) {
            failure.addSuppressed(notRolledBack);
            try {
                connection.close();
            } catch (SQLException notClosed) {
                failure.addSuppressed(notClosed);
            }
            return false;
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
