package dev.workerpool.runtime.internal;

import java.time.Duration;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A one-shot countdown latch: Go's {@code sync.WaitGroup}, made so that the "{@code Add} after the count reached
 * zero" and "negative counter" mistakes cannot be written.
 *
 * <p>Each of {@code parties} participants calls {@link #arrive()} exactly once when it is done; the call that
 * brings the count to zero returns {@code true}, which tells exactly one thread that it is the last (the
 * "closer goroutine" of the Go pattern). Any number of threads may {@link #await()} completion. Calling
 * {@code arrive()} more times than there are parties is a bug and throws {@link IllegalStateException}.
 * {@link #tryJoin()} adds a participant (a worker a pool starts when it grows), but only while the latch is not
 * complete: once the count has reached zero it stays there, so completion happens exactly once.
 *
 * <p>Memory effects: everything a participant did before {@code arrive()} happens-before any thread returns
 * from {@code await} (or sees {@link #isDone()} true).
 */
final class CompletionLatch {

    private static final class Sync extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        Sync(int count) {
            setState(count);
        }

        @Override
        protected int tryAcquireShared(int ignored) {
            return getState() == 0 ? 1 : -1;
        }

        /** Returns true for the release that reaches zero, which is the one that must wake the waiters. */
        @Override
        protected boolean tryReleaseShared(int ignored) {
            for (;;) {
                int c = getState();
                if (c == 0) {
                    throw new IllegalStateException("arrive() called more times than there are parties");
                }
                if (compareAndSetState(c, c - 1)) {
                    return c == 1;
                }
            }
        }

        int count() {
            return getState();
        }

        boolean tryJoin() {
            for (;;) {
                int c = getState();
                if (c == 0) {
                    return false;
                }
                if (c == Integer.MAX_VALUE) {
                    throw new IllegalStateException("too many parties");
                }
                if (compareAndSetState(c, c + 1)) {
                    return true;
                }
            }
        }
    }

    private final Sync sync;

    /**
     * @param parties how many {@link #arrive()} calls complete the latch; {@code 0} makes it complete already
     * @throws IllegalArgumentException if {@code parties < 0}
     */
    CompletionLatch(int parties) {
        if (parties < 0) {
            throw new IllegalArgumentException("parties must be at least 0, was " + parties);
        }
        this.sync = new Sync(parties);
    }

    /**
     * Records that one participant is done. Never blocks.
     *
     * @return {@code true} for exactly one call: the one that completed the latch
     * @throws IllegalStateException if every participant has already arrived
     */
    boolean arrive() {
        return sync.releaseShared(1);
    }

    /**
     * Adds a participant, unless every participant has already arrived. Never blocks.
     *
     * @return {@code true} if added (it must {@link #arrive()} once); {@code false} if the latch is complete
     */
    boolean tryJoin() {
        return sync.tryJoin();
    }

    /**
     * Waits until every participant has arrived.
     *
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    void await() throws InterruptedException {
        sync.acquireSharedInterruptibly(1);
    }

    /**
     * Waits at most {@code timeout} until every participant has arrived.
     *
     * @return {@code true} if complete, {@code false} if the time ran out first
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    boolean await(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (nanos == Long.MAX_VALUE) {
            await();
            return true;
        }
        return sync.tryAcquireSharedNanos(1, nanos);
    }

    /** Whether every participant has arrived. */
    boolean isDone() {
        return sync.count() == 0;
    }

    /** How many participants have not arrived yet; a snapshot. */
    int remaining() {
        return sync.count();
    }

    @Override
    public String toString() {
        return "CompletionLatch[remaining=" + sync.count() + "]";
    }
}
