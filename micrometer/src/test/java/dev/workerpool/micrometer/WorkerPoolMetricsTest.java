package dev.workerpool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every meter of real generated pools, read through a SimpleMeterRegistry while the pools run and after. */
class WorkerPoolMetricsTest {

    /** The pools' class name: the {@code name} tag when no name is given. */
    private static final String POOL = "JobsRunPool";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyMeterReadsThePoolsFigures() throws Exception {
        Jobs jobs = new Jobs();
        JobsRunPool pool = JobsRunPool.start(jobs);
        new WorkerPoolMetrics(pool::stats, "thumbnails", Tags.of("app", "test")).bindTo(registry);
        Iterator<JobsRunPool.Result> results = pool.results().iterator();

        pool.submit("a");
        pool.submit("b");
        pool.submit("fail");
        for (int i = 0; i < 3; i++) {
            results.next();
        }
        pool.submit("stubborn"); // times out, ignores the interrupt: its worker is stuck until released
        assertInstanceOf(TimeoutException.class, results.next().error());
        assertTrue(jobs.ignoredInterrupt.await(60, TimeUnit.SECONDS), "the stubborn job saw its interrupt");
        Waits.until(() -> pool.stats().stuckWorkers() == 1, "the stubborn job's worker counted as stuck");
        pool.submit("c"); // the only worker is stuck: these three wait in the queue
        pool.submit("d");
        pool.submit("e");

        PoolStats now = pool.stats();
        assertEquals(figures(1, 1, 1, 3, 3, 3, 7, 2, 1, 0, 1, 0, now), values("thumbnails"));

        pool.cancel(); // the three queued jobs get cancelled results
        jobs.release.countDown();
        int cancelled = 0;
        while (results.hasNext()) {
            cancelled += results.next().error() instanceof CancellationException ? 1 : 0;
        }
        pool.await();
        assertEquals(3, cancelled);
        PoolStats last = pool.stats();
        assertTrue(last.maxRunTime().toMillis() >= 300, "the stubborn job ran past its timeout: " + last);
        assertTrue(last.meanRunTime().toNanos() > 0, last.toString());
        assertEquals(figures(1, 0, 0, 3, 0, 3, 7, 2, 1, 3, 1, 0, last), values("thumbnails"));
        for (Meter meter : registry.getMeters()) {
            assertEquals(Tags.of("app", "test", "name", "thumbnails"), Tags.of(meter.getId().getTags()));
        }
    }

    /** Two pools of one class, each under its own name, in one registry: two sets of meters, each its own. */
    @Test
    void twoPoolsOfOneClassBindUnderTheirOwnNames() throws Exception {
        JobsRunPool small = JobsRunPool.start(new Jobs());
        JobsRunPool large = JobsRunPool.start(new Jobs(), 2, 5);
        new WorkerPoolMetrics(small::stats, "small", Tags.empty()).bindTo(registry);
        new WorkerPoolMetrics(large::stats, "large", Tags.empty()).bindTo(registry);
        assertEquals(28, registry.getMeters().size());

        small.submit("x");
        small.submit("fail");
        for (String mode : new String[] {"y", "z", "w", "fail", "fail"}) {
            large.submit(mode);
        }
        small.close();
        large.close();
        small.results().forEach(r -> { });
        large.results().forEach(r -> { });
        small.await();
        large.await();

        PoolStats s = small.stats();
        PoolStats l = large.stats();
        assertEquals(figures(1, 0, 0, 3, 0, s.queueHighWaterMark(), 2, 1, 1, 0, 0, 0, s), values("small"));
        assertEquals(figures(2, 0, 0, 5, 0, l.queueHighWaterMark(), 5, 3, 2, 0, 0, 0, l), values("large"));
    }

    /** A {@code name} among the tags names the pool; an explicitly given name wins over it. */
    @Test
    void aNameTagIsKeptUnlessANameIsGiven() {
        JobsRunPool first = JobsRunPool.start(new Jobs());
        JobsRunPool second = JobsRunPool.start(new Jobs(), 2, 3);
        new WorkerPoolMetrics(first::stats, Tags.of("name", "eu-1", "region", "eu")).bindTo(registry);
        new WorkerPoolMetrics(second::stats, "eu-2", Tags.of("name", "overridden", "region", "eu")).bindTo(registry);

        assertEquals(28, registry.getMeters().size());
        assertEquals(1.0, registry.get("workerpool.workers").tags("name", "eu-1", "region", "eu").gauge().value());
        assertEquals(2.0, registry.get("workerpool.workers").tags("name", "eu-2", "region", "eu").gauge().value());
        assertNull(registry.find("workerpool.workers").tags("name", POOL).gauge());
        assertNull(registry.find("workerpool.workers").tags("name", "overridden").gauge());
        first.close();
        second.close();
    }

