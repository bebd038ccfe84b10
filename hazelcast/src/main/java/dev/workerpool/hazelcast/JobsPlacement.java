package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Which queue a pool's jobs go through, agreed by the members that run the pool: Hazelcast puts a queue on the
 * partition its name hashes to, and the pool's submitter puts one job at a time, waiting for each, so a jobs queue
 * on another member costs the submitter a network round trip per job, and one on its own member none (the workers
 * wait in polls of their own, in parallel, wherever the queue is).
 *
 * <p>So the first member of the cluster to submit to a pool picks the queue: {@code workerpool.N.jobs@K}, with
 * a partition key {@code K} whose partition it owns (Hazelcast configures such a queue by its name before the
 * {@code @}), or {@code workerpool.N.jobs} from a lite member, which owns no partition. The choice is the one entry
 * of the map {@code workerpool.N.placement}. It stays while any submitter of the pool is registered, and goes
 * with the last, with the queue: the last to deregister deletes both (or the member that forgets the last one of
 * a member that died), and the next member to submit picks again. Registering and reading the choice, picking it, and
 * deregistering the last submitter and deleting it happen under the entry's lock, so every registered member
 * uses the same queue: a member reads the choice as it registers, or hears of it (and reads it) once it is
 * made.
 *
 * <p>Only the speed depends on where the queue is: partitions move when members join or leave.
 */
final class JobsPlacement {
    /** The map's one key. */
    static final String KEY = "jobs";
    /** How long a member waits for the entry's lock before it fails its operation. */
    private static final long LOCK_SECONDS = 30;
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
     * {@link IllegalStateException} naming the pool if the lock is not had within {@value #LOCK_SECONDS} s.
     */
    static <T> T locked(IMap<String, String> placement, String pool, Supplier<T> action) {
        boolean locked;
        try {
            locked = placement.tryLock(KEY, LOCK_SECONDS, TimeUnit.SECONDS, LEASE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(pool + ": interrupted while agreeing on the jobs queue", e);
        }
        if (!locked) {
            throw new IllegalStateException(pool + ": the lock of " + placement.getName() + " was not had within "
                    + LOCK_SECONDS + " s");
        }
        try {
            return action.get();
        } finally {
            placement.unlock(KEY);
        }
    }

    /** The jobs queue picked for the pool, picking {@link #localQueue} if none is: under the lock. */
    static String pick(HazelcastInstance hz, IMap<String, String> placement, String pool) {
        return locked(placement, pool, () -> {
            String queue = placement.get(KEY);
            if (queue == null) {
                queue = localQueue(hz, pool);
                placement.set(KEY, queue);
            }
            return queue;
        });
    }

    /**
     * Runs {@code deregistration} (which deletes a submitter from {@code submitters}, the pool's map of them,
     * named {@code workerpool.N.submitters}), then, if no submitter of the pool is left, deletes the choice and
     * destroys the jobs queue: the jobs still in it are of submitters that died, whose results nobody reads, and
     * no worker takes them any more. Under the lock, so that no member registers meanwhile.
     */
    static void deregister(HazelcastInstance hz, IMap<?, ?> submitters, Runnable deregistration) {
        String pool = poolOf(submitters.getName());
        IMap<String, String> placement = hz.getMap(mapName(pool));
        locked(placement, pool, () -> {
            deregistration.run();
            if (submitters.isEmpty()) {
                String queue = placement.remove(KEY);
                if (queue != null) { // through the proxy this member lists, as the sweeper does, never making one
                    ResultsQueueSweeper.destroyListedQueues(hz, queue::equals);
                }
            }
            return null;
        });
    }

    /** The pool of a map of submitters, named {@code workerpool.N.submitters}. */
    private static String poolOf(String submittersMap) {
        return submittersMap.substring("workerpool.".length(), submittersMap.length() - ".submitters".length());
    }
}
