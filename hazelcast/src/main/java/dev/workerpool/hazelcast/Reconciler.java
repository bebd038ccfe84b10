package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.hazelcast.Wire.ResultItem;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member's submitter of a pool, looking for its jobs in the cluster: the reconciliation, which puts back in the
 * jobs queue every pending job found in none of the places a job passes (the queue, a live member's held jobs, the
 * results queue), and a cancel's answers, which give a cancelled result to every pending job neither in flight nor
 * answered. Both look in the order a job moves, so that a job that moves meanwhile is found further on: a member
 * asked what it holds first waits for its takes under way ({@link InFlightQuery}), and the results queue is read
 * under the receive lock, which the receiver moves results out under. Owns the jobs found lost that still wait for
 * room in the jobs queue ({@link #requeue}).
 *
 * <p>Threads: every method but {@link #reconcileSoon} (any thread) runs on the part's maintenance thread (one
 * thread, whose tasks follow one another), which alone reads and writes {@link #requeue} and the flags (not
 * {@link #asked}, atomic); the pending jobs, the jobs being offered and the delivery are the {@link SubmitterState}'s,
 * thread-safe; the results queue is read holding its receive lock. Logs as {@link HazelcastEngine}, through
 * {@link Uncaught#log}: a log that throws (a handler that fails) loses its record, never the rest of a look, a cancel
 * or the task under way.
 *
 * @param <J> the type of a job
 */
final class Reconciler<J> {
    private static final Logger LOG = Logger.getLogger(HazelcastEngine.class.getName());
    /** How long an offer of a job found lost waits for room, and how often those left are tried again. */
    private static final long POLL_MILLIS = HazelcastEngine.POLL_MILLIS;

    private final HazelcastInstance hz;
    private final String name;
    private final String submitterId;
    /** The submitter's pending jobs, those still being offered, its results queue, receive lock and delivery. */
    private final SubmitterState<J, ?, ?> state;
    private final JobsQueueFollower follower;
    private final JobsQueueFollower.Maintenance maintenance;

    /**
     * The jobs a reconciliation found lost and has not yet put back in the jobs queue, which was full: oldest
     * first. A reconciliation offers its lost jobs without waiting for room, keeps here those that found none, and
     * has {@link #requeueLeft} try again every {@link #POLL_MILLIS}, so that a full queue never keeps the
     * maintenance thread from its other tasks. A job leaves once it is in the queue, or no longer pending (its
     * result came: a cancel, say). Read and written on the maintenance thread only (one thread, whose tasks
     * follow one another), so a job is put back once per time it is found lost.
     */
    private final Set<Long> requeue = new LinkedHashSet<>();
    /** Whether a {@link #requeueLeft} is scheduled. On the maintenance thread only, as {@link #requeue}. */
    private boolean requeueScheduled;
    /** Whether the last {@link #requeueLeft} failed: a run of failures is logged as a warning once. */
    private boolean requeueFailing;
    /**
     * Whether a reconciliation that {@link #reconcileSoon} asked for has yet to start. Set by the asking thread,
     * cleared on the maintenance thread as that reconciliation starts, before it looks.
     */
    private final AtomicBoolean asked = new AtomicBoolean();

    /**
     * The reconciler of {@code state}'s submitter on member {@code hz}, whose jobs queue {@code follower} knows;
     * {@code maintenance} schedules its later rounds.
     */
    Reconciler(HazelcastInstance hz, SubmitterState<J, ?, ?> state, JobsQueueFollower follower,
            JobsQueueFollower.Maintenance maintenance) {
        this.hz = hz;
        this.name = state.name();
        this.submitterId = state.submitterId();
        this.state = state;
        this.follower = follower;
        this.maintenance = maintenance;
    }

    /**
     * Has a reconciliation run on the maintenance thread at once, unless one asked for so has yet to start: that
     * one looks after this call, as this one's would, so a thread that asks again and again (a receiver that keeps
     * failing) keeps at most one waiting. A hand-off to the maintenance thread that throws (an
     * {@link OutOfMemoryError} as the task is queued, say) has asked for nothing: it is logged, not thrown (the
     * receiver and the workers call this as they handle a failure, and what it threw would end them), and the next
     * call asks again, so that the stall check, which asks through here too, is never turned off. From any thread;
     * nothing once the part has ended.
     */
    void reconcileSoon() {
        if (asked.compareAndSet(false, true)) {
            try {
                maintenance.maintain(() -> {
                    asked.set(false); // a call from now on asks for another: this one may look too early for it
                    reconcile();
                }, 0);
            } catch (RuntimeException | Error e) {
                asked.set(false); // nothing was handed over, so nothing will clear it
                Uncaught.log(Level.WARNING, name + ": cannot ask for a reconciliation (the next failure or stall asks "
                        + "again)", e);
            }
        }
    }

    /**
     * Puts back in the queue every pending job that is nowhere in the cluster (see the class comment), without
     * waiting for room: those that find none wait in {@link #requeue}. On the maintenance thread.
     */
    void reconcile() {
        Set<Long> runsLost = Set.of(); // taken from the state until the members' answers are in: see finally
        try {
            if (!follower.picked() || !state.hasPending() || !hz.getLifecycleService().isRunning()) {
                return; // not picked: its first job is being submitted, and no queue is known yet
            }
            Set<Long> lost = state.pendingNotOffering();
            IQueue<JobItem> queue = follower.queue(); // picked (above): this submitter's own, for good
            runsLost = state.takeRunsLost();
            lost.removeAll(inJobsQueue(queue));
            Set<Long> held = heldOnLiveMembers();
            // a run that ended without a result (its result lost as it was read, say) may still be listed as held by
            // its member, which forgets a job once its send has returned: not a run in flight
            held.removeAll(runsLost);
            lost.removeAll(held);
            runsLost = Set.of(); // answered: from here on this look acts on them
            ReentrantLock receiveLock = state.receiveLock();
            receiveLock.lock();
            try {
                lost.removeAll(inResultsQueue());
                lost.retainAll(state.pendingSeqs());
                if (state.isCancelled()) {
                    for (Long seq : lost) {
                        state.deliver(seq, null, state.cancellation());
                    }
                    requeue.clear();
                    return;
                }
            } finally {
                receiveLock.unlock();
            }
            Consumer<Set<Long>> hook = EngineHooks.beforeRequeuing;
            if (hook != null) {
                hook.accept(Set.copyOf(lost));
            }
            // a job kept from an earlier look and found somewhere now (a copy reappeared) is not put back again
            requeue.retainAll(lost);
            requeue.addAll(new TreeSet<>(lost)); // oldest first; one kept from an earlier look keeps its place
            int put = requeue(false);
            if (!lost.isEmpty() && LOG.isLoggable(Level.FINE)) {
                Uncaught.log(Level.FINE, name + ": " + lost.size() + " jobs found nowhere in the cluster, " + put
                        + " queued again, " + requeue.size() + " waiting for room", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Uncaught.log(Level.WARNING, name + ": cannot reconcile (it runs again if no result comes)", e);
        } finally {
            state.restoreRunsLost(runsLost); // a look that failed before it had the members' answers: the next one
        }
    }

    /**
     * Offers the jobs in {@link #requeue} that are still pending to the jobs queue, oldest first, until one finds
     * no room; the first waits up to {@link #POLL_MILLIS} for room if {@code waitFirst} (so that a job put back
     * takes its turn among the submits waiting for room), the others not at all. Has {@link #requeueLeft} run a
     * {@link #POLL_MILLIS} later while any is left. On the maintenance thread only; blocks at most
     * {@link #POLL_MILLIS} for room (and for the queue's operations).
     *
     * @return how many it put in the queue
     */
    private int requeue(boolean waitFirst) throws InterruptedException {
        int put = 0;
        try {
            IQueue<JobItem> queue = follower.queue(); // picked (a job is pending): this submitter's own, for good
            boolean wait = waitFirst;
            for (Iterator<Long> it = requeue.iterator(); it.hasNext();) {
                Long seq = it.next();
                J job = state.pendingJob(seq);
                if (job == null) { // its result came meanwhile
                    it.remove();
                    continue;
                }
                JobItem item = state.item(seq, job);
                if (!(wait ? queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS) : queue.offer(item))) {
                    break; // no room: the rest wait for the next round
                }
                wait = false;
                it.remove();
                put++;
            }
        } finally {
            if (!requeue.isEmpty() && !requeueScheduled) {
                requeueScheduled = true;
                maintenance.maintain(this::requeueLeft, POLL_MILLIS);
            }
        }
        return put;
    }

    /**
     * One later round of {@link #requeue}: the jobs a reconciliation could not put back for want of room. A
     * cancelled submitter gives them their cancelled result instead (they are in no place a cancel would look
     * for them, and it may have looked already); a member that has stopped drops them (its receiver gives every
     * pending job its error). On the maintenance thread.
     */
    private void requeueLeft() {
        requeueScheduled = false;
        try {
            if (requeue.isEmpty()) {
                return;
            }
            if (!hz.getLifecycleService().isRunning()) {
                requeue.clear();
                return;
            }
            if (state.isCancelled()) {
                for (Long seq : requeue) {
                    state.deliver(seq, null, state.cancellation());
                }
                requeue.clear();
                return;
            }
            int put = requeue(true);
            requeueFailing = false;
            if (put > 0 && LOG.isLoggable(Level.FINE)) {
                Uncaught.log(Level.FINE, name + ": " + put + " jobs found nowhere in the cluster queued again, "
                        + requeue.size() + " waiting for room", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // the jobs stay in requeue, tried again a poll later
            Uncaught.log(requeueFailing ? Level.FINE : Level.WARNING, name + ": cannot queue lost jobs again", e);
            requeueFailing = true;
        }
    }

    /**
     * The sequence numbers of this submitter's jobs waiting in the jobs queue {@code queue}. A job whose reading throws
     * one of the JVM's errors (those {@link Wire#readFailure} throws on; its submitter and sequence number are read
     * first, {@link Wire#takeLostJob}) counts as there, and the look goes on, as in {@link #inResultsQueue}: looking
     * reads a copy, so the job stays in the queue, for a worker to take. An error whose item is not known is thrown.
     */
    private Set<Long> inJobsQueue(IQueue<JobItem> queue) {
        Set<Long> seqs = new HashSet<>();
        Wire.takeLostJob(); // none left from a reading elsewhere
        for (Iterator<JobItem> it = queue.iterator(); it.hasNext();) {
            JobItem item;
            try {
                item = it.next();
            } catch (Error e) {
                item = Wire.takeLostJob();
                if (item == null) {
                    throw e;
                }
                Uncaught.log(Level.WARNING, name + ": job " + item.id() + " in the jobs queue cannot be read as it is "
                        + "looked for; it counts as there", e);
            }
            if (item.submitter.equals(submitterId)) {
                seqs.add(item.seq);
            }
        }
        return seqs;
    }

    /**
     * The sequence numbers of the results waiting in this submitter's results queue (none before it has one).
     * Under the receive lock ({@link SubmitterState#receiveLock}), which the receiver moves them out under: a
     * reconciliation or a cancel reads them after asking the members what they hold, in the order a job moves.
     *
     * <p>A result whose reading throws one of the JVM's errors (those {@link Wire#readFailure} throws on; its
     * sequence number is read first, {@link Wire#takeLostResult}) counts as there, and the look goes on: looking
     * reads a copy, so the result stays in the queue, for the receiver to take, and to count as one of its job's
     * failed deliveries if it cannot read it either ({@link SubmitterState#lostDelivery}). Counted lost here, it
     * would count twice. Hazelcast's queue iterator reads a copy of the items at once and moves past an item before
     * it reads it, so a {@code next()} that throws has left it. An error whose item is not known (not a result's
     * reading) ends the look, and is thrown.
     */
    private Set<Long> inResultsQueue() {
        Set<Long> seqs = new HashSet<>();
        IQueue<ResultItem> queue = state.resultsQueue();
        if (queue == null) {
            return seqs;
        }
        Wire.takeLostResult(); // none left from a reading elsewhere
        for (Iterator<ResultItem> it = queue.iterator(); it.hasNext();) {
            try {
                seqs.add(it.next().seq);
            } catch (Error e) {
                Long seq = Wire.takeLostResult();
                if (seq == null) {
                    throw e;
                }
                seqs.add(seq);
                Uncaught.log(Level.WARNING, name + ": the result of job " + seq + " in the results queue cannot be "
                        + "read as it is looked for; it counts as there, for the receiver to take", e);
            }
        }
        return seqs;
    }

    /**
     * The sequence numbers of this submitter's jobs that the live members' workers hold, asked of every member
     * ({@link InFlightQuery}); a member that does not answer within {@link HazelcastEngine#QUERY_SECONDS} (it is
     * leaving) holds none.
     */
    private Set<Long> heldOnLiveMembers() {
        Set<Long> found = new HashSet<>();
        Map<Member, Future<long[]>> answers = hz.getExecutorService(queryExecutor())
                .submitToAllMembers(new InFlightQuery(name, submitterId));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HazelcastEngine.QUERY_SECONDS);
        for (Future<long[]> answer : answers.values()) {
            try {
                for (long seq : answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    found.add(seq);
                }
            } catch (ExecutionException | TimeoutException e) {
                Uncaught.log(Level.FINE, name + ": a member did not say which jobs it holds", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return found;
    }

    private String queryExecutor() {
        return "workerpool." + name + ".query";
    }

    /**
     * Gives every pending job that is neither in flight on a live member nor answered in the results queue a
     * cancelled result now. It looks in the order a job moves, as a reconciliation does: a job whose member sent
     * its result (an interrupted one's, or one that had finished) after saying what it holds is found in the
     * queue, under the lock the receiver moves results under, and keeps that result.
     */
    void cancelQueued() {
        EngineHooks.run(EngineHooks.beforeCancellingQueued);
        try {
            Set<Long> answered = heldOnLiveMembers();
            ReentrantLock receiveLock = state.receiveLock();
            receiveLock.lock();
            try {
                answered.addAll(inResultsQueue());
                for (Long seq : state.pendingSeqs()) {
                    if (!answered.contains(seq)) {
                        state.deliver(seq, null, state.cancellation());
                    }
                }
            } finally {
                receiveLock.unlock();
            }
        } catch (RuntimeException e) {
            Uncaught.log(Level.WARNING, name + ": cannot cancel queued jobs", e);
        } finally {
            EngineHooks.run(EngineHooks.afterCancellingQueued);
        }
    }
}
