package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code results()}'s iterator keeps {@link Iterator}'s contract however a caller mixes {@code hasNext()} and
 * {@code next()}: {@code next()} alone waits for a result, {@code hasNext()} twice takes one result, and
 * {@code next()} after the last result throws {@link NoSuchElementException} naming the pool.
 */
class ResultIteratorTest {

    record R(Object job, Object value, Throwable error) {}

    @Test
    void nextWithoutHasNextWaitsHasNextTwiceTakesOneAndTheEndThrows() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalEngine<Integer, Object, R> pool = LocalEngine.start("ResultIterator", 1, 3, job -> {
            if (job == 1) {
                release.await(); // the first result comes only once the reader waits in next()
            }
            return job * 10;
        }, R::new);
        try {
            pool.submit(1);
            pool.submit(2);
            pool.submit(3);
            pool.close();
            Iterator<R> results = pool.results().iterator();
            List<Object> values = new ArrayList<>();
            Thread reader = Thread.currentThread();
            Thread releaser = new Thread(() -> {
                Waits.untilWaiting(reader); // the reader waits inside next(), not in hasNext()
                release.countDown();
            }, "releaser");
            releaser.start();
            values.add(results.next().value());
            Waits.join(releaser);
            assertTrue(results.hasNext());
            assertTrue(results.hasNext(), "a second hasNext() takes nothing");
            values.add(results.next().value());
            values.add(results.next().value());
            assertEquals(List.of(10, 20, 30), values, "one worker: in submission order, none lost or repeated");
            assertFalse(results.hasNext());
            NoSuchElementException end = assertThrows(NoSuchElementException.class, results::next);
            assertEquals("ResultIterator: every result has been read", end.getMessage());
            assertFalse(results.hasNext(), "still at the end");
        } finally {
            release.countDown();
            pool.close();
            assertTrue(pool.await(Waits.LIMIT), Waits.threadDump());
        }
    }
}
