package dev.workerpool.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The pool as a user meets it: every run in a fresh JVM ({@code -Xms1g -Xmx1g -XX:+UseG1GC}) that makes one
 * warm-up pass and one measured pass; each pass starts a pool, a platform producer thread submits the jobs and
 * closes, the main thread iterates the results and sums them ({@link Pools#run}), and the pool's start and
 * shutdown are inside the clock. Contenders alternate JVM by JVM, so that they meet the same machine states.
 * Beside the long-lived rounds of {@link Alternating}, this shows what JIT warm-up and thread start-up cost a
 * short-lived program.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.workerpool.bench.FreshJvm 3 10 workerpool,tpe-blocking,abq-pool 5
 *java -cp benchmarks/target/benchmarks.jar dev.workerpool.bench.FreshJvm \
 *    8 16 workerpool,tpe-blocking,single-thread 3 nap 2000</pre>
 *
 * Arguments: workers, buffer, comma-separated contenders ({@link Pools#run}), JVMs per contender, and optionally
 * the workload ({@code square}, {@code burn}, {@code nap}) and the jobs per pass (default 1,000,000). With
 * {@code single-thread} among the contenders, parallel efficiency is printed. A contender that cannot run the
 * workload (the trivial-only ones, given {@code burn} or {@code nap}) or on this JDK (virtual threads before 21) is
 * skipped after its first JVM, and why is printed last. With {@code -Dbench.threads=true}
 * (Linux) this JVM also prints where each child's threads ran during its measured pass ({@link ThreadCounters},
 * read from here, so that the measured JVM runs none of its code), and with 2 workers, for each JVM, how far apart
 * the cores were just before it ({@link CoreToCore}) and how the OS placed its four threads on them
 * ({@link Placement}). Contenders {@code go} and
 * {@code go-single-thread} run Go's canonical pool ({@code benchmarks/go/pool.go}, built with
 * {@code go build -o benchmarks/target/go-pool benchmarks/go/pool.go}; another binary with
 * {@code -Dbench.go=path}) in the same shape, a process per run, with the same burn iterations; Go's efficiency is
 * against {@code go-single-thread}. Where {@code /usr/bin/time}
 * exists, each JVM runs under it, and the operating system's context switches (voluntary and involuntary, all
 * threads, both passes) are printed per job, less those of a JVM that runs no pool. System properties named
 * {@code dev.workerpool.*} or {@code jdk.virtualThreadScheduler.*} given to this JVM are passed to every child, and
 * so are the JVM options in {@code -Dbench.jvmargs="..."} (space-separated; for example
 * {@code -XX:PerMethodTrapLimit=0}).
 */
public final class FreshJvm {
    private static final Path TIME = Path.of("/usr/bin/time");
    /** {@code -Dbench.threads=true}, read by {@link #main}. */
    private static boolean threads;

    private FreshJvm() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: FreshJvm <workers> <buffer> <contender,contender,...> <jvms> "
                    + "[square|burn|nap] [jobs]");
            System.exit(2);
        }
        threads = Boolean.getBoolean("bench.threads");
        String workers = args[0];
        String buffer = args[1];
        String[] contenders = args[2].split(",");
        int jvms = Integer.parseInt(args[3]);
        String workload = args.length > 4 ? args[4] : "square";
        int jobs = args.length > 5 ? Integer.parseInt(args[5]) : 1_000_000;
        Map<String, List<Double>> perJob = new LinkedHashMap<>();
        Map<String, List<Double>> switches = new LinkedHashMap<>();
        List<Double> baseline = new ArrayList<>();
        if (workload.equals("burn")) { // calibrated once, here, so that every JVM burns the same work per job
            Jobs.calibrate(50);
            System.out.printf("burn: %,d iterations per job%n", Jobs.burnIterations);
        }
        Map<String, String> skipped = new LinkedHashMap<>(); // contender -> why: it cannot run this here
        for (int i = 0; i < jvms; i++) {
            baseline.add(child("none", workload, workers, buffer, "1")[1]);
            for (String contender : contenders) {
                if (skipped.containsKey(contender)) {
                    continue;
                }
                double[] run;
                try {
                    run = child(contender, workload, workers, buffer, String.valueOf(jobs));
                } catch (Pools.Unsupported e) {
                    skipped.put(contender, e.getMessage());
                    continue;
                }
                perJob.computeIfAbsent(contender, c -> new ArrayList<>()).add(run[0]);
                switches.computeIfAbsent(contender, c -> new ArrayList<>()).add(run[1]);
            }
        }
        double idle = median(baseline);
        Double single = perJob.containsKey("single-thread") ? median(perJob.get("single-thread")) : null;
        Double goSingle = perJob.containsKey("go-single-thread") ? median(perJob.get("go-single-thread")) : null;
        perJob.forEach((contender, nanos) -> {
            double median = median(nanos);
            Collections.sort(nanos);
            Double reference = contender.startsWith("go") ? goSingle : single;
            String efficiency = reference == null || contender.endsWith("single-thread") ? ""
                    : String.format("  efficiency %.1f%%", 100 * reference / (Integer.parseInt(workers) * median));
            double ctx = median(switches.get(contender));
            String perJobSwitches = ctx < 0 ? "" : String.format("  context switches %.2f/job",
                    (ctx - idle) / (2.0 * jobs));
            System.out.printf("fresh JVM %s %s x %s  %-28s median %,8.0f ns/job  (min %,.0f, max %,.0f, %d JVMs)%s%s%n",
                    workload, workers, buffer, contender, median, nanos.get(0), nanos.get(nanos.size() - 1),
                    nanos.size(), efficiency, perJobSwitches);
        });
        skipped.forEach((contender, why) -> System.out.printf("fresh JVM %s %s x %s  %-28s skipped: %s%n",
                workload, workers, buffer, contender, why));
    }

    /**
     * What a child prints, then the reason, when its contender cannot run here ({@link Pools.Unsupported}): the
     * parent throws the same exception, and skips the contender.
     */
    private static final String UNSUPPORTED = "UNSUPPORTED ";

    /** Runs one JVM; returns the measured pass's nanoseconds per job and the JVM's context switches (-1: unknown). */
    private static double[] child(String contender, String workload, String workers, String buffer, String jobs)
            throws Exception {
        List<String> command = new ArrayList<>();
        boolean timed = Files.isExecutable(TIME);
        if (timed) {
            command.addAll(List.of(TIME.toString(), "-f", "CONTEXT-SWITCHES %w %c"));
        }
        if (contender.startsWith("go")) { // Go's pattern, built from benchmarks/go/pool.go
            String binary = System.getProperty("bench.go", "benchmarks/target/go-pool");
            command.addAll(List.of(binary, workers, buffer,
                    contender.equals("go-single-thread") ? "single-" + workload : workload, jobs,
                    String.valueOf(Jobs.burnIterations)));
            return run(contender, command, timed, jobs, false);
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-XX:+UseG1GC"));
        String jvmArgs = System.getProperty("bench.jvmargs", "").trim(); // e.g. -XX:PerMethodTrapLimit=0
        if (!jvmArgs.isEmpty()) {
            command.addAll(List.of(jvmArgs.split("\\s+")));
        }
        // the pool's tuning and the JDK's virtual-thread scheduler settings given to this JVM reach every child
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("dev.workerpool.") || k.startsWith("jdk.virtualThreadScheduler."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                Child.class.getName(), contender, workload, workers, buffer, jobs,
                String.valueOf(Jobs.burnIterations)));
        return run(contender, command, timed, jobs, threads && workers.equals("2") && !contender.equals("none"));
    }

    /**
     * Runs one child process, JVM or not, and reads what it printed. With {@code placement}, first measures how far
     * apart the cores are ({@link CoreToCore}), then samples where the child's two workers, producer and reader
     * ran during its measured pass ({@link PlacementSampler}), and prints both with the pass's time.
     */
    private static double[] run(String contender, List<String> command, boolean timed, String jobs,
            boolean placement) throws Exception {
        long coreToCore = 0;
        if (placement) {
            CoreToCore.roundTripNanos(200_000); // compiles it
            coreToCore = CoreToCore.roundTripNanos(200_000);
        }
        PlacementSampler sampler = null;
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double nanos = Double.NaN;
        double switches = -1;
        ThreadCounters.Tracker tracker = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.add(line);
                String[] words = line.trim().split("\\s+");
                if (line.startsWith(UNSUPPORTED)) {
                    process.waitFor(1, TimeUnit.MINUTES);
                    throw new Pools.Unsupported(line.substring(UNSUPPORTED.length()));
                }
                if (words[0].equals("START") && words[1].equals("MEASURED") && threads) {
                    tracker = ThreadCounters.track(Long.parseLong(words[2]));
                    sampler = placement ? new PlacementSampler(Long.parseLong(words[2])) : null;
                } else if (words[0].equals("MEASURED")) {
                    nanos = Double.parseDouble(words[1]);
                    if (sampler != null) {
                        System.out.printf("  %-16s %,.0f ns/job, core-to-core %d ns before it; threads' CPUs: %s%n",
                                contender, nanos, coreToCore, sampler.stop());
                    }
                    if (tracker != null) {
                        long measured = Long.parseLong(jobs);
                        tracker.stop().forEach((name, c) -> print(contender, name, c, measured));
                    }
                } else if (words[0].equals("CONTEXT-SWITCHES")) {
                    switches = Double.parseDouble(words[1]) + Double.parseDouble(words[2]);
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0
                || (Double.isNaN(nanos) && !contender.equals("none"))) {
            process.destroyForcibly();
            throw new IllegalStateException(contender + " failed:\n" + String.join("\n", output));
        }
        return new double[] {nanos, timed ? switches : -1};
    }

    private static void print(String contender, String name, ThreadCounters.Counters c, long jobs) {
        if (c.runNanos() > 0 || c.voluntary() + c.involuntary() > 0) {
            System.out.printf("  %-16s %-16s x%-3d on CPU %9.1f ns/job, runnable-waiting %9.1f ns/job, "
                    + "switches %.3f + %.3f /job%n", contender, name, c.threads(), c.runNanos() / (double) jobs,
                    c.waitNanos() / (double) jobs, c.voluntary() / (double) jobs, c.involuntary() / (double) jobs);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Samples, every 10 ms from this process, how the OS has placed a child's 2-worker pool on the cores
     * ({@link Placement#arrangement(Path, String)}; the reader is the child's main thread, whose OS name is
     * {@code java}), and counts the samples of each arrangement.
     */
    private static final class PlacementSampler {
        private final Map<String, Integer> seen = new TreeMap<>();
        private final Thread thread;
        private volatile boolean stopped;

        PlacementSampler(long pid) {
            Path tasks = Path.of("/proc", String.valueOf(pid), "task");
            thread = new Thread(() -> {
                try {
                    while (!stopped) {
                        String arrangement = Placement.arrangement(tasks, "java");
                        if (arrangement != null) {
                            synchronized (seen) {
                                seen.merge(arrangement, 1, Integer::sum);
                            }
                        }
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException e) {
                    // stopped, or the child has ended
                }
            }, "bench-placement");
            thread.setDaemon(true);
            thread.start();
        }

        Map<String, Integer> stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join();
            synchronized (seen) {
                return new TreeMap<>(seen);
            }
        }
    }

    /** One JVM: a warm-up pass and a measured pass of one contender ({@code none}: no pass, the baseline). */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            String contender = args[0];
            if (contender.equals("none")) {
                return;
            }
            String workload = args[1];
            int workers = Integer.parseInt(args[2]);
            int buffer = Integer.parseInt(args[3]);
            int jobs = Integer.parseInt(args[4]);
            Jobs.burnIterations = Integer.parseInt(args[5]);
            for (String pass : new String[] {"WARM-UP", "MEASURED"}) {
                System.out.println("START " + pass + " " + ProcessHandle.current().pid());
                System.out.flush();
                long start = System.nanoTime();
                long sum;
                try {
                    sum = Pools.run(contender, workload, workers, buffer, jobs);
                } catch (Pools.Unsupported e) {
                    System.out.println(UNSUPPORTED + e.getMessage());
                    System.out.flush();
                    return;
                }
                double nanos = (System.nanoTime() - start) / (double) jobs;
                System.out.printf("%s %.1f %d%n", pass, nanos, sum);
                System.out.flush();
            }
        }
    }
}
