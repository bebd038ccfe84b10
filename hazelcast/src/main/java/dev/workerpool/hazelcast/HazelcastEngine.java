package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.stream.LongStream;

/**
 * One member's part of a distributed pool: a submitter (its jobs, their pending set and its results) and
 * {@code workers} workers that serve the cluster's shared jobs queue.
 *
 * <p>The cluster's structures, per pool name {@code N}: the bounded jobs queue {@code workerpool.N.jobs@K},
 * placed by a member that submits on a partition it owns, and that choice with the submitters that use it in
 * the map {@code workerpool.N.placement} ({@link JobsPlacement}); one results queue per submitter,
 * {@code workerpool.N.results.<submitter>}; the map of submitters {@code workerpool.N.submitters} (id to state
 * and member). Which jobs a member's workers hold is kept in that
 * member's memory only ({@link HeldJobs}), and asked of every member ({@link InFlightQuery}) when a submitter
 * reconciles or cancels: taking and finishing jobs then costs no cluster operation beyond the queues'.
 *
 * <p>A job's way: the submitter records it as pending, then puts it in the jobs queue. Every idle worker of
 * every member waits in a {@code poll} of its own (up to {@link #MAX_TAKES} per member's pool; the others wait
 * for one of those to return); the one that takes the job records it as held and runs it.
 * A worker that has run a job sends its result, with any others that finished meanwhile, to each submitter's
 * queue in one {@code addAll} ({@link ResultSender}), then forgets them as held; the results of its own member's
 * submitter it delivers in place, without a cluster operation. The submitter's receiver drains its results queue;
 * the first result of a pending job completes it, any other is dropped. When a member leaves
 * (and when it has had no result for {@link EngineHooks#stallMillis} while jobs are pending), each submitter
 * reconciles: a pending job that is in none of the jobs queue, a live member's held jobs and its results queue
 * is lost, and is put in the jobs queue again. It checks them in the order a job passes through them, so a job
 * that moves meanwhile is found in a later one: a member asked what it holds first waits for its workers' takes
 * under way to record what they took, the move from the results queue to the submitter happens under the lock
 * the reconciliation holds, and a result delivered in place is delivered before its job is forgotten as held.
 *
 * <p>This class is the facade: it makes the parts below and wires them together, starts and ends them
 * ({@link #begin}, {@link #undoBegin}, the part's end), listens to the map of submitters, acts after a member left,
 * and answers {@code stats()}. The rest is in package-private classes, each with its own threads and locks said in
 * its Javadoc. The submitter: its pending jobs, their delivery and its results ({@link SubmitterState}), the submit
 * ({@link Intake}), the receiver thread ({@link Receiver}), the reconciliation and a cancel's answers
 * ({@link Reconciler}), the results ready to read ({@link ReadyResults}). The workers: their loop ({@link Workers}),
 * the jobs they hold and their takes under way ({@link HeldJobs}), the run of a taken job and a cancel's interrupts
 * ({@link JobRunner}), sending results ({@link ResultSender}). Both: which jobs queue to use
 * ({@link JobsQueueFollower}), the submitters' states ({@link SubmitterView}), the maintenance thread
 * ({@link MaintenanceThread}) and the gate the part's threads pass as they start ({@link StartGate}).
 *
 * <p>Thread-safe: the {@link PoolEngine} methods may be called from any thread (an iterator of {@link #results()}
 * by one thread at a time). Logs, with the classes above, as {@code dev.workerpool.hazelcast.HazelcastEngine},
 * through {@link Uncaught#log}: a log that throws (a handler that fails) loses its record, not the rest of the work
 * (a maintenance task, a cancel, a part's end).
 */
