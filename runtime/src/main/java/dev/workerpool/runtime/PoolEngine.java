package dev.workerpool.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The worker pool behind every generated {@code *Pool} class: a bounded job channel, exactly {@code workers}
 * long-lived threads, a bounded result channel, a completion latch and cancellation. Generated classes are
 * typed facades over this class; all the concurrency lives here.
 *
 * <h2>Lifecycle (Go's pattern, in Java)</h2>
 * <ol>
 *   <li>{@link #start start} creates the channels and starts {@code workers} threads named
 *       {@code <name>-worker-1 … -N} (non-daemon, so accepted work is not silently lost when {@code main}
 *       returns).</li>
 *   <li>Producers {@link #submit} jobs; a full job channel blocks them (backpressure).</li>
 *   <li>Each worker loops: take a job, run it, hand its result to the result channel. Whatever the job
 *       throws is captured in its result; the worker survives.</li>
 *   <li>{@link #close()} is Go's {@code close(jobs)}: no more jobs; queued jobs still run; workers exit when
 *       the queue is drained. The last worker to exit closes the result channel (the "closer goroutine"),
 *       which ends {@link #results()} iteration and releases {@link #await()}.</li>
 *   <li>{@link #cancel()} is Go's context cancel: no more jobs, running jobs are interrupted, queued jobs
 *       are not started — each still yields exactly one result, carrying a {@link CancellationException}.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Exactly once.</b> Every job that {@code submit} accepted (returned normally, or {@code true})
 *       yields exactly one result. A job that was not accepted (an exception, or {@code false}) yields none
 *       and remains the caller's.</li>
 *   <li><b>Bounded.</b> At most {@code buffer} jobs wait, {@code workers} run, and {@code workers + buffer}
 *       results wait to be read. A producer that outruns the workers is held back; workers whose results
 *       nobody reads are held back too.</li>
 *   <li><b>No leaks.</b> After close-and-drain or cancel, every worker thread has exited once
 *       {@link #await()} returns.</li>
 *   <li><b>No idle worker beside a waiting job.</b> A worker waits for a job only while none is queued.</li>
 *   <li><b>Order.</b> Workers take jobs in submission order and results come out in completion order, except
 *       in a large unordered pool (below), where both hold only roughly.</li>
 * </ul>
 *
 * <h2>Lanes: large unordered pools</h2>
 * An unordered pool of several workers, no more than the machine's processors, whose buffer holds at least
 * {@value #LANE_MIN} jobs per worker splits its job and result queues into a lane per worker ({@link Lanes}). With one queue each side, every worker's
 * take and every result is a compare-and-set on the same head or tail: a cache-line transfer between cores per
 * job, which made up half the hand-off cost (BENCHMARKS.md, session 5: 2 workers, buffer 1,024, trivial jobs:
 * 105 ns per job with one queue each side, 50–60 with lanes). Small buffers keep one queue each side: there the
 * cost is thread switches, and lanes measured slower (3 workers, buffer 10: 487 ns against 380). So do pools
 * with more workers than processors: most of their workers are switched out, and the jobs spread into their
 * lanes must be fetched by the others (8 workers, buffer 512, two cores: 115–132 ns against 69–104).
 * The bounds are those of one queue: the lanes share {@code buffer} job slots and {@code workers + buffer}
 * result slots, and a put or take that finds its own lane full or empty uses the others, so no worker idles
 * while a job waits. What changes is order:
 * <ul>
 *   <li>Submitted jobs are spread over the job lanes in turn and each worker takes from its own lane first, so
 *       jobs start roughly, not exactly, in submission order.</li>
 *   <li>Results read as they arrive come out in completion order; results that wait unread together may come
 *       out of it, across workers.</li>
 * </ul>
 * Ordered pools always have one job queue (FIFO). {@code -Ddev.workerpool.lanes=false} turns lanes off and
 * {@code =true} on for every unordered pool with a job slot per worker (read when a pool starts).
 *
 * <h2>The result channel must be read (or use {@link #runAll})</h2>
 * Results are not dropped, so they wait for a reader. A program that submits more than about
 * {@code 2 × buffer + 2 × workers} jobs from the same thread that only afterwards reads {@link #results()}
 * blocks in {@code submit} for ever: every worker waits for room in the full result channel, and the job
 * channel stays full. This is Go's "forgot to drain results" deadlock. Read results on another thread
 * (or submit from another thread), or use {@link #runAll}, which has no such limit.
 * {@link #await(Duration)} returning {@code false} is how to detect a pool that does not finish.
 *
 * <h2>Options ({@link PoolOptions})</h2>
 * <ul>
 *   <li><b>Ordered</b>: {@link #results()} hands results out in acceptance order, through a reorder window of
 *       {@code workers + buffer} results (see {@link PoolOptions#withOrdered}).</li>
 *   <li><b>Fail-fast</b>: the first job that fails (throws, or times out) cancels the pool; {@link #failure()},
 *       {@link #awaitOrThrow()} and {@link #runAllOrThrow} report it.</li>
 *   <li><b>Timeout</b>: a watchdog thread ({@code <name>-watchdog}, daemon) interrupts a job that runs longer
 *       than the timeout and hands over its result — carrying a {@link TimeoutException} — at once, without
 *       waiting for the job to return. Whichever comes first, the job's end or its timeout, decides its one
 *       result; the other is discarded. A job that ignores the interrupt keeps its worker busy until it returns
 *       ({@link PoolStats#stuckWorkers()}; a warning naming the job is logged to the {@code dev.workerpool}
 *       System.Logger once it has overrun by another timeout, from a short-lived thread of its own, so that a
 *       job whose {@code toString()} is slow or fails delays no other timeout); its result has been delivered
 *       already, and the other workers go on.</li>
 *   <li><b>Thread factory</b>: workers run on the factory's threads (for example virtual threads).</li>
 * </ul>
 *
 * <h2>Flight Recorder</h2>
 * Each accepted job is a {@code dev.workerpool.Job} event (pool, duration, outcome), also one cancelled before it
 * started; every running pool's {@link #stats()} is a periodic {@code dev.workerpool.PoolStats} event. Both cost
 * nothing unless a recording enables them.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread, including from inside a job (a job may {@code submit} to its
 * own pool — which blocks if the pool is full, like any submitter — or {@code cancel} it).
 *
 * @param <J> the job type
 * @param <V> the job's value type
 * @param <R> the result type
 */
public final class PoolEngine<J, V, R> {

    /**
     * Whether pools count outcomes and time jobs for {@link #stats()}. On by default; the system property
     * {@code dev.workerpool.stats=false} turns the per-job bookkeeping off (then only the queue, busy-worker
     * and submitted figures of {@link PoolStats} are live), which the benchmarks use to measure what it costs.
     * Read when a pool starts.
     */
    private final boolean stats = !"false".equals(System.getProperty("dev.workerpool.stats"));
    /**
     * Whether every job is timed ({@code -Ddev.workerpool.stats=exact}). By default, after a job that ran
     * shorter than {@link #SHORT_JOB_NANOS} a worker times only one job in {@link #SAMPLE_EVERY} until one runs
     * longer: two clock reads cost ~35 ns here, a third of a trivial job (BENCHMARKS.md, session 5).
     */
    private final boolean timeEveryJob = "exact".equals(System.getProperty("dev.workerpool.stats"));
    /** Jobs shorter than this are timed one in {@link #SAMPLE_EVERY} (unless {@link #timeEveryJob}). */
    static final long SHORT_JOB_NANOS = 1_000;
    static final int SAMPLE_EVERY = 16;

    private static final System.Logger LOG = System.getLogger("dev.workerpool");
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int TIMED_OUT = 2;

    private final String name;
    private final int workers;
    private final int buffer;
    private final PoolOptions options;
    private final ResultFactory<J, V, R> resultFactory;
    private final JobQueue<J> jobs;
    /** In completion or acceptance order; null when results go to {@link #sink} instead ({@link #runAll}). */
    private final ResultQueue<R> results;
    /** Whether results are in acceptance order: then workers take jobs with their sequence numbers. */
    private final boolean ordered;
    private final Consumer<R> sink;
    private final CompletionLatch exited;
    /** Created with the engine, started by {@link #startWorkers()}. */
    private final List<Worker> workerThreads;
    /** 0 for no timeout. */
    private final long timeoutNanos;
    /** Interrupts and reports timed-out jobs; null without a timeout. */
    private final Thread watchdog;
    /** Set while the watchdog parks with nothing to watch; a worker starting a job then unparks it. */
    private volatile boolean watchdogIdle;
    /** Fail-fast pools: the first failure. */
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private volatile boolean cancelled;
    /** Tests only: run by {@link #cancel()} between its two steps, to force what may happen there; else null. */
    volatile Runnable betweenCancelSteps;

    /** The first job to fail in a fail-fast pool, and what it threw. */
    private record Failure(Object job, Throwable error) {
    }

    private PoolEngine(String name, PoolOptions options, int workers, int buffer, JobFunction<J, V> function,
            ResultFactory<J, V, R> resultFactory, Consumer<R> sink) {
        this(name, options, workers, buffer, copies(workers, Objects.requireNonNull(function, "function")),
                copies(workers, null), resultFactory, sink);
    }

    /** n copies; none for n < 1, so that the constructor's validation reports a bad size, not nCopies. */
    private static <X> List<X> copies(int n, X x) {
        return n < 1 ? List.of() : Collections.nCopies(n, x);
    }

    /** One function per worker, and the target behind it (closed when its worker exits, if AutoCloseable). */
    private PoolEngine(String name, PoolOptions options, int workers, int buffer, List<JobFunction<J, V>> functions,
            List<?> targets, ResultFactory<J, V, R> resultFactory, Consumer<R> sink) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        validate(name, options, workers, buffer);
        this.workers = workers;
        this.buffer = buffer;
        this.resultFactory = Objects.requireNonNull(resultFactory, "resultFactory");
        this.sink = sink;
        this.ordered = options.ordered() && sink == null;
        this.jobs = jobQueue(name + " jobs", workers, buffer, ordered);
        this.results = sink != null ? null
                : ordered ? new OrderedResults<>(resultCapacity(workers, buffer))
                : inCompletionOrder(name + " results", workers, buffer);
        this.exited = new CompletionLatch(workers);
        this.timeoutNanos = options.timeout() == null ? 0 : Timeouts.nanos(options.timeout());
        List<Worker> threads = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            threads.add(new Worker(i, functions.get(i), targets.get(i)));
        }
        this.workerThreads = List.copyOf(threads);
        if (timeoutNanos > 0) {
            watchdog = new Thread(this::watch, name + "-watchdog");
            watchdog.setDaemon(true);
        } else {
            watchdog = null;
        }
    }

    /**
     * Starts a pool with {@link PoolOptions#DEFAULT default options}; see
     * {@link #start(String, PoolOptions, int, int, JobFunction, ResultFactory)}.
     */
    public static <J, V, R> PoolEngine<J, V, R> start(String name, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        return start(name, PoolOptions.DEFAULT, workers, buffer, function, resultFactory);
    }

    /**
     * Starts a pool: creates its channels and starts exactly {@code workers} threads.
     *
     * @param name          names the pool in thread names and exception messages
     * @param options       ordering, fail-fast, timeout and thread factory
     * @param workers       number of worker threads, at least 1
     * @param buffer        job channel capacity, at least 0 (0: unbuffered hand-off)
     * @param function      runs one job
     * @param resultFactory builds a result from a job and its outcome
     * @throws IllegalArgumentException if {@code workers} is out of {@linkplain PoolOptions#checkWorkers range} or {@code buffer < 0}; the message names the pool
     * @throws IllegalStateException    if a worker thread cannot be created or started (the thread factory throws
     *                                  or returns null); the threads already started have exited by the time it
     *                                  is thrown
     */
    public static <J, V, R> PoolEngine<J, V, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        PoolEngine<J, V, R> engine = new PoolEngine<>(name, options, workers, buffer, function, resultFactory, null);
        engine.startWorkers();
        return engine;
    }

    /**
     * Starts a per-worker pool with {@link PoolOptions#DEFAULT default options}; see
     * {@link #startPerWorker(String, PoolOptions, int, int, Supplier, Function, ResultFactory)}.
     */
    public static <T, J, V, R> PoolEngine<J, V, R> startPerWorker(String name, int workers, int buffer,
            Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        return startPerWorker(name, PoolOptions.DEFAULT, workers, buffer, targets, bind, resultFactory);
    }

    /**
     * Starts a pool whose workers each have a target of their own — say, each its own database connection —
     * instead of sharing one. All {@code workers} targets are created on the calling thread before any worker
     * starts; if creating one fails, those already created are closed (if {@link AutoCloseable}), no thread
     * is started, and this throws. A target that is {@link AutoCloseable} is closed by its worker when the
     * worker exits (after the queue is drained, or after cancel), before {@link #await()} returns; an
     * exception from {@code close()} goes to that worker thread's uncaught-exception handler (and is logged to
     * the {@code dev.workerpool} System.Logger if the handler throws too); the pool terminates either way.
     *
     * @param targets makes one target per worker; called {@code workers} times, on the calling thread
     * @param bind    turns a target into the function its worker runs
     * @throws IllegalArgumentException if {@code workers} is out of {@linkplain PoolOptions#checkWorkers range} or {@code buffer < 0}
     * @throws IllegalStateException    if {@code targets} throws or returns {@code null} (the cause says which),
     *                                  or a worker thread cannot be created or started; nothing is left running
     *                                  and every target made has been closed
     */
    public static <T, J, V, R> PoolEngine<J, V, R> startPerWorker(String name, PoolOptions options, int workers,
            int buffer, Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        validate(Objects.requireNonNull(name, "name"), options, workers, buffer);
        Objects.requireNonNull(targets, "targets");
        List<T> created = new ArrayList<>(workers);
        List<JobFunction<J, V>> functions = new ArrayList<>(workers);
        try {
            for (int i = 0; i < workers; i++) {
                T target = Objects.requireNonNull(targets.get(), "the target supplier returned null");
                created.add(target);
                functions.add(Objects.requireNonNull(bind.apply(target), "bind"));
            }
        } catch (RuntimeException | Error e) {
            IllegalStateException failure = new IllegalStateException(
                    name + ": could not create the target for worker " + (created.size() + 1) + " of " + workers, e);
            closeAll(created, failure);
            throw failure;
        }
        PoolEngine<J, V, R> engine;
        try {
            engine = new PoolEngine<>(name, options, workers, buffer, functions, created, resultFactory, null);
        } catch (RuntimeException | Error e) {
            closeAll(created, e);
            throw e;
        }
        engine.startWorkers(); // on failure, each started worker closed its target; close the others'
        return engine;
    }

    /** Closes the AutoCloseable targets, adding what their close() throws to {@code failure}. */
    private static void closeAll(List<?> targets, Throwable failure) {
        for (Object target : targets) {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception closeFailure) {
                    failure.addSuppressed(closeFailure);
                }
            }
        }
    }

    /**
     * Runs every job with {@link PoolOptions#DEFAULT default options}; see
     * {@link #runAll(String, PoolOptions, int, int, Collection, JobFunction, ResultFactory)}.
     */
    public static <J, V, R> List<R> runAll(String name, int workers, int buffer, Collection<? extends J> jobs,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) throws InterruptedException {
        return runAll(name, PoolOptions.DEFAULT, workers, buffer, jobs, function, resultFactory);
    }

    /**
     * Runs every job on a pool of its own and returns their results in the order of {@code jobs}: the
     * structured, one-shot form of the pattern (Go's {@code RunPool}). The caller sees no threads; when this
     * method returns, every job has its result and every worker thread has exited. It works for any number
     * of jobs from a single thread: results are collected as they complete, so workers never wait for a reader.
     * (Results are in input order whether or not the options say ordered.) With fail-fast options the first
     * failure cancels the rest, whose results then carry a {@link CancellationException}; use
     * {@link #runAllOrThrow} to have it thrown instead.
     *
     * <p>At most {@code min(workers, jobs.size())} threads are started; none for an empty collection.
     *
     * @throws IllegalArgumentException if {@code workers} is out of {@linkplain PoolOptions#checkWorkers range} or {@code buffer < 0}
     * @throws NullPointerException     if {@code jobs} or one of its elements is null
     * @throws IllegalStateException    if a worker thread cannot be created or started
     * @throws InterruptedException     if the caller is interrupted; the pool is then cancelled and its workers
     *                                  have exited before this is thrown (interrupt status cleared)
     */
    public static <J, V, R> List<R> runAll(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        List<J> input = List.copyOf(jobs);
        Object[] out = new Object[input.size()];
        run(name, options, workers, buffer, input, out, function, resultFactory);
        return resultList(out);
    }

    /**
     * As {@link #runAll(String, PoolOptions, int, int, Collection, JobFunction, ResultFactory) runAll}, for
     * fail-fast pools: if a job failed, the pool was cancelled and this throws its failure instead of
     * returning the results.
     *
     * @throws PoolFailedException if a job failed (threw, or timed out): the first one
     */
    public static <J, V, R> List<R> runAllOrThrow(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException, PoolFailedException {
        List<J> input = List.copyOf(jobs);
        Object[] out = new Object[input.size()];
        Failure first = run(name, options, workers, buffer, input, out, function, resultFactory);
        if (first != null) {
            throw new PoolFailedException(name, input.get((Integer) first.job()), first.error());
        }
        return resultList(out);
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> resultList(Object[] out) {
        return (List<R>) Collections.unmodifiableList(Arrays.asList(out));
    }

    /** Runs {@code input} into {@code out}; returns the first failure of a fail-fast run, or null. */
    private static <J, V, R> Failure run(String name, PoolOptions options, int workers, int buffer, List<J> input,
            Object[] out, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        validate(Objects.requireNonNull(name, "name"), options, workers, buffer);
        if (input.isEmpty()) {
            return null;
        }
        PoolEngine<Integer, V, R> engine = new PoolEngine<>(name, options, Math.min(workers, input.size()), buffer,
                index -> function.apply(input.get(index)),
                (index, value, error) -> {
                    R result = resultFactory.create(input.get(index), value, error);
                    out[index] = result; // published to the caller by the completion latch
                    return result;
                },
                result -> { });
        engine.startWorkers();
        try {
            for (int i = 0; i < out.length; i++) {
                engine.submit(i);
            }
            engine.close();
            engine.await();
        } catch (PoolClosedException failedFast) {
            // A fail-fast run, cancelled by its first failure before every job was submitted.
            engine.awaitUninterruptibly();
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    out[i] = resultFactory.create(input.get(i), null, engine.cancellation(null));
                }
            }
        } catch (InterruptedException e) {
            engine.cancel();
            engine.awaitUninterruptibly();
            throw e;
        }
        return engine.failure.get();
    }

    // --- producers ---------------------------------------------------------------------------------------------

    /**
     * Submits a job, waiting while the job channel is full (with buffer 0: until a worker takes it).
     *
     * @throws PoolClosedException  if the pool is closed or cancelled, or becomes so while this call waits;
     *                              the job was not accepted
     * @throws InterruptedException if interrupted before or while waiting; the job was not accepted
     * @throws NullPointerException if {@code job} is null
     */
    public void submit(J job) throws InterruptedException {
        try {
            jobs.send(Objects.requireNonNull(job, "job"));
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    /**
     * Submits a job only if no waiting is needed: there is room in the job channel (with buffer 0: a worker
     * is idle and waiting). Never blocks.
     *
     * @return whether the job was accepted
     * @throws PoolClosedException if the pool is closed or cancelled
     */
    public boolean trySubmit(J job) {
        try {
            return jobs.trySend(Objects.requireNonNull(job, "job"));
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    /**
     * Submits a job, waiting at most {@code timeout} for room (with buffer 0: for a worker to take it).
     *
     * @return whether the job was accepted; {@code false} if the time ran out
     * @throws PoolClosedException  if the pool is closed or cancelled, or becomes so while this call waits
     * @throws InterruptedException if interrupted before or while waiting; the job was not accepted
     */
    public boolean trySubmit(J job, Duration timeout) throws InterruptedException {
        try {
            return jobs.trySend(Objects.requireNonNull(job, "job"), timeout);
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    // --- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * Closes the pool for new jobs (Go's {@code close(jobs)}). Jobs already accepted still run; workers exit
     * once the queue is drained. Submitters blocked at this moment fail with {@link PoolClosedException}.
     * Idempotent; never blocks; does not wait for the workers — use {@link #await()} for that.
     */
    public void close() {
        jobs.close();
    }

    /**
     * Cancels the pool: no more jobs; jobs running now are interrupted; queued jobs are not started. Every
     * accepted job still yields exactly one result: a queued job's result carries a
     * {@link CancellationException}; a running job's result carries its value if it returns normally, and
     * otherwise a {@link CancellationException} whose cause is what it threw. Results produced after
     * cancellation never wait for room, so workers exit promptly even if nobody reads results. A job that
     * ignores interrupts keeps its worker until it returns. Idempotent; never blocks; callable from a job.
     */
    public void cancel() {
        cancelled = true;
        // Intake first: un-bounding the results wakes workers held by a full result queue, which then drain
        // queued jobs; a submitter waiting for that room must already find the pool closed.
        jobs.close();
        Runnable hook = betweenCancelSteps;
        if (hook != null) {
            hook.run();
        }
        if (results != null) {
            results.unbound();
        }
        for (Worker worker : workerThreads) {
            if (worker.running) {
                worker.thread.interrupt();
            }
        }
    }

    /**
     * Waits until every worker thread has terminated: the queue drained after {@link #close()}, or
     * {@link #cancel()}. Returns at once if that already happened. Any thread may wait, any number of times.
     * A job that awaits its own pool waits for ever (it is one of the workers it waits for).
     *
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    public void await() throws InterruptedException {
        exited.await();
        joinThreads();
    }

    /** Every worker has left its loop: wait the few instructions until the threads have terminated. */
    private void joinThreads() throws InterruptedException {
        for (Worker worker : workerThreads) {
            worker.thread.join();
        }
        if (watchdog != null) {
            watchdog.join();
        }
    }

    /**
     * As {@link #await()}, then reports a fail-fast pool's failure.
     *
     * @throws PoolFailedException  if a job failed and so cancelled the pool (only with fail-fast options)
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    public void awaitOrThrow() throws InterruptedException, PoolFailedException {
        await();
        throwIfFailed();
    }

    /**
     * As {@link #await(Duration)}, then reports a fail-fast pool's failure.
     *
     * @return {@code true} if every worker thread has terminated; {@code false} if the time ran out
     * @throws PoolFailedException  if the pool terminated and a job had failed, cancelling it
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    public boolean awaitOrThrow(Duration timeout) throws InterruptedException, PoolFailedException {
        if (!await(timeout)) {
            return false;
        }
        throwIfFailed();
        return true;
    }

    /**
     * The error of the job whose failure cancelled this fail-fast pool: what it threw, or a
     * {@link TimeoutException}. Empty while no job has failed, and always for pools without fail-fast.
     * Any thread, any time; once set it never changes.
     */
    public Optional<Throwable> failure() {
        Failure first = failure.get();
        return first == null ? Optional.empty() : Optional.of(first.error());
    }

    private void throwIfFailed() throws PoolFailedException {
        Failure first = failure.get();
        if (first != null) {
            throw new PoolFailedException(name, first.job(), first.error());
        }
    }

    /**
     * Waits at most {@code timeout} until every worker has exited.
     *
     * @return {@code true} if every worker thread has terminated; {@code false} if the time ran out — for a
     *         pool that was never closed, or whose results nobody reads, that is how the hang shows
     * @throws InterruptedException if interrupted before or while waiting (interrupt status cleared)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Timeouts.deadline(timeout);
        if (!exited.await(timeout)) {
            return false;
        }
        // Each worker has left its loop; wait the few instructions until its thread has terminated.
        for (Worker worker : workerThreads) {
            if (!join(worker.thread, deadline)) {
                return false;
            }
        }
        return watchdog == null || join(watchdog, deadline);
    }

    private static boolean join(Thread thread, long deadline) throws InterruptedException {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        return !thread.isAlive();
    }

    // --- consumers ---------------------------------------------------------------------------------------------

    /**
     * The results, in completion order (ordered pools: in acceptance order), as they complete: Go's
     * {@code for r := range results}. Results read as they arrive come out in completion order; in an unordered
     * pool of several workers, results that wait unread together may come out of it, across workers (see
     * "Lanes" in the class comment). Each call
     * returns a view of the same result channel: iterators on several threads share the results between
     * them, each result going to exactly one. {@code hasNext()} blocks until a result is ready or the last
     * worker has exited and every result has been read; then iteration ends.
     *
     * <p>If the consuming thread is interrupted while it waits, {@code hasNext()} throws
     * {@link PoolInterruptedException} with the interrupt status set; no result is lost.
     *
     * @throws IllegalStateException if this engine delivers results elsewhere (only {@link #runAll} does)
     */
    public Iterable<R> results() {
        if (results == null) {
            throw new IllegalStateException(name + ": results are collected by runAll");
        }
        return ResultIterator::new;
    }

    // --- state -------------------------------------------------------------------------------------------------

    /** The pool's name. */
    public String name() {
        return name;
    }

    /** The number of worker threads. */
    public int workers() {
        return workers;
    }

    /** The job channel's capacity. */
    public int buffer() {
        return buffer;
    }

    /** Whether {@link #close()} or {@link #cancel()} has been called. */
    public boolean isClosed() {
        return jobs.isClosed();
    }

    /** The options the pool was started with. */
    public PoolOptions options() {
        return options;
    }

    /** Whether {@link #cancel()} has been called (also by a fail-fast pool's first failure). */
    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether every worker thread has terminated. */
    public boolean isTerminated() {
        if (!exited.isDone()) {
            return false;
        }
        for (Worker worker : workerThreads) {
            if (worker.thread.isAlive()) {
                return false;
            }
        }
        return watchdog == null || !watchdog.isAlive();
    }

    /** Jobs waiting in the queue now; a snapshot. */
    public int queuedJobs() {
        return jobs.size();
    }

    /**
     * A snapshot of the pool's state and counters; see {@link PoolStats} for what each field means and how
     * consistent it is while the pool runs. Cheap (it holds the job queue's lock for an instant); any thread,
     * any time.
     */
    public PoolStats stats() {
        long completed = 0;
        long failed = 0;
        long cancelledJobs = 0;
        long timedOut = 0;
        long timed = 0;
        long runNanos = 0;
        long maxNanos = 0;
        int busy = 0;
        int stuck = 0;
        for (Worker w : workerThreads) {
            timedOut += w.timedOut.getOpaque();
            stuck += w.state == TIMED_OUT ? 1 : 0;
            completed += w.completed.getOpaque();
            failed += w.failed.getOpaque();
            cancelledJobs += w.cancelledJobs.getOpaque();
            timed += w.timedJobs.getOpaque();
            runNanos += w.runNanos.getOpaque();
            maxNanos = Math.max(maxNanos, w.maxNanos.getOpaque());
            busy += w.running ? 1 : 0;
        }
        return new PoolStats(name, workers, buffer, jobs.size(), jobs.highWaterMark(), busy, stuck, jobs.sent(),
                completed, failed, cancelledJobs, timedOut, Duration.ofNanos(timed == 0 ? 0 : runNanos / timed),
                Duration.ofNanos(maxNanos));
    }

    /** Jobs timed for {@link #stats()} so far (tests: the sampling of short jobs). */
    long timedJobs() {
        long timed = 0;
        for (Worker w : workerThreads) {
            timed += w.timedJobs.getOpaque();
        }
        return timed;
    }

    @Override
    public String toString() {
        String state = isTerminated() ? "terminated" : cancelled ? "cancelling" : isClosed() ? "draining" : "open";
        return name + "[workers=" + workers + ", buffer=" + buffer + ", queued=" + jobs.size()
                + (results == null ? "" : ", unread results=" + results.size()) + ", " + state + "]";
    }

    // --- internals ---------------------------------------------------------------------------------------------

    static void validate(String name, PoolOptions options, int workers, int buffer) {
        options.checkWorkers(name, workers);
        if (buffer < 0) {
            throw new IllegalArgumentException(name + ": buffer must be at least 0, was " + buffer);
        }
    }

    /** The job slots per worker from which an unordered pool uses lanes (see the class comment). */
    static final int LANE_MIN = 64;

    /**
     * Whether an unordered pool's queues are {@link Lanes}: with several workers, no more workers than
     * processors, and at least {@link #LANE_MIN} job slots per worker. {@code -Ddev.workerpool.lanes=false}
     * turns them off, {@code =true} on whenever the buffer has a slot per worker (both for comparison); read
     * when a pool starts.
     */
    static boolean laned(int workers, int buffer, boolean ordered) {
        return laned(workers, buffer, ordered, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #laned(int, int, boolean)} on a machine of {@code processors}. Lanes remove the contention of
     * workers running at once on different cores; with more workers than cores most of them are switched out,
     * the jobs spread into their lanes must be fetched by the others, and lanes measured slower (8 workers,
     * buffer 512, two cores: 115 ns per job against 69).
     */
    static boolean laned(int workers, int buffer, boolean ordered, int processors) {
        if (ordered || workers < 2) {
            return false;
        }
        String setting = System.getProperty("dev.workerpool.lanes", "");
        return setting.equals("true") ? buffer >= workers
                : !setting.equals("false") && workers <= processors && buffer / workers >= LANE_MIN;
    }

    /** The job queue: {@link Lanes} if {@link #laned}, otherwise one channel (ordered pools need its tickets). */
    private static <J> JobQueue<J> jobQueue(String name, int workers, int buffer, boolean ordered) {
        return laned(workers, buffer, ordered)
                ? JobQueue.laned(name, workers, buffer)
                : JobQueue.of(new Channel<>(name, buffer));
    }

    /** The result queue of an unordered pool: {@link Lanes} if {@link #laned}, otherwise one channel. */
    private static <R> ResultQueue<R> inCompletionOrder(String name, int workers, int buffer) {
        return laned(workers, buffer, false)
                ? ResultQueue.laned(name, workers, resultCapacity(workers, buffer))
                : ResultQueue.inCompletionOrder(name, resultCapacity(workers, buffer));
    }

    static int resultCapacity(int workers, int buffer) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) workers + buffer);
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(cancelled
                ? name + " was cancelled; it accepts no more jobs"
                : name + " is closed; it accepts no more jobs");
    }

    private void startWorkers() {
        Jfr.started(this);
        for (int i = 0; i < workers; i++) {
            try {
                workerThreads.get(i).thread.start();
            } catch (Throwable e) {
                abortStart(i);
                throw new IllegalStateException(name + ": could not start worker " + (i + 1) + " of " + workers, e);
            }
        }
        if (watchdog != null) {
            try {
                watchdog.start();
            } catch (Throwable e) {
                abortStart(workers);
                throw new IllegalStateException(name + ": could not start its timeout watchdog", e);
            }
        }
    }

    /** Worker {@code failed} could not start: stop the ones that did, and wait for them. */
    private void abortStart(int failed) {
        cancel();
        for (int i = failed; i < workers; i++) {
            workerThreads.get(i).closeTarget();
            workerExited();
        }
        awaitUninterruptibly();
    }

    /** Waits for every worker thread to terminate, keeping (not throwing) an interrupt that arrives meanwhile. */
    private void awaitUninterruptibly() {
        boolean interrupted = false;
        for (;;) {
            try {
                await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void workerExited() {
        if (exited.arrive()) {
            Jfr.terminated(this);
            if (watchdog != null) {
                LockSupport.unpark(watchdog);
            }
            if (results != null) {
                results.close();
            }
        }
    }

    /**
     * Hands over a result that must not wait: a timed-out job's, from the watchdog. The channel is open (the
     * job's worker has not exited: it waits for the watchdog's monitor, which the caller holds).
     */
    private void deliverNow(int lane, long seq, R result) {
        if (sink != null) {
            sink.accept(result);
        } else {
            results.putNow(lane, seq, result);
        }
    }

    /** Fail-fast: if this is the first failure, records it and cancels the pool. */
    private void failFast(Object job, Throwable error) {
        if (options.failFast() && failure.compareAndSet(null, new Failure(job, error))) {
            cancel();
        }
    }

    /** The error of a job the cancellation stopped: before it started ({@code cause} null), or while it ran. */
    private CancellationException cancellation(Throwable cause) {
        CancellationException e = new CancellationException(
                cause == null ? name + " was cancelled before this job started"
                        : name + " was cancelled while this job ran");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    // --- the timeout watchdog ----------------------------------------------------------------------------------

    /**
     * The watchdog's loop: sleeps until the earliest deadline of a running job (a job that starts later has a
     * later deadline), times out the jobs past theirs, and reports a job still running one more timeout after
     * it timed out. With no job running it parks until a worker starts one, so an idle pool costs no wake-ups.
     * Exits when the last worker has.
     */
    private void watch() {
        while (!exited.isDone()) {
            // Anything may interrupt a thread it did not create; an interrupt left set would make every park
            // below return at once, and this loop spin. The watchdog has no use for one: clear it.
            Thread.interrupted();
            long now = System.nanoTime();
            long wake = scanGuarded(now);
            if (wake == Long.MAX_VALUE) {
                // Nothing to watch: park until a worker starts a job. Announce it first, then look again, so
                // that a job started meanwhile is seen here or unparks us (both sides write, then read, volatiles).
                watchdogIdle = true;
                if (scanGuarded(System.nanoTime()) == Long.MAX_VALUE && !exited.isDone()) {
                    LockSupport.park(this);
                }
                watchdogIdle = false;
            } else {
                LockSupport.parkNanos(this, wake - now);
            }
        }
    }

    /**
     * {@link #scan}, which must not end the watchdog whatever happens: every later timeout of the pool depends
     * on it. No user code runs in a scan (stuck-job reports, which call the job's {@code toString()}, run on a
     * thread of their own), so a failure here is unexpected (an {@link OutOfMemoryError}, say): it is logged and
     * the scan is tried again shortly.
     */
    private long scanGuarded(long now) {
        try {
            return scan(now);
        } catch (Throwable unexpected) {
            logQuietly(System.Logger.Level.ERROR, () -> name + "-watchdog: a scan failed; retrying", unexpected);
            return now + WATCHDOG_RETRY_NANOS;
        }
    }

    /**
     * Times out the jobs past their deadline and reports stuck ones; returns when to look next
     * ({@code System.nanoTime()} value), or {@code Long.MAX_VALUE} if no worker has anything to watch.
     */
    private long scan(long now) {
        long wake = Long.MAX_VALUE;
        for (Worker w : workerThreads) {
            int state = w.state;
            if (state == RUNNING) {
                long deadline = w.deadline;
                if (now - deadline >= 0) {
                    w.timeOut(now);
                    if (!w.reported) {
                        wake = earliest(wake, w.deadline + timeoutNanos);
                    }
                } else {
                    wake = earliest(wake, deadline);
                }
            } else if (state == TIMED_OUT && !w.reported) {
                long reportAt = w.deadline + timeoutNanos;
                if (now - reportAt >= 0) {
                    StuckReport report = w.stuckReport(now);
                    if (report != null) {
                        report.publish();
                    }
                } else {
                    wake = earliest(wake, reportAt);
                }
            }
        }
        return wake;
    }

    /** How long the watchdog waits before it scans again after an unexpected failure. */
    private static final long WATCHDOG_RETRY_NANOS = 10_000_000;

    /**
     * A worker still running a job a timeout after it timed out. The warning names the job, and so calls its
     * {@code toString()}: user code that may be slow, throw, or recurse without end. It therefore runs on a
     * short-lived daemon thread of its own, never on the watchdog (which must stay on time for every other
     * job) nor under a worker's monitor, and whatever it throws is caught.
     */
    private record StuckReport(String worker, Duration overrun, Object job) {

        void publish() {
            try {
                Thread reporter = new Thread(this::log, worker + "-stuck-report");
                reporter.setDaemon(true);
                reporter.start();
            } catch (Throwable cannotStart) {
                logQuietly(System.Logger.Level.WARNING, () -> message("(not described: " + cannotStart + ")"), null);
            }
        }

        private void log() {
            logQuietly(System.Logger.Level.WARNING, () -> message(describe(job)), null);
        }

        private String message(String description) {
            return worker + " is still running a job that timed out " + overrun.toMillis() + " ms ago and ignores "
                    + "the interrupt; the worker takes no other job until it returns (its result, a "
                    + "TimeoutException, was delivered). Job: " + description;
        }

        /** The job's {@code toString()}, or what went wrong with it. */
        private static String describe(Object job) {
            try {
                return String.valueOf(job);
            } catch (Throwable e) {
                return "(its toString() threw " + e.getClass().getName() + ")";
            }
        }
    }

    /** Logs to the {@code dev.workerpool} logger; a failure of the logging itself is dropped, not thrown. */
    private static void logQuietly(System.Logger.Level level, Supplier<String> message, Throwable thrown) {
        try {
            if (thrown == null) {
                LOG.log(level, message);
            } else {
                LOG.log(level, message, thrown);
            }
        } catch (Throwable loggingFailed) {
            // Nowhere left to report it; the pool must go on.
        }
    }

    private static long earliest(long a, long b) {
        return a == Long.MAX_VALUE ? b : b - a < 0 ? b : a;
    }

    private final class Worker implements Runnable {
        final Thread thread;
        /** True while the user's job runs: the only time {@link #cancel()} interrupts this worker. */
        volatile boolean running;

        /** 0 .. workers - 1: this worker's lane in the job and result queues, if they have lanes. */
        private final int index;
        private final JobFunction<J, V> function;
        /** Closed when this worker exits, if AutoCloseable; null when the target is shared. */
        private final Object target;
        /** Ordered pools: the sequence number of the job just received. */
        private final long[] ticket = new long[1];
        // Statistics: written by this worker only (opaque stores, no fences), read by stats().
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong cancelledJobs = new AtomicLong();
        /** Jobs timed (every job that ran, but for the sampling of short jobs: see {@link #timeEveryJob}). */
        final AtomicLong timedJobs = new AtomicLong();
        final AtomicLong runNanos = new AtomicLong();
        /** Jobs left to run untimed before the next timed one; this worker's only. */
        private int untimed;
        final AtomicLong maxNanos = new AtomicLong();
        /** Written by the watchdog only. */
        final AtomicLong timedOut = new AtomicLong();

        // Timeouts. The worker sets RUNNING (after the job, sequence and deadline, which the volatile write
        // publishes); the move out of RUNNING — to IDLE by the worker when the job ends, or to TIMED_OUT by
        // the watchdog at the deadline — happens under this Worker's monitor: whoever moves first decides the
        // job's one result.
        volatile int state = IDLE;
        volatile long deadline;
        volatile boolean reported;
        private J currentJob;
        private long currentSeq;

        Worker(int index, JobFunction<J, V> function, Object target) {
            this.index = index;
            String threadName = name + "-worker-" + (index + 1);
            this.thread = newThread(threadName);
            this.function = function;
            this.target = target;
        }

        private Thread newThread(String threadName) {
            ThreadFactory factory = options.threadFactory();
            if (factory == null) {
                return new Thread(this, threadName);
            }
            Thread t;
            try {
                t = factory.newThread(this);
            } catch (RuntimeException | Error e) {
                throw new IllegalStateException(name + ": the thread factory failed to make " + threadName, e);
            }
            if (t == null) {
                throw new IllegalStateException(name + ": the thread factory returned null for " + threadName);
            }
            t.setName(threadName);
            return t;
        }

        @Override
        public void run() {
            try {
                for (J job = nextJob(); job != null; job = nextJob()) {
                    process(job, ticket[0]);
                }
            } finally {
                try {
                    closeTarget();
                } finally {
                    workerExited();
                }
            }
        }

        /**
         * Closes this worker's target, if AutoCloseable. What {@code close()} throws goes to the thread's
         * uncaught-exception handler; if that throws too, both are logged. Never throws: the worker must still
         * count itself out, or the pool would never terminate.
         */
        void closeTarget() {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Throwable e) {
                    try {
                        thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
                    } catch (Throwable handlerFailure) {
                        e.addSuppressed(handlerFailure);
                        logQuietly(System.Logger.Level.ERROR, () -> thread.getName()
                                + ": closing its target failed, and so did the thread's uncaught-exception handler", e);
                    }
                }
            }
        }

        private J nextJob() {
            for (;;) {
                try {
                    return jobs.receive(index, ordered ? ticket : null);
                } catch (InterruptedException stray) {
                    // Only cancel() and the watchdog interrupt workers, and only while a job runs; an interrupt
                    // that lands here came too late for its job. The queue is still drained.
                }
            }
        }

        /** Runs one job and delivers its one result (unless the watchdog timed it out and delivered that). */
        private void process(J job, long seq) {
            Thread.interrupted(); // discard an interrupt aimed at the previous job
            JobEvent event = beginEvent();
            if (cancelled) {
                R result = cancelledResult(job, null, false, 0);
                jobEvent(event, "cancelled"); // counted in stats(), so an event too
                deliver(seq, result);
                return;
            }
            boolean timed = timeoutNanos > 0 || stats && untimed-- <= 0;
            long started = timed ? System.nanoTime() : 0;
            if (timeoutNanos > 0) {
                currentJob = job;
                currentSeq = seq;
                reported = false;
                deadline = started + timeoutNanos;
                state = RUNNING;
                if (watchdogIdle) {
                    LockSupport.unpark(watchdog);
                }
            }
            running = true;
            V value = null;
            Throwable error = null;
            boolean cancelledFirst = false;
            try {
                // Re-check after publishing running = true: either cancel() sees running and interrupts us,
                // or we see cancelled here. Both fields are volatile, so one of the two must happen.
                if (cancelled) {
                    cancelledFirst = true;
                } else {
                    value = function.apply(job);
                }
            } catch (Throwable t) {
                error = t;
            } finally {
                running = false;
            }
            if (timeoutNanos > 0 && !endedInTime()) {
                count(null, timed, started);
                Thread.interrupted(); // the watchdog's
                jobEvent(event, "timed out");
                return;
            }
            R result;
            String outcome;
            if (cancelledFirst) {
                result = cancelledResult(job, null, false, 0);
                outcome = "cancelled";
            } else if (error == null) {
                count(completed, timed, started);
                result = resultFactory.create(job, value, null);
                outcome = "completed";
            } else if (cancelled) {
                result = cancelledResult(job, error, timed, started);
                outcome = "cancelled";
            } else {
                count(failed, timed, started);
                failFast(job, error);
                result = resultFactory.create(job, null, error);
                outcome = "failed";
            }
            Thread.interrupted(); // an interrupt from cancel() that raced the job's end
            jobEvent(event, outcome);
            deliver(seq, result);
        }

        /** A begun {@code dev.workerpool.Job} event if a recording enables it, else null. */
        private JobEvent beginEvent() {
            if (Jfr.AVAILABLE && Jfr.recorderUp()) {
                JobEvent e = new JobEvent(); // scalar-replaced by the JIT when no recording has it enabled
                if (e.isEnabled()) {
                    e.begin();
                    return e;
                }
            }
            return null;
        }

        private void jobEvent(JobEvent event, String outcome) {
            if (event != null) {
                event.end();
                if (event.shouldCommit()) {
                    event.pool = name;
                    event.outcome = outcome;
                    event.commit();
                }
            }
        }

        /** The job has ended: returns false if the watchdog timed it out first (and delivered its result). */
        private synchronized boolean endedInTime() {
            boolean inTime = state == RUNNING;
            state = IDLE;
            currentJob = null;
            return inTime;
        }

        /** Watchdog: times out the running job if it is still running and past its deadline. */
        synchronized void timeOut(long now) {
            if (state != RUNNING || now - deadline < 0) {
                return;
            }
            state = TIMED_OUT;
            timedOut.setOpaque(timedOut.getPlain() + 1);
            TimeoutException error = new TimeoutException(
                    name + ": the job ran longer than its timeout of " + options.timeout());
            R result = resultFactory.create(currentJob, null, error);
            failFast(currentJob, error); // cancels the pool, which interrupts running workers
            deliverNow(index, currentSeq, result);
            thread.interrupt();
        }

        /**
         * Watchdog: the job timed out a timeout ago and is still running; returns the report to make of it, once,
         * or null. Only takes the facts under the monitor: the job's {@code toString()} is user code, which runs
         * later, on the report's own thread.
         */
        synchronized StuckReport stuckReport(long now) {
            if (state != TIMED_OUT || reported) {
                return null;
            }
            reported = true;
            return new StuckReport(thread.getName(), Duration.ofNanos(now - deadline), currentJob);
        }

        private R cancelledResult(J job, Throwable cause, boolean timed, long started) {
            count(cancelledJobs, timed, started);
            return resultFactory.create(job, null, cancellation(cause));
        }

        /**
         * Counts an outcome ({@code null}: counted elsewhere); {@code started} ({@code System.nanoTime()})
         * matters only if the job ran and was {@code timed}.
         */
        private void count(AtomicLong outcome, boolean timed, long started) {
            if (!stats) {
                return;
            }
            if (outcome != null) {
                outcome.setOpaque(outcome.getPlain() + 1);
            }
            if (timed) {
                long nanos = System.nanoTime() - started;
                timedJobs.setOpaque(timedJobs.getPlain() + 1);
                runNanos.setOpaque(runNanos.getPlain() + nanos);
                if (nanos > maxNanos.getPlain()) {
                    maxNanos.setOpaque(nanos);
                }
                untimed = timeEveryJob || nanos >= SHORT_JOB_NANOS ? 0 : SAMPLE_EVERY - 1;
            }
        }

        private void deliver(long seq, R result) {
            if (sink != null) {
                sink.accept(result);
                return;
            }
            for (;;) {
                try {
                    results.put(index, seq, result);
                    return;
                } catch (InterruptedException stray) {
                    // As in nextJob: a late interrupt; the result must still be delivered.
                }
            }
        }

    }

    private final class ResultIterator implements Iterator<R> {
        private R next;

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                next = results.take();
                if (next == null) {
                    joinThreads(); // iteration ends once the workers have terminated, not just left their loops
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolInterruptedException(name + ": interrupted while waiting for the next result", e);
            }
            return next != null;
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException(name + ": every result has been read");
            }
            R r = next;
            next = null;
            return r;
        }
    }
}
