package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/** A send racing a close: the item is either in the channel (and drained) or the send failed — never lost. */
@JCStressTest
@Outcome(id = "1, 7", expect = Expect.ACCEPTABLE, desc = "sent before the close; drained after it")
@Outcome(id = "-1, 0", expect = Expect.ACCEPTABLE, desc = "closed first; the send failed, nothing in the channel")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "a successful send was lost")
@Outcome(id = "-1, 7", expect = Expect.FORBIDDEN, desc = "a failed send's item appeared")
@State
public class JcsSendVersusClose {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    @Actor
    public void send(II_Result r) {
        try {
            r.r1 = channel.trySend(7) ? 1 : 0;
        } catch (ChannelClosedException e) {
            r.r1 = -1;
        }
    }

    @Actor
    public void close() {
        channel.close();
    }

    @Arbiter
    public void drain(II_Result r) {
        Integer item = channel.tryReceive();
        r.r2 = item == null ? 0 : item;
    }
}
