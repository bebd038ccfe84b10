package dev.workerpool.runtime.spi;

/**
 * The work a pool does for one job: in generated code, a call of the annotated method with the job's
 * components as arguments. Called by worker threads only, by up to {@code workers} threads at once; whatever
 * it throws — checked exception, unchecked exception or {@link Error} — becomes that job's error, and the
 * worker goes on with the next job.
 *
 * <p>Interrupts: a pool interrupts a running job's worker when the pool is cancelled (also by a fail-fast
 * failure) and when the job runs past its timeout; a job should give up when interrupted. The worker clears
 * its interrupt status before its next job.
 *
 * @param <J> the job type
 * @param <V> the value type ({@link Void} for a void method, returning {@code null}). For a method that returns a
 *            primitive, generated code makes {@code V} the pool's Result record and builds the successful result
 *            here, so that the primitive is never boxed; its {@link ResultFactory} then passes a success through.
 */
@FunctionalInterface
public interface JobFunction<J, V> {
    /**
     * Runs one job.
     *
     * @param job the job, never {@code null}
     * @return the job's value
     * @throws Throwable anything the job throws; captured in its result
     */
    V apply(J job) throws Throwable;
}
