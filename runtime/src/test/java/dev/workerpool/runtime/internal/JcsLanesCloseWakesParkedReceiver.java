package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A receiver parked on empty lanes must wake up and get null (closed and drained) when the lanes are closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the receiver")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the receiver stayed parked after close")
@State
public class JcsLanesCloseWakesParkedReceiver {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    @Actor
    public void receive() throws InterruptedException {
        lanes.receiveUntil(0, Timeouts.NONE);
    }

    @Signal
    public void close() {
        lanes.close();
    }
}
