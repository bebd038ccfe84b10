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
 * returning {@link PoolStats}, so {@code new WorkerPoolMetrics(pool::stats, "thumbnails", tags).bindTo(registry)}
 * binds any of them.
 *
 * <p>Every meter carries the tag {@value #NAME_TAG} and the extra tags given. Its value is, first, the name
 * given to {@link #WorkerPoolMetrics(Supplier, String, Iterable)}, which wins over a {@code name} among the
 * tags (as {@code ExecutorServiceMetrics} does); else a {@code name} among the tags given to
 * {@link #WorkerPoolMetrics(Supplier, Iterable)}; else the pool's class name, {@link PoolStats#pool()}. Two
 * pools bound to one registry need different names: Micrometer identifies a meter by its name and tags, so
 * the second pool's meters would be the first one's (the registry returns the existing meter and drops the
 * new one). Two instances of one pool class therefore need a name each.
 *
 * <p>The names follow Micrometer's executor metrics ({@code executor.completed}, {@code executor.queued}: a
 * prefix, what is counted, and the unit as the base unit, not in the name), so a registry that appends the
 * base unit and a counter's {@code _total}, as Prometheus's does, renders each unit once (the Prometheus
 * column: the name a Prometheus scrape shows, Micrometer's {@code PrometheusNamingConvention} and then the
 * {@code _total} that the Prometheus client adds to a counter):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Meter</th><th>Type</th><th>Base unit</th><th>Prometheus</th><th>From</th></tr>
 *   <tr><td>{@code workerpool.workers}</td><td>gauge</td><td>threads</td><td>{@code workerpool_workers_threads}</td>
 *       <td>{@link PoolStats#workers()}</td></tr>
 *   <tr><td>{@code workerpool.workers.busy}</td><td>gauge</td><td>threads</td>
 *       <td>{@code workerpool_workers_busy_threads}</td><td>{@link PoolStats#busyWorkers()}</td></tr>
 *   <tr><td>{@code workerpool.workers.stuck}</td><td>gauge</td><td>threads</td>
 *       <td>{@code workerpool_workers_stuck_threads}</td><td>{@link PoolStats#stuckWorkers()}</td></tr>
 *   <tr><td>{@code workerpool.queue.capacity}</td><td>gauge</td><td>jobs</td>
 *       <td>{@code workerpool_queue_capacity_jobs}</td><td>{@link PoolStats#buffer()}</td></tr>
 *   <tr><td>{@code workerpool.queued}</td><td>gauge</td><td>jobs</td><td>{@code workerpool_queued_jobs}</td>
 *       <td>{@link PoolStats#queuedJobs()}</td></tr>
 *   <tr><td>{@code workerpool.queued.max}</td><td>gauge</td><td>jobs</td><td>{@code workerpool_queued_max_jobs}</td>
 *       <td>{@link PoolStats#queueHighWaterMark()}</td></tr>
 *   <tr><td>{@code workerpool.submitted}</td><td>function counter</td><td>jobs</td>
 *       <td>{@code workerpool_submitted_jobs_total}</td><td>{@link PoolStats#submitted()}</td></tr>
 *   <tr><td>{@code workerpool.completed}</td><td>function counter</td><td>jobs</td>
 *       <td>{@code workerpool_completed_jobs_total}</td><td>{@link PoolStats#completed()}</td></tr>
 *   <tr><td>{@code workerpool.failed}</td><td>function counter</td><td>jobs</td>
 *       <td>{@code workerpool_failed_jobs_total}</td><td>{@link PoolStats#failed()}</td></tr>
 *   <tr><td>{@code workerpool.cancelled}</td><td>function counter</td><td>jobs</td>
 *       <td>{@code workerpool_cancelled_jobs_total}</td><td>{@link PoolStats#cancelled()}</td></tr>
 *   <tr><td>{@code workerpool.timed.out}</td><td>function counter</td><td>jobs</td>
 *       <td>{@code workerpool_timed_out_jobs_total}</td><td>{@link PoolStats#timedOut()}</td></tr>
 *   <tr><td>{@code workerpool.retries}</td><td>function counter</td><td>none (a count of attempts)</td>
 *       <td>{@code workerpool_retries_total}</td><td>{@link PoolStats#retries()}</td></tr>
 *   <tr><td>{@code workerpool.run.mean}</td><td>time gauge</td><td>the registry's time unit</td>
 *       <td>{@code workerpool_run_mean_seconds}</td><td>{@link PoolStats#meanRunTime()}</td></tr>
 *   <tr><td>{@code workerpool.run.max}</td><td>time gauge</td><td>the registry's time unit</td>
 *       <td>{@code workerpool_run_max_seconds}</td><td>{@link PoolStats#maxRunTime()}</td></tr>
 * </table>
 *
 * <p>The job times are gauges, not a {@code FunctionTimer}: {@link PoolStats} has the mean over the jobs it
 * timed but not how many it timed, and no count it has is that number (short jobs are sampled, a job
 * cancelled before it started is counted but not timed, a timed-out job is counted before its run time is
 * known), so a total derived as mean times a count would be wrong and could even decrease. Both are over the
 * pool's life so far, not over a recent window.
 *
 * <p>The meters hold the stats supplier (and so the pool) strongly until they are removed from the registry;
 * a terminated pool's meters keep its final figures. Concurrency: the binder is immutable and may be bound
 * from any thread, to any number of registries; the supplier is called on the registry's polling threads, one
 * snapshot per meter read, and must be thread-safe (a generated pool's {@code stats()} is).
 */
public final class WorkerPoolMetrics implements MeterBinder {

    /** The base unit of the job counts and queue sizes. */
    public static final String JOBS = "jobs";

    /** The tag that tells pools apart, as in Micrometer's executor metrics. */
    public static final String NAME_TAG = "name";

    private final Supplier<PoolStats> stats;
    /** The {@link #NAME_TAG} value, or null for the pool's {@link PoolStats#pool()}. */
    private final String name;
    private final Tags tags;

    /**
     * Meters for the pool whose snapshots {@code stats} returns, tagged with its class name,
     * {@link PoolStats#pool()}. Only for a pool that is the one of its class in the registry; otherwise name
     * it with {@link #WorkerPoolMetrics(Supplier, String, Iterable)}. Thread-safe, as the class is.
     *
     * @param stats the pool's {@code stats()} method, typically {@code pool::stats}; called on polling threads
     */
    public WorkerPoolMetrics(Supplier<PoolStats> stats) {
        this(stats, Tags.empty());
    }

    /**
     * Meters for the pool whose snapshots {@code stats} returns, tagged with {@code tags}, and, unless they
     * have a {@code name} tag, {@code name=}{@link PoolStats#pool()}. Thread-safe, as the class is.
     *
     * @param stats the pool's {@code stats()} method, typically {@code pool::stats}; called on polling threads
     * @param tags  tags for every meter; a {@code name} among them names the pool
     */
    public WorkerPoolMetrics(Supplier<PoolStats> stats, Iterable<Tag> tags) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        this.name = this.tags.stream().filter(t -> t.getKey().equals(NAME_TAG)).map(Tag::getValue).findFirst()
                .orElse(null);
    }

    /**
     * Meters for the pool whose snapshots {@code stats} returns, tagged {@code name=}{@code name} and with
     * {@code tags}, like {@code ExecutorServiceMetrics(executor, executorServiceName, tags)}: the name given
     * here replaces a {@code name} among {@code tags}. Thread-safe, as the class is.
     *
     * @param stats the pool's {@code stats()} method, typically {@code pool::stats}; called on polling threads
     * @param name  the value of every meter's {@code name} tag, unique among the pools bound to a registry
     * @param tags  extra tags for every meter
     */
    public WorkerPoolMetrics(Supplier<PoolStats> stats, String name, Iterable<Tag> tags) {
        this.stats = Objects.requireNonNull(stats, "stats");
        this.name = Objects.requireNonNull(name, "name");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the meters in {@code registry}; may be called from any thread. Calls the supplier once, on
     * this thread, for the pool's class name only if no name was given. Binding the same pool twice to one
     * registry registers nothing new (the registry returns the existing meters); so does binding another pool
     * under a name already bound there, which is why each pool needs its own name.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags all = tags.and(NAME_TAG, name != null ? name : stats.get().pool());
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
        gauge(registry, "workerpool.queued", "Jobs waiting in the queue now", JOBS, source, all,
                PoolStats::queuedJobs);
        gauge(registry, "workerpool.queued.max", "The most jobs that have waited in the queue at once", JOBS,
                source, all, PoolStats::queueHighWaterMark);
        counter(registry, "workerpool.submitted", "Jobs accepted", JOBS, source, all, PoolStats::submitted);
        counter(registry, "workerpool.completed", "Jobs that returned normally", JOBS, source, all,
                PoolStats::completed);
        counter(registry, "workerpool.failed", "Jobs that threw (not cancelled, not timed out)", JOBS, source, all,
                PoolStats::failed);
        counter(registry, "workerpool.cancelled", "Jobs whose result is a cancellation", JOBS, source, all,
                PoolStats::cancelled);
        counter(registry, "workerpool.timed.out", "Jobs whose result is a timeout", JOBS, source, all,
                PoolStats::timedOut);
        counter(registry, "workerpool.retries", "Attempts after a job's first (retries)", null, source, all,
                PoolStats::retries);
        timeGauge(registry, "workerpool.run.mean", "Mean time a timed job ran on a worker, over the pool's life",
                source, all, s -> s.meanRunTime().toNanos());
        timeGauge(registry, "workerpool.run.max", "Longest time a timed job ran on a worker", source, all,
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

    private static void counter(MeterRegistry registry, String name, String description, String unit,
            Supplier<PoolStats> source, Tags tags, ToLongFunction<PoolStats> value) {
        FunctionCounter.builder(name, source, s -> value.applyAsLong(s.get()))
                .description(description)
                .baseUnit(unit)
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
