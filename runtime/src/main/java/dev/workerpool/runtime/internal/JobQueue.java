package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

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

    /** For {@link #receive(int, long[], long)}: a receive that no {@link #wakeReceivers()} ends. */
    long UNWAKEABLE = -1;

    /**
     * As {@link #receive(int, long[])}, and also returns null, without taking a job, once {@link #wakeReceivers()}
     * has been called since {@link #wakeups()} returned {@code wakeups}: Go's {@code select} on the job channel
     * and a quit signal. A receive that finds a job takes it, woken or not. A pool that resizes reads
     * {@code wakeups()} before it checks whether a worker must retire, then receives with it: a shrink that the
     * check missed then ends the receive. The cost falls on waiting receivers only.
     *
     * @param wakeups what {@link #wakeups()} returned, or {@link #UNWAKEABLE}
     */
    J receive(int worker, long[] ticket, long wakeups) throws InterruptedException;

    /** How many times {@link #wakeReceivers()} has been called; starts at 0. */
    long wakeups();

    /**
     * Counts a wake-up in {@link #wakeups()}, then wakes every waiting receiver, so that each receive that read an
     * older count returns null (see {@link #receive(int, long[], long)}). Never blocks.
     */
    void wakeReceivers();

    /**
     * From now on a sender waiting for room yields its core only while {@code roomMayCome} says that a thread
     * that could make room runs, and otherwise parks at once ({@link Backoff}). Called before the queue is
     * shared; without it, senders always yield first.
     */
    default void sendersYieldWhile(BooleanSupplier roomMayCome) {
        // Senders always yield first.
    }

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
