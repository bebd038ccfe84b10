package dev.workerpool.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU-bound jobs of about 50 µs each, 2 workers, buffer 16. The score is microseconds per job; parallel
 * efficiency = single-thread score / (2 x pool score).
 *
 * <p>Every fork runs the same fixed work per job ({@code -p iterations=N} xorshift steps; 34,000 is about 50 µs
 * on the project's machine). An earlier version calibrated the count in each fork, and the forks' calibrations
 * differed by up to 5%, which went straight into the efficiency ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CpuBenchmark {
    /**
     * Jobs per operation: 20,000, about half a second on two workers, so that the score is the steady state. With
     * 2,000 (50 ms) each operation also paid the start-up of a pool: new threads take a millisecond or two to
     * settle on the cores, which cost a few points of efficiency.
     */
    static final int JOBS = 20_000;

    @Param({"single-thread", "workerpool", "tpe-blocking", "tpe-caller-runs", "abq-pool", "virtual-threads"})
    public String contender;

    /** Xorshift steps per job: the same in every fork, so that the forks' scores compare. */
    @Param("34000")
    public int iterations;

    @Setup(Level.Trial)
    public void setWork() {
        Jobs.burnIterations = iterations;
    }

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public long cpu() throws Exception {
        return Pools.run(contender, "burn", 2, 16, JOBS);
    }
}
