package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stress in the style of Go's runtime/chan_test.go: many producers and consumers, exact accounting. Sizes
 * scale with {@code -Dworkerpool.stress.rounds} (the {@code stress} profile runs more rounds).
 */
class StressTest {

    static final int ROUNDS = Integer.getInteger("workerpool.stress.rounds", 2);

    /**
     * 4 producers x 4 consumers x 100,000 items each, closed at a random point while producers are still
     * sending: every item whose send returned normally is received exactly once, nothing that failed to send
     * is received (no phantoms), and every consumer reaches the end.
     */
    @ParameterizedTest(name = "capacity {0}, {1}")
    @CsvSource({"0, ring", "0, lock", "1, ring", "2, ring", "16, ring", "1024, ring",
            "1, lock", "16, lock", "1024, lock"})
    void mpmcWithCloseAtARandomPointIsExactlyOnce(int capacity, String implementation) throws Exception {
        int producers = 4;
        int consumers = 4;
        int perProducer = 100_000;
        Random random = new Random(capacity);
        for (int round = 0; round < ROUNDS; round++) {
            Channel<Long> c = new Channel<>("stress", capacity, implementation.equals("ring"));
            // A random point in the second half: late enough for heavy traffic, early enough to cut producers off.
            long closeAfter = producers * perProducer / 2 + random.nextInt(producers * perProducer / 2);
            long started = System.nanoTime();
            AtomicLong sentCount = new AtomicLong();
            boolean[][] sent = new boolean[producers][perProducer];
            boolean[][] received = new boolean[producers][perProducer];
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            CountDownLatch consumersDone = new CountDownLatch(consumers);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                threads.add(ChannelTest.start("producer-" + p, () -> {
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            c.send(((long) producer << 32) | i);
                            sent[producer][i] = true;
                            if (sentCount.incrementAndGet() == closeAfter) {
                                c.close();
                            }
                        }
                    } catch (ChannelClosedException expected) {
                        // closed while sending: this item was not accepted
                    }
                }));
            }
            for (int k = 0; k < consumers; k++) {
                threads.add(ChannelTest.start("consumer-" + k, () -> {
                    for (Long v = c.receive(); v != null; v = c.receive()) {
                        int producer = (int) (v >>> 32);
                        int index = (int) (long) v;
                        synchronized (received[producer]) {
                            if (received[producer][index]) {
                                errors.add("duplicate " + producer + ":" + index);
                            }
                            received[producer][index] = true;
                        }
                    }
                    consumersDone.countDown();
                }));
            }
            for (int i = 0; i < producers; i++) {
                Waits.join(threads.get(i));
            }
            c.close(); // if the random point was never reached
            Waits.await(consumersDone, "every consumer to reach the end");
            long lost = 0;
            long phantom = 0;
            for (int p = 0; p < producers; p++) {
                synchronized (received[p]) {
                    for (int i = 0; i < perProducer; i++) {
                        if (sent[p][i] && !received[p][i]) {
                            lost++;
                        }
                        if (!sent[p][i] && received[p][i]) {
                            phantom++;
                        }
                    }
                }
            }
            long accepted = 0;
            for (boolean[] row : sent) {
                for (boolean b : row) {
                    accepted += b ? 1 : 0;
                }
            }
            assertEquals(List.of(), List.copyOf(errors), "duplicates");
            assertEquals(0, lost, "lost items");
            assertEquals(0, phantom, "phantom items");
            System.out.printf("[stress] mpmc capacity=%d (%s) round=%d: %,d of %,d items accepted before close, all "
                    + "received once, 0 lost, 0 phantom, %d ms%n", capacity, implementation, round, accepted,
                    producers * perProducer, elapsedSince(started).toMillis());
        }
    }

    /**
     * 271,828 jobs through pools of 1, 2, 8 and 23 workers (buffer 16: one job queue) and of 2 and 8 workers with
     * 64 slots per worker (lanes): exact count and checksum, latch released, no thread left.
     */
    @ParameterizedTest(name = "{0} workers, buffer {1}")
    @CsvSource({"1, 16", "2, 16", "8, 16", "23, 16", "2, 128", "8, 512"})
    void poolRunsEveryJobExactlyOnce(int workers, int buffer) throws Exception {
        int jobs = 271_828;
        record Result(Integer job, Long value, Throwable error) {}
        for (int round = 0; round < ROUNDS; round++) {
            String name = "ExactlyOnce" + workers + "x" + round;
            long started = System.nanoTime();
            LocalEngine<Integer, Long, Result> pool =
                    LocalEngine.start(name, workers, buffer, n -> (long) n * 3, Result::new);
            Thread producer = ChannelTest.start("producer", () -> {
                try {
                    for (int n = 0; n < jobs; n++) {
                        pool.submit(n);
                    }
                } finally {
                    pool.close();
                }
            });
            long count = 0;
            long checksum = 0;
            long jobSum = 0;
            for (Result r : pool.results()) {
                assertTrue(r.error() == null);
                count++;
                checksum += r.value();
                jobSum += r.job();
            }
            Waits.join(producer);
            assertTrue(pool.await(Waits.LIMIT), "latch released");
            assertEquals(jobs, count);
            long expectedJobSum = (long) jobs * (jobs - 1) / 2;
            assertEquals(expectedJobSum, jobSum);
            assertEquals(3 * expectedJobSum, checksum);
            assertEquals(0, Waits.liveThreads(name + "-worker-"), "no worker thread alive");
            System.out.printf("[stress] pool %d x %d round=%d: %,d jobs, count and checksum exact, %d ms%n",
                    workers, buffer, round, jobs, elapsedSince(started).toMillis());
        }
    }

    static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
