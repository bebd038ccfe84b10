package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static dev.workerpool.hazelcast.TwoMemberCluster.holdingJob0;
import static dev.workerpool.hazelcast.TwoMemberCluster.startPart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member that leaves the cluster (terminated, as a killed one) while one of its workers waits for a retried job's
 * next attempt: the job's submitter, on a member that stays, runs it again and has one result, and the member that
 * left makes no further attempt (its result could go nowhere, and each attempt's effects would come on top of the
 * re-run's), so that its part of the pool ends without waiting out the retries. And the submitter's member leaving
 * while another member's worker waits for the next attempt of its job: that worker makes no further attempt either
 * (nobody waits for the result), and is free again.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RetriedJobOnAMemberThatLeavesTest {
    /** The pool whose parts the tests start, one worker and a buffer of 8 each. */
    private static final String POOL = "RetriedOnALeavingMember";

    /** Attempts and the wait before each next one: long enough for the member to leave during the first wait. */
    private static final RetryPolicy RETRY = RetryPolicy.of(4, List.of(IOException.class), Duration.ofSeconds(3), 1,
            null, 0);

    /** Before the fix the member that left made all four attempts, the last about 9 s after it left. */
    @Test
    void aMemberThatLeavesDuringARetryWaitMakesNoFurtherAttemptAndTheSubmitterHasOneResult() throws Exception {
        try (TwoMemberCluster pair = TwoMemberCluster.form("wp-retry-leaves-")) {
            HazelcastBackend first = pair.first;
            HazelcastBackend second = pair.second;
            PoolOptions options = PoolOptions.DEFAULT.withRetry(RETRY);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch tried = new CountDownLatch(1);
            AtomicInteger attemptsThere = new AtomicInteger();
            AtomicInteger attemptsAfterLeaving = new AtomicInteger();
            AtomicBoolean left = new AtomicBoolean();
            PoolEngine<Long, String> submitter = startPart(first, POOL, options, 1,
                    holdingJob0(holding, release, "first")); // holds the first's worker while job 1 runs on the second
            PoolEngine<Long, String> leaving = null;
            try {
                submitter.submit(0L); // only the first member's worker serves the pool yet
                awaitLatch(holding, "job 0 to hold the first member's worker");
                leaving = startPart(second, POOL, options, 1, job -> {
                    attemptsThere.incrementAndGet();
                    if (left.get()) {
                        attemptsAfterLeaving.incrementAndGet();
                    }
                    tried.countDown();
                    throw new IOException("attempt on the second member");
                });
                submitter.submit(1L); // the only idle worker is the second member's
                awaitLatch(tried, "job 1's first attempt on the second member");
                second.hazelcast().getLifecycleService().terminate(); // killed while it waits for the next attempt
                left.set(true);
                release.countDown();
                List<String> results = new ArrayList<>();
                submitter.close();
                submitter.results().forEach(results::add);
                results.sort(null);
                assertEquals(List.of("0=first", "1=first"), results, "one result per job, job 1 run again");
                assertTrue(submitter.await(Duration.ofSeconds(60)), "the submitter's part ended");
                if (!leaving.await(Duration.ofSeconds(60))) {
                    throw new AssertionError("the part on the member that left did not end within 60 s\n"
                            + StartTest.threadDump());
                }
                assertEquals(0, attemptsAfterLeaving.get(), "attempts on the member after it left");
                assertEquals(1, attemptsThere.get(), "attempts on the member that left");
            } finally {
                release.countDown();
                submitter.cancel();
                if (leaving != null) {
                    leaving.cancel();
                }
            }
        }
    }

    /**
     * Before the fix the serving member's worker went on with the job of the submitter that had left, waiting out
     * the 20 s before each next attempt: not free within 15 s of the member hearing the submitter was gone.
     */
    @Test
    void aRetriedJobWhoseSubmittersMemberLeavesDuringARetryWaitMakesNoFurtherAttemptAndFreesItsWorker()
            throws Exception {
        RetryPolicy slow = RetryPolicy.of(4, List.of(IOException.class), Duration.ofSeconds(20), 1, null, 0);
        PoolOptions options = PoolOptions.DEFAULT.withRetry(slow);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch tried = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        try (TwoMemberCluster pair = TwoMemberCluster.form("wp-retry-submitter-leaves-")) {
            HazelcastBackend staying = pair.first;
            HazelcastBackend leaving = pair.second;
            // job 0 holds its one worker
            PoolEngine<Long, String> submitter = startPart(leaving, POOL, options, 1, job -> {
                holding.countDown();
                awaitLatch(release, "the test to release job 0");
                return "leaving";
            });
            PoolEngine<Long, String> server = null;
            try {
                submitter.submit(0L); // only the submitter's member's worker serves the pool yet
                awaitLatch(holding, "job 0 to hold the submitter's member's worker");
                server = startPart(staying, POOL, options, 1, job -> {
                    attempts.incrementAndGet();
                    tried.countDown();
                    throw new IOException("attempt on the staying member");
                });
                submitter.submit(1L); // the only idle worker is the staying member's
                awaitLatch(tried, "job 1's first attempt on the staying member");
                IMap<String, String> submitters = staying.hazelcast().getMap("workerpool." + POOL + ".submitters");
                String member = leaving.hazelcast().getCluster().getLocalMember().getUuid().toString();
                leaving.hazelcast().getLifecycleService().terminate(); // killed while job 1 waits for its next try
                StartTest.awaitTrue(() -> submitters.values().stream().noneMatch(state -> state.endsWith(member)),
                        "the staying member forgets the submitter that left");
                PoolEngine<Long, String> serving = server;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (serving.stats().busyWorkers() > 0) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("the staying member's worker still runs job 1 15 s after its "
                                + "submitter left\n" + StartTest.threadDump());
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                assertEquals(1, attempts.get(), "attempts of job 1 on the staying member");
            } finally {
                release.countDown();
                submitter.cancel();
                if (server != null) {
                    server.cancel();
                    assertTrue(server.await(Duration.ofSeconds(60)), "the staying member's part ended");
                }
            }
        }
    }
}
