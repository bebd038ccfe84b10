package dev.workerpool.hazelcast;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * Tests only: the points where a test holds or fails a {@link HazelcastEngine} to force an interleaving (or sees
 * what its backend's sweeper did), and the stall time a test shortens. Each hook is null (none) unless a test sets
 * it; the engine reads each once, where it would call it, from any of its threads, so a test sets a hook before
 * the interleaving it forces and calls {@link #reset()} when it is done. Not for production code: nothing here is
 * configuration.
 */
final class EngineHooks {
    /** The stall time a pool reads when no test has changed it. */
    static final long STALL_MILLIS = 30_000;

    /**
     * Called by a worker after it has checked that a job's submitter has not cancelled and before the job counts
     * as running, with a test of whether this member has heard of a cancel since. Lets a test force a cancel into
     * that gap.
     */
    static volatile Consumer<BooleanSupplier> beforeRunning;
    /**
     * Called by a worker that is about to send results to a submitter it has not heard is gone, with the sending
     * engine's submitter id, the results' submitter and the number of results waiting in the outbox. Lets a test
     * end that submitter in between, or fail the send.
     */
    static volatile SendingHook beforeSending;
    /**
     * Called by a worker whose {@code poll} has taken a job, with the job's id, before it records the job as
     * held. Lets a test force a reconciliation into that gap.
     */
    static volatile Consumer<String> afterTaking;
    /** Called once by a member asked which jobs it holds, when it waits for a take under way. */
    static volatile Runnable whileAwaitingTakes;
    /** Called by a worker after it has sent results, as {@link #beforeSending}. */
    static volatile BiConsumer<String, String> afterSending;
    /**
     * Called while a member forgets a gone submitter, holding the send lock, with the engine's submitter id and a
     * test of whether a worker has left a result in the outbox.
     */
    static volatile BiConsumer<String, BooleanSupplier> whileForgetting;
    /**
     * Called by a thread that has claimed the delivery of a pending job's result, with the job's sequence number,
     * before it completes the job. Lets a test hold a delivery while the member stops.
     */
    static volatile LongConsumer whileDelivering;
    /** Called by a member that has stopped when a pending job is still being delivered by another thread. */
    static volatile Runnable whileAbandoning;
    /**
     * Called by a submitter's receiver, with the pool's name, each time before it looks for results (outside its
     * lock). Lets a test keep results in the cluster's queue.
     */
    static volatile Consumer<String> beforeReceiving;
    /**
     * Called by a submitter's receiver, with the pool's name, after a {@code poll} that took a result and just before
     * the {@code drainTo} that follows it (when that drain is tried). Lets a test fail the drain, as a
     * {@code drainTo} that throws does.
     */
    static volatile Consumer<String> beforeDraining;
    /**
     * Called by a submit, with the pool's name, each time just before it offers its job to the jobs queue. Lets a
     * test fail the offer as Hazelcast does when it gives up on the operation (by throwing what Hazelcast throws).
     */
    static volatile Consumer<String> beforeOffering;
    /**
     * Called by a submit, with the pool's name, once the jobs queue has taken its job and before the submit ends its
     * offer. Lets a test hold a submit while its job is run, and lost, on a worker.
     */
    static volatile Consumer<String> afterOffered;
    /**
     * Called by a submitter's {@code cancel()} that has found it not cancelled yet, before it marks it so. Lets a
     * test hold two cancels there at once.
     */
    static volatile Runnable whileCancelling;
    /**
     * Called by the submitter's {@code cancel()} that has marked it cancelled, before it closes it to new jobs. Lets a
     * test hold that cancel there while another returns.
     */
    static volatile Runnable afterCancelMarked;
    /** Called by a cancelling submitter before it asks the members which of its jobs they hold. */
    static volatile Runnable beforeCancellingQueued;
    /** Called by a cancelling submitter once it has given its jobs found nowhere their cancelled result. */
    static volatile Runnable afterCancellingQueued;
    /**
     * Called by a pool's {@code start} once it has registered its submitter and made its results queue, before it
     * starts its threads. Lets a test fail a start after its registration.
     */
    static volatile Runnable afterRegistering;
    /**
     * Called by a pool's {@code start} just before it starts each of its threads (its workers, then its receiver),
     * with the thread. Lets a test fail a thread's start, as a JVM that cannot create another native thread does.
     */
    static volatile Consumer<Thread> beforeStartingThread;
    /**
     * Called by {@link HazelcastBackend.Builder#start()} once its member has started and seen the cluster form, just
     * before it makes the backend. Lets a test fail a start that has a member running, as an {@link Error} does.
     */
    static volatile Runnable beforeBackendMade;
    /** Called as a pool ends, just after it has taken its submitter out of the map. */
    static volatile Runnable afterDeregistering;
    /**
     * Called by a pool that has cleaned up after a dead member (removed its submitters and their results queues),
     * with the dead member's id, before it reconciles.
     */
    static volatile Consumer<String> afterMemberCleanup;
    /**
     * Called by a submitter's reconciliation, with the sequence numbers of the jobs it found nowhere in the
     * cluster, before it puts them in the jobs queue again, or keeps for later those that find no room (not when
     * it found the pool cancelled). Lets a test see what a reconciliation counts as lost.
     */
    static volatile Consumer<Set<Long>> beforeRequeuing;
    /**
     * Called by a {@link ResultsQueueSweeper} when it has looked at a results queue, with the queue's name and
     * whether it destroyed it.
     */
    static volatile BiConsumer<String, Boolean> afterSweeping;
    /**
     * Called by a check of the pool's choice of jobs queue (a deregistration's, {@link JobsPlacement#deregister}, or
     * one after a member left, {@link JobsPlacement#tryCheck}), under the lock of the choice, with what it did
     * with the choice. Lets a test tell a queue kept on purpose (it held jobs, and no submitter was left that uses
     * it) from one left behind.
     */
    static volatile PlacementHook afterPlacementCheck;
    /**
     * Called each time a wait of one slice (at most {@code HazelcastEngine}'s poll time) for the lock of the pool's
     * choice of jobs queue has ended without it: by a submitter's first submit, on the submitting thread, and by a
     * serving member's maintenance thread reading the choice (it then leaves the read to the next look) or destroying
     * the jobs queues it no longer uses (tried again later), and by a check of the choice after a member left, on a
     * pool's maintenance thread or a sweeper's (it is then tried again later). Lets a test know that a submit waits
     * for the choice, to interrupt or close it there, or that the maintenance thread has come to the lock.
     */
    static volatile Runnable whileAwaitingPlacement;
    /**
     * While jobs are pending and no result has arrived for this long, a submitter reconciles, in case a loss went
     * unseen (a reconciliation after a member left failed, say). Read as a pool starts; tests shorten it first.
     */
    static volatile long stallMillis = STALL_MILLIS;

    private EngineHooks() {
    }

    /** Runs {@code hook}, one of the {@code Runnable} hooks read once by the caller, unless it is null. */
    static void run(Runnable hook) {
        if (hook != null) {
            hook.run();
        }
    }

    /** Removes every hook and restores the stall time; pools already started keep the stall time they read. */
    static void reset() {
        beforeRunning = null;
        beforeSending = null;
        afterTaking = null;
        whileAwaitingTakes = null;
        afterSending = null;
        whileForgetting = null;
        whileDelivering = null;
        whileAbandoning = null;
        afterRegistering = null;
        beforeStartingThread = null;
        beforeBackendMade = null;
        afterDeregistering = null;
        afterMemberCleanup = null;
        beforeRequeuing = null;
        afterSweeping = null;
        afterPlacementCheck = null;
        whileAwaitingPlacement = null;
        beforeReceiving = null;
        beforeDraining = null;
        beforeOffering = null;
        afterOffered = null;
        whileCancelling = null;
        afterCancelMarked = null;
        beforeCancellingQueued = null;
        afterCancellingQueued = null;
        stallMillis = STALL_MILLIS;
    }

    /** The type of {@link #afterPlacementCheck}. */
    @FunctionalInterface
    interface PlacementHook {
        /**
         * One deregistration check's outcome.
         *
         * @param pool    the pool's name
         * @param queue   the jobs queue chosen when the check ran, or null if none was
         * @param dropped whether the check deleted the choice and destroyed the queue
         * @param keptFor how many jobs the queue held when the check kept it for them although no registered
         *                submitter uses it; 0 if it dropped the choice, or kept it because a submitter uses it
         */
        void checked(String pool, String queue, boolean dropped, int keptFor);
    }

    /** The type of {@link #beforeSending}. */
    @FunctionalInterface
    interface SendingHook {
        void beforeSending(String engine, String to, IntSupplier waiting);
    }
}