final class HazelcastEngine<J, V, R> implements PoolEngine<J, R> {
    /** How long an idle worker or the receiver waits for an item before it checks whether to stop. */
    static final long POLL_MILLIS = 100;
    /** A reconciliation is repeated this much later, for operations a dead member had under way. */
    static final long RECONCILE_AGAIN_MILLIS = 3_000;
    /** How long a reconciliation or a cancel waits for the members to say which jobs they hold. */
    static final long QUERY_SECONDS = 10;
    /** How long a member asked which jobs it holds waits for the takes under way to record theirs, in all. */
    static final long TAKES_WAIT_MILLIS = 2_000;
    /**
     * The most takes a member's part of a pool has under way at once: its idle workers beyond these wait on the
     * member, not in the cluster, so that an idle pool of many workers (virtual threads) does not poll the jobs
     * queue's owner {@code workers} times every {@link #POLL_MILLIS}.
     */
    static final int MAX_TAKES = 16;
    /**
     * How long a start that failed after registering waits for the lock of the choice of jobs queue to check it
     * ({@link #undoBegin}): briefly, so that a failed start fails promptly.
     */
    private static final long UNDO_CHECK_MILLIS = 1_000;
    /** How many random submitter ids {@link #localSubmitterId} tries. */
    private static final int LOCAL_ID_TRIES = 64;
    private final HazelcastBackend backend;
    private final HazelcastInstance hz;
    private final String name;
    private final PoolOptions options;
    private final int workers;
    private final int buffer;

    private final String submitterId;
    private final String memberId;
    private final IMap<String, String> submitters;
    /** What this member knows of the pool's submitters' states, kept current by the {@link ViewListener}. */
    private final SubmitterView view;
    /** Which jobs queue this member uses: its submitter's pick, or the pool's choice, followed. */
    private final JobsQueueFollower follower;

    // --- the submitter
    /** This member's submitter: its pending jobs, their delivery, the results ready to read, its counters. */
    private final SubmitterState<J, V, R> state;
    /** Puts the submitter's jobs in the jobs queue. */
    private final Intake<J> intake;
    /** Looks for this submitter's pending jobs in the cluster: puts lost ones back, answers a cancel's. */
    private final Reconciler<J> reconciler;
    /** Moves the results that other members sent from the submitter's results queue to its pending jobs. */
    private final Receiver receiver;
    private final AtomicInteger queueHighWaterMark = new AtomicInteger();

    // --- the workers
    private final Thread[] workerThreads;
    /** The jobs this member's workers hold, and their takes under way: what an {@link InFlightQuery} is told. */
    private final HeldJobs held;
    /** Runs the jobs the workers take, and interrupts those of a submitter that cancels. */
    private final JobRunner<J, V> runner;
    /** Sends (or delivers in place) the results of this member's workers, and forgets their jobs as held. */
    private final ResultSender sender;
    /** The workers' loop: take, run, send. */
    private final Workers loop;

    /** Runs the part's maintenance tasks, one after another. */
    private final MaintenanceThread maintenance;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicInteger partsLeft = new AtomicInteger(2); // the receiver and the workers
    /** What this member's threads wait at until {@link #begin()} has started them all, or failed to. */
    private final StartGate threadsStart = new StartGate();
    private UUID submittersListener;

    HazelcastEngine(HazelcastBackend backend, String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, JobCodec<J, V> codec) {
        this.backend = backend;
        this.hz = backend.instance();
        this.name = name;
        this.options = options;
        this.workers = workers;
        this.buffer = buffer;
        this.memberId = hz.getCluster().getLocalMember().getUuid().toString();
        this.submitterId = localSubmitterId();
        IMap<String, String> placement = hz.getMap(JobsPlacement.mapName(name));
        this.submitters = hz.getMap("workerpool." + name + ".submitters");
        this.view = new SubmitterView(submitters);
        this.maintenance = new MaintenanceThread(name);
        this.held = new HeldJobs(workers);
        this.follower = new JobsQueueFollower(hz, name, submitterId, placement, submitters, maintenance, held);
        this.state = new SubmitterState<>(name, submitterId, codec, resultFactory, options.failFast(), this::cancel);
        this.intake = new Intake<>(state, follower);
        this.reconciler = new Reconciler<>(hz, state, follower, maintenance);
        state.lookAgainWith(reconciler::reconcileSoon); // for a job lost while its submit still offered it
        this.receiver = new Receiver(hz, state, follower, threadsStart, reconciler::reconcileSoon, this::partEnded);
        // a worker copies a result of this member's submitter to deliver it in place (unless null: it sends it)
        this.sender = new ResultSender(hz, name, memberId, submitterId, submitters, view, held,
                Wire.resultCopier(hz), state, reconciler::reconcileSoon);
        this.workerThreads = new Thread[workers];
        this.runner = new JobRunner<>(hz, name, memberId, options.retry(), function, codec, view, workerThreads);
        this.loop = new Workers(hz, state, follower, held, runner, sender, threadsStart, reconciler::reconcileSoon,
                this::partEnded);
    }

