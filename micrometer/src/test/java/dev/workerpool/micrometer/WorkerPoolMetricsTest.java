package dev.workerpool.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every meter of a real generated pool, read through a SimpleMeterRegistry while the pool runs and after. */
class WorkerPoolMetricsTest {

    private static final String POOL = "JobsRunPool";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyMeterReadsThePoolsFigures() throws Exception {
        Jobs jobs = new Jobs();
        JobsRunPool pool = JobsRunPool.start(jobs);
        new WorkerPoolMetrics(pool::stats, Tags.of("app", "test")).bindTo(registry);
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

        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("workerpool.workers", 1.0),
                Map.entry("workerpool.workers.busy", 1.0),
                Map.entry("workerpool.workers.stuck", 1.0),
                Map.entry("workerpool.queue.capacity", 3.0),
                Map.entry("workerpool.jobs.queued", 3.0),
                Map.entry("workerpool.jobs.queued.max", 3.0),
                Map.entry("workerpool.jobs.submitted", 7.0),
                Map.entry("workerpool.jobs.completed", 2.0),
                Map.entry("workerpool.jobs.failed", 1.0),
                Map.entry("workerpool.jobs.cancelled", 0.0),
                Map.entry("workerpool.jobs.timed.out", 1.0),
                Map.entry("workerpool.jobs.retries", 0.0),
                Map.entry("workerpool.jobs.run.mean", seconds(pool.stats().meanRunTime().toNanos())),
                Map.entry("workerpool.jobs.run.max", seconds(pool.stats().maxRunTime().toNanos())))), values());

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
        Map<String, Double> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("workerpool.workers", 1.0),
                Map.entry("workerpool.workers.busy", 0.0),
                Map.entry("workerpool.workers.stuck", 0.0),
                Map.entry("workerpool.queue.capacity", 3.0),
                Map.entry("workerpool.jobs.queued", 0.0),
                Map.entry("workerpool.jobs.queued.max", 3.0),
                Map.entry("workerpool.jobs.submitted", 7.0),
                Map.entry("workerpool.jobs.completed", 2.0),
                Map.entry("workerpool.jobs.failed", 1.0),
                Map.entry("workerpool.jobs.cancelled", 3.0),
                Map.entry("workerpool.jobs.timed.out", 1.0),
                Map.entry("workerpool.jobs.retries", 0.0),
                Map.entry("workerpool.jobs.run.mean", seconds(last.meanRunTime().toNanos())),
                Map.entry("workerpool.jobs.run.max", seconds(last.maxRunTime().toNanos()))));
        assertEquals(expected, values());
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
            if (meter instanceof TimeGauge) {
                assertEquals("seconds", meter.getId().getBaseUnit(), name);
            } else if (meter instanceof FunctionCounter) {
                assertEquals(name.equals("workerpool.jobs.retries") ? "attempts" : WorkerPoolMetrics.JOBS,
                        meter.getId().getBaseUnit(), name);
            } else {
                assertInstanceOf(Gauge.class, meter, name);
                assertEquals(name.startsWith("workerpool.workers") ? "threads" : "jobs", meter.getId().getBaseUnit(),
                        name);
            }
        }
        assertEquals(14, registry.getMeters().size());
        assertEquals(1.0, registry.get("workerpool.workers").gauge().value());
        pool.close();
    }

    /** Every meter's value, by name (the registry's base time unit for time gauges: seconds). */
    private Map<String, Double> values() {
        Map<String, Double> values = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            assertEquals(POOL, meter.getId().getTag("name"));
            double value = meter instanceof TimeGauge t ? t.value(TimeUnit.SECONDS)
                    : meter instanceof FunctionCounter c ? c.count()
                    : ((Gauge) meter).value();
            values.put(meter.getId().getName(), value);
        }
        return values;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
