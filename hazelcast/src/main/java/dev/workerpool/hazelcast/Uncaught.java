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

    /** Why a failure is logged on its own rather than suppressed in the one reported: see {@link #addSuppressed}. */
    private static final String NOT_SUPPRESSED = ", not suppressed in the failure reported (an OutOfMemoryError, "
            + "which the JVM may reuse, or one whose suppression is disabled)";

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
     * added to {@code e} as suppressed (unless it is {@code e} itself, rethrown; or {@link #addSuppressed} will not),
     * and {@code e} is logged as severe: {@code what}, then that the handler threw; what the handler threw, if it
     * could not be suppressed in {@code e}, is then logged as a warning. Never throws.
     */
    static void report(Throwable e, String what) {
        Thread thread = Thread.currentThread();
        try {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        } catch (Throwable handlerFailure) {
            boolean suppressed = handlerFailure == e || addSuppressed(e, handlerFailure);
            log(Level.SEVERE, what, ", and the thread's uncaught-exception handler threw", e);
            if (!suppressed) {
                log(Level.WARNING, what, ": what the thread's uncaught-exception handler threw" + NOT_SUPPRESSED,
                        handlerFailure);
            }
        }
    }

    /**
     * Adds {@code e} to {@code kept}'s suppressed exceptions, unless {@link #addSuppressed} will not: then logs
     * {@code e} as a warning, with {@code what}, so that it is not lost. Never throws.
     */
    static void suppress(Throwable kept, Throwable e, String what) {
        if (!addSuppressed(kept, e)) {
            log(Level.WARNING, what, ": a further failure" + NOT_SUPPRESSED, e);
        }
    }

    /**
     * The {@link Error} to throw once a run of independent cleanup steps has been taken, {@code e} the latest step's:
     * {@code e} if {@code first} is null, else {@code first}, with {@code e} added to it as suppressed (logged with
     * {@code what} if it cannot be: {@link #suppress}). Never throws; called on the thread that cleans up.
     */
    static Error firstError(Error first, Error e, String what) {
        if (first == null) {
            return e;
        }
        if (first != e) {
            suppress(first, e, what);
        }
        return first;
    }

    /**
     * Adds {@code e} to {@code kept}'s suppressed exceptions and returns true, or returns false, adding nothing, if
     * {@code kept} is an {@link OutOfMemoryError} (the JVM reuses some of its instances, failure after failure: one
     * that recorded what was suppressed in it would grow without end, and would carry another failure's into later
     * reports), or if {@code kept}'s suppression is disabled (as the JVM's reused instances' is: {@code e} would be
     * dropped without a word), or if the adding throws (out of memory). Never throws; {@code e} is not {@code kept}.
     */
    static boolean addSuppressed(Throwable kept, Throwable e) {
        if (kept instanceof OutOfMemoryError) {
            return false;
        }
        try {
            kept.addSuppressed(e);
            Throwable[] suppressed = kept.getSuppressed();
            return suppressed.length > 0 && suppressed[suppressed.length - 1] == e;
        } catch (Throwable adding) {
            return false;
        }
    }

    /**
     * Logs {@code e} with {@code what}; if the log itself fails (out of memory, a handler that throws), the record
     * is lost and nothing is thrown: the thread that reports must survive its report, and finish what it was doing
     * (the rest of a batch of results). Never throws.
     */
    static void log(Level level, String what, Throwable e) {
        log(LOG, level, what, e);
    }

    /**
     * As {@link #log(Level, String, Throwable)}, through {@code logger}: for the classes that log as themselves
     * ({@link HazelcastBackend}, {@link ResultsQueueSweeper}, {@link Wire}). Never throws.
     */
    static void log(Logger logger, Level level, String what, Throwable e) {
        try {
            logger.log(level, what, e);
        } catch (Throwable logFailure) {
            // nothing is left to tell it to
        }
    }

    /**
     * Logs {@code e} with {@code what}, then {@code more}: as {@link #log(Level, String, Throwable)}, the message
     * joined where a failure to join it is caught too. Never throws.
     */
    private static void log(Level level, String what, String more, Throwable e) {
        try {
            LOG.log(level, what + more, e);
        } catch (Throwable logFailure) {
            // nothing is left to tell it to
        }
    }
}
