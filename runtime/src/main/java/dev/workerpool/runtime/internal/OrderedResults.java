package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The result channel of an ordered pool: a reorder window that hands results out in the order of their
 * tickets (the order in which workers took the jobs from the FIFO job channel, which is the order
 * in which the jobs were accepted).
 *
 * <p>Bounded: a result whose ticket is {@code window} or more ahead of the next one to be read waits
 * (its worker blocks) until the reader catches up. That never deadlocks among workers: tickets are
 * assigned when a worker takes a job, so the next result to be read always belongs to a job that a worker
 * holds, and its ticket is inside the window. After {@link #unbound()} (cancel) and for
 * {@link #sendNow} nothing waits; the storage grows instead, by at most the jobs in flight.
 *
 * <p>Waiting. The state is guarded by a lock, and a thread that must wait parks on one of its conditions, but
 * only after it has waited as every other queue's waiter does ({@link Backoff}: spin, then yield), outside
 * the lock, watching the slot it needs (a reader) or the reader's position (a sender). In a busy pool the
 * result or the room comes within those yields, and nobody parks: a park and its wake-up cost the operating
 * system's scheduler on both sides, per result. What it watches is only a hint; the decision to take, store or
 * park is made again under the lock, so a stale view costs a round, never a lost result or wake-up.
 *
 * <p>Thread-safe: any number of sending and receiving threads.
 */
final class OrderedResults<R> implements ResultQueue<R> {

    /** Reads a slot without the lock: a waiter's hint (see the class comment). */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition room = lock.newCondition();
    /**
     * How far ahead of the reader a result may be stored without waiting. Written under the lock; this and the
     * other volatile fields below are volatile only so that a waiter may watch them without it.
     */
    private volatile int window;
    /** {@code window - workers}: the buffer, for {@link #resized}. */
    private final int buffer;
    /** The storage; replaced (grown) under the lock. */
    private volatile Object[] slots;
    /** The ticket of the next result to hand out; written under the lock. */
    private volatile long head;
    // Guarded by lock.
    private int stored;
    private volatile boolean closed;
    private volatile boolean unbounded;
    /** Whether a thread that could send a result runs ({@link #receiversYieldWhile}); set before sharing. */
    private BooleanSupplier itemsMayCome = Backoff.ASSUME_RUNNING;

    OrderedResults(int window) {
        this(window, 0);
    }

    /** A window of {@code window} results, of which {@code buffer} beyond the workers ({@link #resized}). */
    OrderedResults(int window, int buffer) {
        this.window = Math.max(1, window);
        this.buffer = buffer;
        this.slots = new Object[this.window];
    }

    /**
     * The pool now has {@code workers} workers: the window becomes {@code workers + buffer}. A larger window lets
     * waiting senders store; a smaller one holds back only results not yet stored (the storage keeps what it
     * has). Either way the next result due can always be stored (see the class comment).
     */
    @Override
    public void resized(int workers) {
        lock.lock();
        try {
            window = Queues.resultCapacity(workers, buffer);
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void receiversYieldWhile(BooleanSupplier itemsMayCome) {
        this.itemsMayCome = itemsMayCome;
    }

    /** Stores the result of job {@code ticket}, waiting while it is a full window ahead of the reader. */
    @Override
    public void send(int lane, long ticket, R result) throws InterruptedException {
        lock.lock();
        try {
            boolean spun = false;
            while (!unbounded && ticket >= head + window) {
                if (!spun) { // first wait without the lock, as every other queue's sender does
                    spun = true;
                    lock.unlock();
                    try {
                        for (int round = 0; !unbounded && ticket >= head + window; round++) {
                            if (!Backoff.pause(round)) {
                                break;
                            }
                        }
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                room.await();
            }
            store(ticket, result);
        } finally {
            lock.unlock();
        }
    }

    /** Stores the result of job {@code ticket} without waiting, growing the storage if it is beyond the window. */
    @Override
    public void sendNow(int lane, long ticket, R result) {
        lock.lock();
        try {
            store(ticket, result);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next result in sequence, waiting until it is stored.
     *
     * @return the result, or {@code null} once {@link #close() closed} and nothing more is stored
     */
    @Override
    @SuppressWarnings("unchecked")
    public R receive() throws InterruptedException {
        lock.lock();
        try {
            boolean spun = false;
            for (;;) {
                int slot = slot(head);
                Object r = slots[slot];
                if (r != null) {
                    slots[slot] = null;
                    head++;
                    stored--;
                    room.signalAll();
                    return (R) r;
                }
                if (closed) {
                    if (stored == 0) {
                        return null;
                    }
                    head++; // a job without a result (its worker died of an Error): skip the gap, lose nothing else
                    continue;
                }
                if (!spun) { // first wait without the lock, as every other queue's reader does
                    spun = true;
                    lock.unlock();
                    try {
                        for (int round = 0; !nextStoredOrClosed(); round++) {
                            if (!Backoff.pause(round, itemsMayCome)) {
                                break;
                            }
                        }
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                ready.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /** No more results will be sent (every worker has exited). */
    @Override
    public boolean close() {
        lock.lock();
        try {
            boolean closing = !closed;
            closed = true;
            ready.signalAll();
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /** From now on, sends never wait (the pool was cancelled). */
    @Override
    public void unbound() {
        lock.lock();
        try {
            unbounded = true;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Results stored and not yet handed out (including ones waiting for an earlier result). */
    @Override
    public int size() {
        lock.lock();
        try {
            return stored;
        } finally {
            lock.unlock();
        }
    }

    /** A hint, read without the lock: whether the next result is stored, or the queue closed. */
    private boolean nextStoredOrClosed() {
        Object[] s = slots;
        return closed || SLOT.getAcquire(s, (int) (head % s.length)) != null;
    }

    private void store(long ticket, R result) {
        if (ticket < head || ticket - head >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("result " + ticket + " is outside the reorder window at " + head);
        }
        if (ticket >= head + slots.length) {
            grow(ticket);
        }
        slots[slot(ticket)] = result;
        stored++;
        if (ticket == head) {
            ready.signalAll();
        }
    }

    private void grow(long ticket) {
        int length = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(slots.length * 2L, ticket - head + 1));
        Object[] grown = new Object[length];
        for (long s = head; s < head + slots.length; s++) {
            grown[(int) (s % length)] = slots[slot(s)];
        }
        slots = grown;
    }

    private int slot(long ticket) {
        return (int) (ticket % slots.length);
    }
}
