package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/** A per-worker resource, like a database connection: not thread-safe, must be closed. */
public class Session implements AutoCloseable {
    public static final AtomicInteger OPENED = new AtomicInteger();
    public static final AtomicInteger CLOSED = new AtomicInteger();
    /** Three jobs meet here, so each round of three runs on three different workers. */
    public static final CyclicBarrier BARRIER = new CyclicBarrier(3);

    private final int id = OPENED.incrementAndGet();
    private Thread owner;

    @WorkerPool(workers = 3, buffer = 6)
    public String use(int job) throws InterruptedException, BrokenBarrierException {
        if (owner == null) {
            owner = Thread.currentThread();
        } else if (owner != Thread.currentThread()) {
            throw new IllegalStateException("session " + id + " used by two threads");
        }
        BARRIER.await();
        return "session-" + id + "@" + owner.getName();
    }

    @Override
    public void close() {
        CLOSED.incrementAndGet();
    }
}
