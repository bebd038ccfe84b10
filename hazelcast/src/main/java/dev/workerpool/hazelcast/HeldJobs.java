package dev.workerpool.hazelcast;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/**
 * Which jobs one member's workers of a pool hold (taken from the jobs queue, their results not yet sent or delivered),
 * and the takes under way that may be about to hold one: what the member answers when a submitter asks what it holds
 * ({@link InFlightQuery}). A job is in the jobs queue, taken by a take under way, held here, or answered: an asker
 * that did not find it in the queue first waits for the takes under way ({@link #heldOf}), so it finds it here. Also
 * the limit on the takes under way at once ({@link HazelcastEngine#MAX_TAKES}), whose permits the idle workers beyond
 * it wait for.
 *
 * <p>Thread-safe: the held jobs are a concurrent set, added to by the worker that took a job and removed from by the
 * thread that sends or delivers its result ({@link ResultSender}); each worker's take is an element of an atomic
 * array that only that worker writes (odd while its take is under way); the permits are a semaphore. Read by any
 * thread: a query's, the maintenance thread before it destroys a retired jobs queue ({@link #awaitUnderWay}).
 */
final class HeldJobs implements JobsQueueFollower.Takes {
    /** The jobs held ({@link Wire.JobItem#id()}): taken, their results not yet sent or delivered. */
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    /**
     * Per worker, odd while its take is under way: a job its {@code poll} has taken out of the queue is not yet in
     * {@link #ids}. A member asked what it holds waits for these ({@link #heldOf}).
     */
    private final AtomicLongArray takes;
    /** A worker holds one while it takes: at most {@link HazelcastEngine#MAX_TAKES} polls under way. */
    private final Semaphore permits;

    /** Nothing held, for {@code workers} workers, of which at most {@link HazelcastEngine#MAX_TAKES} take at once. */
    HeldJobs(int workers) {
        this.takes = new AtomicLongArray(workers);
        this.permits = new Semaphore(Math.min(workers, HazelcastEngine.MAX_TAKES));
    }

    /** How many workers' takes this records. */
    int workers() {
        return takes.length();
    }

    /**
     * Waits up to {@code millis} for a permit to take; whether it has one (then {@link #startTake} and
     * {@link #endTake} follow, which gives it back). On a worker.
     */
    boolean tryAcquirePermit(long millis) throws InterruptedException {
        return permits.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** Worker {@code worker}'s take is under way: what it takes is not held yet. On that worker, with a permit. */
    void startTake(int worker) {
        takes.incrementAndGet(worker);
    }

    /** Worker {@code worker}'s take has taken job {@code id}: held from now on. On that worker, during its take. */
    void hold(String id) {
        ids.add(id);
    }

    /**
     * Worker {@code worker}'s take has ended, with what it took held ({@link #hold}), if anything; gives its permit
     * back. On that worker.
     */
    void endTake(int worker) {
        takes.incrementAndGet(worker);
        permits.release();
    }

    /** Job {@code id}'s result has been sent or delivered: no longer held. Any thread. */
    void forget(String id) {
        ids.remove(id);
    }

    /**
     * The sequence numbers of {@code submitter}'s jobs held, once the takes under way when asked have recorded what
     * they took (until {@code deadline}, a {@code nanoTime}): a job the asker did not find in the jobs queue may have
     * been taken out of it, and not be held yet. On a query's thread.
     */
    LongStream heldOf(String submitter, long deadline) {
        awaitUnderWay(deadline, EngineHooks.whileAwaitingTakes);
        String mine = submitter + "/";
        return ids.stream().filter(id -> id.startsWith(mine)).mapToLong(id -> Long.parseLong(id.substring(
                mine.length())));
    }

    /**
     * Waits until every take under way now has ended, or {@code deadline} (a {@code nanoTime}); whether done. On the
     * maintenance thread, before it destroys a jobs queue this member no longer uses.
     */
    @Override
    public boolean awaitUnderWay(long deadline) {
        return awaitUnderWay(deadline, null);
    }

    /**
     * Reads every worker's take first, then waits for those under way: about one poll's time in all.
     *
     * @param hook run once if it waits for a take under way, unless null
     * @return whether every take under way at first has ended (false: {@code deadline} came first)
     */
    private boolean awaitUnderWay(long deadline, Runnable hook) {
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
}
