package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Go worker-pool guide's "Edge Cases &amp; Pitfalls" and "Common Mistakes", as they apply to a generated
 * pool: each either cannot happen, fails loudly, or is detected with {@code await(Duration)} / a timed submit —
 * never a silent hang.
 * (Not applicable by construction: closing results from a worker, WaitGroup Add/Done mismatches, forgetting
 * the closer goroutine — the runtime owns the results channel and the worker count.)
 */
@ExtendWith(NoLeakedThreads.class)
class PitfallsTest {

    private static final Duration SHORT = Duration.ofMillis(50);


    /** "Forgot to close(jobs): pool hangs on wg.Wait()" — await(Duration) says so; close() ends it. */
    @Test
    void forgettingToCloseIsDetectedByATimedAwait() throws Exception {
        SquaresSquarePool pool = SquaresSquarePool.start(new Squares());
        pool.submit(3);
        assertFalse(pool.await(SHORT), "an unclosed pool never terminates");
        assertFalse(pool.isTerminated());
        pool.close();
        assertEquals(9, pool.results().iterator().next().value());
        assertTrue(pool.await(Waits.LIMIT));
    }

    /** "Closed jobs while a producer was still sending: panic" — a clear exception naming the pool instead. */
    @Test
    void submittingAfterCloseFailsWithTheReasonAndClosingTwiceIsHarmless() throws Exception {
        SquaresSquarePool pool = SquaresSquarePool.start(new Squares());
        pool.close();
        pool.close();
        PoolClosedException e = assertThrows(PoolClosedException.class, () -> pool.submit(1));
        assertEquals("SquaresSquarePool is closed; it accepts no more jobs", e.getMessage());
        pool.await();
    }

    /**
     * "Forgot to drain results: workers block; pool hangs" — await(Duration) detects it; reading the results
     * later releases everything, and nothing was lost.
     */
    @Test
    void undrainedResultsHoldTheWorkersBackUntilRead() throws Exception {
        SquaresSquarePool pool = SquaresSquarePool.start(new Squares(), 1, 1);
        for (int n = 1; n <= 4; n++) {
            pool.submit(n); // 1 queued + 1 held by the worker + 2 (workers + buffer) unread results
        }
        pool.close();
        assertFalse(pool.await(SHORT), "the worker waits for room in the result channel");
        int sum = 0;
        for (SquaresSquarePool.Result r : pool.results()) {
            sum += r.value();
        }
        assertEquals(1 + 4 + 9 + 16, sum);
        assertTrue(pool.await(Waits.LIMIT));
    }

    /**
     * Submitting many jobs from the thread that only afterwards reads results: the documented limit. Here the
     * limit is 4 (W=1, B=1): the fifth submit can never go through until someone reads, and a timed submit
     * reports that instead of hanging. Reading on another thread then lets it through.
     */
    @Test
    void submitThenReadFromOneThreadStallsAtADocumentedLimitThatATimedSubmitDetects() throws Exception {
        SquaresSquarePool pool = SquaresSquarePool.start(new Squares(), 1, 1);
        for (int n = 1; n <= 4; n++) {
            pool.submit(n);
        }
        assertFalse(pool.trySubmit(new SquaresSquarePool.Job(5), Duration.ofMillis(200)),
                "stalled: every slot is taken until results are read");
        AtomicInteger read = new AtomicInteger();
        Thread reader = new Thread(() -> pool.results().forEach(r -> read.incrementAndGet()), "reader");
        reader.start();
        assertTrue(pool.trySubmit(new SquaresSquarePool.Job(5), Waits.LIMIT), "a reader unblocks submit");
        pool.close();
        Waits.join(reader);
        assertEquals(5, read.get());
    }

    /** The structured form has no such limit: runAll from one thread with far more jobs than any buffer. */
    @Test
    void runAllHasNoSuchLimit() throws Exception {
        List<SquaresSquarePool.Job> jobs = new ArrayList<>();
        for (int n = 0; n < 5_000; n++) {
            jobs.add(new SquaresSquarePool.Job(n));
        }
        assertEquals(5_000, SquaresSquarePool.runAll(new Squares(), jobs, 1, 0).size());
    }

    /** "Pool of size 0: hangs forever" — rejected at compile time, and at run time with a clear message. */
    @Test
    void poolOfSizeZeroIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SquaresSquarePool.start(new Squares(), 0, 10));
        assertTrue(e.getMessage().contains("workers must be at least 1, was 0"));
    }

    /** "Producer panics: channel never closed; pool hangs" — try-with-resources closes the pool on the way out. */
    @Test
    void aProducerThatThrowsStillClosesThePoolWithTryWithResources() throws Exception {
        SquaresSquarePool escaped = null;
        try (SquaresSquarePool pool = SquaresSquarePool.start(new Squares())) {
            escaped = pool;
            pool.submit(2);
            throw new IllegalStateException("producer failed half-way");
        } catch (IllegalStateException expected) {
            // the pool was closed by try-with-resources
        }
        assertTrue(escaped.isClosed());
        assertEquals(4, escaped.results().iterator().next().value(), "the accepted job still ran");
        assertTrue(escaped.await(Waits.LIMIT));
    }

    /**
     * "Dropping results because the consumer exited: workers block; pool grinds to a halt" — cancel() stops the
     * pool even though nobody reads; the results stay readable and complete.
     */
    @Test
    void aConsumerThatStopsReadingCanCancelAndThePoolStillTerminates() throws Exception {
        SquaresSquarePool pool = SquaresSquarePool.start(new Squares(), 2, 2);
        Thread producer = new Thread(() -> {
            try {
                for (int n = 0; ; n++) {
                    pool.submit(n);
                }
            } catch (PoolClosedException expected) {
                // cancelled
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "endless-producer");
        producer.start();
        Iterator<SquaresSquarePool.Result> results = pool.results().iterator();
        results.next(); // the consumer reads one result, then walks away
        Waits.untilWaiting(producer);
        pool.cancel();
        Waits.join(producer);
        assertTrue(pool.await(Waits.LIMIT), "cancel terminates the pool although nobody reads");
        int rest = 0;
        while (results.hasNext()) {
            results.next();
            rest++;
        }
        assertTrue(rest > 0, "the unread results are still there");
    }
}
