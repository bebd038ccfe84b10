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
import java.util.concurrent.atomic.AtomicLong;
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
 * </ul>
 *
 * <h2>The result channel must be read (or use {@link #runAll})</h2>
 * Results are not dropped, so they wait for a reader. A program that submits more than about
 * {@code 2 × buffer + 2 × workers} jobs from the same thread that only afterwards reads {@link #results()}
 * blocks in {@code submit} for ever: every worker waits for room in the full result channel, and the job
 * channel stays full. This is Go's "forgot to drain results" deadlock. Read results on another thread
 * (or submit from another thread), or use {@link #runAll}, which has no such limit.
 * {@link #await(Duration)} returning {@code false} is how to detect a pool that does not finish.
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
     */
    static final boolean STATS = !"false".equals(System.getProperty("dev.workerpool.stats"));

    private final String name;
    private final int workers;
    private final int buffer;
    private final ResultFactory<J, V, R> resultFactory;
    private final Channel<J> jobs;
    /** Null when results go to {@link #sink} instead (used by {@link #runAll}). */
    private final Channel<R> results;
    private final Consumer<R> sink;
    private final CompletionLatch exited;
    /** Created with the engine, started by {@link #startWorkers()}. */
    private final List<Worker> workerThreads;
    private volatile boolean cancelled;

    private PoolEngine(String name, int workers, int buffer, JobFunction<J, V> function,
            ResultFactory<J, V, R> resultFactory, Consumer<R> sink) {
        this(name, workers, buffer, copies(workers, Objects.requireNonNull(function, "function")),
                copies(workers, null), resultFactory, sink);
    }

    /** n copies; none for n < 1, so that the constructor's validation reports a bad size, not nCopies. */
    private static <X> List<X> copies(int n, X x) {
        return n < 1 ? List.of() : Collections.nCopies(n, x);
    }

    /** One function per worker, and the target behind it (closed when its worker exits, if AutoCloseable). */
    private PoolEngine(String name, int workers, int buffer, List<JobFunction<J, V>> functions, List<?> targets,
            ResultFactory<J, V, R> resultFactory, Consumer<R> sink) {
        this.name = Objects.requireNonNull(name, "name");
        validate(name, workers, buffer);
        this.workers = workers;
        this.buffer = buffer;
        this.resultFactory = Objects.requireNonNull(resultFactory, "resultFactory");
        this.jobs = new Channel<>(name + " jobs", buffer);
        this.sink = sink;
        this.results = sink == null ? new Channel<>(name + " results", resultCapacity(workers, buffer)) : null;
        this.exited = new CompletionLatch(workers);
        List<Worker> threads = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            threads.add(new Worker(name + "-worker-" + (i + 1), functions.get(i), targets.get(i)));
        }
        this.workerThreads = List.copyOf(threads);
    }

    /**
     * Starts a pool: creates its channels and starts exactly {@code workers} threads.
     *
     * @param name          names the pool in thread names and exception messages
     * @param workers       number of worker threads, at least 1
     * @param buffer        job channel capacity, at least 0 (0: unbuffered hand-off)
     * @param function      runs one job
     * @param resultFactory builds a result from a job and its outcome
     * @throws IllegalArgumentException if {@code workers < 1} or {@code buffer < 0}; the message names the pool
     * @throws IllegalStateException    if a worker thread cannot be started; the threads already started have
     *                                  exited by the time it is thrown
     */
    public static <J, V, R> PoolEngine<J, V, R> start(String name, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        PoolEngine<J, V, R> engine = new PoolEngine<>(name, workers, buffer, function, resultFactory, null);
        engine.startWorkers();
        return engine;
    }

    /**
     * Starts a pool whose workers each have a target of their own — say, each its own database connection —
     * instead of sharing one. All {@code workers} targets are created on the calling thread before any worker
     * starts; if creating one fails, those already created are closed (if {@link AutoCloseable}), no thread
     * is started, and this throws. A target that is {@link AutoCloseable} is closed by its worker when the
     * worker exits (after the queue is drained, or after cancel), before {@link #await()} returns; an
     * exception from {@code close()} goes to that worker thread's uncaught-exception handler.
     *
     * @param targets makes one target per worker; called {@code workers} times, on the calling thread
     * @param bind    turns a target into the function its worker runs
     * @throws IllegalArgumentException if {@code workers < 1} or {@code buffer < 0}
     * @throws IllegalStateException    if {@code targets} throws or returns {@code null} (the cause says which),
     *                                  or a worker thread cannot be started; nothing is left running
     */
    public static <T, J, V, R> PoolEngine<J, V, R> startPerWorker(String name, int workers, int buffer,
            Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        validate(Objects.requireNonNull(name, "name"), workers, buffer);
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
            for (T target : created) {
                if (target instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception closeFailure) {
                        failure.addSuppressed(closeFailure);
                    }
                }
            }
            throw failure;
        }
        PoolEngine<J, V, R> engine = new PoolEngine<>(name, workers, buffer, functions, created, resultFactory, null);
        engine.startWorkers();
        return engine;
    }

    /**
     * Runs every job on a pool of its own and returns their results in the order of {@code jobs}: the
     * structured, one-shot form of the pattern (Go's {@code RunPool}). The caller sees no threads; when this
     * method returns, every job has its result and every worker thread has exited. It works for any number
     * of jobs from a single thread: results are collected as they complete, so workers never wait for a reader.
     *
     * <p>At most {@code min(workers, jobs.size())} threads are started; none for an empty collection.
     *
     * @throws IllegalArgumentException if {@code workers < 1} or {@code buffer < 0}
     * @throws NullPointerException     if {@code jobs} or one of its elements is null
     * @throws InterruptedException     if the caller is interrupted; the pool is then cancelled and its workers
     *                                  have exited before this is thrown (interrupt status cleared)
     */
    public static <J, V, R> List<R> runAll(String name, int workers, int buffer, Collection<? extends J> jobs,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) throws InterruptedException {
        validate(Objects.requireNonNull(name, "name"), workers, buffer);
        List<J> input = List.copyOf(jobs);
        if (input.isEmpty()) {
            return List.of();
        }
        Object[] out = new Object[input.size()];
        PoolEngine<Integer, V, R> engine = new PoolEngine<>(name, Math.min(workers, input.size()), buffer,
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
        } catch (InterruptedException e) {
            engine.cancel();
            engine.awaitUninterruptibly();
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Collections.unmodifiableList(Arrays.asList(out));
        return list;
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
        if (results != null) {
            results.unbound();
        }
        jobs.close();
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
        for (Worker worker : workerThreads) {
            worker.thread.join();
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
            long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            worker.thread.join(millis);
            if (worker.thread.isAlive()) {
                return false;
            }
        }
        return true;
    }

    // --- consumers ---------------------------------------------------------------------------------------------

    /**
     * The results, in completion order, as they complete: Go's {@code for r := range results}. Each call
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

    /** Whether {@link #cancel()} has been called. */
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
        return true;
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
        long ran = 0;
        long runNanos = 0;
        long maxNanos = 0;
        int busy = 0;
        for (Worker w : workerThreads) {
            completed += w.completed.getOpaque();
            failed += w.failed.getOpaque();
            cancelledJobs += w.cancelledJobs.getOpaque();
            ran += w.ran.getOpaque();
            runNanos += w.runNanos.getOpaque();
            maxNanos = Math.max(maxNanos, w.maxNanos.getOpaque());
            busy += w.running ? 1 : 0;
        }
        return new PoolStats(name, workers, buffer, jobs.size(), jobs.highWaterMark(), busy, jobs.sent(),
                completed, failed, cancelledJobs, Duration.ofNanos(ran == 0 ? 0 : runNanos / ran),
                Duration.ofNanos(maxNanos));
    }

    @Override
    public String toString() {
        String state = isTerminated() ? "terminated" : cancelled ? "cancelling" : isClosed() ? "draining" : "open";
        return name + "[workers=" + workers + ", buffer=" + buffer + ", queued=" + jobs.size()
                + (results == null ? "" : ", unread results=" + results.size()) + ", " + state + "]";
    }

    // --- internals ---------------------------------------------------------------------------------------------

    static void validate(String name, int workers, int buffer) {
        if (workers < 1) {
            throw new IllegalArgumentException(name + ": workers must be at least 1, was " + workers);
        }
        if (buffer < 0) {
            throw new IllegalArgumentException(name + ": buffer must be at least 0, was " + buffer);
        }
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
        for (int i = 0; i < workers; i++) {
            try {
                workerThreads.get(i).thread.start();
            } catch (Throwable e) {
                abortStart(i);
                throw new IllegalStateException(name + ": could not start worker " + (i + 1) + " of " + workers, e);
            }
        }
    }

    /** Worker {@code failed} could not start: stop the ones that did, and wait for them. */
    private void abortStart(int failed) {
        cancel();
        for (int i = failed; i < workers; i++) {
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
        if (exited.arrive() && results != null) {
            results.close();
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        /** True while the user's job runs: the only time {@link #cancel()} interrupts this worker. */
        volatile boolean running;

        private final JobFunction<J, V> function;
        /** Closed when this worker exits, if AutoCloseable; null when the target is shared. */
        private final Object target;
        // Statistics: written by this worker only (opaque stores, no fences), read by stats().
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong cancelledJobs = new AtomicLong();
        final AtomicLong ran = new AtomicLong();
        final AtomicLong runNanos = new AtomicLong();
        final AtomicLong maxNanos = new AtomicLong();

        Worker(String threadName, JobFunction<J, V> function, Object target) {
            this.thread = new Thread(this, threadName);
            this.function = function;
            this.target = target;
        }

        @Override
        public void run() {
            try {
                for (J job = nextJob(); job != null; job = nextJob()) {
                    deliver(execute(job));
                }
            } finally {
                closeTarget();
                workerExited();
            }
        }

        private void closeTarget() {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Throwable e) {
                    thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
                }
            }
        }

        private J nextJob() {
            for (;;) {
                try {
                    return jobs.receive();
                } catch (InterruptedException stray) {
                    // Only cancel() interrupts workers, and only while a job runs; an interrupt that lands
                    // here came too late for its job. The queue is still drained (into cancelled results).
                }
            }
        }

        private R execute(J job) {
            Thread.interrupted(); // discard an interrupt aimed at the previous job
            if (cancelled) {
                return cancelledResult(job, null, false, 0);
            }
            running = true;
            long started = STATS ? System.nanoTime() : 0;
            try {
                // Re-check after publishing running = true: either cancel() sees running and interrupts us,
                // or we see cancelled here. Both fields are volatile, so one of the two must happen.
                if (cancelled) {
                    return cancelledResult(job, null, false, 0);
                }
                V value = function.apply(job);
                count(completed, true, started);
                return resultFactory.create(job, value, null);
            } catch (Throwable t) {
                if (cancelled) {
                    return cancelledResult(job, t, true, started);
                }
                count(failed, true, started);
                return resultFactory.create(job, null, t);
            } finally {
                running = false;
                Thread.interrupted();
            }
        }

        private R cancelledResult(J job, Throwable cause, boolean didRun, long started) {
            count(cancelledJobs, didRun, started);
            return resultFactory.create(job, null, cancellation(cause));
        }

        /** Counts an outcome; {@code started} ({@code System.nanoTime()}) matters only if the job {@code didRun}. */
        private void count(AtomicLong outcome, boolean didRun, long started) {
            if (!STATS) {
                return;
            }
            outcome.setOpaque(outcome.getPlain() + 1);
            if (didRun) {
                long nanos = System.nanoTime() - started;
                ran.setOpaque(ran.getPlain() + 1);
                runNanos.setOpaque(runNanos.getPlain() + nanos);
                if (nanos > maxNanos.getPlain()) {
                    maxNanos.setOpaque(nanos);
                }
            }
        }

        private void deliver(R result) {
            if (sink != null) {
                sink.accept(result);
                return;
            }
            for (;;) {
                try {
                    results.send(result);
                    return;
                } catch (InterruptedException stray) {
                    // As in nextJob: a late interrupt; the result must still be delivered.
                }
            }
        }

        private CancellationException cancellation(Throwable cause) {
            CancellationException e = new CancellationException(
                    cause == null ? name + " was cancelled before this job started"
                            : name + " was cancelled while this job ran");
            if (cause != null) {
                e.initCause(cause);
            }
            return e;
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
                next = results.receive();
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
