package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.spi.JobFunction;
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
    @Test
    void aMemberThatLeavesWhileRunningAFailFastPoolsJobNeitherFailsNorCancelsThePool() throws Exception {
        int a = MemberProcesses.freePort();
        int b = MemberProcesses.freePort();
        String cluster = "wp-failfast-leaves-" + a;
        String[] members = {"127.0.0.1:" + a, "127.0.0.1:" + b};
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1); // ends job 1 on the member that left, whatever happens
        try (HazelcastBackend first = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", a)
                .members(members).start();
                HazelcastBackend second = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", b)
                        .members(members).minMembers(2).timeout(Duration.ofSeconds(60)).start()) {
            PoolOptions options = PoolOptions.DEFAULT.withFailFast(true);
            PoolEngine<Long, String> submitter = start(first, options, job -> {
                if (job == 0) { // holds the first member's one worker while job 1 runs on the second
                    holding.countDown();
                    awaitLatch(release, "the test to release job 0");
                }
                return "first";
            });
            PoolEngine<Long, String> leaving = null;
            try {
                submitter.submit(0L); // only the first member's worker serves the pool yet
                awaitLatch(holding, "job 0 to hold the first member's worker");
                leaving = start(second, options, job -> {
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

    /** Starts pool {@code FailFastOnALeavingMember}'s part on {@code backend}: one worker, a buffer of 8. */
    private static PoolEngine<Long, String> start(HazelcastBackend backend, PoolOptions options,
            JobFunction<Long, String> job) {
        return backend.start("FailFastOnALeavingMember", options, 1, 8, job, PlacementTest::describe,
                PlacementTest.LONG_TO_STRING);
    }

    /** Waits at most 60 s for {@code latch}; fails naming {@code what}, with a thread dump, otherwise. */
    private static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("not within 60 s: " + what + "\n" + StartTest.threadDump());
        }
    }
}
