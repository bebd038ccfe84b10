package dev.workerpool.hazelcast;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The submitters a member has heard are gone, so that a job of one that is still in the jobs queue is discarded
 * without asking the cluster again. Kept for at least {@link #KEEP_NANOS} each, and pruned once there are more
 * than {@link #KEEP_AT_MOST}: a member that serves for months, while short-lived submitters come and go, keeps
 * at most the larger of {@link #KEEP_AT_MOST} and the number of submitters that end within {@link #KEEP_NANOS},
 * not every one it ever heard of. A submitter forgotten this way is simply asked of the cluster again.
 * Thread-safe; {@link #prune} is called by one thread at a time.
 */
final class GoneSubmitters {
    /** How long a gone submitter is remembered at least. */
    static final long KEEP_NANOS = TimeUnit.HOURS.toNanos(1);
    /** How many gone submitters are remembered before older ones are pruned. */
    static final int KEEP_AT_MOST = 10_000;

    private final ConcurrentHashMap<String, Long> heardAt = new ConcurrentHashMap<>();

    /** Remembers {@code submitter} as gone, heard at {@code nanoTime}. */
    void add(String submitter, long nanoTime) {
        heardAt.put(submitter, nanoTime);
    }

    boolean contains(String submitter) {
        return heardAt.containsKey(submitter);
    }

    int size() {
        return heardAt.size();
    }

    /** Forgets the submitters heard gone more than {@link #KEEP_NANOS} before {@code nanoTime}, if there are many. */
    void prune(long nanoTime) {
        if (heardAt.size() > KEEP_AT_MOST) {
            heardAt.values().removeIf(at -> nanoTime - at > KEEP_NANOS);
        }
    }
}
