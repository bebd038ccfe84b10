package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * One cluster for every test: three member JVMs ({@link MemberMain}, separate processes on 127.0.0.1, two
 * workers each) and this JVM, a lite member (it holds no data, so killing a member never takes the submitter's
 * own storage) that submits and has one worker. The fault tests kill -9 a member and start a replacement. One
 * fault test has a member JVM submit instead, a full member whose jobs queue is on its own partition, as in the
 * README's setup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterTest {
    private static final int MEMBERS = 3;
    private static final int BUFFER = 16;
    private static final int ROUNDS = Integer.getInteger("workerpool.hazelcast.rounds", 1);
    /** The pools the member JVMs serve ({@link MemberMain}). */
    private static final List<String> POOLS = List.of("JobsWorkPool", "JobsRetriedPool", "JobsFailingPool");
    /** The buffer of {@link JobsFailingPool}, as the member JVMs start it (its annotation's). */
    private static final int FAILING_BUFFER = 4;

    private static MemberProcesses processes;
    private static HazelcastBackend backend;

    /** What a deregistration check did with a pool's choice of jobs queue ({@link EngineHooks#afterPlacementCheck}). */
    private record PlacementCheck(String queue, boolean dropped, int keptFor) {
    }

    /** The last deregistration check made in this JVM, by pool. */
    private static final Map<String, PlacementCheck> LAST_CHECKS = new ConcurrentHashMap<>();

    @BeforeAll
    static void formCluster() throws Exception {
        EngineHooks.afterPlacementCheck = (pool, queue, dropped, keptFor) -> LAST_CHECKS.put(pool,
                new PlacementCheck(queue, dropped, keptFor));
        processes = new MemberProcesses("wp-test-" + MemberProcesses.freePort());
        backend = HazelcastBackend.builder()
                .cluster(processes.cluster)
                .address("127.0.0.1", processes.submitterPort)
                .members(processes.addresses())
                .liteMember(true)
                .start();
        Jobs.hazelcast = backend.hazelcast();
        processes.start(MEMBERS);
        waitFor("the cluster to have " + (MEMBERS + 1) + " members", Duration.ofSeconds(60),
                () -> hz().getCluster().getMembers().size() == MEMBERS + 1);
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        EngineHooks.afterPlacementCheck = null;
        try {
            if (processes != null) {
                processes.close();
            }
        } finally {
            if (backend != null) {
                backend.close();
            }
        }
    }

    private static HazelcastInstance hz() {
        return backend.hazelcast();
    }

    /**
     * The jobs queue of pool {@code JobsWorkPool} while this JVM submits to it: a lite member owns no partition,
     * so it picks {@code workerpool.JobsWorkPool.jobs} (the first test checks it), and the serving members, which
     * submit nothing, follow it.
     */
    private static IQueue<Object> jobsQueue() {
        return hz().getQueue(JobsPlacement.baseName("JobsWorkPool"));
    }

    @Test
    @Order(1)
    void aJobThatThrowsOnAnotherMemberGivesItsExceptionTypeAndMessageToTheSubmitter() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, BUFFER, backend);
        try {
            for (int i = 0; i < 12; i++) {
                pool.submit(i, 200, "fail"); // long enough that this JVM's one worker cannot take them all
            }
            assertEquals(jobsQueue().getName(), JobsPlacement.current(hz(), "JobsWorkPool"), "a lite member's pick");
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(12, results.size());
            boolean remote = false;
            for (JobsWorkPool.Result r : results) {
                IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, r.error());
                assertTrue(e.getMessage().startsWith("job " + r.job().id() + " refused on "), e.getMessage());
                remote |= e.getMessage().contains("member-");
            }
            assertTrue(remote, "some job failed on another member");
            assertTrue(pool.await(Duration.ofSeconds(30)));
        } finally {
            pool.cancel();
        }
    }

    @Test
    @Order(2)
    void aJobIsRetriedOnTheMemberThatRunsItAndItsAttemptsErrorsReachTheSubmitter() throws Exception {
        JobsRetriedPool pool = JobsRetriedPool.start(1, BUFFER, backend);
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            pool.submit(i, i % 3 == 0 ? 5 : 2); // a third fail all three attempts; the rest succeed on the third
        }
        pool.close();
        List<JobsRetriedPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Duration.ofSeconds(60)));
        assertEquals(jobs, results.size());
        Map<String, Integer> byMember = new HashMap<>();
        for (JobsRetriedPool.Result r : results) {
            long id = r.job().id();
            if (id % 3 == 0) {
                Throwable e = assertInstanceOf(java.io.IOException.class, r.error(), () -> "job " + id);
                String member = e.getMessage().substring(e.getMessage().lastIndexOf(" on ") + 4);
                assertEquals("attempt 3 of job " + id + " on " + member, e.getMessage());
                assertEquals(2, e.getSuppressed().length, () -> "job " + id + ": the earlier attempts' errors");
                for (int a = 0; a < 2; a++) {
                    assertEquals("attempt " + (a + 1) + " of job " + id + " on " + member,
                            e.getSuppressed()[a].getMessage(), "every attempt ran on the member that took the job");
                }
                byMember.merge(member, 1, Integer::sum);
            } else {
                String value = r.getOrThrow();
                assertTrue(value.endsWith(":3"), () -> "job " + id + " succeeded on its third attempt: " + value);
                byMember.merge(value.substring(0, value.indexOf(':')), 1, Integer::sum);
            }
        }
        assertTrue(byMember.keySet().stream().anyMatch(m -> m.startsWith("member-")),
                () -> "jobs were retried in member JVMs: " + byMember);
    }

    @Test
    @Order(3)
    void cancelInterruptsTheSubmittersRunningJobsOnEveryMemberAndCancelsItsQueuedOnes() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, BUFFER, backend);
        int jobs = 2 * MEMBERS + 1 + 5; // every worker in the cluster blocked, five queued
        for (int i = 0; i < jobs; i++) {
            pool.submit(i, 0, "block");
        }
        IQueue<Object> queue = jobsQueue();
        // a job taken from the queue but not yet running is cancelled without running: wait until every one runs
        var started = hz().getMap(Jobs.STARTED);
        waitFor("every worker to run a job", Duration.ofSeconds(30),
                () -> started.size() == 2 * MEMBERS + 1 && queue.size() == 5);
        long start = System.nanoTime();
        pool.cancel();
        List<JobsWorkPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Duration.ofSeconds(30)), "terminated");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60, "the blocked jobs were interrupted");
        assertOneResultPerJob(jobs, results.stream().map(r -> r.job().id()).toList());
        int interruptedRemotely = 0;
        for (JobsWorkPool.Result r : results) {
            assertInstanceOf(CancellationException.class, r.error(), () -> "job " + r.job().id());
            Throwable cause = r.error().getCause();
            if (cause instanceof InterruptedException && cause.getMessage().contains("on member-")) {
                interruptedRemotely++;
            }
        }
        assertEquals(2 * MEMBERS, interruptedRemotely, "the jobs running on the member JVMs were interrupted");
        // looked at through the cluster's list, not this proxy: the pool may have destroyed the queue as it ended
        waitFor("the cancelled jobs to leave the queue, and nothing else of the pool's to be left",
                Duration.ofSeconds(30), () -> leftovers().isEmpty(), () -> leftovers().toString());
        started.destroy();
    }

    @Test
    @Order(4)
    void killingTheBusiestMemberMidRunLosesNoResultAndDuplicatesNone() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = 0x5EED + round;
            runAndKill(seed, (seen) -> {
                // the member that has run the most jobs so far
                String busiest = seen.entrySet().stream().filter(e -> e.getKey().startsWith("member-"))
                        .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                return processes.members.get(busiest);
            });
            processes.start(1); // back to three
        }
    }

    @Test
    @Order(5)
    void killingTheMemberThatOwnsTheQueuesPartitionLosesNoResultAndDuplicatesNone() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = 0xFA11 + round;
            runAndKill(seed, seen -> {
                Member owner = hz().getPartitionService().getPartition(jobsQueue().getPartitionKey()).getOwner();
                return processes.byUuid(owner.getUuid().toString());
            });
            processes.start(1);
        }
    }

    /**
     * The README's setup, a full member that submits, its jobs queue on a partition of its own member
     * ({@link JobsPlacement}): a member JVM in {@link MemberMain}'s drain mode submits 2,000 jobs of 5-20 ms
     * through a queue of {@link #BUFFER} and reports each result, by job id, over its output. After a seeded share
     * of the results the test kills -9 the serving member (not the submitter) that has run the most, and starts a
     * replacement. Every job must have exactly one result, and a successful one, the queue never more than
     * {@code BUFFER} jobs, the producer must have blocked, close-and-drain must finish and the pool await; once the
     * submitter has left, nothing of the pools may be left in the cluster.
     */
    @Test
    @Order(6)
    void killingAServingMemberWhileAFullMemberSubmitsFromItsOwnQueueLosesNoResultAndDuplicatesNone()
            throws Exception {
        int total = 2_000;
        long seed = 0xF011L;
        int killAt = total / 4 + new Random(seed).nextInt(total / 6);
        long start = System.nanoTime();
        MemberProcesses.Member submitter = processes.start(1, List.of("-Dworkerpool.test.drain=" + total,
                "-Dworkerpool.test.seed=" + seed)).get(0);
        Map<String, String> registeredAtKill = new HashMap<>(); // submitter id -> state:member, for a failure
        try {
            // QUEUE <name> <partition key> <whether the submitter owns its partition>
            String[] queue = awaitLine(submitter, "QUEUE ", Duration.ofSeconds(60)).split(" ");
            assertEquals(4, queue.length, () -> "the submitter's jobs queue: " + String.join(" ", queue));
            String base = JobsPlacement.baseName("JobsWorkPool");
            assertEquals(base + "@" + queue[2], queue[1], "a full member's pick: a queue on a partition key");
            assertEquals(queue[1], JobsPlacement.current(hz(), "JobsWorkPool"), "the pool's choice");
            // the partition's owner, not the queue's proxy: made here, it would outlive the pool
            Member owner = hz().getPartitionService().getPartition(queue[2]).getOwner();
            assertNotNull(owner, "the queue's partition has an owner");
            assertEquals(submitter.uuid, owner.getUuid().toString(), "the jobs queue is on the submitter's member");
            assertEquals("true", queue[3], "the submitter owns the queue's partition, as it sees it");
            waitFor(killAt + " results", Duration.ofSeconds(60),
                    () -> resultLines(submitter).size() >= killAt || !submitter.process.isAlive());
            assertTrue(submitter.process.isAlive(), "the submitter runs");
            Map<String, Integer> byMember = new HashMap<>();
            resultLines(submitter).forEach(r -> byMember.merge(r[1], 1, Integer::sum));
            MemberProcesses.Member victim = processes.members.values().stream().filter(m -> m != submitter)
                    .max(Comparator.comparingInt(m -> byMember.getOrDefault(m.name, 0))).orElseThrow();
            assertTrue(byMember.getOrDefault(victim.name, 0) > 0, () -> "the victim ran jobs: " + byMember);
            registeredAtKill.putAll(hz().<String, String>getMap("workerpool.JobsWorkPool.submitters"));
            processes.kill(victim);
            int seenAtKill = resultLines(submitter).size();
            assertTrue(seenAtKill < total, "the member was killed mid-run: " + seenAtKill + " results");
            processes.start(1); // back to three serving members, while the run goes on or after it
            // DRAINED awaited=<b> blocked=<n> maxQueued=<n> buffer=<n> producer=<ok or its error>
            String drained = awaitLine(submitter, "DRAINED ", Duration.ofSeconds(120));
            List<String> failed = submitter.output.stream().filter(line -> FAILED.matcher(line).find()).toList();
            assertEquals(List.of(), failed, "failed jobs");
            List<String[]> results = resultLines(submitter);
            assertOneResultPerJob(total, results.stream().map(r -> Long.parseLong(r[0])).toList());
            assertEquals(total, results.size(), "no extra results");
            assertEquals("ok", drained.substring(drained.indexOf("producer=") + 9), "the producer");
            Map<String, String> stats = new HashMap<>();
            for (String field : drained.substring(0, drained.indexOf(" producer=")).split(" ")) {
                if (field.contains("=")) {
                    stats.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
                }
            }
            assertEquals("true", stats.get("awaited"), "close-and-drain finished and the pool awaited: " + drained);
            assertEquals(Integer.toString(BUFFER), stats.get("buffer"), "the submitter's buffer");
            int maxQueued = Integer.parseInt(stats.get("maxQueued"));
            assertTrue(maxQueued <= BUFFER, "the queue held " + maxQueued);
            int blocked = Integer.parseInt(stats.get("blocked"));
            assertTrue(blocked > 0, "the producer blocked");
            assertEquals(0, processes.stop(submitter), "the submitter left the cluster");
            String self = hz().getCluster().getLocalMember().getUuid().toString();
            waitFor("no entries left in the cluster", Duration.ofSeconds(60), () -> leftovers().isEmpty(),
                    () -> leftovers() + " (submitters when the member was killed, by id: " + registeredAtKill
                            + "; this JVM is member " + self + ")");
            Map<String, Integer> all = new HashMap<>();
            results.forEach(r -> all.merge(r[1], 1, Integer::sum));
            // what the submitter's reconciliations queued again, as its engine logs it: reported, not asserted
            // (whether the victim held a job at the kill is a matter of timing)
            List<String> requeued = submitter.output.stream().filter(line -> line.contains("REQUEUED "))
                    .map(line -> line.substring(line.indexOf("REQUEUED ") + 9)).toList();
            System.out.printf("[hazelcast] full-member submitter %s, queue %s on its member, seed %x: %d jobs, "
                    + "killed %s after %d results, %d producer blocks, queue max %d, by member %s, re-queued %s, "
                    + "%d s%n", submitter.name, queue[1], seed, total, victim.name, seenAtKill, blocked, maxQueued,
                    all, requeued, Duration.ofNanos(System.nanoTime() - start).toSeconds());
        } catch (AssertionError | RuntimeException e) {
            System.err.println(processes.logs());
            throw e;
        } finally {
            if (processes.members.containsKey(submitter.name)) { // the test failed before it stopped the submitter
                try {
                    processes.stop(submitter);
                } catch (AssertionError e) {
                    processes.kill(submitter); // it did not exit: the failure that brought the test here counts
                }
            }
        }
    }

    @Test
    @Order(7)
    void aMemberThatJoinsMidRunTakesJobs() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, BUFFER, backend);
        Map<String, Integer> byMember = new ConcurrentHashMap<>();
        List<Long> ids = new CopyOnWriteArrayList<>(); // of the results, in the order they came
        List<JobsWorkPool.Result> failed = new CopyOnWriteArrayList<>();
        AtomicInteger submitted = new AtomicInteger(); // jobs 0 to submitted - 1: each submit returned
        AtomicReference<String> joined = new AtomicReference<>();
        AtomicReference<Throwable> producerFailed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (System.nanoTime() < deadline && submitted.get() < 100_000
                        && (joined.get() == null || byMember.getOrDefault(joined.get(), 0) < 20)) {
                    pool.submit(submitted.get(), 5, "run");
                    submitted.incrementAndGet();
                }
            } catch (Throwable e) {
                producerFailed.set(e);
            } finally {
                pool.close();
            }
        }, "producer");
        producer.start();
        Thread reader = new Thread(() -> pool.results().forEach(r -> {
            ids.add(r.job().id());
            if (r.value() == null) {
                failed.add(r);
            } else {
                byMember.merge(r.value(), 1, Integer::sum);
            }
        }), "reader");
        reader.start();
        try {
            waitFor("jobs to flow", Duration.ofSeconds(30), () -> ids.size() > 50);
            MemberProcesses.Member late = processes.start(1).get(0);
            joined.set(late.name);
            producer.join(TimeUnit.MINUTES.toMillis(3));
            reader.join(TimeUnit.MINUTES.toMillis(3));
            assertFalse(producer.isAlive() || reader.isAlive(), "the producer and the reader ended");
            assertTrue(pool.await(Duration.ofSeconds(30)));
            if (producerFailed.get() != null) {
                throw new AssertionError("the producer failed", producerFailed.get());
            }
            assertEquals(List.of(), failed, "failed jobs");
            assertTrue(byMember.getOrDefault(late.name, 0) >= 20, () -> "the late member ran jobs: " + byMember);
            assertOneResultPerJob(submitted.get(), ids);
        } finally {
            pool.cancel();
        }
    }

    /**
     * A submitting JVM killed with jobs queued and running: the others deregister it, discard its queued jobs,
     * destroy its results queue, and go on; a pool submitting from another JVM meanwhile gets all its results.
     */
    @Test
    @Order(8)
    void aSubmitterThatDiesLeavesNothingBehindAndBlocksNobody() throws Exception {
        MemberProcesses.Member dying = processes.start(1, List.of("-Dworkerpool.test.submit=200")).get(0);
        waitFor("the dying submitter's queue to be full", Duration.ofSeconds(60),
                () -> dying.output.stream().anyMatch(line -> line.equals("SUBMITTED 40")));
        IMap<String, String> submitters = hz().getMap("workerpool.JobsWorkPool.submitters");
        Set<String> its = new HashSet<>();
        submitters.forEach((id, state) -> {
            if (SubmitterView.registeredOn(state, dying.uuid)) {
                its.add(id);
            }
        });
        assertEquals(1, its.size(), () -> "its submitter is registered: " + submitters.entrySet());
        String jobsQueue = JobsPlacement.current(hz(), "JobsWorkPool"); // its own: it submitted first
        assertNotNull(jobsQueue);
        String resultsQueue = "workerpool.JobsWorkPool.results." + its.iterator().next();
        processes.kill(dying);
        JobsWorkPool pool = JobsWorkPool.start(1, BUFFER, backend); // another submitter, running meanwhile
        try {
            for (int i = 0; i < 40; i++) {
                pool.submit(i, 5, "run");
            }
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertEquals(LongStream.range(0, 40).boxed().toList(), ids.stream().sorted().toList());
            assertTrue(pool.await(Duration.ofSeconds(30)));
        } finally {
            pool.cancel();
        }
        waitFor("the dead submitter to be deregistered", Duration.ofSeconds(60),
                () -> its.stream().noneMatch(submitters::containsKey));
        // the pool here used its jobs queue, and once no submitter uses it, it goes, with the jobs discarded
        waitFor("its jobs queue to be destroyed", Duration.ofSeconds(60), () -> hz().getDistributedObjects()
                .stream().noneMatch(o -> o.getName().equals(jobsQueue)));
        waitFor("its results queue to be destroyed", Duration.ofSeconds(60), () -> hz().getDistributedObjects()
                .stream().noneMatch(o -> o.getName().equals(resultsQueue)));
        assertEquals(List.of(), placementLeftovers("JobsWorkPool"), "the choice went with the queue");
    }

    /**
     * {@code failFast} across members: a job that fails on a member JVM fails its submitter's pool here. Every
     * worker in the cluster runs one of the submitter's jobs and three more wait in the queue when the test has a
     * job on a member JVM fail: the submitter's jobs running on every JVM are interrupted, its queued ones
     * cancelled, each with one cancelled result, the pool fails with that job's error, and refuses a submit.
     */
    @Test
    @Order(9)
    void aJobThatFailsOnAnotherMemberFailsThePoolFastOnEveryMember() throws Exception {
        IMap<Long, String> started = hz().getMap(Jobs.STARTED);
        IMap<Long, Boolean> signals = hz().getMap(Jobs.SIGNALS);
        int running = 2 * processes.members.size() + 1; // every worker in the cluster, this JVM's one included
        int queued = FAILING_BUFFER - 1;
        long first = 8_000;
        List<Long> ids = LongStream.range(first, first + running + queued).boxed().toList();
        JobsFailingPool pool = JobsFailingPool.start(1, FAILING_BUFFER, backend);
        try {
            for (long id : ids.subList(0, running)) {
                pool.submit(id, 0, "signal"); // each waits for its signal, or an interrupt
            }
            // a signal job never ends by itself: once each runs, each worker runs one, and the next jobs wait queued
            waitFor("every worker to run a job", Duration.ofSeconds(60),
                    () -> started.keySet().containsAll(ids.subList(0, running)), started::toString);
            for (long id : ids.subList(running, ids.size())) {
                pool.submit(id, 0, "block");
            }
            long failing = ids.subList(0, running).stream().filter(id -> started.get(id).startsWith("member-"))
                    .findFirst().orElseThrow();
            String failedOn = started.get(failing);
            List<JobsFailingPool.Result> results = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> pool.results().forEach(results::add), "reader");
            signals.set(failing, true);
            reader.start();
            // the running jobs end only when interrupted (or after two minutes): the results end once they are
            reader.join(TimeUnit.SECONDS.toMillis(60));
            if (reader.isAlive()) {
                fail("the results did not end within 60 s of job " + failing + "'s failure on " + failedOn
                        + "; results so far: " + results + "\n" + processes.logs() + threadDump());
            }
            Map<Long, Throwable> errors = new HashMap<>();
            for (JobsFailingPool.Result r : results) {
                assertNotNull(r.error(), () -> "job " + r.job().id() + " succeeded");
                assertNull(errors.put(r.job().id(), r.error()), () -> "a second result for job " + r.job().id());
            }
            assertEquals(Set.copyOf(ids), errors.keySet(), "one result per job");
            Throwable failure = errors.get(failing);
            IllegalArgumentException refused = assertInstanceOf(IllegalArgumentException.class, failure);
            assertEquals("job " + failing + " refused on " + failedOn, refused.getMessage());
            assertEquals(failure, pool.failure().orElseThrow(), "the pool's failure is the remote job's");
            PoolFailedException failed = assertThrows(PoolFailedException.class,
                    () -> pool.await(Duration.ofSeconds(60)), "the pool ended, failed");
            assertEquals(failure, failed.getCause());
            PoolClosedException closed = assertThrows(PoolClosedException.class, () -> pool.submit(1, 0, "run"));
            assertEquals("JobsFailingPool is cancelled", closed.getMessage());
            int interruptedRemotely = 0;
            for (long id : ids) {
                if (id == failing) {
                    continue;
                }
                Throwable error = errors.get(id);
                assertInstanceOf(CancellationException.class, error, () -> "job " + id + ": " + error);
                if (id < first + running) { // it was running: interrupted where it ran
                    Throwable cause = assertInstanceOf(InterruptedException.class, error.getCause(),
                            () -> "job " + id + " was interrupted: " + error);
                    assertEquals("job " + id + " interrupted on " + started.get(id), cause.getMessage());
                    interruptedRemotely += started.get(id).startsWith("member-") ? 1 : 0;
                }
            }
            assertEquals(running - 2, interruptedRemotely, "the jobs running on the other member JVMs");
            waitFor("no entries left in the cluster", Duration.ofSeconds(30), () -> leftovers().isEmpty(),
                    () -> leftovers().toString());
            System.out.printf("[hazelcast] failFast: job %d failed on %s; the pool's last placement check: %s%n",
                    failing, failedOn, LAST_CHECKS.get("JobsFailingPool"));
        } finally {
            pool.cancel();
            ids.forEach(id -> {
                started.delete(id);
                signals.delete(id);
            });
        }
    }

    /** What the fault tests pick to kill, given how many jobs each member has run so far. */
    private interface Victim {
        MemberProcesses.Member pick(Map<String, Integer> seen);
    }

    /**
     * 2,000 jobs of 5-20 ms through a queue of {@link #BUFFER}; after about a third of the results, kill -9 the
     * victim. Every job must have exactly one result, the queue never more than {@code BUFFER} jobs, the producer
     * must have blocked, close-and-drain must finish, and no entry of this pool's may be left in the cluster.
     */
    private void runAndKill(long seed, Victim victim) throws Exception {
        int total = 2_000;
        Random random = new Random(seed);
        int[] millis = new int[total];
        for (int i = 0; i < total; i++) {
            millis[i] = 5 + random.nextInt(16);
        }
        int killAt = total / 4 + random.nextInt(total / 6);
        JobsWorkPool pool = JobsWorkPool.start(1, BUFFER, backend);
        IQueue<Object> queue = jobsQueue();
        AtomicInteger blocked = new AtomicInteger();
        AtomicInteger maxQueued = new AtomicInteger();
        AtomicReference<Throwable> producerFailed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    if (!pool.trySubmit(new JobsWorkPool.Job(i, millis[i], "run"))) {
                        blocked.incrementAndGet();
                        pool.submit(i, millis[i], "run");
                    }
                }
            } catch (Throwable e) {
                producerFailed.set(e);
            } finally {
                pool.close();
            }
        }, "producer");
        Thread sampler = new Thread(() -> {
            // until the producer has closed the pool: no job is submitted after, and a look through this proxy once
            // the pool has destroyed the queue would make the queue's storage again
            while (producer.isAlive()) {
                maxQueued.accumulateAndGet(queue.size(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a sampling interval
            }
        }, "sampler");
        sampler.setDaemon(true);
        producer.start();
        sampler.start();
        int[] count = new int[total];
        Map<String, Integer> byMember = new HashMap<>();
        Map<String, String> registeredAtKill = new HashMap<>(); // submitter id -> state:member, for a failure
        String killed = null;
        int read = 0;
        try {
            for (JobsWorkPool.Result r : pool.results()) {
                assertNotNull(r.value(), () -> "job " + r.job().id() + " failed: " + r.error());
                count[(int) r.job().id()]++;
                byMember.merge(r.value(), 1, Integer::sum);
                if (++read == killAt) {
                    MemberProcesses.Member dead = victim.pick(byMember);
                    assertNotNull(dead, "a member to kill");
                    killed = dead.name;
                    registeredAtKill.putAll(hz().<String, String>getMap("workerpool.JobsWorkPool.submitters"));
                    registeredAtKill.putAll(hz().<String, String>getMap("workerpool.JobsRetriedPool.submitters"));
                    processes.kill(dead);
                }
            }
            producer.join(TimeUnit.MINUTES.toMillis(2));
            sampler.join(TimeUnit.MINUTES.toMillis(1));
            assertTrue(pool.await(Duration.ofSeconds(60)), "close-and-drain finished");
            if (producerFailed.get() != null) {
                throw new AssertionError("the producer failed", producerFailed.get());
            }
            for (int i = 0; i < total; i++) {
                assertEquals(1, count[i], "results of job " + i);
            }
            assertEquals(total, read, "no extra results");
            assertTrue(maxQueued.get() <= BUFFER, "the queue held " + maxQueued.get());
            assertTrue(blocked.get() > 0, "the producer blocked");
            assertNotNull(killed);
            String self = hz().getCluster().getLocalMember().getUuid().toString();
            waitFor("no entries left in the cluster", Duration.ofSeconds(30), () -> leftovers().isEmpty(),
                    () -> leftovers() + " (submitters when the member was killed, by id: " + registeredAtKill
                            + "; this JVM is member " + self + ")");
            System.out.printf("[hazelcast] seed %x: %d jobs, killed %s after %d results, %d producer blocks, "
                    + "queue max %d, by member %s%n", seed, total, killed, killAt, blocked.get(), maxQueued.get(),
                    byMember);
        } catch (AssertionError | RuntimeException e) {
            pool.cancel();
            System.err.println(processes.logs());
            throw e;
        }
    }

    /**
     * What of the pools the member JVMs serve is left in the cluster, besides the serving members' registrations
     * and their results queues: results queues of submitters not registered, other registrations, and what
     * {@link #placementLeftovers} finds.
     */
    private static List<String> leftovers() {
        List<String> left = new ArrayList<>();
        // every pool has a results queue, the serving members' included (of every pool the member JVMs serve);
        // those of pools that ended, or whose member died, must be gone, and only the serving members registered
        for (String pool : POOLS) {
            String prefix = "workerpool." + pool + ".results.";
            IMap<String, String> submitters = hz().getMap("workerpool." + pool + ".submitters");
            Set<String> registered = submitters.keySet();
            hz().getDistributedObjects().stream().map(DistributedObject::getName)
                    .filter(n -> n.startsWith(prefix))
                    .filter(n -> !registered.contains(n.substring(prefix.length())))
                    .forEach(left::add);
            if (registered.size() != processes.members.size()) {
                left.add(pool + " submitters " + submitters.entrySet());
            }
            left.addAll(placementLeftovers(pool));
        }
        return left;
    }

    /**
     * What is left of pool {@code pool}'s choice of jobs queue ({@link JobsPlacement}) once no submitter that has
     * submitted to it is registered (the member JVMs only serve): no {@code submitting:} entry, and no choice and
     * no jobs queue in {@code getDistributedObjects()} (looked at there, never through a proxy of the queue, which
     * would make its storage again). The one exception is the design's: the last deregistration check kept the
     * choice and its queue because the queue still held jobs (their submitters gone: the serving members take
     * and drop them); the choice may then still name that queue, which must be empty by now.
     */
    private static List<String> placementLeftovers(String pool) {
        List<String> left = new ArrayList<>();
        IMap<String, String> placement = hz().getMap(JobsPlacement.mapName(pool));
        Map<String, String> entries = new HashMap<>(placement);
        entries.keySet().stream().filter(k -> k.startsWith(JobsPlacement.SUBMITTING))
                .forEach(k -> left.add(pool + " placement " + k + "=" + entries.get(k)));
        String chosen = entries.get(JobsPlacement.KEY);
        String base = JobsPlacement.baseName(pool);
        Map<String, DistributedObject> queues = hz().getDistributedObjects().stream()
                .filter(o -> o instanceof IQueue && (o.getName().equals(base) || o.getName().startsWith(base + "@")))
                .collect(Collectors.toMap(DistributedObject::getName, o -> o));
        PlacementCheck last = LAST_CHECKS.get(pool);
        boolean keptOnPurpose = chosen != null && last != null && !last.dropped() && last.keptFor() > 0
                && chosen.equals(last.queue()) && queues.keySet().equals(Set.of(chosen));
        if (keptOnPurpose) {
            int size = ((IQueue<?>) queues.get(chosen)).size(); // listed: this proxy makes nothing again
            if (size != 0) {
                left.add(pool + ": " + size + " jobs in " + chosen + ", kept for the " + last.keptFor()
                        + " it held as its last submitter deregistered");
            }
        } else {
            if (chosen != null) {
                left.add(pool + " placement " + JobsPlacement.KEY + "=" + chosen + " (last check here: " + last + ")");
            }
            queues.keySet().forEach(q -> left.add(pool + " jobs queue " + q + " (last check here: " + last + ")"));
        }
        return left;
    }

    /**
     * Fails unless {@code ids}, the job ids of a pool's results, hold each of {@code 0..count-1} exactly once and
     * nothing else; the message names the first ids that do not.
     */
    private static void assertOneResultPerJob(long count, List<Long> ids) {
        Map<Long, Integer> results = new TreeMap<>();
        ids.forEach(id -> results.merge(id, 1, Integer::sum));
        List<String> wrong = new ArrayList<>();
        for (long id = 0; id < count; id++) {
            int n = results.getOrDefault(id, 0);
            if (n != 1) {
                wrong.add("job " + id + ": " + n + " results");
            }
        }
        results.forEach((id, n) -> {
            if (id < 0 || id >= count) {
                wrong.add("job " + id + ", never submitted: " + n + " results");
            }
        });
        assertTrue(wrong.isEmpty(), () -> "one result per job of " + count + " (" + ids.size() + " results): "
                + (wrong.size() <= 20 ? wrong : wrong.subList(0, 20) + " and " + (wrong.size() - 20) + " more"));
    }

    /** A result line of {@link MemberMain}'s drain mode (found, not matched: a log line's start may precede it). */
    private static final Pattern RESULT = Pattern.compile("RESULT (\\d+) (\\S+)$");
    /** A failed result's line of {@link MemberMain}'s drain mode. */
    private static final Pattern FAILED = Pattern.compile("FAILED \\d+ ");

    /** The results a member JVM in {@link MemberMain}'s drain mode has reported so far: job id, then value. */
    private static List<String[]> resultLines(MemberProcesses.Member member) {
        List<String[]> results = new ArrayList<>();
        for (String line : member.output) {
            Matcher result = RESULT.matcher(line);
            if (result.find()) {
                results.add(new String[] {result.group(1), result.group(2)});
            }
        }
        return results;
    }

    /**
     * The first line member JVM {@code member} prints that holds {@code prefix}, from it on; fails if it has not
     * printed one within {@code timeout}, or exits.
     */
    private static String awaitLine(MemberProcesses.Member member, String prefix, Duration timeout) {
        Supplier<String> line = () -> member.output.stream().filter(l -> l.contains(prefix)).findFirst()
                .map(l -> l.substring(l.indexOf(prefix))).orElse(null);
        waitFor(member.name + " to print " + prefix.strip(), timeout,
                () -> line.get() != null || !member.process.isAlive());
        String found = line.get();
        assertNotNull(found, () -> member.name + " exited without printing " + prefix.strip() + ":\n"
                + String.join("\n", member.output));
        return found;
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        waitFor(what, timeout, condition, () -> "");
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what + ": " + state.get() + "\n" + processes.logs() + threadDump());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** This JVM's threads and where each is, for a failure that waited in vain. */
    private static String threadDump() {
        StringBuilder dump = new StringBuilder("--- this JVM's threads\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}
