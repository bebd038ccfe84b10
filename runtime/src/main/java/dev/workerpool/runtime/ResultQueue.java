package dev.workerpool.runtime;

/**
 * Where a pool's workers put results and its readers take them: in completion order (a bounded
 * {@link Channel}, see {@link #inCompletionOrder}, or {@link Lanes}, see {@link #laned}) or in acceptance order
 * ({@link OrderedResults}). Thread-safe.
 *
 * @param <R> the result type
 */
interface ResultQueue<R> {

    /**
     * Stores the result of the job received {@code seq}-th, by worker {@code lane} (0-based), waiting while
     * there is no room.
     */
    void put(int lane, long seq, R result) throws InterruptedException;

    /** Stores a result without waiting, beyond the bound if need be (a timed-out job's, from the watchdog). */
    void putNow(int lane, long seq, R result);

    /** The next result, waiting for one; {@code null} once closed and empty. */
    R take() throws InterruptedException;

    /** No more results will be put (every worker has exited). */
    void close();

    /** From now on puts never wait (the pool was cancelled). */
    void unbound();

    /** Results stored and not yet taken. */
    int size();

    /**
     * Results in completion order through {@link Lanes}, one per worker: each worker stores into its own lane
     * first, and readers take from the lanes in turn. Sequence numbers are ignored.
     */
    static <R> ResultQueue<R> laned(String name, int workers, int capacity) {
        Lanes<R> lanes = new Lanes<>(name, workers, capacity, false);
        return new ResultQueue<>() {
            @Override
            public void put(int lane, long seq, R result) throws InterruptedException {
                lanes.putUntil(lane, result, Timeouts.NONE);
            }

            @Override
            public void putNow(int lane, long seq, R result) {
                lanes.putNow(lane, result);
            }

            @Override
            public R take() throws InterruptedException {
                return lanes.takeUntil(Lanes.ANY, Timeouts.NONE);
            }

            @Override
            public void close() {
                lanes.close();
            }

            @Override
            public void unbound() {
                lanes.unbound();
            }

            @Override
            public int size() {
                return lanes.size();
            }
        };
    }

    /** Results in completion order, through a channel of {@code capacity}; sequence numbers are ignored. */
    static <R> ResultQueue<R> inCompletionOrder(String name, int capacity) {
        Channel<R> channel = new Channel<>(name, capacity);
        return new ResultQueue<>() {
            @Override
            public void put(int lane, long seq, R result) throws InterruptedException {
                channel.send(result);
            }

            @Override
            public void putNow(int lane, long seq, R result) {
                channel.sendBeyondCapacity(result);
            }

            @Override
            public R take() throws InterruptedException {
                return channel.receive();
            }

            @Override
            public void close() {
                channel.close();
            }

            @Override
            public void unbound() {
                channel.unbound();
            }

            @Override
            public int size() {
                return channel.size();
            }
        };
    }
}
