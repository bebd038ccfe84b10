package dev.workerpool.sample;

import dev.workerpool.hazelcast.HazelcastBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
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
 * {@code hash [DIR]}: the SHA-256 of every file under a directory, computed by a generated pool. A walker thread
 * lists the files while a producer thread submits them (held back by the pool's buffer): the first digests come
 * at once, not after the whole tree is walked, and a closed stdout stops the walk too. This thread reads results
 * as they complete. With {@code --cluster}, the pool is spread over this JVM and the {@code serve} members it
 * joins, and prints the same lines.
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

    @Option(names = "--buffer", paramLabel = "B", description = "Files waiting for a worker (default: "
            + "${DEFAULT-VALUE}).")
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

        Walk walk = new Walk(ordered && cluster != null);
        Map<Integer, Hashed> waiting = new HashMap<>(); // --ordered on a cluster: results that came early
        int[] nextToPrint = {0};
        long[] bytes = {0};
        int[] errors = {0};
        Map<String, Integer> perMember = new TreeMap<>();
        int members = 0;
        // The total is known once the walk ends: until then, the files found so far.
        try (Progress progress = Progress.start("hash", "files", -1, err, quiet)) {
            java.util.function.Consumer<Hashed> sink = result -> {
                errors[0] += walk.report(progress, err);
                boolean walked = walk.done; // before the count: once done, the count is final
                progress.total(walk.found.get(), walked);
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
                waiting.put(walk.order.get(result.file()), result);
                for (Hashed next = waiting.remove(nextToPrint[0]); next != null;
                        next = waiting.remove(nextToPrint[0])) {
                    print(out, progress, next);
                    nextToPrint[0]++;
                }
            };
            if (cluster == null) {
                hashHere(walk, sink);
            } else {
                members = hashOnCluster(walk, sink);
            }
            walk.rethrowFailure();
            errors[0] += walk.report(progress, err); // the producer has ended: every problem it found
            progress.total(walk.found.get(), true);
        }
        int files = walk.found.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        Summary summary = new Summary("hash " + directory)
                .row("files", "%,d", files)
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
     * On this JVM's pool: the walk's producer thread submits, this thread reads. With {@code --ordered}, the pool
     * is the {@code ordered = true} one, which hands the results out in the order the files were submitted: the
     * walk's order.
     */
    private void hashHere(Walk walk, java.util.function.Consumer<Hashed> sink) throws InterruptedException {
        if (ordered) {
            try (FileHasherSha256InOrderPool pool = Options.startPool(
                    () -> FileHasherSha256InOrderPool.start(new FileHasher(), workers, buffer))) {
                drain(walk, pool::submit, pool::cancel, pool::close, pool::results,
                        r -> hashed(r.job().file(), r.isSuccess() ? r.value() : null, r.error()), sink);
            }
            return;
        }
        try (FileHasherSha256Pool pool = Options.startPool(
                () -> FileHasherSha256Pool.start(new FileHasher(), workers, buffer))) {
            drain(walk, pool::submit, pool::cancel, pool::close, pool::results,
                    r -> hashed(r.job().file(), r.isSuccess() ? r.value() : null, r.error()), sink);
        }
    }

    /**
     * One pool's run, whichever it is: starts the walk, which submits every file through {@code submit} and then
     * calls {@code close} (or {@code cancel}); hands each result, as {@code hashed} makes it, to the sink on this
     * thread; and waits for the walk's producer to end. A closed stdout cancels the pool (the producer's next submit
     * fails, and the walk ends) and is rethrown.
     */
    private <R> void drain(Walk walk, Submit submit, Runnable cancel, Runnable close,
            java.util.function.Supplier<Iterable<R>> results, java.util.function.Function<R, Hashed> hashed,
            java.util.function.Consumer<Hashed> sink) throws InterruptedException {
        Thread producer = walk.start(directory, submit, cancel, close);
        try {
            for (R r : results.get()) {
                sink.accept(hashed.apply(r));
            }
        } catch (OutputClosed closed) {
            cancel.run(); // no more files: the producer's next submit fails, and the walk ends
            walk.stop();
            throw closed;
        }
        producer.join();
    }

    /** A pool's {@code submit}. */
    private interface Submit {
        void submit(Path file) throws InterruptedException;
    }

    /**
     * The walk of the tree, on two threads of its own: a walker that lists the files into a queue, ahead of the
     * pool (so that the total is known as soon as the tree is walked, long before it is hashed), and a producer
     * that submits them from there, held back by the pool's buffer. Shared with the thread that reads the results:
     * how many files were found, whether the walk has ended, the directories it could not read, and the order the
     * files were found in (for {@code --ordered} on a cluster).
     */
    private static final class Walk {
        final java.util.concurrent.atomic.AtomicInteger found = new java.util.concurrent.atomic.AtomicInteger();
        final Map<Path, Integer> order = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Queue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile boolean done;
        private volatile Throwable failure;
        private volatile boolean stopped;
        private final boolean keepOrder;
        private final java.util.concurrent.BlockingQueue<Path> queue =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final Path end = Path.of("end of the walk"); // compared by identity: never a file found

        /** A walk that keeps each file's place in {@link #order} if {@code keepOrder}. */
        Walk(boolean keepOrder) {
            this.keepOrder = keepOrder;
        }

        /**
         * Starts the walker and the producer; returns the producer, which submits every file the walker finds,
         * then closes the pool (cancels it if interrupted or if the walk failed); it stops, and the walker with
         * it, when the pool is cancelled (stdout closed; {@link #stop}).
         */
        Thread start(Path root, Submit submit, Runnable cancel, Runnable close) {
            Thread walker = new Thread(() -> {
                try {
                    walk(root);
                } catch (IOException | RuntimeException | Error e) {
                    failure = e; // rethrown by the thread that reads the results
                } finally {
                    done = true;
                    queue.add(end);
                }
            }, "hash-walker");
            walker.setDaemon(true);
            Thread producer = new Thread(() -> {
                try {
                    for (Path file = queue.take(); file != end; file = queue.take()) {
                        submit.submit(file); // blocks while `buffer` files wait: backpressure
                    }
                    if (failure != null) {
                        cancel.run();
                    }
                } catch (dev.workerpool.runtime.PoolClosedException cancelled) {
                    stopped = true; // stdout closed: the pool was cancelled, stop walking
                } catch (InterruptedException e) {
                    stopped = true;
                    cancel.run();
                } finally {
                    close.run(); // no more files; workers finish the queue and exit
                }
            }, "hash-producer");
            walker.start();
            producer.start();
            return producer;
        }

        /** Stops the walk at its next file or directory (the pool has been cancelled: stdout closed). */
        void stop() {
            stopped = true;
        }

        /**
         * Every regular file and link to one, without following links into directories; a dangling link too (to be
         * reported as unreadable). A directory that cannot be read goes to {@link #problems}.
         */
        private void walk(Path root) throws IOException {
            Files.walkFileTree(root, new TolerantVisitor() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return next();
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    // A link is hashed through to its target if that is a regular file. A link to a directory, a
                    // named pipe or a device is skipped, as they are: reading a pipe or /dev/zero never ends. A
                    // dangling link is kept, and reported as unreadable.
                    if (attributes.isRegularFile() || (attributes.isSymbolicLink()
                            && (Files.isRegularFile(file) || !Files.exists(file)))) {
                        int index = found.getAndIncrement();
                        if (keepOrder) {
                            order.put(file, index);
                        }
                        queue.add(file);
                    }
                    return next();
                }

                @Override
                void unreadable(Path path, IOException e) {
                    problems.add(path + ": " + describe(e));
                }

                @Override
                FileVisitResult next() { // stdout closed: the walk ends at its next file or directory
                    return stopped ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }
            });
        }

        /** Prints the problems found since the last call (on this thread: the one that owns the progress). */
        int report(Progress progress, PrintWriter err) {
            int reported = 0;
            for (String problem = problems.poll(); problem != null; problem = problems.poll()) {
                progress.println(err, "unreadable: " + problem);
                reported++;
            }
            return reported;
        }

        /** Throws what ended the walk, if it failed (an internal error, as before the walk moved to the producer). */
        void rethrowFailure() throws IOException {
            Throwable e = failure;
            if (e instanceof IOException io) {
                throw io;
            } else if (e instanceof RuntimeException runtime) {
                throw runtime;
            } else if (e instanceof Error error) {
                throw error;
            }
        }
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
    private int hashOnCluster(Walk walk, java.util.function.Consumer<Hashed> sink) throws InterruptedException {
        List<String> others = Cluster.addresses(cluster);
        Map<String, Path> byName = new java.util.concurrent.ConcurrentHashMap<>(); // filled by the producer
        try (HazelcastBackend backend = Cluster.join(0, others, 2, Level.SEVERE)) {
            var address = backend.hazelcast().getCluster().getLocalMember().getAddress();
            String me = address.getHost() + ":" + address.getPort();
            ClusterHasherSha256Pool pool = Options.startPool(
                    () -> ClusterHasherSha256Pool.start(new ClusterHasher(me), workers, buffer, backend));
            int members = backend.hazelcast().getCluster().getMembers().size();
            drain(walk, file -> {
                String name = file.toAbsolutePath().toString();
                byName.put(name, file);
                pool.submit(name); // blocks while `buffer` files wait, cluster-wide
            }, pool::cancel, pool::close, pool::results, r -> {
                Path file = byName.get(r.job().file());
                return r.isSuccess()
                        ? new Hashed(file, r.value().bytes(), r.value().hex(), null, r.value().member())
                        : new Hashed(file, 0, null, r.error(), null);
            }, sink);
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

    static String describe(Throwable error) {
        String type = error.getClass().getSimpleName();
        return error.getMessage() == null ? type : type + " (" + error.getMessage() + ")";
    }
}
