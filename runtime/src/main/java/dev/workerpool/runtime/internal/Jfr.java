package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pools' link to JDK Flight Recorder: the periodic {@link PoolStatsEvent} hook and the set of running pools
 * it reports. Pools register when they start and leave when their last worker exits. If the runtime image has
 * no {@code jdk.jfr} module, nothing is registered and pools run as usual (job events are then skipped too).
 */
final class Jfr {

    /**
     * Whether pools talk to Flight Recorder: the {@code jdk.jfr} module is present and the system property
     * {@code dev.workerpool.jfr} is not {@code false} (the benchmarks set it to measure what the events cost).
     */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent()
            && Tuning.JFR;

    private static final Set<LocalEngine<?, ?, ?>> RUNNING = ConcurrentHashMap.newKeySet();

    /**
     * Set once Flight Recorder has initialized in this JVM (a recording started, now or earlier). Until then no
     * event class is even loaded, so a program that never records pays nothing for the events.
     */
    private static volatile boolean recorderUp;

    static {
        if (AVAILABLE) {
            try {
                Hook.register();
            } catch (RuntimeException | LinkageError e) {
                // Flight Recorder refused the listener (say, disabled in this JVM): pools run without events.
                System.getLogger("dev.workerpool").log(System.Logger.Level.DEBUG,
                        "Flight Recorder events are off: " + e);
            }
        }
    }

    private Jfr() {
    }

    /**
     * Begins a {@code dev.workerpool.Job} event if a recording enables it; else null. Costs a volatile read when
     * no recording ever started in this JVM.
     */
    static JobEvent beginJob() {
        if (AVAILABLE && recorderUp) {
            JobEvent e = new JobEvent();
            if (e.isEnabled()) {
                e.begin();
                return e;
            }
        }
        return null;
    }

    /** Ends and commits a job event begun by {@link #beginJob()}; nothing for null. */
    static void endJob(JobEvent event, String pool, String outcome) {
        endJob(event, pool, outcome, 1);
    }

    /** As {@link #endJob(JobEvent, String, String)}, for a job tried {@code attempts} times. */
    static void endJob(JobEvent event, String pool, String outcome, int attempts) {
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.pool = pool;
                event.outcome = outcome;
                event.attempts = attempts;
                event.commit();
            }
        }
    }

    static void started(LocalEngine<?, ?, ?> pool) {
        if (AVAILABLE) {
            RUNNING.add(pool);
        }
    }

    static void terminated(LocalEngine<?, ?, ?> pool) {
        RUNNING.remove(pool);
    }

    /** Kept apart so that no jdk.jfr class is loaded when the module is absent. */
    private static final class Hook {
        /**
         * Registers the periodic event only once Flight Recorder initializes (a recording starts), so that a
         * program that never records does not pay for loading the recorder: registering eagerly would load it at
         * start-up, costing start-up time and memory.
         */
        static void register() {
            jdk.jfr.FlightRecorder.addListener(new jdk.jfr.FlightRecorderListener() {
                @Override
                public void recorderInitialized(jdk.jfr.FlightRecorder recorder) {
                    jdk.jfr.FlightRecorder.addPeriodicEvent(PoolStatsEvent.class, Hook::emit);
                    recorderUp = true;
                }
            });
        }

        static void emit() {
            for (LocalEngine<?, ?, ?> pool : RUNNING) {
                PoolStats s = pool.stats();
                PoolStatsEvent e = new PoolStatsEvent();
                e.pool = s.pool();
                e.workers = s.workers();
                e.buffer = s.buffer();
                e.queuedJobs = s.queuedJobs();
                e.queueHighWaterMark = s.queueHighWaterMark();
                e.busyWorkers = s.busyWorkers();
                e.stuckWorkers = s.stuckWorkers();
                e.submitted = s.submitted();
                e.completed = s.completed();
                e.failed = s.failed();
                e.cancelled = s.cancelled();
                e.timedOut = s.timedOut();
                e.retries = s.retries();
                e.meanRunTime = s.meanRunTime().toNanos();
                e.maxRunTime = s.maxRunTime().toNanos();
                e.commit();
            }
        }
    }
}
