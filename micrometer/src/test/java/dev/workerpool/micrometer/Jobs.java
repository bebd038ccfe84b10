package dev.workerpool.micrometer;

import dev.workerpool.WorkerPool;
import java.util.concurrent.CountDownLatch;

/** The tests' pool: jobs that return, throw, or ignore their timeout's interrupt until released. */
public class Jobs {
    /** Lets a "stubborn" job return. */
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a "stubborn" job has seen its interrupt (and ignored it). */
    final CountDownLatch ignoredInterrupt = new CountDownLatch(1);

    @WorkerPool(workers = 1, buffer = 3, timeout = "300ms")
    public String run(String mode) {
        switch (mode) {
            case "fail" -> throw new IllegalStateException("failed on purpose");
            case "stubborn" -> {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        ignoredInterrupt.countDown();
                    }
                }
                return "stubborn";
            }
            default -> {
                return mode;
            }
        }
    }
}
