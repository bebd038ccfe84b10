package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.collection.IQueue;
import com.hazelcast.collection.impl.queue.QueueService;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.spi.exception.DistributedObjectDestroyedException;
import com.hazelcast.spi.exception.PartitionMigratingException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.spi.PoolOptions;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@code start} refuses, and how, on a one-member cluster; and members that cannot form a cluster. */
class StartTest {
    private static HazelcastBackend backend;

    @BeforeAll
    static void startMember() {
        int port = MemberProcesses.freePort();
        backend = HazelcastBackend.builder().cluster("wp-start-" + port).address("127.0.0.1", port).start();
        Jobs.hazelcast = backend.hazelcast(); // where block, gate and mark jobs say they started
    }

    /** The jobs that said they started ({@link Jobs#STARTED}), by id. */
    private static IMap<Object, Object> startedJobs() {
        return backend.hazelcast().getMap(Jobs.STARTED);
    }

    /** Whatever a test left set, the next one starts without hooks. */
    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    @AfterAll
    static void stopMember() {
        if (backend != null) {
            backend.close();
        }
    }

    /** The builder's member joins by TCP-IP to the listed addresses only: no multicast, no discovery, no phone-home. */
    @Test
    void theBuildersMemberJoinsByTcpIpOnlyWithMulticastAndPhoneHomeOff() {
        com.hazelcast.config.Config config = backend.hazelcast().getConfig();
        com.hazelcast.config.JoinConfig join = config.getNetworkConfig().getJoin();
        assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
        assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
        assertTrue(join.getTcpIpConfig().isEnabled(), "TCP-IP");
        assertTrue(join.getTcpIpConfig().getMembers().stream().allMatch(m -> m.startsWith("127.0.0.1:")),
                join.getTcpIpConfig().getMembers().toString());
        assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"), "phone-home");
        assertEquals(java.util.List.of("127.0.0.1"), java.util.List.copyOf(config.getNetworkConfig().getInterfaces()
                .getInterfaces()), "the member binds 127.0.0.1 only");
    }

