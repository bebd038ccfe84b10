package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.StartTest.awaitTrue;
import static dev.workerpool.hazelcast.StartTest.hasQueueStorage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.workerpool.runtime.PoolStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code stats()} and Flight Recorder say about a pool spread over two members (both in this JVM, on
 * 127.0.0.1): each member counts the jobs it submitted and its own busy workers, {@code queuedJobs} is the
 * cluster's queue, and no Flight Recorder event is written.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterStatsTest {
    private static HazelcastBackend first;
    private static HazelcastBackend second;

    @BeforeAll
    static void formCluster() {
        int a = MemberProcesses.freePort();
        int b = MemberProcesses.freePort();
        String cluster = "wp-stats-" + a;
        String[] members = {"127.0.0.1:" + a, "127.0.0.1:" + b};
        first = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", a).members(members).start();
        second = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", b).members(members)
                .minMembers(2).timeout(Duration.ofSeconds(60)).start();
        Jobs.hazelcast = first.hazelcast();
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (second != null) {
                second.close();
            }
        } finally {
            if (first != null) {
                first.close();
            }
        }
    }

    /**
     * Two gate jobs hold the two members' one worker each while three more wait in the queue: the submitting
     * member counts five submitted, the serving one none; each counts its one busy worker; both read the three
     * queued jobs from the cluster. Once the jobs are done the submitter counts five completed and the serving
     * member still none, though its worker ran some of them. All of it inside a recording of the pool's events,
     * which stays empty (a local pool in a second recording shows the events would be seen).
     */
    @Test
    void eachMemberCountsItsOwnJobsAndWorkersAndReadsTheClustersQueueAndNoEventIsRecorded(@TempDir Path dir)
            throws Exception {
        IMap<Long, String> started = first.hazelcast().getMap(Jobs.STARTED);
        Path file = dir.resolve("cluster.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.enable("dev.workerpool.PoolStats").withPeriod(Duration.ofMillis(20));
            recording.start();
            JobsWorkPool server = JobsWorkPool.start(1, 4, second); // serves only
            JobsWorkPool submitter = JobsWorkPool.start(1, 4, first);
            try {
                submitter.submit(9101L, 0, "gate");
                submitter.submit(9102L, 0, "gate");
                awaitTrue(() -> started.containsKey(9101L) && started.containsKey(9102L),
                        "each member's worker runs a gate job");
                for (long id = 9103; id <= 9105; id++) {
                    submitter.submit(id, 0, "run");
                }
                PoolStats mine = submitter.stats();
                PoolStats its = server.stats();
                assertEquals(5, mine.submitted(), mine.toString());
                assertEquals(0, its.submitted(), "the serving member submitted nothing: " + its);
                assertEquals(1, mine.busyWorkers(), mine.toString());
                assertEquals(1, its.busyWorkers(), its.toString());
                assertEquals(3, mine.queuedJobs(), "read from the cluster's queue: " + mine);
                assertEquals(3, its.queuedJobs(), "the same queue, read from the other member: " + its);
                assertEquals(1, mine.workers());
                assertEquals(4, its.buffer());
                assertEquals(0, mine.completed());

                String queue = JobsPlacement.current(first.hazelcast(), "JobsWorkPool");
                assertNotNull(queue, "the submitter chose a jobs queue");
                Jobs.open(9101L);
                Jobs.open(9102L);
                submitter.close();
                List<Long> ids = new ArrayList<>();
                submitter.results().forEach(r -> ids.add(r.job().id()));
                assertEquals(LongStream.rangeClosed(9101, 9105).boxed().toList(), ids.stream().sorted().toList());
                assertTrue(submitter.await(Duration.ofSeconds(60)));

                mine = submitter.stats();
                assertEquals(5, mine.submitted());
                assertEquals(5, mine.completed(), "every result counted at the submitter: " + mine);
                assertEquals(0, mine.busyWorkers());
                assertEquals(0, mine.queuedJobs(), "its part has ended: " + mine);
                assertTrue(mine.queueHighWaterMark() >= 3, mine.toString());
                awaitTrue(() -> server.stats().busyWorkers() == 0, "the serving member's worker is idle");
                its = server.stats();
                assertEquals(0, its.submitted(), its.toString());
                assertEquals(0, its.completed(), "the jobs its worker ran are the submitter's: " + its);
                assertTrue(its.queueHighWaterMark() >= 3, "the largest queuedJobs its calls read: " + its);
                // the submitter's end destroyed the queue, and a serving member's stats() must not make it again
                awaitTrue(() -> !hasQueueStorage(first.hazelcast(), queue)
                        && !hasQueueStorage(second.hazelcast(), queue), "the ended submitter destroyed " + queue);
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, server.stats().queuedJobs());
                }
                assertFalse(hasQueueStorage(first.hazelcast(), queue) || hasQueueStorage(second.hazelcast(), queue),
                        "the serving member's stats() made " + queue + " again");
            } finally {
                submitter.cancel();
                server.cancel();
                started.delete(9101L);
                started.delete(9102L);
            }
            assertTrue(server.await(Duration.ofSeconds(60)));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.workerpool.")).toList();
        assertEquals(List.of(), events, "no Flight Recorder event for a pool on a cluster");

        // the control: the same pool, local, in the same kind of recording
        Path local = dir.resolve("local.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.start();
            JobsWorkPool.runAll(List.of(new JobsWorkPool.Job(9106L, 0, "run")));
            recording.stop();
            recording.dump(local);
        }
        assertEquals(1, RecordingFile.readAllEvents(local).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job")).count());
    }
}
