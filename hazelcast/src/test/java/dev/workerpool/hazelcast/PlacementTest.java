package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
 * Where a pool puts its queues, on two members in this JVM: a submitter's results queue lives on its own member
 * (its receiver drains it without a round trip), and neither queue waits for its backup. Also: virtual workers
 * on both members (JDK 21+), and what {@code stats()} and Flight Recorder say about a pool on two members.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PlacementTest {
    private static final String PREFIX = "workerpool.JobsWorkPool.";
    private static TwoMemberCluster pair;
    private static HazelcastBackend first;
    private static HazelcastBackend second;

    @BeforeAll
    static void formCluster() {
        pair = TwoMemberCluster.form("wp-placement-");
        first = pair.first;
        second = pair.second;
        awaitMigrated();
    }

    /** Waits until no partition migrates: the tests check which member owns a partition picked for a queue. */
    private static void awaitMigrated() {
        StartTest.awaitTrue(() -> first.hazelcast().getPartitionService().isClusterSafe()
                && second.hazelcast().getPartitionService().isClusterSafe(), "the partitions migrated");
    }

    @AfterAll
    static void stopCluster() {
        if (pair != null) {
            pair.close();
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

    /**
     * The jobs queue lives on the member that submits, also when another member started the pool before it: its
     * {@code submit} then puts each job without a round trip. The serving member takes jobs from that queue, and
     * once the submitter has gone (the queue empty, no other submitter), the choice goes with the queue and the
     * next submitter, on either member, puts it on its own; the serving member follows it there.
     */
    @Test
    void theJobsQueueLivesOnTheMemberThatSubmitsAndTheServingMemberFollowsIt() throws Exception {
        // the second member's jobs wait until the server has run one: they all finish only if it follows the queue
        AtomicReference<CountDownLatch> serverRan = new AtomicReference<>(new CountDownLatch(1));
        PoolEngine<Long, String> server = start(first, "Placed", 2, job -> {
            serverRan.get().countDown();
            return "server";
        }); // started first, submits nothing
        try {
            assertNull(JobsPlacement.current(first.hazelcast(), "Placed"), "no queue picked before a submit");
            for (HazelcastBackend submitting : List.of(second, first, second)) {
                HazelcastInstance hz = submitting.hazelcast();
                String member = submitting == first ? "first" : "second";
                CountDownLatch ran = new CountDownLatch(1);
                serverRan.set(ran);
                PoolEngine<Long, String> pool = start(submitting, "Placed", 2, job -> {
                    if (submitting == second) {
                        ran.await(30, TimeUnit.SECONDS);
                    }
                    return member;
                });
                String queue;
                try {
                    for (long job = 0; job < 40; job++) {
                        pool.submit(job);
                    }
                    queue = JobsPlacement.current(hz, "Placed");
                    assertTrue(queue.startsWith("workerpool.Placed.jobs@"), queue);
                    assertEquals(hz.getCluster().getLocalMember(), ownerOf(hz, queue), member + " owns " + queue);
                    pool.close();
                    Map<String, Integer> byMember = byMember(pool.results());
                    assertEquals(40, byMember.values().stream().mapToInt(Integer::intValue).sum());
                    if (submitting == second) {
                        assertEquals(Set.of("server", "second"), byMember.keySet(), "jobs ran on both members");
                        assertEquals(0, ran.getCount(), "the server ran a job");
                    }
                    assertTrue(pool.await(Duration.ofSeconds(30)));
                } finally {
                    pool.cancel();
                }
                // its last job answered, the submitter deregistered as its pool ended: none uses the queue
                assertNull(JobsPlacement.current(hz, "Placed"), "the choice went with " + member + "'s submitter");
                assertTrue(hz.getDistributedObjects().stream().noneMatch(o -> o.getName().equals(queue)),
                        "the queue went with it");
            }
            server.close();
            assertTrue(server.await(Duration.ofSeconds(30)));
        } finally {
            server.cancel();
        }
    }

    /**
     * A second submitter uses the queue the first picked, on the first's member, and the choice stays until the
     * last submitter that used it has gone: neither changes queues under the other's jobs.
     */
    @Test
    void aSecondSubmitterUsesTheFirstsQueueAndTheChoiceStaysUntilBothHaveGone() throws Exception {
        PoolEngine<Long, String> one = start(first, "Shared", 1, ran("first"));
        PoolEngine<Long, String> two = start(second, "Shared", 1, ran("second"));
        try {
            one.submit(1L);
            String queue = JobsPlacement.current(first.hazelcast(), "Shared");
            assertEquals(first.hazelcast().getCluster().getLocalMember(), ownerOf(first.hazelcast(), queue));
            two.submit(2L);
            assertEquals(queue, JobsPlacement.current(second.hazelcast(), "Shared"), "the first's queue");
            one.close();
            assertEquals(1, count(one.results()));
            assertTrue(one.await(Duration.ofSeconds(30)));
            assertEquals(queue, JobsPlacement.current(second.hazelcast(), "Shared"), "kept: the second used it");
            for (long job = 3; job < 20; job++) {
                two.submit(job);
            }
            two.close();
            assertEquals(18, count(two.results()));
            assertTrue(two.await(Duration.ofSeconds(30)));
            assertNull(JobsPlacement.current(second.hazelcast(), "Shared"), "gone with the last");
        } finally {
            one.cancel();
            two.cancel();
        }
    }

    /**
     * A submitter's entry left behind as submitting (a cleanup that failed, a member that died as it deregistered)
     * does not keep the queue for good: the next deregistration deletes the entries of submitters no longer
     * registered, and the choice goes as if it had not been there.
     */
    @Test
    void aSubmittingEntryLeftBehindDoesNotKeepTheQueue() throws Exception {
        PoolEngine<Long, String> server = start(second, "Orphan", 1, ran("second"));
        PoolEngine<Long, String> pool = start(first, "Orphan", 1, ran("first"));
        try {
            pool.submit(1L);
            HazelcastInstance hz = first.hazelcast();
            IMap<String, String> placement = hz.getMap(JobsPlacement.mapName("Orphan"));
            placement.set(JobsPlacement.SUBMITTING + "gone", JobsPlacement.current(hz, "Orphan"));
            pool.close();
            assertEquals(1, count(pool.results()));
            assertTrue(pool.await(Duration.ofSeconds(30)));
            assertNull(JobsPlacement.current(hz, "Orphan"), "the choice went, the server still running");
            assertFalse(placement.containsKey(JobsPlacement.SUBMITTING + "gone"), "the entry left behind went");
            server.close();
            assertTrue(server.await(Duration.ofSeconds(30)));
        } finally {
            pool.cancel();
            server.cancel();
        }
    }

    /**
     * A job that another member has finished, its result in the submitter's results queue but not yet received,
     * keeps that result when the submitter cancels: the cancel finds it in no member's hands, and looks in the
     * results queue too (it used to give the job a cancelled result, and drop the real one as a second).
     */
    @Test
    void aJobWhoseResultIsOnItsWayWhenTheSubmitterCancelsKeepsIt() throws Exception {
        CountDownLatch received = new CountDownLatch(1); // the submitter's receiver waits for the cancel's look
        CountDownLatch busy = new CountDownLatch(1);
        EngineHooks.beforeReceiving = pool -> {
            if (pool.equals("CancelRace")) {
                await(received, "the cancel's look");
            }
        };
        EngineHooks.afterCancellingQueued = received::countDown;
        PoolEngine<Long, String> pool = start(first, "CancelRace", 1, job -> {
            busy.countDown();
            Thread.sleep(120_000); // until the cancel interrupts it
            return "first";
        });
        PoolEngine<Long, String> server = null;
        try {
            pool.submit(0L);
            await(busy, "the submitter's own worker to run job 0");
            // Started only now: had it been running, its worker could have taken job 0 before the submitter's.
            server = start(second, "CancelRace", 1, ran("second"));
            pool.submit(1L); // for the other member's worker, the only idle one
            HazelcastInstance hz = first.hazelcast();
            String submitter = hz.<String, String>getMap("workerpool.CancelRace.submitters").entrySet().stream()
                    .filter(e -> e.getValue().endsWith(hz.getCluster().getLocalMember().getUuid().toString()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            InFlightQuery held = new InFlightQuery("CancelRace", submitter);
            held.setHazelcastInstance(second.hazelcast());
            awaitResultSent(hz.getQueue("workerpool.CancelRace.results." + submitter), held,
                    (HazelcastEngine<?, ?, ?>) server);
            pool.cancel();
            Map<Long, String> results = new HashMap<>();
            for (String result : pool.results()) {
                results.put(Long.parseLong(result.substring(0, result.indexOf('='))),
                        result.substring(result.indexOf('=') + 1));
            }
            assertEquals("second", results.get(1L), "job 1 keeps its result");
            assertTrue(results.get(0L).startsWith("failed: java.util.concurrent.CancellationException"),
                    results.get(0L));
            assertEquals(2, results.size());
            assertTrue(pool.await(Duration.ofSeconds(30)));
        } finally {
            EngineHooks.beforeReceiving = null;
            EngineHooks.afterCancellingQueued = null;
            received.countDown();
            pool.cancel();
            if (server != null) {
                server.cancel();
            }
        }
    }

    /**
     * A serving member that has yet to hear that the choice of jobs queue went, with the queue, takes from the queue
     * still: its worker's {@code poll} through its proxy makes the queue's storage again, on its partition's owner,
     * listed nowhere. Once it follows the drop it destroys that storage (it stayed for good before). The submitter's
     * deregistration, which dropped the queue, is held under the choice's lock by a hook until the serving member's
     * takes have made the queue again, so that the serving member cannot follow the drop before.
     */
    @Test
    void aServingMemberThatTookFromTheQueueAfterItWentLeavesNoStorageOfItBehind() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EngineHooks.afterPlacementCheck = (pool, queue, drop, keptFor) -> {
            if (pool.equals("Stale") && drop && dropped.getCount() == 1) { // the submitter's deregistration
                dropped.countDown();
                await(release, "the test to release the deregistration");
            }
        };
        HazelcastEngine<?, ?, ?> server = (HazelcastEngine<?, ?, ?>) start(second, "Stale", 1, ran("second"));
        PoolEngine<Long, String> pool = start(first, "Stale", 1, ran("first"));
        try {
            pool.submit(1L);
            String queue = JobsPlacement.current(first.hazelcast(), "Stale");
            StartTest.awaitTrue(() -> queue.equals(server.jobsQueueName()), "the server follows " + queue);
            pool.close();
            assertEquals(1, count(pool.results()));
            await(dropped, "the submitter's deregistration drops " + queue);
            // the lock held: the server has not followed the drop, and its worker still polls the queue
            StartTest.awaitTrue(() -> anyHolds(queue), "the server's take made " + queue + " again");
            assertEquals(queue, server.jobsQueueName(), "the server has not followed the drop yet");
            release.countDown();
            assertTrue(pool.await(Duration.ofSeconds(60)));
            StartTest.awaitTrue(() -> server.jobsQueueName() == null, "the server follows the drop");
            StartTest.awaitTrue(() -> !anyHolds(queue), "the server destroyed " + queue + ", which it made again");
            assertNull(JobsPlacement.current(first.hazelcast(), "Stale"));
            server.close();
            assertTrue(server.await(Duration.ofSeconds(60)));
            assertFalse(anyHolds(queue), queue + " made again as the server ended");
        } finally {
            EngineHooks.afterPlacementCheck = null;
            release.countDown();
            pool.cancel();
            server.cancel();
        }
    }

    /**
     * Waits (at most 60 s) until {@code results} holds one result and the serving member {@code server}, asked
     * through {@code held}, holds no job; fails with what it saw last and a thread dump.
     */
    private static void awaitResultSent(IQueue<?> results, InFlightQuery held, HazelcastEngine<?, ?, ?> server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            int sent = results.size();
            long[] holding = held.call();
            if (sent == 1 && holding.length == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 60 s: job 1's result sent, and the job no longer held (results "
                        + "queued: " + sent + "; jobs the second member holds: " + Arrays.toString(holding)
                        + "; the queue it takes from: " + server.jobsQueueName() + ")\n" + StartTest.threadDump());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("not within 60 s: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Starts {@code pool}'s part on {@code backend}: {@code workers} workers, a buffer of 8, run by {@code job}. */
    private static PoolEngine<Long, String> start(HazelcastBackend backend, String pool, int workers,
            JobFunction<Long, String> job) {
        return TwoMemberCluster.startPart(backend, pool, PoolOptions.DEFAULT, workers, job);
    }

    private static Member ownerOf(HazelcastInstance hz, String queue) {
        return hz.getPartitionService().getPartition(hz.getQueue(queue).getPartitionKey()).getOwner();
    }

    /** How many of the results (as {@link #describe} makes them) each member's job function gave. */
    private static Map<String, Integer> byMember(Iterable<String> results) {
        Map<String, Integer> byMember = new HashMap<>();
        for (String result : results) {
            byMember.merge(result.substring(result.indexOf('=') + 1), 1, Integer::sum);
        }
        return byMember;
    }

    /** How many results there are, read to the end. */
    private static int count(Iterable<String> results) {
        int count = 0;
        for (String ignored : results) {
            count++;
        }
        return count;
    }

    /** A job that sleeps 2 ms and says which member ran it. */
    private static JobFunction<Long, String> ran(String member) {
        return job -> {
            Thread.sleep(2);
            return member;
        };
    }

    /**
     * A member that dies as the pool's last takes the choice of jobs queue with it: the members without the pool
     * forget its submitter, and with it the choice and the queue, with the jobs it had queued.
     */
    @Test
    void aPoolsLastMemberThatDiesLeavesNoJobsQueueBehind() throws Exception {
        int port = MemberProcesses.freePort();
        String cluster = first.hazelcast().getConfig().getClusterName();
        String[] members = {"127.0.0.1:" + port,
                "127.0.0.1:" + first.hazelcast().getCluster().getLocalMember().getAddress().getPort()};
        HazelcastBackend third = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", port)
                .members(members).minMembers(3).timeout(Duration.ofSeconds(60)).start();
        String queue;
        try {
            JobsWorkPool pool = JobsWorkPool.start(1, 8, third);
            pool.submit(1, 2_000, "run"); // the member dies with it running, and jobs queued
            for (int job = 2; job < 6; job++) {
                pool.submit(job, 0, "run");
            }
            queue = JobsPlacement.current(first.hazelcast(), "JobsWorkPool");
            assertNotNull(queue);
        } finally {
            third.hazelcast().getLifecycleService().terminate();
            third.close();
        }
        HazelcastInstance hz = first.hazelcast();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (JobsPlacement.current(hz, "JobsWorkPool") != null
                || hz.getDistributedObjects().stream().anyMatch(o -> o.getName().equals(queue))) {
            assertTrue(System.nanoTime() < deadline, "the choice and the queue " + queue + " not gone in 60 s");
            Thread.sleep(50);
        }
        assertTrue(hz.getMap(PREFIX + "submitters").isEmpty());
        awaitMigrated();
    }

    @Test
    void neitherQueueWaitsForItsBackup() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 8, first);
        try {
            pool.submit(1, 0, "run"); // picks the jobs queue
            String jobs = JobsPlacement.current(first.hazelcast(), "JobsWorkPool");
            for (HazelcastBackend backend : List.of(first, second)) {
                for (String queue : List.of(jobs, PREFIX + "results." + submitterOf(first.hazelcast()))) {
                    QueueConfig config = backend.hazelcast().getConfig().findQueueConfig(queue);
                    assertEquals(0, config.getBackupCount(), queue + ": backups waited for");
                    assertEquals(1, config.getAsyncBackupCount(), queue + ": backups not waited for");
                    assertEquals(queue.equals(jobs) ? 8 : Integer.MAX_VALUE, config.getMaxSize(), queue + ": bound");
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

    /**
     * Virtual workers across members: the engine as a pool declared {@code virtualThreads = true} starts it (the
     * JDK's virtual thread factory in its options; this module compiles for Java 17, where the processor refuses
     * the option, so the test calls the backend as the generated code does). Jobs that sleep run on both members'
     * virtual workers, and each has one result, at its submitter.
     */
    @Test
    void virtualWorkersOnBothMembersRunEveryJobOnce() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        assumeTrue(virtual != null, "JDK 21+");
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(virtual);
        // the submitter's jobs wait until the server has run one: it follows the queue only once it is picked
        CountDownLatch serverRan = new CountDownLatch(1);
        PoolEngine<Long, String> submitter = first.start("VirtualWorkers", options, 8, 4,
                sleeper("first", job -> serverRan.await(30, TimeUnit.SECONDS)), PlacementTest::describe,
                LONG_TO_STRING);
        PoolEngine<Long, String> server = second.start("VirtualWorkers", options, 8, 4, sleeper("second", job -> {
            serverRan.countDown();
            return null;
        }), PlacementTest::describe, LONG_TO_STRING);
        try {
            int jobs = 200;
            for (long job = 0; job < jobs; job++) {
                submitter.submit(job);
            }
            submitter.close();
            Map<String, Integer> byResult = new HashMap<>();
            Map<Long, Integer> byJob = new HashMap<>();
            for (String result : submitter.results()) {
                byJob.merge(Long.parseLong(result.substring(0, result.indexOf('='))), 1, Integer::sum);
                byResult.merge(result.substring(result.indexOf('=') + 1), 1, Integer::sum);
            }
            assertEquals(jobs, byJob.size(), "jobs with a result");
            assertTrue(byJob.values().stream().allMatch(n -> n == 1), "one result per job");
            assertTrue(byResult.containsKey("first on a virtual thread")
                    && byResult.containsKey("second on a virtual thread"), "both members ran jobs: " + byResult);
            assertEquals(jobs, byResult.getOrDefault("first on a virtual thread", 0)
                    + byResult.getOrDefault("second on a virtual thread", 0), "every job on a virtual thread");
            assertTrue(submitter.await(Duration.ofSeconds(60)));
            server.close();
            assertTrue(server.await(Duration.ofSeconds(60)));
        } finally {
            submitter.cancel();
            server.cancel();
        }
    }

    /** A job that runs {@code before}, sleeps 5 ms and says which member ran it, and on which kind of thread. */
    private static JobFunction<Long, String> sleeper(String member, JobFunction<Long, ?> before)
            throws NoSuchMethodException {
        Method isVirtual = Thread.class.getMethod("isVirtual");
        return job -> {
            before.apply(job);
            Thread.sleep(5);
            return member + ((Boolean) isVirtual.invoke(Thread.currentThread()) ? " on a virtual thread"
                    : " on a platform thread");
        };
    }

    /** A job's result as {@code <job>=<value>}, or {@code <job>=failed: <error>}. */
    static String describe(Long job, String value, Throwable error) {
        return job + "=" + (error == null ? value : "failed: " + error);
    }

    /** What the processor generates for a pool of one {@code long} parameter and a {@code String} value. */
    static final JobCodec<Long, String> LONG_TO_STRING = new JobCodec<>() {
        @Override
        public List<String> componentNames() {
            return List.of("n");
        }

        @Override
        public List<Class<?>> componentTypes() {
            return List.of(long.class);
        }

        @Override
        public Class<?> valueType() {
            return String.class;
        }

        @Override
        public Object[] toComponents(Long job) {
            return new Object[] {job};
        }

        @Override
        public Long fromComponents(Object[] components) {
            return (Long) components[0];
        }

        @Override
        public Object toWire(String value) {
            return value;
        }

        @Override
        public String fromWire(Long job, Object wire) {
            return (String) wire;
        }
    };

    /**
     * Two gate jobs hold the two members' one worker each while three more wait in the queue: the submitting
     * member counts five submitted, the serving one none; each counts its one busy worker; both read the three
     * queued jobs from the cluster. Once the jobs are done the submitter counts five completed and the serving
     * member still none, though its worker ran some of them. All of it inside a recording of the pool's events,
     * which stays empty (a local pool in a second recording shows the events would be seen).
     */
    @Test
    void statsCountEachMembersOwnJobsAndWorkersAndReadTheClustersQueueAndNoEventIsRecorded(@TempDir Path dir)
            throws Exception {
        Jobs.hazelcast = first.hazelcast(); // where gate jobs say that they run
        IMap<Long, String> started = first.hazelcast().getMap(Jobs.STARTED);
        Path file = dir.resolve("cluster.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.enable("dev.workerpool.PoolStats").withPeriod(Duration.ofMillis(20));
            recording.start();
            JobsWorkPool server = JobsWorkPool.start(1, 8, second); // serves only
            JobsWorkPool submitter = JobsWorkPool.start(1, 8, first);
            try {
                submitter.submit(9101L, 0, "gate");
                submitter.submit(9102L, 0, "gate");
                StartTest.awaitTrue(() -> started.containsKey(9101L) && started.containsKey(9102L),
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
                assertEquals(8, its.buffer());
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
                StartTest.awaitTrue(() -> server.stats().busyWorkers() == 0, "the serving member's worker is idle");
                its = server.stats();
                assertEquals(0, its.submitted(), its.toString());
                assertEquals(0, its.completed(), "the jobs its worker ran are the submitter's: " + its);
                assertTrue(its.queueHighWaterMark() >= 3, "the largest queuedJobs its calls read: " + its);
                // the submitter's end destroyed the queue, and a serving member's stats() must not make it again
                StartTest.awaitTrue(() -> !anyHolds(queue), "the ended submitter destroyed " + queue);
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, server.stats().queuedJobs());
                }
                assertFalse(anyHolds(queue), "the serving member's stats() made " + queue + " again");
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

    /** Whether either member holds storage of the queue {@code name}. */
    private static boolean anyHolds(String name) {
        return StartTest.hasQueueStorage(first.hazelcast(), name)
                || StartTest.hasQueueStorage(second.hazelcast(), name);
    }

    /** The JDK's virtual thread factory, or null before JDK 21. */
    private static ThreadFactory virtualThreadFactory() throws ReflectiveOperationException {
        Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
        Object builder = ofVirtual.invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
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
