package dev.workerpool.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JDK Flight Recorder event {@code dev.workerpool.Job}: one job run by a worker, with its duration (the
 * event's own) and outcome. Committed only while a recording has it enabled; otherwise creating, beginning
 * and ending it does nothing (the JIT removes it). No stack trace: it would cost a walk per job.
 */
@Name("dev.workerpool.Job")
@Label("Worker Pool Job")
@Category({"Worker Pool"})
@Description("A job run by a worker pool's worker thread")
@StackTrace(false)
final class JobEvent extends Event {

    @Label("Pool")
    String pool;

    @Label("Outcome")
    @Description("completed, failed, cancelled or timed out")
    String outcome;
}
