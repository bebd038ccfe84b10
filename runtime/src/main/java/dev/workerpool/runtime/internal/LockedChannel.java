package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock-based {@link Channel}: one {@link ReentrantLock} guards a ring that grows on demand up to the capacity.
 * Used for capacities too large to allocate up front, and for every capacity under {@code -Ddev.workerpool.ring=false}
 * (the reference the ring is compared with); {@link RingChannel} serves the rest. Thread-safe.
 */
final class LockedChannel<T> extends ChannelCore<T> {

    private static final int INITIAL_STORAGE = 16;
    private static final VarHandle COUNT;
    private static final VarHandle HIGH_WATER_MARK;
    private static final VarHandle TAKEN_COUNT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(LockedChannel.class, "count", int.class);
            HIGH_WATER_MARK = lookup.findVarHandle(LockedChannel.class, "highWaterMark", int.class);
            TAKEN_COUNT = lookup.findVarHandle(LockedChannel.class, "takenCount", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Capacity 0 only: the sender whose item sits in the single slot waits here until it is taken. */
    private final Condition taken = lock.newCondition();

    // Guarded by lock; count and closed are also read without it (see count).
    private Object[] items;
    private int head;
    /**
     * Written under the lock with release stores (no full fence in the critical section), read under the lock
     * plainly (also by a parker's re-check: {@link #hasClaimedItems}) and outside it with acquire loads
     * ({@link #waiting()}): for spinning, for a look before taking the lock (an empty channel's receive), and for
     * {@link #isDrained()}, where a stale count can only delay the end. No decision to park reads it so.
     */
    private int count;
    private volatile boolean closed;
    /**
     * Items ever removed by receivers; a capacity-0 sender waits for this to pass its ticket. Written under the
     * lock (release), read by that sender without it (acquire) while it yields.
     */
    private long takenCount;
    private long sentCount;
    /**
     * Capacity 0: whether the slot's item is a waiting sender's, which it takes back if the channel closes
     * before a receiver took it; once closed, no receiver takes it ({@link #deliverable()}). Written under the
     * lock, read without it by {@link #isDrained()}.
     */
    private volatile boolean handOffPending;
    private int waitingReceivers;
    private int parkedReceivers;
    private int parkedSenders;
    /** The most items that have waited at once; written under the lock (opaque), read without it. */
    private int highWaterMark;
    /** The spin conditions, created once: a method reference evaluated per wait would allocate per wait. */
    private final BooleanSupplier senderMayProceed = this::senderMayProceed;
    private final BooleanSupplier receiverMayProceed = this::receiverMayProceed;

    LockedChannel(String name, int capacity) {
        super(name, capacity);
        this.items = new Object[Math.max(1, Math.min(capacity, INITIAL_STORAGE))];
    }

    @Override
    int size() {
        return waiting();
    }

    /** Items ever accepted by a send; an unbuffered send taken back (interrupt, timeout, close) does not count. */
    @Override
    long sent() {
        lock.lock();
        try {
            return sentCount;
        } finally {
            lock.unlock();
        }
    }

    @Override
    int highWaterMark() {
        return (int) HIGH_WATER_MARK.getOpaque(this);
    }

    @Override
    boolean isClosed() {
        return closed;
    }

    @Override
    boolean hasRoom(int n) {
        return closed || unbounded || waiting() <= capacity - n;
    }

    @Override
    boolean hasItems(int n) {
        return closed || waiting() >= n;
    }

    /**
     * A parker's re-check ({@link Lanes} parks its own waiters and asks each lane): the count read under the lock.
     * The other side updates the count under the same lock and then asks whether anyone is parked, so the two
     * cannot miss each other under the memory model: if this lock comes after theirs, it reads their count; if
     * before, the parker's joining its wait set happens before their ask. A count read without the lock (an
     * acquire load of a release store) orders neither way; under it, {@link #hasItems(int)}'s read sees the last
     * update. Any thread; takes the lock.
     */
    @Override
    boolean hasClaimedItems(int n) {
        lock.lock();
        try {
            return hasItems(n);
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #hasClaimedItems}, for room for {@code n} items: {@link #hasRoom(int)} read under the lock. */
    @Override
    boolean hasClaimedRoom(int n) {
        lock.lock();
        try {
            return hasRoom(n);
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean isDrained() {
        // the flag first: a sender taking its item back clears it only after the count, so a flag read false
        // here means the count read next is the one after the take-back, if there was one
        return closed && (handOffPending || waiting() == 0); // the one item left is its sender's
    }

    @Override
    boolean trySend(T item) {
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

    @Override
    void sendBeyondCapacity(T item) {
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

    @Override
    T tryReceive() {
        if (waiting() == 0) {
            return null;
        }
        lock.lock();
        try {
            return deliverable() ? dequeue(null) : null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    void wakeSenders() {
        lock.lock();
        try {
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    boolean close() {
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

    // ---------------------------------------------------------------------------------------------------------

    @Override
    boolean sendUntil(T item, long deadline) throws InterruptedException {
        for (;;) {
            long ticket = -1;
            lock.lock();
            try {
                if (closed) {
                    throw closedException();
                }
                if (hasRoom()) {
                    enqueue(item);
                    if (capacity > 0) {
                        return true;
                    }
                    handOffPending = true;
                    ticket = sentCount - 1;
                }
            } finally {
                lock.unlock();
            }
            if (ticket >= 0) {
                return awaitTaken(ticket, deadline);
            }
            if (!Backoff.spinUntil(senderMayProceed, roomMayCome) && !parkSender(deadline)) {
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
     * Capacity 0, lock not held, our item (the {@code ticket}-th sent) is in the slot: wait until a receiver takes
     * it. On interrupt, timeout or close, take it back out, so a failed send never leaves an item behind. Yields
     * a few times first, without the lock: a receiver usually takes the item within a time slice, and parking at
     * once would cost a park/unpark round trip per item (see BENCHMARKS.md, 8 × 0).
     */
    private boolean awaitTaken(long ticket, long deadline) throws InterruptedException {
        // Yields only (no spin), as this channel always has: start at the first yield round.
        for (int round = Tuning.SPINS; (long) TAKEN_COUNT.getAcquire(this) <= ticket && !closed
                && Backoff.pause(round); round++) {
            // yield, without the lock
        }
        lock.lock();
        try {
            return awaitTakenLocked(ticket, deadline);
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #awaitTaken}, lock held. While our item is not taken it is the only item in the slot (capacity 0
     * admits one), so taking it back is taking the slot's item.
     */
    private boolean awaitTakenLocked(long ticket, long deadline) throws InterruptedException {
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
        handOffPending = false; // after the count: see isDrained()
        sentCount--;
        if (parkedSenders > 0) {
            notFull.signal();
        }
    }

    @Override
    T receiveUntil(long deadline, long[] ticket, long wakeups) throws InterruptedException {
        lock.lock();
        try {
            if (deliverable()) {
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
                if (!Backoff.spinUntil(receiverMayProceed, itemsMayCome)) {
                    lock.lockInterruptibly();
                    try {
                        parkedReceivers++;
                        try {
                            while (count == 0 && !closed) {
                                if (woken(wakeups) || !await(notEmpty, deadline)) {
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
                        return deliverable() ? dequeue(ticket) : null;
                    } finally {
                        lock.unlock();
                    }
                }
                lock.lock();
                try {
                    if (count > 0 || closed || woken(wakeups)) {
                        waitingReceivers--;
                        registered = false;
                        return deliverable() ? dequeue(ticket) : null;
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

    @Override
    void wakeReceivers() {
        lock.lock();
        try {
            wakeups++;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
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

    /**
     * Lock held: whether a receiver may take the next item: there is one, and it is not the item of a hand-off
     * sender that the close has failed (that sender takes it back).
     */
    private boolean deliverable() {
        return count > 0 && !(closed && handOffPending);
    }

    private boolean hasRoom() {
        return unbounded || count < Math.max(1, capacity);
    }

    private void enqueue(T item) {
        int n = count;
        if (n == items.length) {
            grow(unbounded ? Integer.MAX_VALUE - 8 : Math.max(1, capacity));
        }
        items[(head + n) % items.length] = item;
        COUNT.setRelease(this, n + 1);
        if (keepsHighWaterMark && n + 1 > highWaterMark) {
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
        TAKEN_COUNT.setRelease(this, takenCount + 1);
        if (capacity == 0) {
            handOffPending = false;
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
}
