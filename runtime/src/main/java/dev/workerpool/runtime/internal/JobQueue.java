package dev.workerpool.runtime.internal;

import java.time.Duration;

/**
 * Where a pool's producers send jobs and its workers receive them: a {@link Channel} (one FIFO queue) or
 * {@link Lanes} (a lane per worker). Chosen by {@link Queues}. Thread-safe; each method is the implementing
 * queue's own, so a submit goes straight from the engine to the queue.
 *
 * @param <J> the job type
 */
interface JobQueue<J> {

    /**
     * Sends a job, waiting for room.
     *
     * @throws ChannelClosedException if closed (the job was not accepted)
     * @throws InterruptedException   if interrupted (the job was not accepted)
     */
    void send(J job) throws InterruptedException;

    /**
     * Sends a job only if there is room now.
     *
     * @throws ChannelClosedException if closed
     */
    boolean trySend(J job);

    /**
     * Sends a job, waiting at most {@code timeout} for room.
     *
     * @throws ChannelClosedException if closed
     * @throws InterruptedException   if interrupted (the job was not accepted)
     */
    boolean trySend(J job, Duration timeout) throws InterruptedException;

    /**
     * The next job for worker {@code worker}, waiting for one; null once closed and drained. {@code ticket}, if
     * not null, receives the job's position in the receive order: only a {@link Channel} gives tickets, which is
     * why ordered pools never have lanes.
     */
    J receive(int worker, long[] ticket) throws InterruptedException;

    /** No more jobs; wakes every waiter. Returns whether this call closed the queue. */
    boolean close();

    /** Whether {@link #close()} has been called. */
    boolean isClosed();

    /** Jobs waiting: a snapshot. */
    int size();

    /** The most jobs that have waited at once. */
    int highWaterMark();

    /** Jobs ever accepted. */
    long sent();
}
