package dev.workerpool.runtime;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A taker parked on empty lanes must wake up and get null (closed and drained) when the lanes are closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the taker")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the taker stayed parked after close")
@State
public class LanesCloseWakesParkedTaker {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    @Actor
    public void take() throws InterruptedException {
        lanes.takeUntil(0, Timeouts.NONE);
    }

    @Signal
    public void close() {
        lanes.close();
    }
}
