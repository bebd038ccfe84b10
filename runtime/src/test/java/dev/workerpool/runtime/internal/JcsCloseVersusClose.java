package dev.workerpool.runtime.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** Two closes racing: harmless (unlike Go's panic), and exactly one of them is told it closed the channel. */
@JCStressTest
@Outcome(id = {"true, false", "false, true"}, expect = Expect.ACCEPTABLE, desc = "exactly one close won")
@Outcome(id = {"true, true", "false, false"}, expect = Expect.FORBIDDEN, desc = "not exactly one winner")
@State
public class JcsCloseVersusClose {
    private final Channel<Integer> channel = new Channel<>("jcstress", 1);

    @Actor
    public void first(ZZ_Result r) {
        r.r1 = channel.close();
    }

    @Actor
    public void second(ZZ_Result r) {
        r.r2 = channel.close();
    }
}
