package dev.workerpool.bench;

import dev.workerpool.micrometer.WorkerPoolMetrics;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code workerpool-micrometer} contender: the generated pool with {@link WorkerPoolMetrics} bound to a
 * registry that a thread of its own scrapes every {@link #PERIOD} (reads every meter's measurements, as a
 * Prometheus scrape does), far more often than a monitoring system would. The meters read the pool's
 * {@code stats()} when they are measured; the counts below show how often that was.
 */
final class Scraped {

    /** How often the registry is scraped while the pool runs. */
    static final Duration PERIOD = Duration.ofMillis(10);

    /** Over the last run: scrapes, the meters each read, and the {@code stats()} calls made after binding. */
    static final AtomicLong SCRAPES = new AtomicLong();
    static final AtomicLong METERS = new AtomicLong();
    static final AtomicLong STATS_CALLS = new AtomicLong();

    private Scraped() {}

    static long run(String workload, int workers, int buffer, int jobs) throws Exception {
        if (!workload.equals("square")) {
            throw new IllegalArgumentException("workerpool-micrometer runs the trivial workload only, not " + workload);
        }
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong statsCalls = new AtomicLong();
        try (JobsSquarePool pool = JobsSquarePool.start(workers, buffer)) {
            new WorkerPoolMetrics(() -> {
                statsCalls.incrementAndGet();
                return pool.stats();
            }).bindTo(registry);
            long atBinding = statsCalls.get();
            Scraper scraper = new Scraper(registry);
            scraper.start();
            try {
                return Pools.drive(jobs, pool::submit, pool::close, pool.results(), JobsSquarePool.Result::value);
            } finally {
                SCRAPES.set(scraper.finish());
                METERS.set(registry.getMeters().size());
                STATS_CALLS.set(statsCalls.get() - atBinding);
            }
        } finally {
            registry.close();
        }
    }

    /** Scrapes the registry every period until stopped, then once more (so every run has a scrape). */
    private static final class Scraper extends Thread {
        private final MeterRegistry registry;
        private volatile boolean stopped;
        private long scrapes;
        private double sink;

        Scraper(MeterRegistry registry) {
            super("scraper");
            setDaemon(true);
            this.registry = registry;
        }

        @Override
        public void run() {
            while (!stopped) {
                try {
                    Thread.sleep(PERIOD.toMillis());
                } catch (InterruptedException e) {
                    break;
                }
                scrape();
            }
        }

        private void scrape() {
            for (Meter meter : registry.getMeters()) {
                for (Measurement m : meter.measure()) {
                    sink += m.getValue();
                }
            }
            scrapes++;
        }

        /** Stops scraping, scrapes once more; returns how many scrapes there were. */
        long finish() throws InterruptedException {
            stopped = true;
            interrupt();
            join();
            scrape();
            if (Double.isNaN(sink)) {
                throw new IllegalStateException("a meter read NaN");
            }
            return scrapes;
        }
    }
}
