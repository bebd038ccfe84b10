package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.workerpool.hazelcast.Wire.ResultItem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;

/**
 * The receiver of one member's submitter of a pool ({@code <pool>-receiver}): moves the results that other members
 * sent from the submitter's results queue to its pending jobs ({@link SubmitterState#deliver}) until every job has its
 * result (then the thread that delivered the last one, or {@code close()}, has usually ended the results already), or
 * until the member stops (it then gives every pending job its error). On the way, at least every
 * {@link HazelcastEngine#POLL_MILLIS}, it has the reconciliation run if no result came for a while
 * ({@link SubmitterState#stalled}), and, on a member that does not submit, reads the choice of jobs queue now and
 * then ({@link JobsQueueFollower#readWhileServing}).
 *
 * <p>Threads: {@link #receive} is the receiver thread's body, and all of this class's state is that thread's own. It
 * moves results holding the submitter's receive lock ({@link SubmitterState#receiveLock}), which a reconciliation and a
 * cancel's answers, on the maintenance thread, hold while they look in the results queue. Logs as
 * {@link HazelcastEngine}.
 */
final class Receiver {
    private static final long POLL_MILLIS = HazelcastEngine.POLL_MILLIS;

    private final HazelcastInstance hz;
    private final SubmitterState<?, ?, ?> state;
    private final JobsQueueFollower follower;
    private final StartGate gate;
    /** Has the reconciliation run on the maintenance thread soon ({@link Reconciler#reconcileSoon}). */
    private final Runnable reconcile;
    /** Called once, as the receiver ends: one of the part's two ends (its workers are the other). */
    private final Runnable ended;
    /** The receiver's own. */
    private final DrainHint drains = new DrainHint();

    /**
     * The receiver of {@code state}'s submitter on member {@code hz}; it waits at {@code gate} as it starts, asks
     * {@code reconcile} for a reconciliation when stalled and after a failed receive or delivery, and calls
     * {@code ended} as it ends.
     */
    Receiver(HazelcastInstance hz, SubmitterState<?, ?, ?> state, JobsQueueFollower follower, StartGate gate,
            Runnable reconcile, Runnable ended) {
        this.hz = hz;
        this.state = state;
        this.follower = follower;
        this.gate = gate;
        this.reconcile = reconcile;
        this.ended = ended;
    }

