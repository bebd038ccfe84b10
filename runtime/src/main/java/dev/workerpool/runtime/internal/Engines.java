package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one public type of this package: the door through which {@link PoolEngine}'s static methods reach the
 * in-process engine. Not API: this package is not exported, and everything in it may change in any version.
 * Each method is documented at the {@link PoolEngine} method of the same name, and behaves as that one does:
 * stateless, callable from any thread, and blocking, throwing and answering interrupts as documented there.
 */
public final class Engines {

    private Engines() {
    }

    /**
     * Whether {@code thread} is a virtual thread (always false before JDK 21, which this module does not need).
     *
     * @param thread a thread, not null
     * @return whether it is virtual
     */
    public static boolean isVirtual(Thread thread) {
        return VirtualThreads.isVirtual(thread);
    }

    /**
     * See {@link PoolEngine#start}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       number of worker threads
     * @param buffer        job queue capacity
     * @param function      runs one job
     * @param resultFactory builds a result
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     */
    public static <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        return LocalEngine.start(name, options, workers, buffer, function, resultFactory);
    }

    /**
     * See {@link PoolEngine#start(String, PoolOptions, int, int, JobFunction, ResultFactory, Consumer)}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       number of worker threads
     * @param buffer        job queue capacity
     * @param function      runs one job
     * @param resultFactory builds a result
     * @param onResult      takes every result
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     */
    public static <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, Consumer<? super R> onResult) {
        LocalEngine.given(name, null, "start", "name");
        LocalEngine.given(onResult, name, "start", "onResult");
        return LocalEngine.start(name, options, workers, buffer, function, resultFactory, onResult);
    }

    /**
     * See {@link PoolEngine#startPerWorker(String, PoolOptions, int, int, Supplier, Function, ResultFactory,
     * Consumer)}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       number of worker threads
     * @param buffer        job queue capacity
     * @param targets       makes one target per worker
     * @param bind          turns a target into its worker's function
     * @param resultFactory builds a result
     * @param onResult      takes every result
     * @param <T>           the target type
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     */
    public static <T, J, V, R> PoolEngine<J, R> startPerWorker(String name, PoolOptions options, int workers,
            int buffer, Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory, Consumer<? super R> onResult) {
        LocalEngine.given(name, null, "startPerWorker", "name");
        LocalEngine.given(onResult, name, "startPerWorker", "onResult");
        return LocalEngine.startPerWorker(name, options, workers, buffer, targets, bind, resultFactory, onResult);
    }

    /**
     * See {@link PoolEngine#startPerWorker}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       number of worker threads
     * @param buffer        job queue capacity
     * @param targets       makes one target per worker
     * @param bind          turns a target into its worker's function
     * @param resultFactory builds a result
     * @param <T>           the target type
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     */
    public static <T, J, V, R> PoolEngine<J, R> startPerWorker(String name, PoolOptions options, int workers,
            int buffer, Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        return LocalEngine.startPerWorker(name, options, workers, buffer, targets, bind, resultFactory);
    }

    /**
     * See {@link PoolEngine#runAll}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       the most worker threads
     * @param buffer        job queue capacity
     * @param jobs          the jobs
     * @param function      runs one job
     * @param resultFactory builds a result
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return one result per job, in order
     * @throws InterruptedException if interrupted
     */
    public static <J, V, R> List<R> runAll(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        return RunAll.runAll(name, options, workers, buffer, jobs, function, resultFactory);
    }

    /**
     * See {@link PoolEngine#runAllOrThrow}.
     *
     * @param name          the pool's name
     * @param options       the pool's options
     * @param workers       the most worker threads
     * @param buffer        job queue capacity
     * @param jobs          the jobs
     * @param function      runs one job
     * @param resultFactory builds a result
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return one result per job, in order
     * @throws InterruptedException if interrupted
     * @throws PoolFailedException  if a job failed (fail-fast)
     */
    public static <J, V, R> List<R> runAllOrThrow(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException, PoolFailedException {
        return RunAll.runAllOrThrow(name, options, workers, buffer, jobs, function, resultFactory);
    }
}
