package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.Semaphore;

/**
 * A job that announces it has started, then waits for a permit: tests decide exactly when jobs finish,
 * with no sleeps. Each finished job returns its id.
 */
public class Gate {
    /** One permit per job that has started. */
    public final Semaphore started = new Semaphore(0);
    /** One permit lets one job finish. */
    public final Semaphore finish = new Semaphore(0);

    @WorkerPool(workers = 2, buffer = 3)
    public int pass(int id) throws InterruptedException {
        started.release();
        finish.acquire();
        return id;
    }
}
