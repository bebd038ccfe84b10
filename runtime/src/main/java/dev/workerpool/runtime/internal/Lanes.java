package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * A bounded, closeable queue made of one {@link Channel} per worker (a "lane"), so that a worker's traffic stays
 * in its own lane: a pool's job queue (each worker receives from its own lane first) and its result queue (each
 * worker stores into its own lane first). Thread-safe: any number of threads on either side.
 *
 * <ul>
 *   <li><b>Why.</b> With one shared channel, every worker's receive (or send) is a compare-and-set on the same
 *       head (or tail): on a small machine, a cache-line transfer between cores per job. A lane's head and tail
 *       stay in the cache of the few threads that use them (see BENCHMARKS.md, 2 × 1024).</li>
 *   <li><b>Bound.</b> The lanes hold {@code capacity} items in all, exactly as one channel would: lane {@code i}
 *       has {@code capacity / lanes} slots, plus one for the first {@code capacity % lanes} lanes. A send goes to
 *       the preferred lane, or else to the next lane with room, so a send waits only when all {@code capacity}
 *       slots are taken. A receive comes from the preferred lane, or else from the next lane with an item, so a
 *       receive waits only when every lane is empty: no item waits in one lane while a receiver idles.</li>
 *   <li><b>Preference.</b> A caller names its lane ({@code 0 .. lanes - 1}), or {@link #ANY}: then this side's
 *       round-robin hint picks the lane to try first, and moves past the lane used, so that a single producer
 *       spreads its items over the lanes and a single reader receives from them in turn.</li>
 *   <li><b>Order.</b> Each lane is FIFO; across lanes there is no order: an item may be received before one sent
 *       earlier into another lane.</li>
 *   <li><b>Close.</b> {@link #close()} closes every lane: sends fail with {@link ChannelClosedException} (a send
 *       racing with close may still land in a lane not yet closed; it is then taken like any other item), and
 *       receives return {@code null} once every lane is closed and drained.</li>
 *   <li><b>Waiting.</b> Both sides spin/yield as a channel does (for the first yields, waiting for a batch: a
 *       lane holding half its share, or a lane with half its share free), then park in this queue's own
 *       {@link WaitSet} ({@code parkedReceivers} or {@code parkedSenders}), which re-checks every lane after the
 *       thread joins it by counting claimed positions ({@link Channel#hasClaimedItems}). The other side asks the
 *       set whether anyone is parked after its send or receive, each of which first claims its position with a
 *       compare-and-set (a ring lane; a lock-based lane updates its count under its lock, and the re-check reads
 *       it under that lock), so either the parker sees the claim or the other side sees the parker and wakes it: no
 *       lost wake-up. A receiver woken for an item claimed and not yet published spins, then yields, until it is.
 *       While nobody is parked, nothing is locked, and nothing is allocated per wait. The lanes' own waiting is
 *       never used.</li>
 * </ul>
 *
 * @param <T> the item type
 */
final class Lanes<T> implements JobQueue<T>, ResultQueue<T> {

    /** Preference for "no lane in particular": round-robin. */
    static final int ANY = -1;

    private final int capacity;
    private final Channel<T>[] lanes;
    private final boolean trackHighWaterMark;
    private final WaitSet parkedReceivers = new WaitSet();
    private final WaitSet parkedSenders = new WaitSet();
    private final AtomicLong highWaterMark = new AtomicLong();
    private final BooleanSupplier hasOne = () -> anyLaneHolds(1);
    private final BooleanSupplier hasBatch;
    private final BooleanSupplier hasRoom = () -> anyLaneHasRoom(1);
    private final BooleanSupplier hasRoomForBatch;
    /** Yields spent waiting for a batch before one item or slot will do: {@link Backoff#patience()}. */
    private final int patience = Backoff.patience();
    /** See {@link #sendersYieldWhile}: set before the queue is shared. */
    private BooleanSupplier roomMayCome = Backoff.ASSUME_RUNNING;
    /** See {@link #receiversYieldWhile}: set before the queue is shared. */
    private BooleanSupplier itemsMayCome = Backoff.ASSUME_RUNNING;
    private volatile boolean closed;
    /** How many times {@link #wakeReceivers()} was called. */
    private volatile long wakeups;
    private final LongPredicate hasOneOrWoken = seen -> anyLaneClaimed(1) || woken(seen);
    private final BooleanSupplier hasOneClaimed = () -> anyLaneClaimed(1);
    private final BooleanSupplier hasRoomClaimed = () -> anyLaneClaimedRoom(1);
    /** Where an {@link #ANY} receive or send starts; hints, read and written without synchronization. */
    private int receiveHint;
    private int sendHint;

    /**
     * @param name               names the lanes, for exception messages
     * @param lanes              how many; at least 1
     * @param capacity           the items all lanes hold together; at least {@code lanes}
     * @param trackHighWaterMark whether to keep {@link #highWaterMark()} (it costs a look at every lane per send
     *                           until the queue has been full once)
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // new Channel[lanes]: no generic array creation
    Lanes(String name, int lanes, int capacity, boolean trackHighWaterMark) {
        if (lanes < 1 || capacity < lanes) {
            throw new IllegalArgumentException(name + ": needs at least one slot per lane, had " + capacity
                    + " for " + lanes + " lanes");
        }
        this.capacity = capacity;
        this.trackHighWaterMark = trackHighWaterMark;
        int batch = Backoff.batchFor(capacity / lanes); // of a lane's share
        this.hasBatch = () -> anyLaneHolds(batch);
        this.hasRoomForBatch = () -> anyLaneHasRoom(batch);
        this.lanes = new Channel[lanes];
        for (int i = 0; i < lanes; i++) {
            int share = capacity / lanes + (i < capacity % lanes ? 1 : 0);
            this.lanes[i] = new Channel<T>(name + " (lane " + (i + 1) + ")", share).withoutHighWaterMark();
        }
    }

    @Override
    public void sendersYieldWhile(BooleanSupplier roomMayCome) {
        this.roomMayCome = roomMayCome;
    }

    @Override
    public void receiversYieldWhile(BooleanSupplier itemsMayCome) {
        this.itemsMayCome = itemsMayCome;
    }

    /** How many lanes. */
    int lanes() {
        return lanes.length;
    }

    /**
     * Sends an item, waiting while every lane is full, until the deadline ({@link Timeouts#NONE}: none).
     *
     * @return false if the deadline passed first (the item is not in the queue)
     * @throws ChannelClosedException if the queue is closed, or is closed while this call waits
     * @throws InterruptedException   if interrupted before or while waiting (the item is not in the queue)
     */
    boolean sendUntil(int preferred, T item, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        while (!offer(preferred, item)) {
            if (!Backoff.spinUntil(hasRoomForBatch, hasRoom, patience, roomMayCome)
                    && !parkedSenders.await(hasRoomClaimed, deadline)) {
                return false;
            }
        }
        return true;
    }

    /** Sends an item if some lane has room, without waiting. @throws ChannelClosedException if closed */
    boolean trySend(int preferred, T item) {
        return offer(preferred, item);
    }

    /** Sends an item into the given lane without waiting, beyond its share if need be (a watchdog's result). */
    void sendNow(int lane, T item) {
        lanes[lane].sendBeyondCapacity(item);
        wake(parkedReceivers);
    }

    /**
     * Takes an item, waiting while every lane is empty and open, until the deadline.
     *
     * @return the item; null once every lane is closed and drained, or if the deadline passed first
     * @throws InterruptedException if interrupted before or while waiting (nothing was taken)
     */
    T receiveUntil(int preferred, long deadline) throws InterruptedException {
        return receiveUntil(preferred, deadline, UNWAKEABLE);
    }

    /**
     * As {@link #receiveUntil(int, long)}, and also returns null once {@link #wakeups()} differs from
     * {@code wakeups} (unless that is {@link #UNWAKEABLE}): see {@link JobQueue#receive(int, long[], long)}.
     */
    private T receiveUntil(int preferred, long deadline, long wakeups) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        for (int unpublished = 0; ; ) {
            T item = poll(preferred);
            if (item != null) {
                return item;
            }
            if (drained() || woken(wakeups)) {
                return null;
            }
            if (Backoff.spinUntil(hasBatch, hasOne, patience, itemsMayCome)) {
                continue;
            }
            if (!(wakeups == UNWAKEABLE
                    ? parkedReceivers.await(hasOneClaimed, deadline)
                    : parkedReceivers.await(hasOneOrWoken, wakeups, deadline))) {
                return null;
            }
            if (!anyLaneHolds(1)) {
                // The re-check counted an item whose sender has claimed its position and not yet published it (or
                // another receiver took it first). That sender is a few instructions from done, and may be waiting
                // for this very core: spin, then yield, rather than go round at once (the park would not wait).
                Backoff.briefly(unpublished++, 16);
            }
        }
    }

    private boolean woken(long seen) {
        return seen != UNWAKEABLE && this.wakeups != seen;
    }

    /**
     * Closes every lane and wakes every waiting thread.
     *
     * @return whether this call closed the queue: true for exactly one call (the one that closed the first lane)
     */
    @Override
    public boolean close() {
        closed = true;
        boolean first = lanes[0].close();
        for (int i = 1; i < lanes.length; i++) {
            lanes[i].close();
        }
        signalAll();
        return first;
    }

    /** Lifts the bound: sends never wait from now on. */
    @Override
    public void unbound() {
        for (Channel<T> lane : lanes) {
            lane.unbound();
        }
        signalAll();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Items waiting, in all lanes: a snapshot. */
    @Override
    public int size() {
        long size = 0;
        for (Channel<T> lane : lanes) {
            size += lane.size();
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** Items ever sent. */
    @Override
    public long sent() {
        long sent = 0;
        for (Channel<T> lane : lanes) {
            sent += lane.sent();
        }
        return sent;
    }

    /** The most items seen waiting at once (if tracked; measured after each send until it reaches the capacity). */
    @Override
    public int highWaterMark() {
        return (int) highWaterMark.get();
    }

    // ---------------------------------------------------------------------------------------------------------

    // As a job queue: producers send to any lane, worker i receives from lane i first.

    @Override
    public void send(T job) throws InterruptedException {
        sendUntil(ANY, job, Timeouts.NONE);
    }

    @Override
    public boolean trySend(T job) {
        return trySend(ANY, job);
    }

    @Override
    public boolean trySend(T job, Duration timeout) throws InterruptedException {
        return sendUntil(ANY, job, Timeouts.deadline(timeout));
    }

    /** Lanes give no tickets: {@code ticket} must be null (ordered pools have no lanes). */
    @Override
    public T receive(int worker, long[] ticket) throws InterruptedException {
        return receive(worker, ticket, UNWAKEABLE);
    }

    /**
     * Worker {@code worker} receives from lane {@code worker % lanes()} first, then from every other lane (so a
     * lane whose worker has retired, or that two workers share after a pool grew, is still drained).
     */
    @Override
    public T receive(int worker, long[] ticket, long wakeups) throws InterruptedException {
        if (ticket != null) {
            throw new IllegalStateException("lanes give no tickets");
        }
        return receiveUntil(worker % lanes.length, Timeouts.NONE, wakeups);
    }

    @Override
    public long wakeups() {
        return wakeups;
    }

    @Override
    public synchronized void wakeReceivers() { // synchronized only to count: resizes are rare
        wakeups++;
        parkedReceivers.signalAll();
    }

    // As a result queue: worker i sends to lane i first, readers receive from any lane; tickets are not needed.

    // A pool that grew has more workers than lanes: worker i uses lane i % lanes().

    @Override
    public void send(int lane, long ticket, T result) throws InterruptedException {
        sendUntil(lane % lanes.length, result, Timeouts.NONE);
    }

    @Override
    public void sendNow(int lane, long ticket, T result) {
        sendNow(lane % lanes.length, result);
    }

    @Override
    public T receive() throws InterruptedException {
        return receiveUntil(ANY, Timeouts.NONE);
    }

    @Override
    public T receiveNow() {
        return poll(ANY);
    }

    /** Sends into the preferred lane, or else the next lane with room; false if all are full. */
    private boolean offer(int preferred, T item) {
        int n = lanes.length;
        int start = preferred >= 0 ? preferred : sendHint;
        for (int k = 0; k < n; k++) {
            int i = start + k < n ? start + k : start + k - n;
            if (lanes[i].trySend(item)) {
                if (preferred < 0) {
                    sendHint = i + 1 < n ? i + 1 : 0;
                }
                if (trackHighWaterMark) {
                    raiseHighWaterMark();
                }
                wake(parkedReceivers);
                return true;
            }
        }
        return false;
    }

    /** Takes from the preferred lane, or else the next lane with an item; null if all were empty. */
    private T poll(int preferred) {
        int n = lanes.length;
        int start = preferred >= 0 ? preferred : receiveHint;
        for (int k = 0; k < n; k++) {
            int i = start + k < n ? start + k : start + k - n;
            T item = lanes[i].hasItems(1) ? lanes[i].tryReceive() : null; // a stamp read per empty lane
            if (item != null) {
                if (preferred < 0) {
                    receiveHint = i + 1 < n ? i + 1 : 0;
                }
                wake(parkedSenders);
                return item;
            }
        }
        return null;
    }

    private void raiseHighWaterMark() {
        long mark = highWaterMark.get();
        if (mark < capacity) { // once the lanes have been full together, nothing can raise the mark
            long size = size();
            while (size > mark && !highWaterMark.weakCompareAndSetVolatile(mark, size)) {
                mark = highWaterMark.get();
            }
        }
    }

    /** Some lane holds {@code n} items (or is closed: then {@link #receiveUntil} finds out whether all are drained). */
    private boolean anyLaneHolds(int n) {
        for (Channel<T> lane : lanes) {
            if (lane.hasItems(n)) {
                return true;
            }
        }
        return false;
    }

    /** Some lane has room for {@code n} items (or is unbounded, or closed). */
    private boolean anyLaneHasRoom(int n) {
        for (Channel<T> lane : lanes) {
            if (lane.hasRoom(n)) {
                return true;
            }
        }
        return false;
    }

    /** A parker's re-check: some lane's senders have claimed {@code n} items ({@link Channel#hasClaimedItems}). */
    private boolean anyLaneClaimed(int n) {
        for (Channel<T> lane : lanes) {
            if (lane.hasClaimedItems(n)) {
                return true;
            }
        }
        return false;
    }

    /** A parker's re-check: some lane's receivers have freed, or claimed, room for {@code n} items. */
    private boolean anyLaneClaimedRoom(int n) {
        for (Channel<T> lane : lanes) {
            if (lane.hasClaimedRoom(n)) {
                return true;
            }
        }
        return false;
    }

    private boolean drained() {
        for (Channel<T> lane : lanes) {
            if (!lane.isDrained()) {
                return false;
            }
        }
        return true;
    }

    private static void wake(WaitSet parked) {
        if (parked.hasWaiters()) {
            parked.signal();
        }
    }

    private void signalAll() {
        parkedReceivers.signalAll();
        parkedSenders.signalAll();
    }
}
