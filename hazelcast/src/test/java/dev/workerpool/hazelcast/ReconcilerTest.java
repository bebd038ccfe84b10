package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Reconciler#reconcileSoon}, on a maintenance stand-in that records what it is handed: no cluster. */
class ReconcilerTest {

    /**
     * A hand-off to the maintenance thread that throws (an {@link OutOfMemoryError} as its task is queued, say)
     * scheduled nothing: the call logs it rather than throw it (its callers call it as they handle a failure, and
     * what it threw would end the receiver or the worker), and the next call asks again. Before, the flag that
     * keeps one reconciliation waiting stayed set for good, and every later call (the receiver's stall check among
     * them) asked for none, so a lost job was never run again and the pool never ended; and then the error went on
     * to the caller.
     */
    @Test
    void aReconcileSoonWhoseHandOffThrewLeavesTheNextOneFreeToAsk() {
        InternalError full = new InternalError("no room for the task"); // JUnit rethrows an OutOfMemoryError
        List<Runnable> handed = new ArrayList<>();
        boolean[] failNext = {true};
        JobsQueueFollower.Maintenance maintenance = (task, delayMillis) -> {
            if (failNext[0]) {
                failNext[0] = false;
                throw full;
            }
            handed.add(task);
        };
        SubmitterState<Object, Object, Object> state = new SubmitterState<>("Reconciled", "s", null,
                (job, value, error) -> value, false, () -> { });
        Reconciler<Object> reconciler = new Reconciler<>(null, state, null, maintenance);

        assertDoesNotThrow(reconciler::reconcileSoon, "the hand-off's failure is logged");
        assertEquals(0, handed.size());
        reconciler.reconcileSoon();
        assertEquals(1, handed.size(), "the call after the failed hand-off asks for a reconciliation");
        reconciler.reconcileSoon();
        assertEquals(1, handed.size(), "one waiting to start is enough");
    }
}
