package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An unbuffered send racing a receiver that spins, stops counting itself as spinning, and parks: the send skips
 * waking parked receivers while one is counted as spinning, so this is the race where a skipped wake-up would be
 * lost. The receiver must get the item, whichever way the race goes.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receiver got the item")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the receiver stayed parked with an item in the slot")
@State
public class JcsHandOffWakesParkedReceiver {
    private final Channel<Integer> channel = new Channel<>("jcstress", 0);

    @Actor
    public void receive() throws InterruptedException {
        channel.receive();
    }

    @Signal
    public void send() throws InterruptedException {
        channel.send(1);
    }
}
