package dev.workerpool.runtime.internal;

import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * An unbuffered send whose time runs out, racing a receiver: the sender takes its item back with the same
 * compare-and-set a receiver takes it with, so the item is received exactly when the send reports success, and
 * a taken-back item is neither received nor left in the channel nor counted as sent.
 */
@JCStressTest
@Outcome(id = "1, 7, 0", expect = Expect.ACCEPTABLE, desc = "taken by the receiver; the send succeeded")
@Outcome(id = "0, 0, 0", expect = Expect.ACCEPTABLE, desc = "timed out first; taken back, nothing received")
@Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "a successful send was not received")
@Outcome(id = "0, 7, .*", expect = Expect.FORBIDDEN, desc = "a failed send's item was received")
@Outcome(id = ".*, .*, [^0]", expect = Expect.FORBIDDEN, desc = "an item was left in the channel")
@State
public class JcsHandOffTimeoutVersusReceive {
    private final Channel<Integer> channel = new Channel<>("jcstress", 0);

    @Actor
    public void send(III_Result r) {
        try {
            r.r1 = channel.trySend(7, Duration.ofNanos(1)) ? 1 : 0;
        } catch (InterruptedException e) {
            r.r1 = -1; // nobody interrupts this thread
        }
    }

    @Actor
    public void receive(III_Result r) {
        Integer item = channel.tryReceive();
        r.r2 = item == null ? 0 : item;
    }

    @Arbiter
    public void left(III_Result r) {
        r.r3 = channel.size();
    }
}
