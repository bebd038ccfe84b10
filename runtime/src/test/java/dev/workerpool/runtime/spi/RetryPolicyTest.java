package dev.workerpool.runtime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * RetryPolicy: what it accepts, which errors it retries, the waits it computes; and a pool of the in-process engine
 * that retries, checked here where a test can see the interleaving its generated pools do not offer.
 */
class RetryPolicyTest {

    private static final Duration MS = Duration.ofMillis(1);

    @Test
    void outOfRangeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(0, List.of(), null, 1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(101, List.of(), null, 1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(InterruptedException.class),
                null, 1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(CancellationException.class),
                null, 1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS.negated(), 1, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS, 0.5, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS, Double.NaN, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS,
                Double.POSITIVE_INFINITY, null, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS.multipliedBy(2), 1, MS, 0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS, 1, null, 1.5));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.of(2, List.of(), MS, 1, null, Double.NaN));
        List<Class<? extends Throwable>> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> RetryPolicy.of(2, withNull, null, 1, null, 0));
    }

    @Test
    void interruptsAndCancellationsAreNeverRetried() {
        RetryPolicy all = RetryPolicy.of(3, List.of(), null, 1, null, 0);
        assertTrue(all.retries(new IOException()));
        assertTrue(all.retries(new TimeoutException()));
        assertTrue(all.retries(new OutOfMemoryError()));
        assertFalse(all.retries(new InterruptedException()));
        assertFalse(all.retries(new CancellationException()));
        RetryPolicy throwables = RetryPolicy.of(3, List.of(Throwable.class), null, 1, null, 0);
        assertFalse(throwables.retries(new InterruptedException()), "whatever on lists");
        assertFalse(throwables.retries(new CancellationException()));
    }

    @Test
    void onMatchesInstancesOfItsTypes() {
        RetryPolicy io = RetryPolicy.of(3, List.of(IOException.class, UncheckedIOException.class), null, 1, null, 0);
        assertTrue(io.retries(new FileNotFoundException()), "a subclass");
        assertTrue(io.retries(new UncheckedIOException(new IOException())));
        assertFalse(io.retries(new IllegalStateException()));
        assertFalse(io.retries(new TimeoutException()));
        assertEquals(List.of(IOException.class, UncheckedIOException.class), io.on());
    }

    @Test
    void waitsGrowByTheMultiplierUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.of(10, List.of(), Duration.ofMillis(100), 2, Duration.ofMillis(500), 0);
        long[] expected = {100, 200, 400, 500, 500};
        for (int retry = 1; retry <= expected.length; retry++) {
            assertEquals(Duration.ofMillis(expected[retry - 1]).toNanos(), p.delayNanos(retry), "retry " + retry);
        }
        assertEquals(0, RetryPolicy.of(3, List.of(), null, 1, null, 0).delayNanos(2), "no backoff: no wait");
        RetryPolicy unbounded = RetryPolicy.of(100, List.of(), Duration.ofDays(1), 1e6, null, 0);
        assertEquals(Long.MAX_VALUE, unbounded.delayNanos(99), "no overflow: the longest wait there is");
    }

    @Test
    void jitterSpreadsEachWaitWithinItsBoundsAndTheMaximum() {
        RetryPolicy p = RetryPolicy.of(5, List.of(), Duration.ofMillis(100), 2, Duration.ofMillis(300), 0.5);
        long[] seen = new long[2000];
        for (int i = 0; i < seen.length; i++) {
            long first = p.delayNanos(1);
            assertTrue(first >= 50_000_000 && first <= 150_000_000, first + " ns");
            long capped = p.delayNanos(3); // min(300, 400) ms × [0.5, 1.5], at most 300 ms
            assertTrue(capped >= 150_000_000 && capped <= 300_000_000, capped + " ns");
            seen[i] = first;
        }
        long distinct = Arrays.stream(seen).distinct().count();
        assertTrue(distinct > seen.length / 2, "random: " + distinct + " distinct waits of " + seen.length);
    }

    @Test
    void optionsCarryThePolicy() {
        RetryPolicy p = RetryPolicy.of(3, List.of(IOException.class), MS, 2, null, 0.1);
        PoolOptions options = PoolOptions.DEFAULT.withRetry(p).withOrdered(true).withTimeout(Duration.ofSeconds(1));
        assertEquals(p, options.retry(), "kept by every other with...");
        assertEquals(RetryPolicy.of(3, List.of(IOException.class), MS, 2, null, 0.1), p);
        assertEquals(options, PoolOptions.DEFAULT.withRetry(p).withOrdered(true).withTimeout(Duration.ofSeconds(1)));
        assertNull(options.withRetry(null).retry());
        assertNull(PoolOptions.DEFAULT.retry());
        assertEquals("RetryPolicy[attempts=3, on=[java.io.IOException], backoff=PT0.001S, multiplier=2.0, "
                + "maxBackoff=none, jitter=0.1]", p.toString());
    }

    /** The engine: a job that throws the same instance every time does not suppress it into itself. */
    @Test
    void aJobThrowingOneInstanceEveryTimeFailsWithItOnce() throws Exception {
        IOException same = new IOException("same");
        List<Throwable> errors = PoolEngine.runAll("Same", PoolOptions.DEFAULT.withRetry(
                RetryPolicy.of(3, List.of(), null, 1, null, 0)), 1, 0, List.of(1), job -> {
                    throw same;
                }, (job, value, error) -> error);
        assertEquals(List.of(same), errors);
        assertEquals(0, same.getSuppressed().length);
    }
}
