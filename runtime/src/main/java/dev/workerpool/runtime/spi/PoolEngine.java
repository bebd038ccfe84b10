package dev.workerpool.runtime.spi;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolInterruptedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.internal.Engines;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A running pool, as a generated {@code *Pool} class sees it: the one type generated code delegates to. For
 * generated code only; the contract users rely on is the generated class's, which states it in its own Javadoc
 * and points here for the details.
 *
 * <h2>Lifecycle (Go's pattern, in Java)</h2>
 * <ol>
 *   <li>{@link #start start} makes the queues and starts exactly {@code workers} threads named
 *       {@code <name>-worker-1 … -N} (non-daemon, so accepted work is not silently lost when {@code main}
 *       returns).</li>
 *   <li>Producers {@link #submit} jobs; a full job queue blocks them (backpressure).</li>
 *   <li>Each worker loops: receive a job, run it, send its result. Whatever the job throws is captured in its
 *       result; the worker survives.</li>
 *   <li>{@link #close()} is Go's {@code close(jobs)}: no more jobs; queued jobs still run; workers exit when
 *       the queue is drained. The last worker to exit closes the results, which ends {@link #results()}
 *       iteration and releases {@link #await()}.</li>
 *   <li>{@link #cancel()} is Go's context cancel: no more jobs, running jobs are interrupted, queued jobs
 *       are not started; each still yields exactly one result, carrying a {@link CancellationException}.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Exactly once.</b> Every job that {@code submit} accepted (returned normally, or {@code true})
 *       yields exactly one result. A job that was not accepted (an exception, or {@code false}) yields none
 *       and remains the caller's.</li>
 *   <li><b>Bounded.</b> At most {@code buffer} jobs wait, {@code workers} run, and {@code workers + buffer}
 *       results wait to be read. A producer that outruns the workers is held back; workers whose results
 *       nobody reads are held back too, so results must be read while jobs are submitted (or use
 *       {@link #runAll}).</li>
 *   <li><b>No leaks.</b> After close-and-drain or cancel, every worker thread has terminated once
 *       {@link #await()} returns.</li>
 *   <li><b>No idle worker beside a waiting job.</b> A worker waits for a job only while none is queued.</li>
 *   <li><b>Order.</b> Ordered pools hand results out in acceptance order. Otherwise workers take jobs in
 *       submission order and results come out in completion order, except in a large unordered pool, whose
 *       queues have a lane per worker: there both hold only roughly.</li>
 *   <li><b>Threads.</b> Every method may be called from any thread, including from inside a job (a job may
 *       {@code submit} to its own pool, which blocks if the pool is full, or {@code cancel} it; a job that calls
 *       {@link #await()} on its own pool gets an {@link IllegalStateException}, since it would wait for ever, and
 *       the timed {@link #await(Duration)} returns {@code false} at its timeout; a job that iterates its own
 *       pool's {@link #results()} gets the results already there, then an {@link IllegalStateException} where
 *       the iterator would wait, since the results may end only once the job itself has ended. Both engines
 *       hold to this: the in-process one, and {@code HazelcastBackend}'s for a job on one of its member's own
 *       workers of the pool).</li>
 *   <li><b>Blocking and interrupts.</b> Only {@link #submit}, the timed {@link #trySubmit(Object, Duration)
 *       trySubmit}, the {@code await} and {@code runAll} methods and iteration of {@link #results()} wait for
 *       other threads; every other method returns promptly. A waiting method that is interrupted throws
 *       {@link InterruptedException}, the {@code java.util.concurrent} way: {@code submit} has then not accepted
 *       the job, {@code await} has changed nothing, and {@code runAll} has cancelled its pool and waited for it.
 *       A results iterator throws {@link PoolInterruptedException} instead, with the interrupt status set.</li>
 * </ul>
 *
 * <h2>Compatibility</h2>
 * The rule is the SPI package's ({@code dev.workerpool.runtime.spi}): nothing here is removed or changes its
 * signature within a major version, and new instance methods come only as {@code default} methods. Users do not
 * implement this interface; only the runtime's own backends do, and each keeps every guarantee above.
 *
 * @param <J> the job type
 * @param <R> the result type
 */
public interface PoolEngine<J, R> {

    /**
     * Starts a pool: makes its queues and starts exactly {@code workers} threads.
     *
     * @param name          names the pool in thread names and exception messages
     * @param options       ordering, fail-fast, timeout and thread factory
     * @param workers       number of worker threads, within {@link PoolOptions#checkWorkers}'s limits
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits (0: unbuffered
     *                      hand-off)
     * @param function      runs one job; called by every worker at once
     * @param resultFactory builds a result from a job and its outcome
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     * @throws NullPointerException     if an argument is null; the message names the pool, the method and the
     *                                  argument, and nothing has started
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range; the message
     *                                  names the pool
     * @throws IllegalStateException    if a worker thread cannot be created or started; the threads already
     *                                  started have terminated when it is thrown (this call waits for them,
     *                                  ignoring interrupts, the one case in which it waits)
     */
    static <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        return Engines.start(name, options, workers, buffer, function, resultFactory);
    }

    /**
     * Starts a side-effect pool (Go's "WaitGroup only" form): as {@link #start start}, but each result goes to
     * {@code onResult}, called on the worker that ran the job as soon as the job completes, instead of waiting
     * for a reader. So one thread may submit any number of jobs, then close and await: when {@link #await()}
     * returns, {@code onResult} has been called once for every accepted job (a failed, timed-out or cancelled
     * job included) and has returned. {@link #results()} then throws {@link IllegalStateException}.
     * {@code onResult} is called from every worker at once, so it must be thread-safe; a timed-out job's result
     * reaches it when the job returns, on its worker. What {@code onResult} throws goes to the worker thread's
     * uncaught-exception handler; the worker goes on. Not for ordered pools (their order needs a reader).
     * {@link #cancel()} interrupts an {@code onResult} call in progress (or about to begin for a job that has just
     * ended), as it interrupts a running job, so that a call blocked in an interruptible wait ends; the calls that
     * begin later (the queued jobs' cancelled results) are not interrupted, so a call that blocks there for ever
     * still keeps the pool from terminating. A call never gets an interrupt sent to a job, and the interrupt status
     * is cleared when a call returns.
     *
     * @param name          names the pool in thread names and exception messages
     * @param options       fail-fast, timeout and thread factory; not ordered
     * @param workers       number of worker threads, within {@link PoolOptions#checkWorkers}'s limits
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits (0: unbuffered
     *                      hand-off)
     * @param function      runs one job; called by every worker at once
     * @param resultFactory builds a result from a job and its outcome
     * @param onResult      takes every result, on the worker threads
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     * @throws NullPointerException     if an argument is null; the message names the pool, the method and the
     *                                  argument, and nothing has started
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range, or the options are
     *                                  ordered
     * @throws IllegalStateException    if a worker thread cannot be created or started
     */
    static <J, V, R> PoolEngine<J, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, Consumer<? super R> onResult) {
        return Engines.start(name, options, workers, buffer, function, resultFactory,
                onResult);
    }

    /**
     * Starts a pool whose workers each have a target of their own (say, each its own database connection).
     * All {@code workers} targets are made on the calling thread before any worker starts; if making one
     * fails, those already made are closed (if {@link AutoCloseable}), no thread is started, and this throws.
     * An {@link AutoCloseable} target is closed by its worker when the worker exits, before {@link #await()}
     * returns; what its {@code close()} throws goes to the worker thread's uncaught-exception handler.
     *
     * @param name          names the pool in thread names and exception messages
     * @param options       ordering, fail-fast, timeout and thread factory
     * @param workers       number of worker threads, within {@link PoolOptions#checkWorkers}'s limits
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits
     * @param targets       makes one target per worker; called {@code workers} times, on the calling thread
     * @param bind          turns a target into the function its worker runs
     * @param resultFactory builds a result from a job and its outcome
     * @param <T>           the target type
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     * @throws NullPointerException     if an argument is null; the message names the pool, the method and the
     *                                  argument, and nothing has started
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range
     * @throws IllegalStateException    if {@code targets} throws or returns {@code null}, or a worker thread
     *                                  cannot be created or started (the thread factory throws or returns
     *                                  null); nothing is left running and every target made has been closed
     */
    static <T, J, V, R> PoolEngine<J, R> startPerWorker(String name, PoolOptions options, int workers, int buffer,
            Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        return Engines.startPerWorker(name, options, workers, buffer, targets, bind, resultFactory);
    }

    /**
     * As {@link #startPerWorker(String, PoolOptions, int, int, Supplier, Function, ResultFactory) startPerWorker},
     * with every result going to {@code onResult} as in
     * {@link #start(String, PoolOptions, int, int, JobFunction, ResultFactory, Consumer) start}.
     *
     * @param name          names the pool in thread names and exception messages
     * @param options       fail-fast, timeout and thread factory; not ordered
     * @param workers       number of worker threads, within {@link PoolOptions#checkWorkers}'s limits
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits
     * @param targets       makes one target per worker; called {@code workers} times, on the calling thread
     * @param bind          turns a target into the function its worker runs
     * @param resultFactory builds a result from a job and its outcome
     * @param onResult      takes every result, on the worker threads
     * @param <T>           the target type
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return the running pool
     * @throws NullPointerException     if an argument is null; the message names the pool, the method and the
     *                                  argument, and nothing has started
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range, or the options are
     *                                  ordered
     * @throws IllegalStateException    if {@code targets} throws or returns {@code null}, or a worker thread
     *                                  cannot be created or started (the thread factory throws or returns
     *                                  null); nothing is left running and every target made has been closed
     */
    static <T, J, V, R> PoolEngine<J, R> startPerWorker(String name, PoolOptions options, int workers, int buffer,
            Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory, Consumer<? super R> onResult) {
        return Engines.startPerWorker(name, options, workers, buffer, targets, bind, resultFactory,
                onResult);
    }

    /**
     * Runs every job on a pool of its own and returns their results in the order of {@code jobs}: the
     * structured, one-shot form of the pattern. When it returns, every job has its result and every worker
     * thread has terminated. Results are collected as they complete, so any number of jobs works from one
     * thread. With fail-fast options the first failure cancels the rest, whose results then carry a
     * {@link CancellationException}. At most {@code min(workers, jobs.size())} worker threads are started; none for
     * an empty collection. Called from a platform thread on a pool whose
     * {@link PoolOptions#threadFactory() thread factory} makes virtual threads, it submits the jobs from one more
     * thread of that factory while the caller waits, so that every hand-off is between virtual threads (if the
     * factory fails to make it, the caller submits).
     *
     * @param name          names the pool
     * @param options       the pool's options
     * @param workers       the most worker threads
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits
     * @param jobs          the jobs, none null
     * @param function      runs one job
     * @param resultFactory builds a result from a job and its outcome
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return one result per job, in the order of {@code jobs}; unmodifiable
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range
     * @throws NullPointerException     if an argument, or one of the jobs, is null (no worker has started); the
     *                                  message names the pool
     * @throws IllegalStateException    if a worker thread cannot be started
     * @throws InterruptedException     if the caller is interrupted; the pool is then cancelled and its workers
     *                                  have terminated before this is thrown
     */
    static <J, V, R> List<R> runAll(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        return Engines.runAll(name, options, workers, buffer, jobs, function, resultFactory);
    }

    /**
     * As {@link #runAll runAll}, for fail-fast pools: if a job failed, the pool was cancelled and this throws
     * its failure instead of returning the results.
     *
     * @param name          names the pool
     * @param options       the pool's options
     * @param workers       the most worker threads
     * @param buffer        job queue capacity, within {@link PoolOptions#checkBuffer}'s limits
     * @param jobs          the jobs, none null
     * @param function      runs one job
     * @param resultFactory builds a result from a job and its outcome
     * @param <J>           the job type
     * @param <V>           the job's value type
     * @param <R>           the result type
     * @return one result per job, in the order of {@code jobs}; unmodifiable
     * @throws IllegalArgumentException if {@code workers} or {@code buffer} is out of range
     * @throws NullPointerException     if an argument, or one of the jobs, is null (no worker has started); the
     *                                  message names the pool
     * @throws IllegalStateException    if a worker thread cannot be started
     * @throws InterruptedException     if the caller is interrupted (the pool is cancelled and has terminated)
     * @throws PoolFailedException      if a job failed (threw, or timed out): the first one
     */
    static <J, V, R> List<R> runAllOrThrow(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException, PoolFailedException {
        return Engines.runAllOrThrow(name, options, workers, buffer, jobs, function, resultFactory);
    }

    /**
     * Submits a job, waiting while the job queue is full (with buffer 0: until a worker takes it).
     *
     * @param job the job, not null
     * @throws PoolClosedException  if the pool is closed or cancelled, or becomes so while this call waits;
     *                              the job was not accepted
     * @throws InterruptedException if interrupted before or while waiting; the job was not accepted
     * @throws NullPointerException if {@code job} is null
     */
    void submit(J job) throws InterruptedException;

    /**
     * Submits a job only if no waiting is needed: there is room (with buffer 0: a worker is waiting). Never
     * blocks.
     *
     * @param job the job, not null
     * @return whether the job was accepted
     * @throws PoolClosedException  if the pool is closed or cancelled
     * @throws NullPointerException if {@code job} is null
     */
    boolean trySubmit(J job);

    /**
     * Submits a job, waiting at most {@code timeout} for room (with buffer 0: for a worker to take it).
     *
     * @param job     the job, not null
     * @param timeout how long to wait at most
     * @return whether the job was accepted; {@code false} if the time ran out
     * @throws PoolClosedException  if the pool is closed or cancelled, or becomes so while this call waits
     * @throws InterruptedException if interrupted before or while waiting; the job was not accepted
     * @throws NullPointerException if {@code job} or {@code timeout} is null; the job was not accepted
     */
    boolean trySubmit(J job, Duration timeout) throws InterruptedException;

    /**
     * No more jobs (Go's {@code close(jobs)}): accepted jobs still run, then the workers exit. Submitters
     * waiting now fail with {@link PoolClosedException}. Idempotent; never blocks.
     */
    void close();

    /**
     * Stops now: no more jobs; running jobs are interrupted (and, in a side-effect pool, handler calls in
     * progress: see {@link #start(String, PoolOptions, int, int, JobFunction, ResultFactory, Consumer)
     * start(..., onResult)}); queued jobs are not started. Every accepted job still yields exactly one result: a
     * queued job's carries a {@link CancellationException}; a running job's carries its value if it returns
     * normally, otherwise a {@link CancellationException} whose cause is what it threw. From now on results never
     * wait for room, so the pool terminates even if nobody reads them; but a job that ignores the interrupt keeps
     * its worker until it returns, and termination waits for it.
     * Idempotent: a later call, from any thread, interrupts nothing again (it may return before the first call
     * has sent its interrupts). Never blocks; callable from a job.
     */
    void cancel();

    /**
     * Changes the number of workers the pool keeps ({@code ThreadPoolExecutor.setCorePoolSize}, Go's pool that
     * grows or shrinks its goroutines). Never waits for a job; returns promptly, but for the targets and threads a
     * growing pool makes on the calling thread.
     * <ul>
     *   <li><b>Growing</b> starts the new workers before it returns, named on from the last one
     *       ({@code <name>-worker-4}, …); a pool of per-worker targets makes each new worker's target on the
     *       calling thread, as {@link #startPerWorker startPerWorker} does.</li>
     *   <li><b>Shrinking</b> retires the workers beyond the new size: a retiring worker that is running a job
     *       finishes it and sends its result first; one waiting for a job leaves at once. It takes no further job
     *       (those queued go to the remaining workers), closes its own per-worker target, and its thread ends.
     *       No job is dropped or run twice.</li>
     *   <li>{@link #stats()}{@code .workers()} is the new size from the moment this returns; {@link #await()}
     *       still waits for every worker thread the pool ever started, and {@link #results()} iteration ends only
     *       when the pool is closed and every worker has exited.</li>
     *   <li>Any thread may call it, several at once (the last call sets the size), and a job may resize its own
     *       pool, also below its own worker: that worker retires once the job has returned.</li>
     *   <li>Once the pool is closed or cancelled it starts no more workers: growing throws
     *       {@link PoolClosedException}; shrinking still retires workers (the rest drain the queue).</li>
     *   <li>An ordered pool's reorder window follows the size ({@code workers + buffer}); the other result queues
     *       keep the bound the pool started with.</li>
     * </ul>
     * The default implementation throws {@link UnsupportedOperationException}: an engine that cannot resize
     * keeps its size. Its message names the pool (as {@link #stats()} does) and the engine's class, which does
     * not implement this method. The in-process engine resizes.
     *
     * @param workers the new number of workers, within {@link PoolOptions#checkWorkers}'s limits
     * @throws IllegalArgumentException      if {@code workers} is out of range; the message names the pool
     * @throws PoolClosedException           if the pool is closed or cancelled and {@code workers} is more than
     *                                       its size
     * @throws IllegalStateException         if a new worker's target cannot be made or its thread cannot be
     *                                       created or started; the workers started before it keep running, and
     *                                       the size is the number then running
     * @throws UnsupportedOperationException if this engine cannot resize
     */
    default void resize(int workers) {
        String pool;
        try {
            pool = stats().pool();
        } catch (RuntimeException e) { // the engine's own stats() failing: say what is unsupported all the same
            pool = null;
        }
        throw new UnsupportedOperationException((pool == null ? "" : pool + ": ") + getClass().getName()
                + " cannot resize a pool (it does not implement PoolEngine.resize); the pool keeps its size");
    }

    /**
     * Waits until every worker thread has terminated. Any thread may wait, any number of times, except the
     * pool's own workers.
     *
     * @throws InterruptedException  if interrupted before or while waiting (interrupt status cleared)
     * @throws IllegalStateException if called from one of this pool's jobs, which would wait for ever
     */
    void await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} until every worker thread has terminated.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if every worker thread has terminated; {@code false} if the time ran out (how a pool
     *         that was never closed, or whose results nobody reads, shows)
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     * @throws NullPointerException if {@code timeout} is null
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * As {@link #await()}, then reports a fail-fast pool's failure.
     *
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     * @throws PoolFailedException  if a job failed and so cancelled the pool (only with fail-fast options)
     */
    void awaitOrThrow() throws InterruptedException, PoolFailedException;

    /**
     * As {@link #await(Duration)}, then reports a fail-fast pool's failure.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if every worker thread has terminated; {@code false} if the time ran out
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     * @throws PoolFailedException  if the pool terminated and a job had failed, cancelling it
     * @throws NullPointerException if {@code timeout} is null
     */
    boolean awaitOrThrow(Duration timeout) throws InterruptedException, PoolFailedException;

    /**
     * The error of the job whose failure cancelled this fail-fast pool: what it threw, or a
     * {@link TimeoutException}. Once set it never changes.
     *
     * @return the first failure; empty while no job has failed, and always for pools without fail-fast
     */
    Optional<Throwable> failure();

    /**
     * The results as they complete (ordered pools: in acceptance order): Go's {@code for r := range results}.
     * Every call returns a view of the same results: iterators on several threads share them, each result
     * going to exactly one. {@code hasNext()} blocks until a result is ready, or until the last worker has
     * terminated and every result has been read; then iteration ends. If the reading thread is interrupted
     * while it waits, {@code hasNext()} throws {@link PoolInterruptedException} with the interrupt status set;
     * no result is lost. On one of the pool's own workers (in a job) {@code hasNext()} never blocks, on the
     * in-process engine and on {@code HazelcastBackend} (on that member's own workers) alike: it returns
     * {@code true} for a result that is there, and throws {@link IllegalStateException} naming the pool where
     * it would wait, since the end may come only once that job has ended.
     *
     * @return the results
     * @throws IllegalStateException if the pool's results go to a handler given to {@code start}
     */
    Iterable<R> results();

    /**
     * Whether {@link #close()} or {@link #cancel()} has been called.
     *
     * @return whether the pool accepts no more jobs
     */
    boolean isClosed();

    /**
     * Whether {@link #cancel()} has been called (also by a fail-fast pool's first failure).
     *
     * @return whether the pool was cancelled
     */
    boolean isCancelled();

    /**
     * Whether every worker thread has terminated.
     *
     * @return whether the pool has terminated
     */
    boolean isTerminated();

    /**
     * A snapshot of the pool's state and counters; see {@link PoolStats} for how consistent it is while the pool
     * runs. Cheap; any thread, any time.
     *
     * @return the snapshot
     */
    PoolStats stats();
}
