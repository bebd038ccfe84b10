package dev.workerpool.runtime;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * A putter that finds every lane full and parks must be woken by a take from another lane than the one it
 * prefers, landing at any moment of its registration and re-check.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the take woke the putter")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the putter stayed parked beside a free slot")
@State
public class LanesTakeWakesParkedPutter {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    public LanesTakeWakesParkedPutter() {
        lanes.tryPut(0, 0);
        lanes.tryPut(1, 0); // full
    }

    @Actor
    public void put() throws InterruptedException {
        lanes.putUntil(0, 1, Timeouts.NONE);
    }

    @Signal
    public void take() throws InterruptedException {
        lanes.takeUntil(1, Timeouts.NONE);
    }
}
