package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import dev.workerpool.hazelcast.Wire.JobItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;

/**
 * Which jobs queue one member's part of a pool uses: the one its submitter picked at its first submit, which it then
 * keeps, or, until then, the one the pool's members chose ({@link JobsPlacement}), which it follows as the choice is
 * made, moves or is dropped (a listener on the choice, and the receiver's look every
 * {@value #READ_AGAIN_MILLIS} ms in case an event was missed). Also what follows from using a
 * queue through a proxy: the queues this member no longer uses are destroyed once none of its takes or looks may
 * reach them ({@link #destroyRetired}), the choice is checked after a member left ({@link #check}) and as the part
 * deregisters ({@link #deregister}), and no look at the queue's size comes after the part ended ({@link #endLooks}).
 *
 * <p>Threads: the workers read {@link #queue()} and wait on {@link #awaitPlaced}; submitting threads
 * {@link #pick} (concurrently: two first submits get the same queue); the receiver calls {@link #readWhileServing};
 * {@code stats()} calls {@link #queuedJobs}; everything else runs on the part's maintenance thread (the reads of the
 * choice, the destruction of retired queues, the checks), or on the thread that starts or ends the part. The queue in
 * use, the latch the idle workers wait on and whether the submitter picked are written under {@link #lock}, and
 * read without it (volatile); the retired queues are a concurrent set, added to under the lock; the scheduling flags
 * and the time of the receiver's last look belong to one thread each; the looks at the queue's size are read-held
 * under {@link #queueLooks}, which the part's end write-holds. Logs as {@link HazelcastEngine}, through
 * {@link Uncaught#log}: a log that throws (a handler that fails) loses its record, never the rest of the task under
 * way (a deregistration, the destruction of retired queues, a check and its next try).
 */
final class JobsQueueFollower {
    /** How long a worker's take waits for a job, and the slice of the waits here. */
    private static final long POLL_MILLIS = HazelcastEngine.POLL_MILLIS;
    /** How often the receiver of a member that does not submit has the choice read, in case an event was missed. */
    private static final long READ_AGAIN_MILLIS = HazelcastEngine.RECONCILE_AGAIN_MILLIS;
    /**
     * How long the maintenance thread waits for the takes under way before it destroys a queue this member no longer
     * uses ({@link #destroyRetired}): about two polls; it tries again later if they have not all ended.
     */
    private static final long RETIRED_WAIT_MILLIS = 2 * POLL_MILLIS;

    /** Runs a task on the part's maintenance thread, now or later, unless the part has terminated. */
    interface Maintenance {
        /** Runs {@code task} on the maintenance thread, now or {@code delayMillis} later. */
        void maintain(Runnable task, long delayMillis);
    }

    /** Waits for the part's takes under way, which read the queue in use again once under way. */
    interface Takes {
        /** Waits until every take under way now has ended, or {@code deadline} (a {@code nanoTime}); whether done. */
        boolean awaitUnderWay(long deadline);
    }

    private final HazelcastInstance hz;
    private final String name;
    private final String submitterId;
    private final IMap<String, String> submitters;
    private final IMap<String, String> placement;
    private final Maintenance maintenance;
    private final Takes takes;

