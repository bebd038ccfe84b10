package dev.workerpool.bench;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Trivial jobs (n*n): what one hand-off costs. 1,000,000 jobs per invocation; the score is nanoseconds per
 * job. Shapes (workers x buffer): 3x10 (Go's example), 2x1024, 8x0 (unbuffered).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HandOffBenchmark {
    static final int JOBS = 1_000_000;

    @Param({"3x10", "2x1024", "8x0"})
    public String shape;

    @Param({"workerpool", "tpe-blocking", "tpe-caller-runs", "abq-pool", "virtual-threads", "workerpool-virtual",
            "abq-pool-virtual"})
    public String contender;

    /** The recording {@code contender}'s suffix asks for ({@link Recordings}), started and stopped untimed. */
    private Recording recording;

    @Setup(Level.Iteration)
    public void startRecording() {
        recording = Recordings.start(contender);
    }

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public long trivial() throws Exception {
        String[] wb = shape.split("x");
        return Pools.run(Recordings.contender(contender), "square", Integer.parseInt(wb[0]), Integer.parseInt(wb[1]),
                JOBS);
    }

    /**
     * The same run with the pool's statistics bookkeeping switched off, in its own fork: the ratio of
     * {@link #trivial} to this, within one run, is what {@code stats()} costs (only the workerpool contender
     * reads the switch).
     */
    @Benchmark
    @OperationsPerInvocation(JOBS)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.workerpool.stats=false"})
    public long trivialWithoutStats() throws Exception {
        return trivial();
    }

    /**
     * As {@link #trivialWithoutStats}, with Flight Recorder job events switched off too: the ratio of
     * {@link #trivial} to this is what all the instrumentation costs when no recording is on.
     */
    @Benchmark
    @OperationsPerInvocation(JOBS)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Ddev.workerpool.stats=false", "-Ddev.workerpool.jfr=false"})
    public long trivialWithoutInstrumentation() throws Exception {
        return trivial();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        Recordings.stop(recording);
        recording = null;
        if (contender.equals("tpe-caller-runs")) {
            System.out.printf("  [caller-runs] the producer ran %,d of %,d jobs itself%n",
                    Pools.CALLER_RAN.get(), JOBS);
        }
    }
}
