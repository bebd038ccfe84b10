package dev.workerpool.runtime;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A putter parked on full lanes must wake up and fail when the lanes are closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the putter")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the putter stayed parked after close")
@State
public class LanesCloseWakesParkedPutter {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    public LanesCloseWakesParkedPutter() {
        lanes.tryPut(0, 0);
        lanes.tryPut(1, 0); // full
    }

    @Actor
    public void put() throws InterruptedException {
        try {
            lanes.putUntil(Lanes.ANY, 1, Timeouts.NONE);
        } catch (ChannelClosedException expected) {
            // the documented outcome
        }
    }

    @Signal
    public void close() {
        lanes.close();
    }
}
