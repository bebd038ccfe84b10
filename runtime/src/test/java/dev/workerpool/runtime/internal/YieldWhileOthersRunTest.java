package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.testing.Waits;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pool's producer and reader yield only while a thread that could end their wait runs, and otherwise park at
 * once ({@link Backoff}): the rule, the queues that ask it, and the pool's answer.
 */
class YieldWhileOthersRunTest {

    record R(Object job, Object value, Throwable error) {}

    /** A test of whether others run that counts how often it is asked. */
    private record Asked(AtomicInteger count, boolean answer) implements BooleanSupplier {
        Asked(boolean answer) {
            this(new AtomicInteger(), answer);
        }

        @Override
        public boolean getAsBoolean() {
            count.incrementAndGet();
            return answer;
        }
    }

    @Test
    void aWaiterAsksAsItYieldsAndStopsAtTheFirstNo() {
        Asked nobody = new Asked(false);
        assertFalse(Backoff.spinUntil(() -> false, nobody));
        assertEquals(1, nobody.count().get(), "asked once, then time to park");
        Asked someone = new Asked(true);
        assertFalse(Backoff.spinUntil(() -> false, someone));
        assertEquals((Tuning.YIELDS + Backoff.ASK_EVERY - 1) / Backoff.ASK_EVERY, someone.count().get(),
                "asked before its first yield and every fourth after");
    }

    /**
     * The asks that step aside (to keep the "park" way in every profile) answer as any ask does: over several
     * step-asides' worth of asks in a row, never "park" while someone runs; then, as many again, always "park" while
     * nobody does. (Each run is longer than the step-aside period, so a step-aside falls in each whatever the count
     * stood at before.)
     */
    @Test
    void theAsksThatStepAsideAnswerAsTheOthers() {
        assumeTrue(Tuning.YIELDS > 0, "no yields, no asks");
        Asked someone = new Asked(true);
        Asked nobody = new Asked(false);
        int asks = 4 * Backoff.STEP_ASIDE_EVERY;
        for (int ask = 0; ask < asks; ask++) {
            assertTrue(Backoff.pause(Tuning.SPINS, someone), "someone runs: go on, ask " + ask);
        }
        for (int ask = 0; ask < asks; ask++) {
            assertFalse(Backoff.pause(Tuning.SPINS, nobody), "nobody runs: park, ask " + ask);
        }
        assertEquals(asks, someone.count().get(), "each call asked");
        assertEquals(asks, nobody.count().get(), "each call asked");
    }

    @ParameterizedTest(name = "ring={0}")
    @ValueSource(booleans = {true, false})
    void aChannelsReceiverAndSenderAskBeforeTheyYield(boolean ring) throws Exception {
        asksBeforeYielding(new Channel<>("c", 1, ring), 1);
    }

    /** Its item goes to a receiver the send has just woken, which does not look running until it runs. */
    @ParameterizedTest(name = "ring={0}")
    @ValueSource(booleans = {true, false})
    void anUnbufferedChannelsSenderYieldsWithoutAsking(boolean ring) throws Exception {
        Channel<String> channel = new Channel<>("c", 0, ring);
        Asked room = new Asked(false);
        channel.sendersYieldWhile(room);
        Thread sender = ChannelTest.start("sender", () -> channel.send("a"));
        Waits.untilWaiting(sender);
        assertEquals("a", channel.receive());
        Waits.join(sender);
        assertEquals(0, room.count().get());
    }

    @Test
    void lanesReceiversAndSendersAskBeforeTheyYield() throws Exception {
        asksBeforeYielding(new Lanes<>("l", 2, 2, true), 2);
    }

    /** A receiver waiting on the empty queue, then a sender waiting on the full one, each asks and parks. */
    private static <Q extends JobQueue<String> & ResultQueue<String>> void asksBeforeYielding(Q queue,
            int capacity) throws Exception {
        Asked items = new Asked(false);
        queue.receiversYieldWhile(items);
        Thread receiver = ChannelTest.start("receiver", () -> assertEquals("a", queue.receive()));
        Waits.untilWaiting(receiver);
        assertTrue(items.count().get() >= 1, "the receiver asked");
        queue.send("a");
        Waits.join(receiver);

        Asked room = new Asked(false);
        queue.sendersYieldWhile(room);
        for (int i = 0; i < capacity; i++) {
            queue.send("full" + i);
        }
        Thread sender = ChannelTest.start("sender", () -> queue.send("late"));
        Waits.untilWaiting(sender);
        assertTrue(room.count().get() >= 1, "the sender asked");
        assertEquals("full0", queue.receive());
        Waits.join(sender);
    }

