package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** A sender blocked on a full buffered channel (the lock-free ring) must wake up and fail when it is closed. */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "close released the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sender stayed blocked after close")
@State
public class JcsCloseWakesBlockedBufferedSender {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    public JcsCloseWakesBlockedBufferedSender() {
        channel.trySend(0); // full
    }

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
