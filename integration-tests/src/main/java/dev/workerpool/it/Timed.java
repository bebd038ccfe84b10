package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.concurrent.CountDownLatch;

/** Per-job timeouts: jobs that return at once, wait until interrupted, ignore interrupts, or busy-spin. */
public class Timed {
    /** Lets a "stubborn" job return. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a "stubborn" job has seen its interrupt (and ignored it). */
    public final CountDownLatch ignoredInterrupt = new CountDownLatch(1);

    @WorkerPool(workers = 2, buffer = 4, timeout = "200ms")
    public String work(String mode) throws InterruptedException {
        switch (mode) {
            case "block" -> {
                new CountDownLatch(1).await(); // only an interrupt ends this
                return "unreachable";
            }
            case "stubborn" -> {
                return "stubborn, interrupted=" + awaitIgnoringInterrupts(release, ignoredInterrupt);
            }
            default -> {
                return mode;
            }
        }
    }

    /**
     * Waits until {@code release} opens, ignoring every interrupt (each counts {@code ignoredInterrupt} down): a job
     * that will not stop for a timeout or a cancel.
     *
     * @return whether an interrupt came
     */
    static boolean awaitIgnoringInterrupts(CountDownLatch release, CountDownLatch ignoredInterrupt) {
        boolean interrupted = false;
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted = true;
                ignoredInterrupt.countDown();
            }
        }
        return interrupted;
    }

    /** Busy-spins about {@code micros} µs, ignoring interrupts: races its 1 ms timeout. */
    @WorkerPool(workers = 3, buffer = 6, timeout = "1ms")
    public static long spin(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        long n = 0;
        while (System.nanoTime() - end < 0) {
            n++;
        }
        return n;
    }

    /** Ordered and timed: a timed-out job's result takes its place in the order. */
    @WorkerPool(workers = 2, buffer = 2, ordered = true, timeout = "200ms", name = "OrderedTimedPool")
    public static String orderedWork(String mode) throws InterruptedException {
        if (mode.equals("block")) {
            new CountDownLatch(1).await();
        }
        return mode;
    }

    /** Fail-fast and timed: a timeout is a failure, so it cancels the pool. */
    @WorkerPool(workers = 2, buffer = 4, failFast = true, timeout = "200ms", name = "FailFastTimedPool")
    public static String failFastWork(String mode) throws InterruptedException {
        if (mode.equals("block")) {
            new CountDownLatch(1).await();
        }
        return mode;
    }
}
