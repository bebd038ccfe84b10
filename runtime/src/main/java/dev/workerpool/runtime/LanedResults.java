package dev.workerpool.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The result queue of an unordered pool of several workers: one {@link Channel} (a "lane") per worker, so that
 * workers do not contend with each other to store a result, and readers take from the lanes in turn.
 *
 * <ul>
 *   <li><b>Why.</b> With one shared result channel, every result is a compare-and-set on the same tail, written by
 *       all the workers: on a small machine that is a cache-line transfer between cores per result (BENCHMARKS.md,
 *       session 5). A worker that stores into its own lane keeps that lane's tail in its own cache.</li>
 *   <li><b>Bound.</b> The lanes hold {@code capacity} results in all, exactly as one channel would: lane
 *       {@code i} has {@code capacity / lanes} slots, plus one for the first {@code capacity % lanes} lanes.
 *       A worker whose lane is full stores into any other lane with room (then it contends, but only while the
 *       readers are behind), so a worker waits only when all {@code capacity} slots are taken: the same
 *       "workers wait when {@code workers + buffer} results are unread" rule as with one channel.</li>
 *   <li><b>Order.</b> Each lane is FIFO. A reader takes from the lanes round-robin (one result per lane,
 *       starting after the lane it last took from), so no lane waits behind another's backlog. Results that
 *       wait unread together may therefore come out in a different order from the one they were stored in;
 *       results read as they arrive come out in completion order.</li>
 *   <li><b>Waiting.</b> Both sides spin/yield as a channel does (for the first yields, waiting for a batch: a
 *       lane holding half its share, or a lane with half its share free), then park on this queue's own lock,
 *       after registering in {@code parkedReaders} or {@code parkedWriters} and re-checking every lane. The
 *       other side reads that counter after its store or take, which publishes a slot's stamp first (both
 *       volatile), so either the parker sees the change or the other side sees the parker and signals it: no
 *       lost wake-up. While nobody is parked, no lock is taken. The lanes' own waiting is never used.</li>
 * </ul>
 *
 * @param <R> the result type
 */
final class LanedResults<R> implements ResultQueue<R> {

    private static final int PATIENCE = Integer.getInteger("dev.workerpool.patience", 8);

    private final Channel<R>[] lanes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final AtomicInteger parkedReaders = new AtomicInteger();
    private final AtomicInteger parkedWriters = new AtomicInteger();
    private final BooleanSupplier hasOne = () -> anyLaneHolds(1);
    private final BooleanSupplier hasBatch;
    private final BooleanSupplier hasRoom = () -> anyLaneHasRoom(1);
    private final BooleanSupplier hasRoomForBatch;
    /** The lane a reader tries first; a hint, read and written without synchronization. */
    private int next;

    /**
     * @param name     names the lanes (in exception messages only)
     * @param lanes    one per worker
     * @param capacity the results all lanes hold together; at least {@code lanes}
     */
    @SuppressWarnings("unchecked")
    LanedResults(String name, int lanes, int capacity) {
        if (lanes < 1 || capacity < lanes) {
            throw new IllegalArgumentException(name + ": needs at least one result slot per lane, had " + capacity
                    + " for " + lanes + " lanes");
        }
        int divisor = Integer.getInteger("dev.workerpool.batch", 2);
        int batch = divisor <= 0 ? 1 : Math.max(1, capacity / lanes / divisor);
        this.hasBatch = () -> anyLaneHolds(batch);
        this.hasRoomForBatch = () -> anyLaneHasRoom(batch);
        this.lanes = new Channel[lanes];
        for (int i = 0; i < lanes; i++) {
            int share = capacity / lanes + (i < capacity % lanes ? 1 : 0);
            this.lanes[i] = new Channel<>(name + " (lane " + (i + 1) + ")", share);
        }
    }

    @Override
    public void put(int lane, long seq, R result) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        while (!offer(lane, result)) {
            if (!ChannelCore.spinUntil(hasRoomForBatch, hasRoom, PATIENCE)) {
                park(notFull, parkedWriters, hasRoom);
            }
        }
        wake(parkedReaders, notEmpty);
    }

    @Override
    public void putNow(int lane, long seq, R result) {
        lanes[lane].sendBeyondCapacity(result);
        wake(parkedReaders, notEmpty);
    }

    @Override
    public R take() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        for (;;) {
            R result = poll();
            if (result != null) {
                wake(parkedWriters, notFull);
                return result;
            }
            if (drained()) {
                return null;
            }
            if (!ChannelCore.spinUntil(hasBatch, hasOne, PATIENCE)) {
                park(notEmpty, parkedReaders, hasOne);
            }
        }
    }

    @Override
    public void close() {
        for (Channel<R> lane : lanes) {
            lane.close();
        }
        signalAll();
    }

    @Override
    public void unbound() {
        for (Channel<R> lane : lanes) {
            lane.unbound();
        }
        signalAll();
    }

    @Override
    public int size() {
        int size = 0;
        for (Channel<R> lane : lanes) {
            size += lane.size();
        }
        return size;
    }

    /** Stores into the worker's own lane, or else into the first other lane with room; false if all are full. */
    private boolean offer(int lane, R result) {
        int n = lanes.length;
        for (int k = 0; k < n; k++) {
            int i = lane + k < n ? lane + k : lane + k - n;
            if (lanes[i].trySend(result)) {
                return true;
            }
        }
        return false;
    }

    /** One result from the first non-empty lane, starting at {@link #next}; null if all were empty. */
    private R poll() {
        int n = lanes.length;
        int start = next;
        for (int k = 0; k < n; k++) {
            int i = start + k < n ? start + k : start + k - n;
            R result = lanes[i].hasItems(1) ? lanes[i].tryReceive() : null; // a stamp read per empty lane
            if (result != null) {
                next = i + 1 < n ? i + 1 : 0;
                return result;
            }
        }
        return null;
    }

    /** Some lane holds {@code n} results (or is closed: then {@link #take} finds out whether all are drained). */
    private boolean anyLaneHolds(int n) {
        for (Channel<R> lane : lanes) {
            if (lane.hasItems(n)) {
                return true;
            }
        }
        return false;
    }

    /** Some lane has room for {@code n} results (or is unbounded, or closed). */
    private boolean anyLaneHasRoom(int n) {
        for (Channel<R> lane : lanes) {
            if (lane.hasRoom(n)) {
                return true;
            }
        }
        return false;
    }

    private boolean drained() {
        for (Channel<R> lane : lanes) {
            if (!lane.isDrained()) {
                return false;
            }
        }
        return true;
    }

    /** Registers in {@code parked}, then awaits {@code condition} until {@code ready} holds (class comment). */
    private void park(Condition condition, AtomicInteger parked, BooleanSupplier ready) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            parked.incrementAndGet();
            try {
                while (!ready.getAsBoolean()) {
                    condition.await();
                }
            } finally {
                parked.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    private void wake(AtomicInteger parked, Condition condition) {
        if (parked.get() > 0) {
            lock.lock();
            try {
                condition.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private void signalAll() {
        lock.lock();
        try {
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
