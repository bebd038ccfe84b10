package dev.workerpool.runtime.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The result queue of a side-effect pool (Go's "WaitGroup only" form): each result goes to the handler given to
 * {@code start}, called on the worker that produced it, as the job completes. Nothing waits for a reader, so
 * one thread may submit any number of jobs, close and await.
 *
 * <p>A timed-out job's result is decided by the watchdog at the deadline, but the handler is user code, which the
 * watchdog never runs: that result is kept for the job's worker, which hands it to the handler as soon as the
 * job returns ({@link #timedOutJobReturned}). So every result reaches the handler on a worker thread, and before
 * {@code await()} returns (the worker threads have terminated by then).
 *
 * <p>The worker calls {@link #send} and {@link #timedOutJobReturned} with its running flag set, so that
 * {@code cancel()} interrupts a handler call in progress; the worker clears its interrupt status when the call
 * returns ({@code Worker}'s "Interrupts").
 *
 * <p>A handler that throws does not stop the worker or lose the failure: what it throws goes to the worker
 * thread's uncaught-exception handler (and is logged if that throws too), and the worker goes on. Thread-safe:
 * the handler is called from every worker at once, so it must be thread-safe itself.
 *
 * @param <R> the result type
 */
final class HandlerResults<R> extends UnreadResults<R> {

    private final String pool;
    private final Consumer<? super R> handler;
    /**
     * Per worker lane: a timed-out job's result, waiting for its job to return; guarded by itself. Grows when a
     * pool that grew times out a job of a worker beyond it; a lane's entry is taken before its worker retires.
     */
    private Object[] pending;

    HandlerResults(String pool, int workers, Consumer<? super R> handler) {
        this.pool = pool;
        this.handler = handler;
        this.pending = new Object[Math.max(1, workers)];
    }

    @Override
    public void send(int lane, long ticket, R result) {
        try {
            handler.accept(result);
        } catch (Throwable e) {
            report(e);
        }
    }

    /** The watchdog's: kept for the worker (see the class comment). */
    @Override
    public void sendNow(int lane, long ticket, R result) {
        synchronized (this) {
            if (lane >= pending.length) {
                pending = Arrays.copyOf(pending, Math.max(lane + 1, 2 * pending.length));
            }
            pending[lane] = result;
        }
    }

    @Override
    public void timedOutJobReturned(int lane) {
        Object result;
        synchronized (this) {
            if (lane >= pending.length) {
                return;
            }
            result = pending[lane];
            pending[lane] = null;
        }
        if (result != null) {
            @SuppressWarnings("unchecked")
            R r = (R) result;
            send(lane, 0, r);
        }
    }




    @Override
    String whyUnread() {
        return pool + ": results go to the handler given to start";
    }

    private static void report(Throwable e) {
        Thread thread = Thread.currentThread();
        try {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
        } catch (Throwable handlerFailure) {
            e.addSuppressed(handlerFailure);
            Log.quietly(System.Logger.Level.ERROR, () -> thread.getName()
                    + ": a result handler threw, and so did the thread's uncaught-exception handler", e);
        }
    }
}
