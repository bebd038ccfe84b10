package dev.workerpool.runtime;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The lanes' park protocol (in the runtime's package: {@link Lanes} is internal): a taker that finds every lane
 * empty and parks must be woken by a put into another lane than its own, landing at any moment of its
 * registration and re-check.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the put woke the taker")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the taker stayed parked beside an item")
@State
public class LanesPutWakesParkedTaker {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    @Actor
    public void take() throws InterruptedException {
        lanes.takeUntil(1, Timeouts.NONE);
    }

    @Signal
    public void put() {
        lanes.tryPut(0, 1);
    }
}
