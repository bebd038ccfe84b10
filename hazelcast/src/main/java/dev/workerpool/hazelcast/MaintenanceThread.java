package dev.workerpool.hazelcast;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The maintenance thread of one member's part of a pool ({@code <pool>-reconcile}), and the timer that hands it its
 * delayed tasks ({@code <pool>-reconcile-timer}): the reconciliations, the checks and reads of the choice of jobs
 * queue, the cleanup after a submitter or a member left, a cancel's answers. One thread, so its tasks follow one
 * another and the state they alone touch needs no lock; a delayed task goes through the timer to the same thread.
 *
 * <p>Thread-safe: any thread may hand it a task. Once stopped (the part has ended, or its start failed), a task handed
 * to it is dropped ({@link #maintain}) or refused ({@link #execute}). Both threads are daemons, made as the first task
 * comes.
 */
final class MaintenanceThread implements JobsQueueFollower.Maintenance {
    private final ExecutorService maintenance;
    private final ScheduledExecutorService later;

    /** The maintenance thread and timer of pool {@code name}'s part, neither started yet. */
    MaintenanceThread(String name) {
        this.maintenance = Executors.newSingleThreadExecutor(HazelcastEngine.daemon(name + "-reconcile"));
        this.later = Executors.newSingleThreadScheduledExecutor(HazelcastEngine.daemon(name + "-reconcile-timer"));
    }

    /**
     * Runs {@code task} on this pool's maintenance thread, now or {@code delayMillis} later, unless this pool has
     * terminated by then (every job has its result, and its workers send nothing more).
     */
    @Override
    public void maintain(Runnable task, long delayMillis) {
        try {
            if (delayMillis == 0) {
                maintenance.execute(task);
            } else {
                later.schedule(() -> maintain(task, 0), delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // terminated
        }
    }

    /**
     * Runs {@code task} on the maintenance thread now.
     *
     * @throws RejectedExecutionException if stopped
     */
    void execute(Runnable task) {
        maintenance.execute(task);
    }

    /** Stops both threads once the task under way and those handed already have run; delayed ones are dropped. */
    void stop() {
        maintenance.shutdown();
        later.shutdownNow();
    }

    /** Stops both threads, interrupting the task under way and dropping the others: a failed start. */
    void stopNow() {
        maintenance.shutdownNow();
        later.shutdownNow();
    }
}
