package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompletionLatchTest {

    @Test
    void exactlyOneArrivalIsTheLastEvenUnderRaces() throws Exception {
        for (int round = 0; round < 200; round++) {
            int parties = 8;
            CompletionLatch latch = new CompletionLatch(parties);
            AtomicInteger lasts = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                threads.add(ChannelTest.start("arriver-" + i, () -> {
                    go.await();
                    if (latch.arrive()) {
                        lasts.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                Waits.join(t);
            }
            assertEquals(1, lasts.get());
            assertTrue(latch.isDone());
        }
    }

    @Test
    void arrivingTooOftenIsABug() {
        CompletionLatch latch = new CompletionLatch(1);
        assertTrue(latch.arrive());
        assertThrows(IllegalStateException.class, latch::arrive);
        assertThrows(IllegalArgumentException.class, () -> new CompletionLatch(-1));
    }

    @Test
    void awaitReturnsOnlyAfterEveryArrival() throws Exception {
        CompletionLatch latch = new CompletionLatch(2);
        assertFalse(latch.await(Duration.ofMillis(10)));
        CountDownLatch returned = new CountDownLatch(1);
        Thread waiter = ChannelTest.start("waiter", () -> {
            latch.await();
            returned.countDown();
        });
        assertFalse(latch.arrive());
        Waits.untilWaiting(waiter);
        assertEquals(1, returned.getCount());
        assertEquals(1, latch.remaining());
        assertTrue(latch.arrive());
        Waits.await(returned, "await to return");
        assertTrue(latch.await(Duration.ZERO));
        latch.await();
    }

    @Test
    void zeroPartiesIsAlreadyDone() throws InterruptedException {
        CompletionLatch latch = new CompletionLatch(0);
        assertTrue(latch.isDone());
        latch.await();
    }

    @Test
    void interruptedAwaitThrows() throws Exception {
        CompletionLatch latch = new CompletionLatch(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, latch::await);
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> latch.await(Duration.ofSeconds(5)));
        assertFalse(Thread.interrupted());
    }
}
