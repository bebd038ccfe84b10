package dev.workerpool.hazelcast;

import java.util.concurrent.CountDownLatch;

/**
 * Where one member's threads of a pool (its workers and its receiver) wait, as each starts, until the pool's start
 * has started them all (they then go on) or failed to start one (they then end at once, having touched nothing), so
 * that a start that fails halfway leaves no thread working.
 *
 * <p>Thread-safe: opened or abandoned once, by the thread that starts the pool ({@code HazelcastEngine.begin});
 * passed by each of the pool's threads once, as it starts.
 */
final class StartGate {
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean abandoned;

    /** The start has succeeded: the threads go on. */
    void open() {
        decided.countDown();
    }

    /** The start has failed: the threads end at once. */
    void abandon() {
        abandoned = true;
        decided.countDown();
    }

    /**
     * Waits until the start is decided, deaf to interrupts (none of the pool's is meant for a thread yet: the
     * status is kept for after); whether the thread is to work.
     */
    boolean passed() {
        boolean interrupted = false;
        while (true) {
            try {
                decided.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !abandoned;
    }
}
