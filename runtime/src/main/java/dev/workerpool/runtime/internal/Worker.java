package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One of a pool's long-lived worker threads and its loop: receive a job, run it, send its one result; exit when
 * the job queue is closed and drained, closing this worker's own target (if any) and counting itself out.
 *
 * <h2>Exactly one result per job</h2>
 * A job's outcome is decided once, by whichever comes first:
 * <ul>
 *   <li>the pool was cancelled before the job started (also while it waited for a permit of the pool's
 *       {@link RateLimiter}): a {@code CancellationException} result, the job never runs;</li>
 *   <li>the job returns or throws: its value or error (if the pool was cancelled meanwhile, a thrown error is
 *       wrapped in a {@code CancellationException});</li>
 *   <li>its deadline passes first (timed pools): the watchdog sends a {@code TimeoutException} result at once,
 *       and what the job does later is discarded.</li>
 * </ul>
 * The move out of {@link #RUNNING}, to {@link #IDLE} by this worker when the job ends or to {@link #TIMED_OUT}
 * by the watchdog at the deadline, happens under this worker's monitor: whoever moves first decides. The worker
 * publishes the job, its ticket and its deadline before it writes {@code state = RUNNING} (volatile).
 *
 * <h2>Retries</h2>
 * With a retry policy ({@link #processWithRetries}) a job is tried up to the policy's attempts, one after the
 * other on this worker, which holds the job (and its ticket) until its one result: so the queue's bound, ordered
 * tickets and per-worker targets are as without retries. Each attempt is a run as above, with a deadline of its
 * own. Only the last attempt, or one whose timeout is not retried, can be timed out with a result by the
 * watchdog; an earlier attempt's deadline moves {@link #RUNNING} to {@link #ATTEMPT_TIMED_OUT} under the same
 * monitor, and the watchdog then only interrupts: the worker records a {@code TimeoutException} as that
 * attempt's error. So every result is still sent by exactly one of the two, once. Between attempts the worker
 * waits with {@link #running} set, so that {@code cancel()} interrupts (unparks) the wait.
 *
 * <h2>Retiring</h2>
 * A pool that shrinks ({@code resize}) retires the workers whose lane is at or beyond its new size. A worker
 * looks between jobs, never during one: the job it has received runs and sends its result; jobs still queued are
 * left to the others. Before each receive it reads the job queue's wake-up count; only if that changed since it
 * last looked (a pool that never shrinks: never) does it ask the pool whether to retire. It then receives with
 * that count, so a shrink that came after the read wakes the receive ({@link JobQueue#receive(int, long[],
 * long)}), and it looks again. A retiring worker leaves its loop as at close: it closes its own target and counts
 * itself out; the last worker to exit still closes the results, and only a closed pool's workers can all exit.
 *
 * <h2>Interrupts</h2>
 * Only {@code cancel()} and the watchdog interrupt a worker, and only while a job runs ({@link #running} is
 * {@link #JOB}) or, in a side-effect pool, while the worker hands a result to the handler ({@link #HANDLER}, from a
 * job's end to the end of its handler call; set too for the handler call of a job that never ran). An interrupt
 * never outlives what it was sent to. {@code cancel()} (the pool's first call only: see {@code LocalEngine.cancel})
 * reads {@link #running} and interrupts in {@link #interruptIfRunning}, counted in {@link #interrupters}; when a
 * job (or attempt, or retry wait) ends, or a handler call returns, this worker first leaves its stretch (writes
 * {@link #running}), then waits until no
 * {@code cancel()} is between reading it and interrupting ({@link #awaitInterrupters()}), then clears its
 * interrupt status. A {@code cancel()} that saw the job running has then delivered its interrupt, to be cleared;
 * one that comes later sees the worker not running, or (side-effect pools) sees {@link #HANDLER}: that interrupt is
 * the handler call's, about to begin or running. Since the worker clears the job's interrupt only after the job's
 * end, such a {@code cancel()} (of another thread) first sets {@link #handlerInterrupted}, and the worker, having
 * cleared the status, interrupts itself again before the call if it is set ({@link #beginHandlerCall}): so a call
 * that blocks until interrupted ends whenever {@code cancel()} came after its job's end. So no interrupt meant for
 * a job reaches its handler call, a later job, the target's {@code close()} or a wait for the next job, and none
 * meant for a handler call is lost. The watchdog interrupts under this worker's monitor, while {@link #state} is
 * {@link #RUNNING}, which the worker leaves under the same monitor before it clears the status. An interrupt from
 * anywhere else that lands outside a job is cleared, so the queue is still drained and every result still sent.
 *
 * @param <J> the job type
 * @param <V> the job's value type
 * @param <R> the result type
 */
final class Worker<J, V, R> implements Runnable {

    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int TIMED_OUT = 2;
    /** Retries: an attempt that is not the job's last ran past its deadline; the worker makes its error. */
    static final int ATTEMPT_TIMED_OUT = 3;

    final Thread thread;
    /** The waiter that this worker's thread uses in every {@link WaitSet}; null until the thread has started. */
    volatile WaitSet.Waiter waiter;
    /**
     * {@link #JOB} while the user's job runs, or (with retries) waits for its next attempt; (side-effect pools)
     * {@link #HANDLER} from a job's end to the end of its handler call; otherwise {@link #NOT_RUNNING}. The only time
     * {@code cancel()} interrupts this worker is while it is not {@link #NOT_RUNNING}.
     */
    volatile int running;
    static final int NOT_RUNNING = 0;
    static final int JOB = 1;
    static final int HANDLER = 2;
    /** How many {@code cancel()} calls are between reading {@link #running} and interrupting: see the class comment. */
    private volatile int interrupters;
    /**
     * Set by a {@code cancel()} of another thread before it interrupts this worker's {@link #HANDLER} stretch, so
     * that the handler call gets the interrupt even if it landed before the worker cleared the job's; see the class
     * comment.
     */
    private volatile boolean handlerInterrupted;
    private static final VarHandle INTERRUPTERS;

    static {
        try {
            INTERRUPTERS = MethodHandles.lookup().findVarHandle(Worker.class, "interrupters", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Whether results go to a side-effect pool's handler, whose calls {@code cancel()} interrupts too. */
    private final boolean handles;
    final WorkerStats stats;

    private final LocalEngine<J, V, R> pool;
    /** This worker's seat in its pool, 0 .. workers - 1, and its lane in laned queues. */
    final int lane;
    /** Set when it retires (a pool that shrank); guarded by the pool's seats. */
    boolean retired;
    /** The job queue's wake-up count when this worker last asked whether to retire: the one its receive used. */
    private long checkedWakeups;
    /** Set by this worker's thread when the pool retired it: {@link #run} leaves its loop. */
    private boolean retiring;
    /** Set when a receive ended by an interrupt meant for a job that had ended: {@link #run} receives again. */
    private boolean strayInterrupt;
    private final JobFunction<J, V> function;
    /** Closed when this worker exits, if AutoCloseable; null when the target is shared. */
    private final Object target;
    /** Ordered pools: the ticket of the job just received; null otherwise. */
    private final long[] ticket;

    // Timed pools: see the class comment.
    volatile int state = IDLE;
    volatile long deadline;
    volatile boolean reported;
    private J currentJob;
    private long currentTicket;
    /** Retries: whether the running attempt's timeout is retried (so the watchdog sends no result for it). */
    private boolean retryOnTimeout;
    /** Retries: the errors of the running job's earlier attempts, oldest first; null if none. */
    private List<Throwable> earlierErrors;

    Worker(LocalEngine<J, V, R> pool, int lane, JobFunction<J, V> function, Object target) {
        this(pool, lane, lane + 1, function, target);
    }

    /** A worker whose thread is named {@code <pool>-worker-<number>} (a pool that grew numbers on). */
    Worker(LocalEngine<J, V, R> pool, int lane, int number, JobFunction<J, V> function, Object target) {
        this.pool = pool;
        this.lane = lane;
        this.function = function;
        this.target = target;
        this.ticket = pool.ordered ? new long[1] : null;
        this.handles = pool.results instanceof HandlerResults;
        this.stats = new WorkerStats(pool.countStats, pool.timeEveryJob);
        this.thread = newThread(number);
    }

    /** The worker's thread, named {@code pool-worker-number}; the errors name the pool once, and the number. */
    private Thread newThread(int number) {
        String threadName = pool.name + "-worker-" + number;
        ThreadFactory factory = pool.options.threadFactory();
        if (factory == null) {
            return new Thread(this, threadName);
        }
        Thread t;
        try {
            t = factory.newThread(this);
        } catch (RuntimeException | Error e) {
            throw new IllegalStateException(
                    pool.name + ": the thread factory failed to make worker thread " + number, e);
        }
        if (t == null) {
            throw new IllegalStateException(
                    pool.name + ": the thread factory returned null for worker thread " + number);
        }
        t.setName(threadName);
        return t;
    }

    @Override
    public void run() {
        waiter = WaitSet.currentWaiter();
        try {
            for (;;) {
                J job = nextJob();
                // The end is decided here, not in nextJob: this loop runs once per thread, so C2 compiles it (by
                // on-stack replacement) only in a long-lived pool, while nextJob and process are compiled on their
                // own and stay valid from one pool to the next.
                if (job != null) {
                    process(job, ticket == null ? 0 : ticket[0]);
                } else if (retiring || !strayInterrupt && pool.jobs.wakeups() == checkedWakeups) {
                    return; // retired, or the queue is closed and drained
                } else {
                    strayInterrupt = false; // woken by a shrink, or interrupted: look again
                }
            }
        } finally {
            try {
                closeTarget();
            } finally {
                pool.workerExited();
            }
        }
    }

    /**
     * Whether this worker's thread has been woken from a park in a {@link WaitSet} and has not run since: its state
     * still reads as waiting, but it is about to run ({@link LocalEngine#roomMayCome()}). Any thread; a snapshot.
     */
    boolean woken() {
        WaitSet.Waiter w = waiter;
        return w != null && w.woken;
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
                    Log.quietly(System.Logger.Level.ERROR, () -> thread.getName()
                            + ": closing its target failed, and so did the thread's uncaught-exception handler", e);
                }
            }
        }
    }

    /**
     * One receive: the next job; null when the queue is closed and drained, this worker retires, a shrink woke the
     * receive, or a stray interrupt ended it ({@link #run} tells these apart). It never tests the job it returns:
     * a branch taken only at a pool's end would be compiled as an uncommon trap, and taking it would throw away
     * the compiled receive at the start of the JVM's next pool.
     */
    private J nextJob() {
        long wakeups = pool.jobs.wakeups();
        if (wakeups != checkedWakeups) { // the pool shrank since this worker last looked: see the class comment
            checkedWakeups = wakeups;
            if (pool.retire(this)) {
                retiring = true;
                return null;
            }
        }
        try {
            return pool.jobs.receive(lane, ticket, wakeups);
        } catch (InterruptedException stray) {
            // Too late for its job (see the class comment); the queue is still drained.
            strayInterrupt = true;
            return null;
        }
    }

    /** Runs one job and sends its one result (unless the watchdog timed it out and sent that). */
    private void process(J job, long jobTicket) {
        RetryPolicy retry = pool.retry;
        if (retry != null) {
            processWithRetries(job, jobTicket, retry);
            return;
        }
        Thread.interrupted(); // discard an interrupt aimed at the previous job
        RateLimiter limiter = pool.rateLimiter;
        // a rate permit, if limited
        boolean cancelledBefore = pool.cancelHasBegun() || limiter != null && !limiter.acquire();
        JobEvent event = Jfr.beginJob();
        if (cancelledBefore) {
            R result = cancelledResult(job, null, false, 0);
            Jfr.endJob(event, pool.name, "cancelled", 0); // counted in stats(), so an event too; never started
            send(jobTicket, result);
            return;
        }
        long timeoutNanos = pool.timeoutNanos;
        boolean timed = stats.timeNext(timeoutNanos > 0);
        long started = timed ? System.nanoTime() : 0;
        if (timeoutNanos > 0) {
            currentJob = job;
            currentTicket = jobTicket;
            reported = false;
            deadline = started + timeoutNanos;
            state = RUNNING;
            pool.watchdog.jobStarted();
        }
        running = JOB;
        V value = null;
        Throwable error = null;
        boolean cancelledFirst = false;
        try {
            // Re-check after publishing running = true: either cancel() sees running and interrupts us,
            // or we see cancelled here. Both fields are volatile, so one of the two must happen.
            if (pool.cancelHasBegun()) {
                cancelledFirst = true;
            } else {
                value = function.apply(job);
            }
        } catch (Throwable t) {
            error = t;
        } finally {
            jobEnded();
        }
        if (timeoutNanos > 0 && !endedInTime()) {
            stats.ranPastTimeout(timed, started);
            Thread.interrupted(); // the watchdog's
            Jfr.endJob(event, pool.name, "timed out");
            timedOutJobReturned();
            return;
        }
        R result;
        String outcome;
        if (cancelledFirst) {
            result = cancelledResult(job, null, false, 0);
            outcome = "cancelled";
        } else if (error == null) {
            stats.completed(timed, started);
            result = pool.resultFactory.create(job, value, null);
            outcome = "completed";
        } else if (pool.cancelling) { // failed once cancel() had begun: its error is the cancellation's cause
            result = cancelledResult(job, error, timed, started);
            outcome = "cancelled";
        } else {
            stats.failed(timed, started);
            pool.failFast(job, error);
            result = pool.resultFactory.create(job, null, error);
            outcome = "failed";
        }
        Thread.interrupted(); // an interrupt from cancel() that raced the job's end
        Jfr.endJob(event, pool.name, outcome, cancelledFirst ? 0 : 1);
        send(jobTicket, result);
    }

    /**
     * As {@link #process}, for a pool with a retry policy (see the class comment): tries the job until an attempt
     * returns, fails with an error that is not retried, the attempts run out, or the pool is cancelled; then sends
     * its one result, whose error carries the earlier attempts' errors as suppressed exceptions.
     */
    private void processWithRetries(J job, long jobTicket, RetryPolicy policy) {
        Thread.interrupted(); // discard an interrupt aimed at the previous job
        JobEvent event = Jfr.beginJob();
        if (pool.cancelHasBegun()) {
            R result = cancelledResult(job, null, false, 0);
            Jfr.endJob(event, pool.name, "cancelled", 0);
            send(jobTicket, result);
            return;
        }
        long timeoutNanos = pool.timeoutNanos;
        boolean timed = stats.timeNext(timeoutNanos > 0);
        long started = timed ? System.nanoTime() : 0;
        List<Throwable> failures = null; // the earlier attempts' errors, oldest first
        R result;
        String outcome;
        int attempt = 0;
        for (;;) {
            attempt++;
            boolean permitted = beforeAttempt();
            if (timeoutNanos > 0) {
                currentJob = job;
                currentTicket = jobTicket;
                reported = false;
                retryOnTimeout = pool.timeoutsRetried && attempt < policy.attempts();
                earlierErrors = failures;
                deadline = System.nanoTime() + timeoutNanos;
                state = RUNNING;
                pool.watchdog.jobStarted();
            }
            running = JOB;
            V value = null;
            Throwable error = null;
            boolean cancelledFirst = false;
            try {
                if (pool.cancelHasBegun() || !permitted) { // as in process: cancel() sees running, or we see cancelled
                    cancelledFirst = true;
                } else {
                    if (attempt > 1) {
                        stats.retried();
                    }
                    value = function.apply(job);
                }
            } catch (Throwable t) {
                error = t;
            } finally {
                jobEnded();
            }
            if (timeoutNanos > 0) {
                int ended = endAttempt();
                if (ended == TIMED_OUT) { // the last attempt: the watchdog sent the result
                    stats.ranPastTimeout(timed, started);
                    Thread.interrupted(); // the watchdog's
                    Jfr.endJob(event, pool.name, "timed out", attempt);
                    timedOutJobReturned();
                    return;
                }
                if (ended == ATTEMPT_TIMED_OUT && !cancelledFirst) {
                    value = null;
                    error = new TimeoutException(pool.name + ": attempt " + attempt
                            + " ran longer than its timeout of " + pool.options.timeout());
                }
            }
            if (cancelledFirst && attempt == 1) { // as in process: the job never started, and is not timed
                result = cancelledResult(job, null, false, 0);
                outcome = "cancelled";
                attempt--; // for the event: this attempt never started
            } else if (cancelledFirst) {
                result = cancelledResult(job, pool.cancellationBeforeRetry(), failures, timed, started);
                outcome = "cancelled";
                attempt--;
            } else if (error == null) {
                stats.completed(timed, started);
                result = pool.resultFactory.create(job, value, null);
                outcome = "completed";
            } else if (pool.cancelling) {
                result = cancelledResult(job, pool.cancellation(error), failures, timed, started);
                outcome = "cancelled";
            } else if (attempt < policy.attempts() && policy.retries(error)) {
                failures = failures == null ? new ArrayList<>(policy.attempts() - 1) : failures;
                failures.add(error);
                if (awaitNextAttempt(policy.delayNanos(attempt))) {
                    continue;
                }
                result = cancelledResult(job, pool.cancellationBeforeRetry(), failures, timed, started);
                outcome = "cancelled";
            } else {
                suppress(error, failures);
                stats.failed(timed, started);
                pool.failFast(job, error);
                result = pool.resultFactory.create(job, null, error);
                outcome = "failed";
            }
            break;
        }
        Thread.interrupted(); // an interrupt from cancel() that raced the job's end
        Jfr.endJob(event, pool.name, outcome, attempt);
        send(jobTicket, result);
    }

    /**
     * Called before each attempt of a job in a pool with retries, the first one included, on this worker: takes
     * a permit of the pool's {@link RateLimiter}, if it has one, so that every attempt counts as a start. Returns
     * false if the pool was cancelled while it waited (no permit taken).
     */
    private boolean beforeAttempt() {
        RateLimiter limiter = pool.rateLimiter;
        return limiter == null || limiter.acquire();
    }

    /**
     * Waits {@code nanos} before a job's next attempt, with {@link #running} set so that {@code cancel()}
     * interrupts (unparks) the wait; returns false, at once, if the pool is cancelled before or during it.
     * Parks, never spins: an interrupt that is not from {@code cancel()} is cleared and the wait goes on.
     */
    private boolean awaitNextAttempt(long nanos) {
        Thread.interrupted(); // the watchdog's, after an attempt that timed out; cancel() shows in `cancelled`
        running = JOB;
        try {
            long end = System.nanoTime() + nanos;
            for (;;) {
                // After running = true: either cancel() sees running and interrupts us, or we see cancelled here.
                if (pool.cancelHasBegun()) {
                    return false;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                LockSupport.parkNanos(this, left);
                Thread.interrupted(); // cancel()'s shows in `cancelled`; any other must not turn the park into a spin
            }
        } finally {
            stopRunning();
        }
    }

    /**
     * A job (or attempt) has ended: from now on {@code cancel()} no longer interrupts it. Side-effect pools move
     * {@link #running} to {@link #HANDLER} for the handler call to come ({@link #send}), which ends the stretch.
     * Either way, waits until every {@code cancel()} that saw the job running has sent its interrupt (see the class
     * comment), so that the caller's next {@code Thread.interrupted()} clears it.
     */
    private void jobEnded() {
        running = handles ? HANDLER : NOT_RUNNING;
        if (interrupters != 0) {
            awaitInterrupters();
        }
    }

    /** Ends a stretch with {@link #running} set, waiting as {@link #jobEnded()} does; the status is the caller's. */
    private void stopRunning() {
        running = NOT_RUNNING;
        if (interrupters != 0) {
            awaitInterrupters();
        }
        if (handlerInterrupted) { // every cancel() that saw this stretch has interrupted it: the flag has served
            handlerInterrupted = false;
        }
    }

    /** Waits, a few instructions, until no {@code cancel()} is between seeing this worker running and interrupting. */
    private void awaitInterrupters() {
        for (int i = 0; interrupters != 0; i++) {
            Backoff.briefly(i, 16);
        }
    }

    /**
     * {@code cancel()}, on its own thread: interrupts this worker if it runs a job, waits for a job's next attempt,
     * or (side-effect pools) hands a result to the handler. The worker waits for this to return before it clears
     * its interrupt status at the end of that stretch, so the interrupt never lands after it.
     *
     * @param beforeInterrupt tests only: run between seeing the worker running and interrupting it; or null
     */
    void interruptIfRunning(Consumer<Thread> beforeInterrupt) {
        INTERRUPTERS.getAndAdd(this, 1);
        try {
            int stretch = running;
            if (stretch != NOT_RUNNING) {
                if (stretch == HANDLER && Thread.currentThread() != thread) {
                    handlerInterrupted = true; // before the interrupt: see the class comment
                }
                if (beforeInterrupt != null) {
                    beforeInterrupt.accept(thread);
                }
                thread.interrupt();
            }
        } finally {
            INTERRUPTERS.getAndAdd(this, -1);
        }
    }

    /** A cancelled job's result in a pool with retries: {@code cancelled}, with the attempts' errors suppressed. */
    private R cancelledResult(J job, CancellationException cancelled, List<Throwable> failures, boolean timed,
            long started) {
        suppress(cancelled, failures);
        stats.cancelled(timed, started);
        return pool.resultFactory.create(job, null, cancelled);
    }

    /**
     * Adds the earlier attempts' errors to {@code error} as suppressed, oldest first; an error is never added to
     * itself (a job may throw the same instance each time).
     */
    private static void suppress(Throwable error, List<Throwable> earlier) {
        if (earlier != null) {
            for (Throwable e : earlier) {
                if (e != error) {
                    error.addSuppressed(e);
                }
            }
        }
    }

    /**
     * Retries: the attempt has ended; returns the state it ended in: {@link #RUNNING} if in time,
     * {@link #ATTEMPT_TIMED_OUT} if its deadline passed (its error is a timeout), {@link #TIMED_OUT} if the
     * watchdog timed it out and sent the job's result.
     */
    private synchronized int endAttempt() {
        int ended = state;
        state = IDLE;
        currentJob = null;
        earlierErrors = null;
        return ended;
    }

    /** The job has ended: returns false if the watchdog timed it out first (and sent its result). */
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
        if (retryOnTimeout) { // not the job's last attempt: the worker makes the attempt's error and retries
            state = ATTEMPT_TIMED_OUT;
            thread.interrupt();
            return;
        }
        state = TIMED_OUT;
        stats.timedOut();
        TimeoutException error = new TimeoutException(
                pool.name + ": the job ran longer than its timeout of " + pool.options.timeout());
        suppress(error, earlierErrors);
        R result = pool.resultFactory.create(currentJob, null, error);
        pool.failFast(currentJob, error); // cancels the pool, which interrupts running workers
        // Must not wait: the result queue is open (this worker has not exited: it waits for this monitor).
        pool.results.sendNow(lane, currentTicket, result);
        thread.interrupt();
    }

    /**
     * Watchdog: the job timed out a timeout ago and is still running; returns the report to make of it, once,
     * or null. Only takes the facts under the monitor: the job's {@code toString()} is user code, which runs
     * later, on the report's own thread.
     */
    synchronized Watchdog.StuckReport stuckReport(long now) {
        if (state < TIMED_OUT || reported) { // TIMED_OUT or ATTEMPT_TIMED_OUT
            return null;
        }
        reported = true;
        return new Watchdog.StuckReport(thread.getName(), Duration.ofNanos(now - deadline), currentJob,
                state == TIMED_OUT);
    }

    private R cancelledResult(J job, Throwable cause, boolean timed, long started) {
        stats.cancelled(timed, started);
        return pool.resultFactory.create(job, null, pool.cancellation(cause));
    }

    /**
     * Sends a result, waiting for room; a stray interrupt does not stop it (the result must be sent). A side-effect
     * pool's handler call runs with {@link #running} set, so that {@code cancel()} interrupts it; when it returns,
     * this worker's interrupt status is cleared (see the class comment).
     */
    private void send(long jobTicket, R result) {
        if (handles) {
            beginHandlerCall();
            try {
                pool.results.send(lane, jobTicket, result);
            } catch (InterruptedException impossible) {
                throw new AssertionError(impossible); // a handler's send never waits
            } finally {
                stopRunning();
                Thread.interrupted(); // cancel()'s, sent to this handler call
            }
            return;
        }
        for (;;) {
            try {
                pool.results.send(lane, jobTicket, result);
                return;
            } catch (InterruptedException stray) {
                // As in nextJob.
            }
        }
    }

    /**
     * Side-effect pools, just before a handler call, once the worker has cleared the interrupt meant for the job:
     * a job that never ran (cancelled before it started) begins its {@link #HANDLER} stretch here; and a
     * {@code cancel()} of another thread that interrupted the stretch before the clear has its interrupt back, for
     * this call is what it was sent to.
     */
    private void beginHandlerCall() {
        if (running != HANDLER) {
            running = HANDLER;
        }
        if (handlerInterrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job the watchdog timed out has returned: a side-effect pool's handler gets its result, as in send. */
    private void timedOutJobReturned() {
        if (!handles) {
            pool.results.timedOutJobReturned(lane);
            return;
        }
        beginHandlerCall();
        try {
            pool.results.timedOutJobReturned(lane);
        } finally {
            stopRunning();
            Thread.interrupted(); // cancel()'s, sent to this handler call
        }
    }
}
