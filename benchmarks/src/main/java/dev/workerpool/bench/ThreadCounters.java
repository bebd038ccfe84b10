package dev.workerpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a process's threads ran, from Linux's per-thread counters ({@code /proc/<pid>/task/<tid>/}): time on a CPU and
 * time runnable but waiting for one ({@code schedstat}, nanoseconds), and voluntary / involuntary context switches
 * ({@code status}). {@link FreshJvm} prints the difference over the measured pass, threads grouped by name (digits
 * folded), with {@code -Dbench.threads=true}. Empty where {@code /proc} is not Linux's.
 */
final class ThreadCounters {

    /** One group's counters: on-CPU ns, runnable-waiting ns, voluntary and involuntary switches, threads. */
    record Counters(long runNanos, long waitNanos, long voluntary, long involuntary, int threads) {
        Counters plus(Counters o) {
            return new Counters(runNanos + o.runNanos, waitNanos + o.waitNanos, voluntary + o.voluntary,
                    involuntary + o.involuntary, threads + o.threads);
        }

        Counters minus(Counters o) {
            return new Counters(runNanos - o.runNanos, waitNanos - o.waitNanos, voluntary - o.voluntary,
                    involuntary - o.involuntary, threads);
        }
    }

    private ThreadCounters() {}

    /** Every live thread's counters of process {@code pid}, by thread id, with its name. */
    static Map<String, Map.Entry<String, Counters>> snapshot(long pid) {
        Path tasksDir = Path.of("/proc", String.valueOf(pid), "task");
        Map<String, Map.Entry<String, Counters>> byTid = new TreeMap<>();
        if (!Files.isDirectory(tasksDir)) {
            return byTid;
        }
        try (Stream<Path> tasks = Files.list(tasksDir)) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String[] sched = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    long voluntary = 0;
                    long involuntary = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    byTid.put(task.getFileName().toString(), Map.entry(name, new Counters(Long.parseLong(sched[0]),
                            Long.parseLong(sched[1]), voluntary, involuntary, 1)));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return byTid;
        }
        return byTid;
    }

    /**
     * Follows every thread of process {@code pid} from now until {@link Tracker#stop()}, also those that start
     * and end in between (sampled every 20 ms from this process, so that the measured JVM runs no code of it; a
     * thread that ends loses at most its last 20 ms).
     */
    static Tracker track(long pid) {
        return new Tracker(pid);
    }

    /** See {@link #track(long)}. */
    static final class Tracker {
        private final long pid;
        private final Map<String, Map.Entry<String, Counters>> before;
        private final Map<String, Map.Entry<String, Counters>> latest;
        private volatile boolean stopped;
        private final Thread sampler = new Thread(this::sample, "bench-sampler");

        private Tracker(long pid) {
            this.pid = pid;
            this.before = snapshot(pid);
            this.latest = new TreeMap<>(before);
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            while (!stopped) {
                Map<String, Map.Entry<String, Counters>> now = snapshot(pid);
                synchronized (latest) {
                    latest.putAll(now);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops following; what each group of threads (by name, digits folded to #) did meanwhile. */
        Map<String, Counters> stop() throws InterruptedException {
            stopped = true;
            sampler.interrupt();
            sampler.join();
            synchronized (latest) {
                latest.putAll(snapshot(pid));
                return delta(before, latest);
            }
        }
    }

    /** What each group of threads (by name, digits folded to #) did between two snapshots. */
    static Map<String, Counters> delta(Map<String, Map.Entry<String, Counters>> before,
            Map<String, Map.Entry<String, Counters>> after) {
        Map<String, Counters> byGroup = new TreeMap<>();
        after.forEach((tid, now) -> {
            Map.Entry<String, Counters> then = before.get(tid);
            Counters d = then == null ? now.getValue() : now.getValue().minus(then.getValue());
            byGroup.merge(now.getKey().replaceAll("[0-9]+", "#"), d, Counters::plus);
        });
        return byGroup;
    }
}
