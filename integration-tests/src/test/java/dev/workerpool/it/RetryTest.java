package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code retry = @WorkerPool.Retry(...)} through real generated pools: one result per job whatever its attempts
 * did, the earlier attempts' errors suppressed in the last one, errors that are not retried, {@code cancel()}
 * during the wait for the next attempt, a timeout per attempt, and what stats and Flight Recorder show.
 */
@ExtendWith(NoLeakedThreads.class)
class RetryTest {

    @Test
    void aJobIsRetriedUntilItSucceedsOrItsAttemptsRunOut() throws Exception {
        Retrying target = new Retrying();
        Map<String, RetryingFlakyPool.Result> byKey = new HashMap<>();
        try (RetryingFlakyPool pool = RetryingFlakyPool.start(target)) { // attempts = 3, on = IOException
            pool.submit("twice", 2);
            pool.submit("always", 5);
            pool.submit("illegal", -1);
            pool.submit("never", 0);
            pool.close();
            for (RetryingFlakyPool.Result r : pool.results()) {
                assertEquals(null, byKey.put(r.job().key(), r), "one result per job");
            }
            assertTrue(pool.await(Waits.LIMIT));

            assertEquals("twice on attempt 3", byKey.get("twice").getOrThrow(), "two failures, then one success");
            assertEquals(3, target.attempts("twice"));

            Throwable always = byKey.get("always").error();
            assertInstanceOf(IOException.class, always);
            assertEquals("always failure 3", always.getMessage(), "the last attempt's error");
            assertEquals(List.of("always failure 1", "always failure 2"), messages(always.getSuppressed()),
                    "the earlier attempts' errors, oldest first");
            assertEquals(3, target.attempts("always"));

            Throwable illegal = byKey.get("illegal").error();
            assertInstanceOf(IllegalStateException.class, illegal, "not an IOException: not retried");
            assertEquals(0, illegal.getSuppressed().length);
            assertEquals(1, target.attempts("illegal"));

            assertEquals("never on attempt 1", byKey.get("never").getOrThrow());

            PoolStats stats = pool.stats();
            assertEquals(2, stats.completed());
            assertEquals(2, stats.failed());
            assertEquals(4, stats.retries(), "2 for twice, 2 for always");
            assertEquals(4, stats.finished());
        }
    }

    @Test
    void runAllRetriesToo() throws Exception {
        List<RetryingFlakyPool.Result> results = RetryingFlakyPool.runAll(new Retrying(),
                List.of(new RetryingFlakyPool.Job("a", 1), new RetryingFlakyPool.Job("b", 3)));
        assertEquals("a on attempt 2", results.get(0).getOrThrow());
        assertEquals("b failure 3", results.get(1).error().getMessage());
        assertEquals(2, results.get(1).error().getSuppressed().length);
    }

    /**
     * Fail-fast counts a job's failure once, when its last attempt fails; a failed attempt that is retried does
     * not.
     */
    @Test
    void aFailFastPoolFailsWhenALastAttemptFails() throws Exception {
        Retrying target = new Retrying();
        PoolFailedException thrown = assertThrows(PoolFailedException.class, () -> RetryingFailFastPool.runAll(target,
                List.of(new RetryingFailFastPool.Job("twice", 2), new RetryingFailFastPool.Job("always", 5))));
        assertEquals(new RetryingFailFastPool.Job("always", 5), thrown.job());
        assertEquals("always failure 3", thrown.getCause().getMessage());
        assertEquals(2, thrown.getCause().getSuppressed().length);
        assertEquals(3, target.attempts("twice"), "two failed attempts, retried: the pool went on");
        assertEquals(3, target.attempts("always"));
    }

