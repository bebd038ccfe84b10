package dev.workerpool.runtime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** PoolOptions and the engine's handling of them that generated pools cannot reach: thread factories, the window. */
class PoolOptionsTest {

    @Test
    void timeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.DEFAULT.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.DEFAULT.withTimeout(Duration.ofMillis(-1)));
        assertNull(PoolOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)).withTimeout(null).timeout());
        assertEquals(PoolOptions.DEFAULT.withOrdered(true), PoolOptions.DEFAULT.withOrdered(true));
    }

    @Test
    void tooManyPlatformWorkersFailStartAtOnceNamingThePool() {
        long before = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolEngine.start("Huge", PoolOptions.DEFAULT, 100_000, 10, job -> job, (j, v, err) -> v));
        assertEquals("Huge: workers = 100000 would start that many platform threads; the limit is 10000",
                e.getMessage());
        assertTrue(System.nanoTime() - before < Duration.ofSeconds(5).toNanos(), "no thread was created first");
        assertEquals(0, Waits.liveThreads("Huge"));
        assertThrows(IllegalArgumentException.class, () -> PoolEngine.startPerWorker("HugePerWorker",
                PoolOptions.DEFAULT, PoolOptions.MAX_PLATFORM_WORKERS + 1, 0, () -> {
                    throw new AssertionError("no target is made for a pool that is too large");
                }, target -> job -> job, (j, v, err) -> v));
        assertThrows(IllegalArgumentException.class, () -> PoolEngine.runAll("HugeRunAll", PoolOptions.DEFAULT,
                10_001, 0, List.of(1), job -> job, (j, v, err) -> v));
        PoolOptions.DEFAULT.checkWorkers("AtTheLimit", PoolOptions.MAX_PLATFORM_WORKERS);
    }

    /**
     * The annotation's buffer limit holds at run time too: a buffer read from configuration that is far too large
     * fails {@code start} with a clear message, instead of an ordered pool's reorder window of that many slots
     * ending in an {@code OutOfMemoryError}.
     */
    @Test
    void tooLargeABufferFailsStartAtOnceNamingThePool() {
        PoolOptions ordered = PoolOptions.DEFAULT.withOrdered(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolEngine.start("Deep", ordered, 2, Integer.MAX_VALUE, job -> job, (j, v, err) -> v));
        assertEquals("Deep: buffer = 2147483647 is so large that the queue is effectively unbounded and backpressure "
                + "never happens; the limit is 16777216", e.getMessage());
        assertEquals(0, Waits.liveThreads("Deep"));
        assertThrows(IllegalArgumentException.class, () -> PoolEngine.start("DeepHandler", PoolOptions.DEFAULT, 1,
                PoolOptions.MAX_BUFFER + 1, job -> job, (j, v, err) -> v, r -> { }));
        assertThrows(IllegalArgumentException.class, () -> PoolEngine.startPerWorker("DeepPerWorker", ordered, 1,
                PoolOptions.MAX_BUFFER + 1, () -> {
                    throw new AssertionError("no target is made for a pool whose buffer is too large");
                }, target -> job -> job, (j, v, err) -> v));
        assertThrows(IllegalArgumentException.class, () -> PoolEngine.runAll("DeepRunAll", PoolOptions.DEFAULT, 1,
                PoolOptions.MAX_BUFFER + 1, List.of(1), job -> job, (j, v, err) -> v));
        PoolOptions.checkBuffer("AtTheLimit", PoolOptions.MAX_BUFFER);
        assertThrows(IllegalArgumentException.class, () -> PoolOptions.checkBuffer("Negative", -1));
    }

    @Test
    void aPlatformThreadFactoryHasThePlatformLimitAndAVirtualOneTheVirtualLimit() throws Exception {
        PoolOptions platform = PoolOptions.DEFAULT.withThreadFactory(Thread::new);
        assertThrows(IllegalArgumentException.class, () -> platform.checkWorkers("P", 10_001));
        ThreadFactory virtual = virtualThreadFactory();
        if (virtual == null) {
            return; // JDK 17-20: no virtual threads
        }
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(virtual);
        options.checkWorkers("V", 100_000);
        options.checkWorkers("V", PoolOptions.MAX_VIRTUAL_WORKERS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> options.checkWorkers("V", PoolOptions.MAX_VIRTUAL_WORKERS + 1));
        assertEquals("V: workers = 1048577 would start that many virtual threads; the limit is 1048576",
                e.getMessage());
    }

    /** {@code Thread.ofVirtual().factory()} on JDK 21+ (this module compiles for 17), else null. */
    private static ThreadFactory virtualThreadFactory() throws Exception {
        java.lang.reflect.Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            return null;
        }
        Object builder = ofVirtual.invoke(null);
        java.lang.reflect.Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
        return (ThreadFactory) factory.invoke(builder);
    }

    @Test
    void aThreadFactoryThatReturnsNullFailsStartCleanly() {
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(r -> null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PoolEngine.start("NullFactory", options, 3, 1, job -> job, (j, v, err) -> v));
        assertEquals("NullFactory: the thread factory returned null for worker thread 1", e.getMessage());
    }

    @Test
    void aThreadFactoryThatThrowsFailsStartCleanlyAndClosesPerWorkerTargets() {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory secondFails = r -> {
            if (made.incrementAndGet() == 2) {
                throw new IllegalStateException("no more threads");
            }
            return new Thread(r);
        };
        List<AutoCloseable> closed = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PoolEngine.startPerWorker("ThrowingFactory", PoolOptions.DEFAULT.withThreadFactory(secondFails),
                        3, 1, () -> {
                            AutoCloseable[] self = new AutoCloseable[1];
                            self[0] = () -> closed.add(self[0]);
                            return self[0];
                        }, target -> job -> job, (j, v, err) -> v));
        assertEquals("ThrowingFactory: the thread factory failed to make worker thread 2", e.getMessage());
        assertEquals("no more threads", e.getCause().getMessage());
        assertEquals(3, closed.size(), "every target made was closed");
        assertEquals(0, Waits.liveThreads("ThrowingFactory"));
    }

    @Test
    void factoryThreadsAreNamedAfterThePool() throws Exception {
        List<Thread> made = new ArrayList<>();
        PoolEngine<Integer, String> engine = PoolEngine.start("Named",
                PoolOptions.DEFAULT.withThreadFactory(r -> {
                    Thread t = new Thread(r, "anonymous");
                    made.add(t);
                    return t;
                }), 2, 0, job -> Thread.currentThread().getName(), (j, v, err) -> v);
        engine.submit(1);
        String name = engine.results().iterator().next();
        assertTrue(name.startsWith("Named-worker-"), name);
        engine.close();
        engine.await();
        assertEquals(2, made.size());
    }

    /** A factory of {@code base}'s threads that keeps every thread it made. */
    private static ThreadFactory keeping(ThreadFactory base, List<Thread> made) {
        return r -> {
            Thread t = base.newThread(r);
            synchronized (made) {
                made.add(t);
            }
            return t;
        };
    }

    private static List<String> names(List<Thread> made) {
        synchronized (made) {
            return made.stream().map(Thread::getName).sorted().toList();
        }
    }

    private static List<Integer> upTo(int count) {
        List<Integer> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(i);
        }
        return jobs;
    }

    @Test
    void runAllOnVirtualWorkersSubmitsFromAVirtualThreadOfTheFactory() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        assumeTrue(virtual != null, "JDK 21+");
        List<Thread> made = new ArrayList<>();
        List<Integer> jobs = upTo(1_000);
        for (int buffer : new int[] {0, 4}) {
            made.clear();
            PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(keeping(virtual, made));
            List<Integer> results = PoolEngine.runAll("Submitting", options, 3, buffer, jobs, job -> job * 2,
                    (j, v, err) -> v);
            assertEquals(jobs.stream().map(j -> j * 2).toList(), results);
            // the workers, and one that submitted the jobs: every hand-off between virtual threads
            assertEquals(List.of("Submitting-runAll", "Submitting-worker-1", "Submitting-worker-2",
                    "Submitting-worker-3"), names(made));
            synchronized (made) {
                assertTrue(made.stream().noneMatch(Thread::isAlive), "every thread of the run has ended");
            }
        }
    }

    @Test
    void runAllSubmitsFromTheCallerIfTheFactoryMakesPlatformThreadsOrRefusesTheExtraOne() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        List<ThreadFactory> bases = new ArrayList<>(List.of(Thread::new));
        if (virtual != null) {
            bases.add(virtual);
        }
        List<Thread> made = new ArrayList<>();
        PoolOptions platform = PoolOptions.DEFAULT.withThreadFactory(keeping(Thread::new, made));
        assertEquals(upTo(100), PoolEngine.runAll("CallerSubmits", platform, 2, 1, upTo(100), job -> job,
                (j, v, err) -> v));
        assertTrue(names(made).stream().noneMatch(n -> n.endsWith("-runAll")), names(made).toString());
        for (ThreadFactory base : bases) {
            AtomicInteger calls = new AtomicInteger();
            ThreadFactory refusing = r -> {
                if (calls.incrementAndGet() > 2) {
                    throw new IllegalStateException("no more threads");
                }
                return base.newThread(r);
            };
            assertEquals(upTo(100), PoolEngine.runAll("Refused", PoolOptions.DEFAULT.withThreadFactory(refusing), 2,
                    1, upTo(100), job -> job, (j, v, err) -> v));
            assertEquals(0, Waits.liveThreads("Refused"), "no worker is left behind");
        }
    }

    @Test
    void runAllOnVirtualWorkersStillFailsFastAndCancelsTheJobsNotYetSubmitted() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        assumeTrue(virtual != null, "JDK 21+");
        List<Thread> made = new ArrayList<>();
        PoolOptions options = PoolOptions.DEFAULT.withThreadFactory(keeping(virtual, made)).withFailFast(true);
        List<Integer> jobs = upTo(200);
        List<Throwable> errors = PoolEngine.runAll("FailingFast", options, 1, 0, jobs, job -> {
            if (job == 0) {
                throw new IllegalStateException("job 0 fails");
            }
            return job;
        }, (j, v, err) -> err);
        assertEquals(200, errors.size());
        assertEquals("job 0 fails", errors.get(0).getMessage());
        assertTrue(errors.get(199) instanceof CancellationException, String.valueOf(errors.get(199)));
        assertTrue(names(made).contains("FailingFast-runAll"), names(made).toString());
        PoolFailedException e = assertThrows(PoolFailedException.class, () -> PoolEngine.runAllOrThrow("FailingFast",
                options, 1, 0, jobs, job -> {
                    throw new IllegalStateException("job " + job + " fails");
                }, (j, v, err) -> v));
        assertEquals("job 0 fails", e.getCause().getMessage());
        synchronized (made) {
            assertTrue(made.stream().noneMatch(Thread::isAlive), "every thread of the runs has ended");
        }
    }

    @Test
    void interruptingACallerOfRunAllOnVirtualWorkersCancelsThePoolAndWaitsForItsThreads() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        assumeTrue(virtual != null, "JDK 21+");
        List<Thread> made = new ArrayList<>();
        CountDownLatch running = new CountDownLatch(2);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                PoolEngine.runAll("Interrupted", PoolOptions.DEFAULT.withThreadFactory(keeping(virtual, made)), 2, 1,
                        upTo(100), job -> {
                            running.countDown();
                            Thread.sleep(120_000); // until the cancel interrupts it
                            return job;
                        }, (j, v, err) -> v);
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "runAll caller");
        caller.start();
        Waits.await(running, "both workers to run a job");
        Waits.until(() -> names(made).contains("Interrupted-runAll"), "the producer to start");
        Waits.untilWaiting(caller);
        caller.interrupt();
        Waits.join(caller);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        synchronized (made) {
            assertTrue(made.stream().noneMatch(Thread::isAlive), "every thread of the run ended before runAll threw");
        }
    }
}
