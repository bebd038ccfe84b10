package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
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

    /**
     * A handler that throws, given an {@link OutOfMemoryError} (the JVM reuses some of its instances): what the
     * handler threw is not suppressed in it, but logged on its own, after it. Before the fix it was suppressed in the
     * {@link OutOfMemoryError}, which a reused instance would carry into every later report.
     */
    @Test
    void whatAHandlerThrowsIsNotSuppressedInAnOutOfMemoryError() {
        OutOfMemoryError failure = new OutOfMemoryError("Java heap space");
        IllegalStateException handlerFailure = new IllegalStateException("handler");
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            throw handlerFailure;
        });
        Uncaught.report(failure, "P: cannot receive results");
        assertArrayEquals(new Throwable[0], failure.getSuppressed());
        assertEquals(2, logged.size(), logged.toString());
        assertSame(failure, logged.get(0).getThrown());
        assertSame(handlerFailure, logged.get(1).getThrown());
    }

    /**
     * A handler that throws, given a failure whose suppression is disabled (as that of an instance the JVM reuses
     * is): what the handler threw is logged on its own. Before the fix it was dropped, unlogged.
     */
    @Test
    void whatAHandlerThrowsIsLoggedIfTheFailureWillNotSuppressIt() {
        Error failure = new NoSuppression("lost");
        IllegalStateException handlerFailure = new IllegalStateException("handler");
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            throw handlerFailure;
        });
        Uncaught.report(failure, "P: cannot receive results");
        assertEquals(2, logged.size(), logged.toString());
        assertSame(failure, logged.get(0).getThrown());
        assertSame(handlerFailure, logged.get(1).getThrown());
    }

    /** {@link Uncaught#suppress} logs rather than adds to an {@link OutOfMemoryError}, and adds to any other. */
    @Test
    void suppressAddsToAnyFailureButAnOutOfMemoryError() {
        OutOfMemoryError outOfMemory = new OutOfMemoryError();
        InternalError internal = new InternalError();
        IllegalStateException further = new IllegalStateException("further");
        Uncaught.suppress(internal, further, "P");
        assertArrayEquals(new Throwable[] {further}, internal.getSuppressed());
        assertEquals(List.of(), logged);
        Uncaught.suppress(outOfMemory, further, "P");
        assertArrayEquals(new Throwable[0], outOfMemory.getSuppressed());
        assertEquals(1, logged.size(), logged.toString());
        assertSame(further, logged.get(0).getThrown());
    }

    /** An {@link Error} whose suppression is disabled. */
    private static final class NoSuppression extends Error {
        private static final long serialVersionUID = 1L;

        NoSuppression(String message) {
            super(message, null, false, true);
        }
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

    /**
     * The log of a message's parts joins them as string concatenation would, an {@code Object[]} part's own parts in
     * place, and logs the failure with it; the report's and the suppression's messages are joined the same way.
     */
    @Test
    void theLogOfPartsJoinsThemAsConcatenationWould() {
        IllegalStateException failure = new IllegalStateException("failed");
        Uncaught.log(LOG, Level.WARNING, failure, "P", ": job ", 7L, " to ", null, new Object[] {" in", " place"});
        assertEquals(1, logged.size(), logged.toString());
        assertEquals("P: job 7 to null in place", logged.get(0).getMessage());
        assertSame(failure, logged.get(0).getThrown());
        Uncaught.suppress(new OutOfMemoryError(), failure, "P", ": sending");
        assertEquals("P: sending: a further failure, not suppressed in the failure reported (an OutOfMemoryError, "
                + "which the JVM may reuse, or one whose suppression is disabled)", logged.get(1).getMessage());
    }

    /**
     * A message whose making throws (a part whose {@code toString} throws an {@link OutOfMemoryError}, as joining a
     * message may when memory runs out) loses its record and throws nothing, whichever way it is logged.
     */
    @Test
    void aMessageThatCannotBeMadeLosesItsRecordAndThrowsNothing() {
        Object unmakeable = new Object() {
            @Override
            public String toString() {
                throw new OutOfMemoryError("Java heap space (a stand-in)");
            }
        };
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            throw new IllegalStateException("handler");
        });
        IllegalStateException failure = new IllegalStateException("failed");
        Uncaught.log(LOG, Level.WARNING, failure, "P: ", unmakeable);
        Uncaught.log(Level.WARNING, failure, "P: ", unmakeable);
        Uncaught.warnOrReport(failure, "P: ", unmakeable);
        Uncaught.report(new InternalError("lost"), "P: ", unmakeable);
        Uncaught.suppress(new OutOfMemoryError(), failure, "P: ", unmakeable);
        assertEquals(List.of(), logged);
    }

    /** A message at a level its logger does not log is not made: its parts' {@code toString} is not called. */
    @Test
    void aMessageThatIsNotLoggedIsNotMade() {
        List<Object> made = new ArrayList<>();
        Object part = new Object() {
            @Override
            public String toString() {
                made.add(this);
                return "part";
            }
        };
        Level before = LOG.getLevel();
        LOG.setLevel(Level.INFO);
        try {
            Uncaught.log(LOG, Level.FINE, null, "P: ", part);
        } finally {
            LOG.setLevel(before);
        }
        assertTrue(made.isEmpty(), "the part was not made into a string");
        assertEquals(List.of(), logged);
    }
}
