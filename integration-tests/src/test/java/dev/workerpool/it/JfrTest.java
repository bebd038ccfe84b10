package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flight Recorder: a recording of a real pool, read back with {@link RecordingFile}. */
class JfrTest {

    @Test
    void jobEventsAndPeriodicStatsAreRecorded(@TempDir Path dir) throws Exception {
        Gate gate = new Gate();
        Path file = dir.resolve("pool.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.enable("dev.workerpool.PoolStats").withPeriod(Duration.ofMillis(50));
            recording.start();
            GatePassPool pool = GatePassPool.start(gate); // 2 workers, buffer 3
            for (int id = 1; id <= 5; id++) {
                pool.submit(id);
            }
            gate.started.acquire(2);
            // The pool is running, two jobs busy, five submitted: wait for a periodic snapshot of that.
            Waits.until(() -> events(recording, dir, "dev.workerpool.PoolStats").stream()
                    .anyMatch(e -> e.getLong("submitted") == 5), "a PoolStats event after the submits");
            gate.finish.release(5);
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Waits.LIMIT));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> jobs = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job")).toList();
        assertEquals(5, jobs.size());
        for (RecordedEvent e : jobs) {
            assertEquals("GatePassPool", e.getString("pool"));
            assertEquals("completed", e.getString("outcome"));
            assertTrue(e.getDuration().compareTo(Duration.ZERO) > 0);
            assertTrue(e.getThread().getJavaName().startsWith("GatePassPool-worker-"));
        }
        RecordedEvent stats = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.PoolStats"))
                .filter(e -> e.getString("pool").equals("GatePassPool"))
                .filter(e -> e.getLong("submitted") == 5)
                .findFirst().orElseThrow();
        assertEquals(2, stats.getInt("workers"));
        assertEquals(3, stats.getInt("buffer"));
        assertTrue(stats.getInt("queueHighWaterMark") >= 3);
    }

    @Test
    void outcomesAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("failing.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.start();
            FailingAttemptPool.runAll(new Failing(), List.of(new FailingAttemptPool.Job("io"),
                    new FailingAttemptPool.Job("ok"), new FailingAttemptPool.Job("runtime")));
            recording.stop();
            recording.dump(file);
        }
        Map<String, Integer> outcomes = new HashMap<>();
        RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job"))
                .forEach(e -> outcomes.merge(e.getString("outcome"), 1, Integer::sum));
        assertEquals(Map.of("failed", 2, "completed", 1), outcomes);
    }

    @Test
    void byDefaultOnlyJobsOverTheThresholdAreRecorded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("threshold.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job"); // the event's default threshold: 10 ms
            recording.start();
            SquaresSquarePool.runAll(new Squares(), java.util.stream.IntStream.range(0, 1_000)
                    .mapToObj(SquaresSquarePool.Job::new).toList());
            recording.stop();
            recording.dump(file);
        }
        // A trivial job lasts microseconds; on a loaded machine a rare one is preempted or paused by GC for
        // 10 ms or more, and the threshold then rightly keeps it. So: every job kept took at least 10 ms, and
        // almost none was kept (without the threshold all 1,000 would be).
        var kept = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job")).toList();
        assertTrue(kept.size() < 10, kept.size() + " of 1,000 trivial jobs kept");
        kept.forEach(e -> assertTrue(e.getDuration().toMillis() >= 10, "kept below the threshold: " + e));
    }

    /** The events of one type in the recording so far (dumped to a scratch file). */
    private static List<RecordedEvent> events(Recording recording, Path dir, String type) {
        try {
            Path snapshot = Files.createTempFile(dir, "snapshot", ".jfr");
            recording.dump(snapshot);
            List<RecordedEvent> events = RecordingFile.readAllEvents(snapshot).stream()
                    .filter(e -> e.getEventType().getName().equals(type))
                    .filter(e -> e.getString("pool").equals("GatePassPool"))
                    .toList();
            Files.delete(snapshot);
            return events;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