    /**
     * The jobs queue the pool's members agreed on ({@link JobsPlacement}), or null while this member knows of
     * none; written under {@link #lock}. Fixed once this member's submitter has submitted ({@link #picked}); until
     * then it follows the choice, and {@link #placed} is counted down whenever it is set.
     */
    private volatile IQueue<JobItem> jobs;
    /** What idle workers wait on while {@link #jobs} is null: replaced, under the lock, as it becomes null. */
    private volatile CountDownLatch placed = new CountDownLatch(1);
    /** Whether this member's submitter has submitted, and so keeps its jobs queue; written under the lock. */
    private volatile boolean picked;
    /** Guards {@link #jobs}, {@link #placed} and {@link #picked}. */
    private final Object lock = new Object();
    /**
     * The jobs queues this member used and no longer does (it followed the choice elsewhere, or to none), to be
     * destroyed once none of its takes or looks may still reach them, unless chosen again ({@link #destroyRetired}):
     * the member that dropped a queue destroyed it, but a {@code poll} or {@code size} of this member's that came
     * after that, through its proxy, made the queue's storage again, on its partition's owner and listed nowhere,
     * and nothing else would destroy it. Added to under {@link #lock}.
     */
    private final Set<IQueue<JobItem>> retired = ConcurrentHashMap.newKeySet();
    /** Whether a {@link #destroyRetired} is scheduled. On the maintenance thread only. */
    private boolean retiredScheduled;
    /** The run of {@link Error}s of {@link #readPlacement}'s reads, if any. On the maintenance thread only. */
    private final ErrorRun readErrors = new ErrorRun();
    /** The run of {@link Error}s of {@link #destroyRetired}'s tries, if any. On the maintenance thread only. */
    private final ErrorRun retiredErrors = new ErrorRun();
    private UUID placementListener;
    /** When the receiver last read the choice for a serving member (in case an event was missed); its own. */
    private long placementReadAt = System.nanoTime();
    /** Set, under the placement's lock, as this member's submitter registers: it then reads picks it hears of. */
    private volatile boolean registered;
    /**
     * Whether the choice of jobs queue is to be checked after a member left, and has not been yet
     * ({@link #check}). On the maintenance thread only.
     */
    private boolean placementCheckDue;
    /** Whether a {@link #check} is scheduled. On the maintenance thread only. */
    private boolean placementCheckScheduled;
    /** The run of {@link Error}s of {@link #check}'s tries, if any. On the maintenance thread only. */
    private final ErrorRun checkErrors = new ErrorRun();
    /**
     * Read-held by {@link #queuedJobs} while it reads the jobs queue's size, write-held as this member's part ends
     * to set {@link #looksEnded}: an operation through the proxy of a queue that has been destroyed makes the queue's
     * storage again, on its partition's owner and listed nowhere, so no look may reach the queue after the
     * deregistration that may destroy it (a metrics binding may call {@code stats()} long after the pool ended).
     */
    private final ReentrantReadWriteLock queueLooks = new ReentrantReadWriteLock();
    /** Whether {@link #queuedJobs} no longer reads the jobs queue's size. Guarded by {@link #queueLooks}. */
    private boolean looksEnded;

    /**
     * The follower of submitter {@code submitterId}'s part of pool {@code name} (its map of the choice
     * {@code placement}, of submitters {@code submitters}), knowing of no queue yet; {@code maintenance} runs its
     * tasks, {@code takes} waits for the part's takes.
     */
    JobsQueueFollower(HazelcastInstance hz, String name, String submitterId, IMap<String, String> placement,
            IMap<String, String> submitters, Maintenance maintenance, Takes takes) {
        this.hz = hz;
        this.name = name;
        this.submitterId = submitterId;
        this.submitters = submitters;
        this.placement = placement;
        this.maintenance = maintenance;
        this.takes = takes;
    }

    /** The map that holds the pool's choice of jobs queue. */
    IMap<String, String> placement() {
        return placement;
    }

    /**
     * Starts listening to the choice: a choice made or dropped after this member registers is heard of; one made
     * before, read as it registers ({@link #readChoiceAsRegistered}). On the thread that starts the part.
     */
    void listen() {
        placementListener = placement.addEntryListener(new PlacementListener(), JobsPlacement.KEY, false);
    }

    /** Stops listening to the choice, if it listens. On the thread that starts the part (it failed) or ends it. */
    void stopListening() {
        if (placementListener != null) {
            placement.removeEntryListener(placementListener);
        }
    }

    /**
     * Records that the submitter has registered, and returns the proxy of the queue chosen now, or null: under the
     * lock of the choice, so that no member drops the queue while its proxy is made. On the thread that starts the
     * part.
     */
    IQueue<JobItem> readChoiceAsRegistered() {
        registered = true;
        String chosen = placement.get(JobsPlacement.KEY);
        return chosen == null ? null : hz.getQueue(chosen); // its proxy made while none can drop it
    }

    /** Whether the submitter has registered ({@link #readChoiceAsRegistered}). */
    boolean isRegistered() {
        return registered;
    }

    /** Whether this member's submitter has submitted, and so keeps its jobs queue for good. */
    boolean picked() {
        return picked;
    }

