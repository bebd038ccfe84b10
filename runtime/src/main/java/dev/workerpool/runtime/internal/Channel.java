package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A bounded, closeable, multi-producer multi-consumer FIFO channel: Java's rendering of a Go {@code chan T}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Capacity.</b> A channel of capacity {@code n > 0} holds up to {@code n} items; {@link #send} blocks
 *       while it is full (backpressure). Capacity {@code 0} is an unbuffered hand-off, like
 *       {@code make(chan T)}: {@link #send} returns only once a receiver has taken the item.</li>
 *   <li><b>Order.</b> Items are received in the order they were sent (FIFO); with several producers, each
 *       producer's items keep their relative order.</li>
 *   <li><b>Close.</b> {@link #close()} may be called by any thread, any number of times (unlike Go, a second
 *       close is harmless). After it, every {@code send} fails with {@link ChannelClosedException} — including
 *       a sender that was already blocked, whose item is then not enqueued. Items already in the channel are
 *       still delivered: receivers drain them, then {@link #receive()} returns {@code null} ("closed and
 *       drained", Go's {@code v, ok := <-ch} with {@code ok == false}).</li>
 *   <li><b>Interrupts.</b> Every blocking method throws {@link InterruptedException} if the calling thread is
 *       interrupted before or while it waits; the interrupt status is then cleared (the {@code java.util.concurrent}
 *       convention) and the channel is unchanged by that call: an interrupted send enqueued nothing, an
 *       interrupted receive took nothing.</li>
 *   <li><b>Nulls.</b> {@code null} items are rejected with {@link NullPointerException}: {@code null} is how the
 *       receiving methods say "nothing".</li>
 * </ul>
 *
 * <h2>Threads and cost</h2>
 * Any thread may call any method. A channel of capacity up to {@value #RING_LIMIT} is a lock-free ring of
 * sequence-stamped slots allocated up front (one compare-and-set per send or receive, no lock while items flow;
 * an unbuffered channel is a ring of one slot whose sender then waits for its item to be taken); a larger one
 * is guarded by a lock and its storage grows on demand up to the capacity, so a very large capacity costs memory
 * only when it is used. Waiting on the ring allocates nothing. A thread that must wait first spins
 * briefly (only on machines with 4 or more cores), then yields its core a few times, and only then parks, so
 * that while items keep flowing, producers and consumers mostly hand off without the park/unpark round trip
 * through the OS scheduler that dominates the cost of {@link java.util.concurrent.ArrayBlockingQueue}. The
 * system properties {@code dev.workerpool.spins} and {@code dev.workerpool.yields} override the two counts;
 * {@code -Ddev.workerpool.ring=false} makes every channel lock-based (for comparison).
 *
 * @param <T> the item type
 */
final class Channel<T> implements JobQueue<T>, ResultQueue<T> {

    /** The largest capacity served by the lock-free ring, whose slots are allocated when the channel is made. */
    static final int RING_LIMIT = 16_384;

    private final ChannelCore<T> core;

    /**
     * Creates an open, empty channel.
     *
     * @param name     used in exception messages, for example {@code "ThumbnailerResizePool jobs"}
     * @param capacity how many items it holds; {@code 0} for an unbuffered hand-off
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    Channel(String name, int capacity) {
        this(name, capacity, Tuning.ring());
    }

    /** As {@link #Channel(String, int)}; {@code ring == false} forces the lock-based implementation (tests). */
    Channel(String name, int capacity, boolean ring) {
        Objects.requireNonNull(name, "name");
        if (capacity < 0) {
            throw new IllegalArgumentException(name + ": capacity must be at least 0, was " + capacity);
        }
        this.core = ring && capacity <= RING_LIMIT
                ? new RingChannel<>(name, capacity)
                : new LockedChannel<>(name, capacity);
    }

    /**
     * {@inheritDoc} Except on an unbuffered channel: there a sender's item goes to a receiver the send has just
     * woken, whose state still says it waits until it runs, so the sender always yields first.
     */
    @Override
    public void sendersYieldWhile(BooleanSupplier roomMayCome) {
        if (core.capacity > 0) {
            core.roomMayCome = roomMayCome;
        }
    }

    @Override
    public void receiversYieldWhile(BooleanSupplier itemsMayCome) {
        core.itemsMayCome = itemsMayCome;
    }

    /**
     * Stops this channel keeping its high-water mark, for a queue whose mark nobody reads: a pool's result queue,
     * or a lane of {@link Lanes}, which keeps its own. Its sends then skip that bookkeeping (on the ring, a volatile
     * read and a branch per send that only a new channel's first sends take the other way), and
     * {@link #highWaterMark()} reads 0. Call before the channel is shared.
     *
     * @return this channel
     */
    Channel<T> withoutHighWaterMark() {
        core.keepsHighWaterMark = false;
        return this;
    }

    /** The name given at construction. */
    String name() {
        return core.name;
    }

    /** The capacity given at construction; {@code 0} for an unbuffered hand-off. */
    int capacity() {
        return core.capacity;
    }

    /** The number of items waiting to be received; a snapshot that may be stale as soon as it returns. */
    @Override
    public int size() {
        return core.size();
    }

    /** Items ever accepted by a send; an unbuffered send taken back (interrupt, timeout, close) does not count. */
    @Override
    public long sent() {
        return core.sent();
    }

    /** The most items that have waited in this channel at once, since it was created; 0 if not kept. */
    @Override
    public int highWaterMark() {
        return core.highWaterMark();
    }

    /** Whether {@link #close()} has been called. Items may still be waiting to be received. */
    @Override
    public boolean isClosed() {
        return core.isClosed();
    }

    /** Whether the channel is closed and every item has been received: {@link #receive()} returns at once. */
    boolean isDrained() {
        return core.isDrained();
    }

    /**
     * Sends an item, waiting while the channel is full; with capacity 0, waits until a receiver has taken it.
     *
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits (the item
     *                                is then not in the channel)
     * @throws InterruptedException   if interrupted before or while waiting (the item is then not in the channel)
     */
    @Override
    public void send(T item) throws InterruptedException {
        sendUntil(item, Timeouts.NONE);
    }

    /**
     * Sends an item only if that needs no waiting: there is room, or (capacity 0) a receiver is already
     * waiting for an item. Never blocks. With capacity 0, the item is handed to the waiting receivers; should
     * that receiver give up first (interrupted, or timed out), the item stays in the channel for the next
     * receiver: it is never lost, but for that moment an unbuffered channel holds one item. On the lock-free
     * ring, like {@link #tryReceive()}, it may wait for a receive already under way to free its slot.
     *
     * @return whether the item was sent
     * @throws ChannelClosedException if the channel is closed
     */
    @Override
    public boolean trySend(T item) {
        return core.trySend(Objects.requireNonNull(item, "item"));
    }

    /**
     * Sends an item, waiting at most {@code timeout} for room (with capacity 0: for a receiver to take it). It
     * never does less than {@link #trySend(Object)}: with capacity 0, a receiver already waiting gets the item
     * however short the timeout, even zero.
     *
     * @return {@code true} if sent; {@code false} if the time ran out, in which case the item is not in the channel
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits
     * @throws InterruptedException   if interrupted before or while waiting
     */
    @Override
    public boolean trySend(T item, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (core.capacity == 0 && core.trySend(item)) { // a receiver waits: it need not be scheduled in time
            return true;
        }
        return core.sendUntil(item, Timeouts.deadline(timeout));
    }

    /**
     * Receives the next item, waiting while the channel is empty and open.
     *
     * @return the item, or {@code null} if the channel is closed and drained (no item will ever come)
     * @throws InterruptedException if interrupted before or while waiting (nothing was taken)
     */
    @Override
    public T receive() throws InterruptedException {
        return receiveUntil(Timeouts.NONE, null);
    }

    /**
     * As {@link #receive()}, and also tells the item's position in the channel's order: {@code ticket[0]} is
     * set to how many items were received before this one (0, 1, 2, …, with no gaps). Used by ordered pools,
     * whose job channels are never {@linkplain #unbound() unbound}.
     */
    T receive(long[] ticket) throws InterruptedException {
        return receiveUntil(Timeouts.NONE, ticket);
    }

    /** As a job queue: every worker receives from this one channel; {@code ticket} as in {@link #receive(long[])}. */
    @Override
    public T receive(int worker, long[] ticket) throws InterruptedException {
        return receiveUntil(Timeouts.NONE, ticket);
    }

    @Override
    public T receive(int worker, long[] ticket, long wakeups) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return core.receiveUntil(Timeouts.NONE, ticket, wakeups);
    }

    @Override
    public long wakeups() {
        return core.wakeups;
    }

    @Override
    public void wakeReceivers() {
        core.wakeReceivers();
    }

    /** As a result queue: a result goes to the one channel, in completion order; lane and ticket are not needed. */
    @Override
    public void send(int lane, long ticket, T result) throws InterruptedException {
        send(result);
    }

    /** As a result queue: {@link #tryReceive()}. */
    @Override
    public T receiveNow() {
        return tryReceive();
    }

    /** As a result queue: {@link #sendBeyondCapacity}. */
    @Override
    public void sendNow(int lane, long ticket, T result) {
        sendBeyondCapacity(result);
    }

    /**
     * Sends without waiting, even beyond the capacity. For the few items a pool must hand over from a thread
     * that may not block — a job's timeout result, sent by the pool's watchdog. Not for capacity-0 channels.
     * An item sent beyond the capacity may be received after items sent later.
     *
     * @throws ChannelClosedException if the channel is closed
     */
    void sendBeyondCapacity(T item) {
        core.sendBeyondCapacity(Objects.requireNonNull(item, "item"));
    }

    /**
     * Receives the next item if one is waiting. Never waits for a send to happen; on the lock-free ring it may
     * wait the few instructions a send already under way needs to store its item (so that a completed send is
     * never reported as missing).
     *
     * @return the item, or {@code null} if the channel is empty (use {@link #isDrained()} to tell "empty for
     *         now" from "closed and drained")
     */
    T tryReceive() {
        return core.tryReceive();
    }

    /**
     * Receives the next item, waiting at most {@code timeout} while the channel is empty and open.
     *
     * @return the item, or {@code null} if the time ran out or the channel is closed and drained
     *         (tell them apart with {@link #isDrained()})
     * @throws InterruptedException if interrupted before or while waiting (nothing was taken)
     */
    T receive(Duration timeout) throws InterruptedException {
        return receiveUntil(Timeouts.deadline(timeout), null);
    }

    /**
     * Closes the channel: no more sends; items already in it can still be received. Idempotent, never blocks,
     * any thread may call it. Wakes every blocked sender (which then fails) and every blocked receiver.
     *
     * @return {@code true} if this call closed the channel, {@code false} if it was already closed
     */
    @Override
    public boolean close() {
        return core.close();
    }

    /**
     * Lifts the capacity: from now on sends never wait for room, and blocked senders proceed. Used by a pool
     * that is cancelled, so that workers can hand over the results of the (bounded number of) jobs still in
     * flight without waiting for a consumer. Not for capacity-0 channels. Items sent beyond the capacity may be
     * received after items sent later.
     */
    @Override
    public void unbound() {
        core.unbound();
    }

    /**
     * Whether a receive would find {@code n} items waiting, or would not wait because the channel is closed:
     * a cheap check for a thread that waits on several channels at once. On the ring it reads one slot's stamp.
     */
    boolean hasItems(int n) {
        return core.hasItems(n);
    }

    /**
     * Whether a send would find room for {@code n} items, or would not wait because the channel is closed or
     * unbounded: the sender-side twin of {@link #hasItems}.
     */
    boolean hasRoom(int n) {
        return core.hasRoom(n);
    }

    /**
     * As {@link #hasItems}, for the re-check of a thread that parks on several channels at once ({@link Lanes}):
     * it counts an item a sender has claimed a position for even before the item is published, so that it cannot
     * miss a send that missed the parker. Any thread; on a lock-based channel it takes the lock (it is made
     * only before a park).
     */
    boolean hasClaimedItems(int n) {
        return core.hasClaimedItems(n);
    }

    /**
     * For a parker's re-check, the sender-side twin of {@link #hasClaimedItems} (see
     * {@link ChannelCore#hasClaimedRoom}). Any thread; on a lock-based channel it takes the lock.
     */
    boolean hasClaimedRoom(int n) {
        return core.hasClaimedRoom(n);
    }

    /** Whether this channel is the lock-free ring (tests). */
    boolean isRing() {
        return core instanceof RingChannel;
    }

    @Override
    public String toString() {
        return "Channel[" + core.name + ", capacity=" + core.capacity + ", size=" + core.size()
                + (core.isClosed() ? ", closed]" : "]");
    }

    private boolean sendUntil(T item, long deadline) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return core.sendUntil(item, deadline);
    }

    private T receiveUntil(long deadline, long[] ticket) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return core.receiveUntil(deadline, ticket, JobQueue.UNWAKEABLE);
    }
}
