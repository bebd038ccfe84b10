package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A generated pool large enough for lanes by default (2 workers, 128 job slots): the bound is exactly the
 * buffer, the statistics are exact, a worker alone drains the other's lane too, and every job yields one result.
 */
@ExtendWith(NoLeakedThreads.class)
class LanesTest {

    @Test
    void aLanedPoolKeepsTheBufferBoundAndAWorkerAloneDrainsEveryLane() throws Exception {
        WideGate gate = new WideGate();
        try (WideGatePassPool pool = WideGatePassPool.start(gate)) {
            pool.submit(-1);
            pool.submit(-2);
            gate.started.acquire(2); // both workers are held
            for (int id = 0; id < 128; id++) {
                assertTrue(pool.trySubmit(id), "slot for job " + id);
            }
            assertFalse(pool.trySubmit(128), "the 128 slots of both lanes are taken: full, exactly as one queue");
            PoolStats full = pool.stats();
            assertEquals(128, full.queuedJobs());
            assertEquals(128, full.queueHighWaterMark());
            assertEquals(2, full.busyWorkers());

            gate.hold.release(); // one worker goes on, alone: the jobs spread into the other's lane are its too
            Waits.until(() -> pool.stats().completed() == 129, "129 jobs completed by one worker");
            PoolStats oneHeld = pool.stats();
            assertEquals(0, oneHeld.queuedJobs());
            assertEquals(1, oneHeld.busyWorkers(), "the other worker is still held in its first job");
            gate.hold.release();
            pool.close();

            BitSet seen = new BitSet();
            int results = 0;
            for (WideGatePassPool.Result r : pool.results()) {
                int id = r.getOrThrow() + 2; // -2 .. 127
                assertFalse(seen.get(id), "a second result for job " + r.getOrThrow());
                seen.set(id);
                results++;
            }
            assertEquals(130, results);
            assertEquals(130, seen.cardinality());
            assertEquals(130, pool.stats().completed());
        }
    }
}
