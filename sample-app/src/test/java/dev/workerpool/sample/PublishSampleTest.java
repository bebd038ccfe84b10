package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacing an earlier generated {@code students-sample.csv} while someone else writes it. It was judged, then
 * replaced by a rename: a file written in between (by name, or in place by an editor that had it open) was lost.
 * {@link ImportCommand#judged} runs that someone else at the worst moment: after the judgement.
 */
class PublishSampleTest {

    @TempDir
    Path dir;

    private Path sample;
    private Path written;

    private static String sampleOf(int first, int rows) {
        StringBuilder text = new StringBuilder(Student.HEADER).append(System.lineSeparator());
        for (int id = first; id < first + rows; id++) {
            text.append(ImportCommand.sampleLine(id)).append(System.lineSeparator());
        }
        return text.toString();
    }

    private void anEarlierSampleAndANewOne() throws IOException {
        sample = Files.writeString(dir.resolve("students-sample.csv"), sampleOf(1, 3));
        assertTrue(ImportCommand.isSample(sample));
        written = Files.writeString(dir.resolve("students-sample-new.csv.tmp"), sampleOf(4, 3));
    }

    private final java.io.StringWriter said = new java.io.StringWriter();
    private final java.io.PrintWriter err = new java.io.PrintWriter(said, true);

    @AfterEach
    void noHook() {
        ImportCommand.judged = () -> { };
    }

    /** What a test does to the files once the earlier sample has been judged. */
    @FunctionalInterface
    private interface OnFiles {
        void run() throws IOException;
    }

    /** Makes {@code action} the hook {@link ImportCommand#judged}, its {@link IOException} thrown unchecked. */
    private static void whenJudged(OnFiles action) {
        ImportCommand.judged = () -> {
            try {
                action.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    /** The names in the directory besides the new sample, which the import deletes itself. */
    private List<String> leftBesides() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals("students-sample-new.csv.tmp")).sorted().toList();
        }
    }

    @Test
    void anEarlierSampleIsReplaced() throws IOException {
        anEarlierSampleAndANewOne();
        assertEquals(ImportCommand.Publication.PUBLISHED, ImportCommand.publish(written, err));
        assertEquals(sampleOf(4, 3), Files.readString(sample));
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals("", said.toString());
    }

    /** A file that is not a sample goes back as it was: the same file, not a copy (an editor may have it open). */
    @Test
    void aFileThatIsNotASampleGoesBackAsItWas() throws IOException {
        anEarlierSampleAndANewOne();
        Files.writeString(sample, "mine\n");
        Object key = Files.readAttributes(sample, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        assertEquals(ImportCommand.Publication.NOT_OURS, ImportCommand.publish(written, err), "not kept");
        assertEquals("mine\n", Files.readString(sample));
        if (key != null) {
            assertEquals(key, Files.readAttributes(sample, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey(), "the same file");
        }
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals("", said.toString());
    }

    /** A user saves a file of that name (a new one, by name: an editor's save-as-rename) after the judgement. */
    @Test
    void aFileWrittenByNameAfterTheJudgementIsKept() throws IOException {
        anEarlierSampleAndANewOne();
        Path mine = Files.writeString(dir.resolve("mine.txt"), "mine\n");
        whenJudged(() -> {
            Files.move(mine, sample, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        });
        assertEquals(ImportCommand.Publication.NOT_OURS, ImportCommand.publish(written, err), "not kept");
        assertEquals("mine\n", Files.readString(sample));
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals("", said.toString());
    }

    /** An editor that had the file open writes it in place after the judgement: its text is what stays. */
    @Test
    void aFileWrittenInPlaceAfterTheJudgementIsKept() throws IOException {
        anEarlierSampleAndANewOne();
        String edited = sampleOf(1, 3).replace("Grace 1,", "Grace Hopper,");
        assertFalse(edited.equals(sampleOf(1, 3)));
        try (FileChannel open = FileChannel.open(sample, StandardOpenOption.WRITE)) {
            whenJudged(() -> {
                open.write(ByteBuffer.wrap(edited.getBytes(StandardCharsets.UTF_8)), 0);
                open.truncate(edited.getBytes(StandardCharsets.UTF_8).length);
            });
            assertEquals(ImportCommand.Publication.NOT_OURS, ImportCommand.publish(written, err), "not kept");
        }
        assertEquals(edited, Files.readString(sample));
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals("", said.toString());
    }

    /**
     * The new sample cannot be written once the earlier one is aside (here its file is gone; a full disk under a
     * copy does the same): the earlier sample goes back to its name before the failure is thrown. It stayed aside
     * under a temporary name, and {@code students-sample.csv} was missing.
     */
    @Test
    void aFailureAfterTheEarlierSampleWasMovedAsidePutsItBack() throws IOException {
        anEarlierSampleAndANewOne();
        whenJudged(() -> {
            Files.delete(written); // the link, then the copy, fail
        });
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImportCommand.publish(written, err));
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals(sampleOf(1, 3), Files.readString(sample), "the earlier sample, back");
        assertEquals("", said.toString());
    }

    /**
     * Two imports at once: while this one has the earlier file aside, an editor writes it in place (it is someone's
     * now) and another import publishes its sample under the name. The someone's file goes back, over the other
     * import's sample, which any import makes again. It stayed aside under a temporary name (a line said so), a
     * later import without a CSV reported it as left by an import that was killed, and the generated sample had
     * the name.
     */
    @Test
    void aFileThatIsSomeonesGoesBackOverASampleAnotherImportPublishedMeanwhile() throws IOException {
        anEarlierSampleAndANewOne();
        String edited = sampleOf(1, 3).replace("Grace 1,", "Grace Hopper,");
        try (FileChannel open = FileChannel.open(sample, StandardOpenOption.WRITE)) {
            whenJudged(() -> {
                open.write(ByteBuffer.wrap(edited.getBytes(StandardCharsets.UTF_8)), 0);
                open.truncate(edited.getBytes(StandardCharsets.UTF_8).length);
                Files.writeString(sample, sampleOf(7, 3), StandardOpenOption.CREATE_NEW); // the other import
            });
            assertEquals(ImportCommand.Publication.NOT_OURS, ImportCommand.publish(written, err), "not kept");
        }
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals(edited, Files.readString(sample));
        assertEquals("", said.toString());
    }

    /**
     * Each time this import has the earlier sample aside, another import gives the name to its own sample, as often
     * as this one tries: the last other import's sample keeps the name, and the line on stdout says that other imports
     * kept replacing it. It said the file was "not a sample of this program's", which it is.
     */
    @Test
    void anImportThatLosesTheNameToOtherImportsEachTimeSaysSo() throws IOException {
        anEarlierSampleAndANewOne();
        java.util.concurrent.atomic.AtomicInteger others = new java.util.concurrent.atomic.AtomicInteger();
        whenJudged(() -> { // another import publishes its sample, ids following the earlier one's
            Files.writeString(sample, sampleOf(10 * others.incrementAndGet(), 3), StandardOpenOption.CREATE_NEW);
        });
        java.io.StringWriter printed = new java.io.StringWriter();
        String shown = new ImportCommand().publishSample(written, new java.io.PrintWriter(printed, true), err);
        assertEquals("generated sample", shown);
        assertEquals(ImportCommand.PUBLISH_ATTEMPTS, others.get(), "tries");
        assertEquals(sampleOf(10 * ImportCommand.PUBLISH_ATTEMPTS, 3), Files.readString(sample), "the last one's");
        assertEquals(List.of("students-sample.csv"), leftBesides());
        assertEquals("", said.toString());
        String line = printed.toString();
        assertTrue(line.startsWith("generated a sample of ") && line.contains(", not kept: other imports kept "
                + "replacing students-sample.csv in the working directory with their own samples ("
                + ImportCommand.PUBLISH_ATTEMPTS + " times in a row)")
                && line.contains("run it again once they are done"), line);
    }

    /**
     * The earlier sample cannot be moved aside (a file open in another program, on Windows; a directory that refuses
     * the rename): here the name aside, the new sample's with {@code .old} added, is too long for the file system.
     * The earlier sample stays as it was, and the line on stdout says it could not be replaced, why, and what to do.
     * It said the file was "not a sample of this program's", which it is.
     */
    @Test
    void anEarlierSampleThatCannotBeMovedAsideIsSaidToBeNotReplaced() throws IOException {
        sample = Files.writeString(dir.resolve("students-sample.csv"), sampleOf(1, 3));
        String name = "students-sample-" + "n".repeat(254 - "students-sample-.csv.tmp".length()) + ".csv.tmp";
        try {
            Files.delete(Files.createFile(dir.resolve(name + ".old")));
            org.junit.jupiter.api.Assumptions.abort("this file system takes a name of " + (name.length() + 4)
                    + " characters: the move aside would not fail");
        } catch (java.nio.file.FileSystemException tooLong) {
            // as expected: the move aside fails too
        }
        written = Files.writeString(dir.resolve(name), sampleOf(4, 3));
        java.io.StringWriter printed = new java.io.StringWriter();
        String shown = new ImportCommand().publishSample(written, new java.io.PrintWriter(printed, true), err);
        assertEquals("generated sample", shown);
        String line = printed.toString();
        assertTrue(line.startsWith("generated a sample of ") && line.contains(", not kept: students-sample.csv in "
                + "the working directory could not be replaced (" + sample + " -> ")
                && line.contains("File name too long), and is left as it is; to keep a sample there, close any "
                        + "program that has it open (or let the directory be written to) and run the import again"),
                line);
        assertEquals(sampleOf(1, 3), Files.readString(sample), "the earlier sample, as it was");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Stream.of("students-sample.csv", name).sorted().toList(),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing aside");
        }
        assertEquals("", said.toString());
    }

    /** An {@code err} whose every line fails with {@code failure}, as a line that cannot be made (out of memory). */
    private static java.io.PrintWriter failingWith(Error failure) {
        return new java.io.PrintWriter(new java.io.StringWriter(), true) {
            @Override
            public void println(String line) {
                throw failure;
            }
        };
    }

    /**
     * Once the earlier sample is aside, a file of someone's takes the name and the new sample is gone, so its link
     * and copy fail; putting the earlier sample back finds the someone's file, and the line that says so fails with
     * an Error. The failure that called for the put-back is what is thrown, with the put-back's Error suppressed in
     * it. The put-back's Error was thrown in its place.
     */
    @Test
    void aPutBackThatFailsWithAnErrorMasksNotTheFailureThatCalledForIt() throws IOException {
        anEarlierSampleAndANewOne();
        whenJudged(() -> {
            Files.delete(written); // the link, then the copy, fail
            Files.writeString(sample, "mine\n"); // the put-back finds it, and says so on err
        });
        OutOfMemoryError notBack = new OutOfMemoryError("Java heap space");
        Throwable thrown = assertThrows(Throwable.class, () -> ImportCommand.publish(written, failingWith(notBack)));
        assertEquals(java.nio.file.NoSuchFileException.class, thrown.getClass(), thrown.toString());
        assertEquals(List.of(notBack), List.of(thrown.getSuppressed()));
        assertEquals("mine\n", Files.readString(sample), "the someone's file");
        assertEquals(sampleOf(1, 3), Files.readString(dir.resolve("students-sample-new.csv.tmp.old")),
                "the earlier sample, still aside");
    }

    /**
     * The failure while the earlier sample is aside is an Error itself (out of memory), and the put-back fails with
     * another: the first is thrown, and nothing is added to it (an OutOfMemoryError may be one the JVM shares).
     * The put-back's Error was thrown in its place.
     */
    @Test
    void anOutOfMemoryErrorIsThrownAsItIsWhenThePutBackFailsToo() throws IOException {
        anEarlierSampleAndANewOne();
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space");
        whenJudged(() -> {
            Files.writeString(sample, "mine\n"); // the put-back finds it, and says so on err
            throw outOfMemory;
        });
        AssertionError notBack = new AssertionError("the line could not be written");
        Throwable thrown = assertThrows(Throwable.class, () -> ImportCommand.publish(written, failingWith(notBack)));
        assertSame(outOfMemory, thrown, thrown.toString());
        assertEquals(0, thrown.getSuppressed().length, List.of(thrown.getSuppressed()).toString());
        assertEquals("mine\n", Files.readString(sample), "the someone's file");
    }
}
