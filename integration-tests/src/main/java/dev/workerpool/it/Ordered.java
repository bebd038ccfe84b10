package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.CountDownLatch;

/** Results in submission order: job 0 can be held back by the test, every other job returns at once. */
public class Ordered {
    /** Lets a held job finish. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when the held job has started. */
    public final CountDownLatch heldStarted = new CountDownLatch(1);

    @WorkerPool(workers = 4, buffer = 4, ordered = true)
    public int echo(int id, boolean hold) throws InterruptedException {
        if (hold) {
            heldStarted.countDown();
            release.await();
        } else {
            // a little uneven work, so that completion order differs from submission order
            long spin = (id * 7919L) % 5_000;
            for (long i = 0; i < spin; i++) {
                Thread.onSpinWait();
            }
        }
        return id;
    }
}
