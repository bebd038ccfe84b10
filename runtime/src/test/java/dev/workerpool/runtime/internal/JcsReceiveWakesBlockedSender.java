package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The lock-free ring's park protocol, sender side: a sender blocked on a full channel must be woken by a receive
 * that frees the slot at any moment of its registration and re-check.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receive woke the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the sender stayed blocked with room free")
@State
public class JcsReceiveWakesBlockedSender {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    public JcsReceiveWakesBlockedSender() {
        channel.trySend(0); // full
    }

    @Actor
    public void send() throws InterruptedException {
        channel.send(1);
    }

    @Signal
    public void receive() {
        channel.tryReceive();
    }
}