    /** The job waits an hour for its second attempt; cancel() ends the wait at once, with one result. */
    @Test
    void cancelEndsTheWaitForTheNextAttemptAtOnce() throws Exception {
        Retrying target = new Retrying();
        RetryingFailingPool pool = RetryingFailingPool.start(target); // 1 worker, backoff = "1h"
        pool.submit("waits");
        pool.submit("queued");
        Waits.await(target.failedOnce, "the first attempt to fail");
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("RetryingFailingPool-worker-1")).findFirst().orElseThrow();
        Waits.until(() -> worker.getState() == Thread.State.TIMED_WAITING, "the worker to wait for the next attempt");
        assertEquals(1, pool.stats().busyWorkers(), "a job waiting for its next attempt holds its worker");
        assertEquals(1, pool.stats().queuedJobs(), "and the next job waits in the queue");

        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT), "cancel() does not wait out the backoff");
        Map<String, Throwable> errors = new HashMap<>();
        for (RetryingFailingPool.Result r : pool.results()) {
            assertEquals(null, errors.put(r.job().key(), r.error()), "one result per job");
        }
        Throwable waited = errors.get("waits");
        assertInstanceOf(CancellationException.class, waited);
        assertEquals("RetryingFailingPool was cancelled while this job waited for its next attempt",
                waited.getMessage());
        assertEquals(List.of("waits failed"), messages(waited.getSuppressed()), "the attempt's error is kept");
        assertInstanceOf(CancellationException.class, errors.get("queued"));
        assertEquals(1, target.attempts("waits"));
        assertEquals(0, target.attempts("queued"));
        PoolStats stats = pool.stats();
        assertEquals(2, stats.cancelled());
        assertEquals(0, stats.retries(), "the second attempt never started");
    }

    /**
     * In a rate-limited pool every attempt is a start and waits for a permit of its own (one an hour here, taken
     * by the first attempt); cancel() ends the second attempt's wait for its permit at once, with one result.
     */
    @Test
    void eachAttemptWaitsForAPermitAndCancelEndsThatWaitAtOnce() throws Exception {
        Retrying target = new Retrying();
        RetryingThrottledPool pool = RetryingThrottledPool.start(target); // 1 worker, rate = "1/h"
        pool.submit("waits");
        Waits.await(target.failedOnce, "the first attempt to fail");
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("RetryingThrottledPool-worker-1")).findFirst().orElseThrow();
        Waits.until(() -> worker.getState() == Thread.State.TIMED_WAITING, "the worker to wait for a permit");
        assertEquals(1, target.attempts("waits"), "the second attempt waits for the next permit, an hour away");

        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT), "cancel() ends the wait for the permit");
        List<Throwable> errors = new ArrayList<>();
        for (RetryingThrottledPool.Result r : pool.results()) {
            errors.add(r.error());
        }
        assertEquals(1, errors.size(), "one result per job");
        assertInstanceOf(CancellationException.class, errors.get(0));
        assertEquals(List.of("waits failed"), messages(errors.get(0).getSuppressed()), "the attempt's error is kept");
        assertEquals(1, target.attempts("waits"));
        PoolStats stats = pool.stats();
        assertEquals(1, stats.cancelled());
        assertEquals(0, stats.retries(), "the second attempt never started");
    }

    /** timeout = "200ms", on = TimeoutException: each attempt has its own deadline; only the last one's is final. */
    @Test
    void aTimeoutAppliesToEachAttempt() throws Exception {
        Retrying target = new Retrying();
        Map<String, RetryingSlowPool.Result> byKey = new HashMap<>();
        try (RetryingSlowPool pool = RetryingSlowPool.start(target)) { // attempts = 3
            pool.submit("twice", 2);
            pool.submit("always", 3);
            pool.close();
            for (RetryingSlowPool.Result r : pool.results()) {
                assertEquals(null, byKey.put(r.job().key(), r), "one result per job");
            }
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(3, byKey.get("twice").getOrThrow(), "two attempts timed out, the third returned");

            Throwable always = byKey.get("always").error();
            assertInstanceOf(TimeoutException.class, always);
            assertEquals("RetryingSlowPool: the job ran longer than its timeout of PT0.2S", always.getMessage());
            assertEquals(List.of("RetryingSlowPool: attempt 1 ran longer than its timeout of PT0.2S",
                    "RetryingSlowPool: attempt 2 ran longer than its timeout of PT0.2S"),
                    messages(always.getSuppressed()));
            assertEquals(3, target.attempts("always"));

            PoolStats stats = pool.stats();
            assertEquals(1, stats.completed());
            assertEquals(1, stats.timedOut(), "only the job whose last attempt timed out");
            assertEquals(4, stats.retries());
            assertEquals(0, stats.stuckWorkers());
        }
    }

    @Test
    void theJobEventCountsAttempts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("retry.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.start();
            List<RetryingFlakyPool.Result> results = RetryingFlakyPool.runAll(new Retrying(),
                    List.of(new RetryingFlakyPool.Job("once", 0), new RetryingFlakyPool.Job("thrice", 2)));
            assertEquals(2, results.size());
            recording.stop();
            recording.dump(file);
        }
        Map<Integer, String> outcomesByAttempts = new HashMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("dev.workerpool.Job")
                    && e.getString("pool").equals("RetryingFlakyPool")) {
                outcomesByAttempts.put(e.getInt("attempts"), e.getString("outcome"));
            }
        }
        assertEquals(Map.of(1, "completed", 3, "completed"), outcomesByAttempts);
    }

    private static List<String> messages(Throwable[] errors) {
        return new ArrayList<>(Arrays.stream(errors).map(Throwable::getMessage).toList());
    }
}
