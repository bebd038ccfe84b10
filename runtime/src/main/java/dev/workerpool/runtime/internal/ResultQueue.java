package dev.workerpool.runtime.internal;

import java.util.function.BooleanSupplier;

/**
 * Where a pool's workers send results and its readers receive them: in completion order (a {@link Channel}, or
 * {@link Lanes}), in acceptance order ({@link OrderedResults}), or straight into {@code runAll}'s answer
 * ({@link RunAllResults}, which {@code runAll} makes itself; {@link Queues} chooses the others). Thread-safe.
 *
 * @param <R> the result type
 */
interface ResultQueue<R> {

    /**
     * Sends the result of the job with {@code ticket} (its position in the job queue's receive order; only
     * ordered queues read it), from worker {@code lane}, waiting while there is no room.
     */
    void send(int lane, long ticket, R result) throws InterruptedException;

    /** Sends a result without waiting, beyond the bound if need be (a timed-out job's, from the watchdog). */
    void sendNow(int lane, long ticket, R result);

    /** The next result, waiting for one; {@code null} once closed and empty. */
    R receive() throws InterruptedException;

    /**
     * The next result if it is there now (in an ordered queue: the next one due), without waiting for one to be
     * sent; {@code null} otherwise. For a reader that must not wait: one of the pool's own workers.
     */
    R receiveNow();

    /**
     * No more results will be sent (every worker has exited); wakes every reader. Returns whether this call closed
     * it.
     */
    boolean close();

    /** From now on sends never wait (the pool was cancelled). */
    void unbound();

    /** Results sent and not yet received. */
    int size();

    /**
     * Worker {@code lane}'s job, whose result the watchdog sent when it timed out, has returned. A queue that
     * could not take that result from the watchdog ({@link HandlerResults}) hands it over now, on the worker.
     */
    default void timedOutJobReturned(int lane) {
        // The result was sent at the deadline.
    }

    /**
     * The pool now has {@code workers} workers ({@code resize}). Only an ordered queue cares: its reorder window
     * is {@code workers + buffer}. The other queues keep the bound they were made with.
     */
    default void resized(int workers) {
        // The bound stays.
    }

    /**
     * From now on a reader waiting for a result yields its core only while {@code itemsMayCome} says that a
     * thread that could send one runs, and otherwise parks at once ({@link Backoff}). Called before the queue is
     * shared; without it (and in queues that wait otherwise), readers always yield first.
     */
    default void receiversYieldWhile(BooleanSupplier itemsMayCome) {
        // Readers wait as they always do.
    }

    /** Whether readers receive from this queue ({@code results()}); false when results go elsewhere. */
    default boolean readable() {
        return true;
    }
}
