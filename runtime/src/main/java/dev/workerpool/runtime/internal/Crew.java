package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link LocalEngine}'s workers: one per seat (seat {@code i} is worker {@code i}'s lane), the size the pool
 * keeps, and resizing ({@link PoolEngine#resize}): growing starts workers in the empty seats, shrinking lets the
 * workers beyond the size retire as they next look for a job.
 *
 * <p>Concurrency: {@link #resize} calls are serialized by their own lock, which no worker takes, so a job may
 * resize its own pool. The size and the seats change under the seats' monitor, which a worker takes only to
 * {@link #retire}. {@link #all()}, {@link #roster()} and {@link #size()} are volatile reads, safe from any thread.
 *
 * @param <J> the job type
 * @param <V> the job's value type
 * @param <R> the result type
 */
final class Crew<J, V, R> {

    /**
     * The workers that stats, cancel, await and the watchdog look at: every worker whose thread may be alive (a
     * retired one until a resize finds its thread terminated and prunes it), and the counters of the pruned ones,
     * summed in {@code retired}. Immutable: a resize publishes a new one with one volatile write, so a snapshot
     * counts each worker exactly once. A pool that never resizes keeps its first.
     */
    record Roster<J, V, R>(List<Worker<J, V, R>> workers, WorkerStats retired) {
    }

    private final LocalEngine<J, V, R> pool;
    /** The size: the workers the pool keeps; changed by {@link #resize}, under {@link #seats}' monitor. */
    private volatile int size;
    /** Every worker whose thread may still be alive, and what the pruned ones counted. */
    private volatile Roster<J, V, R> roster;
    /**
     * Guarded by its own monitor: seat {@code i} holds worker {@code i} (its lane), or null once that worker has
     * retired. Seats {@code 0 .. size - 1} are taken; a worker in a seat beyond retires ({@link #retire}).
     */
    private final List<Worker<J, V, R>> seats;
    /** Makes a new worker's function (and per-worker target) when the pool grows; null for runAll's pools. */
    private final Supplier<LocalEngine.Seat<J, V>> newSeat;
    /** Serializes {@link #resize} calls; held while a growing pool makes targets and threads, never by a worker. */
    private final ReentrantLock resizeLock = new ReentrantLock();
    /** Worker threads made so far, which numbers the next one's name; guarded by resizeLock after start. */
    private int threadsMade;

    /**
     * The first {@code functions.size()} workers of {@code pool}, not yet started, with their functions and
     * targets (null when shared); {@code newSeat} makes more when the pool grows (null: it never does).
     */
    Crew(LocalEngine<J, V, R> pool, List<JobFunction<J, V>> functions, List<?> targets,
            Supplier<LocalEngine.Seat<J, V>> newSeat) {
        this.pool = pool;
        int workers = functions.size();
        List<Worker<J, V, R>> threads = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            threads.add(new Worker<>(pool, i, functions.get(i), targets.get(i)));
        }
        this.size = workers;
        this.roster = new Roster<>(List.copyOf(threads), new WorkerStats(pool.countStats, pool.timeEveryJob));
        this.seats = new ArrayList<>(threads);
        this.newSeat = newSeat;
        this.threadsMade = workers;
    }

    /**
     * See {@link PoolEngine#resize}: calls are serialized by {@link #resizeLock}, which no
     * worker ever takes, so a job may resize its own pool. The size and the seats change under the seats'
     * monitor, which a worker takes only to {@link #retire}. Shrinking lowers the size, then
     * {@link JobQueue#wakeReceivers() wakes the waiting workers}: a worker reads the queue's wake-up count before it
     * checks its seat against the size and receives with that count, so either the check sees the new size or the
     * receive is woken (see {@link Worker}). Growing fills the empty seats below the new size, in order: a worker
     * that was to retire but has not yet looked keeps its seat.
     */
    void resize(int workers) {
        String name = pool.name;
        pool.options.checkWorkers(name, workers);
        if (newSeat == null) {
            throw new UnsupportedOperationException(name + ": runAll's pool has a fixed size");
        }
        resizeLock.lock();
        try {
            prune();
            int from = size;
            if (workers > from && pool.jobs.isClosed()) {
                throw new PoolClosedException(pool.cancelling
                        ? name + " was cancelled; it starts no more workers"
                        : name + " is closed; it starts no more workers");
            }
            setSize(workers);
            if (workers > from) {
                grow(workers);
            }
        } finally {
            resizeLock.unlock();
        }
    }

    /** Sets the size; a smaller one wakes the waiting workers, so that those beyond it retire. */
    private void setSize(int size) {
        int from;
        synchronized (seats) {
            from = this.size;
            this.size = size;
        }
        pool.results.resized(size);
        if (size < from) {
            pool.jobs.wakeReceivers();
        }
    }

    /** Starts a worker in every empty seat below {@code size}; on failure, the size is the seats then filled. */
    private void grow(int size) {
        for (int seat = 0; seat < size; seat++) {
            synchronized (seats) {
                if (seat < seats.size() && seats.get(seat) != null) {
                    continue;
                }
            }
            try {
                startWorker(seat, size);
            } catch (RuntimeException | Error e) {
                setSize(seat);
                throw e;
            }
        }
    }

    /** Makes and starts the worker of an empty seat, as the pool's start would. */
    private void startWorker(int seat, int size) {
        String name = pool.name;
        LocalEngine.Seat<J, V> made;
        try {
            made = newSeat.get();
        } catch (Throwable e) { // a supplier may throw anything, a checked exception too (sneaky throws)
            throw new IllegalStateException(
                    name + ": could not create the target for worker " + (seat + 1) + " of " + size, e);
        }
        Worker<J, V, R> worker;
        try {
            worker = new Worker<>(pool, seat, threadsMade + 1, made.function(), made.target());
        } catch (RuntimeException | Error e) {
            LocalEngine.closeAll(Collections.singletonList(made.target()), e);
            throw e;
        }
        threadsMade++;
        if (!pool.exited.tryJoin()) { // every worker has exited: the pool was closed meanwhile, and has terminated
            worker.closeTarget();
            throw new PoolClosedException(name + " has terminated; it starts no more workers");
        }
        synchronized (seats) {
            while (seats.size() <= seat) {
                seats.add(null);
            }
            seats.set(seat, worker);
            List<Worker<J, V, R>> all = new ArrayList<>(roster.workers());
            all.add(worker);
            roster = new Roster<>(List.copyOf(all), roster.retired());
        }
        try {
            worker.thread.start();
        } catch (Throwable e) {
            synchronized (seats) {
                seats.set(seat, null);
                worker.retired = true; // never ran: prune() drops it
            }
            worker.closeTarget();
            pool.workerExited();
            throw new IllegalStateException(name + ": could not start worker " + (seat + 1) + " of " + size, e);
        }
    }

    /**
     * Worker: whether it must retire because its seat is beyond the size; if so, its seat is empty from now on
     * (a pool that grows again fills it with a new worker), and it exits as soon as this returns.
     */
    boolean retire(Worker<J, V, R> worker) {
        synchronized (seats) {
            if (worker.lane < size) {
                return false;
            }
            seats.set(worker.lane, null);
            worker.retired = true;
            return true;
        }
    }

    /** Drops retired workers whose threads have terminated from the roster, adding their counters to its sum. */
    private void prune() {
        synchronized (seats) {
            Roster<J, V, R> old = roster;
            List<Worker<J, V, R>> kept = new ArrayList<>(old.workers().size());
            WorkerStats retired = null;
            for (Worker<J, V, R> w : old.workers()) {
                if (w.retired && !w.thread.isAlive()) { // isAlive false: its last counts are visible here
                    if (retired == null) {
                        retired = new WorkerStats(pool.countStats, pool.timeEveryJob);
                        retired.add(old.retired());
                    }
                    retired.add(w.stats);
                } else {
                    kept.add(w);
                }
            }
            if (retired != null) {
                roster = new Roster<>(List.copyOf(kept), retired);
            }
        }
    }

    /** The workers whose threads may be alive: a snapshot (the watchdog's view too). */
    List<Worker<J, V, R>> all() {
        return roster.workers();
    }

    /** The workers whose threads may be alive, and what the pruned ones counted: one consistent snapshot. */
    Roster<J, V, R> roster() {
        return roster;
    }

    /** The size: the workers the pool keeps. */
    int size() {
        return size;
    }
}
