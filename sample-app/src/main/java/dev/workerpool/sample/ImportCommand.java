package dev.workerpool.sample;

import dev.workerpool.runtime.PoolFailedException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import [CSV]}: a batch CSV import done right. Rows are inserted by W workers, each on its
 * own connection, into a staging table; only if every row is good are they moved into {@code students} in
 * one transaction. Any bad row (malformed, duplicate, out of range) cancels the pool, the staging table is
 * dropped, and the database is exactly as it was.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        // One string: picocli makes each element of a description array a line of its own, and shows only the
        // first in the command list.
        description = "Import a CSV of students (id,name,email,grade) into an embedded H2 database, all or nothing, "
                + "with W worker threads, each on its own connection.")
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CSV",
            description = "The CSV file, with a header line. Default: a generated sample of --rows rows.")
    Path csv;

    @Option(names = "--database", paramLabel = "FILE", defaultValue = "workerpool-demo-db",
            description = "The H2 database file, without its .mv.db suffix (default: ${DEFAULT-VALUE} in the working directory).")
    Path database;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Rows in the generated sample when no CSV is given (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "500",
            description = "Rows per job (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads and connections (default: ${DEFAULT-VALUE}).")
    int workers = StudentImporterInsertPool.WORKERS;

    @Option(names = "--buffer", paramLabel = "B", description = "Chunks waiting for a worker (default: ${DEFAULT-VALUE}).")
    int buffer = StudentImporterInsertPool.BUFFER;

    /** Set by the reader thread if the file fails mid-way; rethrown by the command's thread. */
    private volatile UserError readFailure;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (chunk < 1) {
            throw new UserError("--chunk must be at least 1, was " + chunk);
        }
        if (rows < 0) {
            throw new UserError("--rows must be at least 0, was " + rows);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String url = "jdbc:h2:" + database.toAbsolutePath();
        long started = System.nanoTime();
        long given = csv != null ? countDataLines(csv) : 0; // before the database is opened (or created)
        try (Connection admin = DriverManager.getConnection(url)) {
            createStudentsTable(admin);
            Path input = csv != null ? csv : generateSample(admin, Path.of("students-sample.csv"), rows, out);
            long lines = csv != null ? given : countDataLines(input);
            long before = count(admin, "students");
            String staging = "students_import_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            createStagingTable(admin, staging);
            try {
                BadRowException bad = insertIntoStaging(url, staging, input, lines, err);
                if (bad == null) {
                    bad = mergeIntoStudents(admin, staging);
                }
                if (bad != null) {
                    err.println("import failed: " + input + ": " + bad.getMessage()
                            + ". Nothing was imported; the database is unchanged.");
                    return 1;
                }
            } finally {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + staging);
                }
            }
            long after = count(admin, "students");
            double seconds = (System.nanoTime() - started) / 1e9;
            new Summary("import " + input)
                    .row("rows imported", "%,d", after - before)
                    .row("students in database", "%,d", after)
                    .row("workers / buffer / chunk", "%d / %d / %d", workers, buffer, chunk)
                    .row("elapsed", "%.2f s", seconds)
                    .row("throughput", "%,.0f rows/s", (after - before) / Math.max(seconds, 1e-9))
                    .print(out);
            return 0;
        }
    }

    /** Runs the pool; returns the first bad row, or null if every chunk went into the staging table. */
    private BadRowException insertIntoStaging(String url, String staging, Path input, long lines, PrintWriter err)
            throws Exception {
        BadRowException firstBad = null;
        Exception otherFailure = null;
        StudentImporterInsertPool started;
        try {
            // One importer, so one JDBC connection, per worker; each is closed when its worker exits.
            started = Options.startPool(
                    () -> StudentImporterInsertPool.start(() -> StudentImporter.open(url, staging), workers, buffer));
        } catch (IllegalStateException e) {
            throw new UserError("cannot open the database: " + (e.getCause() == null ? e : e.getCause()).getMessage());
        }
        try (StudentImporterInsertPool pool = started;
                Progress progress = Progress.start("import", "rows", lines, err)) {
            Thread reader = new Thread(() -> readChunks(input, pool), "csv-reader");
            reader.start();
            for (StudentImporterInsertPool.Result result : pool.results()) {
                if (result.isSuccess()) {
                    progress.step(result.value());
                } else if (result.error() instanceof BadRowException bad) {
                    // failFast: the first failure has cancelled the pool (running chunks interrupted, queued
                    // ones not run); chunks that failed at the same moment are reported too: keep the earliest.
                    if (firstBad == null || bad.line() < firstBad.line()) {
                        firstBad = bad;
                    }
                } else if (!(result.error() instanceof java.util.concurrent.CancellationException)) {
                    otherFailure = otherFailure == null ? new IllegalStateException(result.error()) : otherFailure;
                }
            }
            reader.join();
            try {
                pool.await(); // every worker has closed its connection
            } catch (PoolFailedException failed) {
                // already seen in the results above
            }
        }
        if (readFailure != null) {
            throw readFailure;
        }
        if (firstBad == null && otherFailure != null) {
            throw otherFailure;
        }
        return firstBad;
    }

    /** The producer: reads the file, submits chunks of lines; blocks while the pool's buffer is full. */
    private void readChunks(Path input, StudentImporterInsertPool pool) {
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            int lineNumber = 1;
            if (header != null && !header.trim().equals(Student.HEADER)) {
                pool.submit(new Chunk(1, List.of(header))); // no header: the first line is data
            }
            List<String> lines = new ArrayList<>(chunk);
            int first = lineNumber + 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                if (lines.isEmpty()) {
                    first = lineNumber;
                }
                lines.add(line);
                if (lines.size() == chunk) {
                    pool.submit(new Chunk(first, List.copyOf(lines)));
                    lines.clear();
                }
            }
            if (!lines.isEmpty()) {
                pool.submit(new Chunk(first, List.copyOf(lines)));
            }
        } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
            // a bad row cancelled the pool: stop reading
        } catch (InterruptedException e) {
            pool.cancel();
        } catch (IOException | java.io.UncheckedIOException e) {
            readFailure = new UserError("cannot read " + input + ": " + e.getMessage());
            pool.cancel();
        } finally {
            pool.close();
        }
    }

    /** One transaction: all rows or none. A row that clashes with one already in the database is named. */
    private static BadRowException mergeIntoStudents(Connection admin, String staging) throws SQLException {
        admin.setAutoCommit(false);
        try (Statement s = admin.createStatement()) {
            s.executeUpdate("INSERT INTO students (id, name, email, grade) SELECT id, name, email, grade FROM "
                    + staging + " ORDER BY line");
            admin.commit();
            return null;
        } catch (SQLException e) {
            admin.rollback();
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            try (Statement s = admin.createStatement();
                    ResultSet clash = s.executeQuery("SELECT MIN(line) FROM " + staging + " i WHERE EXISTS "
                            + "(SELECT 1 FROM students t WHERE t.id = i.id OR t.email = i.email)")) {
                clash.next();
                return new BadRowException(clash.getInt(1), "duplicate key: this id or email is already in the database");
            }
        } finally {
            admin.setAutoCommit(true);
        }
    }

    private static void createStudentsTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS students (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL UNIQUE, grade INT NOT NULL CHECK (grade BETWEEN 0 AND 100))");
        }
    }

    private static void createStagingTable(Connection c, String staging) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + staging + " (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL UNIQUE, grade INT NOT NULL CHECK (grade BETWEEN 0 AND 100), "
                    + "line INT NOT NULL)");
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long countDataLines(Path input) {
        try (var lines = Files.lines(input, StandardCharsets.UTF_8)) {
            return Math.max(0, lines.filter(l -> !l.isBlank()).count() - 1);
        } catch (NoSuchFileException e) {
            throw new UserError("CSV file not found: " + input);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read CSV file: " + input + " (permission denied)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("cannot read CSV file: " + input + " (" + e.getMessage() + ")");
        }
    }

    /** Writes a sample CSV whose ids follow the largest id already in the database, so it always imports. */
    private static Path generateSample(Connection c, Path file, int rows, PrintWriter out) throws SQLException, IOException {
        int firstId;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM students")) {
            r.next();
            firstId = r.getInt(1) + 1;
        }
        String[] names = {"Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Radia", "Ken", "Margaret"};
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(Student.HEADER);
            w.newLine();
            for (int i = 0; i < rows; i++) {
                int id = firstId + i;
                String name = names[id % names.length];
                w.write(String.format(Locale.ROOT, "%d,%s %d,%s.%d@example.edu,%d", id, name, id,
                        name.toLowerCase(Locale.ROOT), id, (id * 37) % 101));
                w.newLine();
            }
        }
        out.printf(Locale.ROOT, "generated %s: %,d students with ids %,d..%,d%n", file, rows, firstId, firstId + rows - 1);
        return file;
    }
}
