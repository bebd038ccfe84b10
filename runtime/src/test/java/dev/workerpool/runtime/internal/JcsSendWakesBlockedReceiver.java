package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The lock-free ring's park protocol: a receiver that finds the channel empty and parks must be woken by a send
 * that lands at any moment of its registration and re-check (a lost wake-up would leave it blocked).
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the send woke the receiver")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN,
        desc = "lost wake-up: the receiver stayed blocked with an item waiting")
@State
public class JcsSendWakesBlockedReceiver {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    @Actor
    public void receive() throws InterruptedException {
        channel.receive();
    }

    @Signal
    public void send() {
        channel.trySend(1);
    }
}
