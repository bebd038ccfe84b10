package dev.workerpool.runtime.spi;

/**
 * Builds a pool's typed result from one job and its outcome: in generated code, the constructor of the
 * pool's {@code Result} record.
 *
 * <p>Called by several threads at once: the workers; for a job that timed out, the pool's watchdog thread; and
 * in {@code runAll}, the calling thread, for jobs a fail-fast run cancelled before they were submitted. So it
 * must be thread-safe (a record constructor is), must not block, and must not throw.
 *
 * @param <J> the job type
 * @param <V> the value type
 * @param <R> the result type
 */
@FunctionalInterface
public interface ResultFactory<J, V, R> {
    /**
     * Builds the result of one job.
     *
     * @param job   the job
     * @param value the job's value; {@code null} when {@code error} is not
     * @param error {@code null} on success; otherwise what the job threw, or a
     *              {@link java.util.concurrent.CancellationException} if the pool was cancelled
     * @return the result to hand to the consumer
     */
    R create(J job, V value, Throwable error);
}
