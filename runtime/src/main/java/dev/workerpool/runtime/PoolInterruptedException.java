package dev.workerpool.runtime;

/**
 * Thrown by a pool's result iterator when the consuming thread is interrupted while it waits for the next
 * result. {@link java.util.Iterator#hasNext()} cannot throw {@link InterruptedException}, so this unchecked
 * exception carries one as its cause, and the thread's interrupt status is set again before it is thrown.
 * No result was lost: the next call to {@code hasNext()} carries on where this one stopped.
 */
public final class PoolInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the runtime does, users need not.
     *
     * @param message names the pool
     * @param cause   the interrupt
     */
    public PoolInterruptedException(String message, InterruptedException cause) {
        super(message, cause);
    }
}
