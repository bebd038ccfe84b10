package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An ordered pool's window ({@link OrderedResults}): a worker whose result is a full window ahead of the reader,
 * which watches the reader's position without the lock before it parks, must be woken when the reader takes the
 * result ahead of it, at any moment of its watching, its re-check under the lock, or its park.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the receive made room and woke the sender")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the sender stayed parked beside room")
@State
public class JcsOrderedReceiveWakesParkedSender {
    private final OrderedResults<Integer> results = new OrderedResults<>(1);

    public JcsOrderedReceiveWakesParkedSender() {
        results.sendNow(0, 0, 0);
    }

    @Actor
    public void send() throws InterruptedException {
        results.send(0, 1, 1);
    }

    @Signal
    public void receive() throws InterruptedException {
        results.receive();
    }
}
