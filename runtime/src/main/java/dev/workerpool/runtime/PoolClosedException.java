package dev.workerpool.runtime;

/**
 * Thrown by a pool's {@code submit} methods once the pool is closed or cancelled, including to a submitter
 * that was already waiting for room when {@code close()} or {@code cancel()} happened. The job was not
 * accepted: it has no Result, and the caller still owns it. The message names the pool.
 *
 * <p>It is thrown on the submitting thread; the thread that closed or cancelled the pool is not told.
 */
public final class PoolClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the runtime does, users need not.
     *
     * @param message names the pool and says whether it was closed or cancelled
     */
    public PoolClosedException(String message) {
        super(message);
    }
}
