package dev.workerpool.runtime.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code runAll}'s result queue: each result goes straight into its job's slot of the answer, so workers never
 * wait for a reader and there is nothing to receive. The engine's job is an index into the input; the result
 * factory that {@code runAll} gives the engine stores each result at its index ({@link #set}) as it builds it, on
 * the worker (or, for a timed-out job, the watchdog) that produced it, so sending it here has nothing left to do.
 * The completion latch publishes the slots to the caller, who reads them only after every worker has exited.
 *
 * @param <R> the result type
 */
final class RunAllResults<R> extends UnreadResults<R> {

    private final Object[] slots;

    RunAllResults(int size) {
        this.slots = new Object[size];
    }

    /** The result is in its slot already. */
    @Override
    public void send(int lane, long ticket, R result) {
        // stored by set()
    }

    /** The result is in its slot already. */
    @Override
    public void sendNow(int lane, long ticket, R result) {
        // stored by set()
    }




    @Override
    String whyUnread() {
        return "runAll collects its results itself";
    }

    /** Whether the job at {@code index} has its result. Call only after every worker has exited. */
    boolean has(int index) {
        return slots[index] != null;
    }

    /** Stores the result of the job at {@code index}: by its worker, or after every worker has exited. */
    void set(int index, R result) {
        slots[index] = result;
    }

    /** The results in input order. Call only after every worker has exited. */
    @SuppressWarnings("unchecked")
    List<R> answer() {
        return (List<R>) Collections.unmodifiableList(Arrays.asList(slots));
    }
}
