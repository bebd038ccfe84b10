package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.spi.exception.DistributedObjectDestroyedException;
import dev.workerpool.hazelcast.Wire.JobItem;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The loop of one member's workers of a pool ({@link #work}): take a job from the jobs queue in use
 * ({@link JobsQueueFollower#queue}), record it as held ({@link HeldJobs}), run it ({@link JobRunner}), send its result
 * ({@link ResultSender}), until the member's submitter is finished ({@link SubmitterState#finished}) or the member
 * stops. Each idle worker waits in a {@code poll} of its own, as a Go worker waits in its own receive: a job is taken
 * only by a worker free to run it, so no job waits on a busy member, and a member with W idle workers has W takes under
 * way, up to {@link HazelcastEngine#MAX_TAKES}; the idle workers beyond those wait for one of them to take a job (or
 * time out) and take its place. (One fetch at a time per member, taking jobs for all its idle workers, queued their
 * round trips behind one another, and was slower with one and three members: BENCHMARKS.md, "Across JVMs".)
 *
 * <p>Threads: {@link #work} is the body of each of the member's worker threads, each with its own index; the count of
 * workers left is atomic, and the last worker to leave sends what is left in the outbox and ends the workers' part.
 * Logs through {@link Uncaught}.
 */
final class Workers {
    private static final long POLL_MILLIS = HazelcastEngine.POLL_MILLIS;

    private final HazelcastInstance hz;
    private final SubmitterState<?, ?, ?> state;
    private final JobsQueueFollower follower;
    private final HeldJobs held;
    private final JobRunner<?, ?> runner;
    private final ResultSender sender;
    private final StartGate gate;
    /** Has this member's submitter reconcile soon ({@link Reconciler#reconcileSoon}): one of its jobs was lost. */
    private final Runnable reconcile;
    /** Called once, as the last worker leaves: one of the part's two ends (its receiver is the other). */
    private final Runnable ended;
    private final AtomicInteger workersLeft;

    /**
     * The loop of {@code held.workers()} workers on member {@code hz}, serving the queue {@code follower} knows of
     * until {@code state}'s submitter is finished; they wait at {@code gate} as they start, ask {@code reconcile} for
     * a reconciliation when a job of that submitter's is lost as they take it, and the last to leave calls
     * {@code ended}.
     */
    Workers(HazelcastInstance hz, SubmitterState<?, ?, ?> state, JobsQueueFollower follower, HeldJobs held,
            JobRunner<?, ?> runner, ResultSender sender, StartGate gate, Runnable reconcile, Runnable ended) {
        this.hz = hz;
        this.state = state;
        this.follower = follower;
        this.held = held;
        this.runner = runner;
        this.sender = sender;
        this.gate = gate;
        this.reconcile = reconcile;
        this.ended = ended;
        this.workersLeft = new AtomicInteger(held.workers());
    }

    /**
     * A worker, number {@code index} (from 0): takes a job, runs it, sends its result, until this member's submitter
     * is finished or the member stops. The body of that worker's thread. A take that throws does not end it: it is
     * reported (the first of a run of failures: an exception logged as a warning, an {@link Error} given to the
     * thread's uncaught-exception handler, as if it had ended the thread), and the worker takes again a poll later.
     * A job whose reading threw one of the JVM's errors ({@link Wire#readFailure} throws those on) is lost with it,
     * out of the queue and held nowhere: its submitter's next reconciliation runs it again, at once, and counts the
     * loss with the job's failed deliveries, which are bounded ({@link Wire#takeLostJob} names it): this member's own
     * submitter directly ({@link SubmitterState#lostTake}), another member's through a loss notice sent as a result
     * is ({@link ResultSender#sendLostTake}; received, {@link SubmitterState#lostElsewhere}).
     */
    void work(int index) {
        if (!gate.passed()) {
            return; // the pool's start failed: this worker did nothing, and counts for nothing
        }
        boolean failing = false; // the last poll failed: a run of failures is logged as a warning once
        try {
            while (!state.finished() && hz.getLifecycleService().isRunning()) {
                IQueue<JobItem> queue = follower.queue();
                try {
                    if (queue == null) { // no member submits yet
                        follower.awaitPlaced(POLL_MILLIS);
                        continue;
                    }
                    if (!held.tryAcquirePermit(POLL_MILLIS)) {
                        continue; // enough idle workers take already; look again whether to stop
                    }
                } catch (InterruptedException e) {
                    continue; // an interrupt meant for a job that has ended
                }
                JobItem item = null;
                boolean failed = false;
                JobItem notice = null; // a job of another member's submitter lost as it was taken, if any
                Throwable noticeError = null;
                held.startTake(index); // a take is under way
                try {
                    // read again once the take is under way: a queue retired meanwhile is not polled (which would
                    // make it again if dropped), and one retired later is destroyed only after this take
                    Wire.takeLostJob(); // none left from a reading elsewhere
                    item = follower.queue() == queue ? queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS) : null;
                    failing = false;
                    if (item != null) {
                        Consumer<String> hook = EngineHooks.afterTaking;
                        if (hook != null) {
                            hook.accept(item.id());
                        }
                        held.hold(item.id()); // before it runs: a reconciliation then finds it here
                    }
                } catch (InterruptedException e) {
                    continue; // an interrupt meant for a job that has ended
                } catch (HazelcastInstanceNotActiveException e) {
                    break;
                } catch (DistributedObjectDestroyedException e) { // a serving member's queue, dropped: read again
                    follower.readSoon();
                    continue;
                } catch (RuntimeException e) {
                    Uncaught.reportInRun(e, !failing, state.name() + ": cannot take jobs");
                    failing = true;
                    failed = true;
                } catch (Error e) { // a job that cannot be read for want of memory, say: lost with it
                    JobItem lost = Wire.takeLostJob();
                    Uncaught.reportInRun(e, !failing, state.name() + ": cannot take jobs");
                    if (lost != null && lost.submitter.equals(state.submitterId())) {
                        state.lostTake(lost.seq, e); // bounded: the last of a few such losses ends the job
                        reconcile.run(); // out of the queue and held nowhere: found lost, and run again
                    } else if (lost != null) { // another member's submitter: told, it counts and looks at once
                        notice = lost;
                        noticeError = e;
                    }
                    failing = true;
                    failed = true;
                } finally {
                    held.endTake(index); // what it took, if anything, is held; its permit given back
                }
                if (notice != null) { // once the take has ended: its submitter's look then finds it nowhere
                    sender.sendLostTake(notice, noticeError);
                }
                if (failed) { // not in a tight loop; not as a take under way, which a query would wait for
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                } else if (item != null) {
                    sender.send(runner.runOrFail(index, item));
                }
            }
        } finally {
            if (workersLeft.decrementAndGet() == 0) {
                sender.flush(); // every worker has left its send; one may have left a result behind
                ended.run();
            }
        }
    }
}
