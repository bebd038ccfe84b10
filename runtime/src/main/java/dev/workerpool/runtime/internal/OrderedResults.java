package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

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
 * <p>State and waiting. The storage and counters are changed under a spin lock held for a few instructions
 * (never while waiting; longer only while the storage grows: in a window of more than {@value #INITIAL_SLOTS}
 * results as more wait, and after a cancel or a timed-out job's result). A
 * thread that must wait does so as every other queue's waiter does, with nothing allocated: it spins, then
 * yields ({@link Backoff}), watching the slot it needs (a reader) or the reader's position (a sender) without
 * the lock, and then parks in a {@link WaitSet}. The protocol is {@code WaitSet}'s: the waiter joins the set,
 * then checks its condition; the thread that makes the condition hold publishes that with a volatile write
 * (the slot, the reader's position, {@code closed}, {@code unbounded}), then looks for waiters. Readers are
 * woken one at a time: a store of the result due wakes one, and a reader that takes a result passes a wake-up on
 * if the next one is stored too and another reader waits. Senders, each waiting for its own ticket, are all
 * woken when the reader moves on.
 *
 * <p>Thread-safe: any number of sending and receiving threads.
 */
final class OrderedResults<R> implements ResultQueue<R> {

    /** The slots, read by waiters without the lock, written with volatile writes (see the class comment). */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(OrderedResults.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spins on the lock before yielding, as {@link WaitSet}'s lock does: it is held for a few instructions. */
    private static final int LOCK_SPINS = 64;
    /**
     * The most slots allocated up front; a larger window grows its storage as results need it, so a pool with a
     * very large buffer costs memory only for the results that wait, as the other queues do.
     */
    static final int INITIAL_SLOTS = 1024;

    /** 0 free, 1 held: guards the storage and {@link #stored}. */
    private volatile int lock;
    /** How far ahead of the reader a result may be stored without waiting; written under the lock. */
    private volatile int window;
    /** {@code window - workers}: the buffer, for {@link #resized}. */
    private final int buffer;
    /** The storage; replaced (grown) under the lock. */
    private volatile Object[] slots;
    /** The ticket of the next result to hand out; written under the lock. */
    private volatile long head;
    /** Results stored and not yet handed out; guarded by the lock. */
    private int stored;
    private volatile boolean closed;
    private volatile boolean unbounded;
    private final WaitSet readers = new WaitSet();
    private final WaitSet senders = new WaitSet();
    /** A reader's condition: the next result is stored, or the queue closed (made once: nothing per wait). */
    private final BooleanSupplier nextReady = this::nextStoredOrClosed;
    /** A sender's condition: its ticket is inside the window, or the window unbounded. */
    private final LongPredicate roomFor = this::roomFor;
    /** Whether a thread that could send a result runs ({@link #receiversYieldWhile}); set before sharing. */
    private BooleanSupplier itemsMayCome = Backoff.ASSUME_RUNNING;

    OrderedResults(int window) {
        this(window, 0);
    }

    /** A window of {@code window} results, of which {@code buffer} beyond the workers ({@link #resized}). */
    OrderedResults(int window, int buffer) {
        this.window = Math.max(1, window);
        this.buffer = buffer;
        this.slots = new Object[Math.min(this.window, INITIAL_SLOTS)];
    }

    /**
     * The pool now has {@code workers} workers: the window becomes {@code workers + buffer}. A larger window lets
     * waiting senders store; a smaller one holds back only results not yet stored (the storage keeps what it
     * has). Either way the next result due can always be stored (see the class comment).
     */
    @Override
    public void resized(int workers) {
        acquire();
        window = Queues.resultCapacity(workers, buffer);
        release();
        senders.signalAll();
    }

    @Override
    public void receiversYieldWhile(BooleanSupplier itemsMayCome) {
        this.itemsMayCome = itemsMayCome;
    }

    /** Stores the result of job {@code ticket}, waiting while it is a full window ahead of the reader. */
    @Override
    public void send(int lane, long ticket, R result) throws InterruptedException {
        for (;;) {
            acquire();
            if (roomFor(ticket)) {
                store(ticket, result);
                return;
            }
            release();
            for (int round = 0; !roomFor(ticket); round++) { // as every other queue's sender waits
                if (!Backoff.pause(round)) {
                    senders.await(roomFor, ticket, Timeouts.NONE);
                    break;
                }
            }
        }
    }

    /** Stores the result of job {@code ticket} without waiting, growing the storage if it is beyond the window. */
    @Override
    public void sendNow(int lane, long ticket, R result) {
        acquire();
        store(ticket, result);
    }

    /**
     * The next result in sequence, waiting until it is stored.
     *
     * @return the result, or {@code null} once {@link #close() closed} and nothing more is stored
     */
    @Override
    @SuppressWarnings("unchecked")
    public R receive() throws InterruptedException {
        for (;;) {
            acquire();
            long h = head;
            Object[] s = slots;
            int slot = (int) (h % s.length);
            Object r = s[slot];
            if (r != null) {
                return (R) take(h, s, slot, r);
            }
            if (closed) {
                if (stored == 0) {
                    release();
                    return null;
                }
                head = h + 1; // a job without a result (its worker died of an Error): skip the gap, lose nothing else
                release();
                continue;
            }
            release();
            for (int round = 0; !nextStoredOrClosed(); round++) { // as every other queue's reader waits
                if (!Backoff.pause(round, itemsMayCome)) {
                    readers.await(nextReady, Timeouts.NONE);
                    break;
                }
            }
        }
    }

    /** The next result due if it is stored, else null; never waits (but for the lock, held a few instructions). */
    @Override
    @SuppressWarnings("unchecked")
    public R receiveNow() {
        acquire();
        long h = head;
        Object[] s = slots;
        int slot = (int) (h % s.length);
        Object r = s[slot];
        if (r == null) {
            release();
            return null;
        }
        return (R) take(h, s, slot, r);
    }

    /**
     * Hands out result {@code r}, the one due ({@code h}) in slot {@code slot} of {@code s}; called with the lock
     * held, and releases it. Wakes the senders waiting for the reader to move on, and passes a wake-up on to
     * another reader if the next result is there too.
     */
    private Object take(long h, Object[] s, int slot, Object r) {
        SLOT.setVolatile(s, slot, null);
        stored--;
        head = h + 1; // volatile: before the look for waiting senders
        release();
        if (senders.hasWaiters()) {
            senders.signalAll();
        }
        if (readers.hasWaiters() && nextStoredOrClosed()) {
            readers.signal(); // another reader waits, and the next result is there too: pass it on
        }
        return r;
    }

    /** No more results will be sent (every worker has exited). */
    @Override
    public boolean close() {
        acquire();
        boolean closing = !closed;
        closed = true;
        release();
        readers.signalAll();
        return closing;
    }

    /** From now on, sends never wait (the pool was cancelled). */
    @Override
    public void unbound() {
        unbounded = true;
        senders.signalAll();
    }

    /** Results stored and not yet handed out (including ones waiting for an earlier result). */
    @Override
    public int size() {
        acquire();
        int n = stored;
        release();
        return n;
    }

    /** Whether the next result is stored, or the queue closed; read without the lock. */
    private boolean nextStoredOrClosed() {
        Object[] s = slots;
        return closed || SLOT.getVolatile(s, (int) (head % s.length)) != null;
    }

    /** Whether a result with {@code ticket} may be stored now; read without the lock. */
    private boolean roomFor(long ticket) {
        return unbounded || ticket < head + window;
    }

    /** Stores a result; called with the lock held, and releases it. */
    private void store(long ticket, R result) {
        long h = head;
        try {
            if (ticket < h || ticket - h >= Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("result " + ticket + " is outside the reorder window at " + h);
            }
            if (ticket >= h + slots.length) {
                grow(ticket);
            }
            Object[] s = slots;
            SLOT.setVolatile(s, (int) (ticket % s.length), result); // volatile: before the look for readers
            stored++;
        } finally {
            release();
        }
        if (ticket == h && readers.hasWaiters()) {
            readers.signal();
        }
    }

    /** Grows the storage to hold {@code ticket}; lock held. */
    private void grow(long ticket) {
        Object[] old = slots;
        long h = head;
        int length = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(old.length * 2L, ticket - h + 1));
        Object[] grown = new Object[length];
        for (long t = h; t < h + old.length; t++) {
            grown[(int) (t % length)] = old[(int) (t % old.length)];
        }
        slots = grown;
    }

    private void acquire() {
        for (int i = 0; !LOCK.compareAndSet(this, 0, 1); i++) {
            Backoff.briefly(i, LOCK_SPINS); // the holder may have been switched out: then it yields
        }
    }

    private void release() {
        LOCK.setRelease(this, 0);
    }
}
