package dev.workerpool.runtime;

import java.time.Duration;

/**
 * A snapshot of a pool's state and counters, taken by {@code stats()}. Each field is read without stopping
 * the pool, so while the pool runs the fields may come from slightly different moments (for example
 * {@code completed + failed + cancelled} may trail {@code submitted} by the jobs in flight); once the pool has
 * terminated they are exact and consistent.
 *
 * <p>Immutable, so safe to share between threads.
 *
 * @param pool               the pool's name
 * @param workers            the number of worker threads the pool keeps: after {@code resize}, the new size,
 *                           while workers it retires may still be finishing their jobs
 * @param buffer             the job queue's capacity
 * @param queuedJobs         jobs waiting in the queue now; always 0 with a buffer of 0 (a submitter waiting to
 *                           hand its job to a worker has not yet had it accepted)
 * @param queueHighWaterMark the most jobs that have waited at once
 * @param busyWorkers        workers running a job now (with retries: or holding one that waits for its next
 *                           attempt; in a side-effect pool: or handing a result to the handler)
 * @param stuckWorkers       workers still running a job that has timed out (it ignores the interrupt); they
 *                           take no new job until it returns. Always 0 without a timeout
 * @param submitted          jobs accepted so far
 * @param completed          jobs that returned normally
 * @param failed             jobs that threw (not counting cancellations and timeouts)
 * @param cancelled          jobs whose result carries a {@link java.util.concurrent.CancellationException}
 * @param timedOut           jobs whose result carries a {@link java.util.concurrent.TimeoutException}
 * @param meanRunTime        mean time a job ran, from its start on a worker to its end, over the jobs timed;
 *                           zero before any. Every job that starts is timed, except that a worker whose last
 *                           timed job ran under a microsecond times only one job in 16 until a timed job runs
 *                           longer (for so short a job, two clock reads would be a large part of its cost;
 *                           with {@code -Ddev.workerpool.stats=exact} every job is timed). A job cancelled before
 *                           it started is not timed
 * @param maxRunTime         longest time a timed job ran: exact for jobs of a microsecond and more unless they
 *                           run among sub-microsecond ones, where it is the longest of the sampled jobs
 * @param retries            attempts beyond the first that have started, over all jobs (a job tried three
 *                           times counts 2); always 0 without a retry policy. A job still
 *                           counts once in {@code completed}, {@code failed}, {@code cancelled} or
 *                           {@code timedOut}, by its last attempt
 */
public record PoolStats(
        String pool,
        int workers,
        int buffer,
        int queuedJobs,
        int queueHighWaterMark,
        int busyWorkers,
        int stuckWorkers,
        long submitted,
        long completed,
        long failed,
        long cancelled,
        long timedOut,
        Duration meanRunTime,
        Duration maxRunTime,
        long retries) {

    /**
     * A snapshot of a pool without retries: {@code retries} is 0. (The record's shape before it had
     * {@code retries}; kept so that code written against it compiles and links.)
     *
     * @param pool               the pool's name
     * @param workers            the number of worker threads
     * @param buffer             the job queue's capacity
     * @param queuedJobs         jobs waiting in the queue now
     * @param queueHighWaterMark the most jobs that have waited at once
     * @param busyWorkers        workers running a job now
     * @param stuckWorkers       workers still running a job that has timed out
     * @param submitted          jobs accepted so far
     * @param completed          jobs that returned normally
     * @param failed             jobs that threw
     * @param cancelled          jobs whose result carries a {@link java.util.concurrent.CancellationException}
     * @param timedOut           jobs whose result carries a {@link java.util.concurrent.TimeoutException}
     * @param meanRunTime        mean time a job ran
     * @param maxRunTime         longest time a timed job ran
     */
    public PoolStats(String pool, int workers, int buffer, int queuedJobs, int queueHighWaterMark, int busyWorkers,
            int stuckWorkers, long submitted, long completed, long failed, long cancelled, long timedOut,
            Duration meanRunTime, Duration maxRunTime) {
        this(pool, workers, buffer, queuedJobs, queueHighWaterMark, busyWorkers, stuckWorkers, submitted, completed,
                failed, cancelled, timedOut, meanRunTime, maxRunTime, 0);
    }

    /**
     * Jobs that have a result.
     *
     * @return {@code completed + failed + cancelled + timedOut}
     */
    public long finished() {
        return completed + failed + cancelled + timedOut;
    }
}
