package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The learnt yield budget: how waits that park, or that yields end late or soon, change the next wait's yields. */
class BackoffTest {

    @Test
    void waitsThatParkYieldOnceLessEachTimeDownToOne() {
        Backoff.Budget budget = new Backoff.Budget();
        assertEquals(Tuning.YIELDS, budget.yields());
        for (int i = 0; i < Tuning.YIELDS + 5; i++) {
            int before = budget.yields();
            assertFalse(Backoff.spinUntil(() -> false, budget), "nothing ever comes: time to park");
            assertEquals(Math.max(1, before - 1), budget.yields());
        }
        assertEquals(1, budget.yields(), "a waiter always yields once, to notice when hand-offs flow again");
    }

    @Test
    void aWaitThatAYieldEndsSoonRestoresEveryYield() {
        Backoff.Budget budget = new Backoff.Budget();
        // the item comes at the check after the first yield (check SPINS + 2); a yield usually takes well under
        // 20 µs, but a loaded machine may deschedule us for longer: try again, a bounded number of times
        for (int attempt = 0; attempt < 1_000 && budget.yields() != Tuning.YIELDS; attempt++) {
            for (int i = 0; i < Tuning.YIELDS; i++) {
                budget.parked();
            }
            assertEquals(1, budget.yields());
            AtomicInteger checks = new AtomicInteger();
            assertTrue(Backoff.spinUntil(() -> checks.incrementAndGet() == Tuning.SPINS + 2, budget));
        }
        assertEquals(Tuning.YIELDS, budget.yields());
    }

    @Test
    void aWaitThatYieldsEndOnlyLateCountsAsAPark() {
        Backoff.Budget budget = new Backoff.Budget();
        AtomicInteger checks = new AtomicInteger();
        // the item comes at the check after the first yield, but 1 ms later: too late to be worth yielding for
        assertTrue(Backoff.spinUntil(() -> {
            if (checks.incrementAndGet() < Tuning.SPINS + 2) {
                return false;
            }
            long start = System.nanoTime();
            while (System.nanoTime() - start < 1_000_000) {
                Thread.onSpinWait();
            }
            return true;
        }, budget));
        assertEquals(Tuning.YIELDS - 1, budget.yields());
    }

    @Test
    void aVirtualThreadYieldsAtMostItsOwnBudget() throws Exception {
        java.lang.reflect.Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            return; // JDK 17-20: no virtual threads
        }
        Backoff.Budget budget = new Backoff.Budget();
        AtomicInteger seen = new AtomicInteger(-1);
        Object builder = ofVirtual.invoke(null);
        java.util.concurrent.ThreadFactory factory = (java.util.concurrent.ThreadFactory)
                Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        Thread probe = factory.newThread(() -> seen.set(budget.yields()));
        probe.start();
        probe.join();
        assertEquals(Math.min(Tuning.YIELDS, Tuning.VIRTUAL_YIELDS), seen.get());
        assertEquals(Tuning.YIELDS, budget.yields(), "a platform thread still yields the full budget");
    }
}
