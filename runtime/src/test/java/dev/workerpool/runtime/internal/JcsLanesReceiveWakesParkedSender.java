package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * A sender that finds every lane full and parks must be woken by a receive from another lane than the one it
 * prefers, landing at any moment of its registration and re-check.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receive woke the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the sender stayed parked beside a free slot")
@State
public class JcsLanesReceiveWakesParkedSender {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    public JcsLanesReceiveWakesParkedSender() {
        lanes.trySend(0, 0);
        lanes.trySend(1, 0); // full
    }

    @Actor
    public void send() throws InterruptedException {
        lanes.sendUntil(0, 1, Timeouts.NONE);
    }

    @Signal
    public void receive() throws InterruptedException {
        lanes.receiveUntil(1, Timeouts.NONE);
    }
}
