package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.TwoMemberCluster.awaitLatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job that waits for the end of the part of its pool that submitted it, on a worker of another member in the same
 * JVM (two members here): that part ends only once the job has its result, which comes only once the job returns,
 * so the wait could never end; {@code await()} and reading the results where they would wait refuse it as on the
 * part's own workers. A job of another part waiting for that part's end is not refused: it ends.
 *
 * <p>Each test holds the first member's one worker with job 0 of the first member's part (submitted before the second
 * member's part starts, so that it runs there), so that the job under test runs on the second member's one worker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OwnJobsOnAnotherMemberTest {
    private static TwoMemberCluster pair;
    private static HazelcastBackend first;
    private static HazelcastBackend second;

    @BeforeAll
    static void formCluster() {
        pair = TwoMemberCluster.form("wp-own-jobs-");
        first = pair.first;
        second = pair.second;
    }

    @AfterAll
    static void stopCluster() {
        if (pair != null) {
            pair.close();
        }
    }

    /** Before the fix the job waited for ever in {@code await()}: not ended within 30 s. */
    @Test
    void aJobAwaitingThePartThatSubmittedItOnAnotherMembersWorkerIsRefusedNamingThePool() throws Exception {
        String result = runOnSecond("AwaitsItsSubmitter", (pool, member) -> {
            pool.await();
            return member + " saw the pool end";
        });
        assertTrue(result.startsWith("1=failed: java.lang.IllegalStateException: AwaitsItsSubmitter: await() called "
                + "from one of its own jobs would wait for ever"), result);
    }

    /** Before the fix the job waited for ever for a result: not ended within 30 s. */
    @Test
    void aJobReadingTheResultsOfThePartThatSubmittedItOnAnotherMembersWorkerIsRefusedWhereItWouldWait()
            throws Exception {
        String result = runOnSecond("ReadsItsSubmitter", (pool, member) -> {
            List<String> read = new ArrayList<>();
            pool.results().forEach(read::add);
            return member + " read " + read;
        });
        assertTrue(result.startsWith("1=failed: java.lang.IllegalStateException: ReadsItsSubmitter: results() read "
                + "from one of its own jobs has no result there now"), result);
    }

    /** What job 1 does with the first member's part of the pool; {@code member} names where it runs. */
    private interface Waiting {
        String apply(PoolEngine<Long, String> pool, String member) throws Exception;
    }

    /**
     * Starts pool {@code name} on both members with one worker each, holds the first's with job 0, and has the first
     * member's part submit job 1, which the second member's worker runs: {@code waiting} on the first's part. Fails
     * with a thread dump if job 1 has not ended within 30 s (then cancels the first's part, which interrupts it), or
     * if it did not run on the second member; else returns job 1's result.
     */
    private static String runOnSecond(String name, Waiting waiting) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<PoolEngine<Long, String>> submitter = new AtomicReference<>();
        AtomicReference<String> ranOn = new AtomicReference<>();
        JobFunction<Long, String> onFirst = job(holding, release, ended, submitter, ranOn, waiting, "first");
        JobFunction<Long, String> onSecond = job(holding, release, ended, submitter, ranOn, waiting, "second");
        PoolEngine<Long, String> a = start(first, name, onFirst);
        submitter.set(a);
        PoolEngine<Long, String> b = null;
        try {
            a.submit(0L); // only the first member's worker serves the pool yet
            awaitLatch(holding, "job 0 to hold the first member's worker");
            b = start(second, name, onSecond);
            a.submit(1L); // the only idle worker is the second member's
            if (!ended.await(30, TimeUnit.SECONDS)) {
                AssertionError stuck = new AssertionError("job 1 did not end within 30 s\n" + StartTest.threadDump());
                a.cancel(); // interrupts job 1 on the second member, so that the test ends
                throw stuck;
            }
            assertEquals("second", ranOn.get(), "job 1 ran on the second member");
            release.countDown();
            a.close();
            List<String> results = new ArrayList<>();
            a.results().forEach(results::add);
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            results.sort(null);
            assertEquals(2, results.size(), results.toString());
            assertEquals("0=first held its worker", results.get(0));
            return results.get(1);
        } finally {
            release.countDown();
            a.cancel();
            if (b != null) {
                b.cancel();
                assertTrue(b.await(Duration.ofSeconds(60)), "the second member's part ended");
            }
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
        }
    }

    /**
     * A job that another part submitted, on the second member's worker, waits for the first member's part to end
     * (which it may: the first part's jobs do not include it), and sees it end: the refusal is of jobs of the part
     * waited for only.
     */
    @Test
    void aJobOfAnotherPartAwaitingThePoolOnAnotherMemberIsNotRefusedAndSeesItsEnd() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch awaiting = new CountDownLatch(1);
        AtomicReference<PoolEngine<Long, String>> awaited = new AtomicReference<>();
        PoolEngine<Long, String> a = start(first, "AwaitsAnother", job -> {
            holding.countDown();
            awaitLatch(release, "the test to release job 0");
            return "first";
        });
        awaited.set(a);
        PoolEngine<Long, String> b = null;
        try {
            a.submit(0L); // only the first member's worker serves the pool yet
            awaitLatch(holding, "job 0 to hold the first member's worker");
            b = start(second, "AwaitsAnother", job -> {
                awaiting.countDown();
                awaited.get().await();
                return "second saw the first's part end";
            });
            b.submit(10L); // the only idle worker is the second member's
            awaitLatch(awaiting, "job 10 to await the first member's part");
            release.countDown();
            a.close();
            assertTrue(a.await(Duration.ofSeconds(60)), "the first member's part ended");
            b.close();
            List<String> results = new ArrayList<>();
            b.results().forEach(results::add);
            assertEquals(List.of("10=second saw the first's part end"), results);
            assertTrue(b.await(Duration.ofSeconds(60)), "the second member's part ended");
        } finally {
            release.countDown();
            a.cancel();
            if (b != null) {
                b.cancel();
            }
        }
    }

    /**
     * The job function of {@code member}: job 0 says it holds the worker and waits for {@code release}; job 1 says
     * where it runs, does {@code waiting} on the submitting part, and counts {@code ended} down however it ends.
     */
    private static JobFunction<Long, String> job(CountDownLatch holding, CountDownLatch release, CountDownLatch ended,
            AtomicReference<PoolEngine<Long, String>> submitter, AtomicReference<String> ranOn, Waiting waiting,
            String member) {
        return job -> {
            if (job == 0) {
                holding.countDown();
                awaitLatch(release, "the test to release job 0");
                return member + " held its worker";
            }
            ranOn.set(member);
            try {
                return waiting.apply(submitter.get(), member);
            } finally {
                ended.countDown();
            }
        };
    }

    /** Starts {@code pool}'s part on {@code backend}: one worker, a buffer of 8, run by {@code job}. */
    private static PoolEngine<Long, String> start(HazelcastBackend backend, String pool,
            JobFunction<Long, String> job) {
        return TwoMemberCluster.startPart(backend, pool, PoolOptions.DEFAULT, 1, job);
    }
}
