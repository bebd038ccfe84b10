package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Uncaught} never throws, so that a receiver or worker that reports a failure survives it: not when the
 * thread's uncaught-exception handler throws, rethrows the very failure it was given, or the log fails too (out of
 * memory, say). No cluster: the reports run on the test's thread.
 */
class UncaughtTest {

    private static final Logger LOG = Logger.getLogger(HazelcastEngine.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private boolean logFails;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (logFails) {
                throw new IllegalStateException("the log failed"); // as out of memory would, but the test JVM lives on
            }
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Thread.UncaughtExceptionHandler previous;

    @BeforeEach
    void listen() {
        LOG.addHandler(handler);
        previous = Thread.currentThread().getUncaughtExceptionHandler();
    }

    @AfterEach
    void stopListening() {
        LOG.removeHandler(handler);
        Thread.currentThread().setUncaughtExceptionHandler(previous);
    }

    /** A handler that rethrows the failure it was given: the failure is logged, not thrown (nor self-suppressed). */
    @Test
    void aHandlerThatRethrowsTheFailureItselfIsSurvived() {
        InternalError failure = new InternalError("lost");
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            throw (Error) e;
        });
        Uncaught.report(failure, "P: cannot receive results");
        assertEquals(1, logged.size());
        assertSame(failure, logged.get(0).getThrown());
        assertArrayEquals(new Throwable[0], failure.getSuppressed());
    }

    /** A handler that throws, then a log that throws: nothing escapes, from either method. */
    @Test
    void aFailingHandlerAndAFailingLogAreSurvived() {
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            throw new IllegalStateException("handler");
        });
        logFails = true;
        Uncaught.report(new InternalError("lost"), "P: cannot receive results");
        Uncaught.reportInRun(new IllegalStateException("passive"), true, "P: cannot receive results");
        Uncaught.reportInRun(new InternalError("again"), false, "P: cannot receive results");
        Uncaught.reportInRun(new InternalError("first"), true, "P: cannot take jobs");
        assertEquals(List.of(), logged);
    }
}
