package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Which jobs {@code stats()} times: every job of a microsecond or more; one in 16 while jobs are shorter; every
 * job with {@code -Ddev.workerpool.stats=exact}. Counted, not timed: the test reads how many jobs were timed.
 */
class StatsSamplingTest {

    private static final int JOBS = 3_200;

    /** Runs {@link #JOBS} jobs on one worker, each busy for at least {@code nanos}; returns the pool, terminated. */
    private static LocalEngine<Integer, Integer, Integer> run(String name, long nanos) throws Exception {
        LocalEngine<Integer, Integer, Integer> pool = LocalEngine.start(name, 1, 16, job -> {
            long end = System.nanoTime() + nanos;
            while (nanos > 0 && System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            return job;
        }, (job, value, error) -> job);
        Thread reader = ChannelTest.start(name + "-reader", () -> pool.results().forEach(r -> { }));
        for (int i = 0; i < JOBS; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), name + " did not finish");
        Waits.join(reader);
        assertEquals(JOBS, pool.stats().completed(), "every job is counted, timed or not");
        return pool;
    }

    @Test
    void shortJobsAreTimedOneInSixteen() throws Exception {
        LocalEngine<Integer, Integer, Integer> pool = run("Short", 0);
        long timed = pool.timedJobs();
        assertTrue(timed >= JOBS / WorkerStats.SAMPLE_EVERY, "at least one in 16: " + timed);
        assertTrue(timed < JOBS / 2, "sampled: " + timed);
        assertTrue(pool.stats().meanRunTime().compareTo(Duration.ZERO) >= 0);
    }

    @Test
    void jobsOfAMicrosecondOrMoreAreAllTimed() throws Exception {
        LocalEngine<Integer, Integer, Integer> pool = run("Long", 2 * WorkerStats.SHORT_JOB_NANOS);
        assertEquals(JOBS, pool.timedJobs());
        assertTrue(pool.stats().maxRunTime().toNanos() >= 2 * WorkerStats.SHORT_JOB_NANOS);
        assertTrue(pool.stats().meanRunTime().toNanos() >= 2 * WorkerStats.SHORT_JOB_NANOS);
    }

    @Test
    void exactTimesEveryJob() throws Exception {
        System.setProperty("dev.workerpool.stats", "exact"); // read when a pool starts
        LocalEngine<Integer, Integer, Integer> pool;
        try {
            pool = run("Exact", 0);
        } finally {
            System.clearProperty("dev.workerpool.stats");
        }
        assertEquals(JOBS, pool.timedJobs());
    }

    /** The branch-free maximum of two run times is {@code Math.max}'s, over the range run times take. */
    @Test
    void theLongerOfTwoRunTimesIsTheirMaximum() {
        long[] values = {0, 1, 2, 999, 1_000, 50_000, 1L << 32, (1L << 62) - 1, Long.MAX_VALUE};
        for (long a : values) {
            for (long b : values) {
                assertEquals(Math.max(a, b), WorkerStats.longer(a, b), a + " and " + b);
            }
        }
    }

    /**
     * What a producer and reader ask of each worker before they yield (LocalEngine#workersRun): false before any
     * job was timed, with stats off, and while the mean timed job is no longer than the bound; true once it is.
     * The answer is computed without a branch, so each of these ways is checked.
     */
    @Test
    void jobsTakeLongerThanComparesTheMeanTimedJobWithTheBound() {
        WorkerStats none = new WorkerStats(true, true);
        assertFalse(none.jobsTakeLongerThan(20_000), "nothing timed yet");
        assertFalse(none.jobsTakeLongerThan(0), "nothing timed yet, even against a bound of 0");

        WorkerStats off = new WorkerStats(false, true);
        off.completed(true, System.nanoTime() - 5_000_000);
        assertFalse(off.jobsTakeLongerThan(20_000), "stats off: nothing is counted");

        WorkerStats longJobs = new WorkerStats(true, true);
        longJobs.completed(true, System.nanoTime() - 5_000_000); // started at least 5 ms ago
        longJobs.failed(true, System.nanoTime() - 5_000_000);
        assertTrue(longJobs.jobsTakeLongerThan(20_000), "two jobs of 5 ms or more");
        assertFalse(longJobs.jobsTakeLongerThan(Long.MAX_VALUE / 4), "no mean is that long");

        WorkerStats mixed = new WorkerStats(true, true);
        mixed.completed(true, System.nanoTime() - 5_000_000);
        for (int i = 0; i < 1_000; i++) {
            mixed.completed(true, System.nanoTime()); // far shorter than the bound: the mean falls under it
        }
        assertFalse(mixed.jobsTakeLongerThan(1_000_000), "one 5 ms job among 1,001: a mean under 1 ms");
        assertTrue(mixed.jobsTakeLongerThan(1_000), "the same jobs' mean is over 1 µs");
    }
}
