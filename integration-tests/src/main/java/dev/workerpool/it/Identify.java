package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Go's "which worker ran which job" example: 9 jobs, 3 workers, one shared queue. Every job waits at a 3-party barrier,
 * which can only trip when three different threads wait at it, so each round of three jobs runs on three different
 * workers.
 */
public class Identify {
    private final CyclicBarrier barrier = new CyclicBarrier(3);

    @WorkerPool(workers = 3, buffer = 9)
    public String worker(int job) throws InterruptedException, BrokenBarrierException {
        barrier.await();
        return Thread.currentThread().getName();
    }
}
