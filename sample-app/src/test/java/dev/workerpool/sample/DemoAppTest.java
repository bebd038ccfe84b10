package dev.workerpool.sample;

import static dev.workerpool.sample.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.sample.Cli.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's commands end to end, through the same command line a user runs. */
class DemoAppTest {

    @TempDir
    Path dir;


    // --- hash ----------------------------------------------------------------------------------------------------

    @Test
    void hashPrintsKnownDigestsInInputOrderAndASummary() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.txt"), "hello", StandardCharsets.UTF_8);
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/b.txt"), "", StandardCharsets.UTF_8);
        Files.writeString(tree.resolve("sub/c.txt"), "abc", StandardCharsets.UTF_8);
        Run run = run("hash", tree.toString(), "--ordered", "--workers", "3", "--buffer", "1");
        assertEquals(0, run.code(), run.err());
        List<String> digests = run.out().lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).toList();
        List<String> expected = new ArrayList<>(List.of(
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  a.txt",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  " + Path.of("sub", "b.txt"),
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  " + Path.of("sub", "c.txt")));
        assertEquals(3, digests.size(), run.out());
        assertTrue(digests.containsAll(expected), run.out());
        assertTrue(run.out().contains("| files "), run.out());
        assertTrue(run.out().matches("(?s).*\\| files\\s+\\|\\s+3 \\|.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\| errors\\s+\\|\\s+0 \\|.*"), run.out());
        assertTrue(run.out().contains("MB/s"));
    }

    @Test
    void hashInOrderFollowsTheWalkOrder() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(tree.resolve(String.format(Locale.ROOT, "f%03d", i)), "x".repeat(i));
        }
        Run unordered = run("hash", tree.toString(), "--workers", "4");
        Run ordered = run("hash", tree.toString(), "--workers", "4", "--ordered");
        List<String> orderedLines = ordered.out().lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).toList();
        List<String> unorderedLines = unordered.out().lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).toList();
        assertEquals(200, orderedLines.size());
        assertEquals(orderedLines.stream().sorted().toList(), unorderedLines.stream().sorted().toList(),
                "same digests either way");
        List<String> walkOrder = new ArrayList<>();
        try (var walk = Files.walk(tree)) {
            walk.filter(Files::isRegularFile).forEach(p -> walkOrder.add(tree.relativize(p).toString()));
        }
        assertEquals(walkOrder, orderedLines.stream().map(l -> l.substring(66)).toList());
    }

    @Test
    void anUnreadableFileIsReportedNotFatal() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(tree.resolve("good.txt"), "hello");
        // A link to nothing: readable by nobody, not even root (which ignores file permissions).
        Files.createSymbolicLink(tree.resolve("dangling.txt"), tree.resolve("missing-target"));
        Run run = run("hash", tree.toString());
        assertEquals(0, run.code());
        assertTrue(run.err().contains("unreadable: " + tree.resolve("dangling.txt")), run.err());
        assertTrue(run.out().contains("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  good.txt"));
        assertTrue(run.out().matches("(?s).*\\| errors\\s+\\|\\s+1 \\|.*"), run.out());
    }

    /**
     * A directory that opens but cannot be listed ({@code /proc/1/map_files}, even for root in a container) is
     * reported as unreadable, as one that does not open is; hash and thumbs ended with an internal error (exit 3),
     * since the walk's default {@code postVisitDirectory} rethrows what ended the listing.
     */
    @Test
    void aDirectoryThatCannotBeListedIsReportedNotAnInternalError() throws IOException {
        Path mapFiles = Path.of("/proc/1/map_files");
        boolean unlistable;
        try (var entries = Files.list(mapFiles)) {
            entries.count();
            unlistable = false;
        } catch (IOException | java.io.UncheckedIOException e) {
            unlistable = true;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(unlistable, "a directory that opens but cannot be listed");
        Run hash = run("hash", mapFiles.toString());
        assertEquals(0, hash.code(), hash.err());
        assertTrue(hash.err().startsWith("unreadable: /proc/1/map_files: AccessDeniedException"), hash.err());
        assertTrue(hash.out().matches("(?s).*\\| errors\\s+\\|\\s+1 \\|.*"), hash.out());

        Run thumbs = run("thumbs", "/proc/1", "--out", dir.resolve("thumbs").toString());
        assertEquals(1, thumbs.code(), thumbs.err());
        assertTrue(thumbs.err().contains("unreadable: map_files: AccessDeniedException"), thumbs.err());
        assertFalse(thumbs.err().contains("internal error"), thumbs.err());
    }

    @Test
    void hashRejectsBadInputWithOneLine() throws IOException {
        Run missing = run("hash", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals("workerpool-demo hash: no such directory: " + dir.resolve("nope"), missing.err().strip());
        Run file = run("hash", Files.writeString(dir.resolve("plain.txt"), "x").toString());
        assertEquals(2, file.code());
        assertEquals("workerpool-demo hash: not a directory: " + dir.resolve("plain.txt"), file.err().strip());
        Run workers = run("hash", dir.toString(), "--workers", "0");
        assertEquals(2, workers.code());
        assertEquals("workerpool-demo hash: --workers must be at least 1, was 0", workers.err().strip());
        Run buffer = run("hash", dir.toString(), "--buffer", "-1");
        assertEquals("workerpool-demo hash: --buffer must be at least 0, was -1", buffer.err().strip());
        Run tooMany = run("hash", dir.toString(), "--workers", "100000");
        assertEquals(2, tooMany.code(), tooMany.err());
        assertEquals("workerpool-demo hash: FileHasherSha256Pool: workers = 100000 would start that many platform "
                + "threads; the limit is 10000", tooMany.err().strip());
        Run notANumber = run("hash", "--workers", "many");
        assertEquals(2, notANumber.code());
        assertEquals(1, notANumber.err().strip().lines().count(), notANumber.err());
        assertTrue(notANumber.err().contains("'many' is not an int"), notANumber.err());
        assertFalse(notANumber.err().contains("\tat "), "no stack trace");
    }

    // --- import --------------------------------------------------------------------------------------------------

    private Path csv(String name, List<String> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("id,name,email,grade");
        lines.addAll(rows);
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private static List<String> students(int from, int count) {
        List<String> rows = new ArrayList<>();
        for (int id = from; id < from + count; id++) {
            rows.add(id + ",Student " + id + ",s" + id + "@example.edu," + (id % 101));
        }
        return rows;
    }

    private long studentsIn(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + database.toAbsolutePath())) {
            return ImportCommand.count(c, "students");
        }
    }

    @Test
    void importsAGoodCsvAndReportsRowsPerSecond() throws Exception {
        Path database = dir.resolve("db");
        Path good = csv("good.csv", students(1, 5_000));
        Run run = run("import", good.toString(), "--database", database.toString(), "--chunk", "100", "--workers", "3");
        assertEquals(0, run.code(), run.err());
        assertEquals(5_000, studentsIn(database));
        assertTrue(run.out().matches("(?s).*\\| rows imported\\s+\\|\\s+5,000 \\|.*"), run.out());
        assertTrue(run.out().contains("rows/s"));
    }

    @Test
    void aBadRowAtLineNFailsTheWholeImportAndLeavesTheDatabaseAsItWas() throws Exception {
        Path database = dir.resolve("db");
        assertEquals(0, run("import", csv("first.csv", students(1, 1_000)).toString(), "--database",
                database.toString()).code());
        long before = studentsIn(database);

        List<String> rows = students(10_000, 3_000);
        rows.set(1_232, "11232,Broken,broken@example.edu,not-a-grade"); // file line 1,234 (the header is line 1)
        Run malformed = run("import", csv("bad.csv", rows).toString(), "--database", database.toString(), "--chunk",
                "50");
        assertEquals(1, malformed.code());
        assertTrue(malformed.err().contains("line 1234: grade 'not-a-grade' is not a whole number"), malformed.err());
        assertTrue(malformed.err().contains("the database is unchanged"));
        assertEquals(before, studentsIn(database), "nothing half-imported");

        List<String> outOfRange = students(20_000, 500);
        outOfRange.set(99, "20099,Too High,high@example.edu,101"); // line 101
        Run constraint = run("import", csv("range.csv", outOfRange).toString(), "--database", database.toString());
        assertEquals(1, constraint.code());
        assertTrue(constraint.err().contains("line 101: grade must be between 0 and 100"), constraint.err());
        assertEquals(before, studentsIn(database));
    }

    @Test
    void duplicateKeysInTheFileOrAgainstTheDatabaseAreNamedByLine() throws Exception {
        Path database = dir.resolve("db");
        Path first = csv("first.csv", students(1, 800));
        assertEquals(0, run("import", first.toString(), "--database", database.toString()).code());

        List<String> rows = students(1_000, 600);
        rows.add("1002,Again,again@example.edu,50"); // id 1002 is on line 4 already; this is line 602
        Run inFile = run("import", csv("dup.csv", rows).toString(), "--database", database.toString(), "--chunk",
                "1000");
        assertEquals(1, inFile.code());
        assertTrue(inFile.err().contains("line 602: duplicate key"), inFile.err());

        Run againstDatabase = run("import", first.toString(), "--database", database.toString());
        assertEquals(1, againstDatabase.code());
        assertTrue(againstDatabase.err().contains("line 2: duplicate key: this id or email is already in the database"),
                againstDatabase.err());
        assertEquals(800, studentsIn(database));
    }

    /**
     * Chunks reach the staging table in parallel, in any order: whichever of two clashing rows commits second
     * must not be the one blamed. The later line is the duplicate, always.
     */
    @Test
    void aDuplicateInALaterChunkNamesTheLaterLineWhateverOrderTheChunksCommitIn() throws Exception {
        List<String> sameId = students(1, 200); // file lines 2..201; line 3 has id 2
        sameId.set(40, "2,Again,again@example.edu,50"); // line 42: id 2 again
        List<String> sameEmail = students(1, 200);
        sameEmail.set(40, "5000,Again,s2@example.edu,50"); // line 42: line 3's email again
        Path idCsv = csv("same-id.csv", sameId);
        Path emailCsv = csv("same-email.csv", sameEmail);
        for (int run = 0; run < 12; run++) {
            for (Path file : List.of(idCsv, emailCsv)) {
                Run dup = run("import", file.toString(), "--database", dir.resolve("db" + run).toString(),
                        "--chunk", "40", "--workers", "4");
                assertEquals(1, dup.code(), dup.err());
                assertTrue(dup.err().contains(": line 42: duplicate key: this id or email appears earlier in the "
                        + "file (line 3)"), "run " + run + " of " + file.getFileName() + ": " + dup.err());
            }
        }
    }

    /**
     * Each worker of the import pool has a JDBC connection of its own (a session of its own in H2), opened when
     * the pool starts and closed when the worker exits: with 3 workers, the database has 3 sessions besides this
     * test's while the pool runs, and none after.
     */
    @Test
    void eachImportWorkerHasAConnectionOfItsOwnClosedWhenItExits() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("sessions").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE staging (id INT NOT NULL, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, "
                    + "grade INT NOT NULL, line INT NOT NULL)");
            java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
            StudentImporterInsertPool pool = StudentImporterInsertPool.start(() -> {
                opened.incrementAndGet();
                return StudentImporter.open(url, "staging");
            }, 3, 0);
            try {
                assertEquals(3, opened.get(), "one importer per worker");
                assertEquals(4, sessions(s), "one session per worker, and this test's");
                Thread producer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 30; i++) {
                            pool.submit(new Chunk(2 + 10 * i, students(1 + 10 * i, 10)));
                        }
                    } catch (InterruptedException e) {
                        pool.cancel();
                    } finally {
                        pool.close();
                    }
                });
                producer.start();
                for (StudentImporterInsertPool.Result result : pool.results()) {
                    assertEquals(10, result.getOrThrow());
                }
                producer.join();
            } finally {
                pool.cancel();
                pool.await();
            }
            assertEquals(1, sessions(s), "every worker closed its connection when it exited");
            assertEquals(300, ImportCommand.count(c, "staging"));
        }
    }

    private static long sessions(java.sql.Statement s) throws SQLException {
        try (java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void importRejectsBadInputWithOneLine() {
        Run missing = run("import", dir.resolve("missing.csv").toString(), "--database", dir.resolve("db").toString());
        assertEquals(2, missing.code());
        assertEquals("workerpool-demo import: CSV file not found: " + dir.resolve("missing.csv"),
                missing.err().strip());
        Run chunk = run("import", "--chunk", "0", "--database", dir.resolve("db").toString());
        assertEquals("workerpool-demo import: --chunk must be between 1 and 100,000, was 0", chunk.err().strip());
        Run unknown = run("import", "--colour", "blue");
        assertEquals(2, unknown.code());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
    }

    @Test
    void helpListsTheCommandsAndTheirOptions() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("Usage: workerpool-demo [-hV] [COMMAND]"), help.out());
        for (String expected : List.of("hash", "import", "basics", "classify", "thumbs", "scrape", "serve",
                "Exit codes:")) {
            assertTrue(help.out().contains(expected), expected + " in\n" + help.out());
        }
        Run hashHelp = run("hash", "--help");
        for (String option : List.of("--workers=W", "--buffer=B", "--ordered", "--quiet", "DIR")) {
            assertTrue(hashHelp.out().contains(option), option + " in\n" + hashHelp.out());
        }
        Run importHelp = run("import", "--help");
        for (String option : List.of("--database=FILE", "--rows=N", "--chunk=N", "--workers=W", "CSV")) {
            assertTrue(importHelp.out().contains(option), option + " in\n" + importHelp.out());
        }
    }
}
