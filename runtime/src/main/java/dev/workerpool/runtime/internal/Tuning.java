package dev.workerpool.runtime.internal;

/**
 * The one place that reads the runtime's tuning properties. They exist to compare designs in benchmarks and to
 * force rare paths in tests; a user never needs them, and none is API.
 *
 * <table class="striped">
 *   <caption>The {@code dev.workerpool.*} system properties</caption>
 *   <thead><tr><th>property</th><th>default</th><th>effect</th><th>read</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code dev.workerpool.ring}</td><td>{@code true}</td>
 *       <td>{@code false}: every channel is the lock-based one</td><td>when a channel is made</td></tr>
 *   <tr><td>{@code dev.workerpool.skipwake}</td><td>{@code true}</td>
 *       <td>{@code false}: a hand-off send on an unbuffered ring always wakes a parked receiver, even while
 *       another receiver is spinning for the item</td>
 *       <td>when a channel is made</td></tr>
 *   <tr><td>{@code dev.workerpool.lanes}</td><td>(by size)</td>
 *       <td>{@code false}: never lanes; {@code true}: lanes for every unordered pool with a job slot per
 *       worker; otherwise lanes by the rule of {@link Queues#laned}</td><td>when a pool starts</td></tr>
 *   <tr><td>{@code dev.workerpool.stats}</td><td>(sampled)</td>
 *       <td>{@code false}: no per-job bookkeeping; {@code exact}: time every job instead of sampling short
 *       ones</td><td>when a pool starts</td></tr>
 *   <tr><td>{@code dev.workerpool.jfr}</td><td>{@code true}</td>
 *       <td>{@code false}: pools never talk to Flight Recorder</td><td>once per JVM</td></tr>
 *   <tr><td>{@code dev.workerpool.spins}</td><td>128 on 4+ cores, else 0</td>
 *       <td>busy-spin rounds before a waiter yields</td><td>once per JVM</td></tr>
 *   <tr><td>{@code dev.workerpool.yields}</td><td>16</td>
 *       <td>{@code Thread.yield()} rounds before a waiter parks</td><td>once per JVM</td></tr>
 *   <tr><td>{@code dev.workerpool.yieldalways}</td><td>{@code false}</td>
 *       <td>{@code true}: a pool's producer and reader yield their rounds even while no thread that could end
 *       their wait runs ({@link Backoff})</td><td>when a pool starts</td></tr>
 *   <tr><td>{@code dev.workerpool.batch}</td><td>2</td>
 *       <td>a waiter first waits for capacity / N items or slots (0: one)</td><td>when a queue is made</td></tr>
 *   <tr><td>{@code dev.workerpool.patience}</td><td>8</td>
 *       <td>yields spent waiting for a batch before one item or slot will do</td><td>when a queue is made</td></tr>
 *   </tbody>
 * </table>
 */
final class Tuning {

    /** Busy-spin rounds: none below 4 cores, where a spinning thread takes the core from the one it waits for. */
    static final int SPINS = Math.max(0, Math.min(1 << 20, Integer.getInteger("dev.workerpool.spins",
            Runtime.getRuntime().availableProcessors() >= 4 ? 128 : 0)));

    /** Yield rounds after spinning and before parking. */
    static final int YIELDS = Math.max(0, Math.min(1 << 20, Integer.getInteger("dev.workerpool.yields", 16)));

    /** Whether pools may talk to Flight Recorder at all. */
    static final boolean JFR = !"false".equals(System.getProperty("dev.workerpool.jfr"));

    private Tuning() {
    }

    /** Whether channels may be lock-free rings. */
    static boolean ring() {
        return !"false".equals(System.getProperty("dev.workerpool.ring"));
    }

    /** Whether an unbuffered ring may skip waking a sender that is not parked. */
    static boolean skipWake() {
        return !"false".equals(System.getProperty("dev.workerpool.skipwake"));
    }

    /** Whether a pool's producer and reader yield only while a thread that could end their wait runs. */
    static boolean yieldOnlyWhileOthersRun() {
        return !"true".equals(System.getProperty("dev.workerpool.yieldalways"));
    }

    /** The lanes setting: {@code "true"}, {@code "false"}, or {@code ""} for the size rule. */
    static String lanes() {
        return System.getProperty("dev.workerpool.lanes", "");
    }

    /** Whether pools count outcomes and time jobs. */
    static boolean stats() {
        return !"false".equals(System.getProperty("dev.workerpool.stats"));
    }

    /** Whether every job is timed, not one short job in {@link WorkerStats#SAMPLE_EVERY}. */
    static boolean timeEveryJob() {
        return "exact".equals(System.getProperty("dev.workerpool.stats"));
    }

    /** The batch divisor: a waiter first waits for capacity / N (0 or less: for one). */
    static int batchDivisor() {
        return Integer.getInteger("dev.workerpool.batch", 2);
    }

    /** Yields spent waiting for a batch before one will do. */
    static int patience() {
        return Integer.getInteger("dev.workerpool.patience", 8);
    }
}
