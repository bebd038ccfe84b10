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

    /**
     * The end of the warning that logs a failure {@link #addSuppressed} would not add to the failure being thrown,
     * for the classes that log such warnings as themselves ({@link HazelcastBackend}, {@link ResultsQueueSweeper}).
     */
    static final String NOT_SUPPRESSED_IN_THAT = " (not suppressed in that failure: an OutOfMemoryError, or one "
            + "whose suppression is disabled)";

    private Uncaught() {
    }

    /**
     * Reports {@code e}, one of a run of failures that the current thread survives (its loop tries again), with
     * {@code what} (the parts of its message, joined as {@link #log(Logger, Level, Throwable, Object...)} joins
     * them): the first of a run ({@code first}) is logged as a warning if it is an exception (a cluster in the
     * passive state, say), and goes to the thread's uncaught-exception handler ({@link #report}) if it is an
     * {@link Error}, as if it had ended the thread; the rest of the run is logged at a fine level. Never throws.
     */
    static void reportInRun(Throwable e, boolean first, Object... what) {
        if (first) {
            warnOrReport(e, what);
        } else {
            log(LOG, Level.FINE, e, what);
        }
    }

    /**
     * Reports {@code e}, a failure that the current thread survives, with {@code what} (the parts of its message):
     * logged as a warning if it is an exception, handed to the thread's uncaught-exception handler ({@link #report})
     * if it is an {@link Error}. Never throws.
     */
    static void warnOrReport(Throwable e, Object... what) {
        if (e instanceof RuntimeException) {
            log(LOG, Level.WARNING, e, what);
        } else {
            report(e, what);
        }
    }

    /**
     * Hands {@code e} to the current thread's uncaught-exception handler. If the handler throws, what it threw is
     * added to {@code e} as suppressed (unless it is {@code e} itself, rethrown; or {@link #addSuppressed} will not),
     * and {@code e} is logged as severe: {@code what} (the parts of the message), then that the handler threw; what
     * the handler threw, if it could not be suppressed in {@code e}, is then logged as a warning. Never throws.
     */
    static void report(Throwable e, Object... what) {
        Thread thread = Thread.currentThread();
        try {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        } catch (Throwable handlerFailure) {
            boolean suppressed = handlerFailure == e || addSuppressed(e, handlerFailure);
            try { // the parts' arrays are made here, outside the log's guard: out of memory, the records are lost
                log(LOG, Level.SEVERE, e, what, ", and the thread's uncaught-exception handler threw");
                if (!suppressed) {
                    log(LOG, Level.WARNING, handlerFailure, what,
                            ": what the thread's uncaught-exception handler threw", NOT_SUPPRESSED);
                }
            } catch (Throwable logFailure) {
                // nothing is left to tell it to
            }
        }
    }

    /**
     * Adds {@code e} to {@code kept}'s suppressed exceptions, unless {@link #addSuppressed} will not: then logs
     * {@code e} as a warning, with {@code what} (the parts of the message), so that it is not lost. Never throws.
     */
    static void suppress(Throwable kept, Throwable e, Object... what) {
        if (!addSuppressed(kept, e)) {
            try { // the parts' array is made here, outside the log's guard: out of memory, the record is lost
                log(LOG, Level.WARNING, e, what, ": a further failure", NOT_SUPPRESSED);
            } catch (Throwable logFailure) {
                // nothing is left to tell it to
            }
        }
    }

    /**
     * As {@link #suppress(Throwable, Throwable, Object...)}, through {@code logger}, the warning's message made of
     * {@code notSuppressed} alone: for the classes that log as themselves ({@link HazelcastBackend},
     * {@link ResultsQueueSweeper}). Never throws.
     */
    static void suppress(Logger logger, Throwable kept, Throwable e, Object... notSuppressed) {
        if (!addSuppressed(kept, e)) {
            log(logger, Level.WARNING, e, notSuppressed);
        }
    }

    /**
     * The {@link Error} to throw once a run of independent cleanup steps has been taken, {@code e} the latest step's:
     * {@code e} if {@code first} is null, else {@code first}, with {@code e} added to it as suppressed (logged with
     * {@code what}, the parts of the message, if it cannot be: {@link #suppress}). Never throws; called on the thread
     * that cleans up.
     */
    static Error firstError(Error first, Error e, Object... what) {
        if (first == null) {
            return e;
        }
        if (first != e) {
            suppress(first, e, what); // its parts made inside its guard
        }
        return first;
    }

    /**
     * As {@link #firstError(Error, Error, Object...)}, through {@code logger}, the warning's message made of
     * {@code notSuppressed} alone (as {@link #suppress(Logger, Throwable, Throwable, Object...)}): for the classes
     * that log as themselves. Never throws.
     */
    static Error firstError(Logger logger, Error first, Error e, Object... notSuppressed) {
        if (first == null) {
            return e;
        }
        if (first != e) {
            suppress(logger, first, e, notSuppressed);
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
     * Logs {@code e} as {@link HazelcastEngine} with the message that {@code parts} make: as
     * {@link #log(Logger, Level, Throwable, Object...)}. Never throws.
     */
    static void log(Level level, Throwable e, Object... parts) {
        log(LOG, level, e, parts);
    }

    /**
     * As {@link #log(Level, String, Throwable)}, through {@code logger}: for the classes that log as themselves
     * ({@link HazelcastBackend}, {@link ResultsQueueSweeper}, {@link Wire}). Never throws.
     */
    static void log(Logger logger, Level level, String what, Throwable e) {
        try { // the parts' array is made here, outside the guard of the log it calls
            log(logger, level, e, what);
        } catch (Throwable logFailure) {
            // out of memory making the array: the record is lost
        }
    }

    /**
     * Logs {@code e} through {@code logger} with the message that {@code parts} make, each in turn as
     * {@link String#valueOf(Object)} makes it (a part that is itself an {@code Object[]}: its own parts), joined
     * inside the guard, and only if {@code logger} logs {@code level}: a message that cannot be made (out of memory
     * as it is joined, a part whose {@code toString} throws) loses its record, as a log that fails does, and throws
     * nothing. Never throws; from any thread. Its caller makes the array of {@code parts} (and boxes them) before
     * this guard: out of memory, that throws at the call site, so a caller that must go on whatever its log does
     * guards the call itself (as this class's own callers of it do).
     */
    static void log(Logger logger, Level level, Throwable e, Object... parts) {
        try {
            if (logger.isLoggable(level)) {
                StringBuilder message = new StringBuilder();
                join(message, parts);
                logger.log(level, message.toString(), e);
            }
        } catch (Throwable logFailure) {
            // nothing is left to tell it to
        }
    }

    /** Appends {@code parts} to {@code message}, as {@link #log(Logger, Level, Throwable, Object...)} joins them. */
    private static void join(StringBuilder message, Object[] parts) {
        if (parts == null) {
            message.append((Object) null);
            return;
        }
        for (Object part : parts) {
            if (part instanceof Object[] nested) {
                join(message, nested);
            } else {
                message.append(part);
            }
        }
    }
}
