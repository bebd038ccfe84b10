package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.Semaphore;

/**
 * A pool large enough for per-worker lanes by default (64 job slots per worker). A job with a negative id
 * holds its worker until the test releases a permit; the others return their id at once.
 */
public class WideGate {
    /** One permit per job that has started. */
    public final Semaphore started = new Semaphore(0);
    /** One permit lets one held job finish. */
    public final Semaphore hold = new Semaphore(0);

    @WorkerPool(workers = 2, buffer = 128)
    public int pass(int id) throws InterruptedException {
        started.release();
        if (id < 0) {
            hold.acquire();
        }
        return id;
    }
}
