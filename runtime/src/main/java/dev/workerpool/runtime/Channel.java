package dev.workerpool.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * Any thread may call any method. A thread that must wait first spins briefly (only on machines with 4 or
 * more cores), then yields its core a few times, and only then parks, so that while items keep flowing,
 * producers and consumers mostly hand off without the park/unpark round trip through the OS scheduler that
 * dominates the cost of {@link java.util.concurrent.ArrayBlockingQueue}. The system properties
 * {@code dev.workerpool.spins} and {@code dev.workerpool.yields} override the two counts. Storage grows on demand up to the capacity, so a large
 * capacity costs memory only when it is used.
 *
 * @param <T> the item type
 */
public final class Channel<T> {

    /**
     * Busy-spins before yielding. With fewer than 4 cores none: a spinning thread then takes the core from the
     * thread that would hand it an item (measured on 2 cores: 3 workers, buffer 10, trivial jobs: about 1.5 µs
     * per job with 256 spins, 0.5 µs with none; see BENCHMARKS.md). With more cores, a short spin catches a
     * hand-off already on its way (not measured here: the project's machines have 2 cores).
     */
    private static final int SPINS = Integer.getInteger("dev.workerpool.spins",
            Runtime.getRuntime().availableProcessors() >= 4 ? 128 : 0);
    /** Thread.yield rounds after spinning and before parking: a yield hands the core to a runnable thread. */
    private static final int YIELDS = Integer.getInteger("dev.workerpool.yields", 16);
    private static final int INITIAL_STORAGE = 16;
    private static final VarHandle COUNT;
    private static final VarHandle HIGH_WATER_MARK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(Channel.class, "count", int.class);
            HIGH_WATER_MARK = lookup.findVarHandle(Channel.class, "highWaterMark", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Capacity 0 only: the sender whose item sits in the single slot waits here until it is taken. */
    private final Condition taken = lock.newCondition();

    // Guarded by lock; count and closed are also read without it by spinning threads.
    private Object[] items;
    private int head;
    /**
     * Written under the lock with release stores (no full fence in the critical section), read under the lock
     * plainly and outside it with acquire loads ({@link #waiting()}), where it is only a hint for spinning.
     */
    private int count;
    private volatile boolean closed;
    /** Items ever removed by receivers; a capacity-0 sender waits for this to pass its ticket. Under the lock. */
    private long takenCount;
    private long sentCount;
    private int waitingReceivers;
    private int parkedReceivers;
    private int parkedSenders;
    /** The most items that have waited at once; written under the lock (opaque), read without it. */
    private int highWaterMark;
    /** Set by {@link #unbound()}: sends no longer wait for space. */
    private volatile boolean unbounded;
    /** The spin conditions, created once: a method reference evaluated per wait would allocate per wait. */
    private final BooleanSupplier senderMayProceed = this::senderMayProceed;
    private final BooleanSupplier receiverMayProceed = this::receiverMayProceed;

    /**
     * Creates an open, empty channel.
     *
     * @param name     used in exception messages, for example {@code "ThumbnailerResizePool jobs"}
     * @param capacity how many items it holds; {@code 0} for an unbuffered hand-off
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    public Channel(String name, int capacity) {
        this.name = Objects.requireNonNull(name, "name");
        if (capacity < 0) {
            throw new IllegalArgumentException(name + ": capacity must be at least 0, was " + capacity);
        }
        this.capacity = capacity;
        this.items = new Object[Math.max(1, Math.min(capacity, INITIAL_STORAGE))];
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** The capacity given at construction; {@code 0} for an unbuffered hand-off. */
    public int capacity() {
        return capacity;
    }

    /** The number of items waiting to be received; a snapshot that may be stale as soon as it returns. */
    public int size() {
        return waiting();
    }

    /** Items ever accepted by a send; an unbuffered send taken back (interrupt, timeout, close) does not count. */
    long sent() {
        lock.lock();
        try {
            return sentCount;
        } finally {
            lock.unlock();
        }
    }

    /** The most items that have waited in this channel at once, since it was created. */
    public int highWaterMark() {
        return (int) HIGH_WATER_MARK.getOpaque(this);
    }

    /** Whether {@link #close()} has been called. Items may still be waiting to be received. */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the channel is closed and every item has been received: {@link #receive()} returns at once. */
    public boolean isDrained() {
        return closed && waiting() == 0;
    }

    /**
     * Sends an item, waiting while the channel is full; with capacity 0, waits until a receiver has taken it.
     *
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits (the item
     *                                is then not in the channel)
     * @throws InterruptedException   if interrupted before or while waiting (the item is then not in the channel)
     */
    public void send(T item) throws InterruptedException {
        sendUntil(item, Timeouts.NONE);
    }

    /**
     * Sends an item only if that needs no waiting: there is room, or (capacity 0) a receiver is already
     * waiting for an item. Never blocks. With capacity 0, the item is handed to the waiting receivers; should
     * that receiver give up first (interrupted, or timed out), the item stays in the channel for the next
     * receiver: it is never lost, but for that moment an unbuffered channel holds one item.
     *
     * @return whether the item was sent
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (capacity == 0) {
                if (count == 0 && waitingReceivers > 0) {
                    enqueue(item);
                    return true;
                }
                return false;
            }
            if (hasRoom()) {
                enqueue(item);
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends an item, waiting at most {@code timeout} for room (with capacity 0: for a receiver to take it).
     *
     * @return {@code true} if sent; {@code false} if the time ran out, in which case the item is not in the channel
     * @throws ChannelClosedException if the channel is closed, or is closed while this call waits
     * @throws InterruptedException   if interrupted before or while waiting
     */
    public boolean trySend(T item, Duration timeout) throws InterruptedException {
        return sendUntil(item, Timeouts.deadline(timeout));
    }

    /**
     * Receives the next item, waiting while the channel is empty and open.
     *
     * @return the item, or {@code null} if the channel is closed and drained (no item will ever come)
     * @throws InterruptedException if interrupted before or while waiting (nothing was taken)
     */
    public T receive() throws InterruptedException {
        return receiveUntil(Timeouts.NONE, null);
    }

    /**
     * As {@link #receive()}, and also tells the item's position in the channel's order: {@code ticket[0]} is
     * set to how many items were received before this one (0, 1, 2, …, with no gaps). Used by ordered pools.
     */
    T receive(long[] ticket) throws InterruptedException {
        return receiveUntil(Timeouts.NONE, ticket);
    }

    /**
     * Sends without waiting, even beyond the capacity (the storage grows). For the few items a pool must hand
     * over from a thread that may not block — a job's timeout result, sent by the pool's watchdog. Not for
     * capacity-0 channels.
     *
     * @throws ChannelClosedException if the channel is closed
     */
    void sendBeyondCapacity(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            if (count == items.length) {
                grow(Integer.MAX_VALUE - 8);
            }
            enqueue(item);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives the next item if one is waiting. Never blocks.
     *
     * @return the item, or {@code null} if the channel is empty (use {@link #isDrained()} to tell "empty for
     *         now" from "closed and drained")
     */
    public T tryReceive() {
        if (waiting() == 0) {
            return null;
        }
        lock.lock();
        try {
            return count > 0 ? dequeue(null) : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Receives the next item, waiting at most {@code timeout} while the channel is empty and open.
     *
     * @return the item, or {@code null} if the time ran out or the channel is closed and drained
     *         (tell them apart with {@link #isDrained()})
     * @throws InterruptedException if interrupted before or while waiting (nothing was taken)
     */
    public T receive(Duration timeout) throws InterruptedException {
        return receiveUntil(Timeouts.deadline(timeout), null);
    }

    /**
     * Closes the channel: no more sends; items already in it can still be received. Idempotent, never blocks,
     * any thread may call it. Wakes every blocked sender (which then fails) and every blocked receiver.
     *
     * @return {@code true} if this call closed the channel, {@code false} if it was already closed
     */
    public boolean close() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
            taken.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lifts the capacity: from now on sends never wait for room, and blocked senders proceed. Used by a pool
     * that is cancelled, so that workers can hand over the results of the (bounded number of) jobs still in
     * flight without waiting for a consumer. Not for capacity-0 channels.
     */
    void unbound() {
        lock.lock();
        try {
            unbounded = true;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Channel[" + name + ", capacity=" + capacity + ", size=" + waiting() + (closed ? ", closed]" : "]");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Sends, waiting until the deadline ({@code Long.MAX_VALUE}: none); false if it passed first. */
    private boolean sendUntil(T item, long deadline) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        for (;;) {
            lock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (hasRoom()) {
                    enqueue(item);
                    return capacity > 0 || awaitTaken(deadline);
                }
            } finally {
                lock.unlock();
            }
            if (!spinUntil(senderMayProceed) && !parkSender(deadline)) {
                return false;
            }
        }
    }

    /** Parks until room, close or the deadline; false on timeout. Called without the lock. */
    private boolean parkSender(long deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            parkedSenders++;
            try {
                while (!closed && !hasRoom()) {
                    if (!await(notFull, deadline)) {
                        return false;
                    }
                }
                return true;
            } finally {
                parkedSenders--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Capacity 0, lock held, our item is the one in the slot: wait until a receiver takes it. On interrupt,
     * timeout or close, take it back out, so a failed send never leaves an item behind.
     */
    private boolean awaitTaken(long deadline) throws InterruptedException {
        long ticket = sentCount - 1;
        try {
            while (takenCount <= ticket) {
                if (closed) {
                    retract();
                    throw closedException();
                }
                if (!await(taken, deadline)) {
                    retract();
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            if (takenCount <= ticket) {
                retract();
                throw e;
            }
            // Taken in the meantime: the send succeeded; keep the interrupt for the caller to see.
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void retract() {
        items[head] = null;
        COUNT.setRelease(this, 0);
        sentCount--;
        if (parkedSenders > 0) {
            notFull.signal();
        }
    }

    /** {@code ticket}, if not null, receives the item's position (see {@link #receive(long[])}). */
    private T receiveUntil(long deadline, long[] ticket) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        lock.lock();
        try {
            if (count > 0) {
                return dequeue(ticket);
            }
            if (closed) {
                return null;
            }
            waitingReceivers++;
        } finally {
            lock.unlock();
        }
        boolean registered = true;
        try {
            for (;;) {
                if (!spinUntil(receiverMayProceed)) {
                    lock.lockInterruptibly();
                    try {
                        parkedReceivers++;
                        try {
                            while (count == 0 && !closed) {
                                if (!await(notEmpty, deadline)) {
                                    waitingReceivers--;
                                    registered = false;
                                    return null;
                                }
                            }
                        } finally {
                            parkedReceivers--;
                        }
                        waitingReceivers--;
                        registered = false;
                        return count > 0 ? dequeue(ticket) : null;
                    } finally {
                        lock.unlock();
                    }
                }
                lock.lock();
                try {
                    if (count > 0 || closed) {
                        waitingReceivers--;
                        registered = false;
                        return count > 0 ? dequeue(ticket) : null;
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (registered) {
                lock.lock();
                try {
                    waitingReceivers--;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The item count read without the lock: a snapshot, or a hint for a spinning thread. */
    private int waiting() {
        return (int) COUNT.getAcquire(this);
    }

    private boolean senderMayProceed() {
        return closed || unbounded || waiting() < Math.max(1, capacity);
    }

    private boolean receiverMayProceed() {
        return waiting() > 0 || closed;
    }

    private boolean hasRoom() {
        return unbounded || count < Math.max(1, capacity);
    }

    /** Spins, then yields, watching a condition that is read without the lock. */
    private static boolean spinUntil(BooleanSupplier condition) {
        for (int i = 0; i < SPINS; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < YIELDS; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.yield();
        }
        return condition.getAsBoolean();
    }

    /** Awaits a condition until the deadline ({@code Long.MAX_VALUE}: none); false if the deadline passed. */
    private static boolean await(Condition condition, long deadline) throws InterruptedException {
        if (deadline == Timeouts.NONE) {
            condition.await();
            return true;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        condition.awaitNanos(remaining);
        return true;
    }

    private void enqueue(T item) {
        int n = count;
        if (n == items.length) {
            grow(unbounded ? Integer.MAX_VALUE - 8 : Math.max(1, capacity));
        }
        items[(head + n) % items.length] = item;
        COUNT.setRelease(this, n + 1);
        if (n + 1 > highWaterMark) {
            HIGH_WATER_MARK.setOpaque(this, n + 1);
        }
        sentCount++;
        if (parkedReceivers > 0) {
            notEmpty.signal();
        }
    }

    @SuppressWarnings("unchecked")
    private T dequeue(long[] ticket) {
        if (ticket != null) {
            ticket[0] = takenCount;
        }
        T item = (T) items[head];
        items[head] = null;
        head = (head + 1) % items.length;
        COUNT.setRelease(this, count - 1);
        takenCount++;
        if (capacity == 0) {
            taken.signal();
        }
        if (parkedSenders > 0) {
            notFull.signal();
        }
        return item;
    }

    private void grow(int limit) {
        int newLength = (int) Math.min(limit, Math.max(items.length * 2L, items.length + 1L));
        if (newLength <= items.length) {
            throw new IllegalStateException(name + ": channel storage cannot grow beyond " + items.length);
        }
        Object[] grown = new Object[newLength];
        for (int i = 0; i < count; i++) {
            grown[i] = items[(head + i) % items.length];
        }
        items = grown;
        head = 0;
    }

    private ChannelClosedException closedException() {
        return new ChannelClosedException(name + " is closed");
    }
}
