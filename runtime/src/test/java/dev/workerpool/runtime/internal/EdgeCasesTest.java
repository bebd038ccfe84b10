package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.PoolStats;
import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.spi.PoolOptions;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool's edges that user code and other threads can reach: a cancel racing a waiting submitter, a job whose
 * {@code toString()} misbehaves while the watchdog reports it, a target whose {@code close()} and thread handler
 * both throw, an interrupt aimed at the watchdog, and the Flight Recorder events of cancelled jobs. Each test
 * forces its interleaving (a latch, a hook, or an interrupt), so that it fails every time against the defect.
 */
class EdgeCasesTest {

    record R(Object job, Object value, Throwable error) {}

    private static final AtomicInteger POOLS = new AtomicInteger();

    private static String poolName(String what) {
        return "Edge" + what + POOLS.incrementAndGet();
    }

    /**
     * cancel() closes intake before it lets held workers go. Forced: a hook runs between cancel's two steps and
     * waits for the blocked submitter to finish. If the result queue were un-bounded first, the worker it held
     * would drain a queued job, and the submitter waiting for that room would get its job accepted after cancel.
     */
    @ParameterizedTest(name = "ordered={0}")
    @ValueSource(booleans = {false, true})
    void cancelRefusesASubmitterAlreadyWaiting(boolean ordered) throws Exception {
        // 1 worker, buffer 2: results hold workers + buffer = 3; the worker holds the 4th; the queue the 5th and
        // 6th; the submitter waits to hand in the 7th. Nobody reads results.
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("Cancel"),
                PoolOptions.DEFAULT.withOrdered(ordered), 1, 2, job -> job, R::new);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicInteger accepted = new AtomicInteger();
        Thread submitter = new Thread(() -> {
            try {
                for (int i = 1; i <= 7; i++) {
                    pool.submit(i);
                    accepted.incrementAndGet();
                }
            } catch (Throwable e) {
                refused.set(e);
            }
        }, "submitter");
        submitter.start();
        Waits.until(() -> accepted.get() == 6 && pool.queuedJobs() == 2, "six jobs accepted, two queued");
        Waits.untilWaiting(submitter);
        Thread worker = workerThread(pool, 1);
        Waits.untilWaiting(worker);
        pool.betweenCancelSteps = joining(submitter);
        pool.cancel();
        Waits.join(submitter);
        assertInstanceOf(PoolClosedException.class, refused.get(), "the waiting submitter is refused");
        assertEquals(6, accepted.get());
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Waits.LIMIT));
        assertEquals(6, results.size(), "one result per accepted job");
        assertEquals(6, pool.stats().submitted());
    }

    /**
     * cancel() notes that a cancel has begun before it closes intake: a job that the close ends (one waiting to
     * submit to its own full pool) counts as cancelled, not failed, and the queued job behind it never starts,
     * although the worker reaches it before the pool is marked cancelled. Forced: a hook between the close and the
     * marking waits until the first job has its result.
     */
    @Test
    void aJobEndedByTheCancelsCloseIsCancelledAndTheQueuedJobBehindItNeverStarts() throws Exception {
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        CountDownLatch filled = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("CancelClose"), PoolOptions.DEFAULT, 1, 1,
                n -> {
                    if (n == 0) {
                        filled.await();
                        self.get().submit(100); // job 1 fills the queue: the only worker waits for room
                    } else {
                        started.incrementAndGet();
                    }
                    return n;
                }, R::new);
        self.set(pool);
        pool.submit(0);
        pool.submit(1);
        filled.countDown();
        Thread worker = workerThread(pool, 1);
        Waits.until(() -> java.util.Arrays.stream(worker.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("submit") && f.getClassName().equals(LocalEngine.class
                        .getName())) && worker.getState() != Thread.State.RUNNABLE, "job 0 waits in submit");
        pool.betweenCancelSteps = () -> Waits.until(() -> pool.stats().failed() + pool.stats().cancelled() == 1,
                "job 0 has its result before the pool is marked cancelled");
        pool.cancel();
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Waits.LIMIT));
        results.sort(java.util.Comparator.comparing(r -> (Integer) r.job()));
        assertEquals(2, results.size());
        assertInstanceOf(CancellationException.class, results.get(0).error(), "job 0: " + results.get(0));
        assertInstanceOf(PoolClosedException.class, results.get(0).error().getCause());
        assertInstanceOf(CancellationException.class, results.get(1).error(), "job 1: " + results.get(1));
        assertEquals(0, started.get(), "the queued job never started");
        assertEquals(0, pool.stats().failed());
    }

    /**
     * The same on a rate-limited pool: cancel() wakes a worker waiting for a permit only once intake is closed.
     * Forced: the worker holds job 2 and waits for a permit (one a minute), jobs 3 and 4 fill the queue, and a
     * submitter waits to hand in job 5; a hook right after the wake-up waits for that submitter to finish. Woken
     * first, the worker would give job 2 and then job 3 their cancelled results, and the submitter waiting for
     * that room would get job 5 accepted after cancel.
     */
    @Test
    void cancelOfARateLimitedPoolRefusesASubmitterAlreadyWaiting() throws Exception {
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("CancelRate"),
                PoolOptions.DEFAULT.withRate(Rate.parse("1/m")), 1, 2, job -> job, R::new);
        pool.submit(1); // takes the one permit of the minute
        pool.submit(2); // the worker takes it and waits for the next permit
        Thread worker = workerThread(pool, 1);
        Waits.until(() -> pool.queuedJobs() == 0, "job 2 taken");
        Waits.untilWaiting(worker);
        pool.submit(3);
        pool.submit(4);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            try {
                pool.submit(5);
            } catch (Throwable e) {
                refused.set(e);
            }
        }, "submitter");
        submitter.start();
        Waits.untilWaiting(submitter);
        pool.afterPermitWaitersWoken = joining(submitter);
        pool.cancel();
        Waits.join(submitter);
        assertInstanceOf(PoolClosedException.class, refused.get(), "the waiting submitter is refused");
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Waits.LIMIT));
        assertEquals(List.of(1, 2, 3, 4), results.stream().map(r -> (Integer) r.job()).sorted().toList());
        assertEquals(4, pool.stats().submitted());
        assertEquals(3, pool.stats().cancelled(), "jobs 2, 3 and 4 never started");
    }

    /**
     * An unbuffered pool has no queue: a submitter waiting in the hand-off is neither a queued job nor an accepted
     * one in {@code stats()} (it read 1 queued, a high-water mark of 1 over a buffer of 0, and the job as submitted
     * before any worker took it, though a close would refuse it).
     */
    @Test
    void anUnbufferedPoolsStatsCountNoWaitingSubmitterAsQueuedOrAccepted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("UnbufferedStats"), PoolOptions.DEFAULT,
                1, 0, job -> {
                    if (job == 1) {
                        running.countDown();
                        release.await();
                    }
                    return job;
                }, R::new);
        try {
            pool.submit(1);
            assertTrue(running.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS), "job 1 running");
            Thread submitter = new Thread(() -> {
                try {
                    pool.submit(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "submitter");
            submitter.start();
            Waits.until(() -> pool.queuedJobs() == 1, "job 2 waiting in the hand-off");
            PoolStats stats = pool.stats();
            assertEquals(0, stats.queuedJobs(), stats.toString());
            assertEquals(0, stats.queueHighWaterMark(), stats.toString());
            assertEquals(1, stats.submitted(), "job 2 not yet accepted: " + stats);
            release.countDown();
            Waits.join(submitter);
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Waits.LIMIT));
            stats = pool.stats();
            assertEquals(2, stats.submitted(), stats.toString());
            assertEquals(0, stats.queueHighWaterMark(), stats.toString());
        } finally {
            release.countDown();
            pool.cancel();
        }
    }

    /**
     * A cancel() hook that waits for the blocked {@code submitter} to finish: at once if intake is closed by then,
     * else when room appears (and its job is accepted, which the tests then see).
     */
    private static Runnable joining(Thread submitter) {
        return () -> {
            try {
                submitter.join(Waits.LIMIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** An exception whose toString() throws. */
    private static final class Rude extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            throw new IllegalStateException("no description");
        }
    }

    /**
     * A fail-fast pool whose failed job threw an exception with a toString() that throws: await still throws
     * the pool's {@link PoolFailedException} with that exception as its cause (before, the
     * toString()'s own exception came out instead), its message naming the class.
     */
    @Test
    void aFailureWhoseToStringThrowsStillFailsThePoolFast() throws Exception {
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("Rude"),
                PoolOptions.DEFAULT.withFailFast(true), 1, 1, job -> {
                    throw new Rude();
                }, R::new);
        pool.submit(1);
        pool.close();
        pool.results().forEach(r -> { });
        PoolFailedException e = assertThrows(PoolFailedException.class, () -> pool.awaitOrThrow());
        assertInstanceOf(Rude.class, e.getCause());
        assertTrue(e.getMessage().contains(Rude.class.getName()), e.getMessage());
    }

    /**
     * A timed fail-fast pool whose job timed out: the timeout's message begins with the pool's name, and the
     * pool's failure names the pool once (before: "P failed fast: a job threw ...TimeoutException: P: the job
     * ran longer ..."), keeping the cause's class.
     */
    @Test
    void aTimedOutFailFastPoolNamesItselfOnce() throws Exception {
        String name = poolName("TimedFailFast");
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(name,
                PoolOptions.DEFAULT.withFailFast(true).withTimeout(Duration.ofMillis(50)), 1, 1, job -> {
                    new CountDownLatch(1).await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS); // until timed out
                    return job;
                }, R::new);
        pool.submit(1);
        pool.close();
        pool.results().forEach(r -> { });
        PoolFailedException e = assertThrows(PoolFailedException.class, () -> pool.awaitOrThrow());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(name + ": the job ran longer than its timeout of PT0.05S", e.getCause().getMessage());
        assertEquals(name + " failed fast: a job threw java.util.concurrent.TimeoutException:"
                + " the job ran longer than its timeout of PT0.05S", e.getMessage());
    }

    /** Causes whose message begins with the pool's name, and others: the failure names the pool once. */
    @Test
    void aFailFastPoolsFailureNamesThePoolOnce() throws Exception {
        String name = poolName("Named");
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: job 3 fails",
                failureOf(name, new IllegalStateException("job 3 fails")).getMessage());
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException",
                failureOf(name, new IllegalStateException()).getMessage());
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: cannot reach the host",
                failureOf(name, new IllegalStateException(name + ":  cannot reach the host")).getMessage());
        assertEquals(name + " failed fast: a job threw dev.workerpool.runtime.PoolClosedException:"
                        + " the pool is closed; it accepts no more jobs",
                failureOf(name, new PoolClosedException(name + " is closed; it accepts no more jobs")).getMessage());
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException",
                failureOf(name, new IllegalStateException(name + ": ")).getMessage());
        // Another pool's name, or a longer name that begins with this one's: not this pool's, kept as it is.
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: Other: no",
                failureOf(name, new IllegalStateException("Other: no")).getMessage());
        assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: " + name + "s: no",
                failureOf(name, new IllegalStateException(name + "s: no")).getMessage());
    }

    /**
     * Only a leading {@code "pool: "}, colon and space, is left out of the cause's message, and only a
     * {@link PoolClosedException}'s {@code "pool is closed"} reads {@code "the pool is closed"}: any other text
     * that begins with the pool's name is the cause's own, kept as it is. Before: {@code "P:x"} lost its
     * {@code "P:"}, a pool named {@code http} cut {@code "http:"} off a URL, a message that was only the pool's
     * name was dropped, and a user's {@code "P is ..."} read {@code "the pool is ..."}.
     */
    @Test
    void aFailFastPoolsFailureLeavesOutOnlyThePoolsOwnPrefix() {
        String name = poolName("Exact");
        assertAll(
                () -> assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: " + name + ":x",
                        failureOf(name, new IllegalStateException(name + ":x")).getMessage()),
                () -> assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: " + name,
                        failureOf(name, new IllegalStateException(name)).getMessage()),
                () -> assertEquals(name + " failed fast: a job threw java.lang.IllegalStateException: " + name
                                + " is a user's",
                        failureOf(name, new IllegalStateException(name + " is a user's")).getMessage()),
                () -> assertEquals(name + " failed fast: a job threw java.util.concurrent.CancellationException: "
                                + name + " was cancelled by the job's own code",
                        failureOf(name, new CancellationException(name + " was cancelled by the job's own code"))
                                .getMessage()),
                () -> assertEquals(name + " failed fast: a job threw dev.workerpool.runtime.PoolClosedException:"
                                + " the pool was cancelled; it accepts no more jobs",
                        failureOf(name, new PoolClosedException(name + " was cancelled; it accepts no more jobs"))
                                .getMessage()),
                () -> assertEquals("http failed fast: a job threw java.lang.IllegalStateException:"
                                + " http://example.org/ is down",
                        failureOf("http", new IllegalStateException("http://example.org/ is down")).getMessage()));
    }

    /**
     * A {@link PoolClosedException} of another pool whose name begins with this one's and a space (a job of pool
     * {@code "P"} that submits to a closed pool {@code "P images"}) is that pool's, kept as it is. Before, it read
     * {@code "the pool images is closed"}, naming neither pool.
     */
    @Test
    void aFailFastPoolsFailureKeepsAnotherPoolsClosedMessageWhoseNameBeginsWithThisOnes() {
        String name = poolName("Spaced");
        assertAll(
                () -> assertEquals(name + " failed fast: a job threw dev.workerpool.runtime.PoolClosedException: "
                                + name + " images is closed; it accepts no more jobs",
                        failureOf(name, new PoolClosedException(name + " images is closed; it accepts no more jobs"))
                                .getMessage()),
                () -> assertEquals(name + " failed fast: a job threw dev.workerpool.runtime.PoolClosedException:"
                                + " the pool has terminated; it starts no more workers",
                        failureOf(name, new PoolClosedException(name + " has terminated; it starts no more workers"))
                                .getMessage()),
                () -> assertEquals(name + " failed fast: a job threw dev.workerpool.runtime.PoolClosedException:"
                                + " the pool is cancelled",
                        failureOf(name, new PoolClosedException(name + " is cancelled")).getMessage()));
    }

    /** The {@link PoolFailedException} of a fail-fast pool whose one job threw {@code error}. */
    private static PoolFailedException failureOf(String name, RuntimeException error) throws Exception {
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(name, PoolOptions.DEFAULT.withFailFast(true), 1, 1,
                job -> {
                    throw error;
                }, R::new);
        pool.submit(1);
        pool.close();
        pool.results().forEach(r -> { });
        PoolFailedException e = assertThrows(PoolFailedException.class, () -> pool.awaitOrThrow());
        assertTrue(e.getCause() == error, "the cause is the job's error");
        return e;
    }

    /**
     * A null job: each submit method refuses it with a NullPointerException that names the pool and says what is
     * wrong (before: the message "job"), and the pool accepts nothing.
     */
    @Test
    void aNullJobIsRefusedNamingThePool() throws Exception {
        String name = poolName("NullJob");
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(name, 1, 1, job -> job, R::new);
        try {
            assertEquals(name + ": submit was given a null job; a job may not be null",
                    assertThrows(NullPointerException.class, () -> pool.submit(null)).getMessage());
            assertEquals(name + ": trySubmit was given a null job; a job may not be null",
                    assertThrows(NullPointerException.class, () -> pool.trySubmit(null)).getMessage());
            assertEquals(name + ": trySubmit was given a null job; a job may not be null",
                    assertThrows(NullPointerException.class, () -> pool.trySubmit(null, Waits.LIMIT)).getMessage());
            assertEquals(0, pool.stats().submitted(), "nothing accepted");
        } finally {
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), "the pool terminates");
        }
    }

    /**
     * A null timeout: a NullPointerException naming the pool and the method (before: the bare message "timeout"),
     * and the job is not accepted.
     */
    @Test
    void aNullTimeoutIsRefusedNamingThePool() throws Exception {
        String name = poolName("NullTimeout");
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(name, 1, 1, job -> job, R::new);
        try {
            assertEquals(name + ": trySubmit was given a null timeout",
                    assertThrows(NullPointerException.class, () -> pool.trySubmit(1, null)).getMessage());
            assertEquals(0, pool.stats().submitted(), "nothing accepted");
            assertEquals(name + ": await was given a null timeout",
                    assertThrows(NullPointerException.class, () -> pool.await(null)).getMessage());
            assertEquals(name + ": await was given a null timeout", // a fail-fast pool's generated await
                    assertThrows(NullPointerException.class, () -> pool.awaitOrThrow(null)).getMessage());
        } finally {
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), "the pool terminates");
        }
    }

    /**
     * runAll given a null job, or null for its jobs: a NullPointerException naming the pool and saying what is
     * wrong (before: no message at all), thrown before any worker starts.
     */
    @Test
    void runAllRefusesNullJobsNamingThePool() {
        String name = poolName("NullRunAll");
        List<Integer> withNull = Arrays.asList(1, 2, null, 4);
        assertEquals(name + ": runAll was given a null job, at index 2 of 4; a job may not be null",
                assertThrows(NullPointerException.class, () -> Engines.runAll(name, PoolOptions.DEFAULT, 2, 2,
                        withNull, job -> job, R::new)).getMessage());
        assertEquals(name + ": runAll was given a null job, at index 2 of 4; a job may not be null",
                assertThrows(NullPointerException.class, () -> Engines.runAllOrThrow(name,
                        PoolOptions.DEFAULT.withFailFast(true), 2, 2, withNull, job -> job, R::new)).getMessage());
        assertEquals(name + ": runAll was given null instead of a collection of jobs",
                assertThrows(NullPointerException.class, () -> Engines.runAll(name, PoolOptions.DEFAULT, 2, 2,
                        null, job -> job, R::new)).getMessage());
        assertEquals(name + ": runAll was given null instead of a collection of jobs",
                assertThrows(NullPointerException.class, () -> Engines.runAllOrThrow(name, PoolOptions.DEFAULT, 2,
                        2, null, job -> job, R::new)).getMessage());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(name)),
                "no thread started");
    }

    /**
     * A job that awaits its own pool would wait for its own worker to exit, for ever: await() refuses it, naming
     * the pool, and the pool still terminates; the timed form waits its timeout and returns false.
     */
    @Test
    void aJobThatAwaitsItsOwnPoolGetsAnErrorInsteadOfWaitingForEver() throws Exception {
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("AwaitSelf"), PoolOptions.DEFAULT, 1, 1,
                job -> {
                    if (job == 1) {
                        self.get().await();
                        return "returned";
                    }
                    return self.get().await(Duration.ofMillis(50));
                }, R::new);
        self.set(pool);
        pool.submit(1);
        pool.submit(2);
        pool.close();
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertTrue(pool.await(Waits.LIMIT));
        results.sort(java.util.Comparator.comparing(r -> (Integer) r.job()));
        assertInstanceOf(IllegalStateException.class, results.get(0).error());
        assertTrue(results.get(0).error().getMessage().startsWith(pool.name() + ": await() called from one of its "
                + "own jobs would wait for ever"), results.get(0).error().getMessage());
        assertEquals(Boolean.FALSE, results.get(1).value(), "the timed form times out");
    }

    /**
     * A job that reads its own pool's results to their end would wait for ever: the end comes only once every
     * worker has exited, its own included. The iterator hands it the results already there, then, where it would
     * have to wait, throws an IllegalStateException naming the pool. Before the fix the job waited for ever (the
     * test's bounded await failed, and its cancel freed the worker). Every kind of result queue: one channel (a
     * ring, and a locked one for a large pool), lanes, and an ordered pool's reorder window.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ring", "locked", "lanes", "ordered"})
    void aJobThatReadsItsOwnPoolsResultsGetsThoseThereThenAnErrorInsteadOfWaitingForEver(String queue)
            throws Exception {
        int workers = queue.equals("lanes") ? 2 : 1;
        int buffer = switch (queue) {
            case "locked" -> 20_000;
            case "lanes" -> 128;
            default -> 4;
        };
        AtomicReference<LocalEngine<Integer, Object, R>> self = new AtomicReference<>();
        List<Object> readByTheJob = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start(poolName("ReadSelf"),
                PoolOptions.DEFAULT.withOrdered(queue.equals("ordered")), workers, buffer, job -> {
                    if (job == 1) {
                        return "a";
                    }
                    Waits.until(() -> self.get().results.size() == 1, "job 1's result");
                    for (R r : self.get().results()) {
                        readByTheJob.add(r.value());
                    }
                    return "read to the end";
                }, R::new);
        self.set(pool);
        pool.submit(1);
        pool.submit(2);
        pool.close();
        if (!pool.await(Waits.LIMIT)) {
            AssertionError stuck = Waits.stuck("the pool to terminate");
            pool.cancel(); // interrupts the job waiting in its own results, so that the test ends
            throw stuck;
        }
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertEquals(1, results.size(), "job 1's result went to the job that read it: " + results);
        assertEquals(List.of("a"), readByTheJob, "the result already there is read");
        Throwable error = results.get(0).error();
        assertInstanceOf(IllegalStateException.class, error);
        assertTrue(error.getMessage().startsWith(pool.name() + ": results() read from one of its own jobs"),
                error.getMessage());
    }

    /** A job argument whose toString() fails, as a lazy proxy of a closed persistence context does. */
    private static final class Stubborn {
        final CountDownLatch described = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Supplier<String> description;

        Stubborn(Supplier<String> description) {
            this.description = description;
        }

        /** Runs as the job: ignores interrupts until released. */
        Object run() {
            for (;;) {
                try {
                    if (release.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return "done";
                    }
                    throw new AssertionError("never released");
                } catch (InterruptedException ignored) {
                    // the timeout's interrupt, ignored on purpose
                }
            }
        }

        @Override
        public String toString() {
            described.countDown();
            return description.get();
        }
    }

    private static Object run(Object job) throws InterruptedException {
        if (job instanceof Stubborn stubborn) {
            return stubborn.run();
        }
        new CountDownLatch(1).await(); // a patient job: waits until its timeout interrupts it
        throw new AssertionError("unreachable");
    }

    /** Reads results on a thread of its own, so that a missing one fails the test instead of hanging it. */
    private static BlockingQueue<R> readInBackground(LocalEngine<Object, Object, R> pool) {
        BlockingQueue<R> out = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pool.results().forEach(out::add), pool.name() + "-reader");
        reader.setDaemon(true);
        reader.start();
        return out;
    }

    private static R next(BlockingQueue<R> results, String what) throws InterruptedException {
        R r = results.poll(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw Waits.stuck(what);
        }
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"throws", "overflows", "errors"})
    void theWatchdogSurvivesAJobWhoseToStringFails(String how) throws Exception {
        String expected = switch (how) {
            case "throws" -> IllegalStateException.class.getName();
            case "overflows" -> StackOverflowError.class.getName();
            default -> NoClassDefFoundError.class.getName();
        };
        Stubborn stubborn = new Stubborn(() -> {
            switch (how) {
                case "throws" -> throw new IllegalStateException("could not initialize proxy - no Session");
                case "overflows" -> throw new StackOverflowError();
                default -> throw new NoClassDefFoundError("org/example/Missing");
            }
        });
        LocalEngine<Object, Object, R> pool = LocalEngine.start(poolName("ToString"),
                PoolOptions.DEFAULT.withTimeout(Duration.ofMillis(50)), 2, 0, EdgeCasesTest::run, R::new);
        BlockingQueue<R> results = readInBackground(pool);
        try (CapturedLog log = new CapturedLog()) {
            pool.submit(stubborn);
            assertInstanceOf(TimeoutException.class, next(results, "the stubborn job's timeout").error());
            String warning = log.next("the stuck-job warning");
            assertTrue(warning.matches(pool.name() + "-worker-[12] is still running a job that timed out .*"), warning);
            assertTrue(warning.endsWith("Job: (its toString() threw " + expected + ")"), warning);
            // The watchdog is still on duty: the next job times out as well.
            pool.submit("patient");
            R patient = next(results, "the patient job's timeout, after the report");
            assertEquals("patient", patient.job());
            assertInstanceOf(TimeoutException.class, patient.error());
        } finally {
            stubborn.release.countDown();
            pool.cancel();
        }
        assertTrue(pool.await(Waits.LIMIT));
    }

    /**
     * The report of a stuck job does not hold up the watchdog: with the job's toString() blocked, another job
     * still times out on time, and the stuck worker, once its job returns, takes the next job.
     */
    @Test
    void aSlowToStringDelaysNoTimeout() throws Exception {
        CountDownLatch toStringMayReturn = new CountDownLatch(1);
        Stubborn stubborn = new Stubborn(() -> {
            try {
                toStringMayReturn.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow";
        });
        LocalEngine<Object, Object, R> pool = LocalEngine.start(poolName("SlowToString"),
                PoolOptions.DEFAULT.withTimeout(Duration.ofMillis(50)), 2, 0, EdgeCasesTest::run, R::new);
        BlockingQueue<R> results = readInBackground(pool);
        try (CapturedLog log = new CapturedLog()) {
            pool.submit(stubborn);
            assertInstanceOf(TimeoutException.class, next(results, "the stubborn job's timeout").error());
            Waits.await(stubborn.described, "the stuck-job report");
            pool.submit("patient");
            assertInstanceOf(TimeoutException.class, next(results, "a timeout while toString() is blocked").error());
            // The stuck job returns; its worker is free again although the report is still in toString().
            stubborn.release.countDown();
            Waits.until(() -> pool.stats().stuckWorkers() == 0 && pool.stats().busyWorkers() == 0,
                    "the stuck worker to come back");
            pool.submit("patient");
            pool.submit("patient");
            assertInstanceOf(TimeoutException.class, next(results, "third timeout").error());
            assertInstanceOf(TimeoutException.class, next(results, "fourth timeout").error());
            toStringMayReturn.countDown();
            assertTrue(log.next("the slow report").endsWith("Job: slow"));
        } finally {
            toStringMayReturn.countDown();
            stubborn.release.countDown();
            pool.cancel();
        }
        assertTrue(pool.await(Waits.LIMIT));
    }

    /** An interrupt from anywhere does not make the watchdog spin: it clears it and parks again. */
    @ParameterizedTest(name = "job running={0}")
    @ValueSource(booleans = {false, true})
    void anInterruptedWatchdogParksAgain(boolean jobRunning) throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LocalEngine<Object, Object, R> pool = LocalEngine.start(poolName("Interrupted"),
                PoolOptions.DEFAULT.withTimeout(Duration.ofHours(1)), 1, 1, job -> {
                    started.countDown();
                    return release.await(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }, R::new);
        BlockingQueue<R> results = readInBackground(pool);
        try {
            if (jobRunning) {
                pool.submit("job");
                Waits.await(started, "the job to start");
            }
            Thread watchdog = thread(pool.name() + "-watchdog");
            Waits.untilWaiting(watchdog);
            watchdog.interrupt();
            Waits.until(() -> !watchdog.isInterrupted() && isParked(watchdog),
                    "the watchdog to clear the interrupt and park again");
        } finally {
            release.countDown();
            pool.close();
        }
        if (jobRunning) {
            assertNull(next(results, "the job's result").error());
        }
        assertTrue(pool.await(Waits.LIMIT));
    }

    private static boolean isParked(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** A target that cannot be closed, on a thread whose uncaught-exception handler fails too. */
    @Test
    void aPoolTerminatesWhenATargetsCloseAndTheHandlerBothThrow() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(r -> {
            Thread t = new Thread(r);
            t.setUncaughtExceptionHandler((thread, e) -> {
                handled.incrementAndGet();
                throw new IllegalStateException("the handler fails too");
            });
            return t;
        });
        AutoCloseable target = () -> {
            closes.incrementAndGet();
            throw new IllegalStateException("close fails");
        };
        LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker(poolName("Close"), options, 2, 4,
                () -> target, t -> job -> job, R::new);
        for (int i = 0; i < 6; i++) {
            pool.submit(i);
        }
        pool.close();
        assertTrue(pool.await(Waits.LIMIT), "the pool terminates"); // the 6 results fit: workers + buffer
        List<R> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertEquals(6, results.size());
        assertEquals(2, closes.get(), "each worker closed its target");
        assertTrue(handled.get() >= 2, "each close failure went to the handler");
    }

    /** Every job stats() counts is a {@code dev.workerpool.Job} event, cancelled ones too. */
    @Test
    void everyCancelledJobIsAnEvent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cancel.jfr");
        CountDownLatch started = new CountDownLatch(1);
        LocalEngine<Integer, Object, R> pool;
        try (Recording recording = new Recording()) {
            recording.enable("dev.workerpool.Job").withoutThreshold();
            recording.start();
            pool = LocalEngine.start(poolName("Jfr"), 1, 3, job -> {
                started.countDown();
                new CountDownLatch(1).await(); // until cancel interrupts it
                return job;
            }, R::new);
            for (int i = 0; i < 4; i++) {
                pool.submit(i); // one runs, three wait
            }
            Waits.await(started, "the first job to start");
            pool.cancel();
            List<R> results = new ArrayList<>();
            pool.results().forEach(results::add);
            assertTrue(pool.await(Waits.LIMIT));
            assertEquals(4, results.size());
            results.forEach(r -> assertInstanceOf(CancellationException.class, r.error()));
            recording.stop();
            recording.dump(file);
        }
        String name = pool.name();
        Map<String, Long> outcomes = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job"))
                .filter(e -> name.equals(e.getString("pool")))
                .collect(Collectors.groupingBy(e -> e.getString("outcome"), Collectors.counting()));
        assertEquals(4L, pool.stats().cancelled());
        assertEquals(Map.of("cancelled", pool.stats().cancelled()), outcomes);
        Map<Integer, Long> byAttempts = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job"))
                .filter(e -> name.equals(e.getString("pool")))
                .collect(Collectors.groupingBy(e -> e.getInt("attempts"), Collectors.counting()));
        assertEquals(Map.of(1, 1L, 0, 3L), byAttempts, "the one that ran was tried once; the three queued, never");
        RecordedEvent any = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.workerpool.Job"))
                .filter(e -> name.equals(e.getString("pool"))).findFirst().orElseThrow();
        assertNotNull(any.getThread());
    }

    private static Thread workerThread(LocalEngine<?, ?, ?> pool, int n) {
        return thread(pool.name() + "-worker-" + n);
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }
}
