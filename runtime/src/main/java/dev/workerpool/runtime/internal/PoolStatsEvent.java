package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolStats;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder event {@code dev.workerpool.PoolStats}: a {@link PoolStats} snapshot of every running pool,
 * emitted periodically (every second by default; a recording's settings may change the period) while a
 * recording has it enabled. Costs nothing when no recording is on: the recorder calls the hook, pools do not.
 */
@Name("dev.workerpool.PoolStats")
@Label("Worker Pool Statistics")
@Category({"Worker Pool"})
@Description("A snapshot of a running worker pool's queue, workers and counters")
@Period("1 s")
@StackTrace(false)
final class PoolStatsEvent extends Event {

    @Label("Pool")
    String pool;

    @Label("Workers")
    int workers;

    @Label("Buffer")
    int buffer;

    @Label("Queued Jobs")
    int queuedJobs;

    @Label("Queue High-Water Mark")
    int queueHighWaterMark;

    @Label("Busy Workers")
    int busyWorkers;

    @Label("Stuck Workers")
    @Description("Workers still running a job that has timed out")
    int stuckWorkers;

    @Label("Submitted")
    long submitted;

    @Label("Completed")
    long completed;

    @Label("Failed")
    long failed;

    @Label("Cancelled")
    long cancelled;

    @Label("Timed Out")
    long timedOut;

    @Label("Mean Run Time")
    @Timespan(Timespan.NANOSECONDS)
    long meanRunTime;

    @Label("Max Run Time")
    @Timespan(Timespan.NANOSECONDS)
    long maxRunTime;

    @Label("Retries")
    @Description("Attempts beyond a job's first")
    long retries;
}
