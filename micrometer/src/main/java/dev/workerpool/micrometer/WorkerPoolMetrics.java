package dev.workerpool.micrometer;

import dev.workerpool.runtime.PoolStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for one worker pool, read from its {@code stats()} snapshot whenever the registry polls
 * them; nothing is recorded on the pool's job path. Every generated pool has a {@code stats()} method
 * returning {@link PoolStats}, so {@code new WorkerPoolMetrics(pool::stats).bindTo(registry)} binds any of
 * them. Each meter carries the tag {@code name} (the pool's name, as in {@link PoolStats#pool()}) and the
 * extra tags given here:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Meter</th><th>Type</th><th>Base unit</th><th>From</th></tr>
 *   <tr><td>{@code workerpool.workers}</td><td>gauge</td><td>threads</td><td>{@link PoolStats#workers()}</td></tr>
 *   <tr><td>{@code workerpool.workers.busy}</td><td>gauge</td><td>threads</td>
 *       <td>{@link PoolStats#busyWorkers()}</td></tr>
 *   <tr><td>{@code workerpool.workers.stuck}</td><td>gauge</td><td>threads</td>
 *       <td>{@link PoolStats#stuckWorkers()}</td></tr>
 *   <tr><td>{@code workerpool.queue.capacity}</td><td>gauge</td><td>jobs</td><td>{@link PoolStats#buffer()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.queued}</td><td>gauge</td><td>jobs</td><td>{@link PoolStats#queuedJobs()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.queued.max}</td><td>gauge</td><td>jobs</td>
 *       <td>{@link PoolStats#queueHighWaterMark()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.submitted}</td><td>function counter</td><td>jobs</td>
 *       <td>{@link PoolStats#submitted()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.completed}</td><td>function counter</td><td>jobs</td>
 *       <td>{@link PoolStats#completed()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.failed}</td><td>function counter</td><td>jobs</td>
 *       <td>{@link PoolStats#failed()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.cancelled}</td><td>function counter</td><td>jobs</td>
 *       <td>{@link PoolStats#cancelled()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.timed.out}</td><td>function counter</td><td>jobs</td>
 *       <td>{@link PoolStats#timedOut()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.retries}</td><td>function counter</td><td>attempts</td>
 *       <td>{@link PoolStats#retries()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.run.mean}</td><td>time gauge</td><td>the registry's time unit</td>
 *       <td>{@link PoolStats#meanRunTime()}</td></tr>
 *   <tr><td>{@code workerpool.jobs.run.max}</td><td>time gauge</td><td>the registry's time unit</td>
 *       <td>{@link PoolStats#maxRunTime()}</td></tr>
 * </table>
 *
 * <p>The meters hold the stats supplier (and so the pool) strongly until they are removed from the registry;
 * a terminated pool's meters keep its final figures. Concurrency: the binder is immutable and may be bound
 * from any thread, to any number of registries; the supplier is called on the registry's polling threads, one
 * snapshot per meter read, and must be thread-safe (a generated pool's {@code stats()} is).
 */
public final class WorkerPoolMetrics implements MeterBinder {

    /** The base unit of the job counts and queue sizes. */
    public static final String JOBS = "jobs";

    private final Supplier<PoolStats> stats;
    private final Iterable<Tag> tags;

    /**
     * Meters for the pool whose snapshots {@code stats} returns, tagged with its name only.
     *
     * @param stats the pool's {@code stats()} method, typically {@code pool::stats}; called on polling threads
     */
    public WorkerPoolMetrics(Supplier<PoolStats> stats) {
        this(stats, Tags.empty());
    }

    /**
     * Meters for the pool whose snapshots {@code stats} returns, tagged with its name and {@code tags}.
     *
     * @param stats the pool's {@code stats()} method, typically {@code pool::stats}; called on polling threads
     * @param tags  extra tags for every meter (not {@code name}, which is the pool's name)
     */
    public WorkerPoolMetrics(Supplier<PoolStats> stats, Iterable<Tag> tags) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the meters in {@code registry}. Calls the supplier once, on this thread, for the pool's name.
     * Binding the same pool twice to one registry registers nothing new (the registry returns the existing
     * meters).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags all = Tags.of(tags).and("name", stats.get().pool());
        // The registry holds gauges' state strongly when asked; the function counters, which hold it weakly,
        // share that one object, so none of them reads NaN after this binder is gone.
        Supplier<PoolStats> source = stats;
        gauge(registry, "workerpool.workers", "Worker threads of the pool", BaseUnits.THREADS, source, all,
                PoolStats::workers);
        gauge(registry, "workerpool.workers.busy", "Workers running a job now", BaseUnits.THREADS, source, all,
                PoolStats::busyWorkers);
        gauge(registry, "workerpool.workers.stuck",
                "Workers still running a job that timed out (it ignored the interrupt)", BaseUnits.THREADS, source,
                all, PoolStats::stuckWorkers);
        gauge(registry, "workerpool.queue.capacity", "Jobs the queue holds before submit blocks", JOBS, source, all,
                PoolStats::buffer);
        gauge(registry, "workerpool.jobs.queued", "Jobs waiting in the queue now", JOBS, source, all,
                PoolStats::queuedJobs);
        gauge(registry, "workerpool.jobs.queued.max", "The most jobs that have waited in the queue at once", JOBS,
                source, all, PoolStats::queueHighWaterMark);
        counter(registry, "workerpool.jobs.submitted", "Jobs accepted", source, all, PoolStats::submitted);
        counter(registry, "workerpool.jobs.completed", "Jobs that returned normally", source, all,
                PoolStats::completed);
        counter(registry, "workerpool.jobs.failed", "Jobs that threw (not cancelled, not timed out)", source, all,
                PoolStats::failed);
        counter(registry, "workerpool.jobs.cancelled", "Jobs whose result is a cancellation", source, all,
                PoolStats::cancelled);
        counter(registry, "workerpool.jobs.timed.out", "Jobs whose result is a timeout", source, all,
                PoolStats::timedOut);
        FunctionCounter.builder("workerpool.jobs.retries", source, s -> s.get().retries())
                .description("Attempts after a job's first (retries)")
                .baseUnit("attempts")
                .tags(all)
                .register(registry);
        timeGauge(registry, "workerpool.jobs.run.mean", "Mean time a job ran on a worker", source, all,
                s -> s.meanRunTime().toNanos());
        timeGauge(registry, "workerpool.jobs.run.max", "Longest time a job ran on a worker", source, all,
                s -> s.maxRunTime().toNanos());
    }

    private static void gauge(MeterRegistry registry, String name, String description, String unit,
            Supplier<PoolStats> source, Tags tags, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(name, source, s -> value.applyAsDouble(s.get()))
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, Supplier<PoolStats> source,
            Tags tags, ToLongFunction<PoolStats> value) {
        FunctionCounter.builder(name, source, s -> value.applyAsLong(s.get()))
                .description(description)
                .baseUnit(JOBS)
                .tags(tags)
                .register(registry);
    }

    private static void timeGauge(MeterRegistry registry, String name, String description,
            Supplier<PoolStats> source, Tags tags, ToLongFunction<PoolStats> nanos) {
        TimeGauge.builder(name, source, TimeUnit.NANOSECONDS, s -> nanos.applyAsLong(s.get()))
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }
}
