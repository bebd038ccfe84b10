package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's background work goes on when its log throws (a handler that fails, out of memory as a record is
 * formatted): the record is lost, not the rest of a cancel, a pass or a thread's task; and where a failure cannot be
 * added as suppressed to the one thrown (an {@link OutOfMemoryError}, which the JVM may reuse), nothing is added, and
 * it is logged instead. No cluster: the member and its structures are stand-ins that fail where the test says, and
 * each test installs, on the logger the class logs to, a handler that throws on every record (and records its level
 * and what it carries), with that logger's level at {@link Level#FINE}, both undone as it ends.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ThrowingLogTest {
    private static final String ENGINE = HazelcastEngine.class.getName();

    /**
     * A cancel whose question to the members fails (a member's answer is an {@link ExecutionException}, logged at
     * {@link Level#FINE}) still gives the pending job its cancelled result. Before the fix the log threw out of the
     * look at the members, and its second log, of the failed cancel, out of the cancel: the job kept waiting for a
     * result, and the pool for its end.
     */
    @Test
    void aCancelWhoseLogsThrowStillCancelsThePendingJobs() {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        SubmitterState<Long, String, String> state = new SubmitterState<>("Cancelled", "s",
                PlacementTest.LONG_TO_STRING, (job, value, error) -> {
                    ended.set(error);
                    return "done";
                }, false, () -> { });
        state.startOffering(1, 1L);
        state.endOffering(1, true);
        state.cancel();
        IExecutorService queries = stub(IExecutorService.class, (method, args) -> method.equals("submitToAllMembers")
                ? Map.of(stub(Member.class, (m, a) -> unsupported(m)),
                        CompletableFuture.failedFuture(new IllegalStateException("the member is leaving")))
                : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> method.equals("getExecutorService")
                ? queries : unsupported(method));
        Reconciler<Long> reconciler = new Reconciler<>(hz, state, null, (task, delayMillis) -> { });

        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(reconciler::cancelQueued);
            assertEquals(List.of(Level.FINE), log.levels(), "the member's failure, logged");
        }
        assertNull(state.pendingJob(1), "the job has its result");
        assertInstanceOf(CancellationException.class, ended.get());
    }

    /**
     * A hand-off to the maintenance thread that throws is logged as a warning, and the log throws too: the call still
     * returns (its caller, a receiver or worker handling a failure, is not ended), and the next call asks again.
     * Before the fix what the log threw went on to the caller.
     */
    @Test
    void aReconcileSoonWhoseLogThrowsReturns() {
        List<Runnable> handed = new ArrayList<>();
        boolean[] failNext = {true};
        JobsQueueFollower.Maintenance maintenance = (task, delayMillis) -> {
            if (failNext[0]) {
                failNext[0] = false;
                throw new IllegalStateException("no room for the task");
            }
            handed.add(task);
        };
        SubmitterState<Object, Object, Object> state = new SubmitterState<>("Reconciled", "s", null,
                (job, value, error) -> value, false, () -> { });
        Reconciler<Object> reconciler = new Reconciler<>(null, state, null, maintenance);

        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(reconciler::reconcileSoon, "what the log threw is dropped");
            assertEquals(List.of(Level.WARNING), log.levels());
        }
        reconciler.reconcileSoon();
        assertEquals(1, handed.size(), "the call after the failed hand-off asks for a reconciliation");
    }

    /**
     * A deregistration whose look at the choice of jobs queue fails (logged as a warning) still deletes this
     * submitter's registration. Before the fix what the log threw skipped the deletion, and went on to the thread
     * ending the part, skipping the rest of its cleanup.
     */
    @Test
    void aDeregistrationWhoseLogThrowsStillDeletesTheRegistration() {
        List<Object> deleted = new CopyOnWriteArrayList<>();
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.Leaving.submitters";
            case "delete" -> deleted.add(args[0]);
            default -> unsupported(method);
        });
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> {
            throw new IllegalStateException("the member is leaving: " + method);
        });
        JobsQueueFollower follower = new JobsQueueFollower(hz, "Leaving", "s", null, submitters,
                (task, delayMillis) -> { }, deadline -> true);

        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::deregister);
            assertEquals(List.of(Level.WARNING), log.levels());
        }
        assertEquals(List.of("s"), deleted, "the registration is deleted");
    }

    /**
     * A check of the choice of jobs queue after a member left whose operation fails (logged at {@link Level#FINE})
     * is tried again later. Before the fix what the log threw ended the check before it had itself tried again: the
     * check stayed due, and undone, until another member left.
     */
    @Test
    void aCheckWhoseLogThrowsIsTriedAgain() {
        IMap<String, String> submitters = map((method, args) -> method.equals("getName")
                ? "workerpool.Checked.submitters" : unsupported(method));
        LifecycleService running = stub(LifecycleService.class, (method, args) -> method.equals("isRunning")
                ? true : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getLifecycleService" -> running;
            case "getMap" -> throw new IllegalStateException("partitions are moving");
            default -> unsupported(method);
        });
        List<Long> later = new CopyOnWriteArrayList<>();
        JobsQueueFollower follower = new JobsQueueFollower(hz, "Checked", "s", null, submitters,
                (task, delayMillis) -> later.add(delayMillis), deadline -> true);
        follower.markCheckDue();

        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::check);
            assertEquals(List.of(Level.FINE), log.levels());
        }
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), later, "the check is tried again later");
    }

    /**
     * A check of the choice of jobs queue after a member left whose operation throws an {@link Error} (an
     * {@link AssertionError} from the member) is still scheduled to be tried again, and stays due; the error is
     * thrown once that is done. The same error at the next try is logged at {@link Level#FINE} instead of thrown (the
     * check still due, and tried again); an error of another class is thrown, and so is the first error again after a
     * try that threw none. Before the fix the same error was thrown at every try, every
     * {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms until the pool terminated, each one to the maintenance thread's
     * uncaught-exception handler.
     */
    @Test
    void aCheckThatThrowsTheSameErrorAtEveryTryThrowsItOnceAndIsTriedAgain() {
        AssertionError checkFailed = new AssertionError("the member fails (a stand-in)");
        InternalError otherFailure = new InternalError("the member fails otherwise (a stand-in)");
        AtomicReference<Throwable> failure = new AtomicReference<>(checkFailed);
        IMap<String, String> submitters = map((method, args) -> method.equals("getName")
                ? "workerpool.CheckedWithAnError.submitters" : unsupported(method));
        LifecycleService running = stub(LifecycleService.class, (method, args) -> method.equals("isRunning")
                ? true : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> {
            if (method.equals("getLifecycleService")) {
                return running;
            }
            if (method.equals("getMap")) {
                Throwable e = failure.get();
                if (e instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) e;
            }
            return unsupported(method);
        });
        List<Long> later = new CopyOnWriteArrayList<>();
        JobsQueueFollower follower = new JobsQueueFollower(hz, "CheckedWithAnError", "s", null, submitters,
                (task, delayMillis) -> later.add(delayMillis), deadline -> true);
        follower.markCheckDue();

        assertSame(checkFailed, assertThrows(AssertionError.class, follower::check), "the check's error");
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), later, "the check is tried again later");
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::check, "the same error again: logged, not thrown");
            assertEquals(List.of(Level.FINE), log.levels());
            assertEquals(List.of(checkFailed), log.thrown());
        }
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), later, "its next try scheduled once");
        failure.set(otherFailure);
        assertSame(otherFailure, assertThrows(InternalError.class, follower::check), "another error: thrown");
        failure.set(new IllegalStateException("partitions are moving"));
        assertDoesNotThrow(follower::check, "a try without an error ends the run");
        failure.set(checkFailed);
        assertSame(checkFailed, assertThrows(AssertionError.class, follower::check), "a new run: thrown");
    }

    /**
     * The destruction of a queue this member no longer uses throws the same {@link Error} at every try: the first try
     * throws it (once the next is scheduled), the next logs it at {@link Level#FINE} instead, and is scheduled again
     * too. Before the fix the same error was thrown at every try, every {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms
     * until the pool terminated.
     */
    @Test
    void aDestructionOfRetiredQueuesThatThrowsTheSameErrorAtEveryTryThrowsItOnce() {
        AssertionError awaitFailed = new AssertionError("the takes cannot be awaited (a stand-in)");
        Retiring retiring = retiring("RetiringWithTheSameError", () -> {
            throw new IllegalStateException("partitions are moving");
        }, () -> {
            throw awaitFailed;
        });
        JobsQueueFollower follower = retiring.follower();

        assertSame(awaitFailed, assertThrows(AssertionError.class, follower::readSoon), "the destruction's error");
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::readSoon, "the same error again: logged, not thrown");
            assertEquals(List.of(Level.FINE, Level.FINE), log.levels(), "the read's failure, then the destruction's");
            assertSame(awaitFailed, log.thrown().get(1));
        }
        assertEquals(2, retiring.awaited().size(), "the destruction was tried each time");
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), retiring.later(), "and is tried again later");
    }

    /**
     * A read of the choice of jobs queue that fails (logged at {@link Level#FINE}) still goes on to destroy the
     * queue this member no longer uses, and a destruction that fails (logged too) is tried again later. Before the
     * fix what the first log threw ended the read's task before the destruction: the queue was left until the next
     * read, or the part's end.
     */
    @Test
    void aReadOfTheChoiceWhoseLogThrowsStillDestroysRetiredQueues() {
        Retiring retiring = retiring("Retiring", () -> {
            throw new IllegalStateException("partitions are moving");
        }, () -> {
            throw new IllegalStateException("the takes cannot be awaited");
        });
        JobsQueueFollower follower = retiring.follower();
        List<Long> awaited = retiring.awaited();
        List<Long> later = retiring.later();

        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::readSoon);
            assertEquals(List.of(Level.FINE, Level.FINE), log.levels(), "the read's failure, then the destruction's");
        }
        assertEquals(1, awaited.size(), "the destruction of the retired queue was tried");
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), later, "and is tried again later");
    }

    /**
     * A read of the choice of jobs queue that throws an {@link Error} (an {@link AssertionError} from the map) still
     * goes on to destroy the queue this member no longer uses, and a destruction that throws one too is still tried
     * again later; the read's error is thrown once that is done, the destruction's suppressed in it. Before the fix
     * the read's error ended the task before the destruction: the queue was left until the next read, or the part's
     * end.
     */
    @Test
    void aReadOfTheChoiceThatThrowsAnErrorStillDestroysRetiredQueues() {
        AssertionError readFailed = new AssertionError("the map fails (a stand-in)");
        AssertionError awaitFailed = new AssertionError("the takes cannot be awaited (a stand-in)");
        Retiring retiring = retiring("RetiringWithAnError", () -> {
            throw readFailed;
        }, () -> {
            throw awaitFailed;
        });
        JobsQueueFollower follower = retiring.follower();
        List<Long> awaited = retiring.awaited();
        List<Long> later = retiring.later();

        AssertionError thrown = assertThrows(AssertionError.class, follower::readSoon);
        assertSame(readFailed, thrown, "the read's error");
        assertEquals(1, awaited.size(), "the destruction of the retired queue was tried");
        assertEquals(List.of(awaitFailed), List.of(thrown.getSuppressed()), "the destruction's error, suppressed");
        assertEquals(List.of(JobsPlacement.CHECK_AGAIN_MILLIS), later, "and is tried again later");
    }

    /**
     * A read of the choice of jobs queue that throws the same {@link Error} at every read (the receiver of a serving
     * member has it read every few seconds): the first read throws it, once the destruction of the retired queue has
     * been tried; the next logs it at {@link Level#FINE} instead, and still tries the destruction (whose failure is
     * logged too). Before the fix the same error was thrown at every read.
     */
    @Test
    void aReadOfTheChoiceThatThrowsTheSameErrorAtEveryReadThrowsItOnce() {
        AssertionError readFailed = new AssertionError("the map fails (a stand-in)");
        Retiring retiring = retiring("ReadWithTheSameError", () -> {
            throw readFailed;
        }, () -> {
            throw new IllegalStateException("the takes cannot be awaited");
        });
        JobsQueueFollower follower = retiring.follower();

        AssertionError thrown = assertThrows(AssertionError.class, follower::readSoon);
        assertSame(readFailed, thrown, "the read's error");
        assertEquals(0, thrown.getSuppressed().length, "nothing suppressed: the destruction threw no error");
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(follower::readSoon, "the same error again: logged, not thrown");
            assertEquals(List.of(Level.FINE, Level.FINE), log.levels(), "the destruction's failure, then the read's");
            assertSame(readFailed, log.thrown().get(1));
        }
        assertEquals(2, retiring.awaited().size(), "the destruction was tried each time");
    }

    /**
     * A follower of pool {@code pool} on a running stand-in member, whose jobs queue was dropped from the choice (so
     * it is retired), whose next read of the choice runs {@code readFails} (which throws) and whose wait for the
     * retired queue's takes runs {@code awaitFails} (which throws); tasks without delay run at once, the others'
     * delays are recorded in {@code later}, the waits' deadlines in {@code awaited}.
     */
    private static Retiring retiring(String pool, Runnable readFails, Runnable awaitFails) {
        List<Object> reads = new CopyOnWriteArrayList<>();
        IMap<String, String> placement = map((method, args) -> {
            if (method.equals("get")) {
                if (args[0].equals(JobsPlacement.KEY) && !reads.isEmpty()) {
                    readFails.run();
                }
                reads.add(args[0]);
                return null;
            }
            return unsupported(method);
        });
        LifecycleService running = stub(LifecycleService.class, (method, args) -> method.equals("isRunning")
                ? true : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> method.equals("getLifecycleService")
                ? running : unsupported(method));
        List<Long> later = new CopyOnWriteArrayList<>();
        JobsQueueFollower.Maintenance maintenance = (task, delayMillis) -> {
            if (delayMillis == 0) {
                task.run();
            } else {
                later.add(delayMillis);
            }
        };
        List<Long> awaited = new CopyOnWriteArrayList<>();
        JobsQueueFollower follower = new JobsQueueFollower(hz, pool, "s", placement, null, maintenance,
                deadline -> {
                    awaited.add(deadline);
                    awaitFails.run();
                    return false;
                });
        assertNull(follower.readChoiceAsRegistered());
        IQueue<Wire.JobItem> jobs = queue((method, args) -> unsupported(method));
        follower.follow(jobs);
        follower.follow(null); // the choice was dropped: the queue is retired
        return new Retiring(follower, later, awaited);
    }

    /** What {@link #retiring} made: the follower, the delays of its later tasks, its waits' deadlines. */
    private record Retiring(JobsQueueFollower follower, List<Long> later, List<Long> awaited) {
    }

    /**
     * The sweeper's pass after a member left, over two pools: the first pool's forgetting of the member's submitters
     * and its check of the choice of jobs queue fail (each logged at {@link Level#FINE}); the second pool's check is
     * still made, and the checks not made (the first fails, the second's lock is never had) are tried again every
     * {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms. Before the fix what the first log threw ended the pass: the
     * second pool was neither forgotten nor checked, and no check was tried again (the pass made again
     * {@value ResultsQueueSweeper#DELAY_MILLIS} ms after the member left ended the same way).
     */
    @Test
    void theSweepersPassWhoseLogThrowsGoesOnToTheNextPoolAndTriesAgain() throws InterruptedException {
        CountDownLatch secondChecked = new CountDownLatch(3); // the first check, and two of its next tries
        IMap<String, String> secondPlacement = map((method, args) -> {
            if (method.equals("tryLock")) {
                secondChecked.countDown();
                return false; // held elsewhere
            }
            return unsupported(method);
        });
        IMap<String, String> first = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.first.submitters";
            case "entrySet" -> throw new IllegalStateException("partitions are moving");
            default -> unsupported(method);
        });
        IMap<String, String> second = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.second.submitters";
            case "entrySet" -> Set.of();
            default -> unsupported(method);
        });
        List<DistributedObject> objects = List.of(first, second, named(JobsPlacement.mapName("first")),
                named(JobsPlacement.mapName("second")));
        HazelcastInstance hz = sweptMember(objects, name -> {
            if (name.equals(JobsPlacement.mapName("second"))) {
                return secondPlacement;
            }
            throw new IllegalStateException("partitions are moving");
        }, () -> true);

        try (ThrowingLog log = new ThrowingLog(ResultsQueueSweeper.class.getName())) {
            ResultsQueueSweeper sweeper = new ResultsQueueSweeper(hz);
            try {
                sweeper.memberRemoved(UUID.randomUUID());
                assertTrue(secondChecked.await(30, TimeUnit.SECONDS), () -> "the second pool's check was not made "
                        + "and tried again twice within 30 s; logged: " + log.levels() + "\n" + StartTest.threadDump());
            } finally {
                sweeper.close();
            }
        }
    }

    /**
     * A removal of the sweeper whose first listener's removal fails (logged at {@link Level#FINE}) still removes
     * the other listener, and does not throw. Before the fix what the log threw skipped the second removal, and
     * went on out of {@code close()} (the backend's, which then left its own member running).
     */
    @Test
    void aSweepersCloseWhoseLogThrowsRemovesBothListeners() {
        List<Object> removed = new CopyOnWriteArrayList<>();
        HazelcastInstance hz = sweptMember(List.of(), name -> unsupported("getMap"), () -> {
            throw new IllegalStateException("the member is leaving");
        }, removed);
        ResultsQueueSweeper sweeper = new ResultsQueueSweeper(hz);
        try (ThrowingLog log = new ThrowingLog(ResultsQueueSweeper.class.getName())) {
            assertDoesNotThrow(sweeper::close);
            assertEquals(List.of(Level.FINE), log.levels());
        }
        assertEquals(1, removed.size(), "the lifecycle listener is removed");
    }

    /**
     * A close of the sweeper whose first listener's removal throws an {@link Error} (an {@link AssertionError} from a
     * listener's removal) still removes the other listener, then throws the error. Before the fix the error skipped
     * the second removal: the sweeper's lifecycle listener stayed on the member.
     */
    @Test
    void aSweepersCloseWhoseFirstRemovalThrowsAnErrorRemovesBothListeners() {
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        List<Object> removed = new CopyOnWriteArrayList<>();
        HazelcastInstance hz = sweptMember(List.of(), name -> unsupported("getMap"), () -> {
            throw removalFailed;
        }, removed);
        ResultsQueueSweeper sweeper = new ResultsQueueSweeper(hz);
        assertSame(removalFailed, assertThrows(AssertionError.class, sweeper::close), "the removal's error");
        assertEquals(1, removed.size(), "the lifecycle listener is removed");
    }

    /**
     * The close of a backend on a member of one's own, no pool running, whose removal of its membership listener
     * fails (logged at {@link Level#FINE}) returns. Before the fix what the log threw went on out of
     * {@code close()}, and, where the last pool's end lets the backend go, out of that end before the pool counted
     * itself terminated.
     */
    @Test
    void aBackendsCloseWhoseLogThrowsReturns() {
        Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
            case "addMembershipListener" -> UUID.randomUUID();
            case "removeMembershipListener" -> throw new IllegalStateException("the member is leaving");
            default -> unsupported(method);
        });
        Config config = HazelcastBackend.configure(new Config());
        ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
        HazelcastInstance swept = sweptMember(List.of(), name -> unsupported("getMap"), () -> true);
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> "closing";
            case "getConfig" -> config;
            case "getCluster" -> cluster;
            case "getUserContext" -> context;
            default -> invoke(swept, method, args);
        });
        HazelcastBackend backend = HazelcastBackend.on(hz);

        try (ThrowingLog log = new ThrowingLog(HazelcastBackend.class.getName())) {
            assertDoesNotThrow(backend::close);
            assertEquals(List.of(Level.FINE), log.levels());
        }
    }

    /**
     * The close of a backend on a member of one's own, no pool running, whose removal of its membership listener
     * fails (logged at {@link Level#FINE}, the log throwing): the backend is still taken out of the member's user
     * context, where the member's queries find it. Before the fix the failed removal skipped that: the backend stayed
     * registered, and answered for its pools, after its close.
     */
    @Test
    void aBackendsCloseWhoseListenersRemovalFailsStillUnregistersIt() {
        Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
            case "addMembershipListener" -> UUID.randomUUID();
            case "removeMembershipListener" -> throw new IllegalStateException("the member is leaving");
            default -> unsupported(method);
        });
        Config config = HazelcastBackend.configure(new Config());
        ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
        HazelcastInstance swept = sweptMember(List.of(), name -> unsupported("getMap"), () -> true);
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> "unregistering";
            case "getConfig" -> config;
            case "getCluster" -> cluster;
            case "getUserContext" -> context;
            default -> invoke(swept, method, args);
        });
        HazelcastBackend backend = HazelcastBackend.on(hz);
        assertTrue(registered(context, backend), "registered as it is made");

        try (ThrowingLog log = new ThrowingLog(HazelcastBackend.class.getName())) {
            assertDoesNotThrow(backend::close);
            assertEquals(List.of(Level.FINE), log.levels(), "the removal's failure, logged");
        }
        assertFalse(registered(context, backend), "the backend is no longer in the member's user context");
    }

    /**
     * The close of a backend on a member of one's own, no pool running, whose removal of its membership listener
     * throws an {@link Error} (an {@link AssertionError} from a listener's removal): the backend is still taken out
     * of the member's user context, then the error is thrown. Before the fix the error skipped the unregistration:
     * the backend stayed registered, and answered for its pools, after its close.
     */
    @Test
    void aBackendsCloseWhoseListenersRemovalThrowsAnErrorStillUnregistersIt() {
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
            case "addMembershipListener" -> UUID.randomUUID();
            case "removeMembershipListener" -> throw removalFailed;
            default -> unsupported(method);
        });
        Config config = HazelcastBackend.configure(new Config());
        ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
        HazelcastInstance swept = sweptMember(List.of(), name -> unsupported("getMap"), () -> true);
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> "unregistering after an error";
            case "getConfig" -> config;
            case "getCluster" -> cluster;
            case "getUserContext" -> context;
            default -> invoke(swept, method, args);
        });
        HazelcastBackend backend = HazelcastBackend.on(hz);

        assertSame(removalFailed, assertThrows(AssertionError.class, backend::close), "the removal's error");
        assertFalse(registered(context, backend), "the backend is no longer in the member's user context");
    }

    /** Whether {@code backend} is among the backends in a member's user context {@code context}. */
    private static boolean registered(Map<String, Object> context, HazelcastBackend backend) {
        return context.values().stream().anyMatch(value -> value instanceof Set<?> set && set.contains(backend));
    }

    /**
     * A member whose serialization cannot be reached (logged at {@link Level#FINE}) has no copier of results, and
     * the pool's start, which asks for it, goes on. Before the fix what the log threw went on out of
     * {@link Wire#resultCopier}, and failed the start.
     */
    @Test
    void aResultCopierWhoseLogThrowsIsNone() {
        Object hz = Proxy.newProxyInstance(ThrowingLogTest.class.getClassLoader(),
                new Class<?>[] {HazelcastInstance.class, SerializationServiceSupport.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("no serialization here: " + method.getName());
                });

        try (ThrowingLog log = new ThrowingLog(Wire.class.getName())) {
            assertNull(assertDoesNotThrow(() -> Wire.resultCopier((HazelcastInstance) hz)));
            assertEquals(List.of(Level.FINE), log.levels());
        }
    }

    /**
     * After a member left, the part's forgetting of that member's submitters fails: with an exception (logged at
     * {@link Level#FINE}, by a log that throws), or with an {@link Error} (an {@link AssertionError} from the map,
     * thrown once the task is done). Either way the maintenance thread's task still checks the choice of jobs queue
     * and goes on to the reconciliation (the hook just before it runs). Before the fixes what the log threw, or the
     * error, ended the task there: neither the check nor the reconciliation was made until some later event.
     */
    @ParameterizedTest(name = "error={0}")
    @ValueSource(booleans = {false, true})
    void anEnginesCleanupAfterAMemberLeftThatFailsStillChecksAndReconciles(boolean error)
            throws InterruptedException {
        String pool = error ? "LeftWithAnError" : "Left";
        CountDownLatch checked = new CountDownLatch(1);
        IMap<String, String> placement = map((method, args) -> {
            if (method.equals("tryLock")) {
                checked.countDown();
                return false; // held elsewhere: the check is tried again later
            }
            return unsupported(method);
        });
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool." + pool + ".submitters";
            case "entrySet" -> {
                if (error) {
                    throw new AssertionError("the map fails (a stand-in)");
                }
                throw new IllegalStateException("partitions are moving");
            }
            default -> unsupported(method);
        });
        List<String> cleanedUp = new CopyOnWriteArrayList<>();
        EngineHooks.afterMemberCleanup = cleanedUp::add;
        try (StubbedPart part = new StubbedPart(pool, placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            UUID left = UUID.randomUUID();
            part.engine.memberRemoved(left);
            CountDownLatch behind = new CountDownLatch(1);
            part.engine.maintain(behind::countDown, 0); // runs once the task after the member left has
            assertTrue(behind.await(30, TimeUnit.SECONDS), () -> "the maintenance thread did not run the task "
                    + "queued behind the cleanup within 30 s\n" + StartTest.threadDump());
            if (!error) {
                assertEquals(List.of(Level.FINE), log.levels(), "the cleanup's failure, logged");
            }
            assertEquals(0, checked.getCount(), "the choice of jobs queue is checked");
            assertEquals(List.of(left.toString()), cleanedUp, "the task goes on to the reconciliation");
        } finally {
            EngineHooks.afterMemberCleanup = null;
        }
    }

    /**
     * The engine's cleanup after a member left whose test hook throws an exception (an
     * {@link IllegalStateException}, logged at {@link Level#FINE}) still reconciles: the reconciliation looks in the
     * jobs queue (a stand-in that fails, logged as a warning). Before the fix the hook's exception skipped the
     * reconciliation, and went on out of the task. The task is run on the test's thread.
     */
    @Test
    void anEnginesCleanupAfterAMemberLeftWhoseHookThrowsStillReconciles() throws ReflectiveOperationException {
        IMap<String, String> placement = map((method, args) -> method.equals("tryLock") ? false : unsupported(method));
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.LeftHooked.submitters";
            case "entrySet" -> throw new IllegalStateException("partitions are moving");
            default -> unsupported(method);
        });
        CountDownLatch looked = new CountDownLatch(1);
        IQueue<Object> jobs = queue((method, args) -> {
            looked.countDown();
            return unsupported(method);
        });
        EngineHooks.afterMemberCleanup = member -> {
            throw new IllegalStateException("the hook fails (a stand-in)");
        };
        try (StubbedPart part = new StubbedPart("LeftHooked", placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            Object follower = field(HazelcastEngine.class, "follower").get(part.engine);
            field(JobsQueueFollower.class, "jobs").set(follower, jobs);
            field(JobsQueueFollower.class, "picked").set(follower, true); // as a first submit picks it
            Object state = field(HazelcastEngine.class, "state").get(part.engine);
            @SuppressWarnings("unchecked")
            Map<Long, Object> pending = (Map<Long, Object>) field(SubmitterState.class, "pending").get(state);
            pending.put(1L, 1L); // a job pending, for the reconciliation to look for
            java.lang.reflect.Method afterDeath = HazelcastEngine.class.getDeclaredMethod("afterDeath", UUID.class);
            afterDeath.setAccessible(true);
            afterDeath.invoke(part.engine, UUID.randomUUID()); // the task a member's leaving queues, on this thread
            assertEquals(0, looked.getCount(), "the reconciliation looks in the jobs queue");
        } finally {
            EngineHooks.afterMemberCleanup = null;
        }
    }

    /** {@code type}'s declared field {@code name}, made accessible. */
    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /**
     * A start that fails, whose undoing's removal of the listener to the map of submitters throws an {@link Error}
     * (an {@link AssertionError} from a listener's removal): the start throws its own failure, the error suppressed
     * in it. Before the fix the error went on out of the undoing in its place, the start's failure lost, and the
     * undoing's later steps (the stop of the listening to the choice of jobs queue) skipped.
     */
    @Test
    void aFailedStartWhoseUndoingThrowsAnErrorThrowsItsOwnFailure() {
        IllegalStateException startFailed = new IllegalStateException("partitions are moving");
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.Undoing.submitters";
            case "addEntryListener" -> UUID.randomUUID();
            case "entrySet" -> throw startFailed;
            case "delete" -> null;
            case "removeEntryListener" -> throw removalFailed;
            default -> unsupported(method);
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("Undoing"));
        try (StubbedPart part = new StubbedPart("Undoing", placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, part.engine::begin);
            assertSame(startFailed, thrown, "the start's own failure");
            assertEquals(List.of(removalFailed), List.of(thrown.getSuppressed()), "the undoing's error, suppressed");
        }
    }

    /**
     * A pool's start whose {@code begin} fails ({@code failure}: an exception, a Hazelcast exception that the start
     * turns into an {@link IllegalStateException} naming the pool, an {@link Error}, or an {@link OutOfMemoryError})
     * after its backend was closed meanwhile, so that forgetting the pool lets go of the member, and that letting go
     * throws an {@link Error} (an {@link AssertionError} from the removal of the membership listener): the start
     * throws its own failure, the letting go's error suppressed in it (logged as a warning instead if the failure is
     * an {@link OutOfMemoryError}). Before the fix the letting go's error was thrown in its place, the start's
     * failure lost.
     */
    @ParameterizedTest(name = "failure={0}")
    @ValueSource(strings = {"exception", "cluster", "error", "outOfMemory"})
    void aFailedStartWhoseBackendLetsGoWithAnErrorThrowsItsOwnFailure(String failure) {
        String pool = "FailingAsClosed-" + failure;
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        Throwable beginFailed = switch (failure) {
            case "exception" -> new IllegalStateException("partitions are moving");
            case "cluster" -> new com.hazelcast.core.HazelcastException("the operation gave up (a stand-in)");
            case "error" -> new AssertionError("the map fails (a stand-in)");
            default -> new OutOfMemoryError("Java heap space (a stand-in)");
        };
        AtomicReference<HazelcastBackend> closing = new AtomicReference<>();
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool." + pool + ".submitters";
            case "addEntryListener" -> UUID.randomUUID();
            case "entrySet" -> {
                closing.get().close(); // closed as the pool starts: its end, or its failed start, lets go
                if (beginFailed instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) beginFailed;
            }
            case "delete" -> null;
            case "removeEntryListener" -> true;
            default -> unsupported(method);
        });
        IMap<String, String> placement = named(JobsPlacement.mapName(pool));
        try (StubbedPart part = new StubbedPart(pool, placement, submitters, () -> {
            throw removalFailed;
        }); ThrowingLog log = new ThrowingLog(HazelcastBackend.class.getName())) {
            closing.set(part.backend);
            Throwable thrown = assertThrows(Throwable.class, () -> part.backend.start(pool, PoolOptions.DEFAULT, 1, 1,
                    job -> "ran " + job, (job, value, error) -> value, PlacementTest.LONG_TO_STRING));
            if (failure.equals("cluster")) {
                assertInstanceOf(IllegalStateException.class, thrown);
                assertTrue(thrown.getMessage().startsWith(pool + ": a cluster operation failed the start"),
                        thrown.getMessage());
                assertSame(beginFailed, thrown.getCause(), "the start's own failure, its cause");
            } else {
                assertSame(beginFailed, thrown, "the start's own failure");
            }
            if (failure.equals("outOfMemory")) {
                assertEquals(List.of(), List.of(thrown.getSuppressed()), "nothing added to an OutOfMemoryError");
                assertEquals(List.of(Level.WARNING), log.levels(), "the letting go's error, logged instead");
                assertEquals(List.of(removalFailed), log.thrown());
            } else {
                assertEquals(List.of(removalFailed), List.of(thrown.getSuppressed()),
                        "the letting go's error, suppressed");
            }
        }
    }

    /** {@code HazelcastEngine.partEnded}, which a part's receiver and its last worker each call as they end. */
    private static java.lang.reflect.Method partEnded() throws NoSuchMethodException {
        java.lang.reflect.Method partEnded = HazelcastEngine.class.getDeclaredMethod("partEnded");
        partEnded.setAccessible(true);
        return partEnded;
    }

    /**
     * Ends {@code part} after its backend was closed while it ran: its engine is registered as a start registers it
     * (so the close keeps the member), the backend is closed, and both halves of the part end, the receiver's, then
     * the workers', which lets go of the backend and must throw; returns what that threw.
     */
    private static InvocationTargetException endedAfterItsBackendClosed(StubbedPart part)
            throws ReflectiveOperationException {
        Field engines = HazelcastBackend.class.getDeclaredField("engines");
        engines.setAccessible(true);
        @SuppressWarnings("unchecked")
        Set<Object> running = (Set<Object>) engines.get(part.backend);
        running.add(part.engine); // as a start adds it
        assertDoesNotThrow(part.backend::close); // a pool still runs: the backend keeps the member
        java.lang.reflect.Method partEnded = partEnded();
        partEnded.invoke(part.engine); // the receiver's half
        return assertThrows(InvocationTargetException.class,
                () -> partEnded.invoke(part.engine)); // the workers' half, the last
    }

    /**
     * A part whose end lets go of its closed backend, the last pool on it, and whose letting go throws an
     * {@link Error} (an {@link AssertionError} from the removal of the membership listener): the part still counts
     * itself terminated, then the error is thrown. Before the fix the error skipped that: the pool's
     * {@code awaitTermination} waited for ever.
     */
    @Test
    void aPartWhoseEndThrowsAnErrorStillTerminates() throws ReflectiveOperationException {
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.Ending.submitters";
            default -> unsupported(method); // the cleanup in the cluster fails, logged
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("Ending"));
        try (StubbedPart part = new StubbedPart("Ending", placement, submitters, () -> {
            throw removalFailed;
        }); ThrowingLog log = new ThrowingLog(ENGINE)) {
            InvocationTargetException thrown = endedAfterItsBackendClosed(part);
            assertSame(removalFailed, thrown.getCause(), "the letting go's error");
            assertTrue(part.engine.isTerminated(), "the part counts itself terminated");
        }
    }

    /**
     * A part whose cleanup in the cluster fails at an early step (the hook just after its deregistration throws: an
     * exception, logged at {@link Level#FINE}, or an {@link Error}, thrown once the part has ended): the later steps
     * are still taken (the listener to the map of submitters removed, the results queue destroyed), and the part
     * counts itself terminated. Before the fix the failure skipped every later step: the listener stayed on the
     * map, and the results queue in the cluster.
     */
    @ParameterizedTest(name = "error={0}")
    @ValueSource(booleans = {false, true})
    void aPartWhoseCleanupFailsEarlyStillTakesTheLaterSteps(boolean error) throws ReflectiveOperationException {
        String pool = error ? "CleaningWithAnError" : "Cleaning";
        RuntimeException hookFailed = new IllegalStateException("the hook fails (a stand-in)");
        AssertionError hookError = new AssertionError("the hook fails (a stand-in)");
        List<Object> removedListeners = new CopyOnWriteArrayList<>();
        List<String> destroyed = new CopyOnWriteArrayList<>();
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool." + pool + ".submitters";
            case "delete" -> null;
            case "keySet" -> Set.of();
            case "removeEntryListener" -> removedListeners.add(String.valueOf(args[0]));
            default -> unsupported(method);
        });
        IMap<String, String> placement = map((method, args) -> switch (method) {
            case "tryLock" -> true;
            case "unlock", "get" -> null;
            case "keySet" -> Set.of();
            default -> unsupported(method);
        });
        IQueue<Object> results = queue((method, args) -> method.equals("destroy") ? destroyed.add(method)
                : unsupported(method));
        EngineHooks.afterDeregistering = () -> {
            if (error) {
                throw hookError;
            }
            throw hookFailed;
        };
        try (StubbedPart part = new StubbedPart(pool, placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            SubmitterState<?, ?, ?> state = (SubmitterState<?, ?, ?>) field(HazelcastEngine.class, "state")
                    .get(part.engine);
            @SuppressWarnings({"unchecked", "rawtypes"})
            IQueue<Wire.ResultItem> resultsQueue = (IQueue) results;
            state.resultsQueue(resultsQueue); // as a start makes it
            java.lang.reflect.Method partEnded = partEnded();
            partEnded.invoke(part.engine); // the receiver's half
            if (error) {
                InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                        () -> partEnded.invoke(part.engine)); // the workers' half, the last
                assertSame(hookError, thrown.getCause(), "the hook's error, thrown once the part has ended");
            } else {
                partEnded.invoke(part.engine);
                assertEquals(List.of(Level.FINE), log.levels(), "the hook's failure, logged");
                assertEquals(List.of(hookFailed), log.thrown());
            }
            assertEquals(1, removedListeners.size(), "the listener to the map of submitters is removed");
            assertEquals(List.of("destroy"), destroyed, "the results queue is destroyed");
            assertTrue(part.engine.isTerminated(), "the part counts itself terminated");
        } finally {
            EngineHooks.afterDeregistering = null;
        }
    }

    /**
     * A part whose end lets go of its closed backend, the last pool on it, whose stop of its maintenance thread
     * throws an exception (an {@link IllegalStateException} from the thread's executor), and whose letting go then
     * throws an {@link Error} (an {@link AssertionError} from the removal of the membership listener): the error is
     * thrown, the exception suppressed in it. Before the fix the exception was dropped without a word.
     */
    @Test
    void aPartWhoseEndThrowsAnExceptionAndAnErrorKeepsBoth() throws ReflectiveOperationException {
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        IllegalStateException stopFailed = new IllegalStateException("the executor fails (a stand-in)");
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.EndingTwice.submitters";
            default -> unsupported(method); // the cleanup in the cluster fails, logged
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("EndingTwice"));
        try (StubbedPart part = new StubbedPart("EndingTwice", placement, submitters, () -> {
            throw removalFailed;
        }); ThrowingLog log = new ThrowingLog(ENGINE)) {
            Field maintenance = HazelcastEngine.class.getDeclaredField("maintenance");
            maintenance.setAccessible(true);
            Object thread = maintenance.get(part.engine);
            Field executor = MaintenanceThread.class.getDeclaredField("maintenance");
            executor.setAccessible(true);
            java.util.concurrent.ExecutorService real = (java.util.concurrent.ExecutorService) executor.get(thread);
            executor.set(thread, Proxy.newProxyInstance(ThrowingLogTest.class.getClassLoader(),
                    new Class<?>[] {java.util.concurrent.ExecutorService.class}, (proxy, method, args) -> {
                        if (method.getName().equals("shutdown")) {
                            real.shutdown();
                            throw stopFailed;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
            InvocationTargetException thrown = endedAfterItsBackendClosed(part);
            assertSame(removalFailed, thrown.getCause(), "the letting go's error");
            assertEquals(List.of(stopFailed), List.of(thrown.getCause().getSuppressed()),
                    "the stop's exception, suppressed");
            assertTrue(part.engine.isTerminated(), "the part counts itself terminated");
        }
    }

    /**
     * A cancel whose record in the cluster fails (logged at {@link Level#FINE}) returns, the part cancelled, and
     * still hands the cancel of the queued jobs to the maintenance thread (whose look at the members fails on the
     * stand-in, logged as a warning). Before the fix what the log threw went on to the caller of {@code cancel()}
     * (with a fail-fast pool, the thread that delivered the failed result that cancels it).
     */
    @Test
    void anEnginesCancelWhoseLogThrowsReturns() throws InterruptedException {
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.Cancelling.submitters";
            case "submitToKey" -> throw new IllegalStateException("the member is leaving");
            default -> unsupported(method);
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("Cancelling"));
        CountDownLatch cancelled = new CountDownLatch(1);
        EngineHooks.afterCancellingQueued = cancelled::countDown;
        try (StubbedPart part = new StubbedPart("Cancelling", placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertDoesNotThrow(part.engine::cancel);
            assertTrue(part.engine.isCancelled());
            assertTrue(cancelled.await(30, TimeUnit.SECONDS), () -> "the maintenance thread did not cancel the "
                    + "queued jobs within 30 s\n" + StartTest.threadDump());
            assertEquals(List.of(Level.FINE, Level.WARNING), log.levels(), "the cancel's failure, then the look's");
        } finally {
            EngineHooks.afterCancellingQueued = null;
        }
    }

    /**
     * A cancel whose record in the cluster throws an {@link Error} (an {@link AssertionError} from the map) still
     * hands the cancel of the queued jobs to the maintenance thread, then throws the error. Before the fix the error
     * skipped the hand-off: the pending jobs kept waiting for the next reconciliation to be cancelled.
     */
    @Test
    void anEnginesCancelWhoseRecordThrowsAnErrorStillCancelsTheQueuedJobs() throws InterruptedException {
        AssertionError recordFailed = new AssertionError("the map fails (a stand-in)");
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.CancellingWithAnError.submitters";
            case "submitToKey" -> throw recordFailed;
            default -> unsupported(method);
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("CancellingWithAnError"));
        CountDownLatch cancelling = new CountDownLatch(1);
        EngineHooks.beforeCancellingQueued = cancelling::countDown;
        try (StubbedPart part = new StubbedPart("CancellingWithAnError", placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertSame(recordFailed, assertThrows(AssertionError.class, part.engine::cancel), "the record's error");
            assertTrue(part.engine.isCancelled());
            assertTrue(cancelling.await(30, TimeUnit.SECONDS), () -> "the maintenance thread did not start the "
                    + "cancel of the queued jobs within 30 s\n" + StartTest.threadDump());
        } finally {
            EngineHooks.beforeCancellingQueued = null;
        }
    }

    /**
     * The maintenance thread's cleanup after a submitter ended fails (its results queue's destruction throws, logged
     * at {@link Level#FINE}) while a worker leaves a result in the outbox (the send lock held): the result is still
     * sent as the lock is given back. Before the fix what the log threw went on out of {@code tryForget}, and the
     * result stayed in the outbox until another send.
     */
    @Test
    void aSendersCleanupWhoseLogThrowsStillSendsWhatWasLeftInTheOutbox() throws InterruptedException {
        List<Object> added = new CopyOnWriteArrayList<>();
        IQueue<Object> gone = queue((method, args) -> switch (method) {
            case "addAll" -> added.add("gone");
            case "destroy" -> throw new IllegalStateException("partitions are moving");
            default -> unsupported(method);
        });
        IQueue<Object> other = queue((method, args) -> method.equals("addAll") ? added.add("other")
                : unsupported(method));
        LifecycleService running = stub(LifecycleService.class, (method, args) -> method.equals("isRunning")
                ? true : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getLifecycleService" -> running;
            case "getQueue" -> args[0].equals(ResultSender.resultsName("Sending", "gone")) ? gone
                    : args[0].equals(ResultSender.resultsName("Sending", "other")) ? other : unsupported(method);
            default -> unsupported(method);
        });
        SubmitterView view = new SubmitterView(null);
        view.heard("gone", SubmitterView.OPEN + "member-2");
        view.heard("other", SubmitterView.OPEN + "member-2");
        ResultSender sender = new ResultSender(hz, "Sending", "member-1", "own", null, view, new HeldJobs(1), null,
                null, () -> { });
        sender.send(new ResultSender.Outcome("gone", new Wire.ResultItem(1, "one", null), null));
        assertEquals(List.of("gone"), added, "the gone submitter's queue was sent to");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        EngineHooks.whileForgetting = (engine, outboxFull) -> {
            Thread worker = new Thread(() -> sender.send(new ResultSender.Outcome("other",
                    new Wire.ResultItem(2, "two", null), null)), "worker");
            worker.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
            worker.start();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                failures.add(e);
            }
            if (worker.isAlive()) {
                failures.add(new AssertionError("the worker did not leave its result within 30 s\n"
                        + StartTest.threadDump()));
            }
        };
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            assertTrue(assertDoesNotThrow(() -> sender.tryForget("gone", TimeUnit.SECONDS.toMillis(30))));
            assertEquals(List.of(Level.FINE), log.levels(), "the destruction's failure, logged");
        } finally {
            EngineHooks.whileForgetting = null;
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of("gone", "other"), added, "the result left in the outbox is sent");
    }

    /**
     * A start that fails with an {@link OutOfMemoryError} (the JVM may reuse its instances), whose undoing fails too
     * (the deletion of its registration): the start throws that error with nothing added to it, and the undoing's
     * failure is logged as a warning instead. Before the fix the undoing's failure was added to the error as
     * suppressed.
     */
    @Test
    void aFailedStartAddsNothingToAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (a stand-in)");
        IllegalStateException deleteFailed = new IllegalStateException("the member is leaving");
        List<Object> removed = new CopyOnWriteArrayList<>();
        IMap<String, String> submitters = map((method, args) -> switch (method) {
            case "getName" -> "workerpool.Failing.submitters";
            case "addEntryListener" -> UUID.randomUUID();
            case "entrySet" -> throw outOfMemory;
            case "delete" -> throw deleteFailed;
            case "removeEntryListener" -> removed.add(args[0]);
            default -> unsupported(method);
        });
        IMap<String, String> placement = named(JobsPlacement.mapName("Failing"));
        try (StubbedPart part = new StubbedPart("Failing", placement, submitters);
                ThrowingLog log = new ThrowingLog(ENGINE)) {
            OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class,
                    part.engine::begin);
            assertSame(outOfMemory, thrown, "the start's own failure");
            assertEquals(List.of(), List.of(thrown.getSuppressed()), "nothing added to an OutOfMemoryError");
            assertEquals(List.of(Level.WARNING), log.levels(), "the undoing's failure, logged instead");
            assertEquals(List.of(deleteFailed), log.thrown());
            assertEquals(1, removed.size(), "the listener is removed");
        }
    }

    /**
     * A backend whose making fails with an {@link OutOfMemoryError}, and whose removal of its membership listener
     * then fails too: the error is thrown with nothing added to it, and the removal's failure is logged as a warning
     * instead. Before the fix the removal's failure was added to the error as suppressed.
     */
    @Test
    void aFailedBackendAddsNothingToAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (a stand-in)");
        IllegalStateException removalFailed = new IllegalStateException("the member is leaving");
        HazelcastInstance hz = failingToMakeABackend("failing", () -> {
            throw outOfMemory;
        }, listener -> {
            throw removalFailed;
        }, () -> true);

        try (ThrowingLog log = new ThrowingLog(HazelcastBackend.class.getName())) {
            OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class,
                    () -> HazelcastBackend.on(hz));
            assertSame(outOfMemory, thrown, "the making's own failure");
            assertEquals(List.of(), List.of(thrown.getSuppressed()), "nothing added to an OutOfMemoryError");
            assertEquals(List.of(Level.WARNING), log.levels(), "the removal's failure, logged instead");
            assertEquals(List.of(removalFailed), log.thrown());
        }
    }

    /**
     * A backend whose making fails, and whose removal of its membership listener then throws an {@link Error} (an
     * {@link AssertionError} from a listener's removal): the making's failure is thrown, the error suppressed in it.
     * Before the fix the error went on out of the making in its place, the making's failure lost.
     */
    @Test
    void aFailedBackendWhoseRemovalThrowsAnErrorThrowsItsOwnFailure() {
        IllegalStateException makingFailed = new IllegalStateException("the member is leaving");
        AssertionError removalFailed = new AssertionError("a listener's removal fails (a stand-in)");
        HazelcastInstance hz = failingToMakeABackend("failing with an error", () -> {
            throw makingFailed;
        }, listener -> {
            throw removalFailed;
        }, () -> true);

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> HazelcastBackend.on(hz));
        assertSame(makingFailed, thrown, "the making's own failure");
        assertEquals(List.of(removalFailed), List.of(thrown.getSuppressed()), "the removal's error, suppressed");
    }

    /**
     * A backend whose making fails, and whose undoing's stop of its results queue sweeper then throws an
     * {@link Error} (an {@link AssertionError} from the removal of the sweeper's object listener): the making's
     * failure is thrown, the error suppressed in it, and the membership listener is still removed. Before the fix
     * the error went on out of the making in its place, the making's failure lost and the membership listener left
     * on the member.
     */
    @Test
    void aFailedBackendWhoseSweepersStopThrowsAnErrorThrowsItsOwnFailure() {
        IllegalStateException makingFailed = new IllegalStateException("the member is leaving");
        AssertionError stopFailed = new AssertionError("a listener's removal fails (a stand-in)");
        List<Object> removedListeners = new CopyOnWriteArrayList<>();
        HazelcastInstance hz = failingToMakeABackend("failing, its sweeper too", () -> {
            throw makingFailed;
        }, removedListeners::add, () -> {
            throw stopFailed;
        });

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> HazelcastBackend.on(hz));
        assertSame(makingFailed, thrown, "the making's own failure");
        assertEquals(List.of(stopFailed), List.of(thrown.getSuppressed()), "the sweeper's error, suppressed");
        assertEquals(1, removedListeners.size(), "the membership listener is removed");
    }

    /**
     * The close of a backend that started its member, whose stop of its results queue sweeper throws an
     * {@link Error} (an {@link AssertionError} from the removal of the sweeper's object listener): the member is
     * still shut down, then the error is thrown. Before the fix the error skipped the shutdown: the member kept
     * running, and holding its port.
     */
    @Test
    void anOwnedBackendsCloseWhoseSweepersStopThrowsAnErrorStillShutsTheMemberDown()
            throws ReflectiveOperationException {
        AssertionError stopFailed = new AssertionError("a listener's removal fails (a stand-in)");
        Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
            case "addMembershipListener" -> UUID.randomUUID();
            default -> unsupported(method);
        });
        Config config = HazelcastBackend.configure(new Config());
        ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
        List<String> shutDowns = new CopyOnWriteArrayList<>();
        HazelcastInstance swept = sweptMember(List.of(), name -> unsupported("getMap"), () -> {
            throw stopFailed;
        });
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> "owned";
            case "getConfig" -> config;
            case "getCluster" -> cluster;
            case "getUserContext" -> context;
            case "shutdown" -> shutDowns.add(method);
            default -> invoke(swept, method, args);
        });
        java.lang.reflect.Constructor<HazelcastBackend> make = HazelcastBackend.class.getDeclaredConstructor(
                HazelcastInstance.class, boolean.class, java.time.Duration.class);
        make.setAccessible(true);
        HazelcastBackend backend = make.newInstance(hz, true, java.time.Duration.ofSeconds(1)); // as a builder's

        assertSame(stopFailed, assertThrows(AssertionError.class, backend::close), "the sweeper's error");
        assertEquals(List.of("shutdown"), shutDowns, "the member is shut down");
    }

    /**
     * A sweeper whose making fails with an {@link OutOfMemoryError}, and whose removal of its object listener then
     * fails too: the error is thrown with nothing added to it, the removal's failure is logged as a warning instead,
     * and the other listener is still removed. Before the fix the removal's failure was added to the error as
     * suppressed.
     */
    @Test
    void aFailedSweeperAddsNothingToAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (a stand-in)");
        IllegalStateException removalFailed = new IllegalStateException("the member is leaving");
        List<Object> removed = new CopyOnWriteArrayList<>();
        HazelcastInstance swept = sweptMember(List.of(), name -> unsupported("getMap"), () -> {
            throw removalFailed;
        }, removed);
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getDistributedObjects" -> throw outOfMemory;
            default -> invoke(swept, method, args);
        });

        try (ThrowingLog log = new ThrowingLog(ResultsQueueSweeper.class.getName())) {
            OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class,
                    () -> new ResultsQueueSweeper(hz));
            assertSame(outOfMemory, thrown, "the making's own failure");
            assertEquals(List.of(), List.of(thrown.getSuppressed()), "nothing added to an OutOfMemoryError");
            assertEquals(List.of(Level.WARNING), log.levels(), "the removal's failure, logged instead");
            assertEquals(List.of(removalFailed), log.thrown());
        }
        assertEquals(1, removed.size(), "the lifecycle listener is removed");
    }

    /**
     * A retried job whose last attempt throws an {@link OutOfMemoryError}: its result carries that error with nothing
     * added to it, and the earlier attempt's failure is logged as a warning instead. Before the fix the earlier
     * failure was added to the error as suppressed.
     */
    @Test
    void aRetriedJobAddsNothingToAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (a stand-in)");
        IllegalStateException first = new IllegalStateException("the first attempt fails");
        int[] attempts = {0};
        LifecycleService running = stub(LifecycleService.class, (method, args) -> method.equals("isRunning")
                ? true : unsupported(method));
        HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> method.equals("getLifecycleService")
                ? running : unsupported(method));
        SubmitterView view = new SubmitterView(null);
        view.heard("s", SubmitterView.OPEN + "member-2");
        JobRunner<Long, String> runner = new JobRunner<>(hz, "Retried", "member-1",
                RetryPolicy.of(2, List.of(), null, 1, null, 0), job -> {
                    if (attempts[0]++ == 0) {
                        throw first;
                    }
                    throw outOfMemory;
                }, PlacementTest.LONG_TO_STRING, view, new Thread[] {Thread.currentThread()});

        ResultSender.Outcome outcome;
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            outcome = runner.runOrFail(0, new Wire.JobItem("s", 1, new Object[] {1L}));
            assertEquals(List.of(Level.WARNING), log.levels(), "the earlier failure, logged instead");
            assertEquals(List.of(first), log.thrown());
        }
        assertEquals(2, attempts[0]);
        assertSame(outOfMemory, outcome.result().error, "the last attempt's error");
        assertEquals(List.of(), List.of(outOfMemory.getSuppressed()), "nothing added to an OutOfMemoryError");
    }

    /**
     * A result factory that throws an {@link OutOfMemoryError} on a failed job's result: nothing is added to it (the
     * job's own error is logged as a warning instead). Before the fix the job's error was added to it as
     * suppressed.
     */
    @Test
    void aResultFactoryFailureAddsNothingToAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (a stand-in)");
        IllegalStateException jobFailed = new IllegalStateException("the job fails");
        SubmitterState<Long, String, String> state = new SubmitterState<>("Factored", "s",
                PlacementTest.LONG_TO_STRING, (job, value, error) -> {
                    throw outOfMemory;
                }, false, () -> { });
        state.startOffering(1, 1L);
        state.endOffering(1, true);
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.currentThread().getUncaughtExceptionHandler();
        Thread.currentThread().setUncaughtExceptionHandler((thread, e) -> reported.add(e));
        try (ThrowingLog log = new ThrowingLog(ENGINE)) {
            state.deliver(1, null, jobFailed);
            assertEquals(List.of(Level.WARNING), log.levels(), "the job's error, logged instead");
            assertEquals(List.of(jobFailed), log.thrown());
        } finally {
            Thread.currentThread().setUncaughtExceptionHandler(before);
        }
        assertEquals(List.of(outOfMemory), reported, "the factory's failure, reported");
        assertEquals(List.of(), List.of(outOfMemory.getSuppressed()), "nothing added to an OutOfMemoryError");
    }

    /**
     * A pool's part on a stand-in member, never begun: its member's pool maps are {@code placement} and
     * {@code submitters}, its member answers for a backend and nothing else. {@link #close} stops the part's
     * maintenance thread and closes the backend. On the test's thread.
     */
    private static final class StubbedPart implements AutoCloseable {
        final HazelcastBackend backend;
        final HazelcastEngine<Long, String, String> engine;

        StubbedPart(String name, IMap<String, String> placement, IMap<String, String> submitters) {
            this(name, placement, submitters, () -> true);
        }

        /** As above, the member's {@code removeMembershipListener} doing what {@code removeMembership} says. */
        StubbedPart(String name, IMap<String, String> placement, IMap<String, String> submitters,
                Supplier<Object> removeMembership) {
            UUID uuid = UUID.randomUUID();
            Member local = stub(Member.class, (method, args) -> switch (method) {
                case "getUuid" -> uuid;
                case "isLiteMember" -> true; // owns no partition: the submitter's id is not placed
                default -> unsupported(method);
            });
            Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
                case "addMembershipListener" -> UUID.randomUUID();
                case "removeMembershipListener" -> removeMembership.get();
                case "getLocalMember" -> local;
                default -> unsupported(method);
            });
            Config config = HazelcastBackend.configure(new Config());
            ConcurrentMap<String, Object> context = new ConcurrentHashMap<>();
            HazelcastInstance swept = sweptMember(List.of(), map -> map.equals(JobsPlacement.mapName(name))
                    ? placement : map.equals("workerpool." + name + ".submitters") ? submitters
                    : unsupported("getMap " + map), () -> true);
            HazelcastInstance hz = stub(HazelcastInstance.class, (method, args) -> switch (method) {
                case "getConfig" -> config;
                case "getCluster" -> cluster;
                case "getUserContext" -> context;
                default -> invoke(swept, method, args);
            });
            backend = HazelcastBackend.on(hz);
            engine = new HazelcastEngine<>(backend, name, PoolOptions.DEFAULT, 1, 1, job -> "ran " + job,
                    (job, value, error) -> value, PlacementTest.LONG_TO_STRING);
        }

        @Override
        public void close() {
            try {
                Field maintenance = HazelcastEngine.class.getDeclaredField("maintenance");
                maintenance.setAccessible(true);
                ((MaintenanceThread) maintenance.get(engine)).stopNow();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("the part's maintenance thread", e);
            } finally {
                backend.close();
            }
        }
    }

    /**
     * A running stand-in member named {@code name} on which a backend's making fails: reading its user context runs
     * {@code makingFails} (which throws); the removal of a membership listener is {@code removal}'s, the sweeper's
     * removal of its object listener {@code sweeperStop}'s.
     */
    private static HazelcastInstance failingToMakeABackend(String name, Runnable makingFails,
            Function<Object, Object> removal, Supplier<Object> sweeperStop) {
        Cluster cluster = stub(Cluster.class, (method, args) -> switch (method) {
            case "addMembershipListener" -> UUID.randomUUID();
            case "removeMembershipListener" -> removal.apply(args[0]);
            default -> unsupported(method);
        });
        Config config = HazelcastBackend.configure(new Config());
        HazelcastInstance swept = sweptMember(List.of(), map -> unsupported("getMap"), sweeperStop);
        return stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> name;
            case "getConfig" -> config;
            case "getCluster" -> cluster;
            case "getUserContext" -> {
                makingFails.run();
                yield unsupported(method);
            }
            default -> invoke(swept, method, args);
        });
    }

    /** A running member whose objects are {@code objects}, with {@code getMap} as {@code maps} says. */
    private static HazelcastInstance sweptMember(List<DistributedObject> objects, Function<String, Object> maps,
            Supplier<Object> removeObjectListener) {
        return sweptMember(objects, maps, removeObjectListener, new CopyOnWriteArrayList<>());
    }

    /**
     * A running member whose objects are {@code objects}, with {@code getMap} as {@code maps} says and
     * {@code removeDistributedObjectListener} as {@code removeObjectListener} says; the lifecycle listeners it
     * removes go to {@code removed}.
     */
    private static HazelcastInstance sweptMember(List<DistributedObject> objects, Function<String, Object> maps,
            Supplier<Object> removeObjectListener, List<Object> removed) {
        LifecycleService lifecycle = stub(LifecycleService.class, (method, args) -> switch (method) {
            case "isRunning" -> true;
            case "addLifecycleListener" -> UUID.randomUUID();
            case "removeLifecycleListener" -> removed.add(args[0]);
            default -> unsupported(method);
        });
        return stub(HazelcastInstance.class, (method, args) -> switch (method) {
            case "getName" -> "swept";
            case "getLifecycleService" -> lifecycle;
            case "addDistributedObjectListener" -> UUID.randomUUID();
            case "removeDistributedObjectListener" -> removeObjectListener.get();
            case "getDistributedObjects" -> objects;
            case "getMap" -> maps.apply((String) args[0]);
            default -> unsupported(method);
        });
    }

    /** A map named {@code name} that does nothing else. */
    private static IMap<String, String> named(String name) {
        return map((method, args) -> method.equals("getName") ? name : unsupported(method));
    }

    /**
     * A handler that throws on every record, installed on logger {@code name}, whose level is set to
     * {@link Level#FINE} meanwhile; {@link #close} removes it and restores the level. Records the levels of what
     * it was handed, and what they carried. On the test's thread; the handler itself from any thread.
     */
    static final class ThrowingLog implements AutoCloseable {
        private final Logger logger;
        private final Level before;
        private final List<Level> levels = new CopyOnWriteArrayList<>();
        private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                levels.add(record.getLevel());
                if (record.getThrown() != null) {
                    thrown.add(record.getThrown());
                }
                throw new IllegalStateException("the log fails");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        ThrowingLog(String name) {
            logger = Logger.getLogger(name);
            before = logger.getLevel();
            logger.setLevel(Level.FINE);
            logger.addHandler(handler);
        }

        /** The levels of the records the handler was handed, in turn. */
        List<Level> levels() {
            return List.copyOf(levels);
        }

        /** What the records the handler was handed carried, in turn (those that carried none left out). */
        List<Throwable> thrown() {
            return List.copyOf(thrown);
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setLevel(before);
        }
    }

    /** What a stub does when called: the method's name and arguments in, its result out. */
    @FunctionalInterface
    interface Calls {
        Object call(String method, Object[] args);
    }

    /** A {@code type} whose methods do what {@code calls} says; {@code toString} names it. */
    static <T> T stub(Class<T> type, Calls calls) {
        Object stub = Proxy.newProxyInstance(ThrowingLogTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "stub " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> calls.call(method.getName(), args);
                });
        return type.cast(stub);
    }

    /** A map that does what {@code calls} says. */
    @SuppressWarnings("unchecked")
    static <K, V> IMap<K, V> map(Calls calls) {
        return stub(IMap.class, calls);
    }

    /** A queue that does what {@code calls} says. */
    @SuppressWarnings("unchecked")
    static <E> IQueue<E> queue(Calls calls) {
        return stub(IQueue.class, calls);
    }

    /**
     * Calls {@code target}'s method {@code method}, the one of the member's methods by that name and arity; what it
     * throws is thrown as it is.
     */
    private static Object invoke(HazelcastInstance target, String method, Object[] args) {
        int arity = args == null ? 0 : args.length;
        for (java.lang.reflect.Method m : HazelcastInstance.class.getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == arity) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) { // what the target's stub threw, as it threw it
                    if (e.getCause() instanceof RuntimeException thrown) {
                        throw thrown;
                    }
                    if (e.getCause() instanceof Error thrown) {
                        throw thrown;
                    }
                    throw new AssertionError(method, e);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(method, e);
                }
            }
        }
        return unsupported(method);
    }

    static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }
}
