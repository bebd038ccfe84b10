package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One per {@link HazelcastBackend}, whether or not a pool runs on it: destroys a pool's results queue whose
 * submitter is not registered. A send that reached a submitter's queue after the submitter destroyed it makes the
 * queue again, and the event announcing that queue may reach a member after every pool's own cleanup has run, or
 * only members whose pool has ended (a pool's cleanup runs only while it runs). Every member with a backend hears
 * of every queue made anywhere in the cluster: {@value #DELAY_MILLIS} ms after it hears of a results queue (or
 * finds one as the backend starts), it looks the queue's submitter up in the pool's map of submitters and, if it is
 * not there, destroys the queue through the proxy this member holds, never making one ({@code getQueue(name)}
 * would, and announce it again).
 *
 * <p>A submitter registers before it makes its own results queue and deregisters before it destroys it, so an
 * unregistered submitter's queue is one nobody reads: its submitter ended or died. The delay lets the proxy reach
 * this member first. When a member leaves, the sweeper also deregisters the submitters registered from it and
 * destroys their results queues ({@link #memberRemoved}): a pool that still runs on a survivor does that too, but a
 * submitter whose pool runs nowhere else would otherwise stay registered, and keep its queue, for good. Then,
 * for every pool whose maps it lists (whether or not the member that left had submitters in it), it checks the
 * pool's choice of jobs queue, which goes, with the queue, if no submitter is left that uses it
 * ({@link JobsPlacement#tryCheck}, under the choice's lock): it waits for that lock at most
 * {@value JobsPlacement#CHECK_WAIT_MILLIS} ms at a time and tries again later until it has checked, so that a lock
 * held long elsewhere does not hold up its sweeps. Checking on every member's leaving takes over a check that the
 * member that left had yet to make (it may have left while it waited for the lock).
 * Thread-safe: Hazelcast's event threads schedule, one daemon thread of this class looks and destroys. Logs as this
 * class, never throwing what the log throws ({@link #log}).
 */
final class ResultsQueueSweeper implements DistributedObjectListener {
    /** How long after hearing of a results queue this member looks at its submitter. */
    static final long DELAY_MILLIS = 3_000;

    private static final Logger LOG = Logger.getLogger(ResultsQueueSweeper.class.getName());

    private static final String PREFIX = "workerpool.";
    private static final String RESULTS = ".results.";
    private static final String SUBMITTERS = ".submitters";
    /** The service name of Hazelcast's queues, as their events carry it. */
    private static final String QUEUE_SERVICE = "hz:impl:queueService";

    private final HazelcastInstance hz;
    private final ScheduledExecutorService timer;
    private final UUID registration;
    private final UUID lifecycle;
    /**
     * The pools (their maps of submitters, by name) whose choice of jobs queue is to be checked after a member left,
     * and was not yet: {@link #checkDue}. On the sweeper's thread only.
     */
    private final Map<String, IMap<?, ?>> checksDue = new LinkedHashMap<>();
    /** Whether a {@link #checkDue} is scheduled; on the sweeper's thread only. */
    private boolean checkScheduled;

    /**
     * The sweeper of member {@code hz}: listening, and looking at the results queues the member lists already. A
     * failure (the member shutting down, say) is thrown once what was registered is removed and the timer stopped:
     * a backend whose construction fails leaves no listener or thread behind. On the thread that makes the backend.
     */
    ResultsQueueSweeper(HazelcastInstance hz) {
        this.hz = hz;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                HazelcastEngine.daemon("workerpool-sweeper-" + hz.getName()));
        UUID objects = null;
        UUID states = null;
        try {
            objects = hz.addDistributedObjectListener(this);
            states = hz.getLifecycleService().addLifecycleListener(event -> {
                if (event.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) {
                    timer.shutdownNow(); // a member shut down without closing its backend keeps no thread of ours
                }
            });
            for (DistributedObject object : hz.getDistributedObjects()) { // made before this member listened
                if (object instanceof IQueue) {
                    consider(object.getName());
                }
            }
        } catch (RuntimeException | Error e) {
            remove(objects, states, e);
            throw e;
        }
        this.registration = objects;
        this.lifecycle = states;
    }

    @Override
    public void distributedObjectCreated(DistributedObjectEvent event) {
        if (QUEUE_SERVICE.equals(event.getServiceName())) {
            consider(String.valueOf(event.getObjectName()));
        }
    }

    @Override
    public void distributedObjectDestroyed(DistributedObjectEvent event) {
    }

    private void consider(String queue) {
        if (submitterOf(queue) == null) {
            return;
        }
        try {
            timer.schedule(() -> sweep(queue), DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /**
     * The submitter id of a pool's results queue name, or null if {@code queue} is not one: the id must be a
     * UUID as submitters draw them, so that a pool named {@code a.results.b} does not have its jobs queue
     * ({@code workerpool.a.results.b.jobs}) taken for a results queue of pool {@code a}.
     */
    static String submitterOf(String queue) {
        int at = queue.lastIndexOf(RESULTS);
        if (!queue.startsWith(PREFIX) || at <= PREFIX.length()) {
            return null;
        }
        String id = queue.substring(at + RESULTS.length());
        try {
            return UUID.fromString(id).toString().equals(id) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Forgets the submitters registered from a member that has left (or died): on the sweeper's thread, takes
     * them out of every pool's map of submitters this member holds a proxy of, and destroys their results queues
     * (those it holds a proxy of), so that a submitter that died leaves nothing behind also where no pool runs any
     * more (where one runs, the pool does the same, and reconciles).
     */
    void memberRemoved(UUID member) {
        try {
            timer.execute(() -> forgetSubmittersOf(member.toString()));
            // again a little later: a map this member had not heard of yet, a registration still under way, or a
            // pass that failed (partitions move as the member leaves)
            timer.schedule(() -> forgetSubmittersOf(member.toString()), DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void forgetSubmittersOf(String member) {
        if (!hz.getLifecycleService().isRunning()) {
            return;
        }
        Set<String> listed = new HashSet<>();
        List<IMap<?, ?>> maps = new ArrayList<>();
        for (DistributedObject object : hz.getDistributedObjects()) {
            String name = object.getName();
            listed.add(name);
            if (object instanceof IMap && name.startsWith(PREFIX) && name.endsWith(SUBMITTERS)) {
                maps.add((IMap<?, ?>) object);
            }
        }
        for (IMap<?, ?> submitters : maps) {
            String name = submitters.getName();
            forgetSubmittersOf(member, submitters, name.substring(0, name.length() - SUBMITTERS.length()));
            // Whether or not it deleted any: a check the member that left had yet to make (it could not have the
            // lock, and tried again later) is made by those that see it go. Only a pool whose map of the choice
            // this member lists: looking would make the map.
            if (listed.contains(JobsPlacement.mapName(JobsPlacement.poolOf(name)))) {
                checksDue.put(name, submitters);
            }
        }
        checkDue();
    }

    /** One pool's part of {@link #forgetSubmittersOf(String)}; a failure is this pool's alone. */
    private void forgetSubmittersOf(String member, IMap<?, ?> submitters, String pool) {
        try {
            forgetSubmittersOf(hz, submitters, pool + RESULTS, member);
        } catch (RuntimeException e) {
            log(Level.FINE, "workerpool: forgetting the submitters of member " + member + " in " + pool, e);
        }
    }

    /**
     * Checks the choice of jobs queue of every pool in {@link #checksDue} ({@link JobsPlacement#tryCheck}), waiting
     * at most {@value JobsPlacement#CHECK_WAIT_MILLIS} ms for each one's lock, so that a lock held long elsewhere
     * does not hold up this thread's sweeps; those it could not check (the lock not had, or an operation failed)
     * stay due and are tried again {@value JobsPlacement#CHECK_AGAIN_MILLIS} ms later, until each is checked or this
     * sweeper closes (or its member stops): then the members that see this one go check every pool. On the
     * sweeper's thread.
     */
    private void checkDue() {
        if (!hz.getLifecycleService().isRunning()) {
            checksDue.clear();
            return;
        }
        for (Iterator<IMap<?, ?>> it = checksDue.values().iterator(); it.hasNext();) {
            IMap<?, ?> submitters = it.next();
            try {
                if (JobsPlacement.tryCheck(hz, submitters, TimeUnit.MILLISECONDS.toNanos(
                        JobsPlacement.CHECK_WAIT_MILLIS))) {
                    it.remove();
                } else {
                    EngineHooks.run(EngineHooks.whileAwaitingPlacement);
                }
            } catch (InterruptedException e) { // closing
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log(Level.FINE, "workerpool: checking the choice of jobs queue of " + submitters.getName(), e);
            }
        }
        if (!checksDue.isEmpty() && !checkScheduled) {
            try {
                timer.schedule(() -> {
                    checkScheduled = false;
                    checkDue();
                }, JobsPlacement.CHECK_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
                checkScheduled = true;
            } catch (RejectedExecutionException e) {
                // closed
            }
        }
    }

    /**
     * Deletes from a pool's map of submitters those registered from {@code member}, and destroys their results
     * queues (named {@code resultsPrefix} and the submitter's id) that this member holds a proxy of, without making
     * any ({@link #destroyListedQueues}); also those of the submitters deleted before a failure, which it then
     * throws. For the sweeper, and for a pool running on this member when a member leaves. The caller then has the
     * pool's choice of jobs queue checked ({@link JobsPlacement#tryCheck}): the deleted submitters may have been
     * the last to use it. Blocks for the map's and the queues' operations only.
     *
     * @return whether it deleted any submitter
     */
    static boolean forgetSubmittersOf(HazelcastInstance hz, IMap<?, ?> submitters, String resultsPrefix,
            String member) {
        Set<String> queues = new HashSet<>();
        try {
            for (Map.Entry<?, ?> entry : submitters.entrySet()) {
                if (SubmitterView.registeredOn(String.valueOf(entry.getValue()), member)) {
                    submitters.delete(entry.getKey());
                    queues.add(resultsPrefix + entry.getKey());
                }
            }
        } finally {
            if (!queues.isEmpty()) {
                destroyListedQueues(hz, queues::contains);
            }
        }
        return !queues.isEmpty();
    }

    /** Destroys {@code queue} if its submitter is not registered; on the sweeper's thread. */
    private void sweep(String queue) {
        boolean destroyed = false;
        try {
            if (!hz.getLifecycleService().isRunning() || !unregistered(queue)) {
                return;
            }
            destroyed = destroyListedQueues(hz, queue::equals) > 0;
        } catch (RuntimeException e) {
            log(Level.FINE, "workerpool: sweeping results queue " + queue, e);
        } finally {
            BiConsumer<String, Boolean> hook = EngineHooks.afterSweeping;
            if (hook != null) {
                hook.accept(queue, destroyed);
            }
        }
    }

    /**
     * Destroys the queues this member holds a proxy of (as {@code hz.getDistributedObjects()} lists them) whose
     * name {@code destroy} accepts, without making any: {@code hz.getQueue(name).destroy()} makes the proxy first
     * if it is gone already, and when several members did that at once for a dead member's submitter, the event
     * that announced one member's proxy reached another member after the destroy and left the queue registered
     * there for good (seen in the fault test). One listing of the member's objects per call.
     *
     * @return how many it destroyed
     */
    static int destroyListedQueues(HazelcastInstance hz, Predicate<String> destroy) {
        int destroyed = 0;
        for (DistributedObject object : hz.getDistributedObjects()) {
            if (object instanceof IQueue && destroy.test(object.getName())) {
                object.destroy();
                destroyed++;
            }
        }
        return destroyed;
    }

    /**
     * Whether the queue's submitter is missing from its pool's map of submitters. A map this member holds no proxy
     * of is not made to find out (that would announce it); the queue is then left alone: every pool that starts
     * makes the map before its queue, so that is no pool's queue this member can judge.
     */
    private boolean unregistered(String queue) {
        String map = queue.substring(0, queue.lastIndexOf(RESULTS)) + SUBMITTERS;
        for (DistributedObject object : hz.getDistributedObjects()) {
            if (object instanceof IMap && object.getName().equals(map)) {
                return !((IMap<?, ?>) object).containsKey(submitterOf(queue));
            }
        }
        return false;
    }

    /**
     * Stops listening and sweeping; queues it had yet to look at are left (on a member that keeps running, the
     * other members' sweepers still look at them). Idempotent; also called when the member shuts down.
     */
    void close() {
        remove(registration, lifecycle, null);
    }

    /**
     * Stops the timer and removes the listeners registered as {@code objects} and {@code states} (either null:
     * none), each removal tried whatever the other throws. What a removal throws is logged, an {@link Error} thrown
     * once both have been tried (the first one: {@link Uncaught#firstError}); or, if the sweeper is removed because
     * {@code failure} failed its construction, added to it as suppressed ({@link Uncaught#addSuppressed}; logged as a
     * warning if it cannot be: nothing is added to an {@link OutOfMemoryError}).
     */
    private void remove(UUID objects, UUID states, Throwable failure) {
        timer.shutdownNow();
        Error error = null;
        try {
            if (objects != null && hz.getLifecycleService().isRunning()) {
                hz.removeDistributedObjectListener(objects);
            }
        } catch (RuntimeException | Error e) {
            error = removalFailed(e, failure, error);
        }
        try {
            if (states != null && hz.getLifecycleService().isRunning()) {
                hz.getLifecycleService().removeLifecycleListener(states);
            }
        } catch (RuntimeException | Error e) {
            error = removalFailed(e, failure, error);
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * Handles {@code e}, what a removal threw, as {@link #remove} says; returns the {@link Error} to throw once the
     * removals have been tried, {@code error} that of those before. Never throws.
     */
    private static Error removalFailed(Throwable e, Throwable failure, Error error) {
        if (failure != null) {
            Uncaught.suppress(LOG, failure, e, "workerpool: removing the results queue sweeper after its making "
                    + "failed", Uncaught.NOT_SUPPRESSED_IN_THAT);
        } else if (e instanceof Error thrown) {
            return Uncaught.firstError(LOG, error, thrown, "workerpool: removing the results queue sweeper",
                    Uncaught.NOT_SUPPRESSED_IN_THAT);
        } else {
            log(Level.FINE, "workerpool: removing the results queue sweeper", e);
        }
        return error;
    }

    private static void log(Level level, String what, Throwable e) {
        Uncaught.log(LOG, level, what, e);
    }
}
