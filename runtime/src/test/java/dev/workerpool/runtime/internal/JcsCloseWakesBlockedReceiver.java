package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A receiver blocked on an empty channel must wake up and return when the channel is closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close woke the receiver")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the receiver stayed blocked after close")
@State
public class JcsCloseWakesBlockedReceiver {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    @Actor
    public void receive() throws InterruptedException {
        channel.receive();
    }

    @Signal
    public void close() {
        channel.close();
    }
}
