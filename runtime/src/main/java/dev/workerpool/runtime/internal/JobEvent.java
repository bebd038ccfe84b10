package dev.workerpool.runtime.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JDK Flight Recorder event {@code dev.workerpool.Job}: one job run by a worker, with its duration (the
 * event's own, all attempts and the waits between them included), outcome and number of attempts. Committed only while
 * a recording has it enabled; otherwise creating, beginning and ending it does nothing (the JIT removes it). No stack
 * trace: it would cost a walk per job.
 *
 * <p>Like the JDK's own I/O events, it has a default threshold (10 ms): a plain {@code -XX:StartFlightRecording}
 * records only jobs that ran at least that long, instead of millions of trivial ones. For every job, set the
 * threshold to 0: {@code -XX:StartFlightRecording:+dev.workerpool.Job#threshold=0ms}, a .jfc file, or
 * {@code recording.enable("dev.workerpool.Job").withoutThreshold()}.
 */
@Name("dev.workerpool.Job")
@Label("Worker Pool Job")
@Category({"Worker Pool"})
@Description("A job run by a worker pool's worker thread")
@StackTrace(false)
@Threshold("10 ms")
final class JobEvent extends Event {

    @Label("Pool")
    String pool;

    @Label("Outcome")
    @Description("completed, failed, cancelled or timed out")
    String outcome;

    @Label("Attempts")
    @Description("How many times the job was started: 1, or more with a retry policy; 0 if cancelled before it ran")
    int attempts;
}
