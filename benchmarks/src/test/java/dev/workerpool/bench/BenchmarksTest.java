package dev.workerpool.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The benchmarks measure correct programs, and the JMH harness runs (a smoke run, not a measurement). */
class BenchmarksTest {

    @Test
    void theCoreToCoreProbeMeasuresARoundTrip() throws Exception {
        long nanos = CoreToCore.roundTripNanos(10_000);
        // ns to µs, never 0; bounded loosely: two spinners that do not get the two cores together take time slices
        assertTrue(nanos > 0 && nanos < 50_000_000, nanos + " ns");
    }

    @Test
    void theSwitchCostProbeMeasuresAHandOver() throws Exception {
        long nanos = SwitchCost.nanosPerHandOver(3, 30_000);
        assertTrue(nanos > 0 && nanos < 1_000_000, nanos + " ns"); // a yield is ns to µs, never 0 or a ms
    }

    /** The placement probe finds the pool's four threads in /proc and says where they ran. */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void thePlacementProbeSeesThePoolsFourThreads() throws Exception {
        Placement.Round round = Placement.round(500_000);
        java.util.Map<String, Integer> seen = round.seen();
        assertTrue(round.nanos() > 0);
        assertFalse(seen.isEmpty(), "no sample found producer, consumer and two workers");
        assertTrue(List.of("P+W|C+W", "P+C|W+W", "P+C+W|W", "P|C+W+W", "one CPU").containsAll(seen.keySet()),
                seen.toString());
    }

    @Test
    void everyContenderComputesTheRightSumAtEveryShape() throws Exception {
        int jobs = 20_000;
        long expected = sumOfSquares(jobs);
        List<String> contenders = new java.util.ArrayList<>(List.of("workerpool", "workerpool-timed",
                "workerpool-retry", "workerpool-ordered", "workerpool-handler", "workerpool-runall",
                "workerpool-rate-unreached", "workerpool-rate-limited", "workerpool-resized", "workerpool-resizing",
                "workerpool-locked", "workerpool+batch=0", "workerpool+stats=false", "workerpool+stats=exact",
                "workerpool+lanes=false", "workerpool+lanes=true", "workerpool-micrometer", "tpe-blocking",
                "tpe-caller-runs", "abq-pool", "single-thread", "split", "floor",
                "floor-numbers"));
        if (Runtime.version().feature() >= 21) {
            contenders.addAll(List.of("virtual-threads", "workerpool-virtual", "workerpool-virtual-runall",
                    "workerpool-virtual-workers", "workerpool-virtual-producer", "workerpool-virtual-reader",
                    "abq-pool-virtual"));
        }
        for (String contender : contenders) {
            for (int[] shape : new int[][] {{3, 10}, {2, 1024}, {8, 0}}) {
                assertEquals(expected, Pools.run(contender, "square", shape[0], shape[1], jobs),
                        contender + " at " + shape[0] + "x" + shape[1]);
            }
        }
    }

    /**
     * The Micrometer contender's meters call {@code stats()} when they are scraped, once per meter, and never
     * otherwise: not per job.
     */
    @Test
    void theMicrometerContenderReadsStatsOnlyWhenScraped() throws Exception {
        int jobs = 200_000;
        assertEquals(sumOfSquares(jobs), Pools.run("workerpool-micrometer", "square", 3, 10, jobs));
        assertEquals(14, Scraped.METERS.get());
        assertTrue(Scraped.SCRAPES.get() >= 1, "the last scrape, at least");
        assertEquals(Scraped.METERS.get() * Scraped.SCRAPES.get(), Scraped.STATS_CALLS.get());
    }

    /**
     * {@code @jfr-every-job} really records every job (so its figure is what a job event costs), and {@code @jfr}
     * commits none of the trivial ones (its 10 ms threshold; a few could cross it during a long safepoint), and
     * {@code @jfr-no-job-events} none at all.
     */
    @Test
    void recordingContendersRecordWhatTheySay() throws Exception {
        int jobs = 20_000;
        assertEquals(jobs, jobEventsRecorded("workerpool@jfr-every-job", jobs));
        long committed = jobEventsRecorded("workerpool@jfr", jobs);
        assertTrue(committed < jobs / 100,
                committed + " of " + jobs + " trivial jobs recorded with the 10 ms threshold");
        assertEquals(0, jobEventsRecorded("workerpool@jfr-no-job-events", jobs));

        assertEquals(null, Recordings.start("workerpool"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recordings.start("workerpool@jfr-all"));
        assertTrue(e.getMessage().contains("@jfr, @jfr-every-job or @jfr-no-job-events"), e.getMessage());
    }

    /** Runs the contender at 3 x 10 inside the recording its name asks for; checks the sum; counts job events. */
    private static long jobEventsRecorded(String contender, int jobs) throws Exception {
        jdk.jfr.Recording recording = Recordings.start(contender);
        assertEquals(sumOfSquares(jobs), Pools.run(Recordings.contender(contender), "square", 3, 10, jobs), contender);
        return Recordings.stopAndCountJobEvents(recording);
    }

    private static long sumOfSquares(int jobs) {
        long sum = 0;
        for (int n = 0; n < jobs; n++) {
            sum += (long) n * n;
        }
        return sum;
    }

    /** On JDK 17 the contenders that need virtual threads say so, rather than fail obscurely. */
    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void virtualContendersNeedJdk21() {
        for (String contender : List.of("virtual-threads", "workerpool-virtual", "abq-pool-virtual")) {
            Pools.Unsupported e = assertThrows(Pools.Unsupported.class,
                    () -> Pools.run(contender, "square", 3, 10, 100), contender);
            assertTrue(e.getMessage().contains("JDK 21"), e.getMessage());
        }
    }

    @Test
    void jmhSmokeRunOfOneShortIteration() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(HandOffBenchmark.class.getSimpleName() + ".trivial$")
                .param("shape", "3x10")
                .param("contender", "workerpool")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .build()).run();
        assertEquals(1, results.size());
        double nanosPerJob = results.iterator().next().getPrimaryResult().getScore();
        assertFalse(Double.isNaN(nanosPerJob));
    }

    @Test
    void freshJvmRunsEachContenderInAJvmOfItsOwnAndReportsIt() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            FreshJvm.main(new String[] {"2", "8", "workerpool,single-thread", "1", "square", "2000"});
        } finally {
            System.setOut(stdout);
        }
        String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(report.matches("(?s).*fresh JVM square 2 x 8  workerpool .*ns/job.*efficiency.*"), report);
        assertTrue(report.contains("single-thread"), report);
    }

    /**
     * With {@code -Dbench.threads=true} and 2 workers, each JVM's line says how far apart the cores were and how
     * the OS placed the child's producer, reader (its main thread) and two workers during the measured pass.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void freshJvmWithThreadCountersSaysWhereTheChildsFourThreadsRan() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setProperty("bench.threads", "true");
        try { // a measured pass of a few hundred ms: tens of samples, 10 ms apart
            FreshJvm.main(new String[] {"2", "1024", "workerpool", "1", "square", "2000000"});
        } finally {
            System.clearProperty("bench.threads");
            System.setOut(stdout);
        }
        String report = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(report.matches("(?s).*workerpool +[\\d,]+ ns/job, core-to-core \\d+ ns before it; threads' CPUs: "
                + "\\{[^}]*(P[+|]|one CPU)[^}]*=\\d+[^}]*}.*"), report);
        assertTrue(report.matches("(?s).*workerpool +JobsSquarePool- +x2 +on CPU.*"), report);
    }
}
