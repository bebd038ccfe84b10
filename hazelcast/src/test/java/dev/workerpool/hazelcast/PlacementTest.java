package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where a pool puts its queues, on two members in this JVM: a submitter's results queue lives on its own member
 * (its receiver drains it without a round trip), and neither queue waits for its backup.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PlacementTest {
    private static final String PREFIX = "workerpool.JobsWorkPool.";
    private static HazelcastBackend first;
    private static HazelcastBackend second;

    @BeforeAll
    static void formCluster() {
        int a = MemberProcesses.freePort();
        int b = MemberProcesses.freePort();
        String cluster = "wp-placement-" + a;
        String[] members = {"127.0.0.1:" + a, "127.0.0.1:" + b};
        first = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", a).members(members).start();
        second = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", b).members(members)
                .minMembers(2).timeout(Duration.ofSeconds(60)).start();
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

    @Test
    void everyPoolsResultsQueueLivesOnItsOwnMember() throws Exception {
        // a random id would put it on the other member half the time: ten pools alike by chance is 1 in 1,024
        for (int i = 0; i < 10; i++) {
            HazelcastBackend backend = i % 2 == 0 ? first : second;
            HazelcastInstance hz = backend.hazelcast();
            JobsWorkPool pool = JobsWorkPool.start(2, 8, backend);
            try {
                String id = submitterOf(hz);
                Member owner = hz.getPartitionService().getPartition(PREFIX + "results." + id).getOwner();
                assertNotNull(owner, "the partition table is known");
                assertEquals(hz.getCluster().getLocalMember(), owner, "the owner of pool " + i + "'s results queue");
                for (int job = 0; job < 20; job++) {
                    pool.submit(job, 0, "run");
                }
                pool.close();
                int read = 0;
                for (JobsWorkPool.Result r : pool.results()) {
                    read += r.isSuccess() ? 1 : 0;
                }
                assertEquals(20, read);
                assertTrue(pool.await(Duration.ofSeconds(30)));
            } finally {
                pool.cancel();
            }
        }
    }

    @Test
    void neitherQueueWaitsForItsBackup() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 8, first);
        try {
            for (HazelcastBackend backend : List.of(first, second)) {
                for (String queue : List.of(PREFIX + "jobs", PREFIX + "results." + submitterOf(first.hazelcast()))) {
                    QueueConfig config = backend.hazelcast().getConfig().findQueueConfig(queue);
                    assertEquals(0, config.getBackupCount(), queue + ": backups waited for");
                    assertEquals(1, config.getAsyncBackupCount(), queue + ": backups not waited for");
                }
            }
            pool.close();
            assertTrue(pool.await(Duration.ofSeconds(30)));
        } finally {
            pool.cancel();
        }
    }

    @Test
    void aStaticQueueConfigurationThatWouldChangeTheBoundIsRefusedAtStart() {
        int port = MemberProcesses.freePort();
        Config config = HazelcastBackend.builder().cluster("wp-static-" + port).address("127.0.0.1", port).config();
        config.addQueueConfig(new QueueConfig("workerpool.*").setMaxSize(1_000)); // a user's catch-all
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JobsWorkPool.start(1, 8, HazelcastBackend.on(member)));
            assertTrue(e.getMessage().contains("queue workerpool.JobsWorkPool.jobs would hold up to 1000 items, not "
                    + "the buffer's 8"), e.getMessage());
            assertTrue(e.getMessage().contains("'workerpool.*'"), e.getMessage());
        } finally {
            member.shutdown();
        }
    }

    /** The id of the one pool open on {@code hz}'s member. */
    private static String submitterOf(HazelcastInstance hz) {
        String open = "open:" + hz.getCluster().getLocalMember().getUuid();
        List<String> ids = hz.<String, String>getMap(PREFIX + "submitters").entrySet().stream()
                .filter(e -> e.getValue().equals(open)).map(Map.Entry::getKey).toList();
        assertEquals(1, ids.size(), "pools open on this member: " + ids);
        return ids.get(0);
    }
}
