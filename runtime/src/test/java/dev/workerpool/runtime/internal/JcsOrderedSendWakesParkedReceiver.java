package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * An ordered pool's reader ({@link OrderedResults}): a reader waiting for the next result, which watches its slot
 * without the lock before it parks, must be woken by the send of that result, landing at any moment of its
 * watching, its re-check under the lock, or its park.
 */
@JCStressTest(Mode.Termination)
@Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "the send woke the reader")
@Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "lost wake-up: the reader stayed parked beside its result")
@State
public class JcsOrderedSendWakesParkedReceiver {
    private final OrderedResults<Integer> results = new OrderedResults<>(2);

    @Actor
    public void receive() throws InterruptedException {
        results.receive();
    }

    @Signal
    public void send() throws InterruptedException {
        results.send(0, 0, 1);
    }
}