    /**
     * A pool hands its tests to its queues: its producer and reader, each waiting while the only worker waits in
     * a job, have asked them; unless the pool has a thread factory of its own, or yieldalways is set.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "threadFactory", "yieldalways"})
    void aPoolsProducerAndReaderAskUnlessItKeepsYielding(String kind) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PoolOptions options = kind.equals("threadFactory")
                ? PoolOptions.DEFAULT.withThreadFactory(Thread::new) : PoolOptions.DEFAULT;
        String property = "dev.workerpool.yieldalways";
        LocalEngine<Integer, Object, R> pool;
        if (kind.equals("yieldalways")) {
            System.setProperty(property, "true"); // read when a pool starts
        }
        try {
            pool = LocalEngine.start("Asks" + kind, options, 1, 1, job -> {
                release.await();
                return job;
            }, R::new);
        } finally {
            System.clearProperty(property);
        }
        try {
            pool.submit(1); // the worker waits in it
            Waits.until(() -> pool.queuedJobs() == 0, "job 1 taken");
            pool.submit(2); // fills the buffer
            Thread producer = ChannelTest.start("producer", () -> pool.submit(3));
            Waits.untilWaiting(producer);
            Thread reader = ChannelTest.start("reader", () -> pool.results().iterator().hasNext());
            Waits.untilWaiting(reader);
            boolean asks = kind.equals("default");
            assertEquals(asks, pool.producerAsked(), "the producer asked");
            assertEquals(asks, pool.readerAsked(), "the reader asked");
            release.countDown();
            Waits.join(producer);
            Waits.join(reader);
        } finally {
            release.countDown();
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * Workers waiting in their jobs do not run, nor does a producer that has yielded in a wait since it last
     * submitted (else producer and reader, both waiting for the workers, would yield to each other); a worker
     * computing does, and so does a producer back at work.
     */
    @Test
    void aPoolCountsWorkersAndThatProducerWhoCanEndAWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean spinning = new AtomicBoolean();
        AtomicBoolean stopSpinning = new AtomicBoolean();
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("YieldWhile", 2, 2, job -> {
            if (job < 0) {
                spinning.set(true);
                while (!stopSpinning.get()) {
                    Thread.onSpinWait();
                }
            } else {
                release.await();
            }
            return job;
        }, R::new);
        Thread producer = null;
        AtomicBoolean producerStops = new AtomicBoolean();
        try {
            pool.submit(1);
            pool.submit(2);
            List<Worker<Integer, Object, R>> workers = pool.workerThreads();
            Waits.until(() -> pool.queuedJobs() == 0, "both jobs taken");
            workers.forEach(w -> Waits.untilWaiting(w.thread));
            assertFalse(pool.resultsMayCome(), "both workers wait in their jobs; the producer is this thread");
            assertFalse(pool.roomMayCome(), "both workers wait in their jobs; no reader yet");

            // a producer that waited, now runnable: it does not count until it submits again
            CountDownLatch waited = new CountDownLatch(1);
            CountDownLatch submitAgain = new CountDownLatch(1);
            producer = ChannelTest.start("producer", () -> {
                pool.submit(3);
                assertFalse(pool.roomMayCome(), "the workers wait; so does the reader (none)");
                waited.countDown();
                while (submitAgain.getCount() > 0) {
                    Thread.onSpinWait();
                }
                pool.submit(4);
                while (!producerStops.get()) {
                    Thread.onSpinWait();
                }
            });
            Waits.await(waited, "the producer to ask");
            assertFalse(pool.resultsMayCome(), "a producer that yielded in its wait does not count");
            submitAgain.countDown();
            Waits.until(() -> pool.queuedJobs() == 2, "the producer back at work");
            assertTrue(pool.resultsMayCome(), "a producer at work counts");
            producerStops.set(true);
            Waits.join(producer);

            release.countDown(); // the four jobs end; then one spins
            pool.submit(-1);
            Waits.until(spinning::get, "a worker to spin in its job");
            assertTrue(pool.resultsMayCome(), "a worker computing counts");
            assertTrue(pool.roomMayCome(), "a worker computing counts");
        } finally {
            producerStops.set(true);
            release.countDown();
            stopSpinning.set(true);
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * A worker that a send has woken from its park counts as running before it has run: its thread's state reads
     * as waiting until then, and a producer or reader that took that for "nobody runs" would park too, to be woken
     * by the same worker a moment later (with one worker, a cascade of parks through the operating system at a
     * rate of jobs). The worker waits for jobs, parked; the window between its signal and its running is held
     * open by marking its waiter as a signal does, without the unpark.
     */
    @Test
    void aWorkerWokenFromItsParkCountsBeforeItRuns() throws Exception {
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("Woken", 1, 1, job -> job, R::new);
        Worker<Integer, Object, R> worker = pool.workerThreads().get(0);
        try {
            Waits.until(() -> worker.waiter != null, "the worker to start");
            Waits.untilWaiting(worker.thread); // parked for a job: there is none
            assertFalse(pool.roomMayCome(), "the only worker waits for a job; no reader");
            assertFalse(pool.resultsMayCome(), "the only worker waits for a job; the producer yields");
            worker.waiter.woken = true; // as signal() leaves it until the thread has run
            assertEquals(Thread.State.WAITING, worker.thread.getState(), "not yet run");
            assertTrue(pool.roomMayCome(), "a woken worker counts for the producer");
            assertTrue(pool.resultsMayCome(), "and for the reader");
            worker.waiter.woken = false;
            assertFalse(pool.roomMayCome(), "once its wake-up has passed, a parked worker does not count");
        } finally {
            pool.close();
            pool.results().forEach(r -> { });
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }

    /**
     * A worker that runs between jobs does not count while most workers wait, if its jobs take longer than
     * {@link LocalEngine#LONG_JOB_NANOS} on average (in a pool of sleeping jobs it is about to sleep in its next
     * one); if they are short, or while at least half the workers run, it does. Of four workers, {@code waiting}
     * wait in their jobs; the others, their targets closing as they exit after the pool's close, run between jobs.
     */
    @ParameterizedTest(name = "long jobs {0}, {1} of 4 waiting in jobs")
    @CsvSource({"true, 3, false", "false, 3, true", "true, 2, true", "true, 0, true"})
    void aWorkerBetweenLongJobsDoesNotCountWhileMostWorkersWait(boolean longJobs, int waiting, boolean counts)
            throws Exception {
        int workers = 4;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger closing = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        LocalEngine<Integer, Object, R> pool = LocalEngine.startPerWorker("BetweenJobs", workers, workers,
                () -> (AutoCloseable) () -> {
                    closing.incrementAndGet();
                    while (!closed.get()) {
                        Thread.onSpinWait();
                    }
                },
                target -> job -> {
                    if (job == 0) {
                        release.await();
                    } else if (longJobs) {
                        Thread.sleep(1);
                    }
                    return job;
                }, R::new);
        List<Worker<Integer, Object, R>> all = pool.workerThreads();
        Thread drainer = ChannelTest.start("drainer", () -> pool.results().forEach(r -> { }));
        try {
            long deadline = System.nanoTime() + Waits.LIMIT.toNanos();
            while (!all.stream().allMatch(w -> w.stats.jobsTakeLongerThan(LocalEngine.LONG_JOB_NANOS) == longJobs)
                    || !all.stream().allMatch(w -> w.stats.timedJobs.get() > 0)) {
                assertTrue(System.nanoTime() < deadline, "every worker's jobs timed as long " + longJobs);
                for (int i = 0; i < (longJobs ? workers : 1000); i++) {
                    pool.submit(1);
                }
            }
            for (int i = 0; i < waiting; i++) {
                pool.submit(0);
            }
            Waits.until(() -> all.stream().filter(w -> w.running == Worker.JOB
                    && w.thread.getState() == Thread.State.WAITING).count() == waiting, "jobs waiting");
            pool.close(); // the other workers exit: their targets' close runs, between jobs
            Waits.until(() -> closing.get() == workers - waiting, "targets closing");
            Waits.untilWaiting(drainer); // the reader, with every result read
            assertEquals(counts, pool.resultsMayCome(), "workers between jobs count for the reader");
            assertEquals(counts, pool.roomMayCome(), "and for the producer");
        } finally {
            closed.set(true);
            release.countDown();
            pool.close();
            Waits.join(drainer);
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }
}
