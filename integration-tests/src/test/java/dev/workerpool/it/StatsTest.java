package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code stats()} through a generated pool: every counter checked against what the test made happen. */
class StatsTest {

    @Test
    void statsCountWhatHappened() throws Exception {
        Gate gate = new Gate();
        GatePassPool pool = GatePassPool.start(gate); // 2 workers, buffer 3
        PoolStats fresh = pool.stats();
        assertEquals(new PoolStats("GatePassPool", 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO),
                fresh);

        for (int id = 1; id <= 5; id++) {
            pool.submit(id);
        }
        gate.started.acquire(2);
        PoolStats busy = pool.stats();
        assertEquals(2, busy.busyWorkers());
        assertEquals(3, busy.queuedJobs());
        assertEquals(3, busy.queueHighWaterMark());
        assertEquals(5, busy.submitted());
        assertEquals(0, busy.finished());

        gate.finish.release(2); // jobs 1 and 2 finish; 3 and 4 start
        gate.started.acquire(2);
        pool.cancel(); // 3 and 4 are interrupted while running, 5 never starts
        assertTrue(pool.await(dev.workerpool.testing.Waits.LIMIT));
        PoolStats done = pool.stats();
        assertEquals(5, done.submitted());
        assertEquals(2, done.completed());
        assertEquals(0, done.failed());
        assertEquals(3, done.cancelled());
        assertEquals(5, done.finished());
        assertEquals(0, done.busyWorkers());
        assertEquals(0, done.queuedJobs());
        assertEquals(3, done.queueHighWaterMark());
        assertTrue(done.maxRunTime().compareTo(done.meanRunTime()) >= 0);
        assertTrue(done.meanRunTime().compareTo(Duration.ZERO) > 0, "four jobs ran, each waited for a permit");
        int results = 0;
        for (GatePassPool.Result r : pool.results()) {
            results++;
        }
        assertEquals(5, results);
    }

    @Test
    void failuresAreCountedApartFromCompletions() throws Exception {
        try (FailingAttemptPool pool = FailingAttemptPool.start(new Failing())) {
            for (String kind : new String[] {"io", "runtime", "ok", "ok"}) {
                pool.submit(kind);
            }
            pool.close();
            pool.results().forEach(r -> { });
            pool.await();
            PoolStats stats = pool.stats();
            assertEquals(4, stats.submitted());
            assertEquals(2, stats.completed());
            assertEquals(2, stats.failed());
            assertEquals(0, stats.cancelled());
        }
    }
}
