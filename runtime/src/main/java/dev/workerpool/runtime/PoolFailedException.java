package dev.workerpool.runtime;

import java.util.concurrent.ExecutionException;

/**
 * Thrown by a fail-fast pool's {@code await} and {@code runAll} when a job failed: the pool was cancelled by
 * that first failure (Go's errgroup {@code Wait} returning the first error). The {@linkplain #getCause() cause}
 * is what the job threw; {@link #job()} is the job. Every accepted job still has its result: the failed one
 * carries its own error, the others their values or a {@link java.util.concurrent.CancellationException}.
 *
 * <p>Each call that reports the failure throws a new instance, on the calling thread, once the pool has
 * terminated. The cause is the one throwable the job threw: every instance shares it, and so does the failed
 * job's result, so threads that handle the failure concurrently see the same object.
 */
public final class PoolFailedException extends ExecutionException {

    private static final long serialVersionUID = 1L;

    /** Not serialized: a job need not be serializable. */
    private final transient Object job;

    /**
     * Creates the exception; the runtime does, users need not.
     *
     * @param pool  the pool's name
     * @param job   the job that failed first
     * @param cause what it threw
     */
    public PoolFailedException(String pool, Object job, Throwable cause) {
        super(pool + " failed fast: a job threw " + describe(cause), cause);
        this.job = job;
    }

    /** The cause's {@code toString()}, or its class if that throws: user code must not keep the failure unsaid. */
    private static String describe(Throwable cause) {
        try {
            return String.valueOf(cause);
        } catch (RuntimeException | Error e) {
            return cause.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
        }
    }

    /**
     * The job whose failure stopped the pool.
     *
     * @return the job, as it was submitted; {@code null} after deserialization
     */
    public Object job() {
        return job;
    }
}