    /** The jobs queue this member uses now, or null while it knows of none. From any thread. */
    IQueue<JobItem> queue() {
        return jobs;
    }

    /** The name of the jobs queue this member uses now, or null while it knows of none; from any thread. */
    String queueName() {
        IQueue<JobItem> queue = jobs;
        return queue == null ? null : queue.getName();
    }

    /** Waits at most {@code millis} for a jobs queue while this member knows of none. On a worker. */
    void awaitPlaced(long millis) throws InterruptedException {
        placed.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Has the choice read on the maintenance thread: a worker found the queue it took from destroyed. */
    void readSoon() {
        maintenance.maintain(this::readPlacement, 0);
    }

    /**
     * Deletes this submitter's registration, destroys the jobs queues this member no longer uses (the
     * {@link #retired} ones, and the one it still follows if the choice has gone meanwhile) unless chosen, and, if
     * no submitter is left that uses the pool's jobs queue, the queue and the choice of it
     * ({@link JobsPlacement#deregister}); only the registration if that fails (the choice's lock not had, say): the
     * next deregistration then looks again. Once this member's workers and looks have ended, or before they start.
     */
    void deregister() {
        try {
            JobsPlacement.deregister(hz, submitters, () -> {
                submitters.delete(submitterId);
                IQueue<JobItem> current = jobs;
                if (!picked && current != null) { // the choice may have gone before this member heard of it
                    retired.add(current);
                }
                JobsPlacement.destroyUnchosen(placement, retired);
                retired.clear();
            });
        } catch (RuntimeException e) {
            Uncaught.log(Level.WARNING, name + ": the pool's jobs queue was not looked at as this member left it", e);
            submitters.delete(submitterId);
        }
    }

    /** Hears that the choice of jobs queue was made or dropped: has it read, on the maintenance thread. */
    private final class PlacementListener implements EntryAddedListener<String, String>,
            EntryRemovedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            maintenance.maintain(JobsQueueFollower.this::readPlacement, 0);
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            maintenance.maintain(JobsQueueFollower.this::readPlacement, 0);
        }
    }

    /**
     * Reads the pool's choice of jobs queue for a registered member that has not submitted, and follows it; on
     * the maintenance thread, so reads follow one another in order. A choice that differs from the queue in use
     * is read again under the choice's lock, with the new queue's proxy made there ({@link JobsPlacement#tryChosen}),
     * waiting at most {@link #POLL_MILLIS} for the lock, so that a lock held long (its holder stalls) does not keep
     * the maintenance thread from its other tasks: not had, the choice is read again at the receiver's next look
     * ({@link #readWhileServing}). Then destroys the retired queues ({@link #destroyRetired}), whatever the read
     * threw: an {@link Error} is thrown once that is done (the first one: {@link Uncaught#firstError}); the read's
     * only if it starts a run ({@link ErrorRun}: the receiver has the choice read every few seconds, and the same
     * {@link Error} at every read is thrown once, then logged).
     */
    private void readPlacement() {
        Error readError = null;
        try {
            if (registered && !picked) {
                String queue = placement.get(JobsPlacement.KEY);
                IQueue<JobItem> current = jobs;
                if (!Objects.equals(queue, current == null ? null : current.getName())
                        && !JobsPlacement.<JobItem>tryChosen(hz, placement,
                                TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), this::follow)) {
                    EngineHooks.run(EngineHooks.whileAwaitingPlacement);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, name + ": reading the choice of jobs queue", e);
        } catch (Error e) { // thrown once the retired queues' destruction has been tried, if it starts a run
            readError = e;
        }
        Error error = null;
        try {
            destroyRetired();
        } catch (Error e) {
            error = e;
        }
        try {
            readErrors.tried(readError, name, ": reading the choice of jobs queue");
        } catch (Error e) { // the read's, thrown first, the destruction's suppressed in it
            error = error == null ? e
                    : Uncaught.firstError(e, error, name, ": destroying a jobs queue this member no longer uses");
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * Destroys the {@link #retired} queues, through this member's proxies of them, once none of its takes or looks
     * may still reach them: it waits (at most {@link #RETIRED_WAIT_MILLIS}) for the takes under way, which read the
     * queue in use again once under way, and for a {@link #queuedJobs} that may still read a retired queue's size;
     * then, under the lock of the choice, which it waits for at most {@value JobsPlacement#CHECK_WAIT_MILLIS} ms
     * ({@link JobsPlacement#tryDestroyUnchosen}), destroys those not chosen again. Not done (takes still under way,
     * the lock not had, an operation that failed), it is tried again {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms
     * later, until done or this pool terminates (its deregistration then destroys what is left: {@link #deregister}),
     * an {@link Error} thrown once the next try is scheduled, if it starts a run ({@link ErrorRun}: the same
     * {@link Error} at every try is thrown once, then logged). On the maintenance thread.
     */
    private void destroyRetired() {
        if (retired.isEmpty()) {
            return;
        }
        Error error = null;
        try {
            if (!hz.getLifecycleService().isRunning()) {
                return; // the member has left: nothing of it can reach a queue any more
            }
            List<IQueue<JobItem>> retiring = new ArrayList<>(retired); // retired before the takes awaited
            if (takes.awaitUnderWay(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETIRED_WAIT_MILLIS))) {
                queueLooks.writeLock().lock(); // a stats() that read a retired queue as the jobs queue has ended
                queueLooks.writeLock().unlock();
                if (JobsPlacement.tryDestroyUnchosen(placement, retiring,
                        TimeUnit.MILLISECONDS.toNanos(JobsPlacement.CHECK_WAIT_MILLIS))) {
                    retired.removeAll(retiring);
                } else {
                    EngineHooks.run(EngineHooks.whileAwaitingPlacement);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, name + ": destroying a jobs queue this member no longer uses", e);
        } catch (Error e) { // thrown once the destruction is scheduled again, if it starts a run
            error = e;
        }
        if (!retired.isEmpty() && !retiredScheduled) {
            retiredScheduled = true;
            maintenance.maintain(() -> {
                retiredScheduled = false;
                destroyRetired();
            }, JobsPlacement.CHECK_AGAIN_MILLIS);
        }
        retiredErrors.tried(error, name, ": destroying a jobs queue this member no longer uses");
    }

    /**
     * Follows the choice {@code queue} (null: none) unless this member has submitted: it then keeps its own. A queue
     * it no longer uses is {@link #retired}.
     */
    void follow(IQueue<JobItem> queue) {
        synchronized (lock) {
            if (picked) {
                return;
            }
            if (queue != null) {
                use(queue);
            } else if (jobs != null) { // dropped: the idle workers wait for the next
                retired.add(jobs);
                jobs = null;
                placed = new CountDownLatch(1);
            }
        }
    }

    /**
     * Makes {@code queue} the jobs queue; the one used before, if another, is {@link #retired}. Under
     * {@link #lock}.
     */
    private void use(IQueue<JobItem> queue) {
        IQueue<JobItem> before = jobs;
        if (before != null && !before.getName().equals(queue.getName())) {
            retired.add(before);
        }
        jobs = queue;
        placed.countDown();
    }

    /**
     * The jobs queue for a submit: at this submitter's first, the one chosen for the pool, or one it picks now,
     * which it then keeps ({@link JobsPlacement#tryPick}; as it submits to it, no member drops it). That needs the
     * lock of the choice, held for moments by the members that register, deregister or first submit: the wait for
     * it honours the submit's own bounds, as the wait for room does. It waits in slices of {@link #POLL_MILLIS},
     * until {@code deadline} (a {@code nanoTime}) if {@code nanos} is neither negative (not at all: one try) nor
     * {@link Long#MAX_VALUE} (no deadline), and at most {@value JobsPlacement#LOCK_SECONDS} s in any case; between
     * slices a close or an interrupt ends it. Called by any submitting thread, concurrently: two first submits get
     * the same queue.
     *
     * @return the queue, or null if the lock was not had before the deadline (or at the one try)
     * @throws InterruptedException  if interrupted while it waits for the choice's lock
     * @throws dev.workerpool.runtime.PoolClosedException if the pool closed while it waited ({@code throwIfClosed},
     *                               which throws it, is run between slices)
     * @throws IllegalStateException if the lock was not had within {@value JobsPlacement#LOCK_SECONDS} s, with a
     *                               message that does not name the pool: the submit's does
     */
    IQueue<JobItem> pick(long nanos, long deadline, Runnable throwIfClosed) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(JobsPlacement.LOCK_SECONDS);
        while (!picked) {
            long now = System.nanoTime();
            long slice = nanos < 0 ? 0 : Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), giveUp - now);
            if (nanos >= 0 && nanos != Long.MAX_VALUE) {
                slice = Math.min(slice, deadline - now);
            }
            // outside the monitor (the maintenance thread follows under it)
            String chosen = JobsPlacement.tryPick(hz, placement, name, submitterId, slice);
            if (chosen != null) {
                synchronized (lock) {
                    if (!picked) {
                        use(hz.getQueue(chosen));
                        picked = true;
                    }
                }
                if (!retired.isEmpty()) { // it followed another queue before: dropped since
                    maintenance.maintain(this::destroyRetired, 0);
                }
                break;
            }
            EngineHooks.run(EngineHooks.whileAwaitingPlacement);
            throwIfClosed.run();
            now = System.nanoTime();
            if (nanos < 0 || (nanos != Long.MAX_VALUE && deadline - now <= 0)) {
                return null;
            }
            if (giveUp - now <= 0) { // the message without the pool's name, which notTaken puts first
                throw new IllegalStateException(JobsPlacement.notHad(TimeUnit.SECONDS.toNanos(
                        JobsPlacement.LOCK_SECONDS)));
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return jobs;
    }

    /**
     * On the receiver thread: has the choice of jobs queue read every {@link #READ_AGAIN_MILLIS} until this member
     * submits, in case an event was missed (the member that made it died before it sent it, say).
     */
    void readWhileServing() {
        long now = System.nanoTime();
        if (!picked && now - placementReadAt > TimeUnit.MILLISECONDS.toNanos(READ_AGAIN_MILLIS)) {
            placementReadAt = now;
            maintenance.maintain(this::readPlacement, 0);
        }
    }

    /**
     * Marks the check of the choice ({@link #check}) due: this member forgot a dead member's submitters (or may have
     * forgotten some before a failure). On the maintenance thread.
     */
    void markCheckDue() {
        placementCheckDue = true;
    }

    /**
     * Checks the pool's choice of jobs queue if a check is due ({@link #markCheckDue}: this member forgot a dead
     * member's submitters, which may have been the last to use the queue), waiting at most
     * {@value JobsPlacement#CHECK_WAIT_MILLIS} ms for the choice's lock ({@link JobsPlacement#tryCheck}): the lock may
     * be held long elsewhere, and the maintenance thread has the reconciliation to run. Not had (or an operation
     * failed, an {@link Error} thrown once the next try is scheduled if it starts a run, {@link ErrorRun}), the
     * check stays due and is tried again
     * {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms later, until it is done or this pool terminates: its own
     * deregistration then makes the same check, and if this member leaves first, every member with a backend open
     * makes it as it sees this one go ({@link ResultsQueueSweeper}). On the maintenance thread; blocks at most that
     * long for the lock, and then for the operations under it.
     */
    void check() {
        if (!placementCheckDue) {
            return;
        }
        Error error = null;
        try {
            if (!hz.getLifecycleService().isRunning()
                    || JobsPlacement.tryCheck(hz, submitters, TimeUnit.MILLISECONDS.toNanos(
                            JobsPlacement.CHECK_WAIT_MILLIS))) {
                placementCheckDue = false;
            } else {
                EngineHooks.run(EngineHooks.whileAwaitingPlacement);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, name + ": checking the choice of jobs queue after a member left", e);
        } catch (Error e) { // thrown once the check is scheduled again, if it starts a run
            error = e;
        }
        if (placementCheckDue && !placementCheckScheduled) {
            placementCheckScheduled = true;
            maintenance.maintain(() -> {
                placementCheckScheduled = false;
                check();
            }, JobsPlacement.CHECK_AGAIN_MILLIS);
        }
        checkErrors.tried(error, name, ": checking the choice of jobs queue after a member left");
    }

    /**
     * The jobs queue's size read now (one operation through the cluster), at most {@code atMost}; 0 while this
     * member knows of no queue, once its part has ended ({@link #endLooks}), or if the member is leaving. From any
     * thread.
     */
    int queuedJobs(int atMost) {
        int queued = 0;
        queueLooks.readLock().lock();
        try {
            IQueue<JobItem> queue = jobs;
            if (!looksEnded && queue != null && hz.getLifecycleService().isRunning()) {
                queued = Math.min(queue.size(), atMost);
            }
        } catch (RuntimeException e) {
            // the member is leaving
        } finally {
            queueLooks.readLock().unlock();
        }
        return queued;
    }

    /**
     * Ends the looks at the queue's size, waiting for one under way: none reaches the queue after this part
     * deregisters. On the thread that ends the part.
     */
    void endLooks() {
        queueLooks.writeLock().lock(); // waits for a stats() reading the queue's size, if one does
        try {
            looksEnded = true;
        } finally {
            queueLooks.writeLock().unlock();
        }
    }
    /**
     * The run of tries of one maintenance step ({@link #check}, {@link #destroyRetired}, the read of the choice in
     * {@link #readPlacement}) that threw an {@link Error} of the same class one after another. Such a step is tried
     * again every {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms until done or the pool terminates (the read: every few
     * seconds while the member serves), so an {@link Error} that comes back at every try (a class the member lacks,
     * say) would reach the maintenance thread's uncaught-exception handler, and end that thread, at every tick.
     * What the owner of that handler wants is to hear of it, not at every tick: the first {@link Error} of a run is
     * thrown (as any other task's), and the same failure again is logged at a fine level instead, the step still
     * tried again (it may yet succeed: out of memory passes; and stopping it would leave the choice unchecked, or a
     * queue undestroyed, until another member left or the part ended). An {@link Error} of another class starts a
     * new run, and is thrown: it is news. A try that throws no {@link Error} ends the run. A run of
     * {@link VirtualMachineError}s (out of memory, say) is not left at a fine level, which would be too quiet for the
     * member's health: a try of such a run is logged as a warning once {@link #LOUD_AGAIN_NANOS} have passed since the
     * run's first was thrown or the last warning. On the maintenance thread only, as its step.
     */
    static final class ErrorRun {
        /** How long a run of {@link VirtualMachineError}s is logged at a fine level before a warning says so. */
        static final long LOUD_AGAIN_NANOS = TimeUnit.MINUTES.toNanos(1);
        /** The time, as {@link System#nanoTime}; tests move it. */
        private final LongSupplier clock;
        /** The class of the {@link Error} the step's last try threw, or null if it threw none. */
        private Class<?> failing;
        /** When the run's first was thrown, or one of it last logged as a warning (a {@code clock} reading). */
        private long loudAt;

        /** No run yet, on the time of {@link System#nanoTime}. */
        ErrorRun() {
            this(System::nanoTime);
        }

        /** No run yet, on the time of {@code clock} (nanoseconds). */
        ErrorRun(LongSupplier clock) {
            this.clock = clock;
        }

        /**
         * A try of the step {@code step} of pool {@code pool}'s part ended, throwing {@code error} (null: none):
         * throws it if it starts a run, else logs it at a fine level (as a warning if it is a
         * {@link VirtualMachineError} and {@link #LOUD_AGAIN_NANOS} have passed since the run was last heard of so).
         * Never throws anything else.
         */
        void tried(Error error, String pool, String step) {
            Class<?> previous = failing;
            failing = error == null ? null : error.getClass();
            if (error == null) {
                return;
            }
            long now = clock.getAsLong();
            if (previous != error.getClass()) {
                loudAt = now;
                throw error;
            }
            boolean loud = error instanceof VirtualMachineError && now - loudAt >= LOUD_AGAIN_NANOS;
            if (loud) {
                loudAt = now;
            }
            try { // the parts' array is made here, before the log's guard: out of memory, the record is lost
                Uncaught.log(loud ? Level.WARNING : Level.FINE, error, pool, step, loud
                        ? " still throws the same error at every try, as it has for a minute or more (the first "
                        + "thrown); tried again later"
                        : " threw the same error as its try before (thrown then); tried again later");
            } catch (Error lost) {
                // not thrown in place of the run's first, which was
            }
        }
    }
}
