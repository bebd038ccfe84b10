package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Rate-limited pools: each target records when its jobs start, and which. */
public class Throttled {
    /** {@code System.nanoTime()} as each job started. */
    public final Queue<Long> starts = new ConcurrentLinkedQueue<>();
    /** The jobs that started, in start order. */
    public final Queue<Integer> started = new ConcurrentLinkedQueue<>();

    /** At most 20 starts a second, 50 ms apart, in bursts of up to 3. */
    @WorkerPool(workers = 4, buffer = 8, rate = "20/s", burst = 3)
    public int record(int n) {
        starts.add(System.nanoTime());
        started.add(n);
        return n;
    }

    /** One start an hour: the second job waits for its permit until cancelled (or a start-time override). */
    @WorkerPool(workers = 3, buffer = 4, rate = "1/h")
    public int hourly(int n) {
        started.add(n);
        return n;
    }

    /** Permits 500 ms apart, a 1 s timeout: a job's timeout runs from its start, not while it waits. */
    @WorkerPool(workers = 2, buffer = 4, rate = "2/s", timeout = "1s")
    public int quick(int n) {
        started.add(n);
        return n;
    }
}
