package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/** A receive racing a close: close never drops a queued item; the receiver gets it and the channel drains. */
@JCStressTest
@Outcome(id = "7, 1", expect = Expect.ACCEPTABLE, desc = "received the item; closed and drained afterwards")
@Outcome(id = "0, .*", expect = Expect.FORBIDDEN, desc = "close dropped a queued item")
@Outcome(id = "7, 0", expect = Expect.FORBIDDEN, desc = "closed and empty, but not drained")
@State
public class JcsReceiveVersusClose {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    public JcsReceiveVersusClose() {
        channel.trySend(7);
    }

    @Actor
    public void receive(II_Result r) {
        Integer item = channel.tryReceive();
        r.r1 = item == null ? 0 : item;
    }

    @Actor
    public void close() {
        channel.close();
    }

    @Arbiter
    public void drained(II_Result r) {
        r.r2 = channel.isDrained() ? 1 : 0;
    }
}
