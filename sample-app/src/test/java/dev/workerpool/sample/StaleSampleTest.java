package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary files of an import that was killed ({@code students-sample-<pid>-<random>.csv.tmp}, and the earlier
 * sample it had aside, {@code ....csv.tmp.old}) stayed for ever; the next import with no CSV removes those of a
 * process that is gone, and puts an earlier sample back where it was.
 */
class StaleSampleTest {

    private static final int BOUND_SECONDS = 60;

    @TempDir
    Path dir;

    private List<String> names(Path in) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<Path> temporary(Path in) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            return files.filter(p -> p.getFileName().toString().matches("students-sample-.*\\.tmp.*")).toList();
        }
    }

    /**
     * An import killed ({@code kill -9}) while it writes its sample leaves the file; once it is older than
     * {@link ImportCommand#STALE_AFTER}, the next import removes it.
     */
    @Test
    void theTemporaryFileOfAKilledImportIsRemovedByTheNextOne() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Process killed = new ProcessBuilder(Cli.childCommand(List.of("-Xmx128m"), "import", "--rows", "10000000",
                "--database", "db")).directory(work.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Path> left;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while ((left = temporary(work)).isEmpty() && killed.isAlive() && System.nanoTime() < deadline) {
                killed.waitFor(20, TimeUnit.MILLISECONDS); // polls the directory: the file is the event
            }
            assertEquals(1, left.size(), "the sample being written: " + names(work));
        } finally {
            killed.destroyForcibly();
            assertTrue(killed.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "killed");
        }
        assertEquals(left, temporary(work), "left by the killed import");
        Files.setLastModifiedTime(left.get(0), FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        Cli.Run next = Cli.inChild(work, Duration.ofSeconds(BOUND_SECONDS),
                Cli.childCommand(List.of("-Xmx128m"), "import", "--rows", "10", "--database", "db"));
        assertEquals(0, next.code(), next.out() + next.err());
        assertEquals(List.of(), temporary(work), "removed by the next import");
        assertEquals(List.of("db.mv.db", "students-sample.csv"), names(work));
    }

    /** The id of a process that has ended. */
    private static long aDeadProcess() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "java -version ended");
        } finally {
            process.destroyForcibly();
        }
        return process.pid();
    }

    private Path file(String name, String text, Duration age) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static String sampleOf(int first, int rows) {
        StringBuilder text = new StringBuilder(Student.HEADER).append(System.lineSeparator());
        for (int id = first; id < first + rows; id++) {
            text.append(ImportCommand.sampleLine(id)).append(System.lineSeparator());
        }
        return text.toString();
    }

    /** Which files are stale: of an import that is gone, old enough, a regular file, named as an import names it. */
    @Test
    void onlyTheFilesOfImportsThatAreGoneAreRemoved() throws Exception {
        long dead = aDeadProcess();
        long alive = ProcessHandle.current().pid(); // started before the files were modified, but for one
        Duration old = Duration.ofSeconds(1);
        file("students-sample-" + dead + "-stale.csv.tmp", "x", old);
        file("students-sample-" + alive + "-reused.csv.tmp", "x", Duration.ofDays(1)); // before this JVM started
        file("students-sample-" + dead + "-fresh.csv.tmp", "x", Duration.ZERO);
        file("students-sample-" + alive + "-running.csv.tmp", "x", old);
        file("students-sample-stale.csv.tmp", "x", old); // an earlier version's name: not a day old, nor a sample
        file("students-sample-" + dead + "-x.csv.tmp.next", "x", old);
        Path target = file("target.txt", "mine", old);
        Path link = dir.resolve("students-sample-" + dead + "-link.csv.tmp");
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            link = null;
        }
        java.io.StringWriter said = new java.io.StringWriter();
        ImportCommand.removeStale(dir, Duration.ofMillis(500), new java.io.PrintWriter(said, true));
        List<String> expected = new java.util.ArrayList<>(List.of("students-sample-" + alive + "-running.csv.tmp",
                "students-sample-" + dead + "-fresh.csv.tmp", "students-sample-" + dead + "-x.csv.tmp.next",
                "students-sample-stale.csv.tmp", "target.txt"));
        if (link != null) {
            expected.add(link.getFileName().toString());
        }
        assertEquals(expected.stream().sorted().toList(), names(dir));
        assertEquals("mine", Files.readString(target));
        assertEquals("", said.toString());
    }

    /**
     * An import killed while it had the earlier {@code students-sample.csv} aside: the file goes back to that name
     * if it is free; if not, it is deleted if it is a sample, else left and named. The line that names it said the
     * import was killed, but an import that found a file of someone's with the name as it put its file back left
     * it too ({@link ImportCommand#publish}).
     */
    @Test
    void theEarlierSampleAKilledImportHadAsideGoesBack() throws Exception {
        long dead = aDeadProcess();
        Duration old = Duration.ofMinutes(1);
        java.io.StringWriter said = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(said, true);

        file("students-sample-" + dead + "-a.csv.tmp.old", "mine\n", old);
        ImportCommand.removeStale(dir, Duration.ZERO, err);
        assertEquals(List.of("students-sample.csv"), names(dir));
        assertEquals("mine\n", Files.readString(dir.resolve("students-sample.csv")), "back where it was");

        file("students-sample-" + dead + "-b.csv.tmp.old", sampleOf(1, 3), old);
        ImportCommand.removeStale(dir, Duration.ZERO, err);
        assertEquals(List.of("students-sample.csv"), names(dir), "a sample, and the name taken: deleted");
        assertEquals("mine\n", Files.readString(dir.resolve("students-sample.csv")));
        assertEquals("", said.toString());

        Path theirs = file("students-sample-" + dead + "-c.csv.tmp.old", "theirs\n", old);
        ImportCommand.removeStale(dir, Duration.ZERO, err);
        assertEquals(List.of(theirs.getFileName().toString(), "students-sample.csv"), names(dir), "not a sample");
        assertEquals("theirs\n", Files.readString(theirs));
        assertEquals(theirs + " is what students-sample.csv was when an import had it aside (one that was stopped, "
                + "or that found a file of someone's with that name as it put it back); it is left there, as "
                + "students-sample.csv is another file now", said.toString().strip());
    }

    /**
     * A running import's earlier sample, aside while it is judged, keeps the earlier sample's modification time
     * (a rename does not change it), which is older than the import: that must not make the import look like a
     * process whose id was reused. With the import's own sample beside it (written just before it moved the
     * earlier one aside) or without it, the file is left where the import will look for it.
     */
    @Test
    void theEarlierSampleARunningImportHasAsideIsLeft() throws Exception {
        long alive = ProcessHandle.current().pid();
        java.io.StringWriter said = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(said, true);
        file("students-sample-" + alive + "-a.csv.tmp", sampleOf(10, 3), Duration.ZERO);
        file("students-sample-" + alive + "-a.csv.tmp.old", "mine\n", Duration.ofDays(1)); // before this JVM
        file("students-sample-" + alive + "-b.csv.tmp.old", sampleOf(1, 3), Duration.ofDays(1));
        ImportCommand.removeStale(dir, Duration.ZERO, err);
        assertEquals(List.of("students-sample-" + alive + "-a.csv.tmp", "students-sample-" + alive + "-a.csv.tmp.old",
                "students-sample-" + alive + "-b.csv.tmp.old"), names(dir));
        assertEquals("", said.toString());
    }

    /**
     * A killed import's sample and the earlier sample it had aside, its process id since reused (here: this JVM,
     * which started after the files were written): one pass removes the sample and puts the earlier one back,
     * whichever of the two the directory lists first (the earlier one is dated by the sample beside it).
     */
    @Test
    void aKilledImportsSampleAndTheEarlierOneAsideGoInOnePassThoughItsIdWasReused() throws Exception {
        long reused = ProcessHandle.current().pid();
        java.io.StringWriter said = new java.io.StringWriter();
        for (String random : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            file("students-sample-" + reused + "-" + random + ".csv.tmp", sampleOf(10, 3), Duration.ofDays(1));
            file("students-sample-" + reused + "-" + random + ".csv.tmp.old", "mine\n", Duration.ofDays(2));
            ImportCommand.removeStale(dir, Duration.ZERO, new java.io.PrintWriter(said, true));
            assertEquals(List.of("students-sample.csv"), names(dir), "with " + random);
            assertEquals("mine\n", Files.readString(dir.resolve("students-sample.csv")));
            Files.delete(dir.resolve("students-sample.csv"));
        }
        assertEquals("", said.toString());
    }

    /**
     * Earlier versions named the temporary files without a process id ({@code students-sample-<random>.csv.tmp},
     * and {@code .old}), and nothing removed them. With no process to ask, such a file goes once a day old, a
     * regular file of this user's, and, for a sample, only if it is one this program wrote or began to write (its
     * start, byte for byte); an earlier sample aside ({@code .old}) is dated by the sample beside it, and goes
     * back to its name as a {@code .old} of a process that is gone does.
     */
    @Test
    void oldStyleFilesWithoutAProcessIdAreRemovedOnceADayOld() throws Exception {
        Duration days = Duration.ofDays(2);
        String sample = sampleOf(1, 3);
        Path cut = file("students-sample-cut.csv.tmp", sample.substring(0, sample.length() - 7), days); // killed
        assertTrue(ImportCommand.isSample(cut, true), "the start of a sample");
        assertFalse(ImportCommand.isSample(cut), "not a whole sample");
        file("students-sample-whole.csv.tmp", sample, days);
        file("students-sample-empty.csv.tmp", "", days); // killed before its header
        file("students-sample-a.csv.tmp.old", "mine\n", days); // no sample beside: its import is over
        file("students-sample-young.csv.tmp", sample, Duration.ofHours(1));
        file("students-sample-notes.csv.tmp", "my notes\n", days); // not a sample: someone's own
        file("students-sample-b.csv.tmp", sampleOf(20, 3), Duration.ofHours(1)); // an import that may be running
        file("students-sample-b.csv.tmp.old", sampleOf(5, 3), days);
        Path target = file("target.txt", sample, days);
        Path link = dir.resolve("students-sample-link.csv.tmp");
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            link = null;
        }
        java.io.StringWriter said = new java.io.StringWriter();
        ImportCommand.removeStale(dir, Duration.ZERO, new java.io.PrintWriter(said, true));
        List<String> expected = new java.util.ArrayList<>(List.of("students-sample-b.csv.tmp",
                "students-sample-b.csv.tmp.old", "students-sample-notes.csv.tmp", "students-sample-young.csv.tmp",
                "students-sample.csv", "target.txt"));
        if (link != null) {
            expected.add(link.getFileName().toString());
        }
        assertEquals(expected.stream().sorted().toList(), names(dir));
        assertEquals("mine\n", Files.readString(dir.resolve("students-sample.csv")), "back where it was");
        assertEquals(sample, Files.readString(target));
        assertEquals("", said.toString());
    }

    /**
     * The versions before the {@code .old} file published their sample through a link (or copy) named
     * {@code students-sample-<random>.csv.tmp.next}, renamed onto {@code students-sample.csv}; an import killed
     * between the two left it. It goes as the sample it is a name of does: once a day old, and only if it is a
     * sample or the start of one (a copy cut short). Such files were never removed.
     */
    @Test
    void oldStyleNextFilesWithoutAProcessIdAreRemovedOnceADayOld() throws Exception {
        Duration days = Duration.ofDays(2);
        String sample = sampleOf(1, 3);
        file("students-sample-whole.csv.tmp.next", sample, days);
        file("students-sample-cut.csv.tmp.next", sample.substring(0, sample.length() - 5), days); // a copy, cut
        file("students-sample-young.csv.tmp.next", sample, Duration.ofHours(1));
        file("students-sample-notes.csv.tmp.next", "my notes\n", days); // not a sample: someone's own
        java.io.StringWriter said = new java.io.StringWriter();
        ImportCommand.removeStale(dir, Duration.ZERO, new java.io.PrintWriter(said, true));
        assertEquals(List.of("students-sample-notes.csv.tmp.next", "students-sample-young.csv.tmp.next"), names(dir));
        assertEquals("", said.toString());
    }

    /** A file of another user's is never touched (needs root, to make one). */
    @Test
    void anotherUsersFileIsLeft() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "root");
        Path file = file("students-sample-" + aDeadProcess() + "-theirs.csv.tmp", "x", Duration.ofMinutes(1));
        Path oldStyle = file("students-sample-theirs.csv.tmp", sampleOf(1, 3), Duration.ofDays(2));
        try {
            var nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
            Files.setOwner(oldStyle, nobody);
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no user nobody: " + e);
        }
        ImportCommand.removeStale(dir, Duration.ZERO, new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(List.of(file.getFileName().toString(), oldStyle.getFileName().toString()), names(dir));
    }
}