    // -------------------------------------------------------------------------------------- start and end

    private String resultsName(String submitter) {
        return ResultSender.resultsName(name, submitter);
    }

    /**
     * A new submitter id whose results queue lives on this member, unless it is a lite member or unlucky (it tries
     * {@value #LOCAL_ID_TRIES} random ids): the receiver then drains it without a network round trip, and this
     * member's workers add to it without one. Only speed depends on it: partitions move when members join or
     * leave.
     */
    private String localSubmitterId() {
        String id = UUID.randomUUID().toString();
        if (hz.getCluster().getLocalMember().isLiteMember()) {
            return id; // it owns no partition
        }
        for (int i = 0; i < LOCAL_ID_TRIES; i++) {
            Member owner = hz.getPartitionService().getPartition(resultsName(id)).getOwner();
            if (owner == null || owner.localMember()) {
                break;
            }
            id = UUID.randomUUID().toString();
        }
        return id;
    }

    /**
     * Adds a queue's configuration to the cluster's; one that differs under the same name (another buffer, or a
     * member on another version of this module) fails {@code start} with both named.
     */
    private void configure(QueueConfig config, String what) {
        try {
            hz.getConfig().addQueueConfig(config);
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException(name + ": the pool already runs on this cluster with another "
                    + "configuration of queue " + config.getName() + " (this member asked for " + what
                    + "; the cluster has " + hz.getConfig().findQueueConfig(config.getName())
                    + "; is a member on another version of workerpool-hazelcast?)", e);
        }
    }

    /**
     * Fails {@code start} if a queue would not have the bound the pool gives it: a static queue configuration of
     * this member that matches the queue's name wins over the pool's own.
     */
    private void requireBound(String queue, int bound, String wanted) {
        QueueConfig effective = hz.getConfig().findQueueConfig(queue);
        int size = effective.getMaxSize(); // Integer.MAX_VALUE for none
        if (size != bound) {
            throw new IllegalStateException(name + ": the queue " + queue + " would hold "
                    + (size == Integer.MAX_VALUE ? "any number of" : "up to " + size) + " items, not " + wanted
                    + ": this member's queue configuration '" + effective.getName()
                    + "' applies to it; leave the workerpool.* queues out of it");
        }
    }

