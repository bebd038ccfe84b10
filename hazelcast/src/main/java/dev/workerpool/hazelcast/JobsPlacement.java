package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which queue a pool's jobs go through, agreed by the members that run the pool: Hazelcast puts a queue on the
 * partition its name hashes to, and the pool's submitter puts one job at a time, waiting for each, so a jobs queue
 * on another member costs the submitter a network round trip per job, and one on its own member none (the workers
 * wait in polls of their own, in parallel, wherever the queue is).
 *
 * <p>So the first member to submit to a pool picks the queue: {@code workerpool.N.jobs@K}, with a partition key
 * {@code K} whose partition it owns (Hazelcast configures such a queue by its name before the {@code @}), or
 * {@code workerpool.N.jobs} from a lite member, which owns no partition. The choice is the entry {@value #KEY} of
 * the map {@code workerpool.N.placement}; beside it, one entry per submitter that has submitted to the queue
 * ({@value #SUBMITTING}{@code <id>}), written under the lock as it first submits. A submitter never changes
 * queues: its jobs, and its reconciliation, stay in the one it first submitted to.
 *
 * <p>The choice goes, with the queue, when no submitter uses it any more: when no submitter of the pool is
 * registered at all (the jobs left in the queue are of submitters that died), or when none of those that have
 * submitted to it is left and it is empty (the serving members then wait for the next pick: the next submitter,
 * which may be on another member, puts the queue on its own). A submitter that deregisters checks it, and so does
 * a member that forgets the submitters of a member that died, and every member with a backend open whenever a
 * member leaves (which takes over a check the member that left had yet to make); those checks after a member left
 * wait for the lock only briefly and are tried again later until made ({@link #tryCheck}). Registering and reading
 * the choice, a first submit, and that check hold the lock of the {@value #KEY} entry, so no two submitters ever
 * put jobs in different queues;
 * a serving member follows the choice through an entry listener, and reads it every few seconds in case an event
 * was missed (a serving member's idle workers poll an empty queue until then).
 *
 * <p>Only the speed depends on where the queue is: partitions move when members join or leave.
 */
final class JobsPlacement {
    /** The key of the choice. */
    static final String KEY = "jobs";
    /** The prefix of the keys of the submitters that have submitted to the chosen queue. */
    static final String SUBMITTING = "submitting:";
    /**
     * How long a member waits for the entry's lock before it fails its operation (a first submit whose caller
     * allows less waits less: {@link #tryPick}).
     */
    static final long LOCK_SECONDS = 30;
    /**
     * How long a check after a member left ({@link #tryCheck}) waits for the lock at a time, on a thread that has
     * other work: a pool's maintenance thread, a sweeper's.
     */
    static final long CHECK_WAIT_MILLIS = 100;
    /** How long after a check that did not have the lock it is tried again. */
    static final long CHECK_AGAIN_MILLIS = 1_000;
    /** How long a lock is held at most, if its holder does not release it (a member that dies releases its own). */
    private static final long LEASE_SECONDS = 60;
    /** How many partition keys {@link #localQueue} tries. */
    private static final int KEYS_TRIED = 1_024;
    private static final String SUFFIX = ".placement";

    private JobsPlacement() {
    }

    /** The name of the map that holds pool {@code pool}'s choice. */
    static String mapName(String pool) {
        return "workerpool." + pool + SUFFIX;
    }

    /** The name the pool's jobs queues are configured by, and the one used where no member owns a partition. */
    static String baseName(String pool) {
        return "workerpool." + pool + ".jobs";
    }

    /** The jobs queue pool {@code pool} uses on the cluster of {@code hz}, or null while none is picked. */
    static String current(HazelcastInstance hz, String pool) {
        return hz.<String, String>getMap(mapName(pool)).get(KEY);
    }

    /**
     * A jobs queue for pool {@code pool} on a partition this member owns: the first key {@code 0, 1, ...} whose
     * partition it owns, or, on a lite member (or if none of {@value #KEYS_TRIED} is), the base name.
     */
    static String localQueue(HazelcastInstance hz, String pool) {
        if (!hz.getCluster().getLocalMember().isLiteMember()) {
            for (int key = 0; key < KEYS_TRIED; key++) {
                Member owner = hz.getPartitionService().getPartition(String.valueOf(key)).getOwner();
                if (owner != null && owner.localMember()) {
                    return baseName(pool) + "@" + key;
                }
            }
        }
        return baseName(pool);
    }

    /**
     * Runs {@code action} holding the lock of the choice's entry, and returns what it returns; fails with an
     * {@link IllegalStateException} naming the pool if the lock is not had within {@value #LOCK_SECONDS} s, or if
     * the thread is interrupted while it waits (its interrupt status then set).
     */
    static <T> T locked(IMap<String, String> placement, String pool, Supplier<T> action) {
        return locked(placement, pool, TimeUnit.SECONDS.toNanos(LOCK_SECONDS), "", action);
    }

    /**
     * {@link #locked(IMap, String, Supplier)}, waiting at most {@code waitNanos} for the lock (at most
     * {@value #LOCK_SECONDS} s in any case): for a pool's start, which its backend's timeout bounds. Thread-safe;
     * blocks at most that long for the lock, and then for the operations under it.
     *
     * @param failed what the message of a failure to have the lock says after the pool's name ({@code ""}:
     *               nothing), such as what failed for want of it
     * @throws IllegalStateException naming the pool and the wait, if the lock was not had in time ({@code action}
     *                               not run), or if the thread was interrupted while it waited
     */
    static <T> T locked(IMap<String, String> placement, String pool, long waitNanos, String failed,
            Supplier<T> action) {
        long wait = Math.max(0, Math.min(waitNanos, TimeUnit.SECONDS.toNanos(LOCK_SECONDS)));
        try {
            if (!placement.tryLock(KEY, wait, TimeUnit.NANOSECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(pool + ": " + (failed.isEmpty() ? "" : failed + ": ") + notHad(wait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(pool + ": interrupted while agreeing on the jobs queue", e);
        }
        try {
            return action.get();
        } finally {
            placement.unlock(KEY);
        }
    }

    /**
     * What a failure to have the lock within {@code waitNanos} says, without the pool's name: the message it ends
     * names the pool once, first.
     */
    static String notHad(long waitNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(waitNanos);
        return "the lock of the pool's choice of jobs queue was not had within "
                + (millis % 1_000 == 0 ? millis / 1_000 + " s" : millis + " ms");
    }

    /**
     * For a submitter's first submit: the jobs queue picked for the pool, picking {@link #localQueue} if none is,
     * and the submitter recorded as submitting to it; under the lock, which it waits for at most {@code waitNanos}
     * (0 or less: it only tries it, without waiting). The caller waits in slices of its choosing, so that a
     * deadline, an interrupt or a close of its own is noticed between them. Thread-safe; blocks at most
     * {@code waitNanos} for the lock, and then for the operations under it.
     *
     * @return the queue, or null if the lock was not had within {@code waitNanos} (nothing recorded)
     * @throws InterruptedException if interrupted while it waits for the lock
     */
    static String tryPick(HazelcastInstance hz, IMap<String, String> placement, String pool, String submitter,
            long waitNanos) throws InterruptedException {
        if (!placement.tryLock(KEY, Math.max(0, waitNanos), TimeUnit.NANOSECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
            return null;
        }
        try {
            String queue = placement.get(KEY);
            if (queue == null) {
                queue = localQueue(hz, pool);
                placement.set(KEY, queue);
            }
            placement.set(SUBMITTING + submitter, queue);
            return queue;
        } finally {
            placement.unlock(KEY);
        }
    }

    /**
     * Runs {@code deregistration} (which deletes submitters from {@code submitters}, the pool's map of them, named
     * {@code workerpool.N.submitters}), then checks the pool's choice of jobs queue ({@link #check}). Under the lock,
     * which it waits for at most {@value #LOCK_SECONDS} s, so that no member registers or first submits meanwhile; a
     * submitter registers before it can submit, so one that is not registered has no job to come. For a pool's own
     * end, on the thread that ends it.
     *
     * @throws IllegalStateException if the lock is not had within {@value #LOCK_SECONDS} s (nothing run), or the
     *                               thread is interrupted while it waits
     */
    static void deregister(HazelcastInstance hz, IMap<?, ?> submitters, Runnable deregistration) {
        String pool = poolOf(submitters.getName());
        IMap<String, String> placement = hz.getMap(mapName(pool));
        locked(placement, pool, () -> {
            deregistration.run();
            check(hz, placement, pool, submitters);
            return null;
        });
    }

    /**
     * The check of {@link #deregister} alone, for a member that has forgotten a dead member's submitters (or may
     * have: the deletion failed) or takes over the checks a member that left may have left undone: it waits at most
     * {@code waitNanos} for the lock (0 or less: one try), so that it does not hold up the thread it runs on (a
     * pool's maintenance thread, a sweeper's), which tries again later if the lock was not had. Thread-safe; blocks
     * at most {@code waitNanos} for the lock, and then for the operations under it. The check may run any number of
     * times: each looks at the cluster as it is then.
     *
     * @return whether it had the lock, and checked
     * @throws InterruptedException if interrupted while it waits for the lock
     */
    static boolean tryCheck(HazelcastInstance hz, IMap<?, ?> submitters, long waitNanos) throws InterruptedException {
        String pool = poolOf(submitters.getName());
        IMap<String, String> placement = hz.getMap(mapName(pool));
        if (!placement.tryLock(KEY, Math.max(0, waitNanos), TimeUnit.NANOSECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
            return false;
        }
        try {
            check(hz, placement, pool, submitters);
            return true;
        } finally {
            placement.unlock(KEY);
        }
    }

    /**
     * Forgets as submitting every submitter no longer registered (also one left behind by a cleanup that failed, or
     * by a member that died while it deregistered); then, if no submitter of the pool is registered, or none that
     * submitted to the queue is left and the queue is empty, deletes the choice and destroys the queue (no submitter
     * that is left has a job in it). A queue that still holds jobs here (a dead submitter's, or a job run twice)
     * keeps the choice until the next check. Under the lock of the choice's entry.
     */
    private static void check(HazelcastInstance hz, IMap<String, String> placement, String pool,
            IMap<?, ?> submitters) {
        Set<?> registered = submitters.keySet();
        boolean submitting = false;
        for (String key : placement.keySet()) {
            if (key.startsWith(SUBMITTING)) {
                if (registered.contains(key.substring(SUBMITTING.length()))) {
                    submitting = true;
                } else {
                    placement.delete(key);
                }
            }
        }
        String queue = placement.get(KEY);
        boolean dropped = false;
        int keptFor = 0;
        if (queue != null && (registered.isEmpty() || !submitting)) {
            // read and destroyed through the proxy this member lists (every member hears of every queue made),
            // never making one; a queue it does not list was not made
            IQueue<?> listed = listed(hz, queue);
            int jobs = registered.isEmpty() || listed == null ? 0 : listed.size();
            if (jobs == 0) {
                placement.delete(KEY);
                if (listed != null) {
                    listed.destroy();
                }
                dropped = true;
            } else {
                keptFor = jobs;
            }
        }
        EngineHooks.PlacementHook hook = EngineHooks.afterPlacementCheck;
        if (hook != null) {
            hook.checked(pool, queue, dropped, keptFor);
        }
    }

    /** This member's proxy of the queue {@code queue}, as {@code hz.getDistributedObjects()} lists it, or null. */
    private static IQueue<?> listed(HazelcastInstance hz, String queue) {
        for (DistributedObject object : hz.getDistributedObjects()) {
            if (object instanceof IQueue<?> listed && object.getName().equals(queue)) {
                return listed;
            }
        }
        return null;
    }

    /**
     * Reads the choice under the lock, makes this member's proxy of the queue while no member can drop it (made
     * after a drop, the proxy would announce the queue again, and stay), and hands it to {@code follow} there
     * (null if there is no choice). Waits at most {@code waitNanos} for the lock: a serving member's maintenance
     * thread reads the choice, and must not wait long (its receiver has it read again a few seconds later).
     * Thread-safe; blocks at most {@code waitNanos} for the lock, and then for the operations under it.
     *
     * @return whether it had the lock ({@code follow} is called only then)
     * @throws InterruptedException if interrupted while it waits for the lock
     */
    static <E> boolean tryChosen(HazelcastInstance hz, IMap<String, String> placement, long waitNanos,
            Consumer<IQueue<E>> follow) throws InterruptedException {
        if (!placement.tryLock(KEY, Math.max(0, waitNanos), TimeUnit.NANOSECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
            return false;
        }
        try {
            String queue = placement.get(KEY);
            follow.accept(queue == null ? null : hz.<E>getQueue(queue));
            return true;
        } finally {
            placement.unlock(KEY);
        }
    }

    /**
     * {@link #destroyUnchosen} under the lock of the choice, which it waits for at most {@code waitNanos} (0 or
     * less: one try), so that it does not hold up the thread it runs on (a pool's maintenance thread, which tries
     * again later if the lock was not had). Thread-safe; blocks at most {@code waitNanos} for the lock, and then for
     * the operations under it.
     *
     * @return whether it had the lock, and destroyed them
     * @throws InterruptedException if interrupted while it waits for the lock
     */
    static boolean tryDestroyUnchosen(IMap<String, String> placement, Collection<? extends IQueue<?>> queues,
            long waitNanos) throws InterruptedException {
        if (!placement.tryLock(KEY, Math.max(0, waitNanos), TimeUnit.NANOSECONDS, LEASE_SECONDS, TimeUnit.SECONDS)) {
            return false;
        }
        try {
            destroyUnchosen(placement, queues);
            return true;
        } finally {
            placement.unlock(KEY);
        }
    }

    /**
     * Destroys, through the given proxies, the jobs queues of {@code queues} (proxies of queues a member no longer
     * uses, none of its takes or looks still under way) that are not the pool's choice (one chosen again is in use).
     * A queue that is not the choice was dropped, and no submitter
     * puts jobs in it (a submitter keeps the queue it first submitted to, and the choice stays while it is
     * registered); but a {@code poll} or {@code size} of a member that had not yet heard of the drop, through its
     * proxy, made its storage again on its partition's owner, listed nowhere, and only such a destroy removes it
     * (never {@code hz.getQueue(name).destroy()}, which would make a proxy that announces it). A queue that is not
     * there is not made by it. Under the lock of the choice's entry.
     */
    static void destroyUnchosen(IMap<String, String> placement, Collection<? extends IQueue<?>> queues) {
        String chosen = placement.get(KEY);
        for (IQueue<?> queue : queues) {
            if (!queue.getName().equals(chosen)) {
                queue.destroy();
            }
        }
    }

    /** The pool of a map of submitters, named {@code workerpool.N.submitters}. */
    static String poolOf(String submittersMap) {
        return submittersMap.substring("workerpool.".length(), submittersMap.length() - ".submitters".length());
    }
}
