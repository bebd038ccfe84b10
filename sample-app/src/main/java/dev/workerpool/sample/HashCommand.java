package dev.workerpool.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hash [DIR]}: the SHA-256 of every file under a directory, computed by a generated pool. A producer
 * thread submits the files (held back by the pool's buffer); this thread reads results as they complete.
 */
@Command(name = "hash", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        description = "Print the SHA-256 of every file under DIR, computed by W worker threads.")
final class HashCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "${sys:java.home}",
            description = "The directory to hash (default: this JDK, ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int workers = FileHasherSha256Pool.WORKERS;

    @Option(names = "--buffer", paramLabel = "B", description = "Files waiting for a worker (default: ${DEFAULT-VALUE}).")
    int buffer = FileHasherSha256Pool.BUFFER;

    @Option(names = "--ordered", description = "Print digests in the order the files were found, not as they complete.")
    boolean ordered;

    @Option(names = {"-q", "--quiet"}, description = "Print only the summary, not one line per file.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (!Files.isDirectory(directory)) {
            throw new UserError("not a directory: " + directory);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();

        List<Path> files = new ArrayList<>();
        List<String> unreadableDirectories = new ArrayList<>();
        walk(directory, files, unreadableDirectories);
        unreadableDirectories.forEach(problem -> err.println("unreadable: " + problem));

        Map<Path, Integer> order = new IdentityHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            order.put(files.get(i), i);
        }
        Map<Integer, FileHasherSha256Pool.Result> waiting = new HashMap<>(); // --ordered: results that came early
        int nextToPrint = 0;
        long bytes = 0;
        int errors = unreadableDirectories.size();
        try (FileHasherSha256Pool pool = Options.startPool(() -> FileHasherSha256Pool.start(new FileHasher(), workers, buffer));
                Progress progress = Progress.start("hash", "files", files.size(), err)) {
            Thread producer = new Thread(() -> {
                try {
                    for (Path file : files) {
                        pool.submit(file); // blocks while `buffer` files wait: backpressure
                    }
                } catch (InterruptedException e) {
                    pool.cancel();
                } finally {
                    pool.close(); // no more files; workers finish the queue and exit
                }
            }, "hash-producer");
            producer.start();
            for (FileHasherSha256Pool.Result result : pool.results()) {
                progress.step(1);
                if (result.isSuccess()) {
                    bytes += result.value().bytes();
                } else {
                    errors++;
                    progress.println(err, "unreadable: " + result.job().file() + ": " + describe(result.error()));
                }
                if (!ordered) {
                    print(out, progress, result);
                    continue;
                }
                waiting.put(order.get(result.job().file()), result);
                for (FileHasherSha256Pool.Result next = waiting.remove(nextToPrint); next != null;
                        next = waiting.remove(nextToPrint)) {
                    print(out, progress, next);
                    nextToPrint++;
                }
            }
            producer.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        new Summary("hash " + directory)
                .row("files", "%,d", files.size())
                .row("bytes", "%s", Summary.megabytes(bytes))
                .row("unreadable", "%,d", errors)
                .row("workers / buffer", "%d / %d", workers, buffer)
                .row("elapsed", "%.2f s", seconds)
                .row("throughput", "%.1f MB/s", bytes / 1e6 / Math.max(seconds, 1e-9))
                .print(out);
        return 0;
    }

    private void print(PrintWriter out, Progress progress, FileHasherSha256Pool.Result result) {
        if (!quiet && result.isSuccess()) {
            progress.println(out, sha256sumLine(result.value().hex(), directory.relativize(result.job().file()).toString()));
        }
    }

    /**
     * One line as GNU {@code sha256sum} writes it: a name with a backslash, newline or carriage return is
     * escaped ({@code \\}, {@code \n}, {@code \r}) and its line starts with a backslash, so that every line is
     * one file and {@code sha256sum -c} reads it back.
     */
    static String sha256sumLine(String hex, String name) {
        if (name.indexOf('\\') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0) {
            return hex + "  " + name;
        }
        return "\\" + hex + "  " + name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** Every regular file and link to one, without following links into directories. */
    private static void walk(Path root, List<Path> files, List<String> problems) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                // A link is hashed through to its target; a link to a directory is not a file, a dangling one is
                // reported as unreadable.
                if (attributes.isRegularFile() || (attributes.isSymbolicLink() && !Files.isDirectory(file))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                problems.add(file + ": " + describe(e));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String describe(Throwable error) {
        String type = error.getClass().getSimpleName();
        return error.getMessage() == null ? type : type + " (" + error.getMessage() + ")";
    }
}
