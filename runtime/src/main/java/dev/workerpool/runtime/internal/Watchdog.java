package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.List;
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
 * no user code (a stuck-job report, which calls the job's {@code toString()}, runs on a short-lived thread of
 * its own), and survives any failure of a scan by logging it and scanning again shortly.
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

    Watchdog(String pool, long timeoutNanos, Supplier<? extends List<? extends Worker<?, ?, ?>>> workers,
            CompletionLatch exited) {
        this.pool = pool;
        this.timeoutNanos = timeoutNanos;
        this.workers = workers;
        this.exited = exited;
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
                        report.publish();
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
     * {@code toString()}: user code that may be slow, throw, or recurse without end. It therefore runs on a
     * short-lived daemon thread of its own, never on the watchdog (which must stay on time for every other
     * job) nor under a worker's monitor, and whatever it throws is caught.
     */
    record StuckReport(String worker, Duration overrun, Object job, boolean resultDelivered) {

        void publish() {
            try {
                Thread reporter = new Thread(this::log, worker + "-stuck-report");
                reporter.setDaemon(true);
                reporter.start();
            } catch (Throwable cannotStart) {
                Log.quietly(System.Logger.Level.WARNING, () -> message("(not described: " + cannotStart + ")"), null);
            }
        }

        private void log() {
            Log.quietly(System.Logger.Level.WARNING, () -> message(describe(job)), null);
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
}
