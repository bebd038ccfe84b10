package dev.workerpool.runtime.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One worker's counters for {@code stats()}. Each counter has one writer, so a write is a plain read and an
 * opaque store (no fence, no contention); {@code stats()} sums the workers' counters with opaque reads.
 * {@link #timedOut} is written by the watchdog, everything else by the worker.
 *
 * <p>Timing a job costs two clock reads, a large part of a trivial job. So, unless {@link Tuning#timeEveryJob()},
 * after a job shorter than {@link #SHORT_JOB_NANOS} a worker times only one job in {@link #SAMPLE_EVERY} until one
 * runs longer; the mean run time is the mean of the timed jobs. A timed pool times every job (its deadline needs
 * the start time anyway).
 */
final class WorkerStats {

    /** Jobs shorter than this are timed one in {@link #SAMPLE_EVERY}. */
    static final long SHORT_JOB_NANOS = 1_000;
    /** How often a short job is timed. */
    static final int SAMPLE_EVERY = 16;

    private final boolean enabled;
    private final boolean timeEveryJob;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong cancelled = new AtomicLong();
    /** Attempts beyond a job's first (retry policies only). */
    final AtomicLong retries = new AtomicLong();
    /** Jobs the watchdog timed out; written by the watchdog only. */
    final AtomicLong timedOut = new AtomicLong();
    /** Jobs timed: every job that ran, but for the sampling of short jobs. */
    final AtomicLong timedJobs = new AtomicLong();
    final AtomicLong runNanos = new AtomicLong();
    final AtomicLong maxNanos = new AtomicLong();
    /** Jobs left to run untimed before the next timed one; the worker's only. */
    private int untimed;

    /**
     * @param enabled      whether to count at all ({@link Tuning#stats()})
     * @param timeEveryJob whether to time every job rather than sample short ones
     */
    WorkerStats(boolean enabled, boolean timeEveryJob) {
        this.enabled = enabled;
        this.timeEveryJob = timeEveryJob;
    }

    /**
     * Whether this worker's timed jobs have taken longer than {@code nanos} on average; false before any was
     * timed, or if stats are off. Any thread may ask: it reads the counters as {@code stats()} does.
     *
     * <p>One test of one value, with no branch of its own: "none timed yet" is the sign of {@code ~(timed - 1)},
     * so the answer at a pool's start (nothing timed, false) takes the same way as for short jobs, and the callers'
     * compiled code does not trap when the next pool starts (see DESIGN.md, hot paths).
     */
    boolean jobsTakeLongerThan(long nanos) {
        long timed = timedJobs.getOpaque();
        return (~(timed - 1) & (nanos * timed - runNanos.getOpaque())) < 0;
    }

    /** Whether to time the job about to run: always if {@code mustTime} (a timeout), else as sampling says. */
    boolean timeNext(boolean mustTime) {
        return mustTime || enabled && untimed-- <= 0;
    }

    /** The job returned a value. {@code started} matters only if it was {@code timed}. */
    void completed(boolean timed, long started) {
        count(completed, timed, started);
    }

    /** The job threw. */
    void failed(boolean timed, long started) {
        count(failed, timed, started);
    }

    /** The job was cancelled, before it started ({@code timed} false) or while it ran. */
    void cancelled(boolean timed, long started) {
        count(cancelled, timed, started);
    }

    /** The job ended after the watchdog had timed it out (which counted it): only its run time counts. */
    void ranPastTimeout(boolean timed, long started) {
        count(null, timed, started);
    }

    /** A job's attempt other than its first starts. */
    void retried() {
        retries.setOpaque(retries.getPlain() + 1);
    }

    /**
     * Adds another's counters to this one's, which no other thread sees yet (a pool sums its retired workers'
     * counters into a new instance, then publishes it).
     */
    void add(WorkerStats other) {
        completed.setOpaque(completed.getPlain() + other.completed.getOpaque());
        failed.setOpaque(failed.getPlain() + other.failed.getOpaque());
        cancelled.setOpaque(cancelled.getPlain() + other.cancelled.getOpaque());
        timedOut.setOpaque(timedOut.getPlain() + other.timedOut.getOpaque());
        timedJobs.setOpaque(timedJobs.getPlain() + other.timedJobs.getOpaque());
        runNanos.setOpaque(runNanos.getPlain() + other.runNanos.getOpaque());
        maxNanos.setOpaque(Math.max(maxNanos.getPlain(), other.maxNanos.getOpaque()));
        retries.setOpaque(retries.getPlain() + other.retries.getOpaque());
    }

    /** Watchdog: a job timed out. */
    void timedOut() {
        timedOut.setOpaque(timedOut.getPlain() + 1);
    }

    /**
     * The larger of two run times (never negative, so {@code a - b} cannot overflow), with no branch. A branch that
     * only a pool's first jobs take (a new longest job) makes the JIT throw away and recompile the worker's loop in
     * a JVM's next pool (see BENCHMARKS.md, Fresh JVM). {@code Math.max(long, long)} is such a branch where the JIT
     * has no intrinsic for it (JDK 17), and its profile is shared by every caller in the JVM.
     */
    static long longer(long a, long b) {
        long d = a - b;
        return a - (d & (d >> 63));
    }

    private void count(AtomicLong outcome, boolean timed, long started) {
        if (!enabled) {
            return;
        }
        if (outcome != null) {
            outcome.setOpaque(outcome.getPlain() + 1);
        }
        if (timed) {
            long nanos = System.nanoTime() - started;
            timedJobs.setOpaque(timedJobs.getPlain() + 1);
            runNanos.setOpaque(runNanos.getPlain() + nanos);
            maxNanos.setOpaque(longer(maxNanos.getPlain(), nanos));
            untimed = timeEveryJob || nanos >= SHORT_JOB_NANOS ? 0 : SAMPLE_EVERY - 1;
        }
    }
}
