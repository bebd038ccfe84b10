package dev.workerpool.sample;

import dev.workerpool.hazelcast.HazelcastBackend;
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
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hash [DIR]}: the SHA-256 of every file under a directory, computed by a generated pool. A producer
 * thread submits the files (held back by the pool's buffer); this thread reads results as they complete. With
 * {@code --cluster}, the pool is spread over this JVM and the {@code serve} members it joins, and prints the
 * same lines.
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

    @Option(names = {"-q", "--quiet"},
            description = "Print only the summary, not one line per file (off a terminal, no progress lines either).")
    boolean quiet;

    @Option(names = "--cluster", paramLabel = "HOST:PORT,...",
            description = "Spread the work over these serve members and this JVM (its W workers), on one machine.")
    String cluster;

    /** One file's outcome, from whichever pool computed it. */
    private record Hashed(Path file, long bytes, String hex, Throwable error, String member) {}

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        Options.checkDirectory(directory);
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
        Map<Integer, Hashed> waiting = new HashMap<>(); // --ordered on a cluster: results that came early
        int[] nextToPrint = {0};
        long[] bytes = {0};
        int[] errors = {unreadableDirectories.size()};
        Map<String, Integer> perMember = new TreeMap<>();
        int members = 0;
        try (Progress progress = Progress.start("hash", "files", files.size(), err, quiet)) {
            java.util.function.Consumer<Hashed> sink = result -> {
                progress.step(1);
                if (result.error() == null) {
                    bytes[0] += result.bytes();
                    if (result.member() != null) {
                        perMember.merge(result.member(), 1, Integer::sum);
                    }
                } else {
                    errors[0]++;
                    progress.println(err, "unreadable: " + result.file() + ": " + describe(result.error()));
                }
                if (!ordered || cluster == null) { // in order already from this JVM's ordered pool
                    print(out, progress, result);
                    return;
                }
                // a cluster's pool cannot be ordered (its results come from several JVMs): put them in order here
                waiting.put(order.get(result.file()), result);
                for (Hashed next = waiting.remove(nextToPrint[0]); next != null; next = waiting.remove(nextToPrint[0])) {
                    print(out, progress, next);
                    nextToPrint[0]++;
                }
            };
            if (cluster == null) {
                hashHere(files, sink);
            } else {
                members = hashOnCluster(files, sink);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Summary summary = new Summary("hash " + directory)
                .row("files", "%,d", files.size())
                .row("bytes", "%s", Summary.megabytes(bytes[0]))
                .row("errors", "%,d", errors[0]);
        if (cluster != null) {
            summary.row("members", "%d", members);
            perMember.forEach((member, count) -> summary.row("  hashed on " + member, "%,d files", count));
        }
        summary.row("workers / buffer", "%d / %d", workers, buffer)
                .row("elapsed", "%.2f s", seconds)
                .row("throughput", "%.1f MB/s", bytes[0] / 1e6 / Math.max(seconds, 1e-9))
                .print(out);
        OutputClosed.check(out);
        return 0;
    }

    /**
     * On this JVM's pool: one producer thread submits, this thread reads. With {@code --ordered}, the pool is the
     * {@code ordered = true} one, which hands the results out in the order the files were submitted.
     */
    private void hashHere(List<Path> files, java.util.function.Consumer<Hashed> sink) throws InterruptedException {
        if (ordered) {
            try (FileHasherSha256InOrderPool pool = Options.startPool(
                    () -> FileHasherSha256InOrderPool.start(new FileHasher(), workers, buffer))) {
                Thread producer = produce(files, pool::submit, pool::cancel, pool::close);
                try {
                    for (FileHasherSha256InOrderPool.Result r : pool.results()) {
                        sink.accept(hashed(r.job().file(), r.isSuccess() ? r.value() : null, r.error()));
                    }
                } catch (OutputClosed closed) {
                    pool.cancel(); // no more files: the producer's next submit fails, and it ends
                    throw closed;
                }
                producer.join();
            }
            return;
        }
        try (FileHasherSha256Pool pool = Options.startPool(() -> FileHasherSha256Pool.start(new FileHasher(), workers, buffer))) {
            Thread producer = produce(files, pool::submit, pool::cancel, pool::close);
            try {
                for (FileHasherSha256Pool.Result r : pool.results()) {
                    sink.accept(hashed(r.job().file(), r.isSuccess() ? r.value() : null, r.error()));
                }
            } catch (OutputClosed closed) {
                pool.cancel(); // no more files: the producer's next submit fails, and it ends
                throw closed;
            }
            producer.join();
        }
    }

    /** A pool's {@code submit}. */
    private interface Submit {
        void submit(Path file) throws InterruptedException;
    }

    /**
     * Starts the producer thread: submits every file, then closes the pool (cancels it if interrupted); stops
     * when the pool is cancelled (stdout closed).
     */
    private static Thread produce(List<Path> files, Submit submit, Runnable cancel, Runnable close) {
        Thread producer = new Thread(() -> {
            try {
                for (Path file : files) {
                    submit.submit(file); // blocks while `buffer` files wait: backpressure
                }
            } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                // stdout closed: the pool was cancelled, stop submitting
            } catch (InterruptedException e) {
                cancel.run();
            } finally {
                close.run(); // no more files; workers finish the queue and exit
            }
        }, "hash-producer");
        producer.start();
        return producer;
    }

    private static Hashed hashed(Path file, FileDigest digest, Throwable error) {
        return digest != null ? new Hashed(file, digest.bytes(), digest.hex(), null, null)
                : new Hashed(file, 0, null, error, null);
    }

    /**
     * On a pool spread over the cluster: this JVM joins the given members with W workers of its own, and submits
     * every file by its absolute path; each result comes back here, whichever member computed it, also if that
     * member dies meanwhile (the file is hashed again elsewhere). Returns how many members the cluster had.
     */
    private int hashOnCluster(List<Path> files, java.util.function.Consumer<Hashed> sink) throws InterruptedException {
        List<String> others = Cluster.addresses(cluster);
        Map<String, Path> byName = new HashMap<>();
        for (Path file : files) {
            byName.put(file.toAbsolutePath().toString(), file);
        }
        try (HazelcastBackend backend = Cluster.join(0, others, 2, Level.SEVERE)) {
            var address = backend.hazelcast().getCluster().getLocalMember().getAddress();
            String me = address.getHost() + ":" + address.getPort();
            ClusterHasherSha256Pool pool = Options.startPool(
                    () -> ClusterHasherSha256Pool.start(new ClusterHasher(me), workers, buffer, backend));
            int members = backend.hazelcast().getCluster().getMembers().size();
            Thread producer = new Thread(() -> {
                try {
                    for (Path file : files) {
                        pool.submit(file.toAbsolutePath().toString()); // blocks while `buffer` files wait, cluster-wide
                    }
                } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                    // stdout closed: the pool was cancelled, stop submitting
                } catch (InterruptedException e) {
                    pool.cancel();
                } finally {
                    pool.close();
                }
            }, "hash-producer");
            producer.start();
            try {
                for (ClusterHasherSha256Pool.Result r : pool.results()) {
                    Path file = byName.get(r.job().file());
                    sink.accept(r.isSuccess()
                            ? new Hashed(file, r.value().bytes(), r.value().hex(), null, r.value().member())
                            : new Hashed(file, 0, null, r.error(), null));
                }
            } catch (OutputClosed closed) {
                pool.cancel(); // no more files: the producer's next submit fails, and it ends
                throw closed;
            }
            producer.join();
            pool.await();
            return Math.max(members, backend.hazelcast().getCluster().getMembers().size());
        }
    }

    private void print(PrintWriter out, Progress progress, Hashed result) {
        if (!quiet && result.error() == null) {
            progress.println(out, sha256sumLine(result.hex(), directory.relativize(result.file()).toString()));
            OutputClosed.check(out); // ... | head: stop now, not after the whole tree
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

    /**
     * Every regular file and link to one, without following links into directories; a dangling link too (to be
     * reported as unreadable).
     */
    private static void walk(Path root, List<Path> files, List<String> problems) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                // A link is hashed through to its target if that is a regular file. A link to a directory, a named
                // pipe or a device is skipped, as they are: reading a pipe or /dev/zero never ends. A dangling
                // link is kept, and reported as unreadable.
                if (attributes.isRegularFile() || (attributes.isSymbolicLink()
                        && (Files.isRegularFile(file) || !Files.exists(file)))) {
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
