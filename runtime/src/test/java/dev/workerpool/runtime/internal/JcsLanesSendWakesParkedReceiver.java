package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The lanes' park protocol (beside {@link Lanes}, in the runtime's internal package): a receiver that finds every lane
 * empty and parks must be woken by a send into another lane than its own, landing at any moment of its
 * registration and re-check.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the send woke the receiver")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the receiver stayed parked beside an item")
@State
public class JcsLanesSendWakesParkedReceiver {
    private final Lanes<Integer> lanes = new Lanes<>("jcstress", 2, 2, true);

    @Actor
    public void receive() throws InterruptedException {
        lanes.receiveUntil(1, Timeouts.NONE);
    }

    @Signal
    public void send() {
        lanes.trySend(0, 1);
    }
}
