package dev.workerpool.runtime.internal;

/**
 * A result queue that nobody reads: results go somewhere as they are sent ({@code runAll}'s answer, a
 * side-effect pool's handler), so sends never wait, there is nothing to receive, and {@code results()} refuses.
 * Subclasses say where a sent result goes.
 *
 * @param <R> the result type
 */
abstract class UnreadResults<R> implements ResultQueue<R> {

    /** Set by the last worker to exit. */
    private volatile boolean closed;

    /** Why there is nothing to receive, for the exception {@link #receive()} throws. */
    abstract String whyUnread();

    @Override
    public final R receive() {
        throw new IllegalStateException(whyUnread());
    }

    @Override
    public final R receiveNow() {
        throw new IllegalStateException(whyUnread());
    }

    @Override
    public final boolean readable() {
        return false;
    }

    @Override
    public final boolean close() {
        boolean closing = !closed;
        closed = true;
        return closing;
    }

    /** Sends never wait here. */
    @Override
    public final void unbound() {
        // nothing to lift
    }

    @Override
    public final int size() {
        return 0;
    }
}
