package dev.workerpool.bench;

import dev.workerpool.WorkerPool;

/**
 * The trivial workload on a pool whose workers are virtual threads ({@code virtualThreads = true}), for the
 * {@code workerpool-virtual} contender. Compiled only on JDK 21 or later (the {@code jdk21} profile of this
 * module, source folder {@code src/main/java21}), because the processor rejects {@code virtualThreads} below
 * release 21; {@link Pools} reaches it by reflection, through {@link #run}.
 */
public final class VirtualJobs {
    private VirtualJobs() {}

    /** As {@link Jobs#square}. */
    @WorkerPool(workers = 3, buffer = 10, virtualThreads = true)
    public static long square(int n) {
        return Jobs.square(n);
    }

    /**
     * Go's pattern with everything on virtual threads: a virtual producer submits and closes, the calling thread
     * (virtual, see {@link Pools}) ranges over the results.
     */
    public static long run(int workers, int buffer, int jobs) throws InterruptedException {
        try (VirtualJobsSquarePool pool = VirtualJobsSquarePool.start(workers, buffer)) {
            return Pools.drive(jobs, pool::submit, pool::close, pool.results(), VirtualJobsSquarePool.Result::value);
        }
    }

    /** The one-shot form on virtual workers: {@code runAll} of jobs 0..N-1 from the calling thread. */
    public static long runAll(int workers, int buffer, int jobs) throws InterruptedException {
        java.util.List<VirtualJobsSquarePool.Job> input = new java.util.ArrayList<>(jobs);
        for (int n = 0; n < jobs; n++) {
            input.add(new VirtualJobsSquarePool.Job(n));
        }
        long sum = 0;
        for (VirtualJobsSquarePool.Result r : VirtualJobsSquarePool.runAll(input, workers, buffer)) {
            sum += r.value();
        }
        return sum;
    }
}
