package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An unbuffered sender waits for its item to be taken (yielding, then parked); the receive that takes it must
 * wake it, whenever it lands in that wait.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receive released the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "the sender stayed blocked after its item was taken")
@State
public class JcsReceiveWakesHandOffSender {
    private final Channel<Integer> channel = new Channel<>("jcstress", 0);

    @Actor
    public void send() throws InterruptedException {
        channel.send(1);
    }

    @Signal
    public void receive() throws InterruptedException {
        channel.receive();
    }
}
