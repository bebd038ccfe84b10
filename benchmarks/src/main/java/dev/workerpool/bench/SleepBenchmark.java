package dev.workerpool.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Jobs that sleep 5 ms, 8 workers, buffer 16, 400 jobs: the score is milliseconds per run of all 400.
 * Efficiency = (400 x one sleep / 8) / score, where one sleep is {@link #sleepAlone} measured in the same run
 * (the timer's own limit: a 5 ms sleep lasts a little longer than 5 ms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SleepBenchmark {
    static final int JOBS = 400;

    @Param({"workerpool", "tpe-blocking", "tpe-caller-runs", "abq-pool", "virtual-threads"})
    public String contender;

    @Benchmark
    public long sleep() throws Exception {
        return Pools.run(contender, "nap", 8, 16, JOBS);
    }

    /** One Thread.sleep(5) on its own (independent of the contender parameter). */
    @Benchmark
    public void sleepAlone() throws InterruptedException {
        Thread.sleep(5);
    }
}