    @Test
    void aParameterThatCannotBeSentFailsStartNamingItsType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableSizePool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableSizePool: parameter 'file' of type java.nio.file.Path "
                + "cannot be sent to other members"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; declare @WorkerPool(distributed = true) to have this checked at "
                + "compile time"), e.getMessage());
    }

    @Test
    void anArrayOfATypeThatCannotBeSentFailsStartNamingItsElementType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableCountPool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableCountPool: parameter 'threads' of type java.lang.Thread[][] "
                + "cannot be sent to other members: its element type java.lang.Thread cannot be sent (a class that is "
                + "neither java.io.Serializable nor a record)"), e.getMessage());
    }

    @Test
    void aReturnTypeThatCannotBeSentFailsStartNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableThreadPool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableThreadPool: the return type java.lang.Thread cannot be sent"),
                e.getMessage());
    }

    @Test
    void orderedAndTimeoutAreRejectedWithAClearMessage() {
        IllegalArgumentException ordered = assertThrows(IllegalArgumentException.class,
                () -> UnsendableOrderedPool.start(backend));
        assertTrue(ordered.getMessage().contains("ordered results are not supported across members"),
                ordered.getMessage());
        IllegalArgumentException timed = assertThrows(IllegalArgumentException.class,
                () -> UnsendableTimedPool.start(backend));
        assertTrue(timed.getMessage().contains("a job timeout is not supported across members"), timed.getMessage());
    }

    @Test
    void sizesOutOfRangeAreRejectedWithTheLocalLimits() {
        IllegalArgumentException workers = assertThrows(IllegalArgumentException.class,
                () -> JobsWorkPool.start(100_000, 1, backend));
        assertEquals("JobsWorkPool: workers = 100000 would start that many platform threads; the limit is 10000",
                workers.getMessage());
        IllegalArgumentException buffer = assertThrows(IllegalArgumentException.class,
                () -> JobsWorkPool.start(1, Integer.MAX_VALUE, backend));
        assertEquals("JobsWorkPool: buffer = 2147483647 is so large that the queue is effectively unbounded and "
                + "backpressure never happens; the limit is 16777216", buffer.getMessage());
    }

    @Test
    void aRateIsRejectedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableRatedPool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableRatedPool: a rate limit is not supported across members"),
                e.getMessage());
    }

    @Test
    void resizeIsRejectedWithAClearMessageAndThePoolRunsOn() throws Exception {
        UnsendableMovePool pool = UnsendableMovePool.start(backend);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> pool.resize(2));
        assertTrue(e.getMessage().startsWith("UnsendableMovePool: resize is not supported across members"),
                e.getMessage());
        pool.submit(new Unsendable.Point(1, "p"), 1);
        pool.close();
        List<UnsendableMovePool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertEquals(1, results.size());
        assertEquals(new Unsendable.Point(2, "p"), results.get(0).getOrThrow());
        assertTrue(pool.await(Duration.ofSeconds(30)));
    }

    /**
     * A null job, or a null timeout, is refused with a {@link NullPointerException} naming the pool and the method,
     * in the local pool's words, and nothing is accepted. Before the fix a null job was refused with the bare message
     * "job", and a null timeout with no message at all.
     */
    @Test
    @Timeout(60)
    void aNullJobOrTimeoutIsRefusedNamingThePoolAsLocally() throws Exception {
        String name = "NullInputs";
        dev.workerpool.runtime.spi.PoolEngine<Long, String> pool = TwoMemberCluster.startPart(backend, name,
                PoolOptions.DEFAULT, 1, job -> "ran");
        try {
            String nullJob = " was given a null job; a job may not be null";
            assertEquals(name + ": submit" + nullJob,
                    assertThrows(NullPointerException.class, () -> pool.submit(null)).getMessage());
            assertEquals(name + ": trySubmit" + nullJob,
                    assertThrows(NullPointerException.class, () -> pool.trySubmit(null)).getMessage());
            assertEquals(name + ": trySubmit" + nullJob, assertThrows(NullPointerException.class,
                    () -> pool.trySubmit(null, Duration.ofSeconds(1))).getMessage());
            assertEquals(name + ": trySubmit" + nullJob, assertThrows(NullPointerException.class,
                    () -> pool.trySubmit(null, null)).getMessage(), "the job is looked at first, as locally");
            assertEquals(name + ": trySubmit was given a null timeout",
                    assertThrows(NullPointerException.class, () -> pool.trySubmit(1L, null)).getMessage());
            assertEquals(0, pool.stats().submitted(), "nothing accepted");
            assertEquals(name + ": await was given a null timeout",
                    assertThrows(NullPointerException.class, () -> pool.await(null)).getMessage());
            assertEquals(name + ": await was given a null timeout", // a fail-fast pool's generated await, as locally
                    assertThrows(NullPointerException.class, () -> pool.awaitOrThrow(null)).getMessage());
            pool.submit(2L); // the pool works on
            pool.close();
            List<String> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(List.of("2=ran"), results);
            assertEquals(1, pool.stats().submitted(), "only the job given");
        } finally {
            pool.cancel();
            assertTrue(pool.await(Duration.ofSeconds(30)), "the part ended");
        }
    }

    /**
     * A pool of {@code Void} starts and gives each job its {@code null} value, sent through the cluster's queues
     * as any {@code null}; {@code start} rejected {@code Void} as a class neither serializable nor a record.
     */
    @Test
    @Timeout(60)
    void aVoidPoolSendsItsNullValues() throws Exception {
        UnsendableNothingPool pool = UnsendableNothingPool.start(backend);
        pool.submit(null, 1);
        pool.submit(null, 2);
        pool.close();
        List<UnsendableNothingPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertEquals(2, results.size());
        for (UnsendableNothingPool.Result result : results) {
            assertTrue(result.isSuccess(), result.toString());
            assertNull(result.getOrThrow());
        }
        assertTrue(pool.await(Duration.ofSeconds(30)));
    }

    @Test
    @Timeout(60)
    void retriesRunOnTheMemberThatRunsTheJob() throws Exception {
        FlakyFlakyPool pool = FlakyFlakyPool.start(backend);
        pool.submit(1, 0, true);   // succeeds at once
        pool.submit(2, 2, true);   // succeeds on its third attempt
        pool.submit(3, 5, true);   // fails three times: the last error, the two before suppressed
        pool.submit(4, 1, false);  // an error retry does not name: fails at once
        pool.close();
        Map<Long, FlakyFlakyPool.Result> byId = new HashMap<>();
        for (FlakyFlakyPool.Result r : pool.results()) {
            byId.put(r.job().id(), r);
        }
        assertTrue(pool.await(Duration.ofSeconds(30)));
        assertEquals(4, byId.size());
        assertEquals(1, byId.get(1L).getOrThrow());
        assertEquals(3, byId.get(2L).getOrThrow());
        Throwable three = byId.get(3L).error();
        assertEquals("attempt 3 of job 3", three.getMessage());
        assertEquals(2, three.getSuppressed().length);
        assertEquals("attempt 1 of job 3", three.getSuppressed()[0].getMessage());
        assertEquals("attempt 2 of job 3", three.getSuppressed()[1].getMessage());
        Throwable four = byId.get(4L).error();
        assertTrue(four instanceof IllegalStateException, String.valueOf(four));
        assertEquals(0, four.getSuppressed().length);
        assertEquals(4, pool.stats().retries());
    }

    @Test
    @Timeout(60)
    void aCancelHeardJustBeforeAJobRunsCancelsItInsteadOfLettingItRunUninterrupted() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        CountDownLatch heard = new CountDownLatch(1);
        EngineHooks.beforeRunning = cancelHeard -> {
            pool.cancel();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cancelHeard.getAsBoolean() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            heard.countDown();
        };
        try {
            pool.submit(1L, 0, "block"); // without the second look it blocks for two minutes, uninterrupted
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(heard.await(0, TimeUnit.SECONDS), "the worker heard the cancel before the job ran");
            assertTrue(pool.await(Duration.ofSeconds(30)));
            assertEquals(1, results.size());
            assertTrue(results.get(0).error() instanceof CancellationException, String.valueOf(results.get(0)));
            assertTrue(startedJobs().isEmpty(), "the job never ran");
        } finally {
            EngineHooks.beforeRunning = null;
            pool.cancel();
        }
    }

    @Test
    @Timeout(120)
    void aResultSentAsItsSubmitterEndsLeavesNoResultsQueueBehind() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        Registered registered = startRegistered();
        JobsWorkPool submitter = registered.pool();
        String submitterId = registered.id();
        JobsWorkPool server = null;
        CountDownLatch inHook = new CountDownLatch(1);
        CountDownLatch lateSendDone = new CountDownLatch(1);
        AtomicInteger serverSends = new AtomicInteger();
        AtomicBoolean endedInHook = new AtomicBoolean();
        try {
            submitter.submit(101L, 0, "gate"); // the submitter's own worker runs it: the only worker yet
            awaitTrue(() -> started.containsKey(101L), "job 101 runs");
            Registered serving = startRegistered();
            server = serving.pool();
            String serverId = serving.id();
            submitter.submit(102L, 0, "gate"); // the server's worker runs it: the other one is busy
            awaitTrue(() -> started.containsKey(102L), "job 102 runs");
            submitter.submit(103L, 0, "run"); // waits in the jobs queue
            JobsWorkPool theSubmitter = submitter;
            EngineHooks.beforeSending = (engine, to, waiting) -> {
                // the server's second send to the submitter is job 103's cancelled result: hold it until the
                // submitter has ended and destroyed its results queue
                if (engine.equals(serverId) && to.equals(submitterId) && serverSends.incrementAndGet() == 2) {
                    inHook.countDown();
                    try {
                        endedInHook.set(theSubmitter.await(Duration.ofSeconds(60)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            EngineHooks.afterSending = (engine, to) -> {
                if (engine.equals(serverId) && to.equals(submitterId) && serverSends.get() == 2) {
                    lateSendDone.countDown();
                }
            };
            submitter.cancel();
            Iterator<JobsWorkPool.Result> results = submitter.results().iterator();
            JobsWorkPool.Result first = results.next(); // job 103, cancelled while it waits in the queue
            assertEquals(103L, first.job().id());
            assertTrue(first.error() instanceof CancellationException, String.valueOf(first));
            Jobs.open(102L);
            // the server's worker sends 102's result, takes 103, finds its submitter cancelled, not yet gone
            assertTrue(inHook.await(60, TimeUnit.SECONDS), "the server's worker sends job 103's result");
            Jobs.open(101L);
            int rest = 0;
            while (results.hasNext()) {
                results.next();
                rest++;
            }
            assertEquals(2, rest);
            assertTrue(submitter.await(Duration.ofSeconds(60)));
            assertTrue(lateSendDone.await(60, TimeUnit.SECONDS), "the server's late send is done");
            assertTrue(endedInHook.get(), "the submitter ended while the server's worker was about to send");
            String name = "workerpool.JobsWorkPool.results." + submitterId;
            // the send went to a destroyed queue, which made it again, holding the result; the server destroys
            // it once it hears that the submitter is gone
            awaitTrue(() -> emptyOrBeingDestroyed(hz, name), "no result is left for the ended submitter");
            try {
                hz.getQueue(name).destroy(); // the look itself made a proxy
            } catch (DistributedObjectDestroyedException e) {
                // the server's destroy raced with this look: gone already
            }
        } finally {
            EngineHooks.beforeSending = null;
            EngineHooks.afterSending = null;
            Jobs.open(101L);
            Jobs.open(102L);
            submitter.cancel();
            if (server != null) {
                server.cancel();
                assertTrue(server.await(Duration.ofSeconds(60)));
            }
            started.remove(101L);
            started.remove(102L);
            Jobs.GATES.remove(101L);
            Jobs.GATES.remove(102L);
        }
    }

    @Test
    @Timeout(120)
    void aSendThatFailsForOneSubmitterStillSendsTheOthersAndTheFailedResultsComeBack() throws Exception {
        IMap<Object, Object> started = startedJobs();
        // two submitters whose only workers are busy, so that their jobs run on the sender's workers (the results
        // of a member's own submitter are delivered in place, not sent); the failed send's results come back at
        // the next stall check
        Registered other = withStall(2_000, () -> startRegistered(1));
        other.pool().submit(501L, 0, "gate");
        awaitTrue(() -> started.containsKey(501L), "job 501 runs");
        Registered third = withStall(2_000, () -> startRegistered(1));
        third.pool().submit(505L, 0, "gate");
        awaitTrue(() -> started.containsKey(505L), "job 505 runs");
        Registered sender = startRegistered(3);
        String senderId = sender.id();
        AtomicInteger sends = new AtomicInteger();
        CountDownLatch holding = new CountDownLatch(1);
        AtomicReference<String> failedTo = new AtomicReference<>();
        AtomicReference<AssertionError> hookFailed = new AtomicReference<>();
        try {
            EngineHooks.beforeSending = (engine, to, waiting) -> {
                if (!engine.equals(senderId)) {
                    return;
                }
                int send = sends.incrementAndGet();
                if (send == 1) {
                    // job 502's result: hold the send lock until jobs 503 and 504 have left theirs in the outbox,
                    // so that the next send takes both, one for each submitter
                    holding.countDown();
                    try { // a failure here must reach the test, not end the worker
                        awaitTrue(() -> waiting.getAsInt() == 2, "jobs 503 and 504 wait in the outbox");
                    } catch (AssertionError e) {
                        hookFailed.set(e);
                    }
                } else if (send == 2) {
                    failedTo.set(to);
                    throw new IllegalStateException("forced: the send to " + to + " fails");
                }
            };
            other.pool().submit(502L, 0, "count");
            assertTrue(holding.await(60, TimeUnit.SECONDS), "job 502's result is being sent");
            third.pool().submit(503L, 0, "count");
            other.pool().submit(504L, 0, "count");
            awaitTrue(() -> sends.get() >= 3 || hookFailed.get() != null, "the batch's second send");
            if (hookFailed.get() != null) {
                throw hookFailed.get();
            }
            sender.pool().close(); // not before: a pool closed with no job pending lets its workers go
            Jobs.open(501L);
            Jobs.open(505L);
            other.pool().close();
            third.pool().close();
            Set<Long> thirdGot = new HashSet<>();
            third.pool().results().forEach(r -> assertTrue(thirdGot.add(r.job().id()), "one result: " + r));
            Set<Long> otherGot = new HashSet<>();
            other.pool().results().forEach(r -> assertTrue(otherGot.add(r.job().id()), "one result: " + r));
            assertEquals(Set.of(503L, 505L), thirdGot);
            assertEquals(Set.of(501L, 502L, 504L), otherGot);
            assertTrue(third.pool().await(Duration.ofSeconds(60)));
            assertTrue(other.pool().await(Duration.ofSeconds(60)));
            assertTrue(sender.pool().await(Duration.ofSeconds(60)));
            long sentLate = failedTo.get().equals(third.id()) ? 503L : 504L;
            long sentAtOnce = sentLate == 503L ? 504L : 503L;
            // the result whose send failed came back by running its job again; the other's job ran once
            assertEquals(1, Jobs.runs(sentAtOnce), "job " + sentAtOnce + " ran once");
            assertEquals(2, Jobs.runs(sentLate), "job " + sentLate + " ran again");
        } finally {
            EngineHooks.beforeSending = null;
            Jobs.open(501L);
            Jobs.open(505L);
            sender.pool().cancel();
            other.pool().cancel();
            third.pool().cancel();
            started.remove(501L);
            started.remove(505L);
            Jobs.GATES.remove(501L);
            Jobs.GATES.remove(505L);
        }
    }

    /**
     * A job that runs on its submitter's own member gives its result in place, without the cluster's results
     * queue; a copy of it run elsewhere meanwhile (it was queued again while the first worker seemed to hold
     * nothing) sends its result through the queue, and the submitter still gets exactly one result.
     */
    @Test
    @Timeout(120)
    void aJobRunOnItsSubmittersMemberAndElsewhereHasOneResultWhicheverWayEachCame() throws Exception {
        IMap<Object, Object> started = startedJobs();
        Registered registered = withStall(500, () -> startRegistered(1));
        JobsWorkPool pool = registered.pool();
        String id = registered.id();
        JobsWorkPool elsewhere = null;
        AtomicInteger takes = new AtomicInteger();
        CountDownLatch inFirstTake = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> sentTo = new CopyOnWriteArrayList<>();
        EngineHooks.afterTaking = taken -> {
            if (takes.incrementAndGet() == 1) { // the submitter's own worker: longer than a query waits for takes
                inFirstTake.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EngineHooks.beforeSending = (engine, to, waiting) -> sentTo.add(engine + "->" + to);
        try {
            pool.submit(701L, 0, "gate");
            assertTrue(inFirstTake.await(60, TimeUnit.SECONDS), "the submitter's worker takes job 701");
            // the submitter, without a result for 0.5 s, finds the job nowhere and queues it again
            elsewhere = JobsWorkPool.start(1, 1, backend);
            awaitTrue(() -> takes.get() == 2 && started.containsKey(701L), "the other pool's worker runs job 701");
            release.countDown();
            awaitTrue(() -> pool.stats().busyWorkers() == 1, "the submitter's own worker runs job 701 too");
            Jobs.open(701L); // both copies end at once
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(List.of(701L), results.stream().map(r -> r.job().id()).toList());
            assertTrue(pool.await(Duration.ofSeconds(60)));
            elsewhere.close();
            assertTrue(elsewhere.await(Duration.ofSeconds(60)));
            // the submitter's own worker delivered its copy's result in place (the other pool's copy sends its
            // result unless the submitter has ended by then)
            assertFalse(sentTo.contains(id + "->" + id), "the submitter's own worker sent to it: " + sentTo);
        } finally {
            EngineHooks.afterTaking = null;
            EngineHooks.beforeSending = null;
            release.countDown();
            Jobs.open(701L);
            pool.cancel();
            if (elsewhere != null) {
                elsewhere.cancel();
            }
            started.remove(701L);
            Jobs.GATES.remove(701L);
        }
    }

    @Test
    @Timeout(120)
    void aJobTakenButNotYetHeldWhenAReconciliationAsksIsNotQueuedAgain() throws Exception {
        // the reconciliation comes while the worker is between take and hold
        JobsWorkPool pool = withStall(500, () -> JobsWorkPool.start(1, 1, backend));
        CountDownLatch asked = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicBoolean askedInTheGap = new AtomicBoolean();
        EngineHooks.afterTaking = id -> {
            if (first.compareAndSet(true, false)) {
                try { // without the wait for takes under way, nobody asks: the job is queued again meanwhile
                    askedInTheGap.set(asked.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        EngineHooks.whileAwaitingTakes = asked::countDown;
        try {
            pool.submit(601L, 0, "count");
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(1, results.size(), String.valueOf(results));
            assertEquals(601L, results.get(0).job().id());
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(1, Jobs.runs(601L), "the job ran once");
            assertTrue(askedInTheGap.get(), "a reconciliation asked while the job was taken and not yet held");
        } finally {
            EngineHooks.afterTaking = null;
            EngineHooks.whileAwaitingTakes = null;
            pool.cancel();
        }
    }

    /**
     * As locally: {@code trySubmit(job)} never waits, so an interrupt status set before it neither refuses the job
     * nor is cleared; the timed {@code trySubmit} (a negative timeout too, which waits as long as zero) and
     * {@code submit} throw at once, not accepting the job.
     */
    @Test
    @Timeout(120)
    void anInterruptStatusSetBeforeTrySubmitIsLeftAloneAndTheWaitingFormsThrow() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend); // the buffer this cluster has for the pool
        try {
            Thread.currentThread().interrupt();
            assertTrue(pool.trySubmit(new JobsWorkPool.Job(301L, 0, "run")), "room, so accepted");
            assertTrue(Thread.interrupted(), "the interrupt status is still set (and now cleared)");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class,
                    () -> pool.trySubmit(new JobsWorkPool.Job(302L, 0, "run"), Duration.ofSeconds(1)));
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is thrown, not kept");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> pool.submit(303L, 0, "run"));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class,
                    () -> pool.trySubmit(new JobsWorkPool.Job(304L, 0, "run"), Duration.ofMillis(-1)),
                    "a negative timeout is the timed form's too");
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is thrown, not kept");
            pool.close();
            List<Long> ran = new ArrayList<>();
            pool.results().forEach(r -> ran.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(301L), ran);
            assertEquals(1, pool.stats().submitted());
        } finally {
            Thread.interrupted();
            pool.cancel();
        }
    }

    /**
     * Timeouts too long for a {@code long} of nanoseconds (and hugely negative ones) wait for ever (or not at all),
     * as on a local pool, rather than throwing {@code ArithmeticException} from {@code Duration.toNanos()}.
     */
    @Test
    @Timeout(120)
    void timeoutsTooLongForNanosecondsWaitForEverAsLocally() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            assertTrue(pool.trySubmit(new JobsWorkPool.Job(311L, 0, "run"), Duration.ofSeconds(Long.MAX_VALUE)));
            pool.close();
            List<Long> ran = new ArrayList<>();
            pool.results().forEach(r -> ran.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(Long.MAX_VALUE)), "terminated: no wait");
            assertTrue(pool.await(Duration.ofSeconds(Long.MIN_VALUE)), "terminated: no wait");
            assertEquals(List.of(311L), ran);
        } finally {
            pool.cancel();
        }
    }

    @Test
    @Timeout(120)
    void aSubmitInterruptedWhileTheQueueIsFullThrowsAndItsJobNeverRuns() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            pool.submit(201L, 0, "gate"); // keeps the only worker busy
            awaitTrue(() -> started.containsKey(201L), "job 201 runs");
            pool.submit(202L, 0, "run"); // fills the queue
            IQueue<Object> queue = hz.getQueue(JobsPlacement.current(hz, "JobsWorkPool"));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            CountDownLatch submitting = new CountDownLatch(1);
            Thread producer = new Thread(() -> {
                submitting.countDown();
                try {
                    pool.submit(203L, 0, "mark");
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            producer.start();
            assertTrue(submitting.await(30, TimeUnit.SECONDS));
            awaitWaitingForRoom(producer);
            producer.interrupt();
            producer.join(30_000);
            assertTrue(!producer.isAlive(), "an interrupt ends the wait for room within a slice");
            assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
            Jobs.open(201L); // room, at once
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(201L, 202L), results.stream().map(r -> r.job().id()).sorted().toList());
            assertTrue(!started.containsKey(203L), "the job whose submit threw never ran");
            assertTrue(!hz.getDistributedObjects().contains(queue), "the pool's last member destroyed the queue");
            assertEquals(2, pool.stats().submitted());
        } finally {
            Jobs.open(201L);
            pool.cancel();
            started.remove(201L);
            started.remove(203L);
            Jobs.GATES.remove(201L);
        }
    }

    /**
     * As locally: a timed {@code trySubmit} waits for room in the cluster-wide queue, and if none comes within its
     * timeout, returns false, the job not accepted (it never runs); {@code trySubmit(job)} refuses at once; with
     * room, a timed {@code trySubmit} accepts.
     */
    @Test
    @Timeout(120)
    void aTimedTrySubmitReturnsFalseWhenTheQueueStaysFullForItsTimeout() throws Exception {
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            pool.submit(211L, 0, "gate"); // keeps the only worker busy
            awaitTrue(() -> started.containsKey(211L), "job 211 runs");
            pool.submit(212L, 0, "run"); // fills the queue
            Duration timeout = Duration.ofMillis(300);
            long start = System.nanoTime();
            assertFalse(pool.trySubmit(new JobsWorkPool.Job(213L, 0, "mark"), timeout), "the queue is full");
            long waited = System.nanoTime() - start;
            assertTrue(waited >= timeout.toNanos(), "it waited its timeout first: " + waited + " ns");
            assertTrue(waited < TimeUnit.SECONDS.toNanos(30), "and no longer than a slice more: " + waited + " ns");
            assertFalse(pool.trySubmit(new JobsWorkPool.Job(214L, 0, "mark")), "refused at once");
            Jobs.open(211L); // the worker takes job 212: room
            assertTrue(pool.trySubmit(new JobsWorkPool.Job(215L, 0, "run"), Duration.ofSeconds(60)),
                    "accepted once there is room");
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(211L, 212L, 215L), ids.stream().sorted().toList());
            assertFalse(started.containsKey(213L) || started.containsKey(214L), "a refused job never ran");
            assertEquals(3, pool.stats().submitted());
        } finally {
            Jobs.open(211L);
            pool.cancel();
            List.of(211L, 213L, 214L).forEach(started::remove);
            Jobs.GATES.remove(211L);
        }
    }

    /**
     * A first submit waits for the members to agree on the jobs queue (the lock of the pool's choice,
     * {@link JobsPlacement}) no longer than its caller allows: a timed {@code trySubmit} returns false about its
     * timeout later, {@code trySubmit(job)} at once, an interrupted {@code submit} throws, and a {@code submit}
     * waiting as its pool closes throws {@link PoolClosedException}; none of their jobs is accepted, and a submit
     * once the lock is free is. Another submitter's deregistration holds the lock meanwhile, stopped under it by a
     * hook.
     */
    @Test
    @Timeout(180)
    void aFirstSubmitWaitsForTheChoiceOfJobsQueueNoLongerThanItsCallerAllows() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        JobsWorkPool closedWhileWaiting = JobsWorkPool.start(1, 1, backend);
        JobsWorkPool holder = JobsWorkPool.start(1, 1, backend);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlock = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        EngineHooks.afterPlacementCheck = (name, queue, dropped, keptFor) -> {
            if (first.compareAndSet(true, false)) { // the holder's deregistration, under the lock
                locked.countDown();
                try {
                    unlock.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Map<String, CountDownLatch> awaiting = new ConcurrentHashMap<>();
        EngineHooks.whileAwaitingPlacement = () -> {
            CountDownLatch latch = awaiting.get(Thread.currentThread().getName());
            if (latch != null) {
                latch.countDown();
            }
        };
        try {
            holder.close(); // nothing submitted: its part ends at once, and deregisters
            assertTrue(locked.await(60, TimeUnit.SECONDS), StartTest::threadDump);

            Duration timeout = Duration.ofMillis(300);
            AtomicReference<Object> timed = new AtomicReference<>();
            long start = System.nanoTime();
            awaitEnded(submitting("timed trySubmit", () -> pool.trySubmit(new JobsWorkPool.Job(241L, 0, "count"),
                    timeout), timed), "the timed trySubmit returns");
            long waited = System.nanoTime() - start;
            assertEquals(Boolean.FALSE, timed.get(), "no queue agreed on within its timeout");
            assertTrue(waited >= timeout.toNanos(), "it waited its timeout first: " + waited + " ns");
            assertTrue(waited < TimeUnit.SECONDS.toNanos(10), "about its timeout: " + waited + " ns");

            AtomicReference<Object> untimed = new AtomicReference<>();
            start = System.nanoTime();
            awaitEnded(submitting("trySubmit", () -> pool.trySubmit(new JobsWorkPool.Job(242L, 0, "count")),
                    untimed), "trySubmit(job) returns");
            waited = System.nanoTime() - start;
            assertEquals(Boolean.FALSE, untimed.get(), "refused without waiting");
            assertTrue(waited < TimeUnit.SECONDS.toNanos(10), "at once: " + waited + " ns");

            awaiting.put("interrupted submit", new CountDownLatch(1));
            AtomicReference<Object> interrupted = new AtomicReference<>();
            Thread submit = submitting("interrupted submit", () -> {
                pool.submit(243L, 0, "count");
                return null;
            }, interrupted);
            assertTrue(awaiting.get("interrupted submit").await(60, TimeUnit.SECONDS), StartTest::threadDump);
            submit.interrupt();
            awaitEnded(submit, "the interrupted submit returns");
            assertTrue(interrupted.get() instanceof InterruptedException, String.valueOf(interrupted.get()));

            awaiting.put("submit as its pool closes", new CountDownLatch(1));
            AtomicReference<Object> closing = new AtomicReference<>();
            submit = submitting("submit as its pool closes", () -> {
                closedWhileWaiting.submit(244L, 0, "count");
                return null;
            }, closing);
            assertTrue(awaiting.get("submit as its pool closes").await(60, TimeUnit.SECONDS), StartTest::threadDump);
            closedWhileWaiting.close();
            awaitEnded(submit, "the submit waiting as its pool closes returns");
            assertTrue(closing.get() instanceof PoolClosedException, String.valueOf(closing.get()));

            unlock.countDown();
            pool.submit(245L, 0, "count");
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(245L), ids);
            assertEquals(1, pool.stats().submitted());
            assertFalse(closedWhileWaiting.results().iterator().hasNext(), "no job accepted");
            assertTrue(closedWhileWaiting.await(Duration.ofSeconds(60)));
            assertTrue(holder.await(Duration.ofSeconds(60)));
            for (long id = 241; id <= 244; id++) {
                assertEquals(0, Jobs.runs(id), "refused job " + id + " never ran");
            }
            assertEquals(1, Jobs.runs(245L));
        } finally {
            unlock.countDown();
            pool.cancel();
            closedWhileWaiting.cancel();
            holder.cancel();
        }
    }

    /**
     * A {@code submit} that cannot have the lock of the members' choice of jobs queue within its
     * {@value JobsPlacement#LOCK_SECONDS} s (held elsewhere: by the test's thread) throws an
     * {@link IllegalStateException} that names the pool once (before the fix the name came twice: the submit's
     * message, then the lock's, each after the name); its job is not accepted and never runs.
     */
    @Test
    @Timeout(180)
    void aFirstSubmitThatCannotHaveTheChoicesLockFailsNamingThePoolOnce() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        IMap<String, String> placement = backend.hazelcast().getMap(JobsPlacement.mapName("JobsWorkPool"));
        try {
            placement.lock(JobsPlacement.KEY, 120, TimeUnit.SECONDS);
            AtomicReference<Object> outcome = new AtomicReference<>();
            try {
                Thread submit = submitting("submit", () -> {
                    pool.submit(251L, 0, "count");
                    return null;
                }, outcome);
                submit.join(TimeUnit.SECONDS.toMillis(JobsPlacement.LOCK_SECONDS + 60));
                if (submit.isAlive()) {
                    throw new AssertionError("the submit did not end within " + (JobsPlacement.LOCK_SECONDS + 60)
                            + " s\n" + threadDump());
                }
            } finally {
                placement.unlock(JobsPlacement.KEY);
            }
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get());
            assertEquals("JobsWorkPool: the cluster did not take the job, which was not accepted: the lock of the "
                    + "pool's choice of jobs queue was not had within 30 s", e.getMessage());
            assertEquals(0, pool.stats().submitted());
            pool.close();
            assertFalse(pool.results().iterator().hasNext(), "no job accepted");
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(0, Jobs.runs(251L), "the refused job never ran");
        } finally {
            pool.cancel();
        }
    }

    /**
     * A serving member's maintenance thread reads a new choice of jobs queue under the choice's lock, but does not
     * wait long for it: while another submitter's deregistration, which dropped the choice, holds the lock, the
     * thread still does its other work at once (here, the cleanup after members that left), and the member
     * follows the drop once the lock is free.
     */
    @Test
    @Timeout(180)
    void aServingMembersReadOfTheChoiceDoesNotHoldUpItsMaintenanceThreadWhileTheLockIsHeld() throws Exception {
        Set<HazelcastEngine<?, ?, ?>> earlier = new HashSet<>(backend.engines().toList());
        JobsWorkPool serving = JobsWorkPool.start(1, 1, backend); // never submits: it follows the choice
        HazelcastEngine<?, ?, ?> engine = backend.engines().filter(e -> !earlier.contains(e)).findFirst()
                .orElseThrow();
        JobsWorkPool holder = JobsWorkPool.start(1, 1, backend);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch unlock = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        EngineHooks.afterPlacementCheck = (name, queue, dropped, keptFor) -> {
            if (first.compareAndSet(true, false)) { // the holder's deregistration, under the lock
                locked.countDown();
                try {
                    unlock.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CountDownLatch cameToTheLock = new CountDownLatch(1);
        EngineHooks.whileAwaitingPlacement = () -> {
            if (Thread.currentThread().getName().endsWith("-reconcile")) {
                cameToTheLock.countDown();
            }
        };
        Set<String> cleanedUp = ConcurrentHashMap.newKeySet();
        EngineHooks.afterMemberCleanup = cleanedUp::add;
        try {
            holder.submit(261L, 0, "count"); // picks the queue, which the serving pool follows
            String queue = JobsPlacement.current(backend.hazelcast(), "JobsWorkPool");
            awaitTrue(() -> queue.equals(engine.jobsQueueName()), "the serving pool follows " + queue);
            assertEquals(261L, holder.results().iterator().next().job().id());
            holder.close(); // the queue is empty, and nobody else submits: the deregistration drops the choice
            assertTrue(locked.await(60, TimeUnit.SECONDS), StartTest::threadDump);
            assertNull(JobsPlacement.current(backend.hazelcast(), "JobsWorkPool"), "dropped, under the lock");
            // members leave, one after another: each cleanup runs at once, also after the read came to the lock
            long heldSince = System.nanoTime();
            long deadline = heldSince + TimeUnit.SECONDS.toNanos(60);
            boolean afterTheLock = false;
            while (!afterTheLock) {
                afterTheLock = cameToTheLock.getCount() == 0;
                String member = UUID.randomUUID().toString();
                engine.memberRemoved(UUID.fromString(member));
                long asked = System.nanoTime();
                while (!cleanedUp.contains(member)) {
                    if (System.nanoTime() - asked > TimeUnit.SECONDS.toNanos(10)) {
                        throw new AssertionError("the cleanup after a member that left waited more than 10 s "
                                + "(the lock held for " + Duration.ofNanos(asked - heldSince) + ")\n"
                                + threadDump());
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("the maintenance thread never came to the lock\n" + threadDump());
                }
            }
            unlock.countDown();
            awaitTrue(() -> engine.jobsQueueName() == null, "the serving pool follows the drop");
            assertTrue(holder.await(Duration.ofSeconds(60)));
            serving.close();
            assertTrue(serving.await(Duration.ofSeconds(60)));
            assertEquals(1, Jobs.runs(261L));
        } finally {
            unlock.countDown();
            holder.cancel();
            serving.cancel();
        }
    }

    /**
     * The cleanup after a member that left checks the pool's choice of jobs queue under the choice's lock, but does
     * not wait long for it: while the lock is held elsewhere, the reconciliation that follows runs at once, and the
     * check, tried again, is made once the lock is free (here, it forgets the dead member's submitter as submitting
     * to the queue, and keeps the choice, which the pool still uses).
     */
    @Test
    @Timeout(180)
    void theReconciliationAfterAMemberLeftRunsWhileTheChoiceIsLockedAndTheCheckFollowsOnceItIsFree()
            throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        Set<HazelcastEngine<?, ?, ?>> earlier = new HashSet<>(backend.engines().toList());
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        HazelcastEngine<?, ?, ?> engine = backend.engines().filter(e -> !earlier.contains(e)).findFirst()
                .orElseThrow();
        IMap<String, String> placement = hz.getMap(JobsPlacement.mapName("JobsWorkPool"));
        IMap<String, String> submitters = hz.getMap(SUBMITTERS);
        String dead = UUID.randomUUID().toString();
        String ghost = UUID.randomUUID().toString(); // the dead member's submitter
        String submitting = JobsPlacement.SUBMITTING + ghost;
        CountDownLatch reconciled = new CountDownLatch(1);
        AtomicReference<Set<Long>> lost = new AtomicReference<>();
        EngineHooks.beforeRequeuing = seqs -> {
            lost.compareAndSet(null, seqs);
            reconciled.countDown();
        };
        CountDownLatch cameToTheLock = new CountDownLatch(1);
        EngineHooks.whileAwaitingPlacement = () -> {
            if (Thread.currentThread().getName().endsWith("-reconcile")) {
                cameToTheLock.countDown();
            }
        };
        boolean locked = false;
        try {
            pool.submit(311L, 0, "gate"); // pending, and held by the pool's worker
            awaitTrue(() -> started.containsKey(311L), "job 311 runs");
            String queue = JobsPlacement.current(hz, "JobsWorkPool");
            submitters.set(ghost, "open:" + dead); // as the dead member's pool registered, and submitted
            placement.set(submitting, queue);
            placement.lock(JobsPlacement.KEY, 120, TimeUnit.SECONDS); // held elsewhere: by this thread
            locked = true;
            engine.memberRemoved(UUID.fromString(dead));
            // waited up to 30 s for the lock before the fix
            assertTrue(reconciled.await(10, TimeUnit.SECONDS), () -> "the reconciliation after the member left "
                    + "did not run within 10 s while the choice's lock was held\n" + threadDump());
            assertEquals(0, cameToTheLock.getCount(), "the maintenance thread came to the lock first");
            assertEquals(Set.of(), lost.get(), "job 311 is held by its worker");
            assertFalse(submitters.containsKey(ghost), "the dead member's submitter is forgotten");
            assertTrue(placement.containsKey(submitting), "not checked while the lock is held");
            placement.unlock(JobsPlacement.KEY);
            locked = false;
            awaitTrue(() -> !placement.containsKey(submitting), "the check, tried again once the lock is free, "
                    + "forgets the dead member's submitter as submitting");
            assertEquals(queue, JobsPlacement.current(hz, "JobsWorkPool"), "the choice stays: the pool uses it");
            Jobs.open(311L);
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(311L), ids, "one result");
        } finally {
            if (locked) {
                placement.unlock(JobsPlacement.KEY);
            }
            Jobs.open(311L);
            pool.cancel();
            submitters.delete(ghost);
            placement.delete(submitting);
            started.remove(311L);
            Jobs.GATES.remove(311L);
        }
    }

    /**
     * A pool's start waits for the lock of the members' choice of jobs queue, as it registers, no longer than its
     * backend's timeout (the builder's): while the lock is held elsewhere, start fails with an
     * {@link IllegalStateException} naming the pool, and leaves nothing registered or listening; once the lock is
     * free, the pool starts and runs a job.
     */
    @Test
    @Timeout(180)
    void aStartThatCannotHaveTheChoicesLockWithinTheBackendsTimeoutFailsNamingThePoolAndLeavesNothing()
            throws Exception {
        int port = MemberProcesses.freePort();
        Duration timeout = Duration.ofSeconds(3);
        try (HazelcastBackend quick = HazelcastBackend.builder().cluster("wp-quick-" + port)
                .address("127.0.0.1", port).timeout(timeout).start()) {
            HazelcastInstance hz = quick.hazelcast();
            IMap<String, String> placement = hz.getMap(JobsPlacement.mapName("JobsWorkPool"));
            IMap<String, String> submitters = hz.getMap(SUBMITTERS);
            int[] listeners = {mapListeners(hz, SUBMITTERS), mapListeners(hz, placement.getName())};
            placement.lock(JobsPlacement.KEY, 120, TimeUnit.SECONDS); // held elsewhere: by this thread
            try {
                AtomicReference<Object> outcome = new AtomicReference<>();
                long start = System.nanoTime();
                // before the fix: 30 s for the lock, and 30 s more for it as the failed start cleaned up
                awaitEnded(submitting("start", () -> JobsWorkPool.start(1, 1, quick), outcome), "start fails");
                long took = System.nanoTime() - start;
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get());
                assertTrue(e.getMessage().startsWith("JobsWorkPool: start did not register the pool"), e.getMessage());
                assertTrue(e.getMessage().endsWith("): the lock of the pool's choice of jobs queue was not had within "
                        + "3 s"), e.getMessage());
                assertEquals(e.getMessage().indexOf("JobsWorkPool"), e.getMessage().lastIndexOf("JobsWorkPool"),
                        "the pool named once: " + e.getMessage());
                assertTrue(took >= timeout.toNanos(), "it waited the backend's timeout: " + took + " ns");
                assertTrue(took < TimeUnit.SECONDS.toNanos(15), "about the backend's timeout: " + took + " ns");
                assertTrue(submitters.isEmpty(), () -> "registered: " + submitters.entrySet());
                assertEquals(0, quick.engines().count(), "no engine left on the backend");
                assertEquals(listeners[0], mapListeners(hz, SUBMITTERS), "no listener left on the submitters");
                assertEquals(listeners[1], mapListeners(hz, placement.getName()), "no listener left on the choice");
            } finally {
                placement.unlock(JobsPlacement.KEY);
            }
            JobsWorkPool pool = JobsWorkPool.start(1, 1, quick);
            try {
                pool.submit(321L, 0, "run");
                pool.close();
                List<Long> ids = new ArrayList<>();
                pool.results().forEach(r -> ids.add(r.job().id()));
                assertEquals(List.of(321L), ids);
                assertTrue(pool.await(Duration.ofSeconds(60)));
            } finally {
                pool.cancel();
            }
        }
    }

    /**
     * A start that fails after it registered (forced in hook {@code afterRegistering}) while another thread holds the
     * lock of the choice of jobs queue (as a member that starts, ends or first submits does for moments, or one that
     * stalls, for longer) throws its failure within seconds, and leaves nothing registered or listening; a pool of
     * the same name that runs meanwhile keeps its jobs queue and runs on.
     */
    @Test
    @Timeout(180)
    void aStartThatFailsAfterRegisteringThrowsPromptlyAndLeavesNothingWhileTheChoicesLockIsHeld() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<String, String> placement = hz.getMap(JobsPlacement.mapName("JobsWorkPool"));
        IMap<String, String> submitters = hz.getMap(SUBMITTERS);
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            placement.lock(JobsPlacement.KEY, 120, TimeUnit.SECONDS);
            try {
                locked.countDown();
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                placement.unlock(JobsPlacement.KEY);
            }
        }, "lock holder");
        JobsWorkPool running = JobsWorkPool.start(1, 1, backend);
        try {
            running.submit(351L, 0, "run"); // it picks the jobs queue
            String queue = JobsPlacement.current(hz, "JobsWorkPool");
            Set<String> registered = new HashSet<>(submitters.keySet());
            int[] listeners = {mapListeners(hz, SUBMITTERS), mapListeners(hz, placement.getName())};
            long engines = backend.engines().count();
            EngineHooks.afterRegistering = () -> {
                holder.start();
                try {
                    assertTrue(locked.await(60, TimeUnit.SECONDS), StartTest::threadDump);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                throw new IllegalStateException("forced after registering");
            };
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread starting = submitting("start", () -> JobsWorkPool.start(1, 1, backend), outcome);
            assertTrue(locked.await(60, TimeUnit.SECONDS), StartTest::threadDump);
            long start = System.nanoTime();
            awaitEnded(starting, "start fails");
            long took = System.nanoTime() - start;
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get());
            assertEquals("forced after registering", e.getMessage());
            // before the fix: 30 s, its cleanup waiting for the lock to check the choice
            assertTrue(took < TimeUnit.SECONDS.toNanos(5), "failed promptly: " + took + " ns\n" + threadDump());
            assertEquals(registered, submitters.keySet(), "nothing registered");
            assertEquals(engines, backend.engines().count(), "no engine left on the backend");
            assertEquals(listeners[0], mapListeners(hz, SUBMITTERS), "no listener left on the submitters");
            assertEquals(listeners[1], mapListeners(hz, placement.getName()), "no listener left on the choice");
            release.countDown();
            awaitEnded(holder, "the lock is released");
            assertEquals(queue, JobsPlacement.current(hz, "JobsWorkPool"), "the running pool's queue is kept");
            running.submit(352L, 0, "run");
            running.close();
            Set<Long> ids = new HashSet<>();
            running.results().forEach(r -> ids.add(r.job().id()));
            assertEquals(Set.of(351L, 352L), ids);
            assertTrue(running.await(Duration.ofSeconds(60)));
        } finally {
            release.countDown();
            running.cancel();
        }
    }

    /**
     * A start that a cluster operation fails (Hazelcast's exception forced in hook {@code afterRegistering}) throws
     * an {@link IllegalStateException} naming the pool once, Hazelcast's exception its cause, as a submit does, and
     * leaves nothing registered (Hazelcast's own exception, which names no pool, reached the caller before the fix).
     */
    @Test
    @Timeout(120)
    void aStartThatAClusterOperationFailsThrowsAnIllegalStateExceptionNamingThePool() {
        IMap<String, String> submitters = backend.hazelcast().getMap(SUBMITTERS);
        Set<String> registered = new HashSet<>(submitters.keySet());
        long engines = backend.engines().count();
        OperationTimeoutException forced = new OperationTimeoutException("forced after registering");
        EngineHooks.afterRegistering = () -> {
            throw forced;
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobsWorkPool.start(1, 1, backend));
        assertEquals("JobsWorkPool: a cluster operation failed the start, which left nothing registered: "
                + "com.hazelcast.core.OperationTimeoutException: forced after registering", e.getMessage());
        assertSame(forced, e.getCause());
        assertEquals(registered, submitters.keySet(), "nothing registered");
        assertEquals(engines, backend.engines().count(), "no engine left on the backend");
    }

    /**
     * A thread factory that returns null, or throws, for a worker's thread fails the start with the local pool's
     * words, naming the worker (the first of a pool's workers is 1), what it threw as the cause; nothing is left on
     * the backend. Before the fix a null named no worker, and what the factory threw came out as it was.
     */
    @Test
    void aThreadFactoryThatFailsAWorkersThreadFailsStartNamingTheWorkerAsLocally() {
        long engines = backend.engines().count();
        AtomicInteger calls = new AtomicInteger();
        PoolOptions returnsNull = PoolOptions.DEFAULT.withThreadFactory(r -> calls.incrementAndGet() == 2
                ? null : new Thread(r));
        IllegalStateException nulled = assertThrows(IllegalStateException.class, () -> backend.start("NullFactory",
                returnsNull, 3, 8, job -> "x", PlacementTest::describe, PlacementTest.LONG_TO_STRING));
        assertEquals("NullFactory: the thread factory returned null for worker thread 2", nulled.getMessage());
        IllegalStateException refused = new IllegalStateException("no more threads");
        PoolOptions throwing = PoolOptions.DEFAULT.withThreadFactory(r -> {
            throw refused;
        });
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> backend.start(
                "ThrowingFactory", throwing, 3, 8, job -> "x", PlacementTest::describe, PlacementTest.LONG_TO_STRING));
        assertEquals("ThrowingFactory: the thread factory failed to make worker thread 1", failed.getMessage());
        assertSame(refused, failed.getCause());
        assertEquals(engines, backend.engines().count(), "no engine left on the backend");
    }

    /**
     * A start whose thread cannot be started (forced in hook {@code beforeStartingThread}, as a JVM out of native
     * threads fails it) at its second worker, and at its receiver after every worker started, throws that error and
     * leaves nothing registered or listening, and the threads it had started end; then the pool starts and runs a
     * job. Before the fix the registration and the listeners stayed, and the started workers ran
     * on (not ended within 30 s).
     */
    @Test
    @Timeout(180)
    void aStartWhoseThreadCannotBeStartedThrowsAndLeavesNothingRegisteredListeningOrRunning() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<String, String> placement = hz.getMap(JobsPlacement.mapName("JobsWorkPool"));
        IMap<String, String> submitters = hz.getMap(SUBMITTERS);
        for (String failing : List.of("JobsWorkPool-worker-2", "JobsWorkPool-receiver")) {
            Set<String> registered = new HashSet<>(submitters.keySet());
            int[] listeners = {mapListeners(hz, SUBMITTERS), mapListeners(hz, placement.getName())};
            long engines = backend.engines().count();
            List<Thread> started = new CopyOnWriteArrayList<>();
            OutOfMemoryError forced = new OutOfMemoryError("unable to create native thread: forced at " + failing);
            EngineHooks.beforeStartingThread = thread -> {
                if (thread.getName().equals(failing)) {
                    throw forced;
                }
                started.add(thread);
            };
            AtomicReference<Object> outcome = new AtomicReference<>();
            awaitEnded(submitting("start", () -> JobsWorkPool.start(2, 1, backend), outcome), "start fails");
            EngineHooks.beforeStartingThread = null;
            assertEquals(forced, outcome.get(), "start throws the thread's failure");
            assertFalse(started.isEmpty(), "a thread was started before the failure");
            for (Thread thread : started) {
                awaitEnded(thread, failing + ": the started thread " + thread.getName() + " ends");
            }
            assertEquals(registered, submitters.keySet(), failing + ": nothing registered");
            assertEquals(engines, backend.engines().count(), failing + ": no engine left on the backend");
            assertEquals(listeners[0], mapListeners(hz, SUBMITTERS), failing + ": no listener left on the submitters");
            assertEquals(listeners[1], mapListeners(hz, placement.getName()), failing + ": no listener on the choice");
        }
        JobsWorkPool pool = JobsWorkPool.start(2, 1, backend);
        try {
            pool.submit(361L, 0, "run");
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertEquals(List.of(361L), ids);
            assertTrue(pool.await(Duration.ofSeconds(60)));
        } finally {
            pool.cancel();
        }
    }

    /** How many listeners are registered on the map {@code map} of this one-member cluster. */
    private static int mapListeners(HazelcastInstance hz, String map) {
        return ((HazelcastInstanceProxy) hz).getOriginal().node.getNodeEngine().getEventService()
                .getRegistrations(MapService.SERVICE_NAME, map).size();
    }

    /**
     * Starts a thread named {@code name} that calls {@code submit} once and keeps what it returns, or what it
     * throws, in {@code outcome}.
     */
    private static Thread submitting(String name, Callable<?> submit, AtomicReference<Object> outcome) {
        Thread thread = new Thread(() -> {
            try {
                outcome.set(submit.call());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, name);
        thread.start();
        return thread;
    }

    /**
     * As locally: {@code close()} ends intake. A {@code submit} waiting for room as the pool closes throws
     * {@link PoolClosedException}, its job not accepted; {@code submit} and both {@code trySubmit} forms after
     * {@code close()} throw it too, also with room in the queue; the jobs accepted before still run.
     */
    @Test
    @Timeout(120)
    void aSubmitWaitingAsThePoolClosesAndEverySubmitAfterCloseThrowPoolClosedException() throws Exception {
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            pool.submit(221L, 0, "gate"); // keeps the only worker busy
            awaitTrue(() -> started.containsKey(221L), "job 221 runs");
            pool.submit(222L, 0, "gate"); // fills the queue
            AtomicReference<Object> thrown = new AtomicReference<>();
            Thread producer = waitingForRoom("producer", () -> {
                pool.submit(223L, 0, "mark");
                return null;
            }, thrown);
            pool.close();
            producer.join(30_000);
            assertFalse(producer.isAlive(), "close ends the wait for room within a slice");
            assertTrue(thrown.get() instanceof PoolClosedException, String.valueOf(thrown.get()));
            assertEquals("JobsWorkPool is closed", ((PoolClosedException) thrown.get()).getMessage());
            Jobs.open(221L); // the worker takes job 222, which keeps the pool running with room in the queue
            awaitTrue(() -> started.containsKey(222L), "job 222 runs");
            assertThrows(PoolClosedException.class, () -> pool.submit(224L, 0, "mark"));
            assertThrows(PoolClosedException.class, () -> pool.trySubmit(new JobsWorkPool.Job(225L, 0, "mark")));
            assertThrows(PoolClosedException.class,
                    () -> pool.trySubmit(new JobsWorkPool.Job(226L, 0, "mark"), Duration.ofSeconds(1)));
            Jobs.open(222L);
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(221L, 222L), ids.stream().sorted().toList());
            assertTrue(LongStream.rangeClosed(223, 226).noneMatch(started::containsKey), "a refused job never ran");
            assertEquals(2, pool.stats().submitted());
        } finally {
            Jobs.open(221L);
            Jobs.open(222L);
            pool.cancel();
            LongStream.rangeClosed(221, 226).forEach(started::remove);
            Jobs.GATES.remove(221L);
            Jobs.GATES.remove(222L);
        }
    }

    /**
     * A job whose submit still waits for room in the queue is not lost: a reconciliation (here after a stall of
     * 300 ms with no result) must leave it alone. Before, it counted such a job as found nowhere and put it in the
     * queue itself, so that a blocking {@code submit} ran its job twice and a timed {@code trySubmit} that returned
     * false ran its job anyway.
     */
    @Test
    @Timeout(120)
    void aReconciliationLeavesAJobWhoseSubmitWaitsForRoomToThatSubmit() throws Exception {
        IMap<Object, Object> started = startedJobs();
        List<Set<Long>> requeued = new CopyOnWriteArrayList<>();
        EngineHooks.beforeRequeuing = requeued::add;
        JobsWorkPool pool = withStall(300, () -> JobsWorkPool.start(1, 1, backend));
        try {
            pool.submit(291L, 0, "gate"); // keeps the only worker busy: no result comes, so the pool stalls
            awaitTrue(() -> started.containsKey(291L), "job 291 runs");
            pool.submit(292L, 0, "count"); // fills the queue
            AtomicReference<Object> offered = new AtomicReference<>();
            Thread refused = waitingForRoom("timed producer",
                    () -> pool.trySubmit(new JobsWorkPool.Job(293L, 0, "count"), Duration.ofSeconds(3)), offered);
            int before = requeued.size();
            awaitTrue(() -> requeued.size() > before + 1 || !refused.isAlive()
                    || requeued.stream().anyMatch(lost -> !lost.isEmpty()), "two reconciliations in the wait");
            assertTrue(requeued.stream().allMatch(Set::isEmpty), "what the reconciliations put back: " + requeued);
            assertTrue(refused.isAlive(), "the reconciliations came while trySubmit waited");
            refused.join(30_000);
            assertEquals(Boolean.FALSE, offered.get(), "the queue stayed full for the timeout");

            AtomicReference<Object> submitted = new AtomicReference<>();
            Thread producer = waitingForRoom("producer", () -> {
                pool.submit(294L, 0, "count");
                return null;
            }, submitted);
            int then = requeued.size();
            awaitTrue(() -> requeued.size() > then + 1, "two reconciliations while submit waits");
            assertTrue(requeued.stream().allMatch(Set::isEmpty), "what the reconciliations put back: " + requeued);
            Jobs.open(291L);
            producer.join(30_000);
            assertFalse(producer.isAlive(), "submit found room");
            assertNull(submitted.get(), "submit returned normally");
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(291L, 292L, 294L), ids.stream().sorted().toList());
            assertEquals(0, Jobs.runs(293L), "the job trySubmit refused never ran");
            assertEquals(1, Jobs.runs(294L), "the job submit waited with ran once");
            assertEquals(1, Jobs.runs(292L));
        } finally {
            Jobs.open(291L);
            pool.cancel();
            started.remove(291L);
            Jobs.GATES.remove(291L);
        }
    }

    /**
     * A reconciliation that finds a job lost while the jobs queue is full does not wait for room on the
     * maintenance thread: it keeps the job and puts it back once there is room, and meanwhile the thread does its
     * other work (here, the next reconciliation, which finds the same job lost and does not put it twice). The
     * lost job runs once, and every job has one result.
     */
    @Test
    @Timeout(180)
    void aReconciliationThatFindsTheQueueFullKeepsTheLostJobWithoutHoldingUpTheMaintenanceThread()
            throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        CountDownLatch receive = new CountDownLatch(1);
        // the receiver, which has the stalled submitter reconcile, waits until the job is lost and the queue full
        EngineHooks.beforeReceiving = pool -> {
            try {
                receive.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        List<Set<Long>> requeued = new CopyOnWriteArrayList<>();
        EngineHooks.beforeRequeuing = requeued::add;
        JobsWorkPool pool = withStall(300, () -> JobsWorkPool.start(1, 1, backend));
        try {
            pool.submit(251L, 0, "gate"); // keeps the only worker busy: no result comes, so the pool stalls
            awaitTrue(() -> started.containsKey(251L), "job 251 runs");
            pool.submit(252L, 0, "count"); // fills the queue
            IQueue<Object> queue = hz.getQueue(JobsPlacement.current(hz, "JobsWorkPool"));
            assertTrue(queue.poll() != null, "job 252 taken away: lost, as a member's death may lose it");
            pool.submit(253L, 0, "count"); // fills the queue again
            receive.countDown();
            awaitTrue(() -> requeued.size() >= 2, "a second reconciliation while the queue stays full");
            // sequence numbers: job 252 is the pool's second
            assertTrue(requeued.stream().allMatch(Set.of(2L)::equals), "found lost: " + requeued);
            assertEquals(1, queue.size(), "the queue is full");
            assertEquals(0, Jobs.runs(252L), "not put back yet: no room");
            Jobs.open(251L); // room
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(251L, 252L, 253L), ids.stream().sorted().toList());
            assertEquals(1, Jobs.runs(252L), "the lost job ran once, once there was room");
            assertEquals(1, Jobs.runs(253L));
            assertEquals(3, pool.stats().submitted());
        } finally {
            receive.countDown();
            Jobs.open(251L);
            pool.cancel();
            started.remove(251L);
            Jobs.GATES.remove(251L);
        }
    }

    /**
     * {@code stats()} on a pool whose part has ended (a metrics binding may call it on every scrape) does not look
     * at the jobs queue the pool destroyed as it ended: a look through the queue's proxy would make the queue's
     * storage again, on its partition's owner, where no {@code getDistributedObjects()} lists it.
     */
    @Test
    @Timeout(60)
    void statsAfterThePoolEndedDoesNotMakeItsDestroyedJobsQueueAgain() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            pool.submit(231L, 0, "run");
            String queue = JobsPlacement.current(hz, "JobsWorkPool");
            assertTrue(queue != null && hasQueueStorage(hz, queue), "the pool's jobs queue " + queue);
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Duration.ofSeconds(30)));
            awaitTrue(() -> !hasQueueStorage(hz, queue), "the ended pool destroyed " + queue);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, pool.stats().queuedJobs());
            }
            assertFalse(hasQueueStorage(hz, queue), "stats() made " + queue + " again");
            assertEquals(1, pool.stats().submitted());
        } finally {
            pool.cancel();
        }
    }

    /**
     * A pool with a buffer of 0 reads as a local one does ({@link PoolStats}): no job queued and a high-water mark of
     * 0, also while the cluster's queue, which serves that buffer as 1, holds a job for its busy worker; that job's
     * submit has returned, so it counts as submitted.
     */
    @Test
    @Timeout(120)
    void anUnbufferedPoolReadsNoQueuedJobWhileTheClustersQueueHoldsOne() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        JobsUnbufferedPool pool = JobsUnbufferedPool.start(backend);
        try {
            pool.submit(341L, 0, "gate"); // its only worker runs it
            awaitTrue(() -> started.containsKey(341L), "job 341 runs");
            pool.submit(342L, 0, "run"); // accepted into the queue of one, where it waits for the worker
            String queue = JobsPlacement.current(hz, "JobsUnbufferedPool");
            assertEquals(1, hz.getQueue(queue).size(), "job 342 waits in " + queue);
            PoolStats waiting = pool.stats();
            assertEquals(0, waiting.buffer(), waiting.toString());
            assertEquals(0, waiting.queuedJobs(), "always 0 with a buffer of 0: " + waiting);
            assertEquals(0, waiting.queueHighWaterMark(), "never over the buffer: " + waiting);
            assertEquals(2, waiting.submitted(), waiting.toString());
            assertEquals(1, waiting.busyWorkers(), waiting.toString());
            Jobs.open(341L);
            pool.close();
            Set<Long> ids = new HashSet<>();
            pool.results().forEach(r -> ids.add(r.job().id()));
            assertEquals(Set.of(341L, 342L), ids);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            PoolStats ended = pool.stats();
            assertEquals(0, ended.queueHighWaterMark(), ended.toString());
            assertEquals(2, ended.completed(), ended.toString());
        } finally {
            Jobs.open(341L);
            pool.cancel();
            started.remove(341L);
            Jobs.GATES.remove(341L);
        }
    }

    /** Whether this member holds storage of the queue {@code name} (a proxy is not needed: none is made). */
    static boolean hasQueueStorage(HazelcastInstance hz, String name) {
        QueueService queues = ((HazelcastInstanceProxy) hz).getOriginal().node.getNodeEngine()
                .getService(QueueService.SERVICE_NAME);
        return queues.containsQueue(name);
    }

    @Test
    @Timeout(60)
    void aPoolStartedWithAnotherBufferThanTheClustersIsRefusedNamingBoth() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend); // every test here uses a buffer of 1
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> JobsWorkPool.start(1, 5, backend));
            assertTrue(e.getMessage().contains("workerpool.JobsWorkPool.jobs"), e.getMessage());
            assertTrue(e.getMessage().contains("a buffer of 5"), e.getMessage());
            assertTrue(e.getMessage().contains("maxSize=1"), e.getMessage());
            pool.close();
            assertTrue(pool.await(Duration.ofSeconds(30)), "the running pool is not disturbed");
        } finally {
            pool.cancel();
        }
    }

    @Test
    @Timeout(60)
    void aJobLostWithoutAMemberLeavingIsQueuedAgainOnceTheSubmitterHasHadNoResultForAWhile() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = withStall(500, () -> JobsWorkPool.start(1, 1, backend));
        try {
            pool.submit(401L, 0, "gate"); // keeps the only worker busy
            awaitTrue(() -> started.containsKey(401L), "job 401 runs");
            pool.submit(402L, 0, "run");
            // lost as a member that dies before its queue's backup is made would lose it, but no member leaves
            assertTrue(hz.getQueue(JobsPlacement.current(hz, "JobsWorkPool")).remove() != null, "job 402 taken away");
            Jobs.open(401L);
            pool.close();
            List<Long> ids = new ArrayList<>();
            pool.results().forEach(r -> ids.add(r.job().id())); // hung before: job 402 was found nowhere, ever
            assertEquals(List.of(401L, 402L), ids.stream().sorted().toList());
            assertTrue(pool.await(Duration.ofSeconds(60)));
        } finally {
            Jobs.open(401L);
            pool.cancel();
            started.remove(401L);
            Jobs.GATES.remove(401L);
        }
    }

    /**
     * {@code failFast} per submitter: a job's failure cancels the submitter, which interrupts its job running on
     * a member, reports the failure, and refuses further jobs.
     */
    @Test
    @Timeout(120)
    void failFastCancelsTheSubmittersRunningJobsOnItsFirstFailure() throws Exception {
        IMap<Object, Object> started = startedJobs();
        JobsFailingPool pool = JobsFailingPool.start(backend);
        try {
            pool.submit(501L, 0, "block"); // waits until interrupted
            awaitTrue(() -> started.containsKey(501L), "job 501 runs");
            pool.submit(502L, 0, "fail");
            Map<Long, Throwable> errors = new HashMap<>();
            for (JobsFailingPool.Result r : pool.results()) {
                errors.put(r.job().id(), r.error());
            }
            dev.workerpool.runtime.PoolFailedException failed = assertThrows(
                    dev.workerpool.runtime.PoolFailedException.class, () -> pool.await(Duration.ofSeconds(60)));
            assertEquals(Set.of(501L, 502L), errors.keySet());
            assertEquals(errors.get(502L), failed.getCause());
            assertTrue(errors.get(502L) instanceof IllegalArgumentException, String.valueOf(errors.get(502L)));
            assertTrue(errors.get(501L) instanceof CancellationException,
                    String.valueOf(errors.get(501L)));
            assertEquals(errors.get(502L), pool.failure().orElseThrow());
            assertThrows(dev.workerpool.runtime.PoolClosedException.class, () -> pool.submit(503L, 0, "run"));
        } finally {
            pool.cancel();
            started.remove(501L);
        }
    }

    /**
     * {@code HazelcastBackend.on(instance)}: refused, naming the member, for one whose configuration did not go
     * through {@code configure}; on one that did, the pool runs, and {@code close()} leaves the member running.
     */
    @Test
    @Timeout(180)
    void aBackendOnTheUsersOwnMemberRunsThePoolAndClosingItLeavesTheMemberRunning() throws Exception {
        int port = MemberProcesses.freePort();
        com.hazelcast.config.Config config = HazelcastBackend.builder().cluster("wp-own-" + port)
                .address("127.0.0.1", port).config();
        com.hazelcast.config.Config unconfigured = HazelcastBackend.builder().cluster("wp-own-" + port)
                .address("127.0.0.1", port).config();
        unconfigured.getSerializationConfig().getDataSerializableFactories().remove(Wire.FACTORY_ID);
        HazelcastInstance plain = com.hazelcast.core.Hazelcast.newHazelcastInstance(unconfigured);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HazelcastBackend.on(plain));
            assertTrue(e.getMessage().contains(plain.getName()) && e.getMessage().contains("HazelcastBackend"
                    + ".configure(config)"), e.getMessage());
        } finally {
            plain.getLifecycleService().terminate();
        }
        HazelcastInstance own = com.hazelcast.core.Hazelcast.newHazelcastInstance(config);
        try {
            HazelcastBackend mine = HazelcastBackend.on(own);
            UnreadableTakePool pool = UnreadableTakePool.start(mine);
            pool.submit(null, 7);
            pool.close();
            List<Integer> values = new ArrayList<>();
            for (UnreadableTakePool.Result r : pool.results()) {
                values.add(r.getOrThrow());
            }
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(7), values);
            mine.close();
            assertTrue(own.getLifecycleService().isRunning(), "the user's member keeps running");
        } finally {
            own.shutdown();
        }
    }

    /** A Serializable holding something that is not: its type passes start, the value fails at submit. */
    static final class Unwritable implements Serializable {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial") // the point: a field that cannot be serialized
        final Object inside = new Object();

        @Override
        public String toString() {
            return "an Unwritable";
        }
    }

    /**
     * A value its declared type lets through {@code start} but that cannot be written fails {@code submit} with
     * an {@link IllegalArgumentException} naming the pool and the job; the job is not accepted and the pool goes on.
     */
    @Test
    @Timeout(120)
    void aJobThatCannotBeWrittenFailsSubmitNamingItAndIsNotAccepted() throws Exception {
        UnreadableTakePool pool = UnreadableTakePool.start(backend);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.submit(new Unwritable(), 1));
            assertTrue(e.getMessage().startsWith("UnreadableTakePool: the job "), e.getMessage());
            assertTrue(e.getMessage().contains("cannot be sent to other members"), e.getMessage());
            pool.submit(null, 2);
            pool.close();
            List<Integer> values = new ArrayList<>();
            for (UnreadableTakePool.Result r : pool.results()) {
                values.add(r.getOrThrow());
            }
            assertEquals(List.of(2), values);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(1, pool.stats().submitted());
        } finally {
            pool.cancel();
        }
    }

    @Test
    @Timeout(120)
    void aJobAMemberCannotReadEndsInAnErrorResultNamingTheMemberAndTheCause() throws Exception {
        Throwable error = errorOfAJobTheMemberCannotRead(new Unreadable.Thing(1));
        assertTrue(error instanceof IllegalStateException, String.valueOf(error));
        assertTrue(error.getMessage().startsWith("UnreadableTakePool: member "), error.getMessage());
        assertTrue(error.getMessage().contains("cannot read the job's components (every member needs the same "
                + "classes)"), error.getMessage());
        assertTrue(error.getMessage().contains("a Thing cannot be read here"), error.getMessage());
    }

    @Test
    @Timeout(120)
    void aJobWhoseClassesLackADependencyEndsInAnErrorResultAndTheMemberGoesOn() throws Exception {
        Throwable error = errorOfAJobTheMemberCannotRead(new Unreadable.Missing()); // reading throws an Error
        assertTrue(error instanceof IllegalStateException, String.valueOf(error));
        assertTrue(error.getCause() instanceof NoClassDefFoundError, String.valueOf(error.getCause()));
        assertTrue(error.getMessage().contains("dev/example/NotHere"), error.getMessage());
    }

    /**
     * Submits a job carrying {@code unreadable}, which the member takes from the queue and then cannot read, and a
     * readable one after it; checks that both have their result and the readable one ran; returns the first's error.
     */
    private static Throwable errorOfAJobTheMemberCannotRead(Serializable unreadable) throws Exception {
        UnreadableTakePool pool = UnreadableTakePool.start(backend);
        try {
            pool.submit(unreadable, 1);
            pool.submit(null, 2); // readable: runs
            pool.close();
            List<UnreadableTakePool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            results.sort(java.util.Comparator.comparingInt(r -> r.job().n()));
            assertEquals(2, results.size());
            assertEquals(2, results.get(1).getOrThrow());
            return results.get(0).error();
        } finally {
            pool.cancel();
        }
    }

    @Test
    @Timeout(120)
    void aResultTheSubmitterCannotReadArrivesAsARemoteJobException() throws Exception {
        UnreadableGivePool pool = UnreadableGivePool.start(backend);
        try {
            for (int n = 1; n <= 3; n++) {
                pool.submit(n);
            }
            pool.close();
            List<UnreadableGivePool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(List.of(1, 2, 3), results.stream().map(r -> r.job().n()).sorted().toList());
            for (UnreadableGivePool.Result r : results) {
                assertTrue(r.error() instanceof RemoteJobException, String.valueOf(r.error()));
                assertTrue(r.error().getMessage().startsWith("UnreadableGivePool: the job's result could not be read "
                        + "on the submitting member: "), r.error().getMessage());
                assertEquals(1, occurrences(r.error().getMessage(), "UnreadableGivePool"), r.error().getMessage());
                assertTrue(r.error().getMessage().contains("a Thing cannot be read here"), r.error().getMessage());
            }
        } finally {
            pool.cancel();
        }
    }

    /**
     * What a worker delivers in place is what the submitter would have read from its results queue: a copy made
     * by the member's serialization, with a value it cannot read replaced by the error, and a value that cannot be
     * written refused; an instance that gives no access to its serialization has no copier (its results are sent).
     */
    @Test
    void aResultDeliveredInPlaceIsCopiedAsItWouldArriveAndAnInstanceWithoutTheApiHasNoCopier() {
        java.util.function.UnaryOperator<Wire.ResultItem> copier = Wire.resultCopier(backend.hazelcast());
        assertTrue(copier != null, "a member started by the builder gives access to its serialization");
        List<String> value = new ArrayList<>(List.of("a", "b"));
        Wire.ResultItem copy = copier.apply(new Wire.ResultItem(7, value, null));
        assertEquals(7, copy.seq);
        assertEquals(value, copy.value);
        assertTrue(copy.value != value, "a copy, as a sent result is");
        Wire.ResultItem unreadable = copier.apply(new Wire.ResultItem(8, new Unreadable.Thing(1), null));
        Throwable error = unreadable.errorFor("P");
        assertTrue(unreadable.value == null && error instanceof RemoteJobException, String.valueOf(error));
        assertTrue(error.getMessage().contains("a Thing cannot be read here"), error.getMessage());
        assertTrue(error.getMessage().startsWith("P: the job's result could not be read"), error.getMessage());
        assertThrows(RuntimeException.class, () -> copier.apply(new Wire.ResultItem(9, new Unreadable.Unwritable(),
                null)));
        HazelcastInstance other = (HazelcastInstance) java.lang.reflect.Proxy.newProxyInstance(
                StartTest.class.getClassLoader(), new Class<?>[] {HazelcastInstance.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        assertEquals(null, Wire.resultCopier(other));
    }

    /** As locally: a reader whose interrupt status is set still reads the results that are there, then ends. */
    @Test
    @Timeout(120)
    void aReaderWithItsInterruptStatusSetReadsTheResultsThatAreThere() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            pool.submit(901L, 0, "run");
            pool.close();
            assertTrue(pool.await(Duration.ofSeconds(60))); // every result is in, and the end
            Thread.currentThread().interrupt();
            List<Long> read = new ArrayList<>();
            try {
                pool.results().forEach(r -> read.add(r.job().id()));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is left set");
            }
            assertEquals(List.of(901L), read);
        } finally {
            Thread.interrupted();
            pool.cancel();
        }
    }

    /**
     * A member that stops while one of its workers delivers a result in place waits for that delivery before it
     * ends the results: the job has that result, not the stopping member's error, and not none.
     */
    @Test
    @Timeout(120)
    void aMemberThatStopsWhileAWorkerDeliversInPlaceEndsTheResultsAfterThatResult() throws Exception {
        int port = MemberProcesses.freePort();
        HazelcastBackend own = HazelcastBackend.builder().cluster("wp-stop-" + port).address("127.0.0.1", port)
                .start();
        CountDownLatch delivering = new CountDownLatch(1);
        CountDownLatch abandoning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobsWorkPool pool = null;
        try {
            pool = JobsWorkPool.start(1, 1, own);
            EngineHooks.whileDelivering = seq -> {
                if (Thread.currentThread().getName().contains("worker")) { // the worker's delivery, in place
                    delivering.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            EngineHooks.whileAbandoning = abandoning::countDown;
            pool.submit(801L, 0, "run");
            assertTrue(delivering.await(60, TimeUnit.SECONDS), "the worker delivers job 801's result");
            own.hazelcast().getLifecycleService().terminate(); // the member stops: the receiver abandons the job
            // before the fix the results ended here, without the result; a timeout here fails below
            boolean waited = abandoning.await(30, TimeUnit.SECONDS);
            release.countDown();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(1, results.size(), "results: " + results);
            assertTrue(results.get(0).isSuccess(), String.valueOf(results.get(0)));
            assertTrue(waited, "the stopping member waited for the delivery under way");
            assertTrue(pool.await(Duration.ofSeconds(60)));
        } finally {
            EngineHooks.whileDelivering = null;
            EngineHooks.whileAbandoning = null;
            release.countDown();
            if (pool != null) {
                pool.cancel();
            }
            own.close();
        }
    }

    /**
     * A value its declared type lets through {@code start} but that cannot be written is its job's error, a
     * {@link RemoteJobException} naming its type, also where the job ran on its submitter's own member (the only
     * member here), whose results are delivered in place, not sent.
     */
    @Test
    @Timeout(120)
    void aValueThatCannotBeWrittenIsItsJobsErrorAlsoWhereTheJobRanOnItsSubmittersMember() throws Exception {
        UnreadableKeepPool pool = UnreadableKeepPool.start(backend);
        try {
            pool.submit(1);
            pool.close();
            List<UnreadableKeepPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(1, results.size());
            Throwable error = results.get(0).error();
            assertTrue(error instanceof RemoteJobException, String.valueOf(error));
            assertEquals("UnreadableKeepPool: the job's value of type " + Unreadable.Unwritable.class.getName()
                    + " could not be sent from the member that ran it", error.getMessage());
        } finally {
            pool.cancel();
        }
    }

    /**
     * An error that cannot be written is its job's error as a {@link RemoteJobException} that names the pool once,
     * then the original's type and message.
     */
    @Test
    @Timeout(120)
    void anErrorThatCannotBeWrittenArrivesAsARemoteJobExceptionNamingThePoolOnce() throws Exception {
        UnreadableRefusePool pool = UnreadableRefusePool.start(backend);
        try {
            pool.submit(1);
            pool.close();
            List<UnreadableRefusePool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(1, results.size());
            Throwable error = results.get(0).error();
            assertTrue(error instanceof RemoteJobException, String.valueOf(error));
            assertEquals("UnreadableRefusePool: " + Unreadable.UnwritableError.class.getName() + ": job 1 failed"
                    + " (the job's error could not be sent from the member that ran it)", error.getMessage());
            assertEquals(1, occurrences(error.getMessage(), "UnreadableRefusePool"), error.getMessage());
        } finally {
            pool.cancel();
        }
    }

    /** How many times {@code part} occurs in {@code text}, not overlapping. */
    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    @Timeout(120)
    void aCancelAsThePoolEndsDoesNotRegisterItAgain() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        IMap<String, String> submitters = hz.getMap(SUBMITTERS);
        Registered registered = startRegistered();
        JobsWorkPool pool = registered.pool();
        String id = registered.id();
        AtomicBoolean cancelledThere = new AtomicBoolean();
        EngineHooks.afterDeregistering = () -> {
            pool.cancel(); // as a finally { pool.cancel(); } right after the last result can
            cancelledThere.set(true);
        };
        try {
            pool.submit(1L, 0, "run");
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertTrue(cancelledThere.get());
            // the cancel went to the map before this look did, on the same partition
            assertFalse(submitters.containsKey(id), "the ended pool is not in the map again");
        } finally {
            EngineHooks.afterDeregistering = null;
            submitters.delete(id);
        }
    }

    @Test
    @Timeout(120)
    void aResultFinishedWhileTheSendLockIsHeldToForgetASubmitterIsStillSent() throws Exception {
        IMap<Object, Object> started = startedJobs();
        Registered registered = startRegistered();
        JobsWorkPool waiting = registered.pool();
        String waitingId = registered.id();
        AtomicBoolean held = new AtomicBoolean();
        try {
            waiting.submit(301L, 0, "gate"); // its only worker runs it
            awaitTrue(() -> started.containsKey(301L), "job 301 runs");
            waiting.close();
            // while this member forgets another submitter, holding the send lock, job 301 ends: its worker finds
            // the lock taken and leaves the result in the outbox
            EngineHooks.whileForgetting = (engine, outboxHasItems) -> {
                if (engine.equals(waitingId) && held.compareAndSet(false, true)) {
                    Jobs.open(301L);
                    awaitTrue(outboxHasItems, "job 301's result waits in the outbox");
                }
            };
            JobsWorkPool other = JobsWorkPool.start(1, 1, backend);
            other.submit(302L, 0, "run");
            other.close();
            other.results().forEach(r -> { });
            assertTrue(other.await(Duration.ofSeconds(60))); // it ends: every member forgets it
            List<JobsWorkPool.Result> results = new ArrayList<>();
            waiting.results().forEach(results::add); // hung before the fix: nobody sent the result
            assertTrue(held.get(), "the send lock was held with the result in the outbox");
            assertEquals(List.of(301L), results.stream().map(r -> r.job().id()).toList());
            assertTrue(waiting.await(Duration.ofSeconds(60)));
        } finally {
            EngineHooks.whileForgetting = null;
            Jobs.open(301L);
            waiting.cancel();
            started.remove(301L);
            Jobs.GATES.remove(301L);
        }
    }

    /**
     * A member forgets a submitter that ended under its send lock, but does not wait long for it: while one of its
     * workers holds the lock in a send (held here in the send itself), its maintenance thread still does its other
     * work at once (the cleanup after a member that left), and forgets the submitter once the send is done.
     */
    @Test
    @Timeout(180)
    void forgettingAnEndedSubmitterDoesNotHoldUpTheMaintenanceThreadWhileAWorkerSends() throws Exception {
        IMap<Object, Object> started = startedJobs();
        Registered submitting = startRegistered();
        JobsWorkPool submitter = submitting.pool();
        JobsWorkPool server = null;
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        CountDownLatch forgot = new CountDownLatch(1);
        try {
            submitter.submit(331L, 0, "gate"); // the submitter's own worker runs it: the only worker yet
            awaitTrue(() -> started.containsKey(331L), "job 331 runs");
            Set<HazelcastEngine<?, ?, ?>> earlier = new HashSet<>(backend.engines().toList());
            Registered serving = startRegistered();
            server = serving.pool();
            String serverId = serving.id();
            HazelcastEngine<?, ?, ?> engine = backend.engines().filter(e -> !earlier.contains(e)).findFirst()
                    .orElseThrow();
            EngineHooks.beforeSending = (from, to, waiting) -> {
                if (from.equals(serverId) && to.equals(submitting.id()) && sending.getCount() > 0) {
                    sending.countDown(); // the server's worker holds the send lock
                    try {
                        sent.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            EngineHooks.whileForgetting = (engineId, outboxHasItems) -> {
                if (engineId.equals(serverId)) {
                    forgot.countDown();
                }
            };
            Set<String> cleanedUp = ConcurrentHashMap.newKeySet();
            EngineHooks.afterMemberCleanup = cleanedUp::add;
            submitter.submit(332L, 0, "run"); // the server's worker runs it: the other one is busy
            assertTrue(sending.await(60, TimeUnit.SECONDS), StartTest::threadDump);
            JobsWorkPool ended = JobsWorkPool.start(1, 1, backend); // ends at once: every member forgets it
            ended.close();
            assertTrue(ended.await(Duration.ofSeconds(60)));
            String member = UUID.randomUUID().toString();
            engine.memberRemoved(UUID.fromString(member));
            long asked = System.nanoTime();
            while (!cleanedUp.contains(member)) { // waited for the send lock, behind the forget, before the fix
                if (System.nanoTime() - asked > TimeUnit.SECONDS.toNanos(10)) {
                    throw new AssertionError("the cleanup after a member that left waited more than 10 s while "
                            + "a worker held the send lock\n" + threadDump());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertEquals(1, forgot.getCount(), "not forgotten while the send holds the lock");
            sent.countDown();
            assertTrue(forgot.await(60, TimeUnit.SECONDS), () -> "forgotten once the send is done\n" + threadDump());
            Jobs.open(331L);
            submitter.close();
            Set<Long> ids = new HashSet<>();
            submitter.results().forEach(r -> ids.add(r.job().id()));
            assertEquals(Set.of(331L, 332L), ids);
            assertTrue(submitter.await(Duration.ofSeconds(60)));
            server.close();
            assertTrue(server.await(Duration.ofSeconds(60)));
        } finally {
            sent.countDown();
            Jobs.open(331L);
            submitter.cancel();
            if (server != null) {
                server.cancel();
            }
            started.remove(331L);
            Jobs.GATES.remove(331L);
        }
    }

    /**
     * A member forgets an ended submitter (it destroys the results queue its workers sent to, under the send lock,
     * then sends what they left meanwhile) on its pool's maintenance thread, not on the Hazelcast event thread that
     * tells it the submitter is gone: blocking or remote work there would hold up the member's other events.
     */
    @Test
    @Timeout(120)
    void anEndedSubmitterIsForgottenOnThePoolsMaintenanceThreadNotOnHazelcastsEventThread() throws Exception {
        Registered serving = startRegistered();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch forgot = new CountDownLatch(1);
        EngineHooks.whileForgetting = (engine, outboxHasItems) -> {
            if (engine.equals(serving.id())) {
                threads.add(Thread.currentThread().getName());
                forgot.countDown();
            }
        };
        try {
            JobsWorkPool ended = JobsWorkPool.start(1, 1, backend);
            ended.submit(361L, 0, "run");
            ended.close();
            ended.results().forEach(r -> { });
            assertTrue(ended.await(Duration.ofSeconds(60)));
            assertTrue(forgot.await(60, TimeUnit.SECONDS), () -> "the server forgot the ended pool\n" + threadDump());
            assertEquals(Set.of("JobsWorkPool-reconcile"), threads);
            serving.pool().close();
            assertTrue(serving.pool().await(Duration.ofSeconds(60)));
        } finally {
            serving.pool().cancel();
        }
    }

    private static final String SUBMITTERS = "workerpool.JobsWorkPool.submitters";

    /** A pool and the id it registered in the cluster's map of submitters. */
    private record Registered(JobsWorkPool pool, String id) {
    }

    /** Starts a {@code JobsWorkPool} of one worker and buffer 1 (the buffer every test here uses), and finds its id. */
    private static Registered startRegistered() {
        return startRegistered(1);
    }

    private static Registered startRegistered(int workers) {
        IMap<String, String> submitters = backend.hazelcast().getMap(SUBMITTERS);
        Set<String> earlier = new HashSet<>(submitters.keySet());
        JobsWorkPool pool = JobsWorkPool.start(workers, 1, backend);
        awaitTrue(() -> submitters.keySet().stream().anyMatch(k -> !earlier.contains(k)), "a new submitter");
        return new Registered(pool, submitters.keySet().stream().filter(k -> !earlier.contains(k)).findFirst()
                .orElseThrow());
    }

    /** Starts pools whose submitters reconcile after {@code millis} without a result, instead of 30 s. */
    private static <T> T withStall(long millis, Supplier<T> start) {
        long stall = EngineHooks.stallMillis;
        EngineHooks.stallMillis = millis; // read as a pool starts
        try {
            return start.get();
        } finally {
            EngineHooks.stallMillis = stall;
        }
    }

    /**
     * Whether the queue is empty. A look makes a proxy, and the server may destroy the queue while the proxy is
     * being made: that look fails, and the next one is made afresh.
     */
    private static boolean emptyOrBeingDestroyed(HazelcastInstance hz, String name) {
        try {
            return hz.getQueue(name).isEmpty();
        } catch (DistributedObjectDestroyedException e) {
            return false;
        }
    }

    /**
     * Starts a thread named {@code name} that calls {@code submit} once (on a full queue) and keeps what it returns,
     * or what it throws, in {@code outcome}; returns it once it waits for room ({@link #awaitWaitingForRoom}).
     */
    private static Thread waitingForRoom(String name, Callable<?> submit, AtomicReference<Object> outcome) {
        Thread thread = submitting(name, submit, outcome);
        awaitWaitingForRoom(thread);
        return thread;
    }

    /** Waits until {@code producer} is blocked in the submit's {@link Intake#offer}: a submit waiting for room. */
    private static void awaitWaitingForRoom(Thread producer) {
        awaitTrue(() -> producer.getState() != Thread.State.RUNNABLE && Arrays.stream(producer.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("offer")
                        && f.getClassName().equals(Intake.class.getName())),
                "the producer waits for room in Hazelcast's offer");
    }

    /**
     * Waits (polling, at most 60 s) until {@code condition} holds; fails naming {@code what}, with a thread dump,
     * otherwise.
     */
    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "\n" + threadDump());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** Every thread of this JVM with its stack, for a failure that waited in vain. */
    static String threadDump() {
        StringBuilder dump = new StringBuilder("thread dump:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) { // all of it: ThreadInfo.toString() cuts at 8
                dump.append("\tat ").append(frame).append('\n');
            }
        }
        return dump.toString();
    }

    /** Waits (at most 30 s) for {@code thread} to end; fails naming {@code what}, with a thread dump, otherwise. */
    private static void awaitEnded(Thread thread, String what) throws InterruptedException {
        thread.join(30_000);
        if (thread.isAlive()) {
            throw new AssertionError("not within 30 s: " + what + "\n" + threadDump());
        }
    }

    /** A job that awaits its own pool would wait for ever: await() throws, naming the pool, and the pool ends. */
    @Test
    @Timeout(120)
    void aJobThatAwaitsItsOwnPoolGetsAnErrorInsteadOfWaitingForEver() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        Jobs.awaited = pool;
        try {
            pool.submit(901L, 0, "await");
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(1, results.size());
            Throwable error = results.get(0).error();
            assertTrue(error instanceof IllegalStateException, String.valueOf(error));
            assertTrue(error.getMessage().startsWith("JobsWorkPool: await() called from one of its own jobs would "
                    + "wait for ever"), error.getMessage());
        } finally {
            Jobs.awaited = null;
            pool.cancel();
        }
    }

    /**
     * A job that reads its own pool's results to their end would wait for ever on its member (as locally): the
     * iterator hands it the results already received, then throws an IllegalStateException naming the pool where it
     * would wait. Before the fix the job waited for ever in the iterator (the bounded await failed; the cancel ends
     * the job).
     */
    @Test
    @Timeout(120)
    void aJobThatReadsItsOwnPoolsResultsGetsThoseThereThenAnErrorInsteadOfWaitingForEver() throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        Jobs.awaited = pool;
        Jobs.READ.clear();
        try {
            pool.submit(911L, 0, "run");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pool.stats().completed() < 1) { // its result is in: job 912 runs after it on the one worker
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("job 911's result did not come within 30 s\n" + threadDump());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            pool.submit(912L, 0, "read");
            pool.close();
            if (!pool.await(Duration.ofSeconds(30))) {
                AssertionError stuck = new AssertionError("the pool did not end within 30 s\n" + threadDump());
                pool.cancel(); // interrupts the job waiting in its own results, so that the test ends
                throw stuck;
            }
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertEquals(1, results.size(), "job 911's result went to the job that read it: " + results);
            assertEquals(List.of(911L), Jobs.READ, "the result already there is read");
            assertEquals(912L, results.get(0).job().id());
            Throwable error = results.get(0).error();
            assertInstanceOf(IllegalStateException.class, error);
            assertTrue(error.getMessage().startsWith("JobsWorkPool: results() read from one of its own jobs"),
                    error.getMessage());
        } finally {
            Jobs.awaited = null;
            pool.cancel();
        }
    }

    @Test
    @Timeout(120)
    void aFrozenClusterRunsJobsAndAPassiveOneRefusesASubmitNamingThePoolUntilItIsActiveAgain() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            hz.getCluster().changeClusterState(ClusterState.FROZEN); // no member may join or leave; work goes on
            pool.submit(801L, 0, "run");
            Iterator<JobsWorkPool.Result> results = pool.results().iterator();
            assertEquals(801L, results.next().job().id());
            hz.getCluster().changeClusterState(ClusterState.PASSIVE);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.submit(802L, 0, "run"));
            assertTrue(e.getMessage().startsWith("JobsWorkPool: the cluster did not take the job, which was not "
                    + "accepted (it may be in the jobs queue all the same: it then runs, and its result is dropped): "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("PASSIVE"), e.getMessage());
            hz.getCluster().changeClusterState(ClusterState.ACTIVE);
            pool.submit(803L, 0, "run"); // the workers and the receiver took up again
            pool.close();
            List<Long> rest = new ArrayList<>();
            results.forEachRemaining(r -> rest.add(r.job().id()));
            assertEquals(List.of(803L), rest, "the refused job never ran; the next one did");
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(2, pool.stats().submitted());
        } finally {
            if (hz.getCluster().getClusterState() != ClusterState.ACTIVE) {
                hz.getCluster().changeClusterState(ClusterState.ACTIVE);
            }
            pool.cancel();
        }
    }

    /**
     * When Hazelcast gives up on a submit's offer (its retries during a partition migration used up, its member
     * shutting down), each submit form throws an {@code IllegalStateException} that names the pool, says the job
     * was not accepted and may be in the queue all the same, and keeps Hazelcast's exception as its cause; it threw
     * Hazelcast's raw exception. A pool closed meanwhile throws {@code PoolClosedException}, the cause kept too. The
     * refused jobs have no result, and the pool goes on.
     */
    @Test
    @Timeout(120)
    void anOfferHazelcastGivesUpOnThrowsAnExceptionNamingThePoolWithHazelcastsAsItsCause() throws Exception {
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        try {
            List<RuntimeException> failures = List.of(
                    new PartitionMigratingException("partition 7 is migrating"),
                    new HazelcastInstanceNotActiveException(), new TargetNotMemberException("member left"));
            for (int i = 0; i < failures.size(); i++) {
                RuntimeException failure = failures.get(i);
                EngineHooks.beforeOffering = name -> {
                    throw failure;
                };
                long id = 960 + 3 * i;
                List<Callable<?>> submits = List.of(submitting(pool, id),
                        () -> pool.trySubmit(new JobsWorkPool.Job(id + 1, 0, "mark")),
                        () -> pool.trySubmit(new JobsWorkPool.Job(id + 2, 0, "mark"), Duration.ofSeconds(5)));
                for (Callable<?> submit : submits) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, submit::call);
                    assertEquals(IllegalStateException.class, e.getClass(), "not Hazelcast's own: " + e);
                    assertTrue(e.getMessage().startsWith("JobsWorkPool: the cluster did not take the job, which "
                            + "was not accepted (it may be in the jobs queue all the same: it then runs, and its "
                            + "result is dropped): "), e.getMessage());
                    assertTrue(e.getMessage().contains(failure.getClass().getName()), e.getMessage());
                    assertSame(failure, e.getCause());
                }
            }
            RuntimeException failure = new HazelcastInstanceNotActiveException();
            EngineHooks.beforeOffering = name -> {
                pool.close();
                throw failure;
            };
            PoolClosedException closed = assertThrows(PoolClosedException.class, () -> pool.submit(969L, 0, "mark"));
            assertEquals("JobsWorkPool is closed", closed.getMessage());
            assertSame(failure, closed.getCause());
            EngineHooks.beforeOffering = null;
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)), "the pool ends: no refused job is pending\n"
                    + threadDump());
            assertEquals(List.of(), results, "a refused job has no result");
            assertEquals(0, pool.stats().submitted());
            assertTrue(LongStream.rangeClosed(960, 969).noneMatch(started::containsKey), "a refused job never ran");
        } finally {
            pool.cancel();
        }
    }

    /** A {@code submit} of the {@code mark} job {@code id} to {@code pool}, as a {@link Callable}. */
    private static Callable<Object> submitting(JobsWorkPool pool, long id) {
        return () -> {
            pool.submit(id, 0, "mark");
            return null;
        };
    }

    @Test
    @Timeout(60)
    void cleaningUpAfterADeadMembersSubmitterMakesNoProxyOfItsResultsQueue() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        JobsWorkPool pool = JobsWorkPool.start(1, 1, backend);
        String dead = UUID.randomUUID().toString();
        // A submitter of that member whose results queue is gone already. Its id ends in "Aa" so that the fence
        // below, ending in "BB", has the same name hash: a member delivers its own events of such names in order.
        String submitter = UUID.randomUUID() + "Aa";
        String queue = "workerpool.JobsWorkPool.results." + submitter;
        String fence = queue.substring(0, queue.length() - 2) + "BB";
        assertEquals(queue.hashCode(), fence.hashCode());
        List<String> created = new CopyOnWriteArrayList<>();
        UUID listener = hz.addDistributedObjectListener(new DistributedObjectListener() {
            @Override
            public void distributedObjectCreated(DistributedObjectEvent event) {
                created.add(String.valueOf(event.getObjectName()));
            }

            @Override
            public void distributedObjectDestroyed(DistributedObjectEvent event) {
            }
        });
        CountDownLatch cleanedUp = new CountDownLatch(1);
        EngineHooks.afterMemberCleanup = member -> {
            if (member.equals(dead)) {
                cleanedUp.countDown();
            }
        };
        IMap<String, String> submitters = hz.getMap("workerpool.JobsWorkPool.submitters");
        try {
            submitters.set(submitter, "open:" + dead);
            backend.engines().forEach(engine -> engine.memberRemoved(UUID.fromString(dead)));
            assertTrue(cleanedUp.await(30, TimeUnit.SECONDS), "the pool cleaned up after the dead member");
            assertFalse(submitters.containsKey(submitter), "the dead member's submitter is removed");
            hz.getQueue(fence).destroy(); // its creation event comes after any the cleanup caused
            awaitTrue(() -> created.contains(fence), "the fence's creation event");
            assertFalse(created.contains(queue), "the cleanup made the queue it was to destroy: " + created);
            assertTrue(hz.getDistributedObjects().stream().noneMatch(o -> o.getName().equals(queue)));
        } finally {
            hz.removeDistributedObjectListener(listener);
            submitters.delete(submitter);
            pool.close();
            assertTrue(pool.await(Duration.ofSeconds(30)));
        }
    }

    @Test
    @Timeout(120)
    void aResultsQueueWhoseSubmitterIsNotRegisteredIsDestroyedAlsoWhereThePoolNoLongerRuns() throws Exception {
        HazelcastInstance hz = backend.hazelcast();
        JobsWorkPool ended = JobsWorkPool.start(1, 1, backend); // the pool has run here, and runs no more
        ended.close();
        assertTrue(ended.await(Duration.ofSeconds(30)));
        String prefix = "workerpool.JobsWorkPool.results.";
        String live = UUID.randomUUID().toString();
        String gone = UUID.randomUUID().toString();
        Map<String, Boolean> swept = new ConcurrentHashMap<>();
        EngineHooks.afterSweeping = (queue, destroyed) -> swept.merge(queue, destroyed, Boolean::logicalOr);
        IMap<String, String> submitters = hz.getMap("workerpool.JobsWorkPool.submitters");
        try {
            submitters.set(live, "open:" + hz.getCluster().getLocalMember().getUuid());
            // A late first send to each: it makes the queue, as a worker's send after its submitter ended does.
            hz.getQueue(prefix + live).add("late");
            hz.getQueue(prefix + gone).add("late");
            awaitTrue(() -> swept.containsKey(prefix + live) && swept.containsKey(prefix + gone),
                    "the sweeper looked at both queues: " + swept);
            assertEquals(Boolean.TRUE, swept.get(prefix + gone), "the unregistered submitter's queue is destroyed");
            assertEquals(Boolean.FALSE, swept.get(prefix + live), "the registered submitter's queue is kept");
            List<String> listed = hz.getDistributedObjects().stream().map(DistributedObject::getName).toList();
            assertFalse(listed.contains(prefix + gone), listed.toString());
            assertTrue(listed.contains(prefix + live), listed.toString());
        } finally {
            submitters.delete(live);
            hz.getDistributedObjects().stream().filter(o -> o.getName().startsWith(prefix))
                    .forEach(DistributedObject::destroy);
        }
    }

    /**
     * This JVM's pool workers that wait in Hazelcast's {@code poll} of a jobs queue ({@code [0]}) and those that
     * wait on the member for a take of their own ({@code [1]}).
     */
    private static int[] workersTakingAndWaiting() {
        int[] counts = new int[2];
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            List<StackTraceElement> frames = Arrays.asList(stack);
            if (frames.stream().noneMatch(f -> f.getClassName().equals(Workers.class.getName())
                    && f.getMethodName().equals("work"))) {
                continue;
            }
            if (frames.stream().anyMatch(f -> f.getClassName().startsWith("com.hazelcast.")
                    && f.getMethodName().equals("poll"))) {
                counts[0]++;
            } else if (frames.stream().anyMatch(f -> f.getClassName().equals(Semaphore.class.getName())
                    && f.getMethodName().equals("tryAcquire"))) {
                counts[1]++;
            }
        }
        return counts;
    }

    @Test
    @Timeout(120)
    void idleWorkersBeyondTheTakeLimitWaitOnTheMemberAndStillRunJobs() throws Exception {
        int beyond = 8;
        int workers = HazelcastEngine.MAX_TAKES + beyond;
        IMap<Object, Object> started = startedJobs();
        JobsWorkPool pool = JobsWorkPool.start(workers, 1, backend);
        try {
            pool.submit(700L, 0, "mark"); // the jobs queue is picked as the first job is submitted
            awaitTrue(() -> started.containsKey(700L), "job 700 runs");
            // an idle pool of 24 workers polls the cluster 16 at a time; the other 8 wait on the member
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int[] counts = workersTakingAndWaiting();
            while (counts[0] != HazelcastEngine.MAX_TAKES || counts[1] != beyond) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within 60 s: " + HazelcastEngine.MAX_TAKES + " workers in a "
                            + "poll and " + beyond + " waiting on the member; last seen " + counts[0] + " and "
                            + counts[1]);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                counts = workersTakingAndWaiting();
            }
            // and every worker still takes a job: all of them run one at once
            for (long id = 701; id < 701 + workers; id++) {
                pool.submit(id, 0, "gate");
            }
            awaitTrue(() -> LongStream.range(701, 701 + workers).allMatch(started::containsKey),
                    "every worker runs a gate job at once");
            LongStream.range(701, 701 + workers).forEach(Jobs::open);
            pool.close();
            List<JobsWorkPool.Result> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Duration.ofSeconds(60)));
            assertEquals(LongStream.range(700, 701 + workers).boxed().toList(),
                    results.stream().map(r -> r.job().id()).sorted().toList());
            for (JobsWorkPool.Result r : results) {
                assertEquals("submitter", r.getOrThrow());
            }
        } finally {
            LongStream.range(701, 701 + workers).forEach(Jobs::open);
            pool.cancel();
            LongStream.range(700, 701 + workers).forEach(id -> {
                started.remove(id);
                Jobs.GATES.remove(id);
            });
        }
    }

    @Test
    @Timeout(60)
    void cancelEndsTheWaitForTheNextAttempt() throws Exception {
        FlakyStubbornPool pool = FlakyStubbornPool.start(backend);
        pool.submit(7);
        assertTrue(Flaky.STUBBORN_TRIED.await(30, TimeUnit.SECONDS));
        long start = System.nanoTime();
        pool.cancel();
        List<FlakyStubbornPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add); // the backoff is ten minutes; the test times out long before
        assertTrue(pool.await(Duration.ofSeconds(30)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60, "not the backoff's ten minutes");
        assertEquals(1, results.size());
        assertTrue(results.get(0).error() instanceof CancellationException,
                String.valueOf(results.get(0).error()));
    }

    @Test
    void recordsOfSendableComponentsTravelAndBufferZeroIsServedAsOne() throws Exception {
        UnsendableMovePool pool = UnsendableMovePool.start(backend);
        List<UnsendableMovePool.Result> results = new ArrayList<>();
        Thread reader = new Thread(() -> pool.results().forEach(results::add));
        reader.start();
        for (int i = 0; i < 20; i++) {
            pool.submit(new Unsendable.Point(i, "p" + i), 1);
        }
        pool.close();
        reader.join(60_000);
        assertTrue(pool.await(Duration.ofSeconds(30)));
        assertEquals(20, results.size());
        for (UnsendableMovePool.Result r : results) {
            assertEquals(new Unsendable.Point(r.job().p().x() + 1, r.job().p().label()), r.getOrThrow());
        }
    }

    @Test
    void aTakenPortFailsStartNamingTheAddressPromptly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HazelcastBackend.builder()
                    .cluster("wp-taken").address("127.0.0.1", taken.getLocalPort())
                    .timeout(Duration.ofSeconds(20)).start());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "bounded");
        }
    }

    @Test
    @Timeout(120)
    void anErrorAfterTheMemberStartedFailsStartWithThatErrorAndLeavesNoMemberRunning() {
        AssertionError error = new AssertionError("thrown just before the backend is made");
        Throwable thrown = failStartJustBeforeTheBackendIsMade(error, null);
        assertSame(error, thrown);
        assertEquals(List.of(), Arrays.asList(thrown.getSuppressed()));
    }

    @Test
    @Timeout(120)
    void aTerminationThatThrowsAfterAFailedStartIsSuppressedInTheFailureThrown() {
        IllegalStateException failure = new IllegalStateException("thrown just before the backend is made");
        IllegalStateException terminating = new IllegalStateException("thrown as the member has shut down");
        Throwable thrown = failStartJustBeforeTheBackendIsMade(failure, terminating);
        assertSame(failure, thrown);
        assertEquals(List.of(terminating), Arrays.asList(thrown.getSuppressed()));
    }

    @Test
    @Timeout(120)
    void anOutOfMemoryErrorAfterTheMemberStartedIsThrownWithNothingSuppressedAndLeavesNoMemberRunning() {
        OutOfMemoryError error = new OutOfMemoryError("thrown just before the backend is made");
        IllegalStateException terminating = new IllegalStateException("thrown as the member has shut down");
        Throwable thrown = failStartJustBeforeTheBackendIsMade(error, terminating);
        assertSame(error, thrown);
        assertEquals(List.of(), Arrays.asList(thrown.getSuppressed()));
    }

    /**
     * Starts a member with the builder on a free port of 127.0.0.1, {@code failure} (a {@link RuntimeException} or
     * an {@link Error}) thrown just before the backend is made, and {@code terminating} (unless null) thrown by a
     * listener once the member has shut down; checks that no member of the cluster is left running and its port is
     * free, and returns what the start threw. Terminates any member of the cluster left running, whatever happens.
     */
    private static Throwable failStartJustBeforeTheBackendIsMade(Throwable failure, RuntimeException terminating) {
        int port = MemberProcesses.freePort();
        String cluster = "wp-failed-" + port;
        AtomicBoolean armed = new AtomicBoolean(true);
        EngineHooks.beforeBackendMade = () -> {
            if (terminating != null) {
                for (HazelcastInstance member : membersOf(cluster)) {
                    member.getLifecycleService().addLifecycleListener(event -> {
                        if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN && armed.get()) {
                            throw terminating;
                        }
                    });
                }
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        };
        try {
            Throwable thrown = assertThrows(Throwable.class, () -> HazelcastBackend.builder()
                    .cluster(cluster).address("127.0.0.1", port).timeout(Duration.ofSeconds(20)).start());
            assertEquals(List.of(), membersOf(cluster), "members left running");
            assertTrue(MemberProcesses.bindable(port), "127.0.0.1:" + port + " still taken");
            return thrown;
        } finally {
            EngineHooks.reset();
            armed.set(false);
            for (HazelcastInstance left : membersOf(cluster)) {
                left.getLifecycleService().terminate();
            }
        }
    }

    /** The members of {@code cluster} running in this JVM. */
    private static List<HazelcastInstance> membersOf(String cluster) {
        List<HazelcastInstance> members = new ArrayList<>();
        for (HazelcastInstance instance : Hazelcast.getAllHazelcastInstances()) {
            if (instance.getConfig().getClusterName().equals(cluster)) {
                members.add(instance);
            }
        }
        return members;
    }

    @Test
    void aClusterThatCannotFormFailsStartNamingTheAddressesWithinItsTimeout() {
        int port = MemberProcesses.freePort();
        int nobody = MemberProcesses.freePort();
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HazelcastBackend.builder()
                .cluster("wp-alone-" + port).address("127.0.0.1", port)
                .members("127.0.0.1:" + port, "127.0.0.1:" + nobody)
                .minMembers(2).timeout(Duration.ofSeconds(8)).start());
        assertTrue(e.getMessage().contains("127.0.0.1:" + nobody), e.getMessage());
        assertTrue(e.getMessage().contains("1 of 2 members"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "bounded");
    }
}
