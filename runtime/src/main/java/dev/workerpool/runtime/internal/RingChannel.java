package dev.workerpool.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * The lock-free {@link Channel}: a ring of {@code capacity} slots, each stamped with a sequence number
 * (D. Vyukov's bounded MPMC queue), plus close, blocking and overflow; and, with capacity 0, the unbuffered
 * hand-off, on a ring of one slot.
 *
 * <h2>How it works</h2>
 * <ul>
 *   <li>Positions: {@code tail} counts items ever claimed by senders, {@code head} items ever claimed by
 *       receivers; position {@code p} lives in slot {@code p % capacity}. A slot's stamp is {@code 2p} when it
 *       is free for the sender of position {@code p}, {@code 2p + 1} once that item is in it, and
 *       {@code 2(p + capacity)} once a receiver has taken it (free for the next lap). Doubling keeps "published"
 *       and "free for the next lap" apart even at capacity 1. Positions stay below 2^62 (the close bit), so
 *       stamps do not overflow: that is 146 years of sends at one per nanosecond.</li>
 *   <li>Send: read {@code tail}; if its slot's stamp is {@code 2 * tail}, claim the position with one
 *       compare-and-set on {@code tail}, store the item, publish the stamp. Receive is the mirror image on
 *       {@code head}. An older stamp means full only if {@code tail - head} is the capacity: otherwise a
 *       receiver has claimed the previous lap's item and is about to free the slot, and the sender waits for it
 *       rather than report a "full" that a completed receive already contradicts (an interleaving that
 *       {@code ChannelLincheckTest}'s model checking explores). Senders contend only with senders, receivers
 *       only with receivers.</li>
 *   <li>Close sets a bit in {@code tail}, so no send can claim a position after it, atomically. Drained means
 *       closed and {@code head} has reached the frozen {@code tail}. A receiver that finds a position claimed
 *       but not yet published waits for that sender (a few instructions away) rather than report "empty".</li>
 *   <li>Waiting: spin/yield on the stamps, then park in a {@link WaitSet} (nothing allocated per wait). For
 *       its first yields a waiter waits for a batch (half the capacity: that many items, or that
 *       much room), so that on a small machine a thread switched back in has a batch of work rather than one
 *       item (see BENCHMARKS.md, 3 × 10); then one item or slot will do.
 *       The claim's compare-and-set and the read of whether the other side has parked threads are both volatile,
 *       as are the parker's joining the set and its re-check, which counts claimed positions ({@code head} and
 *       {@code tail}: {@link #hasClaimedItems}, {@link #hasClaimedRoom}) rather than reading stamps: so either the
 *       parker sees the claim or the claimer sees the parker and wakes it, and no lost wake-up. The stamp is then
 *       published with a release store, not a volatile one (no fence per item on either side); a waiter woken
 *       for a position whose item (or free slot) is not yet published waits the few instructions until it is, as
 *       any receiver that meets a claimed slot does. While nobody is parked, nothing is locked.</li>
 *   <li>Hand-off (capacity 0): a sender puts its item in the single slot as into a ring of capacity 1, then
 *       waits until {@code head} passes its position (a receiver took it). If it must give up first (interrupt,
 *       timeout, close) it takes its own item back with the same compare-and-set on {@code head} a receiver
 *       would use: exactly one of them wins, so the item is either received or not sent, never both. Taken-back
 *       positions are counted, so receive tickets stay gap-free and {@link #sent()} counts only items sent.
 *       Once the channel is closed, such an item is its sender's alone ({@code handOffAt}): a receiver that
 *       comes after the close, however soon, leaves it, so a send that was waiting when the channel closed
 *       fails, as on a buffered channel. (An item {@code trySend} put there was accepted: it is drained.)</li>
 *   <li>Hand-off wake-ups: a waiting receiver counts itself in {@code spinningReceivers} while it spins and
 *       yields, and drops the count before it parks. A hand-off send wakes a parked receiver only while no
 *       receiver is counted: one that is will look at the slot after dropping its count, so it takes the item
 *       (or finds it taken), and the send saves a wake-up and the woken thread's context switch (see
 *       BENCHMARKS.md, 8 × 0). A receiver that waited and then took an
 *       item wakes a parked one if an item is still there (a position claimed: counted, as a parker counts), so a
 *       skipped wake-up is always passed on.
 *       {@code -Ddev.workerpool.skipwake=false} turns this off. Buffered channels do not skip: there a woken
 *       receiver adds a worker to a queue that holds more than one item, and skipping costs more than it saves
 *       (see BENCHMARKS.md, 3 × 10).</li>
 *   <li>Overflow: after {@link #unbound()} a send into a full ring, and {@link #sendBeyondCapacity} into a full
 *       ring, go to a small locked deque. Receivers take from it first, so such an item is not held up behind
 *       items sent after it; FIFO order across the two does not hold (the channel's Javadoc says so).</li>
 *   <li>{@code tail}, {@code head}, the read-mostly counters and {@code spinningReceivers} each sit behind 128 bytes
 *       of padding ({@link RingFields}), so that senders and receivers do not write the same cache line.</li>
 * </ul>
 */
final class RingChannel<T> extends RingFields.PadAfter<T> {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The bit set in {@code tail} by close. Positions never reach it (2^62 items). */
    private static final long CLOSED = 1L << 62;
    /** A bit that neither {@code head} nor {@code tail} ever has: see {@link #spoiled}. */
    private static final long NEVER = Long.MIN_VALUE;

    /** The ring's slots: the capacity, or 1 for the hand-off. */
    private final int slots;
    private final Object[] items;
    private final long[] stamps;
    /** {@code slots - 1} if that is a power of two (index by mask), else -1 (index by remainder). */
    private final int mask;
    /** Items sent beyond the capacity, guarded by {@link #lock}; its size is mirrored in {@code overflowSize}. */
    private final ArrayDeque<T> overflow = new ArrayDeque<>();
    /** Items ever sent into the overflow; guarded by {@link #lock}. */
    private long overflowSent;
    private final BooleanSupplier senderMayProceed = this::senderMayProceed;
    private final BooleanSupplier receiverMayProceed = this::receiverMayProceed;
    private final BooleanSupplier senderHasBatch = this::senderHasBatch;
    private final BooleanSupplier receiverHasBatch = this::receiverHasBatch;
    /** What a waiter waits for during its first {@link #patience} yields: this many items, or this much room. */
    final int batch;
    /** Yields spent waiting for a batch before one item or slot will do. */
    private final int patience = Backoff.patience();
    private final WaitSet parkedReceivers = new WaitSet();
    private final WaitSet parkedSenders = new WaitSet();
    /** Hand-off senders whose item is in the slot, waiting for a receiver to take it. */
    private final WaitSet handingOff = new WaitSet();
    private final LongPredicate takenOrClosed = position -> head() > position || isClosed();
    private final LongPredicate receiverMayProceedOrWoken = seen -> hasClaimedItems(1) || woken(seen);
    private final BooleanSupplier senderMayProceedByCount = () -> hasClaimedRoom(1);
    private final BooleanSupplier receiverMayProceedByCount = () -> hasClaimedItems(1);
    /** Whether a send skips waking a parked receiver while another receiver is spinning (see the class comment). */
    private final boolean skipWake;
    /**
     * Set by close before the close bit, never cleared: whether a receiver must leave a waiting hand-off sender's
     * item ({@code handOffAt}, in {@link RingFields.Tail}), which that sender takes back once it sees the close.
     * Written once, so receivers read it from their own cache, where a read of {@code tail} would fetch the line
     * the senders write. {@code handOffAt} is written by the sender before it publishes the item's stamp, and read
     * by receivers after they read that stamp.
     */
    private volatile boolean closing;

    RingChannel(String name, int capacity) {
        super(name, capacity);
        this.slots = Math.max(1, capacity);
        this.items = new Object[slots];
        this.stamps = new long[slots];
        for (int i = 0; i < slots; i++) {
            stamps[i] = 2L * i;
        }
        this.mask = Integer.bitCount(slots) == 1 ? slots - 1 : -1;
        this.batch = Backoff.batchFor(capacity);
        this.skipWake = capacity == 0 && Tuning.skipWake();
    }

    @Override
    int size() {
        for (;;) {
            long head = head();
            long tail = tail() & ~CLOSED;
            if (head == head()) { // head did not move while tail was read: tail - head was the size then
                return (int) Math.min(Integer.MAX_VALUE, tail - head + overflowSize);
            }
        }
    }

    @Override
    long sent() {
        lock.lock();
        try {
            return (tail() & ~CLOSED) - retracted + overflowSent;
        } finally {
            lock.unlock();
        }
    }

    @Override
    int highWaterMark() {
        return (int) highWaterMark;
    }

    @Override
    boolean isClosed() {
        return (tail() & CLOSED) != 0;
    }

    @Override
    boolean isDrained() {
        long tail = tail();
        if ((tail & CLOSED) == 0 || overflowSize != 0) {
            return false;
        }
        long head = head();
        long sent = tail & ~CLOSED;
        return sent == head || sent == head + 1 && handOffAt == head; // the one item left is its sender's
    }

    @Override
    boolean sendUntil(T item, long deadline) throws InterruptedException {
        if (capacity == 0) {
            return handOff(item, deadline);
        }
        for (;;) {
            if (trySend(item)) {
                return true;
            }
            if (!Backoff.spinUntil(senderHasBatch, senderMayProceed, patience, roomMayCome)
                    && !parkSender(deadline)) {
                return false;
            }
        }
    }

    @Override
    boolean trySend(T item) {
        if (capacity == 0) { // only to a receiver already waiting (Channel#trySend)
            if (waitingReceivers == 0) {
                if (isClosed()) {
                    throw closedException();
                }
                return false;
            }
            return offer(item, false) >= 0;
        }
        if (offer(item, false) >= 0) {
            return true;
        }
        if (unbounded) {
            sendToOverflow(item);
            return true;
        }
        return false;
    }

    @Override
    void sendBeyondCapacity(T item) {
        if (offer(item, false) < 0) {
            sendToOverflow(item);
        }
    }

    /**
     * The fast path is two branches: the item at {@code head} is there (and the channel buffered, with no
     * overflow), and this receiver's claim of it succeeds. Anything else goes to {@link #receiveSlowly}, and so
     * do every 256th position (first branch) and the next one (second branch: its claim is made to fail, with an
     * expected value that {@code head} never holds). So both ways of each branch are in every pool's profile, and
     * C2 compiles a call to the slow path, not an uncommon trap: the end of a pool, a race with another receiver
     * or a sender, and waiting never throw away the compiled receive (see DESIGN.md, hot paths).
     */
    @Override
    T receiveUntil(long deadline, long[] ticket, long wakeups) throws InterruptedException {
        long head = head();
        int i = index(head);
        long missing = (long) LONGS.getAcquire(stamps, i) ^ (2 * head + 1);
        if ((missing | -missing | ((head & 255) - 1) | -overflowSize | capacity - 1) < 0) {
            return receiveSlowly(deadline, ticket, wakeups);
        }
        if (!HEAD.compareAndSet(this, head | spoiled(head), head + 1)) {
            return receiveSlowly(deadline, ticket, wakeups);
        }
        return take(i, head, ticket);
    }

    /** Takes the item at the claimed position {@code head} (slot {@code i}) and frees its slot. */
    @SuppressWarnings("unchecked")
    private T take(int i, long head, long[] ticket) {
        T item = (T) items[i];
        items[i] = null;
        if (ticket != null) {
            // Before the slot is freed: every position taken back before ours is counted by now (its count precedes
            // the free our position's send waited for), and none after ours can be (that needs this slot free).
            // Read after the free, a take-back of the next position could be counted too, giving this item the
            // previous item's ticket.
            ticket[0] = head - retracted;
        }
        LONGS.setRelease(stamps, i, 2 * (head + slots)); // the claim's compare-and-set orders the parked-senders read
        // A signal to an empty set returns at once; at every 256th position + 2 one is sent regardless, so that
        // both ways are in the profile.
        if ((-(long) parkedSenders.size() | (((head & 255) ^ 2) - 1)) < 0) {
            parkedSenders.signal();
        }
        if (capacity == 0 && handingOff.hasWaiters()) {
            handingOff.signalAll();
        }
        return item;
    }

    /** {@link #receiveUntil}, off its fast path: the item not yet there, the end, overflow, hand-off, waiting. */
    private T receiveSlowly(long deadline, long[] ticket, long wakeups) throws InterruptedException {
        T item = poll(ticket);
        if (item != null) {
            return item;
        }
        if (isDrained()) {
            return null;
        }
        boolean handOff = capacity == 0;
        if (handOff) { // a waiting receiver, which a trySend may hand its item to
            WAITING_RECEIVERS.getAndAdd(this, 1L);
        }
        try {
            for (;;) {
                if (!awaitItem(deadline, wakeups)) {
                    return null;
                }
                item = poll(ticket);
                if (item != null) {
                    // Pass on a wake-up a send may have skipped for us. Claimed positions are counted, not stamps
                    // read: the skipping send's stamp may not be visible yet, its claim is (it preceded the send's
                    // read of our count, which preceded our count's drop, which precedes this).
                    if (skipWake && parkedReceivers.hasWaiters() && hasClaimedItems(1)) {
                        parkedReceivers.signal();
                    }
                    return item;
                }
                if (isDrained() || woken(wakeups)) {
                    return null;
                }
            }
        } finally {
            if (handOff) {
                WAITING_RECEIVERS.getAndAdd(this, -1L);
            }
        }
    }

    /**
     * Spins/yields, counted in {@code spinningReceivers}, then parks; false if the deadline passed. The count is
     * dropped before parking, so any check of the ring made after it comes after a send that saw the count.
     */
    private boolean awaitItem(long deadline, long wakeups) throws InterruptedException {
        SPINNING_RECEIVERS.getAndAdd(this, 1L);
        boolean ready;
        try {
            ready = Backoff.spinUntil(receiverHasBatch, receiverMayProceed, patience, itemsMayCome);
        } finally {
            SPINNING_RECEIVERS.getAndAdd(this, -1L);
        }
        return ready || parkReceiver(deadline, wakeups);
    }

    @Override
    T tryReceive() {
        return poll(null);
    }

    @Override
    boolean close() {
        lock.lock();
        try {
            closing = true; // before the close bit: a receiver that sees the bit's effects sees this too
            long tail;
            do { // senders claim positions by compare-and-set on tail meanwhile; the lock keeps out other closes
                tail = tail();
            } while ((tail & CLOSED) == 0 && !TAIL.compareAndSet(this, tail, tail | CLOSED));
            if ((tail & CLOSED) != 0) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        parkedReceivers.signalAll();
        parkedSenders.signalAll();
        handingOff.signalAll();
        return true;
    }

    @Override
    void wakeReceivers() {
        lock.lock(); // only to count: resizes are rare
        try {
            wakeups++;
        } finally {
            lock.unlock();
        }
        parkedReceivers.signalAll();
    }

    @Override
    void wakeSenders() {
        parkedSenders.signalAll();
    }

    /**
     * Hand-off: puts the item in the slot when it is free, then waits for a receiver to take it; if the wait
     * ends first (deadline, interrupt, close), takes the item back, unless a receiver won that race.
     */
    private boolean handOff(T item, long deadline) throws InterruptedException {
        for (;;) {
            long position = offer(item, true);
            if (position >= 0) {
                return awaitTaken(position, deadline);
            }
            if (unbounded) {
                sendToOverflow(item);
                return true;
            }
            if (!Backoff.spinUntil(senderHasBatch, senderMayProceed, patience, roomMayCome)
                    && !parkSender(deadline)) {
                return false;
            }
        }
    }

    /**
     * Hand-off, our item at {@code position}: spins and yields first ({@link Backoff}) (a receiver usually takes it
     * within a time slice; parking at once costs a park/unpark round trip per item), then parks until it is taken.
     */
    private boolean awaitTaken(long position, long deadline) throws InterruptedException {
        for (int round = 0; !takenOrClosed.test(position) && Backoff.pause(round); round++) {
            // spin, then yield
        }
        boolean inTime;
        try {
            inTime = takenOrClosed.test(position) || handingOff.await(takenOrClosed, position, deadline);
        } catch (InterruptedException e) {
            if (takeBack(position)) {
                throw e;
            }
            Thread.currentThread().interrupt(); // taken meanwhile: the send succeeded; keep the interrupt
            return true;
        }
        if (head() > position || !takeBack(position)) {
            return true;
        }
        if (inTime) {
            throw closedException(); // closed before any receiver took it
        }
        return false;
    }

    /**
     * Hand-off: takes the item at {@code position} back out of the slot, with the compare-and-set on
     * {@code head} a receiver would make; false if a receiver took it first.
     */
    private boolean takeBack(long position) {
        if (head() != position || !HEAD.compareAndSet(this, position, position + 1)) {
            return false;
        }
        int i = index(position);
        items[i] = null;
        RETRACTED.getAndAdd(this, 1L); // before the slot is freed: tickets after it see it
        LONGS.setVolatile(stamps, i, 2 * (position + slots));
        if (parkedSenders.hasWaiters()) {
            parkedSenders.signal();
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------

    private long tail() {
        return tail;
    }

    private long head() {
        return head;
    }

    private int index(long position) {
        return mask >= 0 ? (int) position & mask : (int) (position % slots);
    }

    /**
     * One attempt to put the item in the ring: its position, or -1 if the ring is full. Throws if closed.
     * {@code takeBack}: a hand-off sender's item, which it takes back if the channel closes before a receiver
     * took it ({@code handOffAt}).
     */
    private long offer(T item, boolean takeBack) {
        // As receiveUntil's fast path: the slot at tail is free (and the channel open and buffered), and the claim
        // succeeds; anything else, every 256th position and (a claim made to fail) the next go to offerSlowly.
        long tail = tail();
        int i = index(tail);
        long taken = (long) LONGS.getAcquire(stamps, i) ^ (2 * tail); // not 0 if closed too: 2 * tail overflows
        if ((taken | -taken | ((tail & 255) - 1) | capacity - 1) < 0) {
            return offerSlowly(item, takeBack);
        }
        if (!TAIL.compareAndSet(this, tail | spoiled(tail), tail + 1)) {
            return offerSlowly(item, takeBack);
        }
        publish(i, tail, item);
        return tail;
    }

    /**
     * {@link #NEVER} at every 256th position + 1, else 0: or'ed into a claim's expected value, it makes the claim
     * fail there, so that a fast path's failed-claim branch is in every profile (see {@link #receiveUntil}).
     */
    private static long spoiled(long position) {
        return (((position & 255) ^ 1) - 1) & NEVER;
    }

    /** {@link #offer}, off its fast path: the slot not yet free, full, closed, hand-off, a lost claim. */
    private long offerSlowly(T item, boolean takeBack) {
        for (int waits = 0; ; ) {
            long tail = tail();
            if ((tail & CLOSED) != 0) {
                throw closedException();
            }
            int i = index(tail);
            long stamp = (long) LONGS.getAcquire(stamps, i);
            if (stamp == 2 * tail) {
                if (TAIL.compareAndSet(this, tail, tail + 1)) {
                    if (takeBack) {
                        handOffAt = tail; // published with the stamp below
                    }
                    publish(i, tail, item);
                    return tail;
                }
            } else if (stamp < 2 * tail) {
                // The slot still holds the previous lap's item. Full, unless a receiver has already taken that
                // item and is about to free the slot: then the channel is not full, and the wait is short. At every
                // 256th position + 3 a full ring waits once too (first pass only), so both ways are in the profile.
                long room = slots - (tail - head());
                if ((-room | ((((tail & 255) ^ 3) | waits) - 1)) >= 0) {
                    return -1;
                }
                waitForOtherSide(waits++);
            }
            // stamp > 2 * tail: another sender claimed this position first; try the next one
        }
    }

    /** Stores the item at the claimed position {@code tail} (slot {@code i}), publishes it, wakes a receiver. */
    private void publish(int i, long tail, T item) {
        items[i] = item;
        LONGS.setRelease(stamps, i, 2 * tail + 1); // the claim's compare-and-set orders the parked-receivers read
        if (keepsHighWaterMark) {
            long mark = highWaterMark;
            // Until the ring has been full (then ring sends cannot raise the mark), and at every 256th send after
            // that: see ringSent.
            if (((mark - slots) | ((tail & 255) - 1)) < 0) {
                ringSent(mark, tail);
            }
        }
        // A signal to an empty set returns at once; at every 256th position + 2 one is sent regardless, so that
        // both ways are in the profile.
        if ((-(long) parkedReceivers.size() | (((tail & 255) ^ 2) - 1)) < 0
                && (!skipWake || spinningReceivers == 0)) {
            parkedReceivers.signal();
        }
    }

    /** The next item, or null if the ring and the overflow are empty. */
    @SuppressWarnings("unchecked")
    private T poll(long[] ticket) {
        if (overflowSize > 0) {
            T item = pollOverflow();
            if (item != null) {
                return item;
            }
        }
        for (int waits = 0; ; ) {
            long head = head();
            int i = index(head);
            long stamp = (long) LONGS.getAcquire(stamps, i);
            if (stamp == 2 * head + 1) {
                if (capacity == 0 && closing && handOffAt == head) {
                    return null; // a hand-off sender's, which the close has failed: it takes the item back
                }
                if (HEAD.compareAndSet(this, head, head + 1)) {
                    return take(i, head, ticket);
                }
            } else if (stamp < 2 * head + 1) {
                if ((tail() & ~CLOSED) == head) {
                    return null; // empty
                }
                // A sender has claimed this position and is storing its item: wait for it, it is close.
                waitForOtherSide(waits++);
            }
            // stamp > 2 * head + 1: another receiver took this position first; try the next one
        }
    }

    /** A thread of the other side is between its compare-and-set and its stamp store, a few instructions. */
    private static void waitForOtherSide(int waits) {
        Backoff.briefly(waits, 16);
    }

    private void sendToOverflow(T item) {
        lock.lock();
        try {
            if (isClosed()) {
                throw closedException();
            }
            overflow.add(item);
            overflowSent++;
            overflowSize = overflow.size();
            if (keepsHighWaterMark) {
                raiseHighWaterMark(highWaterMark, slots + (long) overflow.size());
            }
        } finally {
            lock.unlock();
        }
        if (parkedReceivers.hasWaiters()) {
            parkedReceivers.signal();
        }
    }

    private T pollOverflow() {
        lock.lock();
        try {
            T item = overflow.poll();
            overflowSize = overflow.size();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Raises the high-water mark, last seen as {@code mark}, to the items waiting once the item at position
     * {@code tail} is in: called at every send until the ring has been full, and at every 256th after that. The
     * tests here and in {@link #offer} are arithmetic, and the 256th and 4096th sends take them the other way: so
     * each branch goes both ways in a pool's steady state. Branches that only a new ring's first sends take would
     * be compiled by the JIT as traps, which those sends then take at a JVM's next pool, throwing away the compiled
     * send path (see BENCHMARKS.md, Fresh JVM).
     */
    private void ringSent(long mark, long tail) {
        long size = tail + 1 - head();
        if (((mark - size) | ((tail & 4095) - 1)) < 0) { // size > mark, or every 4096th send: then a no-op
            while (!HIGH_WATER_MARK.compareAndSet(this, mark, WorkerStats.longer(mark, size))) {
                mark = highWaterMark;
            }
        }
    }

    /** Raises the high-water mark, last seen as {@code mark}, to {@code size} if that is higher. */
    private void raiseHighWaterMark(long mark, long size) {
        while (size > mark && !HIGH_WATER_MARK.compareAndSet(this, mark, size)) {
            mark = highWaterMark;
        }
    }

    private boolean senderMayProceed() {
        return roomFor(1);
    }

    private boolean receiverMayProceed() {
        return hasItems(1);
    }

    /** Room for a batch (or closed, or unbounded): see {@link #hasRoom}. */
    boolean senderHasBatch() {
        return roomFor(batch);
    }

    /** A batch to take (or closed, or items in the overflow): see {@link #hasItems}. */
    boolean receiverHasBatch() {
        return hasItems(batch);
    }

    /**
     * Whether a send would not wait for {@code n} items: {@link #roomFor}; a hand-off send always waits for its
     * receiver, so with capacity 0 only while closed (it then fails at once).
     */
    @Override
    boolean hasRoom(int n) {
        return capacity == 0 ? isClosed() : roomFor(n);
    }

    /**
     * Whether a sender may stop waiting: closed, unbounded, or the slot {@code n - 1} positions past the tail is
     * free for its lap (so, with one sender, {@code n} sends would not wait).
     */
    private boolean roomFor(int n) {
        long tail = tail();
        long last = tail + n - 1;
        return (tail & CLOSED) != 0 || unbounded || (long) LONGS.getVolatile(stamps, index(last)) >= 2 * last;
    }

    /**
     * Whether a receiver may stop waiting: items in the overflow, the item {@code items - 1} positions past the
     * head published, or closed.
     */
    @Override
    boolean hasItems(int items) {
        if (overflowSize > 0) {
            return true;
        }
        long last = head() + items - 1;
        // Published (the stamp above 2 * last), or else closed (tail's CLOSED bit shifted into the sign): the end
        // is a value, not a test of its own, whose one way only a pool's end takes and which would be compiled as
        // a trap (DESIGN.md, hot paths). Tail, which senders write, is read only when the item is not there.
        long unpublished = 2 * last - (long) LONGS.getVolatile(stamps, index(last));
        if (unpublished >= 0) {
            unpublished = tail() << 1;
        }
        return unpublished < 0;
    }

    /**
     * A parker's re-check ({@link WaitSet}): whether senders have claimed {@code n} positions past {@code head}
     * (their items published or about to be), or items are in the overflow, or the channel is closed (then
     * {@code tail} has the close bit, far above any {@code head}). Reads {@code head} and {@code tail}, which
     * the claims' compare-and-sets write, so that a claim and a parker's joining cannot miss each other.
     */
    @Override
    boolean hasClaimedItems(int n) {
        long head = head();
        return tail() - head >= n || overflowSize > 0;
    }

    /**
     * A parker's re-check, the sender-side twin of {@link #hasClaimedItems}: closed, unbounded, or receivers have
     * claimed enough items that {@code n} positions past {@code tail} are free or about to be.
     */
    @Override
    boolean hasClaimedRoom(int n) {
        long tail = tail();
        return (tail & CLOSED) != 0 || unbounded || slots - (tail - head()) >= n;
    }

    private boolean parkSender(long deadline) throws InterruptedException {
        return parkedSenders.await(senderMayProceedByCount, deadline);
    }

    private boolean parkReceiver(long deadline, long wakeups) throws InterruptedException {
        return wakeups == JobQueue.UNWAKEABLE
                ? parkedReceivers.await(receiverMayProceedByCount, deadline)
                : parkedReceivers.await(receiverMayProceedOrWoken, wakeups, deadline);
    }
}
