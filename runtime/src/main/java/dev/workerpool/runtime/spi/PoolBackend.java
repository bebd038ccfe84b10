package dev.workerpool.runtime.spi;

/**
 * Where a pool runs when it is not in this JVM alone: a generated pool's {@code start(target, backend)} hands its
 * job function, result factory and {@link JobCodec} to a backend, which returns the running pool. The in-process
 * pool needs no backend ({@link PoolEngine#start PoolEngine.start}); a distributed backend (the
 * {@code workerpool-hazelcast} module's) implements this interface and keeps every guarantee of
 * {@link PoolEngine}, except the ones it states it does not and rejects at {@code start} (or, for
 * {@link PoolEngine#resize resize}, with {@link UnsupportedOperationException} when called).
 *
 * <p>Users get a backend from its module and pass it to a generated {@code start}; they never call
 * {@link #start} themselves. Implementations must be thread-safe: several pools may start on one backend at
 * once.
 */
public interface PoolBackend {

    /**
     * Starts this member's part of a pool: {@code workers} workers of its own that run the job function, and a
     * submitter whose {@link PoolEngine#results() results} are the results of the jobs submitted through the
     * returned engine.
     *
     * @param name          the pool's name; members that start a pool under the same name share its job queue
     * @param options       ordering, fail-fast, timeout, retries, rate and thread factory; a backend rejects what
     *                      it does not support with {@link IllegalArgumentException} naming the option
     * @param workers       this member's number of worker threads, within {@link PoolOptions#checkWorkers}'s
     *                      limits
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits
     * @param function      runs one job; called by every worker at once
     * @param resultFactory builds a result from a job and its outcome
     * @param codec         takes jobs and values apart into what can cross the wire, and puts them back
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     * @throws IllegalArgumentException if a size is out of range, an option is not supported, or a job
     *                                  component or the value has a type that cannot be sent (the message names
     *                                  the pool, the component and the type)
     * @throws IllegalStateException    if the backend is shut down, or the pool runs elsewhere with other sizes
     */
    <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, JobCodec<J, V> codec);
}
