package dev.workerpool.runtime.internal;

/**
 * The choice and building of a pool's job and result queues, made once when the pool is made.
 *
 * <h2>One queue each side, or lanes</h2>
 * With one queue each side, every worker's receive and every result's send is a compare-and-set on the same head
 * or tail: with workers running at once on different cores, that is a cache-line transfer per job, a large part
 * of a trivial job's cost. An unordered pool of several workers, no more than the machine's processors, whose
 * buffer holds at least {@value #LANE_MIN} jobs per worker therefore gets {@link Lanes}: a lane per worker on
 * each side, so that each worker's traffic stays on its own lane. Small buffers keep one queue each side: there
 * the cost is thread switches, not cache lines, and lanes are slower (see BENCHMARKS.md, 3 × 10). So do pools
 * with more workers than processors: most of their workers are switched out, and the jobs spread into their
 * lanes must be fetched by the others (see BENCHMARKS.md, 2 × 1024).
 *
 * <p>The bounds are those of one queue: the lanes share {@code buffer} job slots and {@code workers + buffer}
 * result slots, and a send or receive that finds its own lane full or empty uses the others, so no worker
 * idles while a job waits. What changes is order: jobs start roughly, not exactly, in submission order, and
 * results that wait unread together may come out of completion order across workers.
 *
 * <p>Ordered pools always have one FIFO job queue, whose tickets number the jobs, and a reorder window
 * ({@link OrderedResults}) of {@code workers + buffer} results. {@code runAll} stores results straight into its
 * answer ({@link RunAllResults}). {@link Tuning#lanes()} can force lanes off, or on for every unordered pool
 * with a job slot per worker.
 */
final class Queues {

    /** The job slots per worker from which an unordered pool has lanes. */
    static final int LANE_MIN = 64;

    private Queues() {
    }

    /** The job queue: lanes if {@link #laned}, otherwise one channel (which gives the tickets ordered pools need). */
    static <J> JobQueue<J> jobs(String pool, int workers, int buffer, boolean ordered) {
        String name = pool + " jobs";
        return laned(workers, buffer, ordered)
                ? new Lanes<>(name, workers, buffer, true)
                : new Channel<>(name, buffer);
    }

    /** The result queue of a pool whose results are read through {@code results()}. */
    static <R> ResultQueue<R> results(String pool, int workers, int buffer, boolean ordered) {
        int capacity = resultCapacity(workers, buffer);
        if (ordered) {
            return new OrderedResults<>(capacity, buffer);
        }
        String name = pool + " results";
        return laned(workers, buffer, false)
                ? new Lanes<>(name, workers, capacity, false)
                : new Channel<R>(name, capacity).withoutHighWaterMark();
    }

    /** How many results may wait unread: {@code workers + buffer}. */
    static int resultCapacity(int workers, int buffer) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) workers + buffer);
    }

    /** Whether a pool's queues are {@link Lanes}, on this machine; read when a pool starts. */
    static boolean laned(int workers, int buffer, boolean ordered) {
        return laned(workers, buffer, ordered, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #laned(int, int, boolean)} on a machine of {@code processors}. */
    static boolean laned(int workers, int buffer, boolean ordered, int processors) {
        if (ordered || workers < 2) {
            return false;
        }
        String setting = Tuning.lanes();
        return setting.equals("true") ? buffer >= workers
                : !setting.equals("false") && workers <= processors && buffer / workers >= LANE_MIN;
    }
}
