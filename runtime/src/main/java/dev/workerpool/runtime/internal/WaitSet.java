package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * Where threads park until a condition they check themselves may hold, and are woken by the thread that makes it
 * hold: the parking half of {@link RingChannel}, {@link Lanes} and {@link OrderedResults}, in place of a
 * {@code ReentrantLock} and its {@code Condition}s. Thread-safe.
 *
 * <h2>Why not a lock and a condition</h2>
 * {@code Condition.await} allocates a node per wait, and a woken waiter must then re-acquire the lock, which
 * allocates the lock's own node whenever another thread holds it: with many threads on few cores, garbage on
 * every hand-off (see BENCHMARKS.md, Allocation, 8 × 0). Here each
 * thread has one waiter, made the first time it parks and reused for every later wait on any set; the list of
 * waiters is guarded by a spin lock held for a few instructions (never while parked); a woken waiter takes no
 * lock to proceed. Nothing is allocated per wait.
 *
 * <h2>Protocol (no lost wake-up)</h2>
 * <ul>
 *   <li>A waiter adds itself to the set (a volatile write of the set's size), then checks its condition, and
 *       parks only if the condition is still false. The thread that makes the condition true publishes that with
 *       a volatile write, then reads the size ({@link #hasWaiters()}) and, if it is not zero, calls
 *       {@link #signal()} or {@link #signalAll()}. Both sides write then read volatile variables, so either the
 *       waiter sees the change or the other thread sees the waiter.</li>
 *   <li>{@link #signal()} removes the longest-waiting waiter from the set and unparks it. The woken thread checks
 *       its condition again; if another thread got there first, it adds itself again (and checks again) before
 *       it parks, like a thread woken from {@code Condition.await}.</li>
 *   <li>A signal is never spent on a thread that gives up. A signalled waiter checks its condition before it may
 *       give up (deadline, interrupt), and proceeds if it holds; and a waiter that gives up after a signal chose
 *       it (the signal landed between its last check and its leaving) passes the signal on to the next waiter,
 *       as a {@code Condition} does. So a signal is lost only when its condition no longer held, which is why the
 *       waiters of one set should wait for the same condition (or be woken with {@link #signalAll()}).</li>
 *   <li>Spurious returns from {@link LockSupport#park} (and late unparks meant for an earlier wait) are harmless:
 *       a waiter returns only when its condition holds, its deadline passed, or it was interrupted.</li>
 * </ul>
 */
final class WaitSet {

    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOCK = lookup.findVarHandle(WaitSet.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Spins on the list's lock before yielding: the lock is held for a few instructions at a time. */
    private static final int LOCK_SPINS = 64;

    /** One per thread, reused by every wait of that thread on any set: a thread waits in one set at a time. */
    private static final ThreadLocal<Waiter> WAITER = ThreadLocal.withInitial(Waiter::new);

    /** A parked (or about to park) thread, linked into one set's list while {@code queued}. */
    static final class Waiter {
        final Thread thread = Thread.currentThread();
        /** In a set's list; written under that set's lock, read without it by the waiter itself. */
        volatile boolean queued;
        /**
         * Woken and not yet back: set by {@link #signal()} or {@link #signalAll()} as it dequeues the waiter (under
         * the set's lock, before the unpark), cleared by the waiter when it joins a set again or its wait ends. Until
         * the woken thread has run, its {@link Thread#getState() state} still reads as waiting; this tells a thread
         * about to run from one that waits ({@link Worker#woken()}). A hint for others' waiting policy, never part of
         * the no-lost-wake-up protocol.
         */
        volatile boolean woken;
        Waiter prev;
        Waiter next;
    }

    /** 0 free, 1 held: guards the list. */
    private volatile int lock;
    /** Waiters in the list: written under the lock, read without it by {@link #hasWaiters()}. */
    private volatile int size;
    private Waiter first;
    private Waiter last;

    /** The calling thread's waiter, which every wait of that thread in any set uses (made on first use). */
    static Waiter currentWaiter() {
        return WAITER.get();
    }

    /** Whether any thread is in the set (a volatile read: see the class comment for when to call it). */
    boolean hasWaiters() {
        return size != 0;
    }

    /** The number of threads in the set: a snapshot, a volatile read as in {@link #hasWaiters()}. */
    int size() {
        return size;
    }

    /**
     * Parks until {@code ready} holds, the deadline passes ({@link Timeouts#NONE}: none), or the thread is
     * interrupted. {@code ready} is checked after joining the set and after every wake-up.
     *
     * @return true if {@code ready} held; false if the deadline passed first
     * @throws InterruptedException if interrupted while {@code ready} did not hold (the status is cleared)
     */
    boolean await(BooleanSupplier ready, long deadline) throws InterruptedException {
        return await(ready, null, 0, deadline);
    }

    /** As {@link #await(BooleanSupplier, long)}, for a condition on a number (a position): {@code ready.test(arg)}. */
    boolean await(LongPredicate ready, long arg, long deadline) throws InterruptedException {
        return await(null, ready, arg, deadline);
    }

    private boolean await(BooleanSupplier plain, LongPredicate withArg, long arg, long deadline)
            throws InterruptedException {
        Waiter me = WAITER.get();
        enqueue(me);
        boolean ready = false;
        try {
            for (;;) {
                if (plain != null ? plain.getAsBoolean() : withArg.test(arg)) {
                    ready = true;
                    return true;
                }
                if (!me.queued) { // signalled, but another thread took what we were woken for: join again
                    enqueue(me);
                    continue;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (deadline == Timeouts.NONE) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
            }
        } finally {
            boolean left = leave(me);
            me.woken = false; // after leave: a signal that chose us has written it before dequeuing us
            if (!left && !ready) {
                signal(); // a signal chose us after our last check, and we give up: pass it on
            }
        }
    }

    /** Wakes the longest-waiting thread, if any. */
    void signal() {
        if (!hasWaiters()) {
            return;
        }
        acquire();
        Waiter w = first;
        if (w != null) {
            w.woken = true;
            unlink(w);
        }
        release();
        if (w != null) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * Wakes every thread in the set. Unparks while holding the list's lock (a waiter may reuse its links as soon
     * as it sees itself dequeued, and remembering the threads elsewhere would allocate): this is for close and
     * the like, not for the per-item path.
     */
    void signalAll() {
        if (!hasWaiters()) {
            return;
        }
        acquire();
        try {
            for (Waiter w = first; w != null; w = first) {
                Thread thread = w.thread;
                w.woken = true;
                unlink(w);
                LockSupport.unpark(thread);
            }
        } finally {
            release();
        }
    }

    private void enqueue(Waiter w) {
        acquire();
        w.next = null;
        w.prev = last;
        if (last == null) {
            first = w;
        } else {
            last.next = w;
        }
        last = w;
        w.queued = true;
        w.woken = false;
        size = size + 1; // volatile: before the waiter's check of its condition
        release();
    }

    /**
     * Leaves the set, if a signal has not already taken this waiter out of it: true if it left, false if a
     * signal (or {@link #signalAll()}) had dequeued it.
     */
    private boolean leave(Waiter w) {
        if (!w.queued) { // once a signaller has cleared it, the signaller no longer touches the waiter
            return false;
        }
        acquire();
        boolean queued = w.queued;
        if (queued) {
            unlink(w);
        }
        release();
        return queued;
    }

    /** Removes a queued waiter; lock held. */
    private void unlink(Waiter w) {
        if (w.prev == null) {
            first = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            last = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        size = size - 1;
        w.queued = false; // last: from here on the waiter may join a set again
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
