package dev.workerpool.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link WaitSet}: who is woken, when a waiter gives up, and that a wait allocates nothing. Threads are observed
 * through the set's size and their parked state, never through sleeps.
 */
class WaitSetTest {

    private final WaitSet set = new WaitSet();

    @Test
    void aWaiterWhoseConditionAlreadyHoldsDoesNotPark() throws InterruptedException {
        assertTrue(set.await(() -> true, Timeouts.NONE));
        assertEquals(0, set.size());
        assertFalse(set.hasWaiters());
    }

    @Test
    void signalWakesTheLongestWaitingThreadOnly() throws Exception {
        AtomicInteger permits = new AtomicInteger();
        List<String> woken = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "waiter-" + i;
            threads.add(ChannelTest.start(name, () -> {
                set.await(() -> takePermit(permits), Timeouts.NONE);
                woken.add(name);
            }));
            int joined = i + 1;
            Waits.until(() -> set.size() == joined, joined + " waiters in the set");
        }
        permits.incrementAndGet();
        set.signal();
        Waits.join(threads.get(0));
        assertEquals(List.of("waiter-0"), List.copyOf(woken));
        assertEquals(2, set.size(), "the other two still wait");

        permits.addAndGet(2);
        set.signalAll();
        Waits.join(threads.get(1));
        Waits.join(threads.get(2));
        assertEquals(0, set.size());
        assertEquals(0, permits.get());
    }

    /**
     * A signal marks its waiter woken before it unparks it, and the mark stays until that thread has run again and
     * its wait ends (or it joins a set again): others can tell a thread about to run from one that waits, though
     * its state reads as waiting until it runs. The woken waiter's second check of its condition blocks here, so
     * the mark is looked at while that thread is known not to have left its wait.
     */
    @Test
    void aSignalMarksItsWaiterWokenUntilTheWaitEnds() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<WaitSet.Waiter> mine =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = ChannelTest.start("waiter", () -> {
            mine.set(WaitSet.currentWaiter());
            set.await(() -> {
                if (checks.incrementAndGet() == 1) {
                    return false; // the check after joining: park
                }
                checking.countDown();
                try {
                    Waits.await(release, "the test to look at the mark");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return true;
            }, Timeouts.NONE);
        });
        Waits.until(() -> set.size() == 1 && waiter.getState() == Thread.State.WAITING, "the waiter to park");
        assertFalse(mine.get().woken, "a parked waiter nobody has signalled");
        set.signal();
        assertTrue(mine.get().woken, "marked as the signal dequeues it, before the thread runs");
        Waits.await(checking, "the woken waiter to check again");
        assertTrue(mine.get().woken, "still marked while its wait has not ended");
        release.countDown();
        Waits.join(waiter);
        assertFalse(mine.get().woken, "cleared as its wait ends");
        assertEquals(2, checks.get());
    }

    /** A woken thread that finds its condition false again (another thread got there first) waits on, in the set. */
    @Test
    void aSignalledWaiterThatLostTheRaceJoinsAgain() throws Exception {
        AtomicInteger permits = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread waiter = ChannelTest.start("waiter", () -> {
            set.await(() -> takePermit(permits), Timeouts.NONE);
            done.set(true);
        });
        Waits.until(() -> set.size() == 1, "the waiter to join");
        set.signal(); // no permit: the woken waiter must join again rather than return
        Waits.until(() -> set.size() == 1 && waiter.getState() == Thread.State.WAITING, "the waiter to wait again");
        assertFalse(done.get());
        permits.incrementAndGet();
        set.signal();
        Waits.join(waiter);
        assertTrue(done.get());
    }

    @Test
    void aDeadlineEndsTheWaitAndLeavesTheSet() throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000L;
        assertFalse(set.await(() -> false, deadline));
        assertTrue(System.nanoTime() - deadline >= 0, "returned no earlier than the deadline");
        assertEquals(0, set.size());
        assertFalse(set.await(() -> false, System.nanoTime() - 1), "a past deadline returns at once");
    }

    @Test
    void anInterruptEndsTheWaitClearsTheStatusAndLeavesTheSet() throws Exception {
        AtomicBoolean cleared = new AtomicBoolean();
        CountDownLatch thrown = new CountDownLatch(1);
        Thread waiter = ChannelTest.start("waiter", () -> {
            assertThrows(InterruptedException.class, () -> set.await(() -> false, Timeouts.NONE));
            cleared.set(!Thread.currentThread().isInterrupted());
            thrown.countDown();
        });
        Waits.until(() -> set.size() == 1 && waiter.getState() == Thread.State.WAITING, "the waiter to park");
        waiter.interrupt();
        Waits.await(thrown, "the interrupted wait to throw");
        Waits.join(waiter);
        assertTrue(cleared.get(), "interrupt status cleared");
        assertEquals(0, set.size());
    }

    /**
     * A waiter that gives up (here: interrupted) just after a signal chose it must pass the signal on: otherwise
     * the next waiter stays parked while what it waits for is there, and nothing may ever signal again (two
     * producers on a one-slot queue, one of them giving up, and the queue drained: a hang). Each trial parks T,
     * then U, in the set; interrupts T and, after a varying delay, grants one permit and signals once. Whichever
     * way the race goes, the permit must be taken: by T (the signal reached it before it gave up) or by U.
     * Against the version without the hand-on, this test hung in U within the first few hundred trials.
     */
    @Test
    void aWaiterThatGivesUpAfterASignalPassesItOn() throws Exception {
        int trials = 1_000;
        int passedOn = 0;
        java.util.Random random = new java.util.Random(42);
        for (int trial = 0; trial < trials; trial++) {
            AtomicInteger permits = new AtomicInteger();
            AtomicBoolean tTook = new AtomicBoolean();
            AtomicBoolean tInterrupted = new AtomicBoolean();
            Thread t = ChannelTest.start("T-" + trial, () -> {
                try {
                    tTook.set(set.await(() -> takePermit(permits), Timeouts.NONE));
                } catch (InterruptedException e) {
                    tInterrupted.set(true);
                }
            });
            Waits.until(() -> set.size() == 1 && t.getState() == Thread.State.WAITING, "T to park");
            AtomicBoolean uTook = new AtomicBoolean();
            Thread u = ChannelTest.start("U-" + trial,
                    () -> uTook.set(set.await(() -> takePermit(permits), Timeouts.NONE)));
            Waits.until(() -> set.size() == 2 && u.getState() == Thread.State.WAITING, "U to park behind T");

            t.interrupt();
            long spinUntil = System.nanoTime() + random.nextInt(60_000); // 0-60 µs: T wakes, checks, gives up
            while (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
            }
            permits.incrementAndGet();
            set.signal();
            Waits.join(t);
            if (tTook.get()) {
                permits.incrementAndGet(); // release U, which nobody had reason to wake
                set.signal();
            } else if (tInterrupted.get() && u.getState() != Thread.State.TERMINATED) {
                passedOn++; // the permit is U's: U must get it without a further signal
            }
            Waits.join(u);
            assertTrue(uTook.get(), "trial " + trial + ": U returned without the permit");
            assertEquals(0, permits.get(), "trial " + trial + ": the permit was not taken");
            assertEquals(0, set.size());
        }
        assertTrue(passedOn > 0, "no trial had T give up with U still waiting (the race was never run)");
    }

    /**
     * Two threads take turns 20,000 times, each parking in a set until it is its turn: after a warm-up, neither
     * thread allocates per wait (the waiter is one per thread, made on its first wait).
     */
    @Test
    void waitingAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        WaitSet[] sets = {new WaitSet(), new WaitSet()};
        AtomicLong turn = new AtomicLong();
        int rounds = 20_000;
        int warmUp = 5_000;
        long[] allocated = new long[2];
        long[] waits = new long[2];
        CountDownLatch done = new CountDownLatch(2);
        for (int p = 0; p < 2; p++) {
            int player = p;
            ChannelTest.start("player-" + p, () -> {
                long id = Thread.currentThread().getId();
                long before = 0;
                java.util.function.BooleanSupplier myTurn = () -> turn.get() % 2 == player;
                for (int i = 0; i < rounds; i++) {
                    if (i == warmUp) {
                        before = threads.getThreadAllocatedBytes(id);
                    }
                    if (!myTurn.getAsBoolean()) {
                        waits[player]++;
                        sets[player].await(myTurn, Timeouts.NONE);
                    }
                    turn.incrementAndGet();
                    sets[1 - player].signal();
                }
                allocated[player] = threads.getThreadAllocatedBytes(id) - before;
                done.countDown();
            });
        }
        Waits.await(done, "both players to finish");
        assertTrue(waits[0] + waits[1] > rounds, "the players waited: " + waits[0] + " + " + waits[1]);
        // Zero per wait; a few hundred bytes of slack for a one-off (a deoptimization, a class initialization).
        assertTrue(allocated[0] < 1_024 && allocated[1] < 1_024,
                "bytes allocated over " + (rounds - warmUp) + " turns: " + allocated[0] + " and " + allocated[1]);
    }

    private static boolean takePermit(AtomicInteger permits) {
        for (int p = permits.get(); p > 0; p = permits.get()) {
            if (permits.compareAndSet(p, p - 1)) {
                return true;
            }
        }
        return false;
    }
}
