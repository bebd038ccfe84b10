package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HazelcastBackend#close()} on a backend {@link HazelcastBackend#on} a member of the user's own, while a pool
 * started on it still runs: the pool goes on serving (it still answers the other members' questions about the jobs
 * it holds, and hears that a member left), no pool starts on the closed backend, and the backend lets go of the member
 * once that pool has ended.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackendCloseTest {

    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    /**
     * Member y submits job 0, which holds its one worker, then job 1, which runs on member x's one worker; x's
     * backend is closed while it runs job 1. Member z, where the pool does not run, then dies: x's part must hear it
     * as y's does. y reconciles every second (its stall time shortened): job 1 must still be found held by x. Before
     * the fix x's part did not hear that z left (not within 60 s); and x's closed backend no longer answered, so y
     * found job 1 nowhere and queued it again (a second run), in the first reconciliation after the close.
     */
    @Test
    void aClosedBackendsRunningPoolStillAnswersForItsJobsAndTheBackendLetsGoOnceItEnds() throws Exception {
        int portX = MemberProcesses.freePort();
        int portY = MemberProcesses.freePort();
        int portZ = MemberProcesses.freePort();
        String cluster = "wp-close-" + portX;
        String[] members = {"127.0.0.1:" + portX, "127.0.0.1:" + portY, "127.0.0.1:" + portZ};
        List<HazelcastInstance> started = new ArrayList<>();
        try {
            for (int port : new int[] {portX, portY, portZ}) {
                started.add(Hazelcast.newHazelcastInstance(HazelcastBackend.builder().cluster(cluster)
                        .address("127.0.0.1", port).members(members).config()));
            }
            StartTest.awaitTrue(() -> started.stream().allMatch(m -> m.getCluster().getMembers().size() == 3),
                    "the three members form a cluster");
            HazelcastBackend onX = HazelcastBackend.on(started.get(0));
            HazelcastBackend onY = HazelcastBackend.on(started.get(1));
            try {
                run(onX, onY, started.get(2));
            } finally {
                onY.close();
                onX.close();
            }
        } finally {
            for (HazelcastInstance member : started) {
                member.getLifecycleService().terminate();
            }
        }
    }

    private static void run(HazelcastBackend onX, HazelcastBackend onY, HazelcastInstance z) throws Exception {
        EngineHooks.stallMillis = 1_000; // y reconciles every second while job 1 runs
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch releaseY = new CountDownLatch(1);
        CountDownLatch runningOnX = new CountDownLatch(1);
        CountDownLatch releaseX = new CountDownLatch(1);
        PoolEngine<Long, String> onYPart = TwoMemberCluster.startPart(onY, "ClosedBackend", PoolOptions.DEFAULT, 1,
                TwoMemberCluster.holdingJob0(holding, releaseY, "y"));
        PoolEngine<Long, String> onXPart = null;
        try {
            onYPart.submit(0L); // only y's worker serves the pool yet
            awaitLatch(holding, "job 0 to hold y's worker");
            onXPart = TwoMemberCluster.startPart(onX, "ClosedBackend", PoolOptions.DEFAULT, 1, job -> {
                runningOnX.countDown();
                awaitLatch(releaseX, "the test to release job 1");
                return "x";
            });
            onYPart.submit(1L); // the only idle worker is x's
            awaitLatch(runningOnX, "job 1 to run on x");

            onX.close(); // while x's part of the pool runs job 1

            String leaving = z.getCluster().getLocalMember().getUuid().toString();
            CountDownLatch heard = new CountDownLatch(2); // by both parts of the pool, x's and y's
            EngineHooks.afterMemberCleanup = member -> {
                if (member.equals(leaving)) {
                    heard.countDown();
                }
            };
            z.getLifecycleService().terminate(); // a member with no part of the pool dies
            awaitLatch(heard, "both parts of the pool, x's with its backend closed, to hear that z left");

            List<Set<Long>> lost = new CopyOnWriteArrayList<>();
            CountDownLatch looked = new CountDownLatch(3);
            EngineHooks.beforeRequeuing = seqs -> {
                lost.add(seqs);
                looked.countDown();
            };
            awaitLatch(looked, "three reconciliations of y after x's backend closed");
            assertTrue(lost.stream().allMatch(Set::isEmpty),
                    "job 1 (seq 2), held by x, found nowhere (to run again): " + lost);
            assertTrue(registered(onX), "x's closed backend still answers for its running pool");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> TwoMemberCluster.startPart(onX, "Another", PoolOptions.DEFAULT, 1, job -> "x"));
            assertEquals("Another: its HazelcastBackend is closed", refused.getMessage());

            releaseX.countDown();
            releaseY.countDown();
            onXPart.close();
            onYPart.close();
            List<String> results = new ArrayList<>();
            onYPart.results().forEach(results::add);
            results.sort(null);
            assertEquals(List.of("0=y", "1=x"), results);
            assertTrue(onXPart.await(Duration.ofSeconds(60)), "x's part ended");
            assertTrue(onYPart.await(Duration.ofSeconds(60)), "y's part ended");
            assertFalse(registered(onX), "x's backend let go of the member once its last pool ended");
            assertTrue(registered(onY), "y's open backend did not");
        } finally {
            releaseX.countDown();
            releaseY.countDown();
            onYPart.cancel();
            if (onXPart != null) {
                onXPart.cancel();
            }
        }
    }

    /** Whether {@code backend} answers the in-flight queries that reach its member (see {@link InFlightQuery}). */
    private static boolean registered(HazelcastBackend backend) {
        Object backends = backend.hazelcast().getUserContext().get("dev.workerpool.hazelcast.backends");
        return backends instanceof Collection<?> set && set.contains(backend);
    }
}
