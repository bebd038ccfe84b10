package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
