package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module's background work goes on when its log throws (a handler that fails, out of memory as a record is
 * formatted): the record is lost, not the rest of a cancel, a pass or a thread's task. No cluster: the member and its
 * structures are stand-ins that fail where the test says, and each test installs, on the logger the class logs to,
 * a handler that throws on every record, with that logger's level at {@link Level#FINE}, both undone as it ends.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ThrowingLogTest {
    private static final String ENGINE = HazelcastEngine.class.getName();

    /**
     * A cancel whose question to the members fails (a member's answer is an {@link java.util.concurrent
     * .ExecutionException}, logged at {@link Level#FINE}) still gives the pending job its cancelled result. Before
     * the fix the log threw out of the look at the members, and its second log, of the failed cancel, out of the
     * cancel: the job kept waiting for a result, and the pool for its end.
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
        assertInstanceOf(java.util.concurrent.CancellationException.class, ended.get());
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
     * A handler that throws on every record, installed on logger {@code name}, whose level is set to
     * {@link Level#FINE} meanwhile; {@link #close} removes it and restores the level. Records the levels of what
     * it was handed. On the test's thread; the handler itself from any thread.
     */
    static final class ThrowingLog implements AutoCloseable {
        private final Logger logger;
        private final Level before;
        private final List<Level> levels = new CopyOnWriteArrayList<>();
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                levels.add(record.getLevel());
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

    static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }
}