    @Test
    void metersFollowMicrometersConventionsAndOutliveTheBinder() {
        JobsRunPool pool = JobsRunPool.start(new Jobs());
        new WorkerPoolMetrics(pool::stats).bindTo(registry);
        System.gc(); // the binder is gone; the meters must still reach the pool
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            assertEquals(Tags.of("name", POOL), Tags.of(meter.getId().getTags()), name);
            assertTrue(name.matches("workerpool(\\.[a-z]+)+"), name);
            String unit = meter.getId().getBaseUnit();
            if (meter instanceof TimeGauge) {
                assertEquals("seconds", unit, name);
            } else if (meter instanceof FunctionCounter) {
                assertEquals(name.equals("workerpool.retries") ? null : WorkerPoolMetrics.JOBS, unit, name);
            } else {
                assertInstanceOf(Gauge.class, meter, name);
                assertEquals(name.startsWith("workerpool.workers") ? "threads" : "jobs", unit, name);
            }
        }
        assertEquals(14, registry.getMeters().size());
        assertEquals(1.0, registry.get("workerpool.workers").gauge().value());
        pool.close();
    }

    /**
     * Each meter's name as Prometheus shows it (through {@link PrometheusRule}) and under the dot and snake-case
     * conventions: each unit once, and {@code _total} on the counters only.
     */
    @Test
    void namesReadWellUnderPrometheusAndDotConventions() {
        JobsRunPool pool = JobsRunPool.start(new Jobs());
        new WorkerPoolMetrics(pool::stats, "p", Tags.empty()).bindTo(registry);
        Map<String, String> prometheus = new TreeMap<>();
        Set<String> dot = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String rendered = new PrometheusRule().name(id.getName(), id.getType(), id.getBaseUnit());
            prometheus.put(id.getName(), rendered);
            dot.add(NamingConvention.dot.name(id.getName(), id.getType(), id.getBaseUnit()));
            for (String word : new String[] {"jobs", "threads", "seconds", "total"}) {
                assertTrue(rendered.indexOf(word) == rendered.lastIndexOf(word), rendered + ": " + word + " twice");
            }
        }
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("workerpool.workers", "workerpool_workers_threads"),
                Map.entry("workerpool.workers.busy", "workerpool_workers_busy_threads"),
                Map.entry("workerpool.workers.stuck", "workerpool_workers_stuck_threads"),
                Map.entry("workerpool.queue.capacity", "workerpool_queue_capacity_jobs"),
                Map.entry("workerpool.queued", "workerpool_queued_jobs"),
                Map.entry("workerpool.queued.max", "workerpool_queued_max_jobs"),
                Map.entry("workerpool.submitted", "workerpool_submitted_jobs_total"),
                Map.entry("workerpool.completed", "workerpool_completed_jobs_total"),
                Map.entry("workerpool.failed", "workerpool_failed_jobs_total"),
                Map.entry("workerpool.cancelled", "workerpool_cancelled_jobs_total"),
                Map.entry("workerpool.timed.out", "workerpool_timed_out_jobs_total"),
                Map.entry("workerpool.retries", "workerpool_retries_total"),
                Map.entry("workerpool.run.mean", "workerpool_run_mean_seconds"),
                Map.entry("workerpool.run.max", "workerpool_run_max_seconds"))), prometheus);
        assertEquals(prometheus.keySet(), dot); // the dot convention leaves these names as they are
        pool.close();
    }

    /**
     * The name a Prometheus scrape shows for a meter, by the rule micrometer-registry-prometheus documents (that
     * module is not on this build's classpath): the snake-cased name; for a counter, gauge or distribution
     * summary the base unit appended unless the name already ends with it (a time gauge's base unit is the
     * registry's, seconds); and {@code _total} appended to a counter by the Prometheus client.
     */
    static final class PrometheusRule implements NamingConvention {
        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            String snake = NamingConvention.snakeCase.name(name, type, baseUnit);
            boolean unitSuffix = type == Meter.Type.COUNTER || type == Meter.Type.GAUGE
                    || type == Meter.Type.DISTRIBUTION_SUMMARY;
            if (unitSuffix && baseUnit != null && !snake.endsWith("_" + baseUnit)) {
                snake += "_" + baseUnit;
            }
            return type == Meter.Type.COUNTER ? snake + "_total" : snake;
        }
    }

    /** The figures every meter should read, by meter name; the job times from {@code times}. */
    private static Map<String, Double> figures(int workers, int busy, int stuck, int capacity, int queued,
            int queuedMax, long submitted, long completed, long failed, long cancelled, long timedOut, long retries,
            PoolStats times) {
        return new TreeMap<>(Map.ofEntries(
                Map.entry("workerpool.workers", (double) workers),
                Map.entry("workerpool.workers.busy", (double) busy),
                Map.entry("workerpool.workers.stuck", (double) stuck),
                Map.entry("workerpool.queue.capacity", (double) capacity),
                Map.entry("workerpool.queued", (double) queued),
                Map.entry("workerpool.queued.max", (double) queuedMax),
                Map.entry("workerpool.submitted", (double) submitted),
                Map.entry("workerpool.completed", (double) completed),
                Map.entry("workerpool.failed", (double) failed),
                Map.entry("workerpool.cancelled", (double) cancelled),
                Map.entry("workerpool.timed.out", (double) timedOut),
                Map.entry("workerpool.retries", (double) retries),
                Map.entry("workerpool.run.mean", times.meanRunTime().toNanos() / 1e9),
                Map.entry("workerpool.run.max", times.maxRunTime().toNanos() / 1e9)));
    }

    /** Every meter's value of the pool tagged {@code name}, by meter name (time gauges in seconds). */
    private Map<String, Double> values(String name) {
        Map<String, Double> values = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            if (!name.equals(meter.getId().getTag("name"))) {
                continue;
            }
            double value = meter instanceof TimeGauge t ? t.value(TimeUnit.SECONDS)
                    : meter instanceof FunctionCounter c ? c.count()
                    : ((Gauge) meter).value();
            assertNull(values.put(meter.getId().getName(), value), meter.getId().toString());
        }
        return values;
    }
}
