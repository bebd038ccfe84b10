package dev.workerpool.sample;

import static dev.workerpool.sample.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.sample.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
