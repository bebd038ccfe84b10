package dev.workerpool.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code thumbs DIR --out OUT}: a thumbnail of every PNG and JPEG under DIR, written under OUT at the same
 * relative path. CPU-bound, so as many workers as processors. A producer thread submits the images (held back
 * by the pool's buffer); this thread reads results as they complete and drives the progress bar.
 */
@Command(name = "thumbs", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        description = "Write a thumbnail of every PNG and JPEG image under DIR into --out, at the same relative path "
                + "and in the same format, with W worker threads. Aspect ratio kept; an image no wider than "
                + "--width is copied as it is (never enlarged). Files that are not readable images, and images of "
                + "more than 100,000,000 pixels (checked before decoding), are reported and skipped.")
final class ThumbsCommand implements Callable<Integer> {

    static final int MAX_WIDTH = 16_384;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory of images (searched recursively).")
    Path directory;

    @Option(names = "--out", paramLabel = "OUT", required = true,
            description = "Where the thumbnails go (created if needed). It may be inside DIR (it is not read as "
                    + "input), but must be neither DIR itself nor a directory that contains DIR.")
    Path out;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "128",
            description = "Thumbnail width in pixels, 1 to " + MAX_WIDTH + " (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: the processors, "
            + "${DEFAULT-VALUE}).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--buffer", paramLabel = "B", description = "Images waiting for a worker (default: "
            + "${DEFAULT-VALUE}).")
    int buffer = ThumbnailerResizePool.BUFFER;

    @Option(names = {"-v", "--verbose"}, description = "Print a line per thumbnail (size before and after).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (width < 1 || width > MAX_WIDTH) {
            throw new UserError("--width must be between 1 and " + MAX_WIDTH + ", was " + width);
        }
        Options.checkDirectory(directory);
        Path source = directory.toRealPath();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("--out is not a directory: " + out);
        }
        Path outermostMade = null; // the outermost directory of --out that this run makes
        for (Path p = out.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            outermostMade = p;
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("cannot create --out " + out + ": " + HashCommand.describe(e));
        }
        Path target = out.toRealPath();
        if (target.equals(source)) {
            throw new UserError("--out must not be DIR itself: the thumbnails would replace the images");
        }
        if (source.startsWith(target)) { // DIR/x/..., with x DIR's name seen from OUT, would go to DIR/...
            throw new UserError("--out must not contain DIR: a thumbnail could replace an image");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        List<String> unreadable = new ArrayList<>();
        List<Path> images = findImages(source, target, unreadable);
        unreadable.forEach(problem -> err.println("unreadable: " + problem));

        int written = 0;
        int copied = 0;
        int skipped = 0; // images only: images = written + copied + skipped
        long bytesRead = 0;
        long bytesWritten = 0;
        ThumbnailerResizePool opened;
        try {
            opened = Options.startPool(
                    () -> ThumbnailerResizePool.start(new Thumbnailer(source, target), workers, buffer));
        } catch (UserError e) { // more workers than the runtime allows: leave no --out behind
            removeMade(out.toAbsolutePath(), outermostMade);
            throw e;
        }
        try (ThumbnailerResizePool pool = opened;
                Progress progress = Progress.start("thumbs", "images", images.size(), err)) {
            Thread producer = new Thread(() -> {
                try {
                    for (Path image : images) {
                        pool.submit(image, width); // blocks while `buffer` images wait: backpressure
                    }
                } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                    // stdout closed: the pool was cancelled, stop submitting
                } catch (InterruptedException e) {
                    pool.cancel();
                } finally {
                    pool.close();
                }
            }, "thumbs-producer");
            producer.start();
            for (ThumbnailerResizePool.Result result : pool.results()) {
                progress.step(1);
                if (!result.isSuccess()) {
                    skipped++;
                    progress.println(err, "skipped: " + source.relativize(result.job().image()) + ": "
                            + HashCommand.describe(result.error())); // on a line of its own, not on the bar's
                    continue;
                }
                Thumbnail t = result.value();
                if (t.copied()) {
                    copied++;
                } else {
                    written++;
                }
                bytesRead += t.bytesRead();
                bytesWritten += t.bytesWritten();
                if (verbose) {
                    progress.println(stdout, String.format(Locale.ROOT, "%dx%d -> %dx%d%s  %s", t.width(),
                            t.height(), t.thumbWidth(), t.thumbHeight(), t.copied() ? " (copied)" : "",
                            source.relativize(t.source())));
                    if (stdout.checkError()) { // ... | head: stop now, not after every image
                        pool.cancel(); // running jobs are interrupted, queued ones not started
                        throw new OutputClosed();
                    }
                }
            }
            producer.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        new Summary("thumbs " + directory)
                .row("images", "%,d", images.size())
                .row("thumbnails written", "%,d", written)
                .row("copied (no wider than " + width + " px)", "%,d", copied)
                .row("skipped", "%,d", skipped)
                .row("unreadable, not searched", "%,d", unreadable.size())
                .row("into", "%s", out)
                .row("read / written", "%s / %s", Summary.bytes(bytesRead), Summary.bytes(bytesWritten))
                .row("workers / buffer", "%d / %d", workers, buffer)
                .row("elapsed", "%.2f s", seconds)
                .row("throughput", "%.1f images/s", images.size() / Math.max(seconds, 1e-9))
                .print(stdout);
        OutputClosed.check(stdout);
        return skipped == 0 && unreadable.isEmpty() ? 0 : 1;
    }

    /**
     * Removes the directories this run made for {@code --out}, from {@code out} up to {@code outermost} (nothing if
     * {@code outermost} is null: --out existed). Best effort: a directory something else has written into stays.
     */
    private static void removeMade(Path out, Path outermost) {
        if (outermost == null) {
            return;
        }
        for (Path p = out; p != null; p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty, or not ours to remove
            }
            if (p.equals(outermost)) {
                return;
            }
        }
    }

    /** A path as the reports show it: relative to {@code source}, which is itself shown whole. */
    private static String name(Path source, Path path) {
        return path.equals(source) ? source.toString() : source.relativize(path).toString();
    }

    /**
     * Every file named like a PNG or JPEG under {@code source}, except under {@code target} if it is inside; what
     * cannot be read (a directory, so none of the images under it are known) goes to {@code problems}.
     */
    private static List<Path> findImages(Path source, Path target, List<String> problems) throws IOException {
        List<Path> images = new ArrayList<>();
        Files.walkFileTree(source, new TolerantVisitor() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.equals(target) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (!attributes.isDirectory() && Thumbnailer.isImageName(file)) {
                    images.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            void unreadable(Path path, IOException e) {
                problems.add(name(source, path) + ": " + HashCommand.describe(e));
            }
        });
        return images;
    }
}
