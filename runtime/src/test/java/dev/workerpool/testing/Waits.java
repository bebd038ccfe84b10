package dev.workerpool.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests: on latches and conditions, never on a guessed sleep. Every wait has a generous limit;
 * a wait that runs out fails with a dump of every thread, so a hang shows where it is stuck.
 */
public final class Waits {
    /** Long enough for a loaded 2-core CI machine; only reached when something is really stuck. */
    public static final Duration LIMIT = Duration.ofSeconds(60);

    private Waits() {}

    /** Waits for the latch, or fails with a thread dump. */
    public static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw stuck(what);
        }
    }

    /** Waits until the condition holds, re-checking every millisecond, or fails with a thread dump. */
    public static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw stuck(what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Waits until {@code thread} is parked or blocked (waiting for something), or fails with a thread dump. */
    public static void untilWaiting(Thread thread) {
        until(() -> switch (thread.getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> true;
            default -> false;
        }, thread.getName() + " to wait");
    }

    /** Waits until the thread has ended, or fails with a thread dump. */
    public static void join(Thread thread) throws InterruptedException {
        thread.join(LIMIT.toMillis());
        if (thread.isAlive()) {
            throw stuck(thread.getName() + " to end");
        }
    }

    /** Fails with a dump of every thread. */
    public static AssertionError stuck(String what) {
        return new AssertionError("Timed out after " + LIMIT.toSeconds() + " s waiting for " + what
                + "\n" + threadDump());
    }

    public static String threadDump() {
        StringBuilder dump = new StringBuilder("Thread dump:\n");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                dump.append(" on ").append(info.getLockName());
            }
            dump.append('\n');
            for (StackTraceElement frame : info.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        return dump.toString();
    }

    /** Live threads whose names start with {@code prefix}. */
    public static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }
}
