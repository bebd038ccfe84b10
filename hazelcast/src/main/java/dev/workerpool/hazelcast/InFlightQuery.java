package dev.workerpool.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks a member which jobs of one submitter its workers hold: taken from the jobs queue, and not yet answered
 * in the submitter's results queue (or, on the submitter's own member, delivered in place). Sent to every member
 * by a submitter that reconciles or cancels; the member finds its engines of the pool through its Hazelcast user
 * context, where {@link HazelcastBackend} registers itself. Members keep what they hold in memory only, so taking
 * a batch of jobs costs no cluster operation. An answer that holds {@link #INCOMPLETE} is not complete.
 *
 * <p>Threads: made by the asking thread, called once on a thread of the answering member's executor; its state is
 * set before it is sent, and the instance once before the call.
 */
final class InFlightQuery implements Callable<long[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;
    /**
     * Among the numbers a member answers, says that its answer is not complete: a take under way on it had not
     * recorded what it took when the member's wait for it ended ({@link HeldJobs#heldOf}), so a job may be held there
     * that the answer does not list. No job has this sequence number (they count from 1), so a member of an earlier
     * version, which does not know it, reads it as a job held that is never pending, and the answer as it did before;
     * a member of this version takes such an answer for one the member did not give
     * ({@link Reconciler}: a stall's look then counts no job as lost untold).
     */
    static final long INCOMPLETE = Long.MIN_VALUE;
    /** The user-context key of a member's backends. */
    private static final String BACKENDS = "dev.workerpool.hazelcast.backends";

    private final String pool;
    private final String submitter;
    private transient HazelcastInstance instance;

    InFlightQuery(String pool, String submitter) {
        this.pool = pool;
        this.submitter = submitter;
    }

    /** Makes {@code backend} findable by the queries that reach its member. */
    static void register(HazelcastBackend backend) {
        backends(backend.hazelcast()).add(backend);
    }

    static void unregister(HazelcastBackend backend) {
        backends(backend.hazelcast()).remove(backend);
    }

    @SuppressWarnings("unchecked")
    private static Set<HazelcastBackend> backends(HazelcastInstance instance) {
        ConcurrentMap<String, Object> context = instance.getUserContext();
        return (Set<HazelcastBackend>) context.computeIfAbsent(BACKENDS, k -> ConcurrentHashMap.newKeySet());
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public long[] call() {
        if (instance == null) {
            return new long[0];
        }
        // one deadline for all of this member's engines of the pool: the asker waits only so long
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HazelcastEngine.TAKES_WAIT_MILLIS);
        return backends(instance).stream().flatMap(HazelcastBackend::engines)
                .filter(engine -> engine.name().equals(pool))
                .flatMapToLong(engine -> engine.heldOf(submitter, deadline)).toArray();
    }
}
