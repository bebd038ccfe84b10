package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A flood of stuck jobs (a tiny timeout, jobs that ignore the interrupt) makes one reporter thread at a time and a
 * bounded backlog of warnings, and says how many reports it dropped; the watchdog is never held up by a report.
 */
class StuckReportsTest {

    private static final int BOUND = Watchdog.StuckReports.MAX_PENDING;
    /** More stuck workers than reports may wait: some must be dropped. */
    private static final int WORKERS = BOUND + 12;
    private static final Pattern DROPPED = Pattern.compile("\\[(\\d+) more stuck-job reports? (?:was|were) dropped");

    record R(Object job, Object value, Throwable error) {}

    /** A job that ignores its timeout's interrupt until released, and whose toString() blocks until allowed. */
    private static final class Stuck {
        static final AtomicInteger IN_TO_STRING = new AtomicInteger();
        static final AtomicInteger MOST_IN_TO_STRING = new AtomicInteger();
        static volatile CountDownLatch toStringMayReturn = new CountDownLatch(0);
        final CountDownLatch release;
        final int id;

        Stuck(int id, CountDownLatch release) {
            this.id = id;
            this.release = release;
        }

        Object run() {
            for (;;) {
                try {
                    if (release.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return id;
                    }
                    throw new AssertionError("never released");
                } catch (InterruptedException ignored) {
                    // the timeout's interrupt, ignored on purpose
                }
            }
        }

        @Override
        public String toString() {
            MOST_IN_TO_STRING.accumulateAndGet(IN_TO_STRING.incrementAndGet(), Math::max);
            try {
                if (!toStringMayReturn.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("toString() never allowed to return");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                IN_TO_STRING.decrementAndGet();
            }
            return "stuck " + id;
        }
    }

    private static long reporterThreads(String pool) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(pool) && t.getName().contains("stuck-report"))
                .count();
    }

    @Test
    void aFloodOfStuckJobsMakesOneReporterAtATimeAndCountsWhatItDrops() throws Exception {
        Stuck.IN_TO_STRING.set(0);
        Stuck.MOST_IN_TO_STRING.set(0);
        CountDownLatch toStringMayReturn = new CountDownLatch(1);
        Stuck.toStringMayReturn = toStringMayReturn;
        CountDownLatch release = new CountDownLatch(1);
        String name = "StuckFlood";
        LocalEngine<Object, Object, R> pool = LocalEngine.start(name,
                PoolOptions.DEFAULT.withTimeout(Duration.ofMillis(2)), WORKERS, 0,
                job -> ((Stuck) job).run(), R::new, r -> { });
        try (CapturedLog log = new CapturedLog()) {
            try {
                for (int i = 0; i < WORKERS; i++) {
                    pool.submit(new Stuck(i, release));
                }
                // Every worker's job is reported (the first report blocks in toString(), the others pile up): so
                // the watchdog went on while a report's toString() blocked.
                Waits.until(() -> pool.workerThreads().stream().allMatch(w -> w.reported),
                        "every stuck job to be reported");
                Waits.until(() -> Stuck.IN_TO_STRING.get() >= 1, "a report to call toString()");
                assertEquals(1, reporterThreads(name), "one reporter thread at a time:\n" + Waits.threadDump());
                assertEquals(1, pool.watchdog.reports.reportersStarted());
            } finally {
                toStringMayReturn.countDown();
            }
            int written = 0;
            long dropped = 0;
            List<String> messages = new ArrayList<>();
            while (written + dropped < WORKERS) {
                String m = log.next("the stuck-job warnings (" + written + " written, " + dropped + " dropped)");
                messages.add(m);
                if (m.contains(" is still running a job that timed out ")) {
                    assertTrue(m.matches(name + "-worker-\\d+ is still running a job that timed out .*"), m);
                    written++;
                }
                Matcher dropNote = DROPPED.matcher(m);
                if (dropNote.find()) {
                    dropped += Long.parseLong(dropNote.group(1));
                }
            }
            assertEquals(WORKERS, written + dropped, String.join("\n", messages));
            assertTrue(dropped >= WORKERS - BOUND - 1, "dropped " + dropped + ":\n" + String.join("\n", messages));
            assertTrue(written <= BOUND + 1, "written " + written);
            assertEquals(1, Stuck.MOST_IN_TO_STRING.get(), "toString() ran on one reporter at a time");
            Waits.until(() -> reporterThreads(name) == 0, "the reporter thread to end once the queue is empty");
            LogRecord extra = log.records.poll();
            assertEquals(null, extra == null ? null : extra.getMessage(), "no more warnings");
        } finally {
            release.countDown();
            pool.close();
        }
        assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
    }

    /** The note on dropped reports, singular and plural; none when nothing was dropped. */
    @Test
    void theDroppedNote() {
        assertEquals("", Watchdog.droppedNote(0, 32));
        assertEquals(" [1 more stuck-job report was dropped: at most 32 wait to be written]",
                Watchdog.droppedNote(1, 32));
        assertEquals(" [7 more stuck-job reports were dropped: at most 32 wait to be written]",
                Watchdog.droppedNote(7, 32));
    }
}
