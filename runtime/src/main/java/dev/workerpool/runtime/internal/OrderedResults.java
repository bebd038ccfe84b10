package dev.workerpool.runtime.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Thread-safe: any number of sending and receiving threads.
 */
final class OrderedResults<R> implements ResultQueue<R> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition room = lock.newCondition();
    /** How far ahead of the reader a result may be stored without waiting; guarded by lock. */
    private int window;
    /** {@code window - workers}: the buffer, for {@link #resized}. */
    private final int buffer;
    // Guarded by lock.
    private Object[] slots;
    /** The ticket of the next result to hand out. */
    private long head;
    private int stored;
    private boolean closed;
    private boolean unbounded;

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

    /** Stores the result of job {@code ticket}, waiting while it is a full window ahead of the reader. */
    @Override
    public void send(int lane, long ticket, R result) throws InterruptedException {
        lock.lock();
        try {
            while (!unbounded && ticket >= head + window) {
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
