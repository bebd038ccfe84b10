package dev.workerpool.it;

import dev.workerpool.WorkerPool;

/** Stress fixtures: short jobs whose outcome depends on their argument. */
public class Race {
    /** Fails when {@code fail}; otherwise spins a little. Fail-fast, many workers. */
    @WorkerPool(workers = 8, buffer = 16, failFast = true)
    public static int failMany(int id, boolean fail) {
        if (fail) {
            throw new IllegalStateException("job " + id + " failed");
        }
        for (int i = 0; i < id % 1_000; i++) {
            Thread.onSpinWait();
        }
        return id;
    }

    /** Plain short jobs, for close-versus-cancel races; ordered, so the reorder window is raced too. */
    @WorkerPool(workers = 4, buffer = 8, ordered = true)
    public static int step(int id) {
        for (int i = 0; i < id % 500; i++) {
            Thread.onSpinWait();
        }
        return id;
    }
}
