package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolInterruptedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The in-process pool: its state and the {@link PoolEngine} API over a {@link JobQueue}, its {@link Worker}
 * threads (a {@link Crew}, which keeps their seats and resizes them), a {@link ResultQueue}, a
 * {@link CompletionLatch} and, for timed pools, a {@link Watchdog}. {@code runAll} builds one of its own
 * ({@link RunAll}). The contract is {@link PoolEngine}'s; DESIGN.md tells how a job flows.
 *
 * <p>Implementation notes. {@link Queues} chooses the two queues once, at construction. {@link #submit} goes
 * straight to the job queue; a worker receives, runs, and sends the result to the result queue; the last worker
 * to exit closes the result queue, which ends iteration. {@link #cancel()} closes intake before anything that
 * lets a worker take a queued job: before it marks the pool cancelled (a worker then gives each job it takes a
 * cancelled result at once), wakes the workers waiting for a rate permit, or lifts the result bound. Each of
 * those frees room in the job queue, and a submitter waiting for that room must already find the pool closed.
 * Before the close it notes that a cancel has begun ({@link #cancelling}): from then on no queued job starts
 * (a worker waits the few instructions until intake is closed, then gives it its cancelled result), and a job
 * the close ends (one waiting to submit to its own pool, say) counts as cancelled, as any job failing after the
 * cancel does.
 *
 * @param <J> the job type
 * @param <V> the job's value type
 * @param <R> the result type
 */
final class LocalEngine<J, V, R> implements PoolEngine<J, R> {

    final String name;
    final PoolOptions options;
    final ResultFactory<J, V, R> resultFactory;
    /** The stats settings, read once per pool ({@link Tuning#stats()}, {@link Tuning#timeEveryJob()}). */
    final boolean countStats = Tuning.stats();
    final boolean timeEveryJob = Tuning.timeEveryJob();
    /** Whether results are in acceptance order: then workers receive jobs with their tickets. */
    final boolean ordered;
    final JobQueue<J> jobs;
    final ResultQueue<R> results;
    /** 0 for no timeout. */
    final long timeoutNanos;
    /** Null without a timeout. */
    final Watchdog watchdog;
    /** Null without a rate limit. */
    final RateLimiter rateLimiter;
    /** Null without retries (no policy, or one attempt): then workers take the path they always took. */
    final RetryPolicy retry;
    /** Whether an attempt that times out is tried again (if it has attempts left): the policy retries timeouts. */
    final boolean timeoutsRetried;
    /**
     * Set first by {@link #cancel()}: from then on no queued job starts ({@link #cancelHasBegun()}), a job that
     * fails was cancelled (its error becomes the cause), and a refused submit says so.
     */
    volatile boolean cancelling;
    /** Set by {@link #cancel()} once intake is closed: workers may now give queued jobs their cancelled results. */
    volatile boolean cancelled;
    /**
     * Set by the first {@link #cancel()} that comes to interrupt the workers; a later call interrupts none (see
     * there). Read and written on the cancel path only.
     */
    private final AtomicBoolean interruptsSent = new AtomicBoolean();
    /** Tests only: run by {@link #cancel()} once it has closed intake, before it marks the pool cancelled. */
    volatile Runnable betweenCancelSteps;
    /** Tests only: run by {@link #cancel()} after it has woken the workers waiting for a rate permit. */
    volatile Runnable afterPermitWaitersWoken;
    /** Tests only: run by {@link #cancel()} once it has seen a worker running, before it interrupts that worker. */
    volatile Consumer<Thread> beforeInterrupt;

    private final int buffer;
    /** The workers, their seats and the size; resizing. */
    private final Crew<J, V, R> crew;
    final CompletionLatch exited;
    /**
     * The thread that submitted last, and the one that read results last: with the workers, the threads whose
     * running makes a producer's or reader's yields worth making ({@link Backoff}). Each on cache lines of its own
     * ({@link Party}). A party that has yielded in a wait does not count as running for the other, or the two would
     * yield to each other (only a worker ends either wait).
     */
    private final Party producer = new Party();
    private final Party reader = new Party();
    /**
     * A worker's mean job time above which {@link #workersRun(Party)} does not count it while it runs between jobs
     * (unless most workers run): longer than a waiter's yields last.
     */
    static final long LONG_JOB_NANOS = 20_000;
    /**
     * Fail-fast pools: the first failure, or {@link #CANCELLED_FIRST} if {@link #cancel()} came before any: only a
     * failure that cancels the pool is its failure.
     */
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    /** In {@link #failure}: the pool was cancelled before any job failed (a later failure did not cancel it). */
    private static final Failure CANCELLED_FIRST = new Failure(null, null);

    /** The first job to fail in a fail-fast pool, and what it threw. */
    record Failure(Object job, Throwable error) {
    }

    /** What a worker runs: its function, and the target behind it (its own, closed when it exits; or null). */
    record Seat<J, V>(JobFunction<J, V> function, Object target) {
    }

    /**
     * One function per worker, and the target behind it (closed when its worker exits, if AutoCloseable; null
     * when shared). Results go to {@code answer} ({@code runAll}), else to {@code handler} (a side-effect pool),
     * else to a queue read through {@link #results()}.
     */
    LocalEngine(String name, PoolOptions options, int workers, int buffer, List<JobFunction<J, V>> functions,
            List<?> targets, Supplier<Seat<J, V>> newSeat, ResultFactory<J, V, R> resultFactory,
            RunAllResults<R> answer, Consumer<? super R> handler) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        validate(name, options, workers, buffer);
        this.buffer = buffer;
        this.resultFactory = Objects.requireNonNull(resultFactory, "resultFactory");
        if (handler != null && options.ordered()) {
            throw new IllegalArgumentException(name + ": an ordered pool hands its results out in order through"
                    + " results(); a result handler gets them as they complete");
        }
        this.ordered = options.ordered() && answer == null;
        this.jobs = Queues.jobs(name, workers, buffer, ordered);
        this.results = answer != null ? answer
                : handler != null ? new HandlerResults<>(name, workers, handler)
                : Queues.results(name, workers, buffer, ordered);
        this.exited = new CompletionLatch(workers);
        this.timeoutNanos = options.timeout() == null ? 0 : Timeouts.nanos(options.timeout());
        this.rateLimiter = options.rate() == null ? null : new RateLimiter(options.rate());
        this.retry = options.retry() == null || options.retry().attempts() == 1 ? null : options.retry();
        this.timeoutsRetried = retry != null && retry.retries(new TimeoutException());
        this.crew = new Crew<>(this, functions, targets, newSeat);
        this.watchdog = timeoutNanos > 0 ? new Watchdog(name, timeoutNanos, this::workerThreads, exited) : null;
        // A pool with a thread factory of its own (virtual threads, say) keeps yielding: a virtual thread's yield
        // is a cheap switch in user mode, and reading a virtual thread's state takes a lock.
        if (Tuning.yieldOnlyWhileOthersRun() && options.threadFactory() == null) {
            jobs.sendersYieldWhile(this::roomMayCome);
            results.receiversYieldWhile(this::resultsMayCome);
        }
    }

    /** Asked by a producer about to yield for room: room comes from workers, who may wait for the reader. */
    boolean roomMayCome() {
        producer.yielding();
        return reader.runs() || workersRun(producer);
    }

    /** Asked by a reader about to yield for a result: results come from workers, which the producer feeds. */
    boolean resultsMayCome() {
        reader.yielding();
        return producer.runs() || workersRun(reader);
    }

    /**
     * Whether a worker that could end the producer's or reader's wait soon runs or waits for a core (it does not
     * wait, sleep or block on a lock): one in a job, which may end it (a result, then a take); one between jobs
     * whose jobs are short; or, while at least half the workers run, one between jobs whatever its jobs. Not a
     * worker between jobs longer than {@link #LONG_JOB_NANOS} while most others wait or sleep: it is about to
     * start a job that keeps it longer than the waiter's yields last (in a pool of sleeping jobs, it is the one
     * whose result or take has just woken the waiter, and which the waiter has preempted). A thread blocked in I/O
     * reads as running too, so only jobs that sleep, park or wait spare the producer's and reader's yields. A worker
     * woken from its park that has not run since counts as running ({@link Worker#woken()}): it is about to. Starts
     * with the one the asking party found running last, so that it mostly reads one thread's state.
     */
    private boolean workersRun(Party asker) {
        List<Worker<J, V, R>> all = crew.all();
        int n = all.size();
        int start = asker.runningHint;
        int betweenLongJobs = 0;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            Worker<J, V, R> worker = all.get(i);
            if (worker.thread.getState() == Thread.State.RUNNABLE || worker.woken()) {
                if (worker.running == Worker.JOB || !worker.stats.jobsTakeLongerThan(LONG_JOB_NANOS)) {
                    if (i != start) {
                        asker.runningHint = i;
                    }
                    return true;
                }
                betweenLongJobs++;
            }
        }
        return betweenLongJobs > 0 && 2 * betweenLongJobs >= n;
    }

    /** Tests only: whether the producer has asked {@link #roomMayCome()} since it last came to submit. */
    boolean producerAsked() {
        return producer.yielded();
    }

    /** Tests only: whether the reader has asked {@link #resultsMayCome()} since it last came to read. */
    boolean readerAsked() {
        return reader.yielded();
    }

    /**
     * For a worker about to start a job: whether a cancel has begun. If so, first waits until {@link #cancel()}
     * has closed intake, a few instructions: a worker that then skips the queued jobs frees room in the queue, and
     * a submitter waiting for that room must find the pool closed.
     */
    boolean cancelHasBegun() {
        if (!cancelling) {
            return false;
        }
        for (int i = 0; !cancelled; i++) {
            Backoff.briefly(i, 16);
        }
        return true;
    }

    /** As {@link PoolEngine#start}, with default options (tests). */
    static <J, V, R> LocalEngine<J, V, R> start(String name, int workers, int buffer, JobFunction<J, V> function,
            ResultFactory<J, V, R> resultFactory) {
        return start(name, PoolOptions.DEFAULT, workers, buffer, function, resultFactory);
    }

    /** See {@link PoolEngine#start}. */
    static <J, V, R> LocalEngine<J, V, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory) {
        return start(name, options, workers, buffer, function, resultFactory, null);
    }

    /** See {@link PoolEngine#start}; {@code handler} null for a pool read through {@link #results()}. */
    static <J, V, R> LocalEngine<J, V, R> start(String name, PoolOptions options, int workers, int buffer,
            JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory, Consumer<? super R> handler) {
        givenCommon(name, options, resultFactory, "start");
        given(function, name, "start", "function");
        Seat<J, V> shared = new Seat<>(function, null);
        LocalEngine<J, V, R> engine = new LocalEngine<>(name, options, workers, buffer,
                copies(workers, function), copies(workers, null), () -> shared, resultFactory, null, handler);
        engine.startThreads();
        return engine;
    }

    /** n copies; none for {@code n < 1}, so that the constructor's validation reports a bad size, not nCopies. */
    static <X> List<X> copies(int n, X x) {
        return n < 1 ? List.of() : Collections.nCopies(n, x);
    }

    /** As {@link PoolEngine#startPerWorker}, with default options (tests). */
    static <T, J, V, R> LocalEngine<J, V, R> startPerWorker(String name, int workers, int buffer,
            Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        return startPerWorker(name, PoolOptions.DEFAULT, workers, buffer, targets, bind, resultFactory);
    }

    /** See {@link PoolEngine#startPerWorker}. */
    static <T, J, V, R> LocalEngine<J, V, R> startPerWorker(String name, PoolOptions options, int workers,
            int buffer, Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory) {
        return startPerWorker(name, options, workers, buffer, targets, bind, resultFactory, null);
    }

    /** See {@link PoolEngine#startPerWorker}; {@code handler} null for a pool read through {@link #results()}. */
    static <T, J, V, R> LocalEngine<J, V, R> startPerWorker(String name, PoolOptions options, int workers,
            int buffer, Supplier<? extends T> targets, Function<? super T, JobFunction<J, V>> bind,
            ResultFactory<J, V, R> resultFactory, Consumer<? super R> handler) {
        givenCommon(name, options, resultFactory, "startPerWorker");
        given(targets, name, "startPerWorker", "target supplier");
        given(bind, name, "startPerWorker", "bind function");
        validate(name, options, workers, buffer);
        List<T> created = new ArrayList<>(workers);
        List<JobFunction<J, V>> functions = new ArrayList<>(workers);
        try {
            for (int i = 0; i < workers; i++) {
                T target = Objects.requireNonNull(targets.get(), "the target supplier returned null");
                created.add(target);
                functions.add(Objects.requireNonNull(bind.apply(target), "bind"));
            }
        } catch (Throwable e) { // a supplier may throw anything, a checked exception too (sneaky throws)
            IllegalStateException failure = new IllegalStateException(
                    name + ": could not create the target for worker " + (created.size() + 1) + " of " + workers, e);
            closeAll(created, failure);
            throw failure;
        }
        Supplier<Seat<J, V>> newSeat = () -> { // when the pool grows: as above, for one worker
            T target = Objects.requireNonNull(targets.get(), "the target supplier returned null");
            try {
                return new Seat<>(Objects.requireNonNull(bind.apply(target), "bind"), target);
            } catch (Throwable e) {
                closeAll(Collections.singletonList(target), e);
                throw e;
            }
        };
        LocalEngine<J, V, R> engine;
        try {
            engine = new LocalEngine<>(name, options, workers, buffer, functions, created, newSeat, resultFactory,
                    null, handler);
        } catch (RuntimeException | Error e) {
            closeAll(created, e);
            throw e;
        }
        engine.startThreads(); // on failure, each started worker closed its target; close the others'
        return engine;
    }

    /**
     * Closes the AutoCloseable targets, every one of them, adding whatever their close() throws (an Error too) to
     * {@code failure}.
     */
    static void closeAll(List<?> targets, Throwable failure) {
        for (Object target : targets) {
            if (target instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Throwable closeFailure) {
                    if (closeFailure != failure) {
                        failure.addSuppressed(closeFailure);
                    }
                }
            }
        }
    }

    /** A wait that throws {@link InterruptedException}. */
    interface Wait {
        void run() throws InterruptedException;
    }

    /** Runs {@code wait} to its end, keeping (not throwing) an interrupt that arrives meanwhile. */
    static void uninterruptibly(Wait wait) {
        boolean interrupted = false;
        for (;;) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void validate(String name, PoolOptions options, int workers, int buffer) {
        options.checkWorkers(name, workers);
        PoolOptions.checkBuffer(name, buffer);
    }

    /**
     * Refuses a null argument of a pool-making method ({@code start}, {@code startPerWorker}, {@code runAll}) with
     * a {@link NullPointerException} that names the pool (unless the name is what is null), the method and the
     * argument: {@code "P: start was given a null function"}.
     */
    static <X> X given(X value, String pool, String method, String argument) {
        if (value == null) {
            throw new NullPointerException((pool == null ? "" : pool + ": ") + method + " was given a null "
                    + argument);
        }
        return value;
    }

    /** {@link #given} for the arguments every pool-making method has: the name, the options, the result factory. */
    static void givenCommon(String pool, PoolOptions options, Object resultFactory, String method) {
        given(pool, null, method, "name");
        given(options, pool, method, "options");
        given(resultFactory, pool, method, "result factory");
    }

    void startThreads() {
        Jfr.started(this);
        int workers = crew.size();
        for (int i = 0; i < workers; i++) {
            try {
                workerThreads().get(i).thread.start();
            } catch (Throwable e) {
                abortStart(i);
                throw new IllegalStateException(name + ": could not start worker " + (i + 1) + " of " + workers, e);
            }
        }
        if (watchdog != null) {
            try {
                watchdog.thread.start();
            } catch (Throwable e) {
                abortStart(crew.size());
                throw new IllegalStateException(name + ": could not start its timeout watchdog", e);
            }
        }
    }

    /** Worker {@code failed} could not start: stop the ones that did, and wait for them. */
    private void abortStart(int failed) {
        cancel();
        for (int i = failed; i < crew.size(); i++) {
            workerThreads().get(i).closeTarget();
            workerExited();
        }
        awaitUninterruptibly();
    }

    // --- producers ---------------------------------------------------------------------------------------------

    @Override
    public void submit(J job) throws InterruptedException {
        if (job == null) {
            throw nullJob("submit");
        }
        producer.came(Thread.currentThread());
        try {
            jobs.send(job);
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    @Override
    public boolean trySubmit(J job) {
        if (job == null) {
            throw nullJob("trySubmit");
        }
        producer.came(Thread.currentThread());
        try {
            return jobs.trySend(job);
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    @Override
    public boolean trySubmit(J job, Duration timeout) throws InterruptedException {
        if (job == null) {
            throw nullJob("trySubmit");
        }
        requireTimeout(timeout, "trySubmit");
        producer.came(Thread.currentThread());
        try {
            return jobs.trySend(job, timeout);
        } catch (ChannelClosedException e) {
            throw closedException();
        }
    }

    /** Throws a {@link NullPointerException} naming the pool and {@code method} if {@code timeout} is null. */
    private void requireTimeout(Duration timeout, String method) {
        if (timeout == null) {
            throw new NullPointerException(name + ": " + method + " was given a null timeout");
        }
    }

    /** The {@link NullPointerException} of a null job given to {@code method}: it names the pool. */
    private NullPointerException nullJob(String method) {
        return new NullPointerException(name + ": " + method + " was given a null job; a job may not be null");
    }

    private PoolClosedException closedException() {
        return new PoolClosedException(cancelling
                ? name + " was cancelled; it accepts no more jobs"
                : name + " is closed; it accepts no more jobs");
    }

    // --- lifecycle ---------------------------------------------------------------------------------------------

    @Override
    public void close() {
        jobs.close();
    }

    @Override
    public void cancel() {
        if (options.failFast()) {
            failure.compareAndSet(null, CANCELLED_FIRST); // a job failing from now on does not fail the pool
        }
        cancelling = true; // from here on no queued job starts, and a job that fails counts as cancelled
        jobs.close(); // intake first: see the class comment
        Runnable hook = betweenCancelSteps;
        if (hook != null) {
            hook.run();
        }
        cancelled = true; // the workers, which wait for this once they see cancelling, may now drain the queue
        if (rateLimiter != null) {
            rateLimiter.wakeAll(); // jobs waiting for a permit: cancelled results, never started
        }
        hook = afterPermitWaitersWoken;
        if (hook != null) {
            hook.run();
        }
        results.unbound();
        // Only the first call interrupts. A worker that ends a stretch waits until no cancel() is between seeing
        // it running and interrupting it (Worker.awaitInterrupters): were every call to interrupt, calls that keep
        // coming from several threads, each overlapping the next, could keep it waiting for as long as they come.
        // A later call has nothing left to interrupt: this one has set `cancelling` before it reads a worker's
        // `running`, so a job or retry wait that it does not see running sees the cancel and does not begin; a
        // side-effect pool's handler call that begins after it is not interrupted (the calls for the cancelled
        // results). A later call may return before this one has sent its interrupts; they still come.
        if (!interruptsSent.compareAndSet(false, true)) {
            return;
        }
        Consumer<Thread> before = beforeInterrupt;
        for (Worker<J, V, R> worker : workerThreads()) {
            worker.interruptIfRunning(before); // a running job or retry wait; a side-effect pool's handler call
        }
    }

    // --- resizing ----------------------------------------------------------------------------------------------

    /** See {@link PoolEngine#resize}; {@link Crew#resize} tells how. */
    @Override
    public void resize(int workers) {
        crew.resize(workers);
    }

    /**
     * Worker: whether it must retire because its seat is beyond the size; if so, its seat is empty from now on
     * (a pool that grows again fills it with a new worker), and it exits as soon as this returns.
     */
    boolean retire(Worker<J, V, R> worker) {
        return crew.retire(worker);
    }

    /** The workers whose threads may be alive: a snapshot (the watchdog's view too). */
    List<Worker<J, V, R>> workerThreads() {
        return crew.all();
    }

    /** A worker has left its loop; the last one closes the results. */
    void workerExited() {
        if (exited.arrive()) {
            Jfr.terminated(this);
            if (watchdog != null) {
                watchdog.poolTerminated();
            }
            results.close();
        }
    }

    /** Fail-fast pools: the first failure, the one that cancelled the pool; or null. */
    Failure firstFailure() {
        Failure first = failure.get();
        return first == CANCELLED_FIRST ? null : first;
    }

    /** Fail-fast: if this is the first failure, records it and cancels the pool. */
    void failFast(Object job, Throwable error) {
        if (options.failFast() && failure.compareAndSet(null, new Failure(job, error))) {
            cancel();
        }
    }

    /** The error of a job the cancellation stopped: before it started ({@code cause} null), or while it ran. */
    CancellationException cancellation(Throwable cause) {
        CancellationException e = new CancellationException(
                cause == null ? name + " was cancelled before this job started"
                        : name + " was cancelled while this job ran");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /**
     * The error of a job the cancellation stopped while it waited for its next attempt; the attempts' errors are
     * added to it as suppressed by the worker.
     */
    CancellationException cancellationBeforeRetry() {
        return new CancellationException(name + " was cancelled while this job waited for its next attempt");
    }

    @Override
    public void await() throws InterruptedException {
        refuseOwnWorker();
        exited.await();
        joinThreads();
    }

    /**
     * Throws if the caller is one of this pool's workers (a job awaiting its own pool): its worker would have to
     * exit for the wait to end, so it would wait for ever.
     */
    private void refuseOwnWorker() {
        if (isOwnWorker(Thread.currentThread())) {
            throw new IllegalStateException(name + ": await() called from one of its own jobs would wait for ever "
                    + "(the job's worker must exit first); use await(Duration), or await from another thread");
        }
    }

    /**
     * Whether {@code thread} is one of this pool's workers: in one of its jobs, or its result handler. Once false,
     * false for ever (a worker is a new thread); once true, true while it runs.
     */
    private boolean isOwnWorker(Thread thread) {
        for (Worker<J, V, R> worker : workerThreads()) {
            if (worker.thread == thread) {
                return true;
            }
        }
        return false;
    }

    /** Every worker has left its loop: wait the few instructions until the threads have terminated. */
    private void joinThreads() throws InterruptedException {
        for (Worker<J, V, R> worker : workerThreads()) {
            worker.thread.join();
        }
        if (watchdog != null) {
            watchdog.thread.join();
        }
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        requireTimeout(timeout, "await");
        long deadline = Timeouts.deadline(timeout);
        if (!exited.await(timeout)) {
            return false;
        }
        for (Worker<J, V, R> worker : workerThreads()) {
            if (!join(worker.thread, deadline)) {
                return false;
            }
        }
        return watchdog == null || join(watchdog.thread, deadline);
    }

    private static boolean join(Thread thread, long deadline) throws InterruptedException {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        return !thread.isAlive();
    }

    /** Waits for every worker thread to terminate, keeping (not throwing) an interrupt that arrives meanwhile. */
    void awaitUninterruptibly() {
        uninterruptibly(this::await);
    }

    @Override
    public void awaitOrThrow() throws InterruptedException, PoolFailedException {
        await();
        throwIfFailed();
    }

    @Override
    public boolean awaitOrThrow(Duration timeout) throws InterruptedException, PoolFailedException {
        if (!await(timeout)) { // a null timeout named as "await": the generated await(Duration) of a fail-fast pool
            return false;
        }
        throwIfFailed();
        return true;
    }

    private void throwIfFailed() throws PoolFailedException {
        Failure first = firstFailure();
        if (first != null) {
            throw new PoolFailedException(name, first.job(), first.error());
        }
    }

    @Override
    public Optional<Throwable> failure() {
        Failure first = firstFailure();
        return first == null ? Optional.empty() : Optional.of(first.error());
    }

    // --- consumers ---------------------------------------------------------------------------------------------

    @Override
    public Iterable<R> results() {
        if (!results.readable()) {
            throw new IllegalStateException(name + ": its results go to the handler given to start;"
                    + " there is nothing to read");
        }
        return ResultIterator::new;
    }

    /**
     * Receives from the result queue; ends once it is closed and empty and the worker threads have terminated.
     * On one of the pool's own workers (a job reading its own pool's results) it never waits: the end would come
     * only once that worker has exited, so it hands out the results already there and throws where it would wait.
     */
    private final class ResultIterator implements Iterator<R> {
        private R next;
        /**
         * The thread that last asked {@link #hasNext()} (until then, the one that made this iterator), and whether
         * it is one of the pool's workers.
         */
        private Thread user;
        private boolean onOwnWorker;
        /** Reads through {@link #hasNext()}'s receive; only its low bits matter. */
        private long reads;

        /** Made by the thread that calls {@code iterator()}, which is almost always the one that iterates. */
        ResultIterator() {
            user = Thread.currentThread();
            onOwnWorker = isOwnWorker(user);
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            Thread me = Thread.currentThread();
            if (me != user) { // the first call, or an iterator passed to another thread: looked up once per thread
                onOwnWorker = isOwnWorker(me);
                user = me;
            }
            if (onOwnWorker) {
                next = nextOnOwnWorker();
                return true;
            }
            reader.came(me);
            try {
                // The end, and every 256th read, go through receiveRarely: so both ways of the test below are in
                // every profile, and a pool's end does not throw away the compiled reader (DESIGN.md, hot paths).
                R r = (++reads & 255) == 0 ? null : results.receive();
                if (r == null) {
                    return receiveRarely();
                }
                next = r;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolInterruptedException(name + ": interrupted while waiting for the next result", e);
            }
        }

        /**
         * {@link #hasNext()}'s receive, off its fast path: every 256th read, and the read after the last result
         * (whose receive returned null, and returns null again: the queue stays closed and empty). The iteration
         * ends once the workers have terminated, not just left their loops.
         */
        private boolean receiveRarely() throws InterruptedException {
            next = results.receive();
            if (next == null) {
                joinThreads();
                return false;
            }
            return true;
        }

        /** The next result for a job of this pool reading its results: one already there, or an exception. */
        private R nextOnOwnWorker() {
            R r = results.receiveNow();
            if (r == null) {
                throw new IllegalStateException(name + ": results() read from one of its own jobs has no result"
                        + " there now, and a job may not wait for one: the results end only once every worker has"
                        + " exited, the job's own included, so reading them to the end would wait for ever;"
                        + " read them on another thread");
            }
            return r;
        }

        @Override
        public R next() {
            R r = next;
            // After hasNext() (a for-each loop) the result is here: next() then has no wait path of its own,
            // and the JIT compiles the receive path into the caller's loop once, at hasNext(), not twice.
            if (r == null) {
                if (!hasNext()) {
                    throw new NoSuchElementException(name + ": every result has been read");
                }
                r = next;
            }
            next = null;
            return r;
        }
    }

    // --- state -------------------------------------------------------------------------------------------------

    /** The pool's name (tests). */
    String name() {
        return name;
    }

    /** Jobs waiting in the queue now; a snapshot (tests). */
    int queuedJobs() {
        return jobs.size();
    }

    @Override
    public boolean isClosed() {
        return jobs.isClosed();
    }

    @Override
    public boolean isCancelled() {
        return cancelling;
    }

    @Override
    public boolean isTerminated() {
        if (!exited.isDone()) {
            return false;
        }
        for (Worker<J, V, R> worker : workerThreads()) {
            if (worker.thread.isAlive()) {
                return false;
            }
        }
        return watchdog == null || !watchdog.thread.isAlive();
    }

    @Override
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
        Crew.Roster<J, V, R> all = crew.roster();
        WorkerStats gone = all.retired();
        timedOut += gone.timedOut.getOpaque();
        long retries = gone.retries.getOpaque();
        completed += gone.completed.getOpaque();
        failed += gone.failed.getOpaque();
        cancelledJobs += gone.cancelled.getOpaque();
        timed += gone.timedJobs.getOpaque();
        runNanos += gone.runNanos.getOpaque();
        maxNanos = gone.maxNanos.getOpaque();
        for (Worker<J, V, R> w : all.workers()) {
            WorkerStats s = w.stats;
            timedOut += s.timedOut.getOpaque();
            stuck += w.state >= Worker.TIMED_OUT ? 1 : 0; // TIMED_OUT or ATTEMPT_TIMED_OUT
            retries += s.retries.getOpaque();
            completed += s.completed.getOpaque();
            failed += s.failed.getOpaque();
            cancelledJobs += s.cancelled.getOpaque();
            timed += s.timedJobs.getOpaque();
            runNanos += s.runNanos.getOpaque();
            maxNanos = Math.max(maxNanos, s.maxNanos.getOpaque());
            busy += w.running != Worker.NOT_RUNNING ? 1 : 0;
        }
        // Unbuffered: no job waits in a queue; an item in the hand-off is a submitter's still waiting to be taken
        // (refused if the pool closes first), so it is neither queued nor accepted yet.
        int queued = jobs.size();
        long submitted = jobs.sent();
        if (buffer == 0) {
            submitted -= queued;
            queued = 0;
        }
        return new PoolStats(name, crew.size(), buffer, queued, buffer == 0 ? 0 : jobs.highWaterMark(), busy, stuck,
                submitted,
                completed, failed, cancelledJobs, timedOut, Duration.ofNanos(timed == 0 ? 0 : runNanos / timed),
                Duration.ofNanos(maxNanos), retries);
    }

    /** Jobs timed for {@link #stats()} so far (tests: the sampling of short jobs). */
    long timedJobs() {
        Crew.Roster<J, V, R> all = crew.roster();
        long timed = all.retired().timedJobs.getOpaque();
        for (Worker<J, V, R> w : all.workers()) {
            timed += w.stats.timedJobs.getOpaque();
        }
        return timed;
    }

    @Override
    public String toString() {
        String state = isTerminated() ? "terminated" : cancelling ? "cancelling" : isClosed() ? "draining" : "open";
        return name + "[workers=" + crew.size() + ", buffer=" + buffer + ", queued=" + jobs.size()
                + ", unread results=" + results.size() + ", " + state + "]";
    }
}
