package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static dev.workerpool.hazelcast.TwoMemberCluster.holdingJob0;
import static dev.workerpool.hazelcast.TwoMemberCluster.startPart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member that leaves the cluster (terminated, as a killed one) while it runs a job of a {@code failFast} pool's
 * submitter on another member: a member's leaving is not the job's failure, so the submitter runs the job again, has
 * one successful result per job, and neither fails nor cancels.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FailFastJobOnAMemberThatLeavesTest {
    /** The pool whose parts the tests start, one worker and a buffer of 8 each. */
    private static final String POOL = "FailFastOnALeavingMember";

    @Test
    void aMemberThatLeavesWhileRunningAFailFastPoolsJobNeitherFailsNorCancelsThePool() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1); // ends job 1 on the member that left, whatever happens
        try (TwoMemberCluster pair = TwoMemberCluster.form("wp-failfast-leaves-")) {
            HazelcastBackend first = pair.first;
            HazelcastBackend second = pair.second;
            PoolOptions options = PoolOptions.DEFAULT.withFailFast(true);
            PoolEngine<Long, String> submitter = startPart(first, POOL, options, 1,
                    holdingJob0(holding, release, "first")); // holds the first's worker while job 1 runs on the second
            PoolEngine<Long, String> leaving = null;
            try {
                submitter.submit(0L); // only the first member's worker serves the pool yet
                awaitLatch(holding, "job 0 to hold the first member's worker");
                leaving = startPart(second, POOL, options, 1, job -> {
                    running.countDown();
                    ended.await(120, TimeUnit.SECONDS);
                    return "second";
                });
                submitter.submit(1L); // the only idle worker is the second member's
                awaitLatch(running, "job 1 to run on the second member");
                second.hazelcast().getLifecycleService().terminate(); // killed while it runs job 1
                release.countDown();
                submitter.close();
                List<String> results = new ArrayList<>();
                submitter.results().forEach(results::add);
                results.sort(null);
                assertEquals(List.of("0=first", "1=first"), results, "one result per job, job 1 run again");
                assertTrue(submitter.awaitOrThrow(Duration.ofSeconds(60)), "the submitter's part ended, not failed");
                assertEquals(Optional.empty(), submitter.failure());
                assertFalse(submitter.isCancelled(), "not cancelled");
            } finally {
                release.countDown();
                ended.countDown();
                submitter.cancel();
                if (leaving != null) {
                    leaving.cancel();
                    assertTrue(leaving.await(Duration.ofSeconds(60)), "the part on the member that left ended");
                }
            }
        }
    }
}
