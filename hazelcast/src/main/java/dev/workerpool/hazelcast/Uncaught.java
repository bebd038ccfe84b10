package dev.workerpool.hazelcast;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports a failure that a thread of the module survives (a receiver's, a worker's, a delivery's) to that thread's
 * uncaught-exception handler, as if it had ended the thread. Stateless; called on the thread that failed. Logs as
 * {@link HazelcastEngine}.
 */
final class Uncaught {
    private static final Logger LOG = Logger.getLogger(HazelcastEngine.class.getName());

    private Uncaught() {
    }

    /**
     * Reports {@code e}, one of a run of failures that the current thread survives (its loop tries again), with
     * {@code what}: the first of a run ({@code first}) is logged as a warning if it is an exception (a cluster in
     * the passive state, say), and goes to the thread's uncaught-exception handler ({@link #report}) if it is an
     * {@link Error}, as if it had ended the thread; the rest of the run is logged at a fine level. Never throws.
     */
    static void reportInRun(Throwable e, boolean first, String what) {
        if (first) {
            warnOrReport(e, what);
        } else {
            log(Level.FINE, what, e);
        }
    }

    /**
     * Reports {@code e}, a failure that the current thread survives, with {@code what}: logged as a warning if it is
     * an exception, handed to the thread's uncaught-exception handler ({@link #report}) if it is an {@link Error}.
     * Never throws.
     */
    static void warnOrReport(Throwable e, String what) {
        if (e instanceof RuntimeException) {
            log(Level.WARNING, what, e);
        } else {
            report(e, what);
        }
    }

    /**
     * Hands {@code e} to the current thread's uncaught-exception handler. If the handler throws, what it threw is
     * added to {@code e} as suppressed (unless it is {@code e} itself, rethrown), and {@code e} is logged as severe:
     * {@code what}, then that the handler threw. Never throws.
     */
    static void report(Throwable e, String what) {
        Thread thread = Thread.currentThread();
        try {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        } catch (Throwable handlerFailure) {
            if (handlerFailure != e) {
                e.addSuppressed(handlerFailure);
            }
            log(Level.SEVERE, what + ", and the thread's uncaught-exception handler threw", e);
        }
    }

    /**
     * Logs {@code e} with {@code what}; if the log itself fails (out of memory, a handler that throws), the record
     * is lost and nothing is thrown: the thread that reports must survive its report, and finish what it was doing
     * (the rest of a batch of results). Never throws.
     */
    static void log(Level level, String what, Throwable e) {
        try {
            LOG.log(level, what, e);
        } catch (Throwable logFailure) {
            // nothing is left to tell it to
        }
    }
}
