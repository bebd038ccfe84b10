package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** An unbuffered sender waiting for a receiver must wake up and fail when the channel is closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sender stayed blocked after close")
@State
public class JcsCloseWakesBlockedSender {
    private final Channel<Integer> channel = new Channel<>("jcstress", 0);

    @Actor
    public void send() throws InterruptedException {
        try {
            channel.send(1);
        } catch (ChannelClosedException expected) {
            // the documented outcome
        }
    }

    @Signal
    public void close() {
        channel.close();
    }
}
