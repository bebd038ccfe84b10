package dev.workerpool.runtime;

import java.time.Duration;

/**
 * Where a pool's producers put jobs and its workers take them: one {@link Channel} ({@link #of(Channel)}), or
 * a lane per worker ({@link #laned}). Thread-safe; the semantics of each method are the channel's.
 *
 * @param <J> the job type
 */
interface JobQueue<J> {

    /** Puts a job, waiting for room. @throws ChannelClosedException if closed (the job was not accepted) */
    void send(J job) throws InterruptedException;

    /** Puts a job only if there is room now. @throws ChannelClosedException if closed */
    boolean trySend(J job);

    /** Puts a job, waiting at most {@code timeout} for room. @throws ChannelClosedException if closed */
    boolean trySend(J job, Duration timeout) throws InterruptedException;

    /**
     * The next job for worker {@code worker}, waiting for one; null once closed and drained. {@code ticket}, if
     * not null, receives the job's position in the receive order (only {@link #of(Channel)} supports it).
     */
    J receive(int worker, long[] ticket) throws InterruptedException;

    /** No more jobs. @return whether this call closed the queue */
    boolean close();

    boolean isClosed();

    /** Jobs waiting: a snapshot. */
    int size();

    /** The most jobs that have waited at once. */
    int highWaterMark();

    /** Jobs ever accepted. */
    long sent();

    /** One channel, shared by every producer and worker; the only kind that gives tickets (ordered pools). */
    static <J> JobQueue<J> of(Channel<J> channel) {
        return new JobQueue<>() {
            @Override
            public void send(J job) throws InterruptedException {
                channel.send(job);
            }

            @Override
            public boolean trySend(J job) {
                return channel.trySend(job);
            }

            @Override
            public boolean trySend(J job, Duration timeout) throws InterruptedException {
                return channel.trySend(job, timeout);
            }

            @Override
            public J receive(int worker, long[] ticket) throws InterruptedException {
                return ticket != null ? channel.receive(ticket) : channel.receive();
            }

            @Override
            public boolean close() {
                return channel.close();
            }

            @Override
            public boolean isClosed() {
                return channel.isClosed();
            }

            @Override
            public int size() {
                return channel.size();
            }

            @Override
            public int highWaterMark() {
                return channel.highWaterMark();
            }

            @Override
            public long sent() {
                return channel.sent();
            }
        };
    }

    /**
     * A lane per worker ({@link Lanes}): producers spread jobs over the lanes in turn, each worker takes from its
     * own lane first and from the others when its own is empty, so a job never waits while a worker idles. No
     * tickets: for unordered pools only.
     */
    static <J> JobQueue<J> laned(String name, int workers, int capacity) {
        Lanes<J> lanes = new Lanes<>(name, workers, capacity, true);
        return new JobQueue<>() {
            @Override
            public void send(J job) throws InterruptedException {
                lanes.putUntil(Lanes.ANY, job, Timeouts.NONE);
            }

            @Override
            public boolean trySend(J job) {
                return lanes.tryPut(Lanes.ANY, job);
            }

            @Override
            public boolean trySend(J job, Duration timeout) throws InterruptedException {
                return lanes.putUntil(Lanes.ANY, job, Timeouts.deadline(timeout));
            }

            @Override
            public J receive(int worker, long[] ticket) throws InterruptedException {
                if (ticket != null) {
                    throw new IllegalStateException("laned job queues give no tickets");
                }
                return lanes.takeUntil(worker % lanes.lanes(), Timeouts.NONE);
            }

            @Override
            public boolean close() {
                return lanes.close();
            }

            @Override
            public boolean isClosed() {
                return lanes.isClosed();
            }

            @Override
            public int size() {
                return lanes.size();
            }

            @Override
            public int highWaterMark() {
                return lanes.highWaterMark();
            }

            @Override
            public long sent() {
                return lanes.sent();
            }
        };
    }
}
