package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.Rate;
import dev.workerpool.testing.Waits;
import dev.workerpool.testing.Windows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /**
     * Four threads take permits as fast as they can for a while; in every window, counted from the times the
     * permits were granted, there are no more than the burst less one, plus one per interval the window begins.
     */
    @Test
    void noWindowHasMoreGrantsThanTheBurstLessOnePlusOnePerInterval() throws Exception {
        // 25 ms apart, bursts of 5
        RateLimiter limiter = new RateLimiter(Rate.of(40, Duration.ofSeconds(1)).withBurst(5));
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                for (long granted; !stop.get() && (granted = limiter.acquireAt()) != RateLimiter.NO_PERMIT; ) {
                    starts.add(granted); // the time the schedule counted, read under the limiter's lock
                }
            });
            threads.add(t);
            t.start();
        }
        Waits.until(() -> starts.size() >= 60, "60 starts");
        stop.set(true);
        limiter.wakeAll();
        for (Thread t : threads) {
            Waits.join(t);
        }
        long interval = limiter.intervalNanos();
        for (long window : new long[] {interval, 4 * interval, 20 * interval, 40 * interval}) {
            int most = Windows.mostWithin(starts, window);
            long bound = 5 - 1 + window / interval; // burst - 1 + ceil(window / interval), exactly as documented
            assertTrue(most <= bound, most + " starts within " + window + " ns, bound " + bound);
        }
        assertTrue(starts.size() >= 60);
    }

    @Test
    void wakeAllReleasesAWaiterWithoutAPermit() throws Exception {
        RateLimiter limiter = new RateLimiter(Rate.of(1, Duration.ofHours(1)));
        assertTrue(limiter.acquire(), "the first permit is there at once");
        AtomicBoolean got = new AtomicBoolean(true);
        Thread waiter = new Thread(() -> got.set(limiter.acquire()));
        waiter.start();
        Waits.untilWaiting(waiter);
        limiter.wakeAll();
        Waits.join(waiter);
        assertFalse(got.get());
        assertFalse(limiter.acquire(), "no permit after wakeAll");
    }

    @Test
    void theIntervalIsRoundedUpSoTheRateIsNeverExceeded() {
        assertEquals(25_000_000, new RateLimiter(Rate.of(40, Duration.ofSeconds(1))).intervalNanos());
        assertEquals(333_333_334, new RateLimiter(Rate.of(3, Duration.ofSeconds(1))).intervalNanos());
    }
}
