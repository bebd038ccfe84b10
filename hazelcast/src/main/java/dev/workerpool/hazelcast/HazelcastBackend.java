package dev.workerpool.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.workerpool.runtime.spi.JobCodec;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolBackend;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spreads a generated pool over several JVMs: the members of an embedded Hazelcast cluster. Every member starts
 * the same pool with its own target, {@code HasherPool.start(new Hasher(), backend)}, and contributes that
 * many workers; the jobs queue is a bounded Hazelcast {@code IQueue} that all of them take from, placed on a
 * partition of the member that submits (a member that submits while another still does uses that one's): its
 * {@code submit} then puts each job without a network round trip; only speed depends on it. Each member's pool
 * returns the results of the jobs submitted through it.
 *
 * <h2>Starting a member</h2>
 * {@link #builder()} starts a member that is safe to run on a laptop or in CI: TCP-IP join to the listed
 * addresses only, multicast and phone-home off, no port auto-increment, and a bounded wait for the cluster to
 * form ({@link Builder#start()} fails naming the addresses rather than hang). To use a Hazelcast instance of your
 * own, pass its {@code Config} through {@link #configure(Config)} on every member first, then {@link #on}.
 *
 * <h2>What a distributed pool guarantees</h2>
 * <ul>
 *   <li><b>Exactly one result per accepted job</b> at its submitter, also when the member running it dies: the
 *       job then runs again on a survivor. Execution is <em>at least once</em>, so jobs should be idempotent;
 *       the submitter drops any second result. The pool's queues keep one backup each, copied after each
 *       operation rather than waited for: what a member that dies had not copied is found missing when it leaves,
 *       and queued again (a submitter that has had no result for 30 s while jobs are pending looks again).</li>
 *   <li><b>Bounded.</b> {@code buffer} bounds the jobs waiting cluster-wide; {@code submit} blocks while the
 *       queue is full, {@code trySubmit} returns {@code false}. A timed {@code trySubmit} looks at its deadline
 *       between waits of at most a tenth of a second, so it returns about its timeout later, except by as long as
 *       the cluster operation under way at the deadline (the offer; at the first submit, the few operations of the
 *       members' agreement on the queue) outlasts it: Hazelcast retries an operation whose partition migrates (as
 *       members join or leave) or whose target left, at most {@code hazelcast.invocation.max.retry.count} times
 *       (250), {@code hazelcast.invocation.retry.pause.millis} apart (500 ms) after the first five, about two
 *       minutes, then fails it (the caller gets the {@link IllegalStateException} below); and it waits for an owner
 *       that stops answering until it declares that member gone. The wait is not cut short: an offer abandoned
 *       there may still have queued the job, which would then run although {@code trySubmit} refused it. A
 *       buffer of 0 is served as 1: a cluster has no
 *       rendezvous hand-off. Members take jobs only for idle workers, so no job waits on a busy member; up to
 *       16 idle workers of each pool a member started wait in the cluster's queue at once, the others on that
 *       member. An interrupt while {@code submit} waits for room throws {@link InterruptedException} within
 *       about a tenth of a second and that job is never queued (unless the member holding the queue dies during
 *       that offer: the job may then run, its result dropped); a {@code submit} that Hazelcast completed as the
 *       interrupt came returns normally with the interrupt status set, its job accepted. A {@code submit} or
 *       {@code trySubmit} whose cluster operation fails (Hazelcast gave up retrying it as a partition migrated or
 *       its owner left, this member is shutting down, the cluster's state is passive) throws an
 *       {@link IllegalStateException} that names the pool and the problem, Hazelcast's exception as its cause
 *       (a {@code PoolClosedException} if the pool closed meanwhile), and never Hazelcast's own exception. The job
 *       was not accepted and has no result; but if the failed operation was the offer, an earlier try of it that
 *       Hazelcast retried may have queued the job all the same (the message says so): it then runs, and its result
 *       is dropped. A pool's {@code start} that a cluster operation fails throws such an exception too, leaving
 *       nothing of the pool registered. A frozen cluster runs jobs as an active one.</li>
 *   <li><b>close()</b> ends intake from that pool; its queued jobs still run; its {@code results()} ends when
 *       its last job has its result; its own workers then stop once their current job is done, and
 *       {@code await()} returns. A member that only serves starts the pool and never closes it (or closes it to
 *       leave).</li>
 *   <li><b>A job that waits for its own pool</b>, on one of this member's workers of it, or a job this member's
 *       part submitted, on whichever member's worker in the same JVM it runs (the part ends only once that job has
 *       its result), is refused as locally: {@code await()} throws an {@link IllegalStateException} naming the
 *       pool, and iterating its {@code results()} hands out the results this member has received already (and
 *       their end, if it has come), then throws an {@link IllegalStateException} naming the pool where it would
 *       wait.</li>
 *   <li><b>cancel()</b> interrupts that pool's running jobs on every member; its queued jobs get a
 *       {@code CancellationException} result at once and are discarded where they are taken.</li>
 *   <li><b>A submitter that dies</b> takes its results with it: survivors discard its queued jobs and its
 *       results, and delete its structures; nothing waits for it. Every open backend, whether or not a pool
 *       runs on it, deregisters the submitters of a member that has left and destroys their results queues, and
 *       destroys, a few seconds after it appears, a results queue whose submitter is not registered (one a late
 *       result made again); {@link #close()} stops that (on a member given to {@link #on}, once the pools
 *       started on the backend have ended). Jobs a dead submitter had queued wait in the jobs queue
 *       until a member of the pool takes and discards them. The jobs queue is destroyed when a member that
 *       submitted to it leaves (or dies: then by the members that see it go) and finds it empty with no other
 *       submitter using it, or when the pool's last member leaves.</li>
 *   <li><b>Options.</b> {@code failFast} works per submitter (its first failure cancels its jobs everywhere);
 *       virtual threads work; {@code retry} works on the member that runs the job (the job keeps its worker
 *       while it waits for its next attempt, as locally; {@code stats().retries()} counts the attempts this
 *       member's workers made again); {@code ordered}, {@code timeout} and {@code rate} are rejected at
 *       {@code start} ({@code rate} because a limit per member would not be a limit per pool);
 *       {@code resize} throws {@link UnsupportedOperationException}: start the pool on more or fewer members
 *       instead. {@code stats()}
 *       counts this pool's own jobs and this member's busy workers; {@code queuedJobs} is cluster-wide, read at
 *       each call (0 once this member's part of the pool has ended: it no longer looks at the queue, which may be
 *       gone), and {@code queueHighWaterMark} the largest {@code queuedJobs} this member's calls have read
 *       (the cluster's queue keeps no mark of its own); neither exceeds {@code buffer}: with a buffer of 0 both
 *       read 0, as locally, the one job the cluster's queue then holds being the hand-off, counted as submitted
 *       (its {@code submit} has returned). No
 *       Flight Recorder events. {@code runAll} and the side-effect and per-worker-target {@code start} forms are
 *       local only.</li>
 *   <li><b>Serialization.</b> Jobs travel as their components and results as their values, each written with
 *       Hazelcast's serializers; a parameter or return type other than a primitive, its box, {@code String}, an
 *       enum, a {@code Serializable} type, {@code Object}, a {@code java.util} interface, or an array or record of
 *       those fails {@code start} naming it (and compilation, with {@code @WorkerPool(distributed = true)}), also
 *       one some of whose values could be sent ({@code CharSequence}); a value that cannot be sent fails
 *       {@code submit} ({@link IllegalArgumentException}, the job not accepted) or, for a result, arrives as a
 *       {@link RemoteJobException}. Every member needs the same classes (and the same version of this module): a
 *       job that a member takes but cannot read (it lacks a parameter's class) ends in an
 *       {@link IllegalStateException} result naming that member and the cause, and a value or error the
 *       submitter cannot read arrives as a {@link RemoteJobException}.</li>
 *   <li><b>Unread results</b> wait at the submitter without a bound (unlike a local pool's); read them.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} shuts down a member this class started; a member given to {@link #on} is
 * left running, and so are the pools started on it, the backend serving them until the last has ended.
 */
public final class HazelcastBackend implements PoolBackend, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HazelcastBackend.class.getName());


    private final HazelcastInstance instance;
    private final boolean owned;
    /** The pools running on this backend; changed under {@link #lifecycle}, read by any thread. */
    private final Set<HazelcastEngine<?, ?, ?>> engines = new CopyOnWriteArraySet<>();
    /** Guards {@link #closed}, and the changes of {@link #engines} that decide when the backend lets go. */
    private final Object lifecycle = new Object();
    /** Whether {@link #close()} was called; under {@link #lifecycle}. */
    private boolean closed;
    /** Whether the backend has let go of the member ({@link #letGo}): set once, under {@link #lifecycle}. */
    private boolean letGo;
    private final UUID listener;
    private final ResultsQueueSweeper sweeper;
    /** How long a pool's start waits for the members' choice of jobs queue: {@link #startWait()}. */
    private final Duration startWait;

    /**
     * Starts the sweeper, listens to the member's membership and registers for {@link InFlightQuery}; if a step
     * fails, undoes those taken, each undoing tried whatever the others throw and what it throws (an {@link Error}
     * included) suppressed in the failure, which is thrown ({@link Uncaught#suppress}). On the thread that makes the
     * backend.
     */
    private HazelcastBackend(HazelcastInstance instance, boolean owned, Duration startWait) {
        this.instance = instance;
        this.owned = owned;
        this.startWait = startWait;
        this.sweeper = new ResultsQueueSweeper(instance); // first: if it fails, it has removed what it registered
        UUID membership = null;
        try {
            membership = instance.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    sweeper.memberRemoved(event.getMember().getUuid());
                    for (HazelcastEngine<?, ?, ?> engine : engines) {
                        engine.memberRemoved(event.getMember().getUuid());
                    }
                }
            });
            InFlightQuery.register(this);
        } catch (RuntimeException | Error e) { // nothing of this backend stays registered
            try {
                sweeper.close();
            } catch (RuntimeException | Error closing) { // not added to an OutOfMemoryError: logged instead
                Uncaught.suppress(LOG, e, closing, "workerpool: stopping the results queue sweeper of a backend "
                        + "whose making failed on member ", instance.getName(), Uncaught.NOT_SUPPRESSED_IN_THAT);
            }
            if (membership != null) {
                try {
                    instance.getCluster().removeMembershipListener(membership);
                } catch (RuntimeException | Error removal) { // not added to an OutOfMemoryError: logged instead
                    Uncaught.suppress(LOG, e, removal, "workerpool: removing the membership listener of a backend "
                            + "whose making failed on member ", instance.getName(), Uncaught.NOT_SUPPRESSED_IN_THAT);
                }
            }
            throw e;
        }
        this.listener = membership;
    }

    /**
     * A backend on a running Hazelcast member whose configuration went through {@link #configure(Config)}.
     * {@link #close()} leaves the member running.
     *
     * @param instance the member
     * @return the backend
     * @throws IllegalArgumentException if the member's configuration lacks what {@code configure} adds
     */
    public static HazelcastBackend on(HazelcastInstance instance) {
        Objects.requireNonNull(instance, "instance");
        if (!instance.getConfig().getSerializationConfig().getDataSerializableFactories()
                .containsKey(Wire.FACTORY_ID)) {
            throw new IllegalArgumentException("Hazelcast member " + instance.getName()
                    + " was not configured for workerpool: pass its Config through HazelcastBackend.configure(config)"
                    + " on every member before starting it");
        }
        return new HazelcastBackend(instance, false, Duration.ofSeconds(JobsPlacement.LOCK_SECONDS));
    }

    /**
     * Adds to a member's configuration what workerpool needs on every member (its serializer factory), and turns
     * off what it should not do (phone-home). Call it on every member's configuration before starting it.
     *
     * @param config the configuration to change
     * @return {@code config}
     */
    public static Config configure(Config config) {
        config.getSerializationConfig().addDataSerializableFactory(Wire.FACTORY_ID, Wire.FACTORY);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        return config;
    }

    /**
     * A builder for a member started by this class.
     *
     * @return a builder with the defaults: cluster {@code workerpool}, 127.0.0.1:5701, that address as the only
     *         one to join, one member, 60 seconds to form
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, JobCodec<J, V> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(resultFactory, "resultFactory");
        Objects.requireNonNull(codec, "codec");
        options.checkWorkers(name, workers);
        PoolOptions.checkBuffer(name, buffer);
        if (options.ordered()) {
            throw new IllegalArgumentException(name + ": ordered results are not supported across members "
                    + "(HazelcastBackend); drop ordered = true, or order the results by a job component");
        }
        if (options.timeout() != null) {
            throw new IllegalArgumentException(name + ": a job timeout is not supported across members "
                    + "(HazelcastBackend); drop timeout, or bound the job's own waits");
        }
        if (options.rate() != null) {
            throw new IllegalArgumentException(name + ": a rate limit is not supported across members "
                    + "(HazelcastBackend): each member's own limit would not bound the pool's starts cluster-wide; "
                    + "drop rate, or limit the calls inside the job");
        }
        Sendable.check(name, codec);
        if (!instance.getLifecycleService().isRunning()) {
            throw new IllegalStateException(name + ": the Hazelcast member has shut down");
        }
        throwIfClosed(name);
        HazelcastEngine<J, V, R> engine;
        try {
            engine = new HazelcastEngine<>(this, name, options, workers, buffer, function, resultFactory, codec);
        } catch (HazelcastException | HazelcastInstanceNotActiveException e) {
            throw clusterFailed(name, e);
        }
        synchronized (lifecycle) {
            throwIfClosed(name); // closed meanwhile: it may have let go of the member already
            engines.add(engine);
        }
        try {
            engine.begin();
        } catch (HazelcastException | HazelcastInstanceNotActiveException e) {
            IllegalStateException failure = clusterFailed(name, e);
            endedAfterFailedStart(name, engine, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            endedAfterFailedStart(name, engine, e);
            throw e;
        }
        return engine;
    }

    /**
     * Forgets pool {@code name}'s {@code engine}, whose start failed with {@code failure}, the failure its caller
     * then throws ({@link #ended}: if the backend was closed meanwhile and this was its last pool, it lets go of the
     * member, which may throw). What that throws, an {@link Error} included, is suppressed in {@code failure} (or
     * logged as a warning if it cannot be: {@link Uncaught#suppress}), and nothing is thrown. On the thread that
     * starts the pool.
     */
    private void endedAfterFailedStart(String name, HazelcastEngine<?, ?, ?> engine, Throwable failure) {
        try {
            ended(engine);
        } catch (RuntimeException | Error e) {
            // Also an Error while the start failed with an exception: the start's failure is thrown, the Error
            // suppressed in it. This is the module's rule for steps that undo a failure being thrown (DESIGN.md, "A
            // cleanup's steps"), as the engine's own undoing of this start (undoBegin) and a failed backend's do:
            // the caller learns why its start failed, and the Error goes with it. The first Error is thrown instead
            // only where independent steps run with no failure being thrown.
            Uncaught.suppress(LOG, failure, e, CLOSING, instance.getName(), " after pool ", name,
                    "'s failed start", Uncaught.NOT_SUPPRESSED_IN_THAT);
        }
    }

    /** Throws the {@link IllegalStateException} of a start of pool {@code name} on this backend once it is closed. */
    private void throwIfClosed(String name) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException(name + ": its HazelcastBackend is closed");
            }
        }
    }

    /**
     * The failure of a pool's start that Hazelcast's exception {@code e} ended (its member shutting down, an
     * operation it gave up on): an {@link IllegalStateException} naming the pool, {@code e} its cause, as a submit's
     * (the engine's start has undone what it had done in the cluster by then).
     */
    private static IllegalStateException clusterFailed(String name, RuntimeException e) {
        return new IllegalStateException(name + ": a cluster operation failed the start, which left nothing "
                + "registered: " + e, e);
    }

    HazelcastInstance instance() {
        return instance;
    }

    /**
     * How long a pool's {@code start} on this backend waits for the lock of the members' choice of jobs queue as it
     * registers (at most {@value JobsPlacement#LOCK_SECONDS} s, whatever this says): the {@link Builder#timeout}
     * of a backend the builder started, {@value JobsPlacement#LOCK_SECONDS} s for one {@link #on} a member of your
     * own. Fixed as the backend is made; from any thread.
     */
    Duration startWait() {
        return startWait;
    }

    /**
     * Pool {@code engine} has ended on this member (or its start failed): forgotten, and, if the backend is closed
     * and it was the last pool, the backend lets go of the member. On the thread that ends the pool.
     */
    void ended(HazelcastEngine<?, ?, ?> engine) {
        boolean last;
        synchronized (lifecycle) {
            last = engines.remove(engine) && closed && engines.isEmpty();
        }
        if (last) {
            letGo();
        }
    }

    /** This member's running engines, for {@link InFlightQuery}. */
    java.util.stream.Stream<HazelcastEngine<?, ?, ?>> engines() {
        return engines.stream();
    }

    /**
     * The Hazelcast member the pools run on: for its cluster, its partitions, or to start more of your own
     * structures on it.
     *
     * @return the member
     */
    public HazelcastInstance hazelcast() {
        return instance;
    }

    /**
     * Closes this backend: no pool starts on it any more ({@code start} throws an {@link IllegalStateException}).
     * If this class started the member, shuts it down: pools on it that have not terminated give their pending jobs
     * a result carrying an {@link IllegalStateException}. A member given to {@link #on} is left running, and so are
     * the pools started on it: each goes on working, as a part of its pool, until it ends as it would have
     * (closed, or cancelled, and its jobs done), and the backend lets go of the member (stops listening to it and
     * answering for its pools) only once the last of them has ended, at once if none runs. Letting go earlier
     * would leave those pools deaf to members that leave and mute to the other members' questions about the jobs
     * they hold, which those members would then run again. Idempotent; thread-safe.
     */
    @Override
    public void close() {
        boolean none;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            none = engines.isEmpty();
        }
        if (owned) {
            shutDown();
        } else if (none) {
            letGo();
        }
    }

    /** The start of the messages that {@link #shutDown} and {@link #letGo} log. */
    private static final String CLOSING = "workerpool: closing the backend on member ";

    /**
     * The first step of {@link #shutDown} and {@link #letGo}: stops the sweeper; an exception it throws is logged,
     * an {@link Error} returned (for the caller to throw once its other steps are taken), else null. On the thread
     * that closes the backend or ends its last pool.
     */
    private Error stopSweeper() {
        try {
            sweeper.close();
        } catch (RuntimeException e) {
            Uncaught.log(LOG, Level.FINE, e, CLOSING, instance.getName(), ": stopping its results queue sweeper");
        } catch (Error e) {
            return e;
        }
        return null;
    }

    /**
     * Stops the sweeper and shuts down the member this class started, whatever the sweeper's stop throws: the
     * member's pools end, and no longer listen nor answer. What the stop throws is logged if it is an exception; an
     * {@link Error} is thrown once the member is shut down, what the shutdown threw suppressed in it (or logged:
     * {@link Uncaught#suppress}); else what the shutdown threw is thrown. Once, from {@link #close()}.
     */
    private void shutDown() {
        Error error = stopSweeper();
        try {
            instance.shutdown();
        } catch (RuntimeException | Error e) {
            if (error == null) {
                throw e;
            }
            Uncaught.suppress(LOG, error, e, CLOSING, instance.getName(), ": shutting it down",
                    Uncaught.NOT_SUPPRESSED_IN_THAT);
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * Stops the sweeper and, on a running member, listening to it and answering for its pools: once, when the
     * backend is closed and no pool runs on it. Each step is taken whatever the others' failure: an exception is
     * logged; a log that throws (a handler that fails) loses its record, and is not thrown: the pool whose end calls
     * this counts itself terminated after it. An {@link Error} is thrown once every step has been taken (the first
     * one; later ones suppressed in it, or logged: {@link Uncaught#firstError}). Thread-safe.
     */
    private void letGo() {
        synchronized (lifecycle) {
            if (letGo) {
                return;
            }
            letGo = true;
        }
        Error error = stopSweeper();
        boolean running = false;
        try {
            running = instance.getLifecycleService().isRunning();
        } catch (RuntimeException e) {
            Uncaught.log(LOG, Level.FINE, e, CLOSING, instance.getName());
        } catch (Error e) {
            error = Uncaught.firstError(LOG, error, e, CLOSING, instance.getName(), Uncaught.NOT_SUPPRESSED_IN_THAT);
        }
        if (running) {
            try {
                instance.getCluster().removeMembershipListener(listener);
            } catch (RuntimeException e) {
                Uncaught.log(LOG, Level.FINE, e, CLOSING, instance.getName(), ": removing its membership listener");
            } catch (Error e) {
                error = Uncaught.firstError(LOG, error, e, CLOSING, instance.getName(),
                        ": removing its membership listener", Uncaught.NOT_SUPPRESSED_IN_THAT);
            }
            try {
                InFlightQuery.unregister(this);
            } catch (RuntimeException e) {
                Uncaught.log(LOG, Level.FINE, e, CLOSING, instance.getName(),
                        ": taking it out of the member's user context");
            } catch (Error e) {
                error = Uncaught.firstError(LOG, error, e, CLOSING, instance.getName(),
                        ": taking it out of the member's user context", Uncaught.NOT_SUPPRESSED_IN_THAT);
            }
        }
        if (error != null) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return "HazelcastBackend[" + instance.getName() + ", " + instance.getCluster().getMembers().size()
                + " members]";
    }

    /**
     * Starts a member on an address of this machine, joining others at listed addresses (TCP-IP only).
     * Not thread-safe; use it on one thread.
     */
    public static final class Builder {
        private String cluster = "workerpool";
        private String host = "127.0.0.1";
        private int port = 5701;
        private final List<String> members = new ArrayList<>();
        private int minMembers = 1;
        private Duration timeout = Duration.ofSeconds(60);
        private boolean lite;

        private Builder() {
        }

        /**
         * The cluster's name: members join only a cluster of the same name.
         *
         * @param name the cluster's name
         * @return this builder
         */
        public Builder cluster(String name) {
            this.cluster = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The address this member listens on; the port is not incremented if taken.
         *
         * @param host an address of this machine, such as {@code 127.0.0.1}
         * @param port the port, 1 to 65535
         * @return this builder
         */
        public Builder address(String host, int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /**
         * Addresses ({@code host:port}) of members to join; the first member to start forms the cluster. The
         * default is this member's own address.
         *
         * @param addresses the addresses
         * @return this builder
         */
        public Builder members(String... addresses) {
            members.addAll(List.of(addresses));
            return this;
        }

        /**
         * How many members {@link #start()} waits for, this one included.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder minMembers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("minMembers must be at least 1, was " + count);
            }
            this.minMembers = count;
            return this;
        }

        /**
         * How long {@link #start()} may take to start the member and see {@link #minMembers} members; and how long
         * a pool's {@code start} on the backend may wait, as it registers, for the members' agreement on its jobs
         * queue (the lock of that choice, held for moments by a member that starts, ends or first submits), up to
         * 30 s: not had in time, the pool's {@code start} fails with an {@link IllegalStateException} naming the
         * pool, and leaves nothing registered or running. (A backend {@link HazelcastBackend#on on} a member of your
         * own waits 30 s for it.)
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * A lite member holds no data (no queue or map partitions), but runs workers and submits like any other:
         * for a member that should not take part of the cluster's storage.
         *
         * @param lite whether this member is a lite member
         * @return this builder
         */
        public Builder liteMember(boolean lite) {
            this.lite = lite;
            return this;
        }

        /**
         * The configuration {@link #start()} uses, for inspection or to start the member yourself.
         *
         * @return a new configuration
         */
        public Config config() {
            Config config = configure(new Config());
            config.setClusterName(cluster);
            config.setLiteMember(lite);
            config.setProperty("hazelcast.logging.type", "jdk");
            config.setProperty("hazelcast.shutdownhook.enabled", "false");
            long seconds = Math.max(1, timeout.toSeconds());
            config.setProperty("hazelcast.max.join.seconds", Long.toString(seconds));
            config.setProperty("hazelcast.wait.seconds.before.join", "1");
            config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
            config.setProperty("hazelcast.socket.bind.any", "false");
            config.getJetConfig().setEnabled(false);
            NetworkConfig network = config.getNetworkConfig();
            network.setPort(port).setPortAutoIncrement(false);
            network.getInterfaces().setEnabled(true).addInterface(host);
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true)
                    .setMembers(members.isEmpty() ? List.of(host + ":" + port) : List.copyOf(members))
                    .setConnectionTimeoutSeconds((int) Math.min(5, seconds));
            return config;
        }

        /**
         * Starts the member and waits until the cluster has {@link #minMembers} members. Whatever fails once the
         * member has started (an {@link Error} too), the member is terminated before the failure is thrown; a failure
         * of that termination is suppressed in it (logged instead if it is an {@link OutOfMemoryError}).
         *
         * @return the backend; {@link #close()} shuts the member down
         * @throws IllegalStateException if the member cannot start (the address is taken or not of this machine)
         *                               or the cluster does not reach {@code minMembers} in time; the message
         *                               names the addresses, and no member is left running
         */
        public HazelcastBackend start() {
            Config config = config();
            String where = host + ":" + port;
            long deadline = System.nanoTime() + timeout.toNanos();
            HazelcastInstance instance;
            try {
                instance = Hazelcast.newHazelcastInstance(config);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cluster '" + cluster + "': cannot start a member on " + where
                        + " (is the port taken, or the address not of this machine?): " + e.getMessage(), e);
            }
            try {
                while (instance.getCluster().getMembers().size() < minMembers) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("cluster '" + cluster + "': the member on " + where
                                + " saw " + instance.getCluster().getMembers().size() + " of " + minMembers
                                + " members after " + timeout + "; are members running at "
                                + config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers() + "?");
                    }
                    try {
                        Thread.sleep(50); // polling the member count: Hazelcast has no wait for it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("cluster '" + cluster + "': interrupted while forming", e);
                    }
                }
                EngineHooks.run(EngineHooks.beforeBackendMade);
                return new HazelcastBackend(instance, true, timeout);
            } catch (RuntimeException | Error e) { // no member is left running, whatever failed
                try {
                    instance.getLifecycleService().terminate();
                } catch (RuntimeException | Error terminating) { // not added to an OutOfMemoryError: logged instead
                    Uncaught.suppress(LOG, e, terminating, "workerpool: terminating the member on ", where,
                            " of cluster '", cluster, "' whose start failed", Uncaught.NOT_SUPPRESSED_IN_THAT);
                }
                throw e;
            }
        }
    }
}
