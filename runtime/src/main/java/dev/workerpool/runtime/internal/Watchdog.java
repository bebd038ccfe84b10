package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A timed pool's watchdog thread ({@code <pool>-watchdog}, daemon): times out jobs at their deadline and reports
 * jobs that ignore the interrupt.
 *
 * <p>It sleeps until the earliest deadline of a running job (a job that starts later has a later deadline),
 * times out the jobs past theirs ({@link Worker#timeOut}: the result, carrying a {@code TimeoutException}, is
 * sent at once, and the worker interrupted), and reports a job still running one more timeout after it timed
 * out. With no job running it parks until a worker starts one ({@link #jobStarted()}), so an idle pool costs no
 * wake-ups. It exits when the last worker has.
 *
 * <p>Nothing may stop it, since every later timeout of the pool depends on it: it clears stray interrupts, runs
 * no user code (a stuck-job report, which calls the job's {@code toString()}, is written by the pool's
 * {@link StuckReports reporter thread}; the watchdog only queues it, never waiting), and survives any failure of
 * a scan by logging it and scanning again shortly.
 */
final class Watchdog implements Runnable {

    /** How long the watchdog waits before it scans again after an unexpected failure. */
    private static final long RETRY_NANOS = 10_000_000;

    final Thread thread;
    private final String pool;
    private final long timeoutNanos;
    /** The pool's workers now (a pool that resizes changes them). */
    private final Supplier<? extends List<? extends Worker<?, ?, ?>>> workers;
    private final CompletionLatch exited;
    /** Set while the watchdog parks with nothing to watch; a worker starting a job then unparks it. */
    private volatile boolean idle;
    /** Writes the stuck-job reports the watchdog makes, one at a time, on a thread of their own. */
    final StuckReports reports;

    Watchdog(String pool, long timeoutNanos, Supplier<? extends List<? extends Worker<?, ?, ?>>> workers,
            CompletionLatch exited) {
        this.pool = pool;
        this.timeoutNanos = timeoutNanos;
        this.workers = workers;
        this.exited = exited;
        this.reports = new StuckReports(pool, StuckReports.MAX_PENDING);
        this.thread = new Thread(this, pool + "-watchdog");
        thread.setDaemon(true);
    }

    /** A worker has started a timed job (after publishing its deadline): wake the watchdog if it idles. */
    void jobStarted() {
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /** The last worker has exited: let the watchdog see it and exit. */
    void poolTerminated() {
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!exited.isDone()) {
            // Anything may interrupt a thread it did not create; an interrupt left set would make every park
            // below return at once, and this loop spin. The watchdog has no use for one: clear it.
            Thread.interrupted();
            long now = System.nanoTime();
            long wake = scanGuarded(now);
            if (wake == Long.MAX_VALUE) {
                // Nothing to watch: park until a worker starts a job. Announce it first, then look again, so
                // that a job started meanwhile is seen here or unparks us (both sides write, then read, volatiles).
                idle = true;
                if (scanGuarded(System.nanoTime()) == Long.MAX_VALUE && !exited.isDone()) {
                    LockSupport.park(this);
                }
                idle = false;
            } else {
                LockSupport.parkNanos(this, wake - now);
            }
        }
    }

    /** {@link #scan}, which must not end the watchdog whatever happens. */
    private long scanGuarded(long now) {
        try {
            return scan(now);
        } catch (Throwable unexpected) {
            Log.quietly(System.Logger.Level.ERROR, () -> pool + "-watchdog: a scan failed; retrying", unexpected);
            return now + RETRY_NANOS;
        }
    }

    /**
     * Times out the jobs past their deadline and reports stuck ones; returns when to look next
     * ({@code System.nanoTime()} value), or {@code Long.MAX_VALUE} if no worker has anything to watch.
     */
    private long scan(long now) {
        long wake = Long.MAX_VALUE;
        for (Worker<?, ?, ?> w : workers.get()) {
            int state = w.state;
            if (state == Worker.RUNNING) {
                long deadline = w.deadline;
                if (now - deadline >= 0) {
                    w.timeOut(now);
                    if (!w.reported) {
                        wake = earliest(wake, w.deadline + timeoutNanos);
                    }
                } else {
                    wake = earliest(wake, deadline);
                }
            } else if (state >= Worker.TIMED_OUT && !w.reported) { // TIMED_OUT or ATTEMPT_TIMED_OUT
                long reportAt = w.deadline + timeoutNanos;
                if (now - reportAt >= 0) {
                    StuckReport report = w.stuckReport(now);
                    if (report != null) {
                        reports.add(report);
                    }
                } else {
                    wake = earliest(wake, reportAt);
                }
            }
        }
        return wake;
    }

    private static long earliest(long a, long b) {
        return a == Long.MAX_VALUE ? b : b - a < 0 ? b : a;
    }

    /**
     * A worker still running a job a timeout after it timed out. The warning names the job, and so calls its
     * {@code toString()}: user code that may be slow, throw, or recurse without end. It is therefore written by
     * the pool's {@link StuckReports} thread, never by the watchdog (which must stay on time for every other job)
     * nor under a worker's monitor, and whatever it throws is caught. Immutable.
     */
    record StuckReport(String worker, Duration overrun, Object job, boolean resultDelivered) {

        /**
         * The warning, with the job's description; {@code dropped} reports made since the one before it were
         * dropped (0: none). Calls the job's {@code toString()}, user code: only the reporter thread calls this.
         */
        String warning(long dropped, int bound) {
            return message(describe(job)) + droppedNote(dropped, bound);
        }

        /**
         * The warning without calling the job's {@code toString()}: {@code why} says why it is not described.
         * Runs no user code; safe on any thread.
         */
        String undescribed(String why, long dropped, int bound) {
            return message("(not described: " + why + ")") + droppedNote(dropped, bound);
        }

        private String message(String description) {
            return worker + " is still running a job that timed out " + overrun.toMillis() + " ms ago and ignores "
                    + "the interrupt; the worker takes no other job until it returns "
                    + (resultDelivered ? "(its result, a TimeoutException, was delivered)"
                            : "(its next attempt waits for it)") + ". Job: " + description;
        }

        /** The job's {@code toString()}, or what went wrong with it. */
        private static String describe(Object job) {
            try {
                return String.valueOf(job);
            } catch (Throwable e) {
                return "(its toString() threw " + e.getClass().getName() + ")";
            }
        }
    }

    /** The note a warning ends with when reports were dropped before it; empty if none were. Pure: any thread. */
    static String droppedNote(long dropped, int bound) {
        return dropped == 0 ? "" : " [" + dropped + " more stuck-job " + (dropped == 1 ? "report was" : "reports were")
                + " dropped: at most " + bound + " wait to be written]";
    }

    /**
     * A pool's stuck-job reports on their way to the log: a bounded queue, and at most one reporter thread
     * ({@code <pool>-stuck-reporter}, daemon) at a time, which writes them one after the other and ends when the
     * queue is empty. A report that finds {@link #MAX_PENDING} waiting is dropped and counted; the next warning
     * written says how many were (or, if none follows, a warning of its own). So a flood of stuck jobs (very short
     * timeouts under load) makes one thread and a bounded backlog, not a thread and a warning each; and a job whose
     * {@code toString()} blocks holds up only the reports behind it, never the watchdog.
     *
     * <p>Concurrency: {@link #add} is called by the pool's watchdog thread only (one thread), never blocks (no
     * lock; it may start the reporter thread) and runs no user code. The reporter thread is the only one that
     * takes reports. Either the reporter sees a report added or a drop counted before it ends, or {@link #add}
     * sees it ended and starts another: both sides write, then read, {@link #active}.
     */
    static final class StuckReports implements Runnable {

        /** The most reports that wait for the reporter thread; more are dropped and counted. */
        static final int MAX_PENDING = 32;

        private final String pool;
        private final int bound;
        private final Queue<StuckReport> queue = new ConcurrentLinkedQueue<>();
        /** Reports in {@link #queue}: incremented by the watchdog, decremented by the reporter. */
        private final AtomicInteger pending = new AtomicInteger();
        /** Reports dropped and not yet mentioned in a warning. */
        private final AtomicLong dropped = new AtomicLong();
        /** Whether a reporter thread runs (or is being started). */
        private final AtomicBoolean active = new AtomicBoolean();
        /** Reporter threads started so far (tests). */
        private final AtomicInteger started = new AtomicInteger();

        /** Reports of pool {@code pool}, at most {@code bound} of them waiting. Thread-safe as the class says. */
        StuckReports(String pool, int bound) {
            this.pool = pool;
            this.bound = bound;
        }

        /**
         * Watchdog only: queues {@code report}, or drops and counts it if {@link #MAX_PENDING} wait already; starts
         * the reporter thread if none runs. Never blocks, never runs user code, never throws.
         */
        void add(StuckReport report) {
            if (pending.get() < bound) { // only this thread increments, so the bound holds
                pending.incrementAndGet();
                queue.add(report);
            } else {
                dropped.incrementAndGet();
            }
            if (active.compareAndSet(false, true)) {
                startReporter();
            }
        }

        private void startReporter() {
            try {
                Thread reporter = new Thread(this, pool + "-stuck-reporter");
                reporter.setDaemon(true);
                reporter.start();
                started.incrementAndGet();
            } catch (Throwable cannotStart) {
                // No thread to call toString() on: write what is waiting without it, here (as the watchdog
                // always has: the log call runs no job code), and let a later report try again.
                for (StuckReport r; (r = take()) != null; ) {
                    StuckReport undescribed = r;
                    long gone = dropped.getAndSet(0);
                    Log.quietly(System.Logger.Level.WARNING,
                            () -> undescribed.undescribed(String.valueOf(cannotStart), gone, bound), null);
                }
                active.set(false);
            }
        }

        /** The next waiting report, or null. */
        private StuckReport take() {
            StuckReport r = queue.poll();
            if (r != null) {
                pending.decrementAndGet();
            }
            return r;
        }

        /** The reporter thread: writes the waiting reports, then ends (see the class comment). */
        @Override
        public void run() {
            try {
                writeAll();
            } catch (Throwable unexpected) { // Log.quietly throws nothing; this is for an error of the JVM's own
                active.set(false); // so that the next report starts a reporter again
                throw unexpected;
            }
        }

        private void writeAll() {
            do {
                for (StuckReport r; (r = take()) != null; ) {
                    StuckReport report = r;
                    long gone = dropped.getAndSet(0);
                    Log.quietly(System.Logger.Level.WARNING, () -> report.warning(gone, bound), null);
                }
                long gone = dropped.getAndSet(0);
                if (gone > 0) {
                    Log.quietly(System.Logger.Level.WARNING, () -> pool + ": " + gone + " more stuck-job "
                            + (gone == 1 ? "report was" : "reports were") + " dropped: at most " + bound
                            + " wait to be written", null);
                }
                active.set(false);
                // A report added (or a drop counted) after the loop above, whose add() found us still active.
            } while ((!queue.isEmpty() || dropped.get() > 0) && active.compareAndSet(false, true));
        }

        /** Reporter threads started so far (tests); any thread may ask. */
        int reportersStarted() {
            return started.get();
        }
    }
}
