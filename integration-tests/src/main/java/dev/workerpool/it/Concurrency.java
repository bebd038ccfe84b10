package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how many jobs run at the same moment. */
public class Concurrency {
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger highest = new AtomicInteger();

    @WorkerPool(workers = 4, buffer = 8)
    public void measure(int id) {
        int now = running.incrementAndGet();
        highest.accumulateAndGet(now, Math::max);
        for (int i = 0; i < 100; i++) {
            Thread.onSpinWait();
        }
        running.decrementAndGet();
    }
}
