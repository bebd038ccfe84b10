package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.spi.exception.DistributedObjectDestroyedException;
import dev.workerpool.hazelcast.Wire.JobItem;
import dev.workerpool.hazelcast.Wire.ResultItem;
import dev.workerpool.runtime.PoolClosedException;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
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
 * member's memory only ({@link #held}), and asked of every member ({@link InFlightQuery}) when a submitter
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
 * <p>This class keeps the submitter's pending jobs and their delivery, the submit, the worker and receiver loops and
 * the part's lifecycle; the rest is in package-private classes, each with its own threads and locks said in its
 * Javadoc: which jobs queue to use ({@link JobsQueueFollower}), the run of a taken job and a cancel's interrupts
 * ({@link JobRunner}), sending results ({@link ResultSender}), the results ready to read ({@link ReadyResults}), the
 * submitters' states ({@link SubmitterView}), the reconciliation and a cancel's answers ({@link Reconciler}), and the
 * maintenance thread they run on ({@link MaintenanceThread}).
 *
 * <p>Thread-safe: the {@link PoolEngine} methods may be called from any thread (an iterator of {@link #results()}
 * by one thread at a time). Logs, with the classes above, as {@code dev.workerpool.hazelcast.HazelcastEngine}.
 */
final class HazelcastEngine<J, V, R> implements PoolEngine<J, R> {
    private static final Logger LOG = Logger.getLogger(HazelcastEngine.class.getName());
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
    private final JobFunction<J, V> function;
    private final ResultFactory<J, V, R> resultFactory;
    private final JobCodec<J, V> codec;

    private final String submitterId;
    private final String memberId;
    /** Which jobs queue this member uses: its submitter's pick, or the pool's choice, followed. */
    private final JobsQueueFollower follower;
    /** Looks for this submitter's pending jobs in the cluster: puts lost ones back, answers a cancel's. */
    private final Reconciler<J> reconciler;
    /**
     * Set by {@link #begin()} once the submitter is registered; volatile because a member's leaving may start a
     * reconciliation while {@code begin()} runs (it then finds no results queue yet, and nothing pending).
     */
    private volatile IQueue<ResultItem> myResults;
    private final IMap<String, String> submitters;

    // --- the submitter
    private final ConcurrentHashMap<Long, J> pending = new ConcurrentHashMap<>();
    /**
     * The pending jobs whose submit is still offering them to the jobs queue (waiting for room, say): not in the
     * queue yet, and not lost either, so a reconciliation leaves them alone. A job enters before it is pending and
     * leaves after its offer has put it in the queue, or after it has stopped being pending: a reconciliation that
     * reads {@link #pending} and then this set cannot miss a job in between.
     */
    private final Set<Long> offering = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
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
    /** The results of this member's submitter, ready to read, and their end once every job has its result. */
    private final ReadyResults<R> results;
    private volatile boolean closed;
    private volatile boolean cancelled;

    /** See {@link EngineHooks#stallMillis}: read as the pool starts. */
    private final long stallNanos = TimeUnit.MILLISECONDS.toNanos(EngineHooks.stallMillis);
    /** When this submitter last had a result, or last reconciled because it had none. */
    private volatile long progressAt = System.nanoTime();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong cancelledJobs = new AtomicLong();
    private final AtomicInteger queueHighWaterMark = new AtomicInteger();
    // --- the workers
    /** Sends (or delivers in place) the results of this member's workers, and forgets their jobs as held. */
    private final ResultSender sender;
    private final Thread[] workerThreads;
    /** Runs the jobs the workers take, and interrupts those of a submitter that cancels. */
    private final JobRunner<J, V> runner;
    private final AtomicInteger workersLeft;
    /** The jobs this member's workers hold ({@link JobItem#id()}): taken, their results not yet sent or delivered. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /**
     * Per worker, odd while its take is under way: a job its {@code poll} has taken out of the queue is not yet in
     * {@link #held}. A member asked what it holds waits for these ({@link #held(String, long)}).
     */
    private final AtomicLongArray takes;
    /** A worker holds one while it takes: at most {@link #MAX_TAKES} polls under way (fewer with fewer workers). */
    private final Semaphore takePermits;
    /** Under {@link #receiveLock}. */
    private final DrainHint receiveDrains = new DrainHint();
    /** What this member knows of the pool's submitters' states, kept current by the {@link ViewListener}. */
    private final SubmitterView view;

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
        this.function = function;
        this.resultFactory = resultFactory;
        this.codec = codec;
        this.memberId = hz.getCluster().getLocalMember().getUuid().toString();
        this.submitterId = localSubmitterId();
        String prefix = "workerpool." + name;
        IMap<String, String> placement = hz.getMap(JobsPlacement.mapName(name));
        this.submitters = hz.getMap(prefix + ".submitters");
        this.view = new SubmitterView(submitters);
        this.follower = new JobsQueueFollower(hz, name, submitterId, placement, submitters, this::maintain,
                deadline -> awaitTakesUnderWay(deadline, null));
        this.results = new ReadyResults<>(name);
        this.reconciler = new Reconciler<>(hz, name, submitterId, codec, pending, offering, receiveLock, follower,
                this::maintain, () -> myResults, () -> cancelled, this::deliver);
        // a worker copies a result of this member's submitter to deliver it in place (unless null: it sends it)
        this.sender = new ResultSender(hz, name, submitterId, submitters, view, held, Wire.resultCopier(hz),
                this::deliver);
        this.workerThreads = new Thread[workers];
        this.runner = new JobRunner<>(hz, name, memberId, options.retry(), function, codec, view, workerThreads);
        this.takes = new AtomicLongArray(workers);
        this.takePermits = new Semaphore(Math.min(workers, MAX_TAKES));
        this.workersLeft = new AtomicInteger(workers);
        this.maintenance = new MaintenanceThread(name);
    }

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
     * @throws IllegalStateException naming the pool, if the lock was not had in time
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
        Thread receiver = new Thread(this::receive, name + "-receiver");
        for (int i = 0; i < workers; i++) { // before registering: a factory that fails leaves nothing behind
            int index = i;
            Thread thread = factory.newThread(() -> work(index));
            if (thread == null) {
                throw new IllegalStateException(name + ": the thread factory returned null");
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
            myResults = hz.getQueue(resultsName(submitterId));
            EngineHooks.run(EngineHooks.afterRegistering);
            // each started thread waits at the gate until all have started: one that cannot start leaves them idle
            for (Thread thread : workerThreads) {
                startThread(thread);
            }
            startThread(receiver);
        } catch (RuntimeException | Error e) { // the cluster failed us (shutting down, say), or a thread's start did
            // (out of native threads): leave nothing registered, listening or running
            threadsStart.abandon();
            undoBegin(e);
            joinStarted(receiver, e);
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
     * interrupt that ends the wait (the interrupt status then stays set). A thread never started is not waited for.
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
            failure.addSuppressed(e);
        }
    }

    /**
     * Undoes what a {@link #begin()} that failed with {@code failure} had set up in the cluster and in this member
     * (its registration, if it registered, and its listeners; its maintenance threads, which a listener may have
     * started), adding to {@code failure} what fails meanwhile: nothing of it is left running. The registration is
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
                LOG.fine(() -> name + ": a failed start left the check of the choice of jobs queue to the next one");
            }
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(again);
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        }
        try {
            submitters.removeEntryListener(submittersListener);
            follower.stopListening();
        } catch (RuntimeException again) {
            failure.addSuppressed(again);
        } finally {
            maintenance.stopNow();
        }
    }

    // ---------------------------------------------------------------------------------------------- submit

    @Override
    public void submit(J job) throws InterruptedException {
        offer(job, Long.MAX_VALUE);
    }

    @Override
    public boolean trySubmit(J job) {
        try {
            return offer(job, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts the job in the jobs queue if room comes within {@code timeout} ({@link #offer}); thread-safe. The deadline
     * is looked at between Hazelcast operations, each waiting at most {@link #POLL_MILLIS}, so the call overruns its
     * timeout by as long as the operation under way at the deadline (at the first submit, the few of the choice of
     * jobs queue under its lock: {@link JobsQueueFollower#pick}) outlasts it: an operation Hazelcast retries
     * (its partition migrating, its target gone) for up to {@code hazelcast.invocation.max.retry.count} (250) tries,
     * {@code hazelcast.invocation.retry.pause.millis} (500 ms) apart after the first five, about two minutes, before
     * it fails it; or one whose target stops answering, until Hazelcast declares that member gone. It is not cut
     * short: an offer abandoned there may still have queued the job, which would run although refused.
     */
    @Override
    public boolean trySubmit(J job, Duration timeout) throws InterruptedException {
        return offer(job, timeout.toNanos());
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
     * accepted.
     */
    private boolean offer(J job, long nanos) throws InterruptedException {
        java.util.Objects.requireNonNull(job, "job");
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
        submitting.incrementAndGet();
        try {
            if (closed) {
                throw closedException();
            }
            long seq = sequence.incrementAndGet();
            JobItem item = new JobItem(submitterId, seq, codec.toComponents(job));
            offering.add(seq);
            pending.put(seq, job);
            boolean accepted = false;
            boolean offered = false; // whether an offer was made: one Hazelcast failed may have queued the job
            try {
                long deadline = System.nanoTime() + Math.max(0, nanos); // unused for MAX_VALUE, where it overflows
                IQueue<JobItem> queue = follower.pick(nanos, deadline, this::throwIfClosed);
                if (queue == null) {
                    return false; // the members' choice of queue was not had in time
                }
                if (nanos >= 0 && Thread.interrupted()) { // kept by Hazelcast's wait for the lock, not thrown
                    throw new InterruptedException();
                }
                while (true) {
                    long left = nanos < 0 ? 0 : nanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    long slice = Math.max(0, Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS), left));
                    offered = true;
                    Consumer<String> hook = EngineHooks.beforeOffering;
                    if (hook != null) {
                        hook.accept(name);
                    }
                    if (slice == 0 ? queue.offer(item) : queue.offer(item, slice, TimeUnit.NANOSECONDS)) {
                        accepted = true;
                        submitted.incrementAndGet();
                        return true;
                    }
                    if (closed) {
                        throw closedException();
                    }
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
                if (!accepted) {
                    pending.remove(seq);
                }
                offering.remove(seq);
            }
        } finally {
            submitting.decrementAndGet();
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
        if (closed) {
            PoolClosedException closedNow = closedException();
            closedNow.initCause(e);
            return closedNow;
        }
        // Hazelcast's own types say what went wrong; the cluster's refusal and the lock's failure say it in words
        boolean typed = e instanceof HazelcastException || e instanceof HazelcastInstanceNotActiveException;
        String mayBeQueued = offered
                ? " (it may be in the jobs queue all the same: it then runs, and its result is dropped)" : "";
        return new IllegalStateException(name + ": the cluster did not take the job, which was not accepted"
                + mayBeQueued + ": " + (typed ? e.toString() : e.getMessage()), e);
    }

    /** The error of a job that its submitter's cancel ended, or kept from running. */
    private CancellationException cancellation() {
        return cancellation(name);
    }

    /** The error of a job of pool {@code name} that its submitter's cancel ended, or kept from running. */
    static CancellationException cancellation(String name) {
        return new CancellationException(name + " was cancelled");
    }

    /** Throws this pool's {@link PoolClosedException} if it is closed (or cancelled). */
    private void throwIfClosed() {
        if (closed) {
            throw closedException();
        }
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(name + " is " + (cancelled ? "cancelled" : "closed"));
    }

    // ----------------------------------------------------------------------------------------------- fetch

    /** Whether this member's workers are done: its pool is closed and every job it submitted has its result. */
    private boolean finished() {
        return closed && submitting.get() == 0 && pending.isEmpty();
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

    /**
     * Where this member's threads of the pool wait, as each starts, until {@link #begin()} has started them all (they
     * then go on) or failed to start one (they then end at once, having touched nothing), so that a start that fails
     * halfway leaves no thread working. Opened or abandoned once, by the thread that starts the pool; passed by each
     * of the pool's threads once, as it starts.
     */
    private static final class StartGate {
        private final CountDownLatch decided = new CountDownLatch(1);
        private volatile boolean abandoned;

        void open() {
            decided.countDown();
        }

        void abandon() {
            abandoned = true;
            decided.countDown();
        }

        /**
         * Waits until the start is decided, deaf to interrupts (none of the pool's is meant for a thread yet: the
         * status is kept for after); whether the thread is to work.
         */
        boolean passed() {
            boolean interrupted = false;
            while (true) {
                try {
                    decided.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return !abandoned;
        }
    }

    // ------------------------------------------------------------------------------------------------ work

    /**
     * A worker: takes a job, runs it, sends its result, until this member's pool is finished or the member stops.
     * Each idle worker waits in a {@code poll} of its own, as a Go worker waits in its own receive: a job is taken
     * only by a worker free to run it, so no job waits on a busy member, and a member with W idle workers has W
     * takes under way, up to {@link #MAX_TAKES}; the idle workers beyond those wait for one of them to take a job
     * (or time out) and take its place. (One fetch at a time per member, taking jobs for all its idle workers,
     * queued their round trips behind one another, and was slower with one and three members: BENCHMARKS.md,
     * "Across JVMs".)
     */
    private void work(int index) {
        if (!threadsStart.passed()) {
            return; // the pool's start failed: this worker did nothing, and counts for nothing
        }
        boolean failing = false; // the last poll failed: a run of failures is logged as a warning once
        try {
            while (!finished() && hz.getLifecycleService().isRunning()) {
                IQueue<JobItem> queue = follower.queue();
                try {
                    if (queue == null) { // no member submits yet
                        follower.awaitPlaced(POLL_MILLIS);
                        continue;
                    }
                    if (!takePermits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        continue; // enough idle workers take already; look again whether to stop
                    }
                } catch (InterruptedException e) {
                    continue; // an interrupt meant for a job that has ended
                }
                JobItem item = null;
                boolean failed = false;
                takes.incrementAndGet(index); // odd: a take is under way
                try {
                    // read again once the take is under way: a queue retired meanwhile is not polled (which would
                    // make it again if dropped), and one retired later is destroyed only after this take
                    item = follower.queue() == queue ? queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS) : null;
                    failing = false;
                    if (item != null) {
                        Consumer<String> hook = EngineHooks.afterTaking;
                        if (hook != null) {
                            hook.accept(item.id());
                        }
                        held.add(item.id()); // before it runs: a reconciliation then finds it here
                    }
                } catch (InterruptedException e) {
                    continue; // an interrupt meant for a job that has ended
                } catch (HazelcastInstanceNotActiveException e) {
                    break;
                } catch (DistributedObjectDestroyedException e) { // a serving member's queue, dropped: read again
                    follower.readSoon();
                    continue;
                } catch (RuntimeException e) {
                    LOG.log(failing ? Level.FINE : Level.WARNING, name + ": cannot take jobs", e);
                    failing = true;
                    failed = true;
                } finally {
                    takes.incrementAndGet(index); // even: what it took, if anything, is held
                    takePermits.release();
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
                partEnded();
            }
        }
    }

    /** Whether a submitter's state in the map of submitters says it was registered from member {@code member}. */
    static boolean registeredOn(String state, String member) {
        return state != null && state.endsWith(":" + member); // OPEN or CANCELLED of SubmitterView, then the id
    }

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

    // --------------------------------------------------------------------------------------------- receive

    /**
     * The receiver thread: moves results from this submitter's results queue to {@link #results} until every job
     * has its result (then the thread that delivered the last one, or {@code close()}, has usually ended the
     * results already), or until the member stops.
     */
    private void receive() {
        if (!threadsStart.passed()) {
            return; // the pool's start failed: the receiver did nothing, and counts for nothing
        }
        boolean failing = false; // the last receive failed: a run of failures is logged as a warning once
        try {
            while (true) {
                Consumer<String> hook = EngineHooks.beforeReceiving;
                if (hook != null) {
                    hook.accept(name);
                }
                reconcileIfStalled();
                follower.readWhileServing();
                boolean failed = false;
                receiveLock.lock();
                try {
                    if (finished()) {
                        break;
                    }
                    if (!hz.getLifecycleService().isRunning()) {
                        abandonPending();
                        break;
                    }
                    receiveOnce();
                    failing = false;
                } catch (HazelcastInstanceNotActiveException e) {
                    abandonPending();
                    break;
                } catch (InterruptedException e) {
                    // never interrupted by this class; go on
                } catch (RuntimeException e) { // e.g. a cluster in the passive state: look again a poll later
                    LOG.log(failing ? Level.FINE : Level.WARNING, name + ": cannot receive results", e);
                    failing = true;
                    failed = true;
                } finally {
                    receiveLock.unlock();
                }
                if (failed) { // not in a tight loop
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                }
            }
        } finally {
            endResults();
            partEnded();
        }
    }

    /**
     * Ends {@link #results} if every job has its result and no more can be submitted: called by whoever may have
     * made it so (a delivery, {@code close()}, {@code cancel()}), so that the results end at once, not when the
     * receiver's {@code poll} of its (empty) results queue times out.
     */
    private void endResultsIfFinished() {
        if (finished()) {
            endResults();
        }
    }

    /** Ends {@link #results}, once: every job has its result, and no more will come. */
    private void endResults() {
        results.end();
    }

    /**
     * Waits up to {@link #POLL_MILLIS} for a result in this submitter's results queue, then takes the others
     * there in one {@code drainTo}, and delivers them. Under {@link #receiveLock}.
     */
    private void receiveOnce() throws InterruptedException {
        List<ResultItem> drained = new ArrayList<>();
        ResultItem first = myResults.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
            drained.add(first);
            if (receiveDrains.worthTrying()) {
                receiveDrains.found(myResults.drainTo(drained));
            }
        }
        for (ResultItem item : drained) {
            deliver(item.seq, item.value, item.errorFor(name));
        }
    }

    /**
     * Completes a pending job with its first result; drops any other. From any thread: the receiver (results from
     * the cluster, and errors when the member stops), a worker (results of its member's own submitter), the
     * maintenance thread (cancelled jobs). The thread that completes the last job ends the results.
     */
    private void deliver(long seq, Object wire, Throwable error) {
        if (!delivering.add(seq)) {
            return; // being delivered by another thread
        }
        try {
            J job = pending.get(seq); // null: delivered already
            if (job != null) {
                LongConsumer hook = EngineHooks.whileDelivering;
                if (hook != null) {
                    hook.accept(seq);
                }
                complete(seq, job, wire, error);
            }
        } finally {
            delivering.remove(seq);
        }
        endResultsIfFinished();
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
        R result = resultFactory.create(job, value, error);
        if (error == null) {
            completed.incrementAndGet();
        } else if (error instanceof CancellationException) {
            cancelledJobs.incrementAndGet();
        } else {
            failed.incrementAndGet();
            if (options.failFast() && failure.compareAndSet(null, error)) {
                cancel();
            }
        }
        results.add(result);
        progressAt = System.nanoTime();
        pending.remove(seq); // last: finished() must not see this job done before its result is readable
    }

    /**
     * This member left the cluster: its pending jobs will never hear back. Returns once none is pending (a worker
     * may be delivering one of them meanwhile: the results must not end before its result is in), or after
     * {@link #QUERY_SECONDS} if one stays pending (a delivery that failed).
     */
    private void abandonPending() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUERY_SECONDS);
        while (true) {
            for (Long seq : new ArrayList<>(pending.keySet())) {
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

    private void partEnded() {
        if (partsLeft.decrementAndGet() != 0) {
            return;
        }
        follower.endLooks();
        try {
            if (hz.getLifecycleService().isRunning()) {
                follower.deregister();
                EngineHooks.run(EngineHooks.afterDeregistering);
                submitters.removeEntryListener(submittersListener);
                follower.stopListening();
                myResults.destroy();
                sender.destroyQueuesOfGoneSubmitters();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, name + ": cleanup after termination", e);
        } finally {
            maintenance.stop();
            backend.ended(this);
            terminated.countDown();
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

    /** Runs {@code task} on this pool's maintenance thread, now or {@code delayMillis} later (see there). */
    private void maintain(Runnable task, long delayMillis) {
        maintenance.maintain(task, delayMillis);
    }

    /**
     * After a member left: forgets its submitters, has the choice of jobs queue checked if it forgot any (without
     * waiting long for the choice's lock: {@link JobsQueueFollower#check}), then reconciles. On the maintenance thread.
     */
    private void afterDeath(UUID member) {
        try {
            if (ResultsQueueSweeper.forgetSubmittersOf(hz, submitters, resultsName(""), member.toString())) {
                follower.markCheckDue();
            }
        } catch (RuntimeException e) {
            follower.markCheckDue(); // it may have forgotten some before it failed
            LOG.log(Level.FINE, name + ": cleanup after a member left", e);
        }
        follower.check();
        Consumer<String> hook = EngineHooks.afterMemberCleanup;
        if (hook != null) {
            hook.accept(member.toString());
        }
        reconciler.reconcile();
    }

    /**
     * On the receiver thread, which wakes at least every {@link #POLL_MILLIS}: has the reconciliation run if no
     * result came for {@link #stallNanos} while jobs are pending.
     */
    private void reconcileIfStalled() {
        if (!pending.isEmpty() && System.nanoTime() - progressAt > stallNanos) {
            progressAt = System.nanoTime(); // once per stall
            maintain(reconciler::reconcile, 0);
        }
    }

    /**
     * The sequence numbers of {@code submitter}'s jobs this member's workers hold (see {@link #held}), once the
     * takes under way when asked have recorded what they took (until {@code deadline}, a {@code nanoTime}): a
     * job the asker did not find in the jobs queue may have been taken out of it, and not be held yet.
     */
    LongStream held(String submitter, long deadline) {
        awaitTakesUnderWay(deadline, EngineHooks.whileAwaitingTakes);
        String mine = submitter + "/";
        return held.stream().filter(id -> id.startsWith(mine)).mapToLong(id -> Long.parseLong(id.substring(
                mine.length())));
    }

    /**
     * Reads every worker's take first, then waits for those under way: about one poll's time in all.
     *
     * @param hook run once if it waits for a take under way, unless null
     * @return whether every take under way at first has ended (false: {@code deadline} came first)
     */
    private boolean awaitTakesUnderWay(long deadline, Runnable hook) {
        long[] seen = new long[takes.length()];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = takes.get(i);
        }
        boolean told = false;
        for (int i = 0; i < seen.length; i++) {
            long take = seen[i];
            while ((take & 1) == 1 && takes.get(i) == take && System.nanoTime() - deadline < 0) {
                if (hook != null && !told) {
                    told = true;
                    hook.run();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            if ((take & 1) == 1 && takes.get(i) == take) {
                return false;
            }
        }
        return true;
    }

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
        closed = true;
        endResultsIfFinished();
    }

    @Override
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        closed = true;
        endResultsIfFinished();
        if (isTerminated()) {
            return;
        }
        try {
            // only while registered: a cancel that comes as this pool ends must not register it again
            submitters.submitToKey(submitterId, new Wire.SetIfPresent(SubmitterView.CANCELLED + memberId))
                    .whenComplete((ignored, failed) -> {
                        if (failed != null) { // e.g. a member of an older version that cannot read the processor
                            LOG.log(Level.WARNING, name + ": cannot record the cancel in the cluster; its jobs on "
                                    + "other members run on", failed);
                        }
                    });
            maintenance.execute(reconciler::cancelQueued);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, name + ": cancel", e);
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

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void awaitOrThrow() throws InterruptedException, PoolFailedException {
        await();
        throwIfFailed();
    }

    @Override
    public boolean awaitOrThrow(Duration timeout) throws InterruptedException, PoolFailedException {
        boolean done = await(timeout);
        if (done) {
            throwIfFailed();
        }
        return done;
    }

    private void throwIfFailed() throws PoolFailedException {
        Throwable first = failure.get();
        if (first != null) {
            throw new PoolFailedException(name, null, first);
        }
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /**
     * The results as they come ({@link ReadyResults#iterator}); reading them in one of this part's own jobs never
     * waits. Each iterator is for one thread at a time.
     */
    @Override
    public Iterable<R> results() {
        return () -> results.iterator(this::isOwnWorker, this::runsOwnJob);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
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
        return new PoolStats(name, workers, buffer, queued, high, busy, 0, submitted.get(), completed.get(),
                failed.get(), cancelledJobs.get(), 0,
                Duration.ofNanos(count == 0 ? 0 : runner.runNanos() / count), Duration.ofNanos(runner.maxRunNanos()),
                runner.retries());
    }

    @Override
    public String toString() {
        return name + "[hazelcast, member " + memberId + ", " + workers + " workers, "
                + (isTerminated() ? "terminated" : cancelled ? "cancelled" : closed ? "closed" : "running")
                + ", " + pending.size() + " pending]";
    }
}
