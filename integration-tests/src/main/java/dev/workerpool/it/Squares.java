package dev.workerpool.it;

import dev.workerpool.WorkerPool;

/** The Go guide's first example: squares with 3 workers. */
public class Squares {
    @WorkerPool(workers = 3, buffer = 5)
    public int square(int n) {
        return n * n;
    }
}
