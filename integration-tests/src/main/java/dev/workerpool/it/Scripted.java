package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.CountDownLatch;

/**
 * Jobs that do what their mode says, for tests that race the options against each other: return ({@code ok}),
 * throw ({@code fail}), wait until interrupted ({@code block}), ignore interrupts until released
 * ({@code stubborn}), or busy-spin a number of microseconds ({@code spin:<micros>}).
 */
public class Scripted {
    /** Lets every "stubborn" job return. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a "stubborn" job has seen an interrupt (and ignored it). */
    public final CountDownLatch ignoredInterrupt = new CountDownLatch(1);
    /** Counted down when a "stubborn" job starts. */
    public final CountDownLatch stubbornStarted = new CountDownLatch(1);

    /** Every option at once: ordered, fail-fast and timed. */
    @WorkerPool(workers = 3, buffer = 4, ordered = true, failFast = true, timeout = "20ms")
    public String strict(int id, String mode) throws Exception {
        return run(id, mode);
    }

    /** Fail-fast and timed, results in completion order. */
    @WorkerPool(workers = 2, buffer = 2, failFast = true, timeout = "100ms")
    public String guarded(int id, String mode) throws Exception {
        return run(id, mode);
    }

    private String run(int id, String mode) throws Exception {
        switch (mode) {
            case "ok" -> {
                return "ok-" + id;
            }
            case "fail" -> throw new IllegalStateException("job " + id + " failed");
            case "block" -> {
                new CountDownLatch(1).await(); // only an interrupt ends this
                return "unreachable";
            }
            case "stubborn" -> {
                stubbornStarted.countDown();
                boolean interrupted = Timed.awaitIgnoringInterrupts(release, ignoredInterrupt);
                return "stubborn-" + id + (interrupted ? ", interrupted" : "");
            }
            default -> {
                long end = System.nanoTime() + Long.parseLong(mode.substring("spin:".length())) * 1_000;
                while (System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                return "spun-" + id;
            }
        }
    }
}
