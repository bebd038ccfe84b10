package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Writes thumbnails of the PNG and JPEG images under one directory into another, at the same relative paths,
 * in the same format. CPU-bound: {@code ThumbnailerResizePool} runs it on as many threads as there are
 * processors. Stateless apart from its two directories, so one instance serves every worker.
 */
public final class Thumbnailer {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no window system needed, nor a Dock icon on macOS
        }
    }

    /**
     * The most pixels an image may have (100 megapixels, such as 10,000 x 10,000): decoded, that is up to 400 MB
     * (800 MB for 16-bit channels) per worker. A larger image is reported and skipped, from its header, before it
     * is decoded, so that one huge image (or a small file that declares one) cannot exhaust the heap.
     */
    static final long MAX_PIXELS = 100_000_000L;

    private final Path sourceRoot;
    private final Path targetRoot;

    /**
     * @param sourceRoot the directory the images are under
     * @param targetRoot the directory the thumbnails go to
     */
    public Thumbnailer(Path sourceRoot, Path targetRoot) {
        this.sourceRoot = sourceRoot;
        this.targetRoot = targetRoot;
    }

    /** Whether a file name says PNG or JPEG ({@code .png}, {@code .jpg}, {@code .jpeg}, any case). */
    static boolean isImageName(Path file) {
        return formatOf(file) != null;
    }

    private static String formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        return name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpeg" : null;
    }

    /**
     * Writes the thumbnail of one image: {@code width} pixels wide, the height keeping the aspect ratio (at least
     * one pixel). An image no wider than {@code width} is copied as it is: a thumbnail is never enlarged. The
     * thumbnail is written to a temporary file next to its target and then moved into place atomically, so a
     * failure never leaves a half-written thumbnail (nor clobbers an older one).
     *
     * @param image an image under the source directory
     * @param width the thumbnail's width in pixels
     * @return what was written
     * @throws IOException if the image cannot be read or decoded (not a PNG or JPEG, whatever its name says;
     *     truncated; more than {@link #MAX_PIXELS} pixels...), or the thumbnail cannot be written; the pool reports it
     *     in that image's result
     */
    @WorkerPool(workers = 4, buffer = 16)
    public Thumbnail resize(Path image, int width) throws IOException {
        String format = formatOf(image);
        Path target = targetRoot.resolve(sourceRoot.relativize(image).toString());
        if (format == null) {
            throw new IOException("not a PNG or JPEG image");
        }
        BufferedImage original = readPngOrJpeg(image);
        long bytesRead = Files.size(image);
        checkNotIntoSource(target);
        Files.createDirectories(target.getParent());
        int w = original.getWidth();
        int h = original.getHeight();
        if (w <= width) {
            writeAtomically(target, temporary -> Files.copy(image, temporary, StandardCopyOption.REPLACE_EXISTING));
            return new Thumbnail(image, target, w, h, w, h, true, bytesRead, Files.size(target));
        }
        int height = (int) Math.max(1, Math.round(h * (double) width / w));
        BufferedImage thumbnail = scale(original, width, height, format.equals("png"));
        writeAtomically(target, temporary -> {
            if (!ImageIO.write(thumbnail, format, temporary.toFile())) {
                throw new IOException("no " + format + " writer in this JDK");
            }
        });
        return new Thumbnail(image, target, w, h, width, height, false, bytesRead, Files.size(target));
    }

    /**
     * Refuses a target whose directory is, once links are followed, under the source directory but not under the
     * target directory (a link under the target directory that leads into the source): the thumbnail could
     * replace an image, its own among them. The target directory may be inside the source directory.
     *
     * @throws IOException if the thumbnail would go into the source directory, or its directory cannot be resolved
     */
    private void checkNotIntoSource(Path target) throws IOException {
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent(); // the directories still to be made are made under this one
        }
        if (existing == null) {
            return;
        }
        Path real = existing.toRealPath();
        Path source = sourceRoot.toRealPath();
        if (real.startsWith(source) && !real.startsWith(targetRoot.toRealPath())) {
            throw new IOException("the thumbnail would go into DIR, through a link under --out");
        }
    }

    /**
     * Reads a PNG or JPEG image, whatever its name says: another format that {@code javax.imageio} reads (GIF,
     * BMP...) is not copied or converted under a PNG or JPEG name, but reported.
     *
     * @throws IOException if the file is not a regular file (a named pipe, a device), cannot be read, is not an
     *     image, is an image of another format, or has more
     *     than {@link #MAX_PIXELS} pixels (checked from its header, before decoding)
     */
    static BufferedImage readPngOrJpeg(Path image) throws IOException {
        if (Files.exists(image) && !Files.isRegularFile(image)) {
            // a named pipe would be waited on for a writer, a device read without end (a dangling link is
            // reported below, as unreadable)
            throw new IOException("not a regular file");
        }
        if (!image.toFile().canRead()) {
            throw new IIOException("Can't read input file!"); // as ImageIO.read(File) says it
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg")) {
                    throw new IOException("not a PNG or JPEG image: " + format);
                }
                reader.setInput(in, true, true);
                int width = reader.getWidth(0); // from the header: nothing decoded yet
                int height = reader.getHeight(0);
                if ((long) width * height > MAX_PIXELS) {
                    throw new IOException(String.format(Locale.ROOT, "%dx%d is more than %,d pixels: not decoded",
                            width, height, MAX_PIXELS));
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Bilinear scaling in steps of at most a half (one bilinear step from far larger skips pixels and aliases).
     * PNG keeps its alpha channel; JPEG has none, so transparent pixels become white.
     */
    static BufferedImage scale(BufferedImage source, int width, int height, boolean alpha) {
        BufferedImage current = source;
        int cw = source.getWidth();
        int ch = source.getHeight();
        do {
            boolean halve = cw / 2 >= width;
            int nw = halve ? cw / 2 : width;
            int nh = halve ? Math.max(height, ch / 2) : height;
            BufferedImage next = new BufferedImage(nw, nh, alpha ? BufferedImage.TYPE_INT_ARGB
                    : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                if (!alpha) {
                    g.setColor(Color.WHITE);
                    g.fillRect(0, 0, nw, nh);
                }
                g.drawImage(current, 0, 0, nw, nh, null);
            } finally {
                g.dispose();
            }
            current = next;
            cw = nw;
            ch = nh;
        } while (cw != width || ch != height);
        return current;
    }

    /** Something that writes a file. */
    @FunctionalInterface
    interface FileWriter {
        void write(Path file) throws IOException;
    }

    /**
     * Writes to a temporary file in the target's directory, then renames it over the target in one step. The
     * temporary file's name is short whatever the target's ({@code .thumbs-<random>.tmp}): the target's name and
     * more would be too long for a target whose name is near the file system's limit.
     */
    static void writeAtomically(Path target, FileWriter writer) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), ".thumbs-", ".tmp");
        try {
            writer.write(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
