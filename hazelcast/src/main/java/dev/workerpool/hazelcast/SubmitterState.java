package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.hazelcast.Wire.ResultItem;
import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.ResultFactory;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What one member's submitter of a pool keeps: its pending jobs (accepted, no result yet) and those still being
 * offered to the jobs queue, their delivery (the first result of a pending job completes it, any other is dropped),
 * the results ready to read ({@link ReadyResults}) and their end, whether it is closed or cancelled, its results
 * queue, the lock results move out of that queue under, and its counters. Shared by the submit ({@link Intake}), the
 * receiver ({@link Receiver}), the reconciliation and a cancel's answers ({@link Reconciler}), the workers that
 * deliver in place ({@link ResultSender}), and the engine's lifecycle and {@code stats()}.
 *
 * <p>Thread-safe: the pending jobs and those being offered are concurrent collections, the closed flag and the
 * results queue volatile, the cancelled flag and the counters atomic; a job's delivery is claimed first
 * ({@link #deliver}), so that two results arriving at once (one delivered in place by a worker, one from the cluster
 * after a re-run) complete it once, and a cancel marks the submitter cancelled by a compare-and-set
 * ({@link #cancel}), so that two cancels at once act once. The results queue is set once, by the thread that starts
 * the pool. {@link #stalled} is for the receiver thread only. Logs through {@link Uncaught}.
 *
 * @param <J> the type of a job
 * @param <V> the type of a job's value
 * @param <R> the type of a result
 */
final class SubmitterState<J, V, R> implements ResultSender.Delivery {
    /**
     * How many deliveries of one job's results may fail ({@link #deliver}) before the last of them gives the job a
     * failed result instead: each failed one leaves the job pending, for a reconciliation to run it again, so a
     * result that fails the same way every time would have the job run for ever and the pool never end. Lost takes
     * ({@link #lostTake}) and losses on other members ({@link #lostElsewhere}) count with them.
     */
    static final int MAX_FAILED_DELIVERIES = 3;

    private final String name;
    private final String submitterId;
    private final JobCodec<J, V> codec;
    private final ResultFactory<J, V, R> resultFactory;
    /** Whether the first failed job cancels the pool ({@code failFast}), through {@link #cancelPool}. */
    private final boolean failFast;
    /** The engine's {@code cancel()}: what a fail-fast pool's first failure calls. */
    private final Runnable cancelPool;

    private final ConcurrentHashMap<Long, J> pending = new ConcurrentHashMap<>();
    /**
     * The pending jobs whose submit is still offering them to the jobs queue (waiting for room, say): not in the
     * queue yet, and not lost either, so a reconciliation leaves them alone. A job enters before it is pending and
     * leaves after its offer has put it in the queue, or after it has stopped being pending: a reconciliation that
     * reads {@link #pending} and then this set cannot miss a job in between ({@link #pendingNotOffering}).
     */
    private final Set<Long> offering = ConcurrentHashMap.newKeySet();
    /**
     * The jobs lost (a failed delivery of their result, or a take that could not read them) while their submit was
     * still offering them: the reconciliation that the loss asks for does not look for a job being offered
     * ({@link #pendingNotOffering}), so the offer's end asks for another ({@link #endOffering}). A job leaves when its
     * offer ends or it completes.
     */
    private final Set<Long> lostWhileOffering = ConcurrentHashMap.newKeySet();
    /** Asks for a reconciliation at once (the reconciler's {@code reconcileSoon}); set once the engine has one. */
    private volatile Runnable lookAgain = () -> { };
    private final AtomicLong sequence = new AtomicLong();
    /** How many submits are under way: the submitter is finished only once none is. */
    private final AtomicInteger submitting = new AtomicInteger();
    /**
     * Held while results move from the results queue to {@link #results}, and by a reconciliation's look and a
     * cancel's answers. Fair: the receiver takes it again right after each {@code poll}, and would otherwise keep
     * the maintenance thread out of it.
     */
    private final ReentrantLock receiveLock = new ReentrantLock(true);
    /**
     * The pending jobs whose result a thread is delivering: a job's results can come two ways at once (one from
     * a worker of this member, one from the cluster after a re-run), and only the first is delivered.
     */
    private final Set<Long> delivering = ConcurrentHashMap.newKeySet();
    /**
     * How many deliveries of each pending job's results, and takes of it by this member's workers, have failed so
     * far, and how many times another member lost it, for the jobs with at least one: written by the thread that has
     * claimed the job's delivery ({@link #delivering}), the entry removed as the job completes.
     */
    private final ConcurrentHashMap<Long, Failures> failedDeliveries = new ConcurrentHashMap<>();
    /**
     * Pending jobs of which a run has ended without a result since the reconciliation last looked
     * ({@link #takeRunsLost}): a failure counted by {@link #countFailure}. Such a run may still be listed as held by
     * the member that ran it, which forgets a job only once its result's send has returned: the look must not take
     * that for a run in flight.
     */
    private final Set<Long> runsLost = ConcurrentHashMap.newKeySet();
    /** The results of this submitter, ready to read, and their end once every job has its result. */
    private final ReadyResults<R> results;
    /**
     * Set once the submitter is registered; volatile because a member's leaving may start a reconciliation while the
     * pool starts (it then finds no results queue yet, and nothing pending).
     */
    private volatile IQueue<ResultItem> resultsQueue;
    private volatile boolean closed;
    /** Set once, by the one {@link #cancel()} that acts (a compare-and-set: two cancels at once act once). */
    private final AtomicBoolean cancelled = new AtomicBoolean();

    /** See {@link EngineHooks#stallMillis}: read as the pool starts. */
    private final long stallNanos = TimeUnit.MILLISECONDS.toNanos(EngineHooks.stallMillis);
    /** When this submitter last had a result, or last reconciled because it had none. */
    private volatile long progressAt = System.nanoTime();
    /** The first failed job's error, if the pool fails fast. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong cancelledJobs = new AtomicLong();

    /**
     * The state of submitter {@code submitterId} of pool {@code name}, with nothing pending: {@code codec} reads a
     * job's value, {@code resultFactory} makes its result, and, if {@code failFast}, the first failed job calls
     * {@code cancelPool} (the engine's {@code cancel()}).
     */
    SubmitterState(String name, String submitterId, JobCodec<J, V> codec, ResultFactory<J, V, R> resultFactory,
            boolean failFast, Runnable cancelPool) {
        this.name = name;
        this.submitterId = submitterId;
        this.codec = codec;
        this.resultFactory = resultFactory;
        this.failFast = failFast;
        this.cancelPool = cancelPool;
        this.results = new ReadyResults<>(name);
    }

    /** The pool's name. */
    String name() {
        return name;
    }

    /** This submitter's id: its results queue's and its jobs' ({@link JobItem#submitter}). */
    String submitterId() {
        return submitterId;
    }

    /** Job {@code job}, number {@code seq} of this submitter, as it goes on the jobs queue. */
    JobItem item(long seq, J job) {
        return new JobItem(submitterId, seq, codec.toComponents(job));
    }

    // ------------------------------------------------------------------------------------------ submits

    /** A submit starts: until {@link #leaveSubmit}, the submitter is not finished. */
    void enterSubmit() {
        submitting.incrementAndGet();
    }

    /** A submit that {@link #enterSubmit entered} has ended. */
    void leaveSubmit() {
        submitting.decrementAndGet();
    }

    /** The next job's sequence number. */
    long nextSeq() {
        return sequence.incrementAndGet();
    }

    /** Job {@code seq} is being offered to the jobs queue: recorded as such, then as pending. */
    void startOffering(long seq, J job) {
        offering.add(seq);
        pending.put(seq, job);
    }

    /**
     * The offer of job {@code seq} has ended: {@code accepted} (in the queue: counted as submitted, and pending until
     * its result), or not (no longer pending); then no longer being offered.
     */
    void endOffering(long seq, boolean accepted) {
        if (accepted) {
            submitted.incrementAndGet();
        } else {
            pending.remove(seq);
        }
        offering.remove(seq);
        // after the remove: a loss noted before this is looked for now; one noted after it asks for its own look,
        // which no longer skips the job
        if (lostWhileOffering.remove(seq) && accepted) {
            lookAgain.run();
        }
    }

    /** How {@link #endOffering} asks for a reconciliation at once, for a job lost while it was offered. */
    void lookAgainWith(Runnable reconcileSoon) {
        lookAgain = Objects.requireNonNull(reconcileSoon, "reconcileSoon");
    }

    /** Job {@code seq} was lost (its caller asks for a reconciliation): noted if its submit is still offering it. */
    private void lostWhileOffered(long seq) {
        if (offering.contains(seq)) {
            lostWhileOffering.add(seq);
        }
    }

    // ----------------------------------------------------------------------------------- pending jobs

    /** Whether any job is pending. */
    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** How many jobs are pending. */
    int pendingCount() {
        return pending.size();
    }

    /** The pending job {@code seq}, or null if it has its result (or was never accepted). */
    J pendingJob(long seq) {
        return pending.get(seq);
    }

    /** The sequence numbers of the jobs pending now: a copy. */
    Set<Long> pendingSeqs() {
        return new HashSet<>(pending.keySet());
    }

    /**
     * The sequence numbers of the jobs pending now whose submit no longer offers them: those a reconciliation looks
     * for in the cluster. A copy; {@link #offering} is read after the pending jobs, so a job whose offer ends between
     * the two reads is left out (it is in the queue, or not pending), never taken as lost while being offered.
     */
    Set<Long> pendingNotOffering() {
        Set<Long> seqs = new HashSet<>(pending.keySet());
        seqs.removeAll(offering);
        return seqs;
    }

    // -------------------------------------------------------------------------------------- delivery

    /**
     * Completes a pending job with its first result; drops any other. From any thread: the receiver (results from
     * the cluster, and errors when the member stops), a worker (results of its member's own submitter), the
     * maintenance thread (cancelled jobs). The thread that completes the last job ends the results. A result
     * factory that throws (outside its contract) does not throw out of here: the job's result carries what it
     * threw, as its error (see {@link #resultOfFailedFactory}). Any other failure (an {@link Error} from the codec's
     * {@code fromWire}, say) throws, and leaves the job pending for a reconciliation to run it again; but the last
     * of {@value #MAX_FAILED_DELIVERIES} failed deliveries of the same job's results gives the job a failed result
     * instead, a {@link RemoteJobException} naming the pool and caused by what the delivery threw (and throws only
     * if that fails too), so that a result that fails the same way every time still ends its job, and the pool.
     */
    @Override
    public void deliver(long seq, Object wire, Throwable error) {
        withDeliveryClaimed(seq, job -> {
            try {
                LongConsumer hook = EngineHooks.whileDelivering;
                if (hook != null) {
                    hook.accept(seq);
                }
                complete(seq, job, wire, error);
            } catch (RuntimeException | Error e) {
                if (!countFailure(seq, job, Failures.DELIVERY, e)) {
                    throw e;
                }
            }
        });
    }

    /**
     * A result of the pending job {@code seq} was lost as it was read ({@code e} is what the reading threw): one of
     * the job's failed deliveries, which stays pending for a reconciliation to run it again, unless it is the last
     * of {@value #MAX_FAILED_DELIVERIES}, which gives the job its failed result as {@link #deliver} does. Nothing if
     * the job has its result, or another thread is delivering it. From any thread.
     */
    @Override
    public void lostDelivery(long seq, Throwable e) {
        lost(seq, e, Failures.DELIVERY);
    }

    /**
     * The pending job {@code seq} was lost as a worker of this member took it out of the jobs queue, its reading
     * throwing {@code e} (one of the JVM's errors: {@link Wire#readFailure}): counted with the job's failed
     * deliveries, as {@link #lostDelivery} counts a lost result, so that a job that cannot ever be read ends, failed
     * with a {@link RemoteJobException} naming the pool, rather than run again for ever. From any thread.
     */
    void lostTake(long seq, Throwable e) {
        lost(seq, e, Failures.TAKE);
    }

    /**
     * The pending job {@code seq} was lost on another member, which took it, and told this submitter (a loss notice
     * in the results queue, {@link Wire.ResultItem#lost}): its reading as a worker there took it, or the sending of its
     * result, threw one of the JVM's errors; {@code e} says which. Counted with the job's failed deliveries, as
     * {@link #lostTake} counts a loss on this member, so that a job lost so every time ends, failed with a
     * {@link RemoteJobException} naming the pool, rather than run again for ever. Its caller asks for a
     * reconciliation, which runs the job again unless this ended it. From any thread.
     */
    void lostElsewhere(long seq, Throwable e) {
        lost(seq, e, Failures.ELSEWHERE);
    }

    /** {@link #lostDelivery}, {@link #lostTake} or {@link #lostElsewhere}: {@code kind} is one of {@link Failures}'. */
    private void lost(long seq, Throwable e, Failures kind) {
        withDeliveryClaimed(seq, job -> countFailure(seq, job, kind, e));
    }

    /**
     * Takes the jobs of which a run has ended without a result (a failed delivery, take or loss elsewhere, counted)
     * since the last call: for the reconciliation, which asks the members which jobs they hold and must not count
     * such a run's job as held by the member that ran it (it may not have forgotten it yet). A failure counted after
     * the call is taken by the next, which the failure's caller asks for. From the maintenance thread.
     */
    Set<Long> takeRunsLost() {
        Set<Long> taken = new HashSet<>();
        for (Iterator<Long> it = runsLost.iterator(); it.hasNext(); ) {
            taken.add(it.next());
            it.remove();
        }
        return taken;
    }

    /** Gives back what {@link #takeRunsLost} took, for a look that failed: the next look takes it. */
    void restoreRunsLost(Set<Long> seqs) {
        runsLost.addAll(seqs);
    }

    /**
     * Runs {@code step} with the pending job {@code seq}, its delivery claimed ({@link #delivering}); nothing if the
     * job has its result, or another thread is delivering it. Then ends the results if every job has its result.
     * What {@code step} throws goes on, the claim given back.
     */
    private void withDeliveryClaimed(long seq, Consumer<J> step) {
        if (!delivering.add(seq)) {
            return; // being delivered by another thread
        }
        try {
            J job = pending.get(seq); // null: delivered already
            if (job != null) {
                step.accept(job);
            }
        } finally {
            delivering.remove(seq);
        }
        endResultsIfFinished();
    }

    /**
     * Counts a failure of the pending job {@code seq} of kind {@code kind} (a failed delivery of its result, a failed
     * take of it on this member, a loss on another member: one of {@link Failures}'; {@code e} is what failed), its
     * delivery claimed. The last of {@value #MAX_FAILED_DELIVERIES} gives the job its failed result, naming every
     * kind's count, and returns true. Any other leaves the job pending, for a reconciliation to run it again (noted
     * if its submit still offers it: {@link #lostWhileOffered}), and returns false.
     */
    private boolean countFailure(long seq, J job, Failures kind, Throwable e) {
        Failures failures = failedDeliveries.merge(seq, kind, Failures::plus);
        if (failures.total() < MAX_FAILED_DELIVERIES) {
            lostWhileOffered(seq);
            runsLost.add(seq);
            return false;
        }
        complete(seq, job, null, kind == Failures.TAKE ? unreadable(e, failures)
                : kind == Failures.ELSEWHERE ? lostOnAnotherMember(e, failures) : undeliverable(e, failures));
        return true;
    }

    private void complete(long seq, J job, Object wire, Throwable error) {
        V value = null;
        if (error == null) {
            try {
                value = codec.fromWire(job, wire);
            } catch (RuntimeException e) {
                error = e;
            }
        }
        R result;
        try {
            result = resultFactory.create(job, value, error);
        } catch (Throwable factoryFailure) { // outside the factory's contract: the job's result carries it
            if (error != null && error != factoryFailure) { // not added to an OutOfMemoryError: logged instead
                Uncaught.suppress(factoryFailure, error, name + ": the error of job " + seq
                        + ", on which the result factory threw");
            }
            error = factoryFailure;
            result = resultOfFailedFactory(job, factoryFailure);
        }
        if (error == null) {
            completed.incrementAndGet();
        } else if (error instanceof CancellationException) {
            cancelledJobs.incrementAndGet();
        } else {
            failed.incrementAndGet();
            if (failFast && failure.compareAndSet(null, error)) {
                cancelPool.run();
            }
        }
        if (result != null) {
            results.add(result);
        }
        progressAt = System.nanoTime();
        pending.remove(seq); // last: finished() must not see this job done before its result is readable
        failedDeliveries.remove(seq);
        lostWhileOffering.remove(seq);
    }

    /**
     * The error of a job whose last failure, {@code e}, was a delivery of its results, and whose {@code failures}
     * count both kinds: a {@link RemoteJobException} naming the pool and saying how many of each failed, with
     * {@code e}'s type, message and stack trace, and {@code e} as its cause.
     */
    private RemoteJobException undeliverable(Throwable e, Failures failures) {
        return failedJob(e, "the job's result could not be delivered on the submitting member "
                + times(failures.deliveries()) + (failures.takes() == 0 ? ""
                : ", and the job could not be read there by the worker that took it " + times(failures.takes()))
                + elsewhere(failures));
    }

    /**
     * The error of a job whose last failure, {@code e}, was a worker of this member reading it as it took it, and
     * whose {@code failures} count both kinds: as {@link #undeliverable}.
     */
    private RemoteJobException unreadable(Throwable e, Failures failures) {
        return failedJob(e, "the job could not be read by the worker that took it, on the submitting member, "
                + times(failures.takes()) + (failures.deliveries() == 0 ? ""
                : ", and its result could not be delivered there " + times(failures.deliveries()))
                + elsewhere(failures));
    }

    /**
     * The error of a job whose last failure, {@code e} (the loss notice's error, which says what the other member
     * threw), was a loss on another member, and whose {@code failures} count every kind: as {@link #undeliverable}.
     */
    private RemoteJobException lostOnAnotherMember(Throwable e, Failures failures) {
        return failedJob(e, "the job was lost on another member that took it (its reading there, or its result's "
                + "sending, failed) " + times(failures.elsewhere()) + (failures.deliveries() == 0 ? ""
                : ", and its result could not be delivered on the submitting member " + times(failures.deliveries()))
                + (failures.takes() == 0 ? "" : ", and the job could not be read on the submitting member by the "
                + "worker that took it " + times(failures.takes())));
    }

    /** What {@code failures} add about losses on other members, if any: for the end of a failed job's message. */
    private static String elsewhere(Failures failures) {
        return failures.elsewhere() == 0 ? ""
                : ", and it was lost on another member that took it " + times(failures.elsewhere());
    }

    /** {@code what} happened to a job, the last time with {@code e}: its error, naming the pool, caused by e. */
    private RemoteJobException failedJob(Throwable e, String what) {
        RemoteJobException error = new RemoteJobException(name + ": " + what + ": " + e, e.getClass().getName(),
                e.getStackTrace());
        error.initCause(e);
        return error;
    }

    /** "once", "twice" or "n times". */
    private static String times(int n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    /**
     * A pending job's failed deliveries of its results, failed takes (readings as a worker of this member took it) and
     * losses on other members (told by a loss notice), which {@value #MAX_FAILED_DELIVERIES} bounds together.
     * Immutable; {@link #DELIVERY}, {@link #TAKE} and {@link #ELSEWHERE} are one failure of each kind.
     */
    private record Failures(int deliveries, int takes, int elsewhere) {
        static final Failures DELIVERY = new Failures(1, 0, 0);
        static final Failures TAKE = new Failures(0, 1, 0);
        static final Failures ELSEWHERE = new Failures(0, 0, 1);

        Failures plus(Failures other) {
            return new Failures(deliveries + other.deliveries, takes + other.takes, elsewhere + other.elsewhere);
        }

        int total() {
            return deliveries + takes + elsewhere;
        }
    }

    /**
     * The result of a job whose result factory threw {@code failure} as it built the job's result: the result the
     * factory makes with {@code failure} as the job's error; or, if it throws for that too, null (the job ends
     * without a result, so that the pool can still end), and {@code failure}, with what it threw the second time
     * suppressed (logged instead if it cannot be: {@link Uncaught#suppress}), goes to the current thread's
     * uncaught-exception handler (and is logged if that throws too), as a local pool's worker reports what its result
     * handler throws.
     */
    private R resultOfFailedFactory(J job, Throwable failure) {
        try {
            return resultFactory.create(job, null, failure);
        } catch (Throwable again) {
            if (again != failure) { // not added to an OutOfMemoryError: logged instead
                Uncaught.suppress(failure, again, name + ": what the result factory threw the second time");
            }
            Uncaught.report(failure, name + ": the result factory threw as it built a job's result, which has none");
            return null;
        }
    }

    /**
     * This member left the cluster: its pending jobs will never hear back. Gives each its error, and returns once
     * none is pending (a worker may be delivering one of them meanwhile: the results must not end before its result
     * is in), or after {@link HazelcastEngine#QUERY_SECONDS} if one stays pending (a delivery that failed). On the
     * receiver thread.
     */
    void abandonPending() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HazelcastEngine.QUERY_SECONDS);
        while (true) {
            for (Long seq : pendingSeqs()) {
                deliver(seq, null, new IllegalStateException(name + ": this member left the cluster before the "
                        + "job's result came"));
            }
            if (pending.isEmpty() || System.nanoTime() - deadline > 0) {
                return;
            }
            EngineHooks.run(EngineHooks.whileAbandoning);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // another thread delivers one: let it finish
        }
    }

    /**
     * Whether no result came for {@link EngineHooks#stallMillis} while jobs are pending; true once per stall (the
     * time of the last progress is then reset). For the receiver thread, which asks at least every
     * {@link HazelcastEngine#POLL_MILLIS}.
     */
    boolean stalled() {
        if (!pending.isEmpty() && System.nanoTime() - progressAt > stallNanos) {
            progressAt = System.nanoTime(); // once per stall
            return true;
        }
        return false;
    }

    /** The error of a job that its submitter's cancel ended, or kept from running. */
    CancellationException cancellation() {
        return cancellation(name);
    }

    /** The error of a job of pool {@code name} that its submitter's cancel ended, or kept from running. */
    static CancellationException cancellation(String name) {
        return new CancellationException(name + " was cancelled");
    }

    // ------------------------------------------------------------------------------- results and end

    /** The results ready to read. */
    ReadyResults<R> results() {
        return results;
    }

    /** This submitter's results queue, or null before it registered. */
    IQueue<ResultItem> resultsQueue() {
        return resultsQueue;
    }

    /** Sets this submitter's results queue, once registered; by the thread that starts the pool. */
    void resultsQueue(IQueue<ResultItem> queue) {
        this.resultsQueue = queue;
    }

    /** The lock results move out of the results queue under (see {@link #receiveLock}). */
    ReentrantLock receiveLock() {
        return receiveLock;
    }

    /** Whether this submitter is done: it is closed, no submit is under way, and every job has its result. */
    boolean finished() {
        return closed && submitting.get() == 0 && pending.isEmpty();
    }

    /**
     * Ends the results if every job has its result and no more can be submitted: called by whoever may have made it
     * so (a delivery, {@code close()}, {@code cancel()}), so that the results end at once, not when the receiver's
     * {@code poll} of its (empty) results queue times out.
     */
    void endResultsIfFinished() {
        if (finished()) {
            results.end();
        }
    }

    /** Ends the results, once: every job has its result, and no more will come (or the member left). */
    void endResults() {
        results.end();
    }

    /** Closes the submitter to new jobs, and ends the results if every job has its result. */
    void close() {
        closed = true;
        endResultsIfFinished();
    }

    /**
     * Marks the submitter cancelled and closed, and ends the results if every job has its result; false if it was
     * cancelled already. Of calls at once, from any threads, exactly one returns true: the one whose compare-and-set
     * marks it cancelled, which its caller then acts on. Every call returns with the submitter closed to new jobs,
     * the others too, though the one that marked it may not have closed it yet: a submit that comes after any
     * {@code cancel()} has returned is refused.
     */
    boolean cancel() {
        if (cancelled.get()) {
            closed = true; // the call that marked it may not have yet
            return false;
        }
        EngineHooks.run(EngineHooks.whileCancelling);
        if (!cancelled.compareAndSet(false, true)) {
            closed = true; // another cancel got there first, and may not have closed it yet
            return false;
        }
        EngineHooks.run(EngineHooks.afterCancelMarked);
        closed = true;
        endResultsIfFinished();
        return true;
    }

    /** Whether the submitter is closed to new jobs (cancelled included). */
    boolean isClosed() {
        return closed;
    }

    /** Whether the submitter has cancelled. */
    boolean isCancelled() {
        return cancelled.get();
    }

    /** Throws this pool's {@link PoolClosedException} if it is closed (or cancelled). */
    void throwIfClosed() {
        if (closed) {
            throw closedException();
        }
    }

    /** The exception of a submit to this pool once it is closed, or cancelled. */
    PoolClosedException closedException() {
        return new PoolClosedException(name + " is " + (cancelled.get() ? "cancelled" : "closed"));
    }

    // ---------------------------------------------------------------------------------------- counters

    /** The first failed job's error, if the pool fails fast and a job failed. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** How many jobs were accepted. */
    long submitted() {
        return submitted.get();
    }

    /** How many jobs completed with a value. */
    long completed() {
        return completed.get();
    }

    /** How many jobs failed (not counting those cancelled). */
    long failed() {
        return failed.get();
    }

    /** How many jobs were cancelled. */
    long cancelledJobs() {
        return cancelledJobs.get();
    }
}
