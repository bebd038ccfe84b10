package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.runtime.PoolClosedException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The submit of one member's submitter of a pool: records a job as pending and being offered
 * ({@link SubmitterState}), has the jobs queue picked at the first submit ({@link JobsQueueFollower#pick}), and offers
 * the job to that queue in slices of {@link HazelcastEngine#POLL_MILLIS} until it is in, refused, or the caller's
 * bound has passed. A job is accepted only once it is in the queue: the queue's bound is the pool's.
 *
 * <p>Thread-safe: called by any number of the pool's users at once ({@code submit}, {@code trySubmit}); it keeps no
 * state of its own (the pending jobs and the counters are the {@link SubmitterState}'s).
 *
 * @param <J> the type of a job
 */
final class Intake<J> {
    private final SubmitterState<J, ?, ?> state;
    private final JobsQueueFollower follower;

    /** The submit of {@code state}'s submitter, which puts its jobs in the queue {@code follower} knows of. */
    Intake(SubmitterState<J, ?, ?> state, JobsQueueFollower follower) {
        this.state = state;
        this.follower = follower;
    }

    /**
     * Puts a job in the queue, waiting at most {@code nanos} (negative: not at all, and then an interrupt status set
     * before the call is left alone, as by the local pool's {@code trySubmit(job)}), in slices, so that a close or an
     * interrupt while waiting is noticed; at this submitter's first submit that bound covers the wait for the members'
     * choice of jobs queue too ({@link JobsQueueFollower#pick}): not had in time, the job is refused. Hazelcast's wait
     * for an offer does not end on an interrupt (it keeps the interrupt for after): so an offer either has put the job
     * in the queue, and the job is accepted (the interrupt status stays set for the caller), or has not, and the
     * interrupt is thrown before the next slice. One exception: if the queue's partition owner leaves during an
     * interrupted offer, Hazelcast ends the offer with the interrupt instead of retrying it, and the job may be in the
     * queue already; it then runs and its result is dropped. An operation Hazelcast fails (its retries used up, its
     * member shutting down, the cluster passive) ends the submit with the exception of {@link #notTaken}, the job not
     * accepted. Any thread. {@code job} is not null: the engine refuses a null one first, in the local pool's words.
     *
     * @return whether the job was accepted
     */
    boolean offer(J job, long nanos) throws InterruptedException {
        boolean interrupted = Thread.interrupted();
        if (interrupted && nanos >= 0) {
            throw new InterruptedException();
        }
        try {
            return offerUninterrupted(job, nanos);
        } finally {
            if (interrupted) { // trySubmit(job), which never waits, leaves the status as it found it, as locally
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link #offer}, the interrupt status clear at the start: an invocation that sees it set ends as interrupted
     * instead of being retried (a partition that moves, a member that leaves), and may then have queued the job
     * while reporting that it did not.
     */
    private boolean offerUninterrupted(J job, long nanos) throws InterruptedException {
        String name = state.name();
        state.enterSubmit();
        try {
            state.throwIfClosed();
            long seq = state.nextSeq();
            JobItem item = state.item(seq, job);
            state.startOffering(seq, job);
            boolean accepted = false;
            boolean offered = false; // whether an offer was made: one Hazelcast failed may have queued the job
            try {
                long deadline = System.nanoTime() + Math.max(0, nanos); // unused for MAX_VALUE, where it overflows
                IQueue<JobItem> queue = follower.pick(nanos, deadline, state::throwIfClosed);
                if (queue == null) {
                    return false; // the members' choice of queue was not had in time
                }
                if (nanos >= 0 && Thread.interrupted()) { // kept by Hazelcast's wait for the lock, not thrown
                    throw new InterruptedException();
                }
                while (true) {
                    long left = nanos < 0 ? 0 : nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    long slice = Math.max(0, Math.min(TimeUnit.MILLISECONDS.toNanos(HazelcastEngine.POLL_MILLIS),
                            left));
                    offered = true;
                    Consumer<String> hook = EngineHooks.beforeOffering;
                    if (hook != null) {
                        hook.accept(name);
                    }
                    if (slice == 0 ? queue.offer(item) : queue.offer(item, slice, TimeUnit.NANOSECONDS)) {
                        accepted = true;
                        Consumer<String> offeredHook = EngineHooks.afterOffered;
                        if (offeredHook != null) {
                            offeredHook.accept(name);
                        }
                        return true;
                    }
                    state.throwIfClosed();
                    if (slice == 0 || (nanos != Long.MAX_VALUE && deadline - System.nanoTime() <= 0)) {
                        return false;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
            } catch (HazelcastSerializationException e) {
                throw new IllegalArgumentException(name + ": the job " + job + " cannot be sent to other members: "
                        + e.getMessage(), e);
            } catch (PoolClosedException e) {
                throw e;
            } catch (HazelcastException | IllegalStateException e) {
                // Hazelcast gave up on an operation (its retries used up while a partition migrated or its owner
                // left, this member shutting down), the cluster refused it (its state is passive), or the choice of
                // jobs queue was not had in time
                throw notTaken(e, offered);
            } finally {
                state.endOffering(seq, accepted);
            }
        } finally {
            state.leaveSubmit();
        }
    }

    /**
     * The exception of a submit whose job the cluster did not take, because of {@code e}, which it keeps as its
     * cause: a {@link PoolClosedException} if the pool has closed meanwhile, else an {@code IllegalStateException}
     * that names the pool and the problem. If {@code offered}, Hazelcast may have queued the job all the same (an
     * earlier try of the operation, which it retried, may have run), and the message says so: the job then runs,
     * but it was not accepted, so it has no result here (the one that comes is dropped).
     */
    private IllegalStateException notTaken(RuntimeException e, boolean offered) {
        if (state.isClosed()) {
            PoolClosedException closedNow = state.closedException();
            closedNow.initCause(e);
            return closedNow;
        }
        // Hazelcast's own types say what went wrong; the cluster's refusal and the lock's failure say it in words
        boolean typed = e instanceof HazelcastException || e instanceof HazelcastInstanceNotActiveException;
        String mayBeQueued = offered
                ? " (it may be in the jobs queue all the same: it then runs, and its result is dropped)" : "";
        return new IllegalStateException(state.name() + ": the cluster did not take the job, which was not accepted"
                + mayBeQueued + ": " + (typed ? e.toString() : e.getMessage()), e);
    }
}
