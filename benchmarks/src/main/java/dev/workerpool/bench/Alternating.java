package dev.workerpool.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * A control for JMH's fork-to-fork noise: runs the trivial workload for several contenders in turn, round after
 * round, in one JVM, and prints each contender's median, min and max nanoseconds per job. On a 2-core machine a
 * pool of four or more threads lands in a fast or a slow mode depending on where the OS places its threads, and
 * that mode can hold for a whole JMH fork; alternating contenders round by round exposes them to the same modes.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.workerpool.bench.Alternating 2 1024 workerpool,abq-pool 12
 *java -cp benchmarks/target/benchmarks.jar dev.workerpool.bench.Alternating \
 *    2 16 workerpool,single-thread 12 burn 20000</pre>
 *
 * Arguments: workers, buffer, comma-separated contenders ({@link Pools#run}), rounds (the first two are warm-up),
 * and optionally the workload ({@code square}, the default, or {@code burn}: about 50 µs of CPU work per job,
 * calibrated at start-up) and the jobs per round (default 1,000,000). With {@code single-thread} among the
 * contenders, each other contender's parallel efficiency against it is printed too. A contender may end in
 * {@code @jfr}, {@code @jfr-every-job} or {@code @jfr-no-job-events}: it then runs inside a Flight Recorder
 * recording ({@link Recordings}), started before its clock starts and stopped after it stops. Each other
 * contender's median is also printed as a ratio to the first contender's.
 */
public final class Alternating {
    private static final int WARM_UP_ROUNDS = 2;

    private Alternating() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: Alternating <workers> <buffer> <contender,contender,...> <rounds> "
                    + "[square|burn] [jobs]");
            System.exit(2);
        }
        int workers = Integer.parseInt(args[0]);
        int buffer = Integer.parseInt(args[1]);
        String[] contenders = args[2].split(",");
        int rounds = Integer.parseInt(args[3]);
        String workload = args.length > 4 ? args[4] : "square";
        int jobs = args.length > 5 ? Integer.parseInt(args[5]) : 1_000_000;
        if (workload.equals("burn")) {
            Jobs.calibrate(50);
            System.out.printf("burn: %,d iterations per job%n", Jobs.burnIterations);
        }
        System.out.printf("core-to-core round trip before: %d ns%n", CoreToCore.roundTripNanos(1_000_000));
        Map<String, List<Double>> perJob = new LinkedHashMap<>();
        long expected = -1;
        for (int round = 0; round < rounds; round++) {
            for (String contender : contenders) {
                Recording recording = Recordings.start(contender); // outside the clock
                long start = System.nanoTime();
                long sum = Pools.run(Recordings.contender(contender), workload, workers, buffer, jobs);
                double nanos = (System.nanoTime() - start) / (double) jobs;
                Recordings.stop(recording);
                if (expected != -1 && sum != expected) {
                    throw new IllegalStateException(contender + " summed " + sum + ", expected " + expected);
                }
                expected = sum;
                if (round >= WARM_UP_ROUNDS) {
                    perJob.computeIfAbsent(contender, c -> new ArrayList<>()).add(nanos);
                }
            }
        }
        System.out.printf("core-to-core round trip after: %d ns%n", CoreToCore.roundTripNanos(1_000_000));
        perJob.values().forEach(Collections::sort);
        List<Double> single = perJob.get("single-thread");
        perJob.forEach((contender, nanos) -> {
            double median = nanos.get(nanos.size() / 2);
            String efficiency = single == null || contender.equals("single-thread") ? ""
                    : String.format("  efficiency %.1f%%", 100 * single.get(single.size() / 2) / (workers * median));
            System.out.printf("%s %d x %d  %-16s median %,6.0f ns/job  (min %,.0f, max %,.0f, %d rounds)%s%n", workload,
                    workers, buffer, contender, median, nanos.get(0), nanos.get(nanos.size() - 1), nanos.size(),
                    efficiency);
        });
        String first = contenders[0];
        double firstMedian = median(perJob.get(first));
        perJob.forEach((contender, nanos) -> {
            if (!contender.equals(first)) {
                System.out.printf("%s %d x %d  %s / %s: %.3f (ratio of medians)%n",
                        workload, workers, buffer, contender, first, median(nanos) / firstMedian);
            }
        });
        if (perJob.containsKey("workerpool-micrometer")) {
            System.out.printf("workerpool-micrometer, last round: %d scrapes of %d meters, %d stats() calls after "
                    + "binding (%.1f per scrape)%n", Scraped.SCRAPES.get(), Scraped.METERS.get(),
                    Scraped.STATS_CALLS.get(),
                    Scraped.STATS_CALLS.get() / (double) Math.max(1, Scraped.SCRAPES.get()));
        }
    }

    private static double median(List<Double> sorted) {
        return sorted.get(sorted.size() / 2);
    }
}
