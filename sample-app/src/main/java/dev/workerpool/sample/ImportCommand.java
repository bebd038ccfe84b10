package dev.workerpool.sample;

import dev.workerpool.runtime.PoolFailedException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * one transaction. A malformed or out-of-range row cancels the pool; a duplicate key (a later line repeating
 * an earlier one, or a row already in the database) is found once every row is staged. Either way the staging
 * table is dropped and the database is exactly as it was: a database this run created is removed (the staging
 * table of an import that was stopped mid-way, which runs no {@code finally}, is dropped by the next import). The
 * summary's heading is written to stdout just before the commit, and a stdout that fails there ({@code ... | head},
 * a full disk) rolls the rows back: the import ends as the other commands do then ({@link OutputClosed}), with nothing
 * imported (if that rollback fails too, a line on stderr says whether the database is as it was, as after a failed
 * commit). The summary's rows, which say how many rows are in, are written only once the commit has succeeded;
 * a commit that fails is reported on stderr (with whether the database is as it was: if not, or if that cannot be
 * told, the database is kept as it is, one this run created too), and a stdout that fails after the commit gets a
 * line on stderr saying the rows were imported.
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
            description = "The CSV file: lines id,name,email,grade (a first line that is that header is skipped). "
                    + "Default: a generated sample of --rows rows.")
    Path csv;

    @Option(names = "--database", paramLabel = "FILE", defaultValue = "workerpool-demo-db",
            description = "The H2 database file, without its .mv.db suffix"
                    + " (default: ${DEFAULT-VALUE} in the working directory).")
    Path database;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Rows in the generated sample when no CSV is given, 0 to 10,000,000 "
                    + "(default: ${DEFAULT-VALUE}).")
    int rows;

    /** The largest sample {@code --rows} makes: some 500 MB of CSV, written to the working directory. */
    static final int MAX_ROWS = 10_000_000;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "500",
            description = "Rows per job, 1 to 100,000 (default: ${DEFAULT-VALUE}).")
    int chunk;

    /**
     * The most rows a job holds: {@code workers + buffer} chunks are in memory at once. (A chunk of
     * 2,000,000,000 rows ran the reader out of memory at once.)
     */
    static final int MAX_CHUNK = 100_000;

    @Option(names = "--workers", paramLabel = "W",
            description = "Worker threads and connections (default: ${DEFAULT-VALUE}).")
    int workers = StudentImporterInsertPool.WORKERS;

    @Option(names = "--buffer", paramLabel = "B",
            description = "Chunks waiting for a worker (default: ${DEFAULT-VALUE}).")
    int buffer = StudentImporterInsertPool.BUFFER;

    /** Set by the reader thread if the file fails mid-way; rethrown by the command's thread. */
    private volatile UserError readFailure;

    /** The generated sample's first id and rows, for the line that says where it is. */
    private long sampleFirstId;
    private int sampleRows;

    /** The reason given for a line whose id or email an earlier line of the file has. */
    static final String DUPLICATE_IN_FILE = "duplicate key: this id or email appears earlier in the file";

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (chunk < 1 || chunk > MAX_CHUNK) {
            throw new UserError(String.format(Locale.ROOT, "--chunk must be between 1 and %,d, was %d", MAX_CHUNK,
                    chunk));
        }
        if (rows < 0 || rows > MAX_ROWS) {
            throw new UserError(String.format(Locale.ROOT, "--rows must be between 0 and %,d, was %d", MAX_ROWS,
                    rows));
        }
        checkDatabasePath(database);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // No trace file: H2 would print a stack trace on System.err when it cannot write one (a bad --database).
        String url = "jdbc:h2:" + database.toAbsolutePath() + ";TRACE_LEVEL_FILE=0";
        long started = System.nanoTime();
        if (csv != null && Files.exists(csv) && !Files.isDirectory(csv) && !Files.isRegularFile(csv)) {
            // read twice, a pipe would give all its rows to the count and none to the import
            throw new UserError("CSV file is not a regular file: " + csv + " (a pipe cannot be read twice, to count "
                    + "its rows and then import them: save it to a file first)");
        }
        long given = csv != null ? countDataLines(csv) : 0; // before the database is opened (or created)
        String staging;
        do {
            staging = "students_import_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        } while (!STAGING_IN_USE.add(staging.toUpperCase(Locale.ROOT))); // before it is made: never taken as stale
        List<Path> created = notThereYet(database); // what this run creates: removed again if it fails
        boolean imported = false;
        Path written = null; // the generated sample, under a name of this run's own: deleted at the end
        try {
            // The pool first: starting it checks --workers before anything is written (no sample, no database);
            // then it opens one connection per worker, which creates the database if it is new.
            StudentImporterInsertPool pool = startPool(url, staging);
            Connection admin = null; // opened in the try: if it cannot be, the pool is stopped all the same
            Throwable thrown = null; // what the try threw, if it did: a close of admin that fails is suppressed in it
            try {
                admin = connect(url);
                createStudentsTable(admin);
                dropStaleStagingTables(admin, err); // what an import that was stopped mid-way left
                String shown = csv != null ? csv.toString() : null;
                Path input = csv;
                if (csv == null) {
                    removeStale(Path.of(""), STALE_AFTER, err); // what a killed import left in the working directory
                    written = writeSample(admin, rows);
                    input = written; // read from this run's own file, whatever happens to the published one
                    shown = publishSample(written, out, err);
                    OutputClosed.check(out); // ... | true, > /dev/full: stop here, before a row is read
                }
                long lines = csv != null ? given : countDataLines(input);
                long before = count(admin, "students");
                createStagingTable(admin, staging);
                try {
                    BadRowException bad = insertIntoStaging(pool, input, lines, err);
                    if (bad == null) {
                        bad = findDuplicateInFile(admin, staging);
                    }
                    if (bad == null) {
                        String title = "import " + shown;
                        try {
                            // The summary's heading before the commit: a stdout that fails there (its reader gone:
                            // ... | head) rolls the rows back. Its rows, which say the rows are in, after the commit.
                            bad = mergeWithHeading(admin, url, staging, before, shown, students -> {
                                summary = summary(title, students - before, students, started);
                                summary.printHeading(out);
                                OutputClosed.check(out);
                            }, err);
                        } catch (OutputClosed closed) {
                            imported = mayHoldRowsAfterFailedCommit; // set if its rollback failed and rows may be in
                            throw closed;
                        } catch (CommitFailed failed) {
                            String state = stateAfterFailedCommit(admin, url, before);
                            // rows the failed commit may have left in stay, and a database this run created stays
                            // with them: the line below tells the user to check it, unless it is known to be as it was
                            imported = mayHoldRowsAfterFailedCommit;
                            err.println("import failed: " + shown + ": the commit failed ("
                                    + DemoApp.oneLine(failed.getCause()) + "). " + state);
                            err.flush();
                            return DemoApp.INTERNAL_ERROR;
                        }
                    }
                    if (bad != null) {
                        err.println("import failed: " + shown + ": " + bad.getMessage()
                                + ". Nothing was imported; the database is unchanged.");
                        return 1;
                    }
                    imported = true; // committed: whatever stdout does now, the rows stay
                    summary.printRows(out);
                    if (out.checkError()) { // not a rollback, which the heading's failure would have been: say so
                        err.printf(Locale.ROOT, "%s: %,d rows imported, %,d students in the database; stdout failed "
                                + "after the commit, so the summary is cut short%n", "import " + shown, importedRows,
                                studentsAfter);
                        err.flush();
                        throw new OutputClosed();
                    }
                } finally {
                    dropStagingTable(admin, url, staging, err);
                }
                return 0;
            } catch (Throwable t) {
                thrown = t;
                throw t;
            } finally {
                try {
                    if (admin != null) {
                        closeAdmin(admin, thrown);
                    }
                } finally {
                    stop(pool); // every worker has closed its connection
                }
            }
        } finally {
            STAGING_IN_USE.remove(staging.toUpperCase(Locale.ROOT));
            if (!imported) {
                remove(created, err); // a database this run created, for nothing: "unchanged" is no database
            }
            if (written != null) {
                Files.deleteIfExists(written); // students-sample.csv, if published, is a name of its own
            }
        }
    }

    /** The import's summary, made just before the commit; its heading is written then, its rows after. */
    private Summary summary;

    /** The rows the summary says were imported, and the students in the database with them. */
    private long importedRows;
    private long studentsAfter;

    private Summary summary(String title, long imported, long students, long started) {
        importedRows = imported;
        studentsAfter = students;
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Summary(title)
                .row("rows imported", "%,d", imported)
                .row("students in database", "%,d", students)
                .row("workers / buffer / chunk", "%d / %d / %d", workers, buffer, chunk)
                .row("elapsed", "%.2f s", seconds)
                .row("throughput", "%,.0f rows/s", imported / Math.max(seconds, 1e-9));
    }

    /**
     * A database path that H2's JDBC URL can carry as it is: a {@code ;} would start H2's settings (such as
     * {@code INIT=RUNSCRIPT FROM '...'}, run when the database opens), and H2 reads a backslash as a directory
     * separator even where the file system does not. Such a path is a one-line user error.
     */
    static void checkDatabasePath(Path database) {
        String url = database.toAbsolutePath().toString(); // what goes into the URL: the working directory too
        if (url.indexOf(';') >= 0) {
            throw new UserError("--database cannot hold ';' (H2 would read what follows as settings): " + url);
        }
        if (java.io.File.separatorChar != '\\' && url.indexOf('\\') >= 0) {
            throw new UserError("--database cannot hold '\\' (H2 would read it as a directory separator): " + url);
        }
    }

    /** Starts the pool; one connection per worker. A database that cannot be opened is a one-line user error. */
    private StudentImporterInsertPool startPool(String url, String staging) {
        try {
            // One importer, so one JDBC connection, per worker; each is closed when its worker exits.
            return Options.startPool(
                    () -> StudentImporterInsertPool.start(() -> StudentImporter.open(url, staging), workers, buffer));
        } catch (IllegalStateException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql) {
                    throw cannotOpen(sql);
                }
            }
            throw new UserError("cannot open the database " + database + ": "
                    + DemoApp.oneLine(e.getCause() == null ? e : e.getCause()));
        }
    }

    private Connection connect(String url) {
        try {
            return connectAdmin.connect(url);
        } catch (SQLException e) {
            throw cannotOpen(e);
        }
    }

    /** One line: the path, and the file system's reason if that is the cause, else H2's first line. */
    private UserError cannotOpen(SQLException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason;
        if (root instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
            reason = fs.getFile() + ": " + (fs instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : fs instanceof NoSuchFileException ? "no such file or directory"
                    : fs instanceof AccessDeniedException ? "permission denied"
                    : fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName());
        } else {
            // H2's message, first line, without its error code ("... [90020-232]")
            reason = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().strip().lines().findFirst().orElse("").replaceFirst("\\s*\\[\\d+-\\d+]$", "");
        }
        return new UserError("cannot open the database " + database + ": " + reason);
    }

    /** Cancels the pool (a no-op once it has ended) and waits until every worker has exited. */
    private static void stop(StudentImporterInsertPool pool) throws InterruptedException {
        pool.cancel();
        try {
            pool.await();
        } catch (PoolFailedException failed) {
            // a bad row: reported already
        }
    }

    /**
     * The database's files, and the directories H2 would create for it, that do not exist yet, in the order
     * they would be created; empty if the database exists.
     */
    private static List<Path> notThereYet(Path database) {
        Path absolute = database.toAbsolutePath();
        List<Path> paths = new ArrayList<>();
        if (Files.exists(Path.of(absolute + ".mv.db"))) {
            return paths;
        }
        for (Path dir = absolute.getParent(); dir != null && !Files.exists(dir); dir = dir.getParent()) {
            paths.add(0, dir);
        }
        for (String suffix : List.of(".mv.db", ".trace.db", ".lock.db")) {
            Path file = Path.of(absolute + suffix);
            if (!Files.exists(file)) {
                paths.add(file);
            }
        }
        return paths;
    }

    /** Deletes what {@link #notThereYet} listed, last first; a directory that has other files now stays. */
    private static void remove(List<Path> created, PrintWriter err) {
        for (int i = created.size() - 1; i >= 0; i--) {
            Path path = created.get(i);
            try {
                if (Files.exists(path)) {
                    Files.delete(path);
                }
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                return; // not ours alone: it and its parents stay
            } catch (IOException e) {
                err.println("could not remove " + path + ", which this import created: " + e.getMessage());
            }
        }
    }

    /** Runs the pool; returns the first bad row, or null if every chunk went into the staging table. */
    private BadRowException insertIntoStaging(StudentImporterInsertPool pool, Path input, long lines, PrintWriter err)
            throws Exception {
        BadRowException firstBad = null;
        Exception otherFailure = null;
        try (Progress progress = Progress.start("import", "rows", lines, err)) {
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
            String header = withoutByteOrderMark(reader.readLine());
            int lineNumber = 1;
            if (header != null && !isHeader(header)) {
                pool.submit(new Chunk(1, List.of(header))); // no header: the first line is data
            }
            List<String> lines = new ArrayList<>(chunk);
            int first = lineNumber + 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                // A blank line stays in its chunk (the importer skips it): a chunk's lines are consecutive, so
                // that the line a bad row is named by is its line in the file.
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
        } catch (RuntimeException | Error e) {
            // Out of memory, say: the import fails with it. Uncaught, it printed a stack trace, and the rows
            // submitted before it were imported as if they were the whole file (exit code 0).
            readFailure = new UserError("reading " + input + " failed: " + HashCommand.describe(e));
            pool.cancel();
        } finally {
            pool.close();
        }
    }

    /**
     * A file's first line without the byte-order mark some editors write at the start of a UTF-8 file (Excel's
     * "CSV UTF-8" does): not part of the header, nor of the first row. Null stays null (an empty file).
     */
    private static String withoutByteOrderMark(String firstLine) {
        return firstLine != null && firstLine.startsWith("\uFEFF") ? firstLine.substring(1) : firstLine;
    }

    /** Whether a CSV's first line is the header line, not data. */
    private static boolean isHeader(String firstLine) {
        return firstLine.trim().equals(Student.HEADER);
    }

    /**
     * A key that an earlier line of the file has: the later line is the duplicate, whatever order the chunks
     * reached the staging table in (they commit in parallel, so the staging table has no unique constraints).
     * Named with the line it repeats.
     */
    private static BadRowException findDuplicateInFile(Connection admin, String staging) throws SQLException {
        List<String> repeated = new ArrayList<>();
        try (Statement s = admin.createStatement();
                ResultSet counts = s.executeQuery("SELECT COUNT(*) - COUNT(DISTINCT id), "
                        + "COUNT(*) - COUNT(DISTINCT email) FROM " + staging)) { // the usual case, fast: none
            counts.next();
            if (counts.getLong(1) > 0) {
                repeated.add("id");
            }
            if (counts.getLong(2) > 0) {
                repeated.add("email");
            }
        }
        BadRowException found = null;
        for (String key : repeated) {
            try (Statement s = admin.createStatement();
                    ResultSet duplicate = s.executeQuery("SELECT line, original FROM (SELECT line, MIN(line) OVER "
                            + "(PARTITION BY " + key + ") AS original FROM " + staging + ") WHERE line > original "
                            + "ORDER BY line LIMIT 1")) {
                if (duplicate.next() && (found == null || duplicate.getInt(1) < found.line())) {
                    found = new BadRowException(duplicate.getInt(1),
                            DUPLICATE_IN_FILE + " (line " + duplicate.getInt(2) + ")");
                }
            }
        }
        return found;
    }

    /**
     * One transaction: all rows or none. A row that clashes with one already in the database is named. Before the
     * commit, {@code report} gets the number of students the database will hold: if it throws (its stdout
     * failed), the rows are rolled back and it is rethrown. A commit that fails is rolled back too, and thrown as
     * {@link CommitFailed}. A rollback that fails never replaces the failure that called for it (it is added to it
     * as suppressed), and leaves a transaction that may hold the rows: {@code retired} is run, and {@code admin} is
     * then closed, not put back into auto-commit mode (which would commit them); H2 rolls back what a connection
     * closed mid-transaction held. A close that fails may leave {@code admin} open, that transaction in it: once
     * {@code retired} has run, no statement may run on {@code admin} (H2 commits the transaction open on a
     * connection that drops a table), whatever its {@code isClosed()} says. Called on the command's thread, the
     * only one that uses {@code admin}.
     */
    static BadRowException mergeIntoStudents(Connection admin, String staging,
            java.util.function.LongConsumer report, Runnable retired) throws SQLException {
        admin.setAutoCommit(false);
        Throwable thrown = null;
        boolean open = true; // false once a rollback failed: the transaction may still hold the rows
        try {
            try (Statement s = admin.createStatement()) {
                s.executeUpdate("INSERT INTO students (id, name, email, grade) SELECT id, name, email, grade FROM "
                        + staging + " ORDER BY line");
            } catch (SQLException e) {
                open = rollBack(admin, e);
                if (!open || !"23505".equals(e.getSQLState())) {
                    throw e;
                }
                try (Statement s = admin.createStatement();
                        ResultSet clash = s.executeQuery("SELECT MIN(line) FROM " + staging + " i WHERE EXISTS "
                                + "(SELECT 1 FROM students t WHERE t.id = i.id OR t.email = i.email)")) {
                    if (!clash.next() || clash.getObject(1) == null) {
                        throw e;
                    }
                    return new BadRowException(clash.getInt(1),
                            "duplicate key: this id or email is already in the database");
                }
            }
            try {
                report.accept(count(admin, "students")); // this transaction's count: the rows are in it
            } catch (SQLException | RuntimeException | Error e) {
                open = rollBack(admin, e); // before setAutoCommit(true), which would commit them
                throw e;
            }
            try {
                commit.commit(admin);
            } catch (SQLException e) {
                open = rollBack(admin, e);
                throw new CommitFailed(e);
            }
            return null;
        } catch (SQLException | RuntimeException | Error e) {
            thrown = e;
            throw e;
        } finally {
            try {
                if (open) {
                    admin.setAutoCommit(true);
                } else {
                    retired.run(); // before the close, which may fail and leave the transaction open on admin
                    admin.close(); // not setAutoCommit(true): it would commit what the rollback failed to undo
                }
            } catch (SQLException e) { // a database closed under the import: what failed first is what is reported
                if (thrown == null) {
                    throw e;
                }
                thrown.addSuppressed(e);
            }
        }
    }

    /**
     * The merge ({@link #mergeIntoStudents}), {@code heading} (the summary's, on stdout) written before its commit.
     * If the heading fails as stdout is gone ({@link OutputClosed}) and the rollback after it fails too (the merge
     * then retires and closes {@code admin}: {@link #adminRetired}), what the database holds is asked as after a
     * failed commit ({@link #stateAfterFailedCommit}, on a connection of its own) and said in one line on
     * {@code err}, and {@link #mayHoldRowsAfterFailedCommit} is set if it may hold rows; then the {@link OutputClosed}
     * is thrown, and the import ends as it does whenever stdout fails. Called on the command's thread, the only one
     * that uses {@code admin}.
     */
    BadRowException mergeWithHeading(Connection admin, String url, String staging, long before, String shown,
            java.util.function.LongConsumer heading, PrintWriter err) throws SQLException {
        try {
            return mergeIntoStudents(admin, staging, students -> {
                try {
                    heading.accept(students);
                } catch (OutputClosed closed) { // which keeps no suppressed exception: the rollback's is wanted
                    throw new HeadingFailed(closed);
                }
            }, () -> adminRetired = true);
        } catch (HeadingFailed failed) {
            Throwable[] notRolledBack = failed.getSuppressed(); // what the merge added: its rollback's failure first
            if (notRolledBack.length > 0) {
                String state = stateAfterFailedCommit(admin, url, before);
                err.println("import failed: " + shown + ": stdout failed before the commit, and the rollback after "
                        + "it failed too (" + DemoApp.oneLine(notRolledBack[0]) + "). " + state);
                err.flush();
            }
            throw failed.closed;
        }
    }

    /** The summary's heading failed ({@link OutputClosed}): carries what the merge suppresses in that failure. */
    private static final class HeadingFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final OutputClosed closed;

        HeadingFailed(OutputClosed closed) {
            super(closed.getMessage(), closed, true, false);
            this.closed = closed;
        }
    }

    /**
     * Rolls {@code c}'s transaction back after {@code failure}; returns false, with the rollback's own failure
     * added to {@code failure} as suppressed, if it could not be.
     */
    private static boolean rollBack(Connection c, Throwable failure) {
        try {
            c.rollback();
            return true;
        } catch (SQLException notRolledBack) {
            failure.addSuppressed(notRolledBack);
            return false;
        }
    }

    /**
     * Whether the merge has retired {@code admin} (a rollback on it failed; {@link #mergeIntoStudents}): it may
     * still hold the merge's transaction, open, if its close failed too, and no statement runs on it again. Read and
     * written on the command's thread only.
     */
    private boolean adminRetired;

    /**
     * Closes {@code admin} as the import ends, as try-with-resources would: a close that fails is suppressed in
     * {@code thrown}, what the import threw, if it threw, and is thrown otherwise; but not if the merge retired
     * {@code admin} ({@link #adminRetired}). Its close failed then already, and that failure was reported with the
     * one that retired it: a failing close of it again is neither thrown nor reported (the import's report is said
     * already). Called on the command's thread, the only one that uses {@code admin}.
     */
    private void closeAdmin(Connection admin, Throwable thrown) throws SQLException {
        try {
            admin.close();
        } catch (SQLException | RuntimeException | Error e) {
            if (thrown != null) {
                thrown.addSuppressed(e);
            } else if (!adminRetired || !(e instanceof SQLException)) {
                throw e;
            }
        }
    }

    /**
     * Whether no statement may run on {@code admin} any more: the merge retired it ({@link #adminRetired}) or closed
     * it. Then what would run on it runs on a connection of its own. Called on the command's thread.
     */
    private boolean adminOutOfUse(Connection admin) throws SQLException {
        return adminRetired || admin.isClosed();
    }

    /**
     * Drops the staging table, on {@code admin}, or on a connection of its own if {@code admin} is out of use
     * ({@link #adminOutOfUse}: after a failed rollback a drop on it would commit what the rollback failed to undo).
     * On a connection of its own, the drop may wait for the locks of a transaction left open on {@code admin}, and
     * fail. A failure is said on {@code err}, not over the import's report. Called on the command's thread.
     */
    private void dropStagingTable(Connection admin, String url, String staging, PrintWriter err) {
        try {
            if (adminOutOfUse(admin)) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + staging);
                }
            } else {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS " + staging);
                }
            }
        } catch (SQLException e) { // a database closed under the import
            err.println("could not drop the staging table " + staging + ": " + DemoApp.oneLine(e));
            err.flush();
        }
    }

    /**
     * The staging tables of the imports running in this JVM, as H2 names them (upper case). H2 lets one process at a
     * time open a database file (it locks it), so in a database this JVM has open, a staging table not listed here
     * is one an import that is gone left: one stopped mid-way (Ctrl-C, {@code kill}) runs no {@code finally}, and
     * its table stayed for ever. Added to before the table is made, removed from once it is dropped.
     */
    private static final java.util.Set<String> STAGING_IN_USE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A staging table's name as H2 keeps it: {@code students_import_} and 8 hex digits, in upper case. */
    private static final java.util.regex.Pattern STAGING_NAME = java.util.regex.Pattern.compile(
            "STUDENTS_IMPORT_[0-9A-F]{8}");

    /**
     * Drops the staging tables that imports which were stopped left in the database (one stopped while it merged
     * left its table with every row in it), and says so on {@code err}, one line each; the tables of imports
     * running in this JVM ({@link #STAGING_IN_USE}) and tables of other names stay. This is done at the start of
     * the next import, not by a shutdown hook: a hook runs while the command's thread still uses its connection
     * (H2 commits a transaction open on a connection that drops a table, and a drop on another connection waits
     * for the merge's locks), H2's own hook may have closed the database already, and a process that is killed
     * runs none. Safe to run in several imports at once: a table dropped already is skipped. Best effort: a table
     * that cannot be listed or dropped is said on {@code err}, and the import goes on (the next one tries again).
     */
    static void dropStaleStagingTables(Connection c, PrintWriter err) {
        List<String> stale = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet tables = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE "
                        + "TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_TYPE = 'BASE TABLE' "
                        + "AND TABLE_NAME LIKE 'STUDENTS\\_IMPORT\\_%' ESCAPE '\\'")) {
            while (tables.next()) {
                String name = tables.getString(1);
                if (STAGING_NAME.matcher(name).matches() && !STAGING_IN_USE.contains(name)) {
                    stale.add(name);
                }
            }
        } catch (SQLException e) {
            err.println("could not look for staging tables that stopped imports left: " + DemoApp.oneLine(e));
        }
        for (String name : stale) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS \"" + name + "\""); // a name that matched STAGING_NAME
                err.println("dropped the staging table " + name + ", which an import that was stopped left in the "
                        + "database");
            } catch (SQLException e) {
                err.println("could not drop the staging table " + name + ", which an import that was stopped left in "
                        + "the database: " + DemoApp.oneLine(e));
            }
        }
        err.flush();
    }

    /** The merge's commit failed (and was rolled back, if the database let it); the cause says why. */
    private static final class CommitFailed extends SQLException {
        private static final long serialVersionUID = 1L;

        CommitFailed(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    /**
     * Whether the database may hold rows its failed commit (or a rollback that failed after the summary's heading
     * failed) left in ({@link #stateAfterFailedCommit}): it holds another number of students than before the
     * import, or that cannot be asked. It is then kept.
     */
    private boolean mayHoldRowsAfterFailedCommit;

    /**
     * What the database holds after a commit that failed, for the line that reports it: as it was if its students
     * are as many as {@code before}; otherwise, or if it cannot be asked, that is said instead (and
     * {@link #mayHoldRowsAfterFailedCommit} is set). They are counted on {@code admin}, or, if it is out of use
     * ({@link #adminOutOfUse}: the merge's rollback failed too, and its transaction is ended by its close, or, if that
     * failed, never committed), on a connection of their own to the database at {@code url}
     * ({@link #countOnItsOwn}), which does not see what that transaction holds. Called on the command's thread, the
     * only one that uses {@code admin}.
     */
    String stateAfterFailedCommit(Connection admin, String url, long before) {
        try {
            long now = adminOutOfUse(admin) ? countOnItsOwn(url) : count(admin, "students");
            mayHoldRowsAfterFailedCommit = now != before;
            return now == before ? "Nothing was imported; the database is unchanged."
                    : String.format(Locale.ROOT, "The database holds %,d students, %,d before the import: check it.",
                            now, before);
        } catch (SQLException e) {
            mayHoldRowsAfterFailedCommit = true;
            return "Whether any row was imported could not be checked (" + DemoApp.oneLine(e) + ").";
        }
    }

    /**
     * The students in the database at {@code url}, counted on a new connection, which is closed after: a close that
     * fails is suppressed in the count's failure, and after a count that succeeded changes nothing. The database is
     * opened only if it exists: one whose files are gone is not made again, empty, to be asked.
     */
    private static long countOnItsOwn(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE");
        SQLException failed = null;
        try {
            return count(c, "students");
        } catch (SQLException e) {
            failed = e;
            throw e;
        } finally {
            try {
                c.close();
            } catch (SQLException notClosed) {
                if (failed != null) {
                    failed.addSuppressed(notClosed);
                }
            }
        }
    }

    /** How the merge is committed: {@link Connection#commit}. A test's may fail, as a full disk would. */
    @FunctionalInterface
    interface Commit {
        /** Commits {@code c}'s transaction, or throws. */
        void commit(Connection c) throws SQLException;
    }

    /** The merge's commit (replaced by tests, which restore it); called on the command's thread. */
    static volatile Commit commit = Connection::commit;

    /** How the import opens its own connection, {@code admin}: {@link DriverManager#getConnection(String)}. */
    @FunctionalInterface
    interface Connect {
        /** A new connection to the database at {@code url}, or throws. */
        Connection connect(String url) throws SQLException;
    }

    /** How {@code admin} is opened (replaced by tests, which restore it); called on the command's thread. */
    static volatile Connect connectAdmin = DriverManager::getConnection;

    private static void createStudentsTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS students (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL UNIQUE, grade INT NOT NULL CHECK (grade BETWEEN 0 AND 100))");
        }
    }

    private static void createStagingTable(Connection c, String staging) throws SQLException {
        try (Statement s = c.createStatement()) {
            // No primary key, nothing unique: chunks commit in parallel, in any order, so a clash here would
            // blame whichever of two lines came second. Duplicates are found by line, before the merge.
            s.execute("CREATE TABLE " + staging + " (id INT NOT NULL, name VARCHAR(100) NOT NULL, "
                    + "email VARCHAR(200) NOT NULL, grade INT NOT NULL CHECK (grade BETWEEN 0 AND 100), "
                    + "line INT NOT NULL)");
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The rows to import: the lines that are not blank, less the header line if the file has one. */
    private static long countDataLines(Path input) {
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String first = withoutByteOrderMark(reader.readLine());
            if (first == null) {
                return 0;
            }
            long rows = isHeader(first) || first.isBlank() ? 0 : 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows++;
                }
            }
            return rows;
        } catch (java.nio.charset.CharacterCodingException e) { // its message says only "Input length = 1"
            throw new UserError("cannot read CSV file: " + input + " (it is not UTF-8)");
        } catch (NoSuchFileException e) {
            throw new UserError("CSV file not found: " + input);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read CSV file: " + input + " (permission denied)");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("cannot read CSV file: " + input + " (" + e.getMessage() + ")");
        }
    }

    /** Where the generated sample is kept, in the working directory, unless a file there has its name. */
    static final Path SAMPLE = Path.of("students-sample.csv");

    private static final String[] SAMPLE_NAMES =
            {"Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Radia", "Ken", "Margaret"};

    /**
     * The sample's row for a student id (1 or more); its grade, 0 to 100, is computed in {@code long}: in
     * {@code int}, {@code id * 37} overflows past id 58,040,098, and the grade came out negative.
     */
    static String sampleLine(int id) {
        String name = SAMPLE_NAMES[id % SAMPLE_NAMES.length];
        return String.format(Locale.ROOT, "%d,%s %d,%s.%d@example.edu,%d", id, name, id,
                name.toLowerCase(Locale.ROOT), id, Math.floorMod(id * 37L, 101));
    }

    /**
     * Writes a sample CSV whose ids follow the largest id already in the database, so it always imports, to a new
     * file of this run's own in the working directory ({@code students-sample-<pid>-<random>.csv.tmp}): never to a
     * file that exists, nor to one another import is writing. Prints nothing; {@link #publishSample} does.
     */
    private Path writeSample(Connection c, int rows) throws SQLException, IOException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM students")) {
            r.next();
            long largest = Math.max(0, r.getLong(1)); // only negative ids: the sample starts at 1
            if (largest + rows > Integer.MAX_VALUE) { // the id column is an INT
                throw new UserError(String.format(Locale.ROOT, "no room for a sample of %,d rows: the database's "
                        + "largest id is %,d and an id is at most %,d; give a CSV, or --rows %,d or fewer", rows,
                        largest, Integer.MAX_VALUE, Integer.MAX_VALUE - largest));
            }
            sampleFirstId = largest + 1;
        }
        sampleRows = rows;
        for (int attempt = 1; ; attempt++) {
            Path file = Path.of("students-sample-" + ProcessHandle.current().pid() + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".csv.tmp");
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                w.write(Student.HEADER);
                w.newLine();
                for (int i = 0; i < rows; i++) {
                    w.write(sampleLine((int) (sampleFirstId + i)));
                    w.newLine();
                }
                return file;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    /**
     * Makes the sample written to {@code written} readable as {@link #SAMPLE} too ({@link #publish}), and says so;
     * returns the name the import is shown under.
     */
    String publishSample(Path written, PrintWriter out, PrintWriter err) throws IOException {
        String ids = String.format(Locale.ROOT, "%,d students with ids %,d..%,d", sampleRows, sampleFirstId,
                sampleFirstId + sampleRows - 1);
        Publication publication;
        try {
            publication = publish(written, err);
        } catch (NotReplaced e) {
            out.printf(Locale.ROOT, "generated a sample of %s, not kept: %s in the working directory could not be "
                    + "replaced (%s), and is left as it is; to keep a sample there, close any program that has it "
                    + "open (or let the directory be written to) and run the import again%n", ids, SAMPLE,
                    e.getCause().getMessage());
            return "generated sample";
        }
        if (publication == Publication.PUBLISHED) {
            out.printf(Locale.ROOT, "generated %s: %s%n", SAMPLE, ids);
            return SAMPLE.toString();
        }
        if (publication == Publication.LOST_RACES) {
            out.printf(Locale.ROOT, "generated a sample of %s, not kept: other imports kept replacing %s in the "
                    + "working directory with their own samples (%d times in a row), and the last one's is left there; "
                    + "to keep a sample of this import's, run it again once they are done%n", ids, SAMPLE,
                    PUBLISH_ATTEMPTS);
        } else {
            out.printf(Locale.ROOT, "generated a sample of %s, not kept: %s in the working directory is not a sample "
                    + "of this program's, and is left as it is%n", ids, SAMPLE);
        }
        return "generated sample";
    }

    /** What {@link #publish} did; the line {@link #publishSample} writes says which. */
    enum Publication {
        /** The new sample has the name {@link #SAMPLE}. */
        PUBLISHED,
        /** The file that has the name is not a sample of this program's: it stays. */
        NOT_OURS,
        /**
         * Each of {@link #PUBLISH_ATTEMPTS} times, another import gave the name to its own sample while this one
         * had the earlier sample aside: that import's sample stays.
         */
        LOST_RACES
    }

    /**
     * The file that has the name {@link #SAMPLE} could not be moved aside to be judged and replaced (open in another
     * program, on Windows; a directory that refuses the rename): it is left as it is. The cause is the move's failure.
     */
    static final class NotReplaced extends IOException {
        private static final long serialVersionUID = 1L;

        NotReplaced(java.nio.file.FileSystemException cause) {
            super(SAMPLE + " could not be replaced: " + cause.getMessage(), cause);
        }
    }

    /** How often {@link #publish} moves an earlier sample aside to replace it before it leaves the name to others. */
    static final int PUBLISH_ATTEMPTS = 3;

    /** Called (by tests) once an existing file has been judged a sample, before it is replaced. */
    static volatile Runnable judged = () -> { };

    /**
     * Gives the sample written to {@code written} the name {@link #SAMPLE}, in the same directory; returns whether
     * it has it, or why not ({@link Publication}). Never over a file this program did not write, as far as the file
     * system allows:
     * <ul>
     * <li>a new name is linked (or copied) into place only if no file has it, atomically (of two imports at once,
     *     one makes it, the other finds it);
     * <li>an existing file is first moved aside, atomically, to a name of this run's own ({@code <written>.old}),
     *     and judged there ({@link #isSample}), where no one writes it by name: one that is not a sample goes back
     *     (linked back, so never over a file made meanwhile); the new sample takes the name only if no file was
     *     made with it meanwhile; and the old file is judged again after: one written in place meanwhile (by an
     *     editor that had it open) goes back, in place of the new sample;
     * <li>a file that goes back takes its name over a sample made with it meanwhile (another import's, which any
     *     import makes again), never over another file (it then stays aside, and is named on {@code err});
     * <li>when another import gives the name to its own sample while this one has the earlier sample aside, this
     *     one starts again, up to {@link #PUBLISH_ATTEMPTS} times in all: then the other import's sample keeps it;
     * <li>a failure while the old file is aside (the new sample cannot be linked or copied: a full disk) puts it
     *     back before it is thrown; a put-back that fails too, even with an Error, is suppressed in that failure
     *     (unless it is an {@link OutOfMemoryError}, to which nothing is added), never thrown in its place.
     * </ul>
     * What remains: a write in place between the second judgement and the old file's deletion is lost with it;
     * while the old file is aside (a few system calls) the name is missing to readers; a file made with the name
     * between its judgement as another import's sample and the rename over it is lost; and where it cannot be
     * linked back (no hard links), it goes back by a rename that checks first. Not safe for two threads of one
     * JVM with the same {@code written}; imports each have their own.
     *
     * @param err where a file that could not go back is named (a file of someone's took its name meanwhile)
     * @throws NotReplaced if the file that has the name cannot be moved aside: it is left as it is, unjudged
     */
    static Publication publish(Path written, PrintWriter err) throws IOException {
        Path sample = written.resolveSibling(SAMPLE);
        Path aside = written.resolveSibling(written.getFileName() + ".old");
        for (int attempt = 0; attempt < PUBLISH_ATTEMPTS; attempt++) {
            try {
                linkOrCopy(written, sample);
                return Publication.PUBLISHED;
            } catch (FileAlreadyExistsException e) {
                // an earlier sample, or a file that is not one: judged aside
            }
            try {
                Files.move(sample, aside, StandardCopyOption.ATOMIC_MOVE); // rename(2): the file, not a copy
            } catch (NoSuchFileException e) {
                continue; // gone meanwhile: look again
            } catch (java.nio.file.FileSystemException e) {
                throw new NotReplaced(e); // cannot be moved (open, on Windows): left as it is, ours or not
            }
            Boolean replaced;
            try {
                replaced = replaceAside(written, sample, aside, err);
            } catch (IOException | RuntimeException | Error e) {
                if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) { // not to be left under a temporary name
                    try {
                        putBack(aside, sample, err);
                    } catch (IOException | RuntimeException | Error notBack) { // e stays what is thrown
                        if (!(e instanceof OutOfMemoryError) && notBack != e) { // the JVM may share an OOM
                            e.addSuppressed(notBack);
                        }
                    }
                }
                throw e;
            }
            if (replaced != null) {
                return replaced ? Publication.PUBLISHED : Publication.NOT_OURS;
            }
        }
        return Publication.LOST_RACES; // other imports took the name each time
    }

    /**
     * {@link #publish} once the file that had the name is {@code aside}: whether the new sample has the name now, or
     * null if a file was made with the name meanwhile and the old one, a sample, was deleted (to be tried again).
     */
    private static Boolean replaceAside(Path written, Path sample, Path aside, PrintWriter err) throws IOException {
        if (!isSample(aside)) {
            putBack(aside, sample, err);
            return false;
        }
        judged.run();
        boolean published;
        try {
            linkOrCopy(written, sample);
            published = true;
        } catch (FileAlreadyExistsException e) {
            published = false; // a file was made with that name meanwhile: it stays
        }
        if (!isSample(aside)) { // written in place since it was judged: it is someone's now
            if (published) {
                Files.move(aside, sample, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                putBack(aside, sample, err);
            }
            return false;
        }
        Files.delete(aside);
        return published ? Boolean.TRUE : null;
    }

    /**
     * Gives {@code aside} its name back; over a file made with that name meanwhile only if it is a sample of this
     * program's (another import's: any import makes it again), else it stays aside, and that is said on {@code err}.
     */
    private static void putBack(Path aside, Path name, PrintWriter err) throws IOException {
        try {
            try {
                Files.createLink(name, aside);
                Files.delete(aside);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) { // no hard links here
                Files.move(aside, name); // not over a file: checks, then renames
            }
        } catch (FileAlreadyExistsException e) {
            if (isSample(name)) { // another import's sample: the file that had the name first comes first
                Files.move(aside, name, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            err.println(name + " was made while this import had the earlier one aside: that one is kept as " + aside);
            err.flush();
        }
    }

    /**
     * A temporary file of an import's, as {@link #writeSample} and {@link #publish} name them: the process id of the
     * import, a random part; {@code .old}: the earlier {@link #SAMPLE}, aside while it is judged.
     */
    private static final java.util.regex.Pattern TEMPORARY =
            java.util.regex.Pattern.compile("students-sample-(\\d{1,19})-[0-9a-z]{1,13}\\.csv\\.tmp(\\.old)?");

    /**
     * A temporary file as earlier versions of the program named them: no process id, only the random part; with
     * {@code .old} (the earlier sample aside) or, in the versions before that, {@code .next} (a link to, or a copy
     * of, the sample, renamed onto {@link #SAMPLE}). Told from {@link #TEMPORARY} by having no {@code -} after
     * {@code students-sample-}.
     */
    private static final java.util.regex.Pattern WITHOUT_PID =
            java.util.regex.Pattern.compile("students-sample-[0-9a-z]{1,13}\\.csv\\.tmp(\\.old|\\.next)?");

    /**
     * How long a temporary file named as earlier versions named them ({@link #WITHOUT_PID}) stays untouched: with no
     * process id, nothing tells whether its import still runs, so only an age far past any import's length does.
     */
    static final java.time.Duration WITHOUT_PID_STALE_AFTER = java.time.Duration.ofDays(1);

    /**
     * How long a temporary file of an import that is gone stays untouched: a process id says nothing about an import
     * on another host that shares the directory (a network file system), and such an import reads its file for a
     * few seconds after it has written it.
     */
    static final java.time.Duration STALE_AFTER = java.time.Duration.ofMinutes(10);

    /**
     * Removes, from {@code dir}, the temporary files that imports which were killed left (a killed process runs no
     * {@code finally}): a file is stale if its name is one an import gives ({@link #TEMPORARY}), it is a regular file
     * (not a link) of the user running this import, it was last modified more than {@code staleAfter} ago, and the
     * process its name names is gone, or is a process started after that (its id was reused). A {@code .old} keeps
     * the earlier sample's own modification time, which says nothing of the import: it is dated by the import's
     * sample beside it (same name without {@code .old}), both times past {@code staleAfter}, and without one it is
     * stale only once no process has the id. A stale sample is deleted; a stale {@code .old} is the earlier
     * {@link #SAMPLE}: it goes back to that name if no file has it, else it is deleted if it is a sample, else left
     * where it is (and named on {@code err}). Anything that cannot be read or told is left as it is. Safe to run in
     * several imports at once: each removal is of a file of a process that is gone, and one that is removed already
     * is skipped.
     * <p>
     * A file named as earlier versions named them, without a process id ({@link #WITHOUT_PID}), has no process to
     * ask: it is stale if it is a regular file of this user's, last modified more than
     * {@link #WITHOUT_PID_STALE_AFTER} ago, and, for a sample, if it is one this program wrote or began to write
     * ({@link #isSample(Path, boolean)}: a file of that name with other content is someone's own, and stays); a
     * {@code .next} (a name of the sample, made to be renamed onto {@link #SAMPLE}) is judged as a sample. Its
     * {@code .old} is dated by the sample beside it, as above; without one, it is stale (an import writes its sample
     * before it moves the earlier one aside, and deletes its sample only as it ends). A stale one goes as above.
     */
    static void removeStale(Path dir, java.time.Duration staleAfter, PrintWriter err) {
        java.nio.file.attribute.UserPrincipal me;
        try {
            me = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return; // whose files are whose cannot be told here: none is touched
        }
        java.time.Instant before = java.time.Instant.now().minus(staleAfter);
        java.time.Instant withoutPidBefore = java.time.Instant.now().minus(WITHOUT_PID_STALE_AFTER);
        List<Path> listed = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, "students-sample-*.tmp*")) {
            files.forEach(listed::add);
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            return; // a directory that cannot be listed: nothing is removed
        }
        // Each .old before the samples: it is dated by the sample beside it, which may be stale and removed too.
        listed.sort(java.util.Comparator.comparing(file -> !file.getFileName().toString().endsWith(".old")));
        for (Path file : listed) {
            String fileName = file.getFileName().toString();
            java.util.regex.Matcher name = TEMPORARY.matcher(fileName);
            boolean withPid = name.matches();
            if (!withPid && !WITHOUT_PID.matcher(fileName).matches()) {
                continue;
            }
            boolean old = fileName.endsWith(".old");
            java.time.Instant oldEnough = withPid ? before : withoutPidBefore;
            try {
                var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                java.time.Instant modified = attributes.lastModifiedTime().toInstant();
                java.time.Instant byImport = modified; // when the import last wrote: null if not known
                if (old) { // the earlier sample aside keeps its own time: not the import's
                    byImport = lastModified(file.resolveSibling(
                            fileName.substring(0, fileName.length() - ".old".length())));
                }
                if (!attributes.isRegularFile() || !me.equals(Files.getOwner(file, LinkOption.NOFOLLOW_LINKS))
                        || modified.isAfter(oldEnough) || byImport != null && byImport.isAfter(oldEnough)
                        || (withPid ? mayBeRunning(Long.parseLong(name.group(1)), byImport)
                                : !old && !isSample(file, true))) {
                    continue;
                }
                if (!old) {
                    Files.deleteIfExists(file);
                } else if (!Files.exists(dir.resolve(SAMPLE), LinkOption.NOFOLLOW_LINKS)) {
                    putBack(file, dir.resolve(SAMPLE), err);
                } else if (isSample(file)) {
                    Files.deleteIfExists(file);
                } else {
                    err.println(file + " is what " + SAMPLE + " was when an import had it aside (one that was "
                            + "stopped, or that found a file of someone's with that name as it put it back); it is "
                            + "left there, as " + SAMPLE + " is another file now");
                    err.flush();
                }
            } catch (IOException | NumberFormatException e) {
                // gone meanwhile, or not to be told: left as it is
            }
        }
    }

    /** A file's modification time; null if there is no such file (or it cannot be read). */
    private static java.time.Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether process {@code pid} may be the import that last modified a file at {@code modified}: it is alive and
     * did not start after that. A process's start is known to a second or so (Linux counts it from the boot time,
     * in whole seconds): one that started less than {@link #START_SLACK} after may be it. With {@code modified}
     * null (an earlier sample aside, which keeps its own time, without the import's sample beside it to date the
     * import) any live process of that id may be it.
     */
    private static boolean mayBeRunning(long pid, java.time.Instant modified) {
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        if (modified == null) {
            return true;
        }
        java.util.Optional<java.time.Instant> started = process.get().info().startInstant();
        return started.isEmpty() || !started.get().isAfter(modified.plus(START_SLACK)); // after: its id was reused
    }

    private static final java.time.Duration START_SLACK = java.time.Duration.ofSeconds(2);

    /** A new name for {@code file}: a hard link, else a copy; never over an existing file. */
    private static void linkOrCopy(Path file, Path name) throws IOException {
        try {
            Files.createLink(name, file);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) { // no hard links here
            Files.copy(file, name); // fails if the name exists
        }
    }

    /**
     * Whether {@code file} is a sample this program wrote: a regular file (not a link), byte for byte a header and
     * the rows {@link #sampleLine} makes for consecutive ids, as {@link #writeSample} writes them. Anything else
     * (a user's own file of that name, a sample someone edited) is not, and is never replaced.
     */
    static boolean isSample(Path file) {
        return isSample(file, false);
    }

    /**
     * {@link #isSample(Path)}, or, with {@code cutShort}, also the start of one, cut anywhere (empty too): what an
     * import that was killed while it wrote its sample left.
     */
    static boolean isSample(Path file, boolean cutShort) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String separator = System.lineSeparator();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS))) {
            int header = matches(in, (Student.HEADER + separator).getBytes(StandardCharsets.UTF_8), 0);
            if (header != MATCH) {
                return header == CUT && cutShort;
            }
            StringBuilder digits = new StringBuilder(); // the first row's id, which the others follow
            int b = in.read();
            if (b < 0) {
                return true; // --rows 0: the header alone
            }
            for (; b >= '0' && b <= '9' && digits.length() < 10; b = in.read()) {
                digits.append((char) b);
            }
            if (digits.length() == 0 || digits.charAt(0) == '0'
                    || Long.parseLong(digits.toString()) > Integer.MAX_VALUE) {
                return false;
            }
            if (b != ',') {
                return b < 0 && cutShort;
            }
            int id = Integer.parseInt(digits.toString());
            int first = matches(in, (sampleLine(id) + separator).getBytes(StandardCharsets.UTF_8),
                    digits.length() + 1);
            if (first != MATCH) {
                return first == CUT && cutShort;
            }
            while (id < Integer.MAX_VALUE) {
                id++;
                if ((b = in.read()) < 0) {
                    return true;
                }
                byte[] line = (sampleLine(id) + separator).getBytes(StandardCharsets.UTF_8);
                if (b != (line[0] & 0xff)) {
                    return false;
                }
                int next = matches(in, line, 1);
                if (next != MATCH) {
                    return next == CUT && cutShort;
                }
            }
            return in.read() < 0;
        } catch (IOException e) {
            return false; // unreadable: not known to be ours
        }
    }

    /** What {@link #matches} found: every byte expected; the file ended before them, each so far as expected. */
    private static final int MATCH = 1;
    private static final int CUT = 0;

    /**
     * Whether the next bytes of {@code in} are {@code expected} from index {@code from} on: {@link #MATCH}, or
     * {@link #CUT} if {@code in} ends before them with each byte so far as expected, or -1 at a byte that differs.
     */
    private static int matches(InputStream in, byte[] expected, int from) throws IOException {
        for (int i = from; i < expected.length; i++) {
            int b = in.read();
            if (b != (expected[i] & 0xff)) {
                return b < 0 ? CUT : -1;
            }
        }
        return MATCH;
    }
}
