package dev.workerpool.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.workerpool.hazelcast.ResultSender.Outcome;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.hazelcast.Wire.ResultItem;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the jobs one member's workers of a pool have taken: looks the job's submitter up, runs the job with its
 * retries, and turns what came of it into the result to send; keeps which job each worker runs, so that a
 * submitter's cancel interrupts them ({@link #interruptJobsOf}), and the run-time counters of {@code stats()}.
 *
 * <p>Threads: worker {@code i} alone calls {@link #runOrFail} with index {@code i}; the listener on the map of
 * submitters (Hazelcast's event thread) calls {@link #interruptJobsOf}; {@code stats()} reads {@link #busy} and the
 * counters from any thread. Which job worker {@code i} runs is written and read under the monitor of that worker's
 * thread: the listener records a cancel in the view before it looks, under the monitor, for a job to interrupt, and
 * a worker sets its job under the monitor before it looks at the view, so one of them sees the other and no cancel
 * is missed; and no interrupt of this class outlives the job it was meant for (the worker clears the status under
 * the monitor as the job ends). The submitter id of the job a thread runs is in a thread-local while it runs
 * ({@link #runsJobOf}).
 *
 * @param <J> the type of a job
 * @param <V> the type of a job's value
 */
final class JobRunner<J, V> {
    /**
     * The submitter id of the job the current thread runs, on a worker of any pool's part on any member in this JVM
     * (unset outside a job): a job of a part that waits for that part's end, on whichever member's worker, would
     * wait for ever ({@link #runsJobOf}). Set and removed by the worker itself, around the job.
     */
    private static final ThreadLocal<String> RUNNING_FOR = new ThreadLocal<>();
    /** The slice of the wait before a next attempt, between looks at whether the job's attempts end. */
    private static final long POLL_MILLIS = HazelcastEngine.POLL_MILLIS;

    private final HazelcastInstance hz;
    private final String name;
    private final String memberId;
    /** The pool's retry policy, or null: none. */
    private final RetryPolicy retry;
    private final JobFunction<J, V> function;
    private final JobCodec<J, V> codec;
    private final SubmitterView view;
    /** The member's worker threads, filled in by the engine before any of them starts; their monitors guard below. */
    private final Thread[] workerThreads;
    /** Per worker, the job it runs, or null; under the monitor of {@code workerThreads[i]}. */
    private final JobItem[] running;
    private final AtomicLong runNanos = new AtomicLong();
    private final AtomicLong maxRunNanos = new AtomicLong();
    private final AtomicLong timed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    /**
     * A runner for the workers {@code workerThreads} (filled in before they start) of member {@code memberId}'s part
     * of pool {@code name}, which runs {@code function} with {@code retry} (null: none).
     */
    JobRunner(HazelcastInstance hz, String name, String memberId, RetryPolicy retry, JobFunction<J, V> function,
            JobCodec<J, V> codec, SubmitterView view, Thread[] workerThreads) {
        this.hz = hz;
        this.name = name;
        this.memberId = memberId;
        this.retry = retry;
        this.function = function;
        this.codec = codec;
        this.view = view;
        this.workerThreads = workerThreads;
        this.running = new JobItem[workerThreads.length];
    }

    /** Whether the current thread runs a job submitted by {@code submitterId}, on any pool's worker in this JVM. */
    static boolean runsJobOf(String submitterId) {
        return submitterId.equals(RUNNING_FOR.get());
    }

    /** How many of the workers run a job now. */
    int busy() {
        int busy = 0;
        for (JobItem item : running) {
            busy += item != null ? 1 : 0;
        }
        return busy;
    }

    /** How many runs were timed: the jobs run, whatever came of them. */
    long timed() {
        return timed.get();
    }

    /** The time the timed runs took, in all. */
    long runNanos() {
        return runNanos.get();
    }

    /** The time of the longest run. */
    long maxRunNanos() {
        return maxRunNanos.get();
    }

    /** How many retries were made. */
    long retries() {
        return retries.get();
    }

    /**
     * Runs a taken job; a failure outside the job itself (reading its submitter's state from the cluster, say)
     * becomes the job's error result, so that no worker leaves with a job held, which a reconciliation would take
     * for one still running.
     */
    Outcome runOrFail(int index, JobItem item) {
        try {
            return run(index, item);
        } catch (RuntimeException e) {
            return new Outcome(item.submitter, new ResultItem(item.seq, null, new IllegalStateException(name
                    + ": member " + memberId + " took the job and could not run it: " + e, e)), item.id());
        }
    }

    private Outcome run(int index, JobItem item) {
        String state = view.stateOf(item.submitter);
        if (state == null) { // its submitter is gone: nobody waits for the result
            return new Outcome(item.submitter, null, item.id());
        }
        if (state.startsWith(SubmitterView.CANCELLED)) {
            return new Outcome(item.submitter, new ResultItem(item.seq, null, cancellation()), item.id());
        }
        Consumer<BooleanSupplier> hook = EngineHooks.beforeRunning;
        if (hook != null) {
            hook.accept(() -> view.isCancelled(item.submitter));
        }
        synchronized (workerThreads[index]) {
            running[index] = item;
            Thread.interrupted(); // none of this class's interrupts can be pending: one from elsewhere is not the job's
        }
        // A cancel heard after the check above found no running job to interrupt: look again now that one runs
        // (the listener records a cancel before it interrupts, under the same monitor).
        if (view.isCancelled(item.submitter)) {
            synchronized (workerThreads[index]) {
                running[index] = null;
                Thread.interrupted();
            }
            return new Outcome(item.submitter, new ResultItem(item.seq, null, cancellation()), item.id());
        }
        Object wire = null;
        Throwable error = null;
        long start = System.nanoTime();
        RUNNING_FOR.set(item.submitter);
        try {
            RetryPolicy policy = retry;
            J job = readJob(item);
            List<Throwable> failures = null; // the earlier attempts' errors, oldest first
            for (int attempt = 1; ; attempt++) {
                try {
                    wire = codec.toWire(function.apply(job));
                    error = null;
                } catch (Throwable e) {
                    error = e;
                }
                if (error == null || policy == null || attempt >= policy.attempts() || !policy.retries(error)
                        || view.isCancelled(item.submitter) || attemptsEnd(item.submitter)) {
                    break;
                }
                failures = failures == null ? new ArrayList<>() : failures;
                failures.add(error);
                retries.incrementAndGet();
                if (!awaitNextAttempt(policy.delayNanos(attempt), item.submitter)) {
                    error = cancellation();
                    break;
                }
                if (attemptsEnd(item.submitter)) {
                    break; // while it waited: the last attempt's error stands, and goes nowhere
                }
            }
            if (error != null && failures != null) {
                for (Throwable earlier : failures) {
                    if (earlier != error) { // not added to an OutOfMemoryError: logged instead
                        Uncaught.suppress(error, earlier, name + ": an earlier attempt of job " + item.seq
                                + " of submitter " + item.submitter);
                    }
                }
            }
        } catch (Throwable e) { // the job's components could not be read
            error = e;
        } finally {
            RUNNING_FOR.remove();
            synchronized (workerThreads[index]) {
                running[index] = null;
                Thread.interrupted();
            }
        }
        long took = System.nanoTime() - start;
        runNanos.addAndGet(took);
        timed.incrementAndGet();
        maxRunNanos.accumulateAndGet(took, Math::max);
        if (error != null && !(error instanceof CancellationException) && view.isCancelled(item.submitter)) {
            CancellationException cancel = cancellation();
            cancel.initCause(error);
            error = cancel;
        }
        return new Outcome(item.submitter, new ResultItem(item.seq, wire, error), item.id());
    }

    /**
     * The job a taken item carries, or an {@link IllegalStateException} naming this member if it cannot read it:
     * a component whose class it lacks (or whose reading throws), or one Hazelcast read as a generic record of a
     * compact-serialized class it lacks.
     */
    private J readJob(JobItem item) {
        Throwable cause = item.unreadable;
        if (cause == null) {
            try {
                return codec.fromComponents(item.components);
            } catch (Throwable e) {
                cause = Wire.readFailure(e);
            }
        }
        throw new IllegalStateException(name + ": member " + memberId + " cannot read the job's components (every "
                + "member needs the same classes): " + cause, cause);
    }

    /**
     * Whether a retried job of {@code submitter} is to have no further attempt, whatever its policy allows, because
     * its result could go nowhere: this member has left the cluster (its own submitter's pending jobs end with an
     * error, the others' run again elsewhere), or the submitter is gone (nobody waits for the result). Its further
     * attempts' effects would come on top of a re-run's, or be for nobody.
     */
    private boolean attemptsEnd(String submitter) {
        return !hz.getLifecycleService().isRunning() || view.isGone(submitter);
    }

    /**
     * Waits {@code nanos} before the next attempt of a job of {@code submitter}, with the job still {@link #running}
     * so that its submitter's {@code cancel()} interrupts the wait (the only interrupt a worker gets while it runs a
     * job), in slices of {@link #POLL_MILLIS}: it ends early, returning true, once the job's attempts end
     * ({@link #attemptsEnd}). Returns false if it was interrupted.
     */
    private boolean awaitNextAttempt(long nanos, String submitter) {
        if (Thread.interrupted()) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        try {
            for (long left = nanos; left > 0 && !attemptsEnd(submitter); left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)));
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Interrupts this member's workers that run a job of {@code submitter}. */
    void interruptJobsOf(String submitter) {
        for (int i = 0; i < workerThreads.length; i++) {
            synchronized (workerThreads[i]) {
                JobItem item = running[i];
                if (item != null && item.submitter.equals(submitter)) {
                    workerThreads[i].interrupt();
                }
            }
        }
    }

    /** The error of a job that its submitter's cancel ended, or kept from running. */
    private CancellationException cancellation() {
        return SubmitterState.cancellation(name);
    }
}
