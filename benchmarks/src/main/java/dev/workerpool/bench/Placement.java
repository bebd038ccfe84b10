package dev.workerpool.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the OS runs a 2-worker pool's four threads, round by round (Linux only: it reads
 * {@code /proc/self/task/*}{@code /stat}). Each round runs the generated pool on {@code jobs} trivial jobs at 2
 * workers × 1024 slots (its results read by a thread named {@code consumer}) while the main thread reads, every
 * 2 ms, the CPU each of the four threads last ran on, and prints the round's nanoseconds per job with how many
 * samples saw each arrangement:
 * <ul>
 *   <li>{@code P+W|C+W}: the producer with one worker, the consumer with the other (two threads a core);</li>
 *   <li>{@code P+C|W+W}: producer and consumer on one core, both workers on the other (two a core);</li>
 *   <li>{@code P+C+W|W}, {@code P|C+W+W}: three threads on one core, one alone on the other;</li>
 *   <li>{@code one CPU}: all four last ran on the same CPU (none running at that instant, or all on one).</li>
 * </ul>
 * On a machine with more cores than threads the arrangements say little.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.workerpool.bench.Placement 30 1000000</pre>
 */
public final class Placement {

    private Placement() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Placement <rounds> <jobs per round>");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int jobs = Integer.parseInt(args[1]);
        for (int round = 0; round < rounds; round++) {
            Round r = round(jobs);
            System.out.println(r.nanos() / jobs + " ns/job  " + r.seen());
        }
    }

    /** A round's wall time, and how many samples saw each arrangement. */
    record Round(long nanos, Map<String, Integer> seen) {}

    /**
     * One round: the pool runs on a thread named {@code consumer} (the producer is the harness's {@code producer})
     * while this thread samples.
     */
    static Round round(int jobs) throws Exception {
        long[] nanos = new long[1];
        Exception[] failure = new Exception[1];
        Thread consumer = new Thread(() -> {
            long start = System.nanoTime();
            try {
                Pools.run("workerpool", "square", 2, 1024, jobs);
            } catch (Exception e) {
                failure[0] = e;
            }
            nanos[0] = System.nanoTime() - start;
        }, "consumer");
        Map<String, Integer> seen = new TreeMap<>();
        consumer.start();
        while (consumer.isAlive()) {
            String arrangement = arrangement();
            if (arrangement != null) {
                seen.merge(arrangement, 1, Integer::sum);
            }
            Thread.sleep(2);
        }
        consumer.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Round(nanos[0], seen);
    }

    /** The arrangement of the pool's threads now, or null if they are not all found. */
    static String arrangement() throws IOException {
        return arrangement(Paths.get("/proc/self/task"), "consumer");
    }

    /**
     * The arrangement now of a 2-worker pool's threads in the process whose task directory is {@code tasks}: the
     * thread named {@code producer}, the one named {@code consumerName}, and two workers (the generated pool's, the
     * hand-written ABQ pool's or a {@code ThreadPoolExecutor}'s); null if they are not all found.
     */
    static String arrangement(Path tasks, String consumerName) throws IOException {
        Integer producer = null;
        Integer consumer = null;
        List<Integer> workers = new ArrayList<>();
        Path process = tasks.getParent().getFileName(); // "self", or the process id: the launcher's thread's
        try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
            for (Path task : all) {
                if (task.getFileName().equals(process)) {
                    continue; // the launcher's first thread: it waits for main, and has main's OS name, "java"
                }
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close);
                int cpu = Integer.parseInt(stat.substring(close + 2).split(" ")[36]); // field 39: processor
                if (name.equals("producer")) {
                    producer = cpu;
                } else if (name.startsWith("JobsSquarePool") || name.startsWith("abq-worker")
                        || name.startsWith("pool-")) { // the OS keeps 15 characters of a name
                    workers.add(cpu);
                } else if (name.equals(consumerName)) {
                    consumer = cpu;
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            return null; // the process ended meanwhile
        }
        if (producer == null || consumer == null || workers.size() != 2) {
            return null;
        }
        boolean workersTogether = workers.get(0).equals(workers.get(1));
        if (producer.equals(consumer)) {
            if (!workersTogether) {
                return "P+C+W|W";
            }
            return producer.equals(workers.get(0)) ? "one CPU" : "P+C|W+W";
        }
        return workersTogether ? "P|C+W+W" : "P+W|C+W";
    }
}
