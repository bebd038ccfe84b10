package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.collection.IQueue;
import com.hazelcast.collection.ItemEvent;
import com.hazelcast.collection.ItemListener;
import com.hazelcast.core.DistributedObject;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A result factory that throws (outside its contract) as the submitter's receiver delivers one result of a batch it
 * drained from its results queue: the batch's other results are still delivered, and the job whose result the
 * factory refused still ends. The first member's one worker is held by job 0, so that jobs 1 to 4 run on the second
 * member and their results reach the first member's receiver through its results queue; both members' receivers are
 * held until the four results wait there, so that the receiver takes them in one {@code poll} and {@code drainTo}.
 * No stall reconciliation comes to the rescue unless a test says so: the stall time is ten minutes. The test of a
 * result that cannot be read runs its jobs the same way without holding the receivers.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ResultFactoryFailureTest {
    private static TwoMemberCluster pair;

    @BeforeAll
    static void formCluster() {
        pair = TwoMemberCluster.form("wp-factory-");
    }

    @AfterAll
    static void stopCluster() {
        if (pair != null) {
            pair.close();
        }
    }

    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    /**
     * The factory refuses the first value it is given for jobs 1 to 4; the job's result then carries what it threw.
     * Before the fix the three other results of the batch were dropped (not delivered within 60 s).
     */
    @Test
    void aResultFactoryThatThrowsForOneResultOfABatchLeavesTheOthersDeliveredAndItsJobFailed() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        List<String> results = runBatch("FactoryThrowsOnce", (job, value, error) -> {
            if (job > 0 && error == null && thrown.compareAndSet(false, true)) {
                throw new IllegalStateException("factory refused job " + job);
            }
            return PlacementTest.describe(job, value, error);
        });
        assertEquals(5, results.size(), results.toString());
        assertEquals("0=held", results.get(0));
        long refused = results.stream().filter(r -> r.contains("failed: java.lang.IllegalStateException: factory "
                + "refused job ")).count();
        long delivered = results.stream().filter(r -> r.endsWith("=second")).count();
        assertEquals(1, refused, results.toString());
        assertEquals(3, delivered, results.toString());
    }

    /**
     * The factory refuses job 2's result whatever it is given: that job ends without a result, what the factory threw
     * goes to the receiver thread's uncaught-exception handler, and the other results of the batch are delivered.
     * Before the fix the results after job 2's in the batch were dropped, and the pool never ended.
     */
    @Test
    void aResultFactoryThatAlwaysThrowsForOneJobReportsItAndLeavesTheOthersDelivered() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        List<String> results;
        try {
            results = runBatch("FactoryAlwaysThrows", (job, value, error) -> {
                if (job == 2) {
                    throw new IllegalStateException("factory refused job 2");
                }
                return PlacementTest.describe(job, value, error);
            });
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(List.of("0=held", "1=second", "3=second", "4=second"), results);
        assertEquals(1, uncaught.size(), uncaught.toString());
        Throwable reported = uncaught.get(0);
        assertEquals("factory refused job 2", reported.getMessage());
        assertEquals(1, reported.getSuppressed().length, "the second refusal, suppressed");
    }

    /**
     * A delivery of one result of the batch that throws an {@link Error} (here a hook, as a codec that throws one
     * would): the other results are delivered, and the job whose delivery failed stays pending, to run again at the
     * next reconciliation (the stall time is two seconds here). Before the fix the error ended the receiver, and with
     * it the results, three of the jobs without their result.
     */
    @Test
    void anErrorDeliveringOneResultOfABatchLeavesTheOthersDeliveredAndItsJobRunAgain() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        EngineHooks.whileDelivering = seq -> {
            if (Thread.currentThread().getName().endsWith("-receiver") && thrown.compareAndSet(false, true)) {
                throw new AssertionError("delivery of job " + seq + " failed");
            }
        };
        List<String> results = runBatch("DeliveryError", PlacementTest::describe, 2_000);
        assertTrue(thrown.get(), "a delivery failed");
        assertEquals(5, results.size(), results.toString());
        assertEquals("0=held", results.get(0));
        for (int job = 1; job <= 4; job++) { // the job run again ran on either member
            String result = results.get(job);
            assertTrue(result.equals(job + "=second") || result.equals(job + "=first"), results.toString());
        }
    }

    /**
     * As the test above with a stall time of ten minutes: the receiver whose delivery failed asks for a
     * reconciliation at once, so the job runs again and the results end within 20 s. Before the fix the job stayed
     * pending until the stall check (30 s by default), and the results did not end within 20 s.
     */
    @Test
    void anErrorDeliveringOneResultOfABatchHasItsJobRunAgainAtOnce() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        EngineHooks.whileDelivering = seq -> {
            if (Thread.currentThread().getName().endsWith("-receiver") && thrown.compareAndSet(false, true)) {
                throw new AssertionError("delivery of job " + seq + " failed");
            }
        };
        List<String> results = runBatch("DeliveryErrorAtOnce", PlacementTest::describe,
                TimeUnit.MINUTES.toMillis(10), 20);
        assertTrue(thrown.get(), "a delivery failed");
        assertEquals(5, results.size(), results.toString());
        assertEquals("0=held", results.get(0));
        for (int job = 1; job <= 4; job++) { // the job run again ran on either member
            String result = results.get(job);
            assertTrue(result.equals(job + "=second") || result.equals(job + "=first"), results.toString());
        }
    }

    /**
     * A delivery in place (a result of a job run on its submitter's own member) that throws an {@link Error} does
     * not end the worker that delivers it, nor the sends and deliveries that go with it: the job stays pending and
     * runs again at the next reconciliation (the stall time is two seconds here). Before the fix the worker, the
     * part's only one, ended, and the jobs after it never ran.
     */
    @Test
    void anErrorDeliveringAResultInPlaceLeavesTheWorkerWorkingAndTheJobRunAgain() throws Exception {
        EngineHooks.stallMillis = 2_000;
        AtomicBoolean thrown = failFirstDeliveryInPlace(() -> { });
        PoolEngine<Long, String> pool = TwoMemberCluster.startPart(pair.first, "InPlaceDeliveryError",
                PoolOptions.DEFAULT, 1, job -> "first");
        try {
            for (long job = 1; job <= 3; job++) {
                pool.submit(job);
            }
            pool.close();
            List<String> results = readAll(pool, "InPlaceDeliveryError");
            assertTrue(thrown.get(), "a delivery failed");
            assertEquals(List.of("1=first", "2=first", "3=first"), results);
            assertTrue(pool.await(Duration.ofSeconds(60)), "the part ended");
        } finally {
            pool.cancel();
            pool.await(Duration.ofSeconds(60));
        }
    }

    /**
     * As the test above with a stall time of ten minutes: a failed delivery in place asks for a reconciliation at
     * once, once its job is forgotten as held, so the job runs again and the results end within 20 s. Before the fix
     * the job stayed pending until the stall check (30 s by default), and the results did not end within 20 s.
     */
    @Test
    void anErrorDeliveringAResultInPlaceHasTheJobRunAgainAtOnce() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        AtomicBoolean thrown = failFirstDeliveryInPlace(() -> { });
        runThreeOneOfThemTwice("InPlaceDeliveryErrorAtOnce", () -> { });
        assertTrue(thrown.get(), "a delivery failed");
    }

    /**
     * Makes the first delivery in place (on a worker) of any result throw an {@link AssertionError}, after running
     * {@code first}; the flag returned is set then.
     */
    private static AtomicBoolean failFirstDeliveryInPlace(Runnable first) {
        AtomicBoolean thrown = new AtomicBoolean();
        EngineHooks.whileDelivering = seq -> {
            if (Thread.currentThread().getName().contains("-worker-") && thrown.compareAndSet(false, true)) {
                first.run();
                throw new AssertionError("delivery of job " + seq + " failed");
            }
        };
        return thrown;
    }

    /**
     * Runs jobs 1 to 3 on a one-worker part of the first member named {@code name}, {@code afterSubmits} once all
     * three are submitted, then closes it: their results come within 20 s, one job ran twice (the one whose
     * delivery failed), and the part ends.
     */
    private void runThreeOneOfThemTwice(String name, Runnable afterSubmits) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        PoolEngine<Long, String> pool = TwoMemberCluster.startPart(pair.first, name, PoolOptions.DEFAULT, 1, job -> {
            runs.incrementAndGet();
            return "first";
        });
        try {
            for (long job = 1; job <= 3; job++) {
                pool.submit(job);
            }
            afterSubmits.run();
            pool.close();
            List<String> results = readAll(pool, name, 20);
            assertEquals(List.of("1=first", "2=first", "3=first"), results);
            assertEquals(4, runs.get(), "runs: the job whose delivery failed ran twice");
            assertTrue(pool.await(Duration.ofSeconds(60)), "the part ended");
        } finally {
            pool.cancel();
            pool.await(Duration.ofSeconds(60));
        }
    }

    /**
     * As the test above, with the failed delivery in place forced inside its submit: the submit of job 1 is held
     * after the jobs queue took the job, until the worker has run it, its delivery has failed and the reconciliation
     * that the failure asks for has looked. That look skips a job still being offered (it may not be in the queue
     * yet), so the offer's end asks for another, which runs the job again. Before the fix nothing looked for it until
     * the stall check (ten minutes here), and the results did not end within 20 s; that race was how the test above
     * failed once on a loaded machine.
     */
    @Test
    void aJobLostWhileItsSubmitStillOffersItIsLookedForOnceTheOfferEnds() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        failFirstDeliveryInPlace(failed::countDown);
        List<Set<Long>> looks = new CopyOnWriteArrayList<>();
        EngineHooks.beforeRequeuing = lost -> {
            looks.add(lost);
            looked.countDown();
        };
        AtomicInteger offers = new AtomicInteger();
        EngineHooks.afterOffered = pool -> {
            if (offers.incrementAndGet() == 1) { // job 1's submit, its job in the queue: held until it is lost
                try {
                    awaitLatch(failed, "job 1's delivery in place failed");
                    awaitLatch(looked, "the reconciliation the failure asked for looked");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        };
        runThreeOneOfThemTwice("LostWhileOffered",
                () -> assertEquals(Set.of(), looks.get(0), "the first look skipped job 1, still being offered"));
    }

    /**
     * Reading job 2's result out of the first member's results queue throws an {@link InternalError} once (a
     * {@link VirtualMachineError}, which {@link Wire} throws on rather than make it the result's error): the
     * {@code poll} or {@code drainTo} throws it on the receiver thread and the result is lost. The receiver reports it
     * to its thread's uncaught-exception handler and goes on, and the reconciliation that its failure asks for runs
     * the job again (no stall reconciliation: the stall time is ten minutes). Before the fix the error ended the
     * receiver, and with it the results, jobs 1 to 4 without theirs.
     */
    @Test
    void anErrorReadingAResultOutOfTheResultsQueueLeavesTheReceiverReceivingAndTheJobRunAgain() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        List<String> results = runFragile("ReceiveError", 1, uncaught);
        assertEquals(1, Fragile.thrown.get(), "readings of job 2's result that threw");
        assertEquals(5, results.size(), results.toString());
        assertEquals("0=first", results.get(0));
        for (int job = 1; job <= 4; job++) { // the job run again ran on either member
            String result = results.get(job);
            assertTrue(result.equals(job + "=second") || result.equals(job + "=first"), results.toString());
        }
        assertEquals(1, uncaught.stream().filter(e -> e instanceof InternalError).count(), uncaught.toString());
    }

    /**
     * Reading job 2's result out of the first member's results queue throws an {@link InternalError} every time:
     * each lost result is one of the job's failed deliveries, and the last of
     * {@value SubmitterState#MAX_FAILED_DELIVERIES} gives it a {@link RemoteJobException} naming the pool, so that
     * the results and the pool end. Without the bound the job would run again at each failure, for ever.
     */
    @Test
    void aResultThatCannotEverBeReadOutOfTheResultsQueueEndsItsJobFailedAfterABoundedNumberOfRuns()
            throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        List<String> results = runFragile("AlwaysUnreadable", Integer.MAX_VALUE, uncaught);
        assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, Fragile.thrown.get(), "readings that threw");
        assertEquals(5, results.size(), results.toString());
        assertEquals(List.of("0=first", "1=second", "3=second", "4=second"),
                List.of(results.get(0), results.get(1), results.get(3), results.get(4)));
        assertTrue(results.get(2).startsWith("2=failed: " + RemoteJobException.class.getName()
                + ": AlwaysUnreadable: the job's result could not be delivered"), results.toString());
        assertTrue(results.get(2).contains("job 2's result cannot be read"), results.toString());
        assertTrue(uncaught.stream().anyMatch(e -> e instanceof InternalError), uncaught.toString());
    }

    /**
     * As the test above, with job 2 the only job whose result comes through the results queue, and the receive right
     * after the first failed one held until the job's re-run result waits in the queue: that receive fails too, with
     * no receive gone well in between, and its failure must have the reconciliation look at once all the same (no
     * stall reconciliation: the stall time is ten minutes). Before the fix only the first failure of such a run asked
     * for a reconciliation, so the re-run result, taken out of the queue and lost, was looked for only at the next
     * stall (30 s by default), and the results did not end within 60 s; the earlier test failed so when the re-run
     * result came before the receiver's next look, as the reconciliation takes about as long as the receiver waits
     * after a failure.
     */
    @Test
    void aResultLostByAReceiveThatFailsRightAfterAFailedOneIsLookedForAtOnceToo() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Fragile.trips.set(Integer.MAX_VALUE);
        Fragile.thrown.set(0);
        String pool = "UnreadableTwiceInARow";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> failedReceiver = new AtomicReference<>(); // the first member's, once it has failed
        AtomicInteger runsOf2 = new AtomicInteger();
        AtomicReference<Thread> rerunOf2 = new AtomicReference<>(); // the second member's worker that runs it again
        CountDownLatch rerunQueued = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        AtomicBoolean heldUntilQueued = new AtomicBoolean();
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, FRAGILE, job -> job + ":first",
                (thread, e) -> {
                    failedReceiver.compareAndSet(null, thread);
                    uncaught.add(e);
                })) {
            PoolEngine<Long, String> a = parts.first();
            parts.startSecond(1, job -> {
                if (job == 2 && runsOf2.incrementAndGet() == 2) {
                    rerunOf2.set(Thread.currentThread());
                }
                return job + ":second";
            });
            EngineHooks.afterSending = (engine, to) -> {
                if (Thread.currentThread() == rerunOf2.get()) { // its result is in the results queue
                    rerunQueued.countDown();
                }
            };
            EngineHooks.beforeReceiving = name -> {
                if (Thread.currentThread() == failedReceiver.get() && held.compareAndSet(false, true)) {
                    try { // the look after the first failure finds the re-run result waiting
                        heldUntilQueued.set(rerunQueued.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            a.submit(2L); // the only idle worker is the second member's: the result comes through the queue
            a.close();
            Reader reader = Reader.start(a, pool);
            reader.await(1, 60, "the result of job 2");
            assertTrue(heldUntilQueued.get(), "the receiver was held until job 2's re-run result was queued");
            parts.release();
            List<String> sorted = reader.toEnd();
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertEquals(2, sorted.size(), sorted.toString());
            assertEquals("0=first", sorted.get(0));
            assertTrue(sorted.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job's result could not be delivered"), sorted.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, Fragile.thrown.get(), "readings that threw");
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, runsOf2.get(), "runs of job 2");
            assertTrue(uncaught.stream().allMatch(e -> e instanceof InternalError), uncaught.toString());
        }
    }

    /**
     * Job 2 runs on the second member, whose worker is held just after its result's send returned and before it
     * forgets the job as held, until the first member's reconciliation has looked: the result, taken out of the
     * queue and lost as it is read, must be found lost by that look (its job run again at once), not taken for a run
     * still in flight on the second member. Before the fix the look found job 2 held there and left it, to the stall
     * reconciliation (ten minutes here; 30 s by default): the flaky failure of the test above, "not within 60 s: the
     * result of job 2", whenever the second member's worker was switched out in that gap.
     */
    @Test
    void aResultLostWhileItsMemberStillListsItsJobAsHeldIsLookedForAtOnce() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Fragile.trips.set(Integer.MAX_VALUE);
        Fragile.thrown.set(0);
        String pool = "LostWhileHeld";
        List<Set<Long>> looks = new CopyOnWriteArrayList<>();
        CountDownLatch looked = new CountDownLatch(1);
        AtomicReference<Thread> firstRunOf2 = new AtomicReference<>();
        AtomicInteger runsOf2 = new AtomicInteger();
        AtomicBoolean held = new AtomicBoolean();
        AtomicBoolean heldUntilLooked = new AtomicBoolean();
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, FRAGILE, job -> job + ":first",
                (thread, e) -> { })) {
            PoolEngine<Long, String> a = parts.first();
            parts.startSecond(1, job -> {
                if (job == 2 && runsOf2.incrementAndGet() == 1) {
                    firstRunOf2.set(Thread.currentThread());
                }
                return job + ":second";
            });
            EngineHooks.beforeRequeuing = lost -> {
                looks.add(lost);
                looked.countDown();
            };
            EngineHooks.afterSending = (engine, to) -> {
                if (Thread.currentThread() == firstRunOf2.get() && held.compareAndSet(false, true)) {
                    try { // its result is in the queue; job 2 is still listed as held here
                        heldUntilLooked.set(looked.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            a.submit(2L); // the only idle worker is the second member's: the result comes through the queue
            a.close();
            Reader reader = Reader.start(a, pool);
            TwoMemberCluster.awaitLatch(looked, "the first member's reconciliation to look");
            assertEquals(Set.of(2L), looks.get(0), "jobs the first look found lost");
            reader.await(1, 60, "the result of job 2");
            assertTrue(heldUntilLooked.get(), "the second member's worker was held until the look");
            parts.release();
            List<String> sorted = reader.toEnd();
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertEquals(2, sorted.size(), sorted.toString());
            assertTrue(sorted.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job's result could not be delivered"), sorted.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, runsOf2.get(), "runs of job 2");
        }
    }

    /**
     * Jobs 1 and 2 run on the second member, and their results wait in the first member's results queue, its receiver
     * held, until both are there; then each of the receiver's next two receives takes one of them with its
     * {@code poll}, and the {@code drainTo} that follows throws an exception (here a hook, as a {@code drainTo} that
     * fails does). The second receive is held until the reconciliation that the first failure asked for has looked,
     * so that it fails within the run the first began, with nothing left to look for it: each result taken is
     * delivered all the same, every job has its result within 20 s (the stall time is ten minutes), and neither job
     * runs again. Before the fix the result that the second receive's {@code poll} took was lost, and looked for only
     * at the next stall, and the results did not end within 20 s.
     */
    @Test
    void aResultTakenByAPollWhoseDrainThrowsWithinARunOfFailedReceivesIsDelivered() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        String pool = "DrainFailsInARun";
        CountDownLatch receive = new CountDownLatch(1);
        CountDownLatch receiversHeld = new CountDownLatch(2);
        AtomicReference<Thread> failedReceiver = new AtomicReference<>(); // the first member's, once its drain threw
        AtomicInteger drainFailures = new AtomicInteger();
        CountDownLatch looked = new CountDownLatch(1);
        AtomicBoolean heldAfterFailure = new AtomicBoolean();
        AtomicInteger runsOnSecond = new AtomicInteger();
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, PlacementTest.LONG_TO_STRING,
                job -> "first", null)) {
            PoolEngine<Long, String> a = parts.first();
            parts.letGoOnClose(receive);
            CountDownLatch queued = new CountDownLatch(2);
            countQueued(pool, queued);
            parts.startSecond(1, job -> {
                runsOnSecond.incrementAndGet();
                return "second";
            });
            EngineHooks.beforeRequeuing = lost -> looked.countDown();
            EngineHooks.beforeDraining = name -> {
                if (name.equals(pool) && drainFailures.incrementAndGet() <= 2) {
                    failedReceiver.set(Thread.currentThread());
                    throw new IllegalStateException("drainTo failed (test)");
                }
            };
            Consumer<String> holdReceivers = receiversHeldUntil(pool, receive, receiversHeld);
            EngineHooks.beforeReceiving = name -> {
                if (!name.equals(pool)) {
                    return;
                }
                if (receive.getCount() > 0) {
                    holdReceivers.accept(name);
                } else if (Thread.currentThread() == failedReceiver.get()
                        && heldAfterFailure.compareAndSet(false, true)) {
                    try {
                        awaitLatch(looked, "the reconciliation the first failed drain asked for to look");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            awaitLatch(receiversHeld, "both members' receivers to be held");
            a.submit(1L); // the only idle worker is the second member's: the results come through the queue
            a.submit(2L);
            awaitLatch(queued, "the two results in the first member's results queue");
            receive.countDown();
            a.close();
            Reader reader = Reader.start(a, pool);
            reader.await(2, 20, "the results of jobs 1 and 2");
            assertTrue(heldAfterFailure.get(), "the receive after the first failed drain was held");
            assertEquals(2, drainFailures.get(), "drains that threw");
            parts.release();
            List<String> sorted = reader.toEnd();
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertEquals(List.of("0=first", "1=second", "2=second"), sorted);
            assertEquals(2, runsOnSecond.get(), "runs on the second member: neither job ran again");
        }
    }

    /**
     * As the test above, for a result delivered in place (its job ran on its submitter's one member), whose copy
     * throws the {@link InternalError} as the worker reads it: the stall reconciliation (the stall time is one second
     * here) runs the job again until the last of {@value SubmitterState#MAX_FAILED_DELIVERIES} failures gives it its
     * {@link RemoteJobException}, and the pool ends. Without the bound the job would run again at each stall, for
     * ever.
     */
    @Test
    void aResultThatCannotEverBeReadInPlaceEndsItsJobFailedAfterABoundedNumberOfRuns() throws Exception {
        EngineHooks.stallMillis = 1_000;
        Fragile.trips.set(Integer.MAX_VALUE);
        Fragile.thrown.set(0);
        String pool = "AlwaysUnreadableInPlace";
        PoolEngine<Long, String> part = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> job + ":first",
                PlacementTest::describe, FRAGILE);
        try {
            for (long job = 1; job <= 3; job++) {
                part.submit(job);
            }
            part.close();
            List<String> results = readAll(part, pool);
            assertEquals(3, results.size(), results.toString());
            assertEquals(List.of("1=first", "3=first"), List.of(results.get(0), results.get(2)));
            assertTrue(results.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job's result could not be delivered"), results.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, Fragile.thrown.get(), "readings that threw");
            assertTrue(part.await(Duration.ofSeconds(60)), "the part ended");
        } finally {
            part.cancel();
            part.await(Duration.ofSeconds(60));
        }
    }

    /**
     * Job 2's result waits in the first member's results queue, its receiver held, while a reconciliation and then a
     * cancel look there, and reading it throws an {@link InternalError} for each of those two looks: each look counts
     * the result as in the queue (it still is: looking reads a copy) and goes on, nothing reaches an
     * uncaught-exception handler, job 2 is not queued again, and once the receiver is let go it delivers that result,
     * job 2 having run once. Before the fix the error ended the reconciliation's look (nothing found lost or not) and
     * the maintenance thread, and went to its uncaught-exception handler.
     */
    @Test
    void aResultThatCannotBeReadWhileALookReadsTheResultsQueueIsCountedThereAndTheLookGoesOn() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Fragile.trips.set(2); // the reconciliation's reading and the cancel's; the receiver's then reads it
        Fragile.thrown.set(0);
        String pool = "UnreadableWhileLooking";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        CountDownLatch looked = new CountDownLatch(1);
        AtomicReference<Set<Long>> lost = new AtomicReference<>();
        AtomicInteger runsOf2 = new AtomicInteger();
        CountDownLatch receive = new CountDownLatch(1);
        CountDownLatch receiversHeld = new CountDownLatch(2);
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, FRAGILE, job -> job + ":first",
                (thread, e) -> {
                    uncaught.add(e);
                    looked.countDown(); // a look that ended so fails the test at once
                })) {
            PoolEngine<Long, String> a = parts.first();
            parts.letGoOnClose(receive);
            CountDownLatch queued = new CountDownLatch(1);
            countQueued(pool, queued);
            parts.startSecond(1, job -> {
                if (job == 2) {
                    runsOf2.incrementAndGet();
                }
                return job + ":second";
            });
            EngineHooks.beforeReceiving = receiversHeldUntil(pool, receive, receiversHeld);
            awaitLatch(receiversHeld, "both members' receivers to be held");
            a.submit(2L); // the only idle worker is the second member's: the result comes through the queue
            awaitLatch(queued, "job 2's result in the first member's results queue");
            EngineHooks.beforeRequeuing = found -> {
                lost.set(found);
                looked.countDown();
            };
            ((HazelcastEngine<?, ?, ?>) a).reconcileSoon();
            awaitLatch(looked, "the reconciliation's look");
            assertEquals(List.of(), uncaught, "what reached an uncaught-exception handler");
            assertEquals(Set.of(), lost.get(), "jobs found lost (job 0 is held, job 2's result queued)");
            assertEquals(1, Fragile.thrown.get(), "readings of job 2's result that threw");
            CountDownLatch cancelled = new CountDownLatch(1);
            EngineHooks.afterCancellingQueued = cancelled::countDown;
            a.cancel(); // job 0 is interrupted; job 2's result, in the queue, is kept
            awaitLatch(cancelled, "the cancel's answers");
            assertEquals(List.of(), uncaught, "what reached an uncaught-exception handler");
            assertEquals(2, Fragile.thrown.get(), "readings of job 2's result that threw");
            receive.countDown();
            parts.release();
            List<String> results = readAll(a, pool);
            assertEquals(2, results.size(), results.toString());
            assertTrue(results.get(0).startsWith("0=failed: "), results.toString());
            assertEquals("2=second", results.get(1), "the result read by the receiver");
            assertEquals(1, runsOf2.get(), "runs of job 2");
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertEquals(List.of(), uncaught, "what reached an uncaught-exception handler");
        }
    }

    /**
     * Job 2 waits in the jobs queue, the part's one worker held by job 0, while a reconciliation looks there, and
     * reading job 2 throws an {@link InternalError} for that look: the look counts job 2 as queued and goes on,
     * nothing reaches an uncaught-exception handler, job 2 is not queued again, and once job 0 lets the worker go it
     * takes job 2 and runs it once. Before the fix the error ended the look and the maintenance thread, and went to
     * its uncaught-exception handler.
     */
    @Test
    void aJobThatCannotBeReadWhileAReconciliationLooksInTheJobsQueueIsCountedThereAndTheLookGoesOn()
            throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        FragileJob.trips.set(0);
        FragileJob.thrown.set(0);
        String pool = "UnreadableJobWhileLooking";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        CountDownLatch looked = new CountDownLatch(1);
        AtomicReference<Set<Long>> lost = new AtomicReference<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            uncaught.add(e);
            looked.countDown(); // a look that ended so fails the test at once
        });
        AtomicInteger runsOf2 = new AtomicInteger();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PoolEngine<Long, String> a = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> {
            if (job == 2) {
                runsOf2.incrementAndGet();
            }
            return TwoMemberCluster.holdingJob0(holding, release, "first").apply(job);
        }, PlacementTest::describe, FRAGILE_JOB);
        try {
            a.submit(0L);
            awaitLatch(holding, "job 0 to hold the part's one worker");
            a.submit(2L); // waits in the jobs queue: no other member serves the pool
            FragileJob.trips.set(1); // the reconciliation's reading; the worker's then reads it
            EngineHooks.beforeRequeuing = found -> {
                lost.set(found);
                looked.countDown();
            };
            ((HazelcastEngine<?, ?, ?>) a).reconcileSoon();
            awaitLatch(looked, "the reconciliation's look");
            assertEquals(List.of(), uncaught, "what reached an uncaught-exception handler");
            assertEquals(Set.of(), lost.get(), "jobs found lost (job 0 is held, job 2 queued)");
            assertEquals(1, FragileJob.thrown.get(), "readings of job 2 that threw");
            release.countDown();
            a.close();
            List<String> results = readAll(a, pool);
            assertEquals(List.of("0=first", "2=first"), results);
            assertEquals(1, runsOf2.get(), "runs of job 2");
            assertTrue(a.await(Duration.ofSeconds(60)), "the part ended");
            assertEquals(List.of(), uncaught, "what reached an uncaught-exception handler");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            release.countDown();
            a.cancel();
            a.await(Duration.ofSeconds(60));
        }
    }

    /**
     * Reading job 2 as the part's one worker takes it out of the jobs queue throws an {@link InternalError} once (a
     * {@link VirtualMachineError}, which {@link Wire} throws on rather than make it the job's error): the job is lost
     * with it. The worker reports the error to its thread's uncaught-exception handler and goes on working, and,
     * the job being its own submitter's, asks for a reconciliation at once, which runs the job again: every job has
     * its result within 20 s (the stall time is ten minutes). Before the fix the error ended the part's only worker,
     * and the results did not end within 20 s.
     */
    @Test
    void anErrorReadingAJobAsAWorkerTakesItLeavesTheWorkerWorkingAndTheJobRunAgain() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        FragileJob.trips.set(1);
        FragileJob.thrown.set(0);
        String pool = "UnreadableJobTaken";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        AtomicInteger runsOf2 = new AtomicInteger();
        PoolEngine<Long, String> a = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> {
            if (job == 2) {
                runsOf2.incrementAndGet();
            }
            return "first";
        }, PlacementTest::describe, FRAGILE_JOB);
        try {
            for (long job = 1; job <= 3; job++) {
                a.submit(job);
            }
            a.close();
            List<String> results = readAll(a, pool, 20);
            assertEquals(List.of("1=first", "2=first", "3=first"), results);
            assertEquals(1, FragileJob.thrown.get(), "readings of job 2 that threw");
            assertEquals(1, runsOf2.get(), "runs of job 2");
            assertTrue(a.await(Duration.ofSeconds(60)), "the part ended");
            assertEquals(1, uncaught.size(), uncaught.toString());
            assertTrue(uncaught.get(0) instanceof InternalError, uncaught.toString());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            a.cancel();
            a.await(Duration.ofSeconds(60));
        }
    }

    /**
     * As the test above, reading job 2 throwing every time: each loss is one of the job's failed deliveries, and the
     * last of {@value SubmitterState#MAX_FAILED_DELIVERIES} gives it a {@link RemoteJobException} naming the pool,
     * so that the results and the pool end. Without the bound the job would be found lost and run again for ever.
     */
    @Test
    void aJobThatCannotEverBeReadAsAWorkerTakesItEndsFailedAfterABoundedNumberOfTakes() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        FragileJob.trips.set(Integer.MAX_VALUE);
        FragileJob.thrown.set(0);
        String pool = "UnreadableJobAlways";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        PoolEngine<Long, String> a = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> "first",
                PlacementTest::describe, FRAGILE_JOB);
        try {
            for (long job = 1; job <= 3; job++) {
                a.submit(job);
            }
            a.close();
            List<String> results = readAll(a, pool, 20);
            assertEquals(3, results.size(), results.toString());
            assertEquals(List.of("1=first", "3=first"), List.of(results.get(0), results.get(2)));
            assertTrue(results.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job could not be read by the worker that took it"), results.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, FragileJob.thrown.get(), "readings that threw");
            assertTrue(a.await(Duration.ofSeconds(60)), "the part ended");
            assertTrue(uncaught.stream().allMatch(e -> e instanceof InternalError), uncaught.toString());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            FragileJob.trips.set(0);
            a.cancel();
            a.await(Duration.ofSeconds(60));
        }
    }

    /**
     * Reading job 2 throws an {@link InternalError} every time, and only the second member's one worker takes it (the
     * first member's one worker is held by job 0): each loss is on a member other than the job's submitter's, which
     * tells the submitter with a loss notice; the submitter counts each with the job's failed deliveries, and the last
     * of {@value SubmitterState#MAX_FAILED_DELIVERIES} ends the job with a {@link RemoteJobException} naming the
     * pool, so that the results end (within 30 s; the stall time is one second). Before the fix such a loss did not
     * count: the job ran again at each stall reconciliation, for ever, and the results did not end within 30 s.
     */
    @Test
    void aJobThatCannotEverBeReadAsAnotherMembersWorkerTakesItEndsFailedAfterABoundedNumberOfTakes()
            throws Exception {
        EngineHooks.stallMillis = 1_000;
        FragileJob.trips.set(Integer.MAX_VALUE);
        FragileJob.thrown.set(0);
        String pool = "UnreadableJobElsewhere";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, FRAGILE_JOB, job -> "first",
                (thread, e) -> uncaught.add(e))) {
            PoolEngine<Long, String> a = parts.first();
            parts.startSecond(1, job -> "second");
            a.submit(2L); // the only idle worker is the second member's
            a.close();
            Reader reader = Reader.start(a, pool);
            reader.await(1, 30, "job 2's result");
            parts.release();
            assertLostElsewhereThreeTimes(reader.toEnd(), pool, "could not read the job as its worker took it",
                    "job 2 cannot be read");
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertTrue(uncaught.stream().allMatch(e -> e instanceof InternalError), uncaught.toString());
        } finally {
            FragileJob.trips.set(0);
        }
    }

    /**
     * Writing job 2's result throws an {@link InternalError} every time ({@link Unwritable}), and only the second
     * member's one worker runs it (the first member's one worker is held by job 0): each result is lost as that
     * worker sends it, which tells the submitter with a loss notice; the worker goes on working, the submitter counts
     * each loss and runs the job again at once (the stall time is ten minutes), and the third ends the job with a
     * {@link RemoteJobException} naming the pool, within 20 s, the job run three times. Before the fix the error
     * ended the second member's only worker, nothing told the submitter, and the results did not end within 20 s.
     */
    @Test
    void aResultThatCannotEverBeSentFromAnotherMemberEndsItsJobFailedAfterABoundedNumberOfRuns() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Unwritable.trips.set(Integer.MAX_VALUE);
        String pool = "UnsendableElsewhere";
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        AtomicInteger runsOf2 = new AtomicInteger();
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, UNWRITABLE, job -> job + ":first",
                (thread, e) -> uncaught.add(e))) {
            PoolEngine<Long, String> a = parts.first();
            parts.startSecond(1, job -> {
                if (job == 2) {
                    runsOf2.incrementAndGet();
                }
                return job + ":second";
            });
            a.submit(2L); // the only idle worker is the second member's: the result goes through the queue
            a.close();
            Reader reader = Reader.start(a, pool);
            reader.await(1, 20, "job 2's result");
            parts.release();
            assertLostElsewhereThreeTimes(reader.toEnd(), pool, "could not send the job's result",
                    "job 2's result cannot be written");
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, runsOf2.get(), "runs of job 2");
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            assertTrue(uncaught.stream().allMatch(e -> e instanceof InternalError), uncaught.toString());
        } finally {
            Unwritable.trips.set(0);
        }
    }

    /**
     * The results of a {@link HeldFirst} run of jobs 0 and 2: job 0's, then job 2's, ended by a
     * {@link RemoteJobException} naming the pool that counts 3 losses on another member, of the kind {@code how},
     * caused by {@code cause}.
     */
    private static void assertLostElsewhereThreeTimes(List<String> results, String pool, String how, String cause) {
        assertEquals(2, results.size(), results.toString());
        assertEquals("0=first", results.get(0));
        String ended = results.get(1);
        assertTrue(ended.startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                + ": the job was lost on another member that took it"), ended);
        assertTrue(ended.contains(" 3 times: "), ended);
        assertTrue(ended.contains(how), ended);
        assertTrue(ended.contains(cause), ended);
    }

    /**
     * As the test above, the job run on its submitter's one member, whose worker delivers its result in place: the
     * copy's writing throws the {@link InternalError} every time, each a failed delivery of the job's result that
     * runs it again at once (the stall time is ten minutes), and the third ends the job with a
     * {@link RemoteJobException} naming the pool, within 20 s, the job run three times. Before the fix such a
     * failure did not count (only a failed reading of the copy did): the job ran again at once, for ever, and the
     * results did not end within 20 s.
     */
    @Test
    void aResultThatCannotEverBeWrittenInPlaceEndsItsJobFailedAfterABoundedNumberOfRuns() throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Unwritable.trips.set(Integer.MAX_VALUE);
        String pool = "UnwritableInPlace";
        AtomicInteger runsOf2 = new AtomicInteger();
        PoolEngine<Long, String> part = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> {
            if (job == 2) {
                runsOf2.incrementAndGet();
            }
            return job + ":first";
        }, PlacementTest::describe, UNWRITABLE);
        try {
            for (long job = 1; job <= 3; job++) {
                part.submit(job);
            }
            part.close();
            List<String> results = readAll(part, pool, 20);
            assertEquals(3, results.size(), results.toString());
            assertEquals(List.of("1=first", "3=first"), List.of(results.get(0), results.get(2)));
            assertTrue(results.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job's result could not be delivered on the submitting member 3 times"),
                    results.toString());
            assertTrue(results.get(1).contains("job 2's result cannot be written"), results.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, runsOf2.get(), "runs of job 2");
            assertTrue(part.await(Duration.ofSeconds(60)), "the part ended");
        } finally {
            Unwritable.trips.set(0);
            part.cancel();
            part.await(Duration.ofSeconds(60));
        }
    }

    /**
     * Runs jobs 0 to 4 of pool {@code pool} from the first member, job 0 holding its one worker so that jobs 1 to 4
     * run on the second member's and their results come through the results queue; reading job 2's result there
     * throws the first {@code trips} times ({@link Fragile}). Job 0 is released once jobs 1 to 4 have their results.
     * Returns the results read, sorted, once the part has ended; collects what reaches the uncaught-exception
     * handler into {@code uncaught}. Fails with a thread dump if the results or the part do not end within 60 s.
     */
    private static List<String> runFragile(String pool, int trips, List<Throwable> uncaught) throws Exception {
        EngineHooks.stallMillis = TimeUnit.MINUTES.toMillis(10);
        Fragile.trips.set(trips);
        Fragile.thrown.set(0);
        try (HeldFirst parts = HeldFirst.start(pool, PlacementTest::describe, FRAGILE, job -> job + ":first",
                (thread, e) -> uncaught.add(e))) {
            PoolEngine<Long, String> a = parts.first();
            parts.startSecond(2, job -> job + ":second");
            for (long job = 1; job <= 4; job++) {
                a.submit(job); // the only idle workers are the second member's: the results come through the queue
            }
            a.close();
            Reader reader = Reader.start(a, pool);
            reader.await(4, 60, "the results of jobs 1 to 4");
            parts.release();
            List<String> sorted = reader.toEnd();
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            return sorted;
        }
    }

    /**
     * The codec's {@code fromWire} throws an {@link Error} for job 2's result whatever it is given, here as the one
     * member's worker delivers it in place: each failed delivery leaves the job pending, and a stall reconciliation
     * (the stall time is one second here) runs it again, until the last of
     * {@value SubmitterState#MAX_FAILED_DELIVERIES} failures gives the job a {@link RemoteJobException} naming the
     * pool, caused by the error, and the pool ends.
     * Before the fix the job ran again at every stall reconciliation, for ever, and the results never ended.
     */
    @Test
    void aDeliveryThatAlwaysFailsForOneJobEndsItFailedAfterABoundedNumberOfRuns() throws Exception {
        EngineHooks.stallMillis = 1_000;
        String pool = "AlwaysUndeliverable";
        AtomicInteger runsOf2 = new AtomicInteger();
        JobCodec<Long, String> codec = new Delegating(PlacementTest.LONG_TO_STRING) {
            @Override
            public String fromWire(Long job, Object wire) {
                if (job == 2) {
                    throw new AssertionError("job 2's result cannot be delivered");
                }
                return super.fromWire(job, wire);
            }
        };
        PoolEngine<Long, String> pool1 = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> {
            if (job == 2) {
                runsOf2.incrementAndGet();
            }
            return "first";
        }, PlacementTest::describe, codec);
        try {
            for (long job = 1; job <= 3; job++) {
                pool1.submit(job);
            }
            pool1.close();
            List<String> results = readAll(pool1, pool);
            assertEquals(3, results.size(), results.toString());
            assertEquals("1=first", results.get(0));
            assertEquals("3=first", results.get(2));
            assertTrue(results.get(1).startsWith("2=failed: " + RemoteJobException.class.getName() + ": " + pool
                    + ": the job's result could not be delivered"), results.toString());
            assertTrue(results.get(1).contains("job 2's result cannot be delivered"), results.toString());
            assertEquals(SubmitterState.MAX_FAILED_DELIVERIES, runsOf2.get(), "runs of job 2");
            assertTrue(pool1.await(Duration.ofSeconds(60)), "the part ended");
            assertEquals(1, pool1.stats().failed(), "failed jobs");
        } finally {
            pool1.cancel();
            pool1.await(Duration.ofSeconds(60));
        }
    }

    /**
     * A value on the wire, {@code <job>:<value>}, whose reading throws an {@link InternalError} the first
     * {@link #trips} times it is job 2's.
     */
    static final class Fragile implements Serializable {
        private static final long serialVersionUID = 1L;
        /** How many more readings of job 2's result throw. */
        static final AtomicInteger trips = new AtomicInteger();
        /** How many readings of job 2's result have thrown. */
        static final AtomicInteger thrown = new AtomicInteger();
        final String text;

        Fragile(String text) {
            this.text = text;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            if (text.startsWith("2:") && trips.getAndDecrement() > 0) {
                thrown.incrementAndGet();
                throw new InternalError("job 2's result cannot be read");
            }
        }
    }

    /**
     * A job's one component on the wire, whose reading throws an {@link InternalError} the first {@link #trips} times
     * it is job 2's.
     */
    static final class FragileJob implements Serializable {
        private static final long serialVersionUID = 1L;
        /** How many more readings of job 2 throw. */
        static final AtomicInteger trips = new AtomicInteger();
        /** How many readings of job 2 have thrown. */
        static final AtomicInteger thrown = new AtomicInteger();
        final long n;

        FragileJob(long n) {
            this.n = n;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            if (n == 2 && trips.getAndDecrement() > 0) {
                thrown.incrementAndGet();
                throw new InternalError("job 2 cannot be read");
            }
        }
    }

    /**
     * A value on the wire, {@code <job>:<value>}, whose writing throws an {@link InternalError} while {@link #trips}
     * is above 0 and it is job 2's.
     */
    static final class Unwritable implements Serializable {
        private static final long serialVersionUID = 1L;
        /** How many more writings of job 2's result throw. */
        static final AtomicInteger trips = new AtomicInteger();
        final String text;

        Unwritable(String text) {
            this.text = text;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            if (text.startsWith("2:") && trips.getAndDecrement() > 0) {
                throw new InternalError("job 2's result cannot be written");
            }
            out.defaultWriteObject();
        }
    }

    /** {@link PlacementTest#LONG_TO_STRING} with a value on the wire as an {@link Unwritable}: see {@link #onWire}. */
    private static final JobCodec<Long, String> UNWRITABLE = onWire(Unwritable::new, wire -> ((Unwritable) wire).text);

    /** {@link PlacementTest#LONG_TO_STRING} with a value on the wire as a {@link Fragile}: see {@link #onWire}. */
    private static final JobCodec<Long, String> FRAGILE = onWire(Fragile::new, wire -> ((Fragile) wire).text);

    /**
     * {@link PlacementTest#LONG_TO_STRING} with a value on the wire as {@code wrap} makes it; the value,
     * {@code <job>:x}, is read as {@code x} from the wire's {@code text}.
     */
    private static JobCodec<Long, String> onWire(Function<String, Object> wrap, Function<Object, String> text) {
        return new Delegating(PlacementTest.LONG_TO_STRING) {
            @Override
            public Object toWire(String value) {
                return wrap.apply(value);
            }

            @Override
            public String fromWire(Long job, Object wire) {
                String written = text.apply(wire);
                return written.substring(written.indexOf(':') + 1);
            }
        };
    }

    /** {@link PlacementTest#LONG_TO_STRING} with a job on the wire as a {@link FragileJob}. */
    private static final JobCodec<Long, String> FRAGILE_JOB = new Delegating(PlacementTest.LONG_TO_STRING) {
        @Override
        public Object[] toComponents(Long job) {
            return new Object[] {new FragileJob(job)};
        }

        @Override
        public Long fromComponents(Object[] components) {
            return ((FragileJob) components[0]).n;
        }
    };

    /** A codec that does what another does, for a test to change some of it. Stateless, as the other is. */
    static class Delegating implements JobCodec<Long, String> {
        private final JobCodec<Long, String> plain;

        Delegating(JobCodec<Long, String> plain) {
            this.plain = plain;
        }

        @Override
        public List<String> componentNames() {
            return plain.componentNames();
        }

        @Override
        public List<Class<?>> componentTypes() {
            return plain.componentTypes();
        }

        @Override
        public Class<?> valueType() {
            return plain.valueType();
        }

        @Override
        public Object[] toComponents(Long job) {
            return plain.toComponents(job);
        }

        @Override
        public Long fromComponents(Object[] components) {
            return plain.fromComponents(components);
        }

        @Override
        public Object toWire(String value) {
            return plain.toWire(value);
        }

        @Override
        public String fromWire(Long job, Object wire) {
            return plain.fromWire(job, wire);
        }
    }

    /** Reads {@code engine}'s results to their end, sorted; fails with a thread dump if they do not end in 60 s. */
    private static List<String> readAll(PoolEngine<Long, String> engine, String pool) throws InterruptedException {
        return readAll(engine, pool, 60);
    }

    /**
     * Reads {@code engine}'s results to their end, sorted; fails with a thread dump if they do not end within
     * {@code seconds}.
     */
    private static List<String> readAll(PoolEngine<Long, String> engine, String pool, int seconds)
            throws InterruptedException {
        List<String> results = new CopyOnWriteArrayList<>();
        CountDownLatch read = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            engine.results().forEach(results::add);
            read.countDown();
        }, pool + "-test-reader");
        reader.setDaemon(true);
        reader.start();
        if (!read.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the results did not end within " + seconds + " s; read " + results + "\n"
                    + StartTest.threadDump());
        }
        List<String> sorted = new ArrayList<>(results);
        sorted.sort(null);
        return sorted;
    }

    /**
     * Runs jobs 0 to 4 of pool {@code pool} (a {@link PoolEngine} of {@code factory}'s results) from the first
     * member as the class comment says, and returns the results read, sorted; fails with a thread dump if they do not
     * end within 60 s.
     */
    private static List<String> runBatch(String pool, ResultFactory<Long, String, String> factory) throws Exception {
        return runBatch(pool, factory, TimeUnit.MINUTES.toMillis(10));
    }

    /** As {@link #runBatch(String, ResultFactory)}, the first member's part reconciling after {@code stallMillis}. */
    private static List<String> runBatch(String pool, ResultFactory<Long, String, String> factory, long stallMillis)
            throws Exception {
        return runBatch(pool, factory, stallMillis, 60);
    }

    /**
     * As {@link #runBatch(String, ResultFactory, long)}, failing with a thread dump if the results do not end within
     * {@code readSeconds}.
     */
    private static List<String> runBatch(String pool, ResultFactory<Long, String, String> factory, long stallMillis,
            int readSeconds) throws Exception {
        EngineHooks.stallMillis = stallMillis;
        CountDownLatch receive = new CountDownLatch(1);
        CountDownLatch receiversHeld = new CountDownLatch(2);
        // job 0 is "held"; any other, run again once the first member's worker is free, "first"
        try (HeldFirst parts = HeldFirst.start(pool, factory, PlacementTest.LONG_TO_STRING,
                job -> job == 0 ? "held" : "first", null)) {
            PoolEngine<Long, String> a = parts.first();
            parts.letGoOnClose(receive);
            CountDownLatch queued = new CountDownLatch(4);
            countQueued(pool, queued);
            parts.startSecond(2, job -> "second");
            EngineHooks.beforeReceiving = receiversHeldUntil(pool, receive, receiversHeld);
            awaitLatch(receiversHeld, "both members' receivers to be held");
            for (long job = 1; job <= 4; job++) {
                a.submit(job); // the only idle workers are the second member's
            }
            awaitLatch(queued, "the four results in the first member's results queue");
            receive.countDown(); // the first member's receiver takes the four in one poll and drainTo
            parts.release();
            a.close();
            List<String> results = readAll(a, pool, readSeconds);
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            return results;
        }
    }

    /**
     * A hook for {@link EngineHooks#beforeReceiving} that holds the receivers of pool {@code pool} (both members')
     * until {@code receive} is counted down, counting {@code held} down once for each receiver it holds.
     */
    private static Consumer<String> receiversHeldUntil(String pool, CountDownLatch receive, CountDownLatch held) {
        Set<Thread> receivers = ConcurrentHashMap.newKeySet();
        return name -> {
            if (name.equals(pool) && receive.getCount() > 0) {
                if (receivers.add(Thread.currentThread())) {
                    held.countDown();
                }
                try {
                    awaitLatch(receive, "the test to let the receivers receive");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /**
     * The set-up the tests whose jobs run on the second member share: pool {@code pool}'s part on the first member,
     * with one worker, which job 0 holds until the test lets it go ({@link #release}), so that the jobs submitted
     * after it run on the second member's part ({@link #startSecond}) and their results come through the first
     * member's results queue. Closing it counts down the latches the test gave it ({@link #letGoOnClose}: receivers
     * it holds), lets job 0 go, cancels both parts and waits (at most 60 s each) for them to end, and restores the
     * default uncaught-exception handler if it set one: it asserts nothing, so as not to hide a failure of the test.
     * For the test's thread.
     */
    private static final class HeldFirst implements AutoCloseable {
        private final String pool;
        private final JobCodec<Long, String> codec;
        private final CountDownLatch release = new CountDownLatch(1);
        private final List<CountDownLatch> letGo = new ArrayList<>();
        private final Thread.UncaughtExceptionHandler previous;
        private final boolean handled;
        private PoolEngine<Long, String> first;
        private PoolEngine<Long, String> second;

        private HeldFirst(String pool, JobCodec<Long, String> codec, Thread.UncaughtExceptionHandler handler) {
            this.pool = pool;
            this.codec = codec;
            this.previous = Thread.getDefaultUncaughtExceptionHandler();
            this.handled = handler != null;
            if (handled) {
                Thread.setDefaultUncaughtExceptionHandler(handler);
            }
        }

        /**
         * Sets {@code handler} (unless null) as the default uncaught-exception handler, starts pool {@code pool}'s
         * part on the first member, one worker running {@code jobs} (job 0 held first, until {@link #release}), its
         * results made by {@code factory} and sent by {@code codec}, submits job 0, and waits (at most 60 s) until it
         * holds that worker.
         */
        static HeldFirst start(String pool, ResultFactory<Long, String, String> factory, JobCodec<Long, String> codec,
                JobFunction<Long, String> jobs, Thread.UncaughtExceptionHandler handler) throws Exception {
            HeldFirst parts = new HeldFirst(pool, codec, handler);
            try {
                CountDownLatch holding = new CountDownLatch(1);
                parts.first = pair.first.start(pool, PoolOptions.DEFAULT, 1, 8, job -> {
                    if (job == 0) {
                        holding.countDown();
                        awaitLatch(parts.release, "the test to release job 0");
                    }
                    return jobs.apply(job);
                }, factory, codec);
                parts.first.submit(0L); // only the first member's worker serves the pool yet
                awaitLatch(holding, "job 0 to hold the first member's worker");
                return parts;
            } catch (Exception | Error e) {
                parts.close();
                throw e;
            }
        }

        /** The first member's part. */
        PoolEngine<Long, String> first() {
            return first;
        }

        /** Starts the pool's part on the second member: {@code workers} workers running {@code jobs}. */
        void startSecond(int workers, JobFunction<Long, String> jobs) {
            second = pair.second.start(pool, PoolOptions.DEFAULT, workers, 8, jobs, PlacementTest::describe, codec);
        }

        /** Lets job 0 go, and with it the first member's worker. */
        void release() {
            release.countDown();
        }

        /** Has {@link #close} count {@code latch} down first. */
        void letGoOnClose(CountDownLatch latch) {
            letGo.add(latch);
        }

        @Override
        public void close() throws InterruptedException {
            if (handled) {
                Thread.setDefaultUncaughtExceptionHandler(previous);
            }
            letGo.forEach(CountDownLatch::countDown);
            release.countDown();
            if (first != null) {
                first.cancel(); // the parts' ends are asserted by the tests: here, not to hide a failure there
            }
            if (second != null) {
                second.cancel();
                second.await(Duration.ofSeconds(60));
            }
            if (first != null) {
                first.await(Duration.ofSeconds(60));
            }
        }
    }

    /**
     * Reads a part's results on a thread of its own, to their end: a test waits for the first few, then for the end.
     * The results are collected in a concurrent list; the test's thread waits.
     */
    private static final class Reader {
        private final List<String> results = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile CountDownLatch awaited = new CountDownLatch(0);
        private final Object lock = new Object();

        private Reader(PoolEngine<Long, String> engine, String pool) {
            thread = new Thread(() -> {
                for (String result : engine.results()) {
                    synchronized (lock) {
                        results.add(result);
                        awaited.countDown();
                    }
                }
            }, pool + "-test-reader");
            thread.setDaemon(true);
        }

        /** Starts reading {@code engine}'s results (pool {@code pool}'s). */
        static Reader start(PoolEngine<Long, String> engine, String pool) {
            Reader reader = new Reader(engine, pool);
            reader.thread.start();
            return reader;
        }

        /** Waits until {@code count} results have come, at most {@code seconds}; fails naming {@code what} else. */
        void await(int count, int seconds, String what) throws InterruptedException {
            CountDownLatch latch;
            synchronized (lock) {
                latch = new CountDownLatch(Math.max(0, count - results.size()));
                awaited = latch;
            }
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("not within " + seconds + " s: " + what + "; read " + results + "\n"
                        + StartTest.threadDump());
            }
        }

        /** Waits (at most 60 s) for the results' end, which it asserts; returns them, sorted. */
        List<String> toEnd() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), "the results ended\n" + StartTest.threadDump());
            List<String> sorted = new ArrayList<>(results);
            sorted.sort(null);
            return sorted;
        }
    }

    /**
     * Counts {@code queued} down as each result reaches the results queue of pool {@code pool}'s one part started so
     * far.
     */
    private static void countQueued(String pool, CountDownLatch queued) {
        String prefix = ResultSender.resultsName(pool, "");
        List<String> names = new ArrayList<>();
        for (DistributedObject object : pair.first.hazelcast().getDistributedObjects()) {
            if (object instanceof IQueue<?> && object.getName().startsWith(prefix)) {
                names.add(object.getName());
            }
        }
        assertEquals(1, names.size(), "the first part's results queue: " + names);
        IQueue<Object> queue = pair.first.hazelcast().getQueue(names.get(0));
        queue.addItemListener(new ItemListener<Object>() {
            @Override
            public void itemAdded(ItemEvent<Object> item) {
                queued.countDown();
            }

            @Override
            public void itemRemoved(ItemEvent<Object> item) {
            }
        }, false);
    }
}
