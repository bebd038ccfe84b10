package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/** Fail-fast: a job fails on demand; the others wait until interrupted (or finish at once). */
public class Flaky {
    /** Never counted down: a "block" job waits on it until interrupted. */
    public final CountDownLatch never = new CountDownLatch(1);
    /** Counted down by each "block" job as it starts. */
    public final CountDownLatch blocking;

    public Flaky(int blockers) {
        blocking = new CountDownLatch(blockers);
    }

    @WorkerPool(workers = 4, buffer = 8, failFast = true)
    public String check(String mode) throws IOException, InterruptedException {
        switch (mode) {
            case "fail" -> throw new IOException("check failed");
            case "block" -> {
                blocking.countDown();
                never.await();
                return "unreachable";
            }
            default -> {
                return mode;
            }
        }
    }
}
