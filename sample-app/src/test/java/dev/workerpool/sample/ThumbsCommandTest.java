package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code thumbs} end to end, on images of known sizes that the test generates. */
class ThumbsCommandTest {

    @TempDir
    Path dir;

    static Path image(Path file, int width, int height, Color color) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean png = name.endsWith(".png");
        BufferedImage image = new BufferedImage(width, height, png ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        assertTrue(ImageIO.write(image, png ? "png" : "jpeg", file.toFile()));
        return file;
    }

    static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is an image");
        return image;
    }

    static List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void writesThumbnailsOfKnownSizesAtTheSameRelativePathsAndSkipsNonImages() throws IOException {
        Path images = dir.resolve("images");
        image(images.resolve("wide.png"), 400, 300, Color.BLUE);
        image(images.resolve("sub/banner.jpg"), 1000, 250, Color.RED);
        image(images.resolve("sub/deeper/tall.JPEG"), 333, 999, Color.GREEN);
        image(images.resolve("odd.png"), 201, 3, Color.BLACK); // 100 x 1.49: rounds to 1 pixel high
        Path tiny = image(images.resolve("tiny.png"), 50, 40, Color.ORANGE);
        Files.writeString(images.resolve("fake.png"), "this is not an image");
        byte[] jpeg = Files.readAllBytes(image(dir.resolve("whole.jpg"), 300, 300, Color.GRAY));
        Files.write(images.resolve("sub/truncated.jpg"), Arrays.copyOf(jpeg, 100));
        Files.writeString(images.resolve("notes.txt"), "not named like an image: ignored");
        Path out = dir.resolve("thumbs");

        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "100",
                "--workers", "3", "--buffer", "2", "--verbose");

        assertEquals(1, run.code(), "some images were skipped: " + run.err());
        assertEquals(new Dimension(100, 75), size(out.resolve("wide.png")));
        assertEquals(new Dimension(100, 25), size(out.resolve("sub/banner.jpg")));
        assertEquals(new Dimension(100, 300), size(out.resolve("sub/deeper/tall.JPEG")));
        assertEquals(new Dimension(100, 1), size(out.resolve("odd.png")));
        assertArrayEquals(Files.readAllBytes(tiny), Files.readAllBytes(out.resolve("tiny.png")),
                "an image narrower than --width is copied as it is, not enlarged");
        Color banner = new Color(read(out.resolve("sub/banner.jpg")).getRGB(50, 12));
        assertTrue(banner.getRed() > 200 && banner.getGreen() < 60 && banner.getBlue() < 60, "still red: " + banner);
        assertEquals(new Color(0, 0, 255, 255), new Color(read(out.resolve("wide.png")).getRGB(10, 10), true));

        assertFalse(Files.exists(out.resolve("fake.png")));
        assertFalse(Files.exists(out.resolve("sub/truncated.jpg")));
        assertFalse(Files.exists(out.resolve("notes.txt")));
        assertEquals(List.of(), temporaryFiles(out), "nothing half-written");
        assertTrue(run.err().contains("skipped: fake.png: IOException (not a PNG or JPEG image)"), run.err());
        assertTrue(run.err().contains("skipped: " + Path.of("sub", "truncated.jpg") + ": "), run.err());
        assertEquals(2, run.err().lines().filter(l -> l.startsWith("skipped: ")).count(), run.err());
        assertTrue(run.out().contains("400x300 -> 100x75  wide.png"), run.out());
        assertTrue(run.out().contains("50x40 -> 50x40 (copied)  tiny.png"), run.out());
        assertTrue(run.out().matches("(?s).*\\| images\\s+\\|\\s+7 \\|.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\| thumbnails written\\s+\\|\\s+4 \\|.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\| copied \\(no wider than 100 px\\)\\s+\\|\\s+1 \\|.*"), run.out());
        assertTrue(run.out().matches("(?s).*\\| skipped\\s+\\|\\s+2 \\|.*"), run.out());
    }

    record Dimension(int width, int height) {}

    static Dimension size(Path file) throws IOException {
        BufferedImage image = read(file);
        return new Dimension(image.getWidth(), image.getHeight());
    }

    @Test
    void allGoodIsExitCode0AndARerunReplacesThumbnailsAndSkipsTheOutputInsideTheInput() throws IOException {
        Path images = dir.resolve("photos");
        for (int i = 0; i < 20; i++) {
            image(images.resolve("set" + (i % 3) + "/p" + i + (i % 2 == 0 ? ".png" : ".jpg")), 64 + i * 10, 48 + i,
                    Color.CYAN);
        }
        Path out = images.resolve("thumbs"); // inside DIR: not read as input
        for (int round = 0; round < 2; round++) {
            Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "64");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().matches("(?s).*\\| images\\s+\\|\\s+20 \\|.*"), "round " + round + ": " + run.out());
        }
        for (int i = 0; i < 20; i++) {
            Path thumb = out.resolve("set" + (i % 3) + "/p" + i + (i % 2 == 0 ? ".png" : ".jpg"));
            int expectedHeight = (int) Math.round((48 + i) * 64.0 / (64 + i * 10));
            assertEquals(new Dimension(64, expectedHeight), size(thumb), thumb.toString());
        }
        assertEquals(List.of(), temporaryFiles(out));
    }

    @Test
    void aThumbnailThatCannotBeMovedIntoPlaceLeavesNoPartialFile() throws IOException {
        Path images = dir.resolve("in");
        image(images.resolve("a.png"), 300, 200, Color.PINK);
        image(images.resolve("b.png"), 300, 200, Color.PINK);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("a.png")); // a non-empty directory where a.png's thumbnail should go
        Files.writeString(out.resolve("a.png/keep.txt"), "keep");
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("skipped: a.png: "), run.err());
        assertEquals("keep", Files.readString(out.resolve("a.png/keep.txt")));
        assertEquals(new Dimension(30, 20), size(out.resolve("b.png")));
        assertEquals(List.of(), temporaryFiles(out), "the temporary file was removed");
    }

    /**
     * A write that fails half-way (a disk full, a broken encoder) leaves the previous thumbnail as it was, or no
     * file at all, and no temporary file: the bytes went to a temporary file that is deleted, never to the target.
     */
    @Test
    void aWriteThatFailsHalfWayLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path old = dir.resolve("old.png");
        Files.writeString(old, "the previous thumbnail");
        Path fresh = dir.resolve("fresh.png");
        for (Path target : List.of(old, fresh)) {
            IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> Thumbnailer.writeAtomically(target, temporary -> {
                        Files.writeString(temporary, "half a thumb");
                        throw new IOException("disk full");
                    }));
            assertEquals("disk full", thrown.getMessage());
        }
        assertEquals("the previous thumbnail", Files.readString(old));
        assertFalse(Files.exists(fresh), "nothing at a target that was not there");
        assertEquals(List.of(), temporaryFiles(dir));
        Thumbnailer.writeAtomically(fresh, temporary -> Files.writeString(temporary, "a whole thumb"));
        assertEquals("a whole thumb", Files.readString(fresh), "and a write that succeeds moves into place");
        assertEquals(List.of(), temporaryFiles(dir));
    }

    /**
     * An image whose name is as long as the file system allows (255 bytes here) gets its thumbnail: the temporary
     * file it is written to first has a short name of its own, not the image's name and more.
     */
    @Test
    void anImageWithALongNameGetsItsThumbnail() throws IOException {
        Path images = dir.resolve("in");
        String name = "n".repeat(251) + ".png";
        image(images.resolve(name), 300, 200, Color.PINK);
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30");
        assertEquals(0, run.code(), run.err());
        assertEquals(new Dimension(30, 20), size(out.resolve(name)));
        assertEquals(List.of(), temporaryFiles(out));
    }

    /**
     * A file named like a PNG or JPEG whose content is another format (a GIF, a BMP) is reported and skipped, as
     * the README says of wrong content: it is neither copied (small) nor converted (large) under a name that
     * says another format.
     */
    @Test
    void anotherFormatUnderAPngOrJpegNameIsSkipped() throws IOException {
        Path images = dir.resolve("in");
        Files.createDirectories(images);
        for (String[] c : new String[][] {{"small-gif.png", "gif", "20"}, {"large-gif.png", "gif", "300"},
                {"large-bmp.jpg", "bmp", "300"}}) {
            BufferedImage image = new BufferedImage(Integer.parseInt(c[2]), 20, BufferedImage.TYPE_INT_RGB);
            assertTrue(ImageIO.write(image, c[1], images.resolve(c[0]).toFile()), c[1]);
        }
        image(images.resolve("real.jpg"), 300, 200, Color.GRAY);
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("skipped: small-gif.png: IOException (not a PNG or JPEG image: gif)"), run.err());
        assertTrue(run.err().contains("skipped: large-gif.png: IOException (not a PNG or JPEG image: gif)"), run.err());
        assertTrue(run.err().contains("skipped: large-bmp.jpg: IOException (not a PNG or JPEG image: bmp)"), run.err());
        try (Stream<Path> written = Files.list(out)) {
            assertEquals(List.of(out.resolve("real.jpg")), written.toList());
        }
        assertEquals(new Dimension(30, 20), size(out.resolve("real.jpg")));
    }

    /**
     * {@code thumbs photos --out .} run in the parent, with {@code photos/photos/x.png}: the thumbnail of
     * {@code photos/photos/x.png} would be {@code ./photos/x.png}, an original. An --out that contains DIR is
     * refused before anything is written, and every image stays as it was.
     */
    @Test
    void anOutThatContainsDirIsRefusedAndNoImageIsReplaced() throws IOException {
        Path parent = dir.resolve("parent");
        Path photos = parent.resolve("photos");
        Path original = image(photos.resolve("x.png"), 300, 200, Color.RED);
        Path nested = image(photos.resolve("photos/x.png"), 400, 100, Color.BLUE);
        image(photos.resolve("photos/photos/x.png"), 500, 100, Color.GREEN);
        byte[] before = Files.readAllBytes(original);
        byte[] nestedBefore = Files.readAllBytes(nested);
        for (Path out : List.of(parent, dir)) {
            Cli.Run run = Cli.run("thumbs", photos.toString(), "--out", out.toString(), "--width", "30");
            assertEquals(2, run.code(), run.out() + run.err());
            assertEquals("workerpool-demo thumbs: --out must not contain DIR: a thumbnail could replace an image",
                    run.err().strip());
            assertArrayEquals(before, Files.readAllBytes(original), "the original is untouched");
            assertArrayEquals(nestedBefore, Files.readAllBytes(nested), "the original is untouched");
        }
        assertEquals(List.of(), temporaryFiles(dir));
    }

    /**
     * A link under --out that leads into DIR would put a thumbnail over its own image: that image is reported and
     * skipped, and it stays as it was; the others are written.
     */
    @Test
    void aLinkUnderOutThatLeadsIntoDirDoesNotReplaceAnImage() throws IOException {
        Path images = dir.resolve("images");
        Path original = image(images.resolve("2026/a.png"), 300, 200, Color.RED);
        image(images.resolve("b.png"), 300, 200, Color.RED);
        byte[] before = Files.readAllBytes(original);
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("2026"), images.resolve("2026"));
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30");
        assertEquals(1, run.code(), run.out() + run.err());
        assertArrayEquals(before, Files.readAllBytes(original), "the original is untouched");
        assertTrue(run.err().contains("skipped: " + Path.of("2026", "a.png") + ": IOException (the thumbnail "
                + "would go into DIR, through a link under --out)"), run.err());
        assertEquals(new Dimension(30, 20), size(out.resolve("b.png")));
        assertEquals(List.of(), temporaryFiles(images));
    }

    /** --out inside DIR: the thumbnails already there are not read as input, on the first run or the next. */
    @Test
    void anOutInsideDirIsNotReadAsInput() throws IOException {
        Path images = dir.resolve("images");
        image(images.resolve("a.png"), 300, 200, Color.RED);
        Path out = images.resolve("sub/thumbs");
        image(out.resolve("stale.png"), 300, 200, Color.RED); // as if from another run
        for (int round = 0; round < 2; round++) {
            Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().matches("(?s).*\\| images\\s+\\|\\s+1 \\|.*"), run.out());
        }
        assertFalse(Files.exists(out.resolve("sub/thumbs")), "no thumbnail of a thumbnail");
        assertEquals(new Dimension(300, 200), size(out.resolve("stale.png")));
    }

    /**
     * A small PNG file that declares 50,000 x 50,000 pixels (7.5 GB once decoded), or 12,000 x 10,000, is reported
     * and skipped from its header, without decoding it; the image next to it gets its thumbnail.
     */
    @Test
    void anImageOfMoreThanTheMaximumPixelsIsSkippedWithoutDecodingIt() throws IOException {
        Path images = dir.resolve("in");
        image(images.resolve("small.png"), 300, 200, Color.GRAY);
        Files.write(images.resolve("huge.png"), png(50_000, 50_000));
        Files.write(images.resolve("wide.png"), png(100_000_001, 1));
        Files.write(images.resolve("big.png"), png(12_000, 10_000)); // 360 MB decoded: javax.imageio would try
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--width", "30",
                "--workers", "2");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("skipped: huge.png: IOException (50000x50000 is more than 100,000,000 pixels: "
                + "not decoded)"), run.err());
        assertTrue(run.err().contains("skipped: wide.png: IOException (100000001x1 is more than 100,000,000 pixels: "
                + "not decoded)"), run.err());
        assertTrue(run.err().contains("skipped: big.png: IOException (12000x10000 is more than 100,000,000 pixels: "
                + "not decoded)"), run.err());
        assertEquals(new Dimension(30, 20), size(out.resolve("small.png")));
        assertFalse(Files.exists(out.resolve("huge.png")));
        assertTrue(run.out().matches("(?s).*\\| skipped\\s+\\|\\s+3 \\|.*"), run.out());
    }

    /** A PNG file of a few dozen bytes whose header declares {@code width x height} RGB pixels. */
    static byte[] png(int width, int height) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(bytes, "IHDR", header.array());
        java.io.ByteArrayOutputStream deflated = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(deflated)) {
            z.write(new byte[64]); // the start of the first row, no more
        }
        chunk(bytes, "IDAT", deflated.toByteArray());
        chunk(bytes, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    /** Writes one PNG chunk: its length, type, data and CRC. */
    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(name);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A directory that cannot be read is counted on a row of its own, not as a skipped image: images = written +
     * copied + skipped. The directory is one whose path is longer than Linux allows (4,096 bytes), which not even
     * root can read (root ignores permissions).
     */
    @Test
    void anUnreadableDirectoryIsCountedApartSoThatTheImagesAddUp() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "PATH_MAX is 4,096 bytes on Linux");
        Path images = dir.resolve("in");
        image(images.resolve("a.png"), 300, 200, Color.GRAY);
        image(images.resolve("tiny.png"), 20, 20, Color.GRAY);
        Files.writeString(images.resolve("fake.png"), "not an image");
        Path deep = images.resolve("d");
        Path p = deep;
        while (p.toString().length() < 4_096 - 400) {
            p = p.resolve("x".repeat(200));
        }
        image(Files.createDirectories(p).resolve("lost.png"), 300, 200, Color.GRAY);
        Path far = images.resolve("d".repeat(250)); // the same tree, now deeper than a path may be
        Files.move(deep, far);
        Cli.Run run;
        try {
            run = Cli.run("thumbs", images.toString(), "--out", dir.resolve("out").toString(), "--width", "30");
        } finally {
            Files.move(far, deep); // so that @TempDir can delete it
        }
        assertEquals(1, run.code(), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("unreadable: " + far.getFileName())).count(),
                run.err());
        assertEquals(List.of("skipped: fake.png: IOException (not a PNG or JPEG image)"),
                run.err().lines().filter(l -> l.startsWith("skipped: ")).toList(), run.err());
        String folded = run.out().replaceAll("[ |]+", " ");
        for (String row : List.of(" images 3 ", " thumbnails written 1 ", " copied (no wider than 30 px) 1 ",
                " skipped 1 ", " unreadable, not searched 1 ")) {
            assertTrue(folded.contains(row), row + " in\n" + run.out());
        }
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        String o = dir.resolve("o").toString();
        String[][] cases = {
            {"thumbs", images.toString(), "--out", o, "--width", "0"},
            {"thumbs", images.toString(), "--out", o, "--width", "16385"},
            {"thumbs", images.toString(), "--out", o, "--workers", "0"},
            {"thumbs", images.toString(), "--out", o, "--buffer", "-1"},
            {"thumbs", dir.resolve("missing").toString(), "--out", o},
            {"thumbs", images.toString(), "--out", file.toString()},
            {"thumbs", images.toString(), "--out", images.toString()},
            {"thumbs", images.toString()},
            {"thumbs", images.toString(), "--out", o, "--width", "wide"},
            {"thumbs", images.toString(), "--out", file.resolve("sub").toString()},
        };
        String[] expected = {
            "workerpool-demo thumbs: --width must be between 1 and 16384, was 0",
            "workerpool-demo thumbs: --width must be between 1 and 16384, was 16385",
            "workerpool-demo thumbs: --workers must be at least 1, was 0",
            "workerpool-demo thumbs: --buffer must be at least 0, was -1",
            "workerpool-demo thumbs: no such directory: " + dir.resolve("missing"),
            "workerpool-demo thumbs: --out is not a directory: " + file,
            "workerpool-demo thumbs: --out must not be DIR itself: the thumbnails would replace the images",
        };
        for (int i = 0; i < cases.length; i++) {
            Cli.Run run = Cli.run(cases[i]);
            assertEquals(2, run.code(), String.join(" ", cases[i]) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace");
            assertTrue(run.err().startsWith("workerpool-demo thumbs: "), run.err());
            if (i < expected.length) {
                assertEquals(expected[i], run.err().strip());
            }
        }
        assertTrue(Cli.run("thumbs", images.toString()).err().contains("--out"), "names the missing option");
        assertFalse(Files.exists(dir.resolve("o")), "no bad option made --out");
    }

    @Test
    void moreWorkersThanTheRuntimeAllowsLeavesNoOutDirectoryBehind() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path out = dir.resolve("made").resolve("thumbs");
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", out.toString(), "--workers", "100000");
        assertEquals(2, run.code(), run.err());
        assertEquals("workerpool-demo thumbs: ThumbnailerResizePool: workers = 100000 would start that many platform "
                + "threads; the limit is 10000", run.err().strip());
        assertFalse(Files.exists(dir.resolve("made")), "the directories this run made are gone");
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Cli.Run again = Cli.run("thumbs", images.toString(), "--out", existing.resolve("a").toString(), "--workers",
                "100000");
        assertEquals(2, again.code(), again.err());
        assertTrue(Files.isDirectory(existing), "a directory that was there stays");
        assertFalse(Files.exists(existing.resolve("a")));
    }

    @Test
    void helpListsTheOptions() {
        Cli.Run help = Cli.run("thumbs", "--help");
        assertEquals(0, help.code());
        for (String option : List.of("DIR", "--out=OUT", "--width=PX", "--workers=W", "--buffer=B", "--verbose")) {
            assertTrue(help.out().contains(option), option + " in\n" + help.out());
        }
        String folded = help.out().replaceAll("\\s+", " ");
        assertTrue(folded.contains("It may be inside DIR (it is not read as input), but must be neither DIR itself "
                + "nor a directory that contains DIR."), help.out());
        assertTrue(folded.contains(String.format(java.util.Locale.ROOT, "images of more than %,d pixels (checked "
                + "before decoding), are reported and skipped", Thumbnailer.MAX_PIXELS)), help.out());
    }

    /**
     * A named pipe called {@code a.png} is not an image: opening it waits for a writer that never comes, and it
     * hung the whole run. It is reported and skipped like any file that is not an image, and so is a link to a
     * device. In a JVM of its own, ended after 60 s if it hangs.
     */
    @Test
    void aNamedPipeOrADeviceNamedLikeAnImageIsSkippedNotWaitedFor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "mkfifo and /dev/zero: Linux");
        Path images = dir.resolve("in");
        image(images.resolve("real.png"), 300, 200, Color.GRAY);
        Process mkfifo = new ProcessBuilder("mkfifo", images.resolve("pipe.png").toString()).start();
        assertTrue(mkfifo.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Files.createSymbolicLink(images.resolve("zero.jpg"), Path.of("/dev/zero"));
        Path out = dir.resolve("out");
        Path work = Files.createDirectories(dir.resolve("work"));
        Cli.Run run = Cli.inChild(work, Duration.ofSeconds(60), Cli.childCommand(List.of(),
                "thumbs", images.toString(), "--out", out.toString(), "--width", "30"));
        String err = run.err();
        String stdout = run.out();
        assertEquals(1, run.code(), stdout + err);
        assertTrue(err.contains("skipped: pipe.png: IOException (not a regular file)"), err);
        assertTrue(err.contains("skipped: zero.jpg: IOException (not a regular file)"), err);
        assertEquals(new Dimension(30, 20), size(out.resolve("real.png")));
        assertTrue(stdout.matches("(?s).*\\| skipped\\s+\\|\\s+2 \\|.*"), stdout);
    }
}