    /** Makes daemon threads named {@code threadName} (for this class's and the sweeper's executors). */
    static ThreadFactory daemon(String threadName) {
        return runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Configures the jobs queue, registers the submitter, and starts the threads; on the thread that starts the
     * pool. Waits at most the backend's {@link HazelcastBackend#startWait()} for the lock of the choice of jobs queue
     * as it registers; a failure (that lock not had, an operation of the cluster that fails, a thread that cannot be
     * started) leaves nothing registered, listening or running ({@link #undoBegin}, and the threads already started
     * end without working: {@link StartGate}), and is thrown.
     *
     * @throws IllegalStateException naming the pool, if the lock was not had in time; naming the pool and the
     *                               worker, as a local pool does, if the thread factory throws (the cause) or
     *                               returns null for a worker's thread
     */
    void begin() {
        int capacity = Math.max(1, buffer);
        // Neither queue waits for its backup: what a member that dies had not copied is found nowhere by the
        // submitters' reconciliation, and its jobs run again.
        String jobsName = JobsPlacement.baseName(name); // configures every jobs queue of the pool, @ or not
        configure(new QueueConfig(jobsName).setMaxSize(capacity).setBackupCount(0).setAsyncBackupCount(1),
                "a buffer of " + buffer);
        configure(new QueueConfig(resultsName("*")).setBackupCount(0).setAsyncBackupCount(1), "its results queues");
        requireBound(jobsName, capacity, "the buffer's " + capacity);
        requireBound(resultsName(submitterId), Integer.MAX_VALUE, "any number (the receiver takes them all)");
        ThreadFactory factory = options.threadFactory() != null ? options.threadFactory() : Thread::new;
        Thread receiverThread = new Thread(receiver::receive, name + "-receiver");
        for (int i = 0; i < workers; i++) { // before registering: a factory that fails leaves nothing behind
            int index = i;
            Thread thread;
            try {
                thread = factory.newThread(() -> loop.work(index));
            } catch (RuntimeException | Error e) { // the local pool's words: a worker's number counts from 1
                throw new IllegalStateException(name + ": the thread factory failed to make worker thread "
                        + (i + 1), e);
            }
            if (thread == null) {
                throw new IllegalStateException(name + ": the thread factory returned null for worker thread "
                        + (i + 1));
            }
            thread.setName(name + "-worker-" + (i + 1));
            workerThreads[i] = thread;
        }
        submittersListener = submitters.addEntryListener(new ViewListener(), true);
        try {
            for (Map.Entry<String, String> entry : submitters.entrySet()) {
                view.remember(entry.getKey(), entry.getValue());
            }
            // a choice made or dropped after this member registers is heard of; one made before, read as it registers
            follower.listen();
            // the wait for the lock bounded by the backend's timeout; not had, start fails and nothing is registered
            IQueue<JobItem> queue = JobsPlacement.locked(follower.placement(), name, backend.startWait().toNanos(),
                    "start did not register the pool (the members agree on its jobs queue under a lock that a member "
                    + "holds for moments as it starts, ends or first submits; the backend's timeout, up to "
                    + JobsPlacement.LOCK_SECONDS + " s, bounds the wait for it)", () -> {
                        submitters.set(submitterId, SubmitterView.OPEN + memberId);
                        // the chosen queue's proxy, made while none can drop it
                        return follower.readChoiceAsRegistered();
                    });
            follower.follow(queue);
            // Made after registering (and destroyed after deregistering): a results queue whose submitter is not
            // registered is one nobody reads, which every member's ResultsQueueSweeper destroys.
            state.resultsQueue(hz.getQueue(resultsName(submitterId)));
            EngineHooks.run(EngineHooks.afterRegistering);
            // each started thread waits at the gate until all have started: one that cannot start leaves them idle
            for (Thread thread : workerThreads) {
                startThread(thread);
            }
            startThread(receiverThread);
        } catch (RuntimeException | Error e) { // the cluster failed us (shutting down, say), or a thread's start did
            // (out of native threads): leave nothing registered, listening or running
            threadsStart.abandon();
            undoBegin(e);
            joinStarted(receiverThread, e);
            throw e;
        }
        threadsStart.open();
    }

    private static void startThread(Thread thread) {
        Consumer<Thread> hook = EngineHooks.beforeStartingThread;
        if (hook != null) {
            hook.accept(thread);
        }
        thread.start();
    }

    /**
     * After a failed {@link #begin()}: waits, at most {@value #UNDO_CHECK_MILLIS} ms in all, for the threads it
     * started to end (they left {@link #threadsStart} at once, having done nothing), adding to {@code failure} an
     * interrupt that ends the wait (logged instead if it cannot be: {@link Uncaught#suppress}; the interrupt status
     * then stays set). A thread never started is not waited for.
     */
    private void joinStarted(Thread receiver, Throwable failure) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNDO_CHECK_MILLIS);
        List<Thread> threads = new ArrayList<>(Arrays.asList(workerThreads));
        threads.add(receiver);
        try {
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (thread != null && left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Uncaught.suppress(failure, e, name, ": the wait for a failed start's threads");
        }
    }

    /**
     * Undoes what a {@link #begin()} that failed with {@code failure} had set up in the cluster and in this member
     * (its registration, if it registered, and its listeners; its maintenance threads, which a listener may have
     * started), adding to {@code failure} what fails meanwhile (logged instead if it cannot be, {@code failure} an
     * {@link OutOfMemoryError} say: {@link Uncaught#suppress}): nothing of it is left running. The registration is
     * deleted at once, without the choice's lock, so that a failed start fails promptly whoever holds that lock; the
     * check of the choice that a deregistration makes ({@link JobsPlacement#tryCheck}) then waits for the lock at most
     * {@value #UNDO_CHECK_MILLIS} ms, and, not had, is left to the next check anywhere (a deregistration, a member's
     * leaving): this submitter never submitted, so it made no choice and is recorded as submitting to none, and
     * nothing of its own is left for that check. Its proxies of jobs queues were never used (no worker worked: those
     * started wait at the {@link StartGate} until the start has succeeded), so none made a queue again. A queue
     * configuration added stays (the cluster keeps it). On the thread that starts the pool; blocks at most
     * {@value #UNDO_CHECK_MILLIS} ms for the lock, and for the cluster's operations.
     */
    private void undoBegin(Throwable failure) {
        try {
            submitters.delete(submitterId); // also in case a registration that seemed to fail took effect
            if (follower.isRegistered() && !JobsPlacement.tryCheck(hz, submitters,
                    TimeUnit.MILLISECONDS.toNanos(UNDO_CHECK_MILLIS))) {
                Uncaught.log(Level.FINE, null, name, ": a failed start left the check of the choice of jobs queue to "
                        + "the next one");
            }
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
            Uncaught.suppress(failure, again, name, ": undoing a failed start");
        } catch (RuntimeException | Error again) {
            Uncaught.suppress(failure, again, name, ": undoing a failed start");
        }
        try {
            submitters.removeEntryListener(submittersListener);
        } catch (RuntimeException | Error again) {
            Uncaught.suppress(failure, again, name, ": undoing a failed start");
        }
        try {
            follower.stopListening();
        } catch (RuntimeException | Error again) {
            Uncaught.suppress(failure, again, name, ": undoing a failed start");
        }
        try {
            maintenance.stopNow();
        } catch (RuntimeException | Error again) {
            Uncaught.suppress(failure, again, name, ": undoing a failed start");
        }
    }

    /**
     * Ends this part once both its halves have: the receiver, and the last of its workers. Deregisters the submitter,
     * stops listening, destroys its results queue (and those of gone submitters its workers sent to), and stops the
     * maintenance thread. On whichever of those threads ends last. Each step (each of the cleanup in the cluster,
     * {@link #cleanupStep}; the maintenance thread's stop; the backend told) is taken whatever the others throw; an
     * {@link Error} is thrown once they have all been taken (the first one: {@link Uncaught#firstError}), else the
     * first exception of the last two steps; an exception of the cleanup in the cluster is logged, naming its step,
     * and any other failure is suppressed in the one thrown (or logged if it cannot be: {@link Uncaught#suppress}).
     */
    private void partEnded() {
        if (partsLeft.decrementAndGet() != 0) {
            return;
        }
        follower.endLooks();
        Error error = null; // thrown once the part has ended all the same
        boolean running = false;
        try {
            running = hz.getLifecycleService().isRunning();
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, e, name, CLEANUP);
        } catch (Error e) {
            error = e;
        }
        if (running) { // each step taken whatever the ones before it threw
            error = cleanupStep(error, follower::deregister, "deregistering");
            error = cleanupStep(error, () -> EngineHooks.run(EngineHooks.afterDeregistering),
                    "the hook after deregistering");
            error = cleanupStep(error, () -> submitters.removeEntryListener(submittersListener),
                    "removing the listener to the map of submitters");
            error = cleanupStep(error, follower::stopListening, "stopping listening to the choice of jobs queue");
            error = cleanupStep(error, () -> state.resultsQueue().destroy(), "destroying its results queue");
            error = cleanupStep(error, sender::destroyQueuesOfGoneSubmitters,
                    "destroying the results queues of gone submitters");
        }
        RuntimeException failure = null; // of the steps below: thrown once they have all been taken, after an Error
        try {
            maintenance.stop();
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": stopping the maintenance thread as the part ended");
        }
        try {
            backend.ended(this);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                Uncaught.suppress(failure, e, name, ": telling the backend the part ended");
            }
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": telling the backend the part ended");
        }
        terminated.countDown();
        if (error != null) {
            if (failure != null) {
                Uncaught.suppress(error, failure, name, ": ending the part");
            }
            throw error;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What the messages of {@link #partEnded}'s cleanup in the cluster say first, after the pool's name. */
    private static final String CLEANUP = ": cleanup after termination";

    /**
     * Takes {@code step}, one of {@link #partEnded}'s cleanup in the cluster, whatever the steps before it threw: an
     * exception it throws is logged at a fine level, the message naming the pool and {@code what} the step does;
     * returns the {@link Error} to throw once the part has ended: {@code error} (the first one, null if none), or
     * the one the step threw if it is the first (a later one suppressed in the first, or logged:
     * {@link Uncaught#firstError}). A log that fails loses its record ({@link Uncaught#log}). On the thread that
     * ends the part.
     */
    private Error cleanupStep(Error error, Runnable step, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, e, name, CLEANUP, ": ", what);
        } catch (Error e) {
            return Uncaught.firstError(error, e, name, CLEANUP, ": ", what);
        }
        return error;
    }

    // ---------------------------------------------------------------------------------------------- submit

    /**
     * Puts the job in the jobs queue, waiting for room as long as it takes ({@link Intake#offer}); thread-safe.
     *
     * @throws NullPointerException if {@code job} is null, naming the pool, as a local pool does
     */
    @Override
    public void submit(J job) throws InterruptedException {
        intake.offer(requireJob(job, "submit"), Long.MAX_VALUE);
    }

    /**
     * Puts the job in the jobs queue if there is room now ({@link Intake#offer}); thread-safe.
     *
     * @throws NullPointerException if {@code job} is null, naming the pool, as a local pool does
     */
    @Override
    public boolean trySubmit(J job) {
        requireJob(job, "trySubmit");
        try {
            return intake.offer(job, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts the job in the jobs queue if room comes within {@code timeout} ({@link Intake#offer}); thread-safe. The
     * deadline is looked at between Hazelcast operations, each waiting at most {@link #POLL_MILLIS}, so the call
     * overruns its timeout by as long as the operation under way at the deadline (at the first submit, the few of the
     * choice of jobs queue under its lock: {@link JobsQueueFollower#pick}) outlasts it: an operation Hazelcast
     * retries (its partition migrating, its target gone) for up to {@code hazelcast.invocation.max.retry.count} (250)
     * tries, {@code hazelcast.invocation.retry.pause.millis} (500 ms) apart after the first five, about two minutes,
     * before it fails it; or one whose target stops answering, until Hazelcast declares that member gone. It is not
     * cut short: an offer abandoned there may still have queued the job, which would run although refused. A negative
     * timeout waits as long as zero: an interrupt status set before the call is thrown, as by every waiting form
     * (only the untimed {@code trySubmit(job)} leaves it alone).
     *
     * @throws NullPointerException if {@code job} or {@code timeout} is null (the job is looked at first), naming the
     *                              pool, as a local pool does
     */
    @Override
    public boolean trySubmit(J job, Duration timeout) throws InterruptedException {
        requireJob(job, "trySubmit");
        return intake.offer(job, nanos(timeout, "trySubmit"));
    }

    /**
     * {@code job}, unless it is null: then the {@link NullPointerException} a local pool throws, naming the pool and
     * {@code method}. Nothing is accepted.
     */
    private J requireJob(J job, String method) {
        if (job == null) {
            throw new NullPointerException(name + ": " + method + " was given a null job; a job may not be null");
        }
        return job;
    }

    /**
     * A timeout in nanoseconds as a local pool reads it: negative as 0, too long for a {@code long} as the most; a
     * null one refused, naming the pool and {@code method}, as a local pool does.
     */
    private long nanos(Duration timeout, String method) {
        if (timeout == null) {
            throw new NullPointerException(name + ": " + method + " was given a null timeout");
        }
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    // ------------------------------------------------------------------------------------ the submitters

    /** Keeps {@link #view} current, and interrupts the jobs of a submitter that cancels. */
    private final class ViewListener implements EntryAddedListener<String, String>,
            EntryUpdatedListener<String, String>, EntryRemovedListener<String, String> {
        @Override
        public void entryAdded(EntryEvent<String, String> event) {
            view.heard(event.getKey(), event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, String> event) {
            view.heard(event.getKey(), event.getValue());
            if (event.getValue().startsWith(SubmitterView.CANCELLED)) {
                runner.interruptJobsOf(event.getKey());
            }
        }

        @Override
        public void entryRemoved(EntryEvent<String, String> event) {
            String submitter = event.getKey();
            view.heardGone(submitter);
            maintain(() -> forget(submitter), 0);
        }
    }

    /**
     * Destroys the results queue of a submitter that is gone, if this member's workers have sent to it
     * ({@link ResultSender#tryForget}). On the maintenance thread, which waits at most {@link #POLL_MILLIS} for the
     * send lock: a worker holds it while it sends, and the maintenance thread has its other tasks (the
     * reconciliation after a member left). Not had, it is tried again {@link #POLL_MILLIS} later, until done or this
     * pool terminates: its end destroys the queues of the gone submitters its workers sent to
     * ({@link ResultSender#destroyQueuesOfGoneSubmitters}).
     */
    private void forget(String submitter) {
        view.pruneGone();
        try {
            if (!sender.tryForget(submitter, POLL_MILLIS)) {
                maintain(() -> forget(submitter), POLL_MILLIS);
            }
        } catch (InterruptedException e) { // the pool's start failed: nothing was sent
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------- member removed

    /** Called on Hazelcast's event thread: hands the work to this pool's own thread. */
    void memberRemoved(UUID member) {
        if (isTerminated()) {
            return;
        }
        maintain(() -> afterDeath(member), 0);
        maintain(reconciler::reconcile, RECONCILE_AGAIN_MILLIS);
    }

    /**
     * Runs {@code task} on this pool's maintenance thread, now or {@code delayMillis} later (see there); from any
     * thread. Tests queue a task with it behind those handed to that thread already.
     */
    void maintain(Runnable task, long delayMillis) {
        maintenance.maintain(task, delayMillis);
    }

    /**
     * After a member left: forgets its submitters, has the choice of jobs queue checked if it forgot any (without
     * waiting long for the choice's lock: {@link JobsQueueFollower#check}), then reconciles, whatever {@link Error}
     * a step throws: the first is thrown once the reconciliation has been made ({@link Uncaught#firstError}); an
     * exception of the forgetting or of the tests' hook is logged, and the steps after it still taken. On the
     * maintenance thread.
     */
    private void afterDeath(UUID member) {
        Error error = null;
        try {
            if (ResultsQueueSweeper.forgetSubmittersOf(hz, submitters, resultsName(""), member.toString())) {
                follower.markCheckDue();
            }
        } catch (RuntimeException e) {
            follower.markCheckDue(); // it may have forgotten some before it failed
            Uncaught.log(Level.FINE, e, name, ": cleanup after a member left");
        } catch (Error e) { // thrown once the check and the reconciliation have been made
            follower.markCheckDue();
            error = e;
        }
        try {
            follower.check();
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": checking the choice of jobs queue after a member left");
        }
        try {
            Consumer<String> hook = EngineHooks.afterMemberCleanup;
            if (hook != null) {
                hook.accept(member.toString());
            }
        } catch (RuntimeException e) { // a test's hook: logged, and the reconciliation still made
            Uncaught.log(Level.FINE, e, name, ": the hook after a member left");
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": the hook after a member left");
        }
        try {
            reconciler.reconcile();
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": reconciling after a member left");
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * The sequence numbers of {@code submitter}'s jobs this member's workers hold, once their takes under way have
     * recorded what they took (until {@code deadline}, a {@code nanoTime}): {@link HeldJobs#heldOf}. On a query's
     * thread ({@link InFlightQuery}).
     */
    LongStream heldOf(String submitter, long deadline) {
        return held.heldOf(submitter, deadline);
    }

    /**
     * Has the reconciliation look soon ({@link Reconciler#reconcileSoon}), as a failed receive does; from any thread.
     * Tests force a look with it.
     */
    void reconcileSoon() {
        reconciler.reconcileSoon();
    }

    /** The pool's name; from any thread. */
    String name() {
        return name;
    }

    /** The name of the jobs queue this member uses now, or null while it knows of none; from any thread. */
    String jobsQueueName() {
        return follower.queueName();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void close() {
        state.close();
    }

    @Override
    public void cancel() {
        if (!state.cancel() || isTerminated()) {
            return;
        }
        Error error = null;
        try {
            // only while registered: a cancel that comes as this pool ends must not register it again
            submitters.submitToKey(submitterId, new Wire.SetIfPresent(SubmitterView.CANCELLED + memberId))
                    .whenComplete((ignored, failed) -> {
                        if (failed != null) { // e.g. a member of an older version that cannot read the processor
                            Uncaught.log(Level.WARNING, failed, name, ": cannot record the cancel in the cluster; its "
                                    + "jobs on other members run on");
                        }
                    });
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, e, name, ": cancel");
        } catch (Error e) { // thrown once the queued jobs' cancel has been handed on
            error = e;
        }
        try {
            maintenance.execute(reconciler::cancelQueued);
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, e, name, ": cancel");
        } catch (Error e) {
            error = Uncaught.firstError(error, e, name, ": cancel");
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * Not supported: a member's workers are its part of the pool; start the pool on more or fewer members.
     *
     * @throws UnsupportedOperationException always, naming the pool
     */
    @Override
    public void resize(int workers) {
        throw new UnsupportedOperationException(name + ": resize is not supported across members "
                + "(HazelcastBackend); start the pool on more members, or close it on some");
    }

    /**
     * Waits for this part's end; refuses, naming the pool, a wait that could never end: on one of this part's own
     * workers (the part ends only once they have exited), and in a job this part submitted, on whichever member's
     * worker in this JVM it runs (the part ends only once that job has its result, which comes once it returns).
     * Thread-safe.
     *
     * @throws IllegalStateException if called from such a job
     */
    @Override
    public void await() throws InterruptedException {
        String reason = isOwnWorker(Thread.currentThread()) ? "the job's worker must exit first"
                : runsOwnJob() ? "the job, which this part submitted, must have its result first" : null;
        if (reason != null) {
            throw new IllegalStateException(name + ": await() called from one of its own jobs would wait for ever ("
                    + reason + "); use await(Duration), or await from another thread");
        }
        terminated.await();
    }

    /**
     * Whether the current thread runs a job this part submitted, on a worker of this pool's part on any member in
     * this JVM (this one's or another's): this part's end, and the end of its results, wait for that job's result.
     */
    private boolean runsOwnJob() {
        return JobRunner.runsJobOf(submitterId);
    }

    /**
     * Whether {@code thread} is one of this member's workers of this pool (in one of its jobs). Once false, false for
     * ever (a worker is a thread made for it); once true, true while it runs.
     */
    private boolean isOwnWorker(Thread thread) {
        for (Thread worker : workerThreads) {
            if (worker == thread) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits at most {@code timeout} for this part's end; thread-safe.
     *
     * @throws NullPointerException if {@code timeout} is null, naming the pool, as a local pool does
     */
    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return terminated.await(nanos(timeout, "await"), TimeUnit.NANOSECONDS);
    }

    @Override
    public void awaitOrThrow() throws InterruptedException, PoolFailedException {
        await();
        throwIfFailed();
    }

    /**
     * Waits at most {@code timeout} for this part's end, then throws the first failure of a fail-fast pool;
     * thread-safe.
     *
     * @throws NullPointerException if {@code timeout} is null, naming the pool, as a local pool does
     */
    @Override
    public boolean awaitOrThrow(Duration timeout) throws InterruptedException, PoolFailedException {
        boolean done = await(timeout); // a null timeout named as "await": a fail-fast pool's generated await
        if (done) {
            throwIfFailed();
        }
        return done;
    }

    private void throwIfFailed() throws PoolFailedException {
        Optional<Throwable> first = state.failure();
        if (first.isPresent()) {
            throw new PoolFailedException(name, null, first.get());
        }
    }

    @Override
    public Optional<Throwable> failure() {
        return state.failure();
    }

    /**
     * The results as they come ({@link ReadyResults#iterator}); reading them in one of this part's own jobs never
     * waits. Each iterator is for one thread at a time.
     */
    @Override
    public Iterable<R> results() {
        return () -> state.results().iterator(this::isOwnWorker, this::runsOwnJob);
    }

    @Override
    public boolean isClosed() {
        return state.isClosed();
    }

    @Override
    public boolean isCancelled() {
        return state.isCancelled();
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    /**
     * This member's counters, and the cluster's jobs queue's size read now ({@code queuedJobs}; 0 once this member's
     * part has ended). {@code queuedJobs} and {@code queueHighWaterMark} never exceed {@code buffer}, as locally: a
     * buffer of 0 is served by a queue of one, whose job counts as submitted (its submit has returned) but not as
     * queued, as a local pool's job being handed to a worker is not. Thread-safe; reads the queue's size through
     * the cluster (one operation), unless this member's part has ended.
     */
    @Override
    public PoolStats stats() {
        // at most the buffer: with a buffer of 0 the queue's one place is the hand-off, not a queued job
        int queued = follower.queuedJobs(buffer);
        int high = queueHighWaterMark.accumulateAndGet(queued, Math::max);
        int busy = runner.busy();
        long count = runner.timed();
        return new PoolStats(name, workers, buffer, queued, high, busy, 0, state.submitted(),
                state.completed(), state.failed(), state.cancelledJobs(), 0,
                Duration.ofNanos(count == 0 ? 0 : runner.runNanos() / count), Duration.ofNanos(runner.maxRunNanos()),
                runner.retries());
    }

    @Override
    public String toString() {
        return name + "[hazelcast, member " + memberId + ", " + workers + " workers, "
                + (isTerminated() ? "terminated" : state.isCancelled() ? "cancelled" : state.isClosed() ? "closed"
                : "running") + ", " + state.pendingCount() + " pending]";
    }
}