    /**
     * The receiver thread: moves results from the submitter's results queue to its pending jobs until every job has
     * its result, or until the member stops; then ends the results, and calls its {@code ended}. A look that throws
     * outside a result's delivery (the {@code poll} or {@code drainTo}, a result that cannot be read for want of
     * memory, say; an {@link Error} included) does not end it, nor the results: it is reported
     * ({@link Uncaught#reportInRun}), and the receiver looks again a poll later. A {@code poll} that throws asks the
     * reconciliation to look at once for the result it may have taken out of the queue without delivering it (its job
     * runs again) if it is the first failure of a run, or an {@link Error}; a {@code drainTo} that throws after a
     * {@code poll} that took a result always does, having delivered what it knows it took ({@link #receiveOnce}). A
     * result whose reading threw counts as one of its job's failed deliveries ({@link SubmitterState#lostDelivery}).
     */
    void receive() {
        if (!gate.passed()) {
            return; // the pool's start failed: the receiver did nothing, and counts for nothing
        }
        String name = state.name();
        ReentrantLock receiveLock = state.receiveLock();
        boolean failing = false; // the last receive failed: a run of failures is reported once
        try {
            while (true) {
                Throwable failure = null; // what this receive threw, if anything
                boolean lookNow = false; // whether its failure asks for a reconciliation here
                try {
                    Consumer<String> hook = EngineHooks.beforeReceiving;
                    if (hook != null) {
                        hook.accept(name);
                    }
                    if (state.stalled()) {
                        reconcile.run();
                    }
                    follower.readWhileServing();
                    receiveLock.lock();
                    try {
                        if (state.finished()) {
                            break;
                        }
                        if (!hz.getLifecycleService().isRunning()) {
                            state.abandonPending();
                            break;
                        }
                        failure = receiveOnce(); // a drain's failure: its results delivered, and looked for
                        if (failure == null) {
                            failing = false;
                        }
                    } catch (HazelcastInstanceNotActiveException e) {
                        state.abandonPending();
                        break;
                    } finally {
                        receiveLock.unlock();
                    }
                } catch (InterruptedException e) {
                    // never interrupted by this class; go on
                } catch (RuntimeException | Error e) { // a cluster in the passive state, say: look again a poll later
                    Long lost = Wire.takeLostResult();
                    if (lost != null) { // one of its failed deliveries, which are bounded
                        state.lostDelivery(lost, e);
                    }
                    failure = e;
                    // a poll that threw may have taken a result it never delivered: so may each Error of a run (a
                    // result that cannot be read, taken again after its job ran again); an exception that goes on a
                    // run (a cluster in the passive state, say) asks for none more
                    lookNow = !failing || e instanceof Error;
                }
                if (failure != null) {
                    Uncaught.reportInRun(failure, !failing, name + ": cannot receive results");
                    if (lookNow) {
                        reconcile.run();
                    }
                    failing = true;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)); // not in a tight loop
                }
            }
        } finally {
            state.endResults();
            ended.run();
        }
    }

    /**
     * Waits up to {@link #POLL_MILLIS} for a result in the submitter's results queue, then takes the others there in
     * one {@code drainTo}, and delivers them. Under the receive lock. The results taken are out of the queue, so
     * each is delivered whatever the others' deliveries throw: a delivery that throws (a result factory's failure
     * is not one: {@link SubmitterState#deliver} makes it the job's error) is logged, and leaves its job pending,
     * for the next reconciliation to run again (up to {@link SubmitterState#MAX_FAILED_DELIVERIES} times), which
     * it asks for at once: that reconciliation looks in the results queue under the receive lock, so once this
     * receive has let go of it, and then finds the job nowhere. A loss notice ({@link ResultItem#lost}: the member
     * that took the job lost it) is counted with the job's failed deliveries ({@link SubmitterState#lostElsewhere}),
     * and asks for that reconciliation too.
     *
     * <p>A {@code drainTo} that throws (after the {@code poll} took a result) does not lose what was taken: the
     * result the {@code poll} took, and those the drain read before it threw, are delivered all the same; and as
     * the drain may have taken others out of the queue that it never returned, the reconciliation is asked to look
     * at once, whether or not this receive goes on a run of failures (a result whose reading threw counts as one of
     * its job's failed deliveries, {@link SubmitterState#lostDelivery}). The failure is then returned, for the
     * receiver to report as a failed receive; a member that has stopped ({@link HazelcastInstanceNotActiveException})
     * is thrown on.
     *
     * @return null, or what the {@code drainTo} threw
     */
    private Throwable receiveOnce() throws InterruptedException {
        IQueue<ResultItem> queue = state.resultsQueue();
        Wire.takeLostResult(); // none left from a reading elsewhere
        List<ResultItem> drained = new ArrayList<>();
        ResultItem first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        Throwable drainFailure = null;
        Long lostInDrain = null;
        if (first != null) {
            drained.add(first);
            if (drains.worthTrying()) {
                try {
                    Consumer<String> hook = EngineHooks.beforeDraining;
                    if (hook != null) {
                        hook.accept(state.name());
                    }
                    drains.found(queue.drainTo(drained));
                } catch (RuntimeException | Error e) { // what it read before it threw is in drained: delivered below
                    drainFailure = e;
                    lostInDrain = Wire.takeLostResult();
                }
            }
        }
        boolean failed = drainFailure != null; // it may have taken results it did not return: looked for at once
        for (ResultItem item : drained) {
            try {
                if (item.lost) { // another member lost the job, and says so: counted, and looked for at once
                    state.lostElsewhere(item.seq, item.errorFor(state.name()));
                    failed = true;
                    continue;
                }
                state.deliver(item.seq, item.value, item.errorFor(state.name()));
            } catch (RuntimeException | Error e) {
                Uncaught.log(Level.WARNING, state.name() + ": cannot deliver the result of job " + item.seq
                        + " (it runs again)", e); // the batch's other results are still delivered
                failed = true;
            }
        }
        if (lostInDrain != null) { // one of its failed deliveries, which are bounded
            state.lostDelivery(lostInDrain, drainFailure);
        }
        if (failed) {
            reconcile.run();
        }
        if (drainFailure instanceof HazelcastInstanceNotActiveException stopped) {
            throw stopped; // the member has stopped: the receiver gives the pending jobs their error
        }
        return drainFailure;
    }

    /**
     * Whether the receiver's {@code drainTo} after a {@code poll} is worth its round trip: one that finds nothing
     * costs as much as one that takes many. After a drain that found nothing, the next few are skipped (one job per
     * operation, as a plain {@code take} would); a drain that finds something is tried again next time. Used by
     * one thread at a time.
     */
    private static final class DrainHint {
        /** How many drains are skipped after one that found nothing. */
        private static final int SKIP = 4;
        private int skipLeft;

        boolean worthTrying() {
            if (skipLeft == 0) {
                return true;
            }
            skipLeft--;
            return false;
        }

        void found(int count) {
            skipLeft = count == 0 ? SKIP : 0;
        }
    }
}
