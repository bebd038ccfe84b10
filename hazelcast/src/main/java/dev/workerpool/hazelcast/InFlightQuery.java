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
 * a batch of jobs costs no cluster operation.
 */
final class InFlightQuery implements Callable<long[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;
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
