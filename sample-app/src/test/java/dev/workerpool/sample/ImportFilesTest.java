package dev.workerpool.sample;

import static dev.workerpool.sample.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.sample.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code import} writes, and where: only its own files, at the paths it was given. */
class ImportFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * A {@code ;} in {@code --database} was pasted into H2's JDBC URL, where it starts H2's settings: this one
     * would have run a script when the database opened. Refused with one line and exit code 2, nothing made.
     */
    @Test
    void aDatabasePathWithASemicolonIsRefused() throws IOException {
        Path csv = Files.write(dir.resolve("good.csv"), List.of("id,name,email,grade", "1,Ada,ada@example.edu,90"));
        Files.writeString(dir.resolve("evil.sql"), "CREATE TABLE evil (i INT);\n");
        String database = dir.resolve("x").toString() + ";INIT=RUNSCRIPT FROM '" + dir.resolve("evil.sql") + "'";
        Run run = run("import", csv.toString(), "--database", database);
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("", run.out());
        assertEquals("workerpool-demo import: --database cannot hold ';' (H2 would read what follows as settings): "
                + database, run.err().strip());
        assertEquals(List.of("evil.sql", "good.csv"), names(), "no database made");
    }

    /** A backslash is a directory separator to H2, even where it is not to the file system: refused too. */
    @Test
    void aDatabasePathWithABackslashIsRefusedWhereItIsNotTheSeparator() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.io.File.separatorChar == '/', "backslash: not Windows");
        Path csv = Files.write(dir.resolve("good.csv"), List.of("id,name,email,grade", "1,Ada,ada@example.edu,90"));
        String database = dir.resolve("a\\b").toString();
        Run run = run("import", csv.toString(), "--database", database);
        assertEquals(2, run.code(), run.out() + run.err());
        assertEquals("workerpool-demo import: --database cannot hold '\\' (H2 would read it as a directory "
                + "separator): " + database, run.err().strip());
        assertEquals(List.of("good.csv"), names(), "no database made");
    }

    /** {@code import} with no CSV, in a JVM of its own whose working directory is {@code work}. */
    private static Run importInItsOwnJvm(Path work, String... args) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("import"));
        arguments.addAll(List.of(args));
        return Cli.inChild(work, Duration.ofSeconds(60),
                Cli.childCommand(List.of("-Xmx128m"), arguments.toArray(String[]::new)));
    }

    /**
     * A user's own {@code students-sample.csv} in the working directory was overwritten by the generated sample.
     * It is now left byte for byte as it was; the sample is imported all the same, and not kept.
     */
    @Test
    void aUsersOwnStudentsSampleCsvSurvivesAnImportWithNoCsv() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        byte[] mine = "id,name,email,grade\r\n7,Mine,mine@example.edu,99\r\nnot even CSV \u00e9\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(work.resolve("students-sample.csv"), mine);
        Run run = importInItsOwnJvm(work, "--rows", "10", "--database", "db");
        assertEquals(0, run.code(), run.out() + run.err());
        assertArrayEquals(mine, Files.readAllBytes(work.resolve("students-sample.csv")), "the user's file");
        assertTrue(run.out().startsWith("generated a sample of 10 students with ids 1..10, not kept: "
                + "students-sample.csv in the working directory is not a sample of this program's, and is left as "
                + "it is\n"), run.out());
        assertTrue(run.out().matches("(?s).*\\| rows imported\\s+\\|\\s+10 \\|.*"), run.out());
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of("db.mv.db", "students-sample.csv"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no sample left besides");
        }
    }

    /**
     * A sample this program wrote is replaced by the next one (its ids follow the rows now in the database); a
     * sample someone edited is not this program's any more, and stays.
     */
    @Test
    void anEarlierSampleIsReplacedButNotOneSomeoneEdited() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path sample = work.resolve("students-sample.csv");
        Run first = importInItsOwnJvm(work, "--rows", "5", "--database", "db");
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.out().startsWith("generated students-sample.csv: 5 students with ids 1..5\n"), first.out());
        assertTrue(ImportCommand.isSample(sample));
        Run second = importInItsOwnJvm(work, "--rows", "5", "--database", "db");
        assertEquals(0, second.code(), second.out() + second.err());
        assertTrue(second.out().startsWith("generated students-sample.csv: 5 students with ids 6..10\n"),
                second.out());
        List<String> lines = Files.readAllLines(sample);
        assertEquals(List.of(Student.HEADER, ImportCommand.sampleLine(6)), lines.subList(0, 2));
        assertEquals(6, lines.size());

        Files.writeString(sample, Files.readString(sample).replace("Donald 6,", "Donald Knuth,"));
        assertFalse(ImportCommand.isSample(sample), "edited");
        byte[] edited = Files.readAllBytes(sample);
        Run third = importInItsOwnJvm(work, "--rows", "5", "--database", "db");
        assertEquals(0, third.code(), third.out() + third.err());
        assertTrue(third.out().startsWith("generated a sample of 5 students with ids 11..15, not kept"), third.out());
        assertArrayEquals(edited, Files.readAllBytes(sample));
    }

    /**
     * A database that holds a student with a very large id: the sample's ids follow it, and their grades, computed
     * as {@code (id * 37) % 101} in {@code int}, overflowed past id 58,040,098 (negative grades: the import failed,
     * on the check constraint). Now every grade is 0 to 100 and the sample imports.
     */
    @Test
    void aSampleAfterAVeryLargeIdHasGradesFromZeroToAHundred() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path big = Files.writeString(dir.resolve("big.csv"),
                "id,name,email,grade\n1000000000,Big,big@example.edu,50\n");
        assertEquals(0, run("import", big.toString(), "--database", work.resolve("db").toString()).code());
        Run run = importInItsOwnJvm(work, "--rows", "1000", "--database", "db");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("generated students-sample.csv: 1,000 students with ids "
                + "1,000,000,001..1,000,001,000\n"), run.out());
        assertTrue(run.out().matches("(?s).*\\| rows imported\\s+\\|\\s+1,000 \\|.*"), run.out());
        Path sample = work.resolve("students-sample.csv");
        List<String> rows = Files.readAllLines(sample);
        assertEquals(1_001, rows.size());
        for (String row : rows.subList(1, rows.size())) {
            int grade = Integer.parseInt(row.substring(row.lastIndexOf(',') + 1));
            assertTrue(grade >= 0 && grade <= 100, row);
        }
        assertTrue(ImportCommand.isSample(sample), "the next import may replace it");
    }

    /**
     * Ids are INTs: a sample that would pass the largest one is refused in one line (exit code 2), the database as
     * it was and no sample left; it used to wrap round to negative ids (an internal error). A database of negative
     * ids only gets a sample from id 1 (it started just above the largest, negative, id: an internal error).
     */
    @Test
    void aSampleThatWouldPassTheLargestIdIsRefusedAndOneAfterNegativeIdsStartsAtOne() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path top = Files.writeString(dir.resolve("top.csv"), "id,name,email,grade\n2147483600,Top,top@example.edu,1\n");
        assertEquals(0, run("import", top.toString(), "--database", work.resolve("db").toString()).code());
        Run full = importInItsOwnJvm(work, "--rows", "100", "--database", "db");
        assertEquals(2, full.code(), full.out() + full.err());
        assertEquals("workerpool-demo import: no room for a sample of 100 rows: the database's largest id is "
                + "2,147,483,600 and an id is at most 2,147,483,647; give a CSV, or --rows 47 or fewer",
                full.err().strip());
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(List.of("db.mv.db"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Run fits = importInItsOwnJvm(work, "--rows", "47", "--database", "db");
        assertEquals(0, fits.code(), fits.out() + fits.err());
        assertTrue(fits.out().startsWith("generated students-sample.csv: 47 students with ids "
                + "2,147,483,601..2,147,483,647\n"), fits.out());

        Path negative = Files.createDirectories(dir.resolve("negative"));
        Path low = Files.writeString(dir.resolve("low.csv"), "id,name,email,grade\n-5,Low,low@example.edu,3\n");
        assertEquals(0, run("import", low.toString(), "--database", negative.resolve("db").toString()).code());
        Run after = importInItsOwnJvm(negative, "--rows", "10", "--database", "db");
        assertEquals(0, after.code(), after.out() + after.err());
        assertTrue(after.out().startsWith("generated students-sample.csv: 10 students with ids 1..10\n"), after.out());
    }
}
