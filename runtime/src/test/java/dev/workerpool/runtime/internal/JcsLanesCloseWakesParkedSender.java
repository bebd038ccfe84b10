package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A sender parked on full lanes must wake up and fail when the lanes are closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sender stayed parked after close")
@State
public class JcsLanesCloseWakesParkedSender {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    public JcsLanesCloseWakesParkedSender() {
        lanes.trySend(0, 0);
        lanes.trySend(1, 0); // full
    }

    @Actor
    public void send() throws InterruptedException {
        try {
            lanes.sendUntil(Lanes.ANY, 1, Timeouts.NONE);
        } catch (ChannelClosedException expected) {
            // the documented outcome
        }
    }

    @Signal
    public void close() {
        lanes.close();
    }
}
