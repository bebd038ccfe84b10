package dev.workerpool.hazelcast;

import dev.workerpool.runtime.PoolInterruptedException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The results of one member's submitter of a pool that are ready to read, in the order they were delivered, then
 * their end: what {@code results()} hands out. The engine adds a result as it completes a pending job, and ends the
 * results once every job has its result and no more can be submitted (or the member left the cluster).
 *
 * <p>Thread-safe: results are added by whichever thread delivers one (the receiver, a worker that delivers in place,
 * the maintenance thread); the end is added once, by the first thread that calls {@link #end}, and each iterator
 * puts it back when it takes it, so every iterator sees it. Each iterator is for one thread at a time; several may
 * read at once, each result going to one of them.
 *
 * @param <R> the type of a result
 */
final class ReadyResults<R> {
    private static final Object END = new Object();

    private final String name;
    private final LinkedBlockingQueue<Object> results = new LinkedBlockingQueue<>();
    /**
     * Whether {@link #END} is in {@link #results}: added once, by the first thread that sees the pool finished,
     * or by the receiver as it stops (the member left the cluster).
     */
    private final AtomicBoolean endAdded = new AtomicBoolean();

    /** No results yet, for pool {@code name} (which the iterators' exceptions name). */
    ReadyResults(String name) {
        this.name = name;
    }

    /** Adds a result, ready to read; from the thread that delivers it. */
    void add(R result) {
        results.add(result);
    }

    /** Ends the results, once: every job has its result, and no more will come. Later calls do nothing. */
    void end() {
        if (endAdded.compareAndSet(false, true)) {
            results.add(END);
        }
    }

    /**
     * An iterator over the results, which waits for each unless the reading thread is one of the part's own workers
     * ({@code isOwnWorker}) or runs a job the part submitted ({@code runsOwnJob}, asked where it would wait): it then
     * throws instead, naming the pool (see {@link ResultIterator}).
     */
    Iterator<R> iterator(Predicate<Thread> isOwnWorker, BooleanSupplier runsOwnJob) {
        return new ResultIterator(isOwnWorker, runsOwnJob);
    }

    /**
     * Takes from {@link #results}; the end marker is put back for the other iterators. On one of this member's own
     * workers of the pool, or in a job this part submitted on any member's worker in this JVM (a job reading its own
     * pool's results), it never waits, as locally: the end may come only once that job has its result, so it hands
     * out the results already there (and the end, if it is there), and throws where it would wait. One iterator is
     * for one thread at a time.
     */
    private final class ResultIterator implements Iterator<R> {
        private final Predicate<Thread> isOwnWorker;
        private final BooleanSupplier runsOwnJob;
        private R next;
        private boolean ended;
        /** The thread that last asked {@link #hasNext()}, and whether it is one of this member's workers. */
        private Thread user;
        private boolean onOwnWorker;

        ResultIterator(Predicate<Thread> isOwnWorker, BooleanSupplier runsOwnJob) {
            this.isOwnWorker = isOwnWorker;
            this.runsOwnJob = runsOwnJob;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            Thread me = Thread.currentThread();
            if (me != user) { // the first call, or an iterator passed to another thread: looked up once per thread
                onOwnWorker = isOwnWorker.test(me);
                user = me;
            }
            try {
                Object taken = results.poll(); // a result ready is read even with the interrupt status set
                if (taken == null) {
                    // the job, not the thread, decides the latter: looked up here
                    if (onOwnWorker || runsOwnJob.getAsBoolean()) {
                        throw new IllegalStateException(name + ": results() read from one of its own jobs has no "
                                + "result there now, and a job may not wait for one: the results end only once every "
                                + "job has its result, which may be the reading job's own, so reading them to the end "
                                + "could wait for ever; read them on another thread");
                    }
                    taken = results.take();
                }
                if (taken == END) {
                    results.add(END);
                    ended = true;
                    return false;
                }
                next = (R) taken;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolInterruptedException(name + ": interrupted while waiting for the next result", e);
            }
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
