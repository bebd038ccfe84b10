package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.spi.JobCodec;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bound on a job's failed deliveries and lost takes ({@link SubmitterState#MAX_FAILED_DELIVERIES}), on a state
 * with no cluster: the error that ends the job says how many of each there were; and a cancel's close.
 */
class SubmitterStateTest {

    /**
     * One lost take, then two failed deliveries: the third failure ends the job, and its error counts each kind as
     * it happened. Before, it said the result could not be delivered three times.
     */
    @Test
    void theErrorOfAJobEndedByMixedFailuresCountsEachKind() {
        InternalError readingFailed = new InternalError("no memory to read the job");
        InternalError fromWireFailed = new InternalError("fromWire failed");
        AtomicReference<Throwable> ended = new AtomicReference<>();
        SubmitterState<Long, String, String> state = withJob1Pending("Mixed", fromWireFailed, ended);

        state.lostTake(1, readingFailed);
        assertSame(fromWireFailed, assertThrows(InternalError.class, () -> state.deliver(1, "wire", null)));
        assertNull(ended.get(), "two failures: the job is still pending");
        state.deliver(1, "wire", null);

        RemoteJobException error = assertInstanceOf(RemoteJobException.class, ended.get());
        assertEquals("Mixed: the job's result could not be delivered on the submitting member twice, and the job"
                + " could not be read there by the worker that took it once: " + fromWireFailed, error.getMessage());
        assertSame(fromWireFailed, error.getCause());
        assertNull(state.pendingJob(1), "the job has its result");
    }

    /** Three lost takes: the job could not be read three times, and its result was never delivered. */
    @Test
    void theErrorOfAJobEndedByLostTakesCountsOnlyThose() {
        InternalError readingFailed = new InternalError("no memory to read the job");
        AtomicReference<Throwable> ended = new AtomicReference<>();
        SubmitterState<Long, String, String> state = withJob1Pending("Taken", null, ended);
        for (int i = 0; i < SubmitterState.MAX_FAILED_DELIVERIES; i++) {
            assertNull(ended.get(), "pending after " + i + " lost takes");
            state.lostTake(1, readingFailed);
        }
        RemoteJobException error = assertInstanceOf(RemoteJobException.class, ended.get());
        assertEquals("Taken: the job could not be read by the worker that took it, on the submitting member, 3 times: "
                + readingFailed, error.getMessage());
    }

    /**
     * One failed delivery, then two losses on another member (loss notices): the third failure ends the job, its
     * error counting each kind, caused by the last notice's error.
     */
    @Test
    void theErrorOfAJobEndedByLossesOnAnotherMemberCountsThem() {
        InternalError fromWireFailed = new InternalError("fromWire failed");
        RemoteJobException lost = new RemoteJobException("Elsewhere: member m could not send the job's result", "x",
                null);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        SubmitterState<Long, String, String> state = withJob1Pending("Elsewhere", fromWireFailed, ended);

        assertThrows(InternalError.class, () -> state.deliver(1, "wire", null));
        state.lostElsewhere(1, lost);
        assertNull(ended.get(), "two failures: the job is still pending");
        state.lostElsewhere(1, lost);

        RemoteJobException error = assertInstanceOf(RemoteJobException.class, ended.get());
        assertEquals("Elsewhere: the job was lost on another member that took it (its reading there, or its result's "
                + "sending, failed) twice, and its result could not be delivered on the submitting member once: "
                + lost, error.getMessage());
        assertSame(lost, error.getCause());
        assertNull(state.pendingJob(1), "the job has its result");
    }

    /**
     * A cancel that finds the submitter already marked cancelled by another returns with it closed to new jobs, even
     * while that other cancel is held between its mark and its close: a submit after any cancel has returned is
     * refused. Before, the second cancel returned with the submitter still open.
     */
    @Test
    void aCancelThatLosesTheRaceReturnsWithTheSubmitterClosed() throws Exception {
        SubmitterState<Long, String, String> state = withJob1Pending("Lost", null, new AtomicReference<>());
        CountDownLatch marked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        EngineHooks.afterCancelMarked = () -> {
            marked.countDown();
            try {
                TwoMemberCluster.awaitLatch(release, "the test to release the first cancel");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        Thread first = new Thread(state::cancel, "first-cancel");
        try {
            first.start();
            TwoMemberCluster.awaitLatch(marked, "the first cancel to mark the submitter cancelled");
            assertFalse(state.cancel(), "the second cancel is not the one that marked it");
            assertTrue(state.isClosed(), "closed to new jobs once the second cancel has returned");
            assertEquals("Lost is cancelled", assertThrows(PoolClosedException.class, state::throwIfClosed)
                    .getMessage());
        } finally {
            release.countDown();
            EngineHooks.reset();
            first.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertFalse(first.isAlive(), StartTest::threadDump);
        assertTrue(state.isCancelled());
    }

    /**
     * The state of submitter {@code pool} with job 1 submitted and pending: its codec's {@code fromWire} throws
     * {@code fromWire} if that is not null, and the error each job ends with goes to {@code ended}.
     */
    private static SubmitterState<Long, String, String> withJob1Pending(String pool, Error fromWire,
            AtomicReference<Throwable> ended) {
        SubmitterState<Long, String, String> state = new SubmitterState<>(pool, "s", codec(fromWire),
                (job, value, error) -> {
                    ended.set(error);
                    return "done";
                }, false, () -> { });
        state.startOffering(1, 1L);
        state.endOffering(1, true);
        return state;
    }

    /** A codec of {@code Long} jobs whose {@code fromWire} throws {@code fromWire} if it is not null. */
    private static JobCodec<Long, String> codec(Error fromWire) {
        return new ResultFactoryFailureTest.Delegating(PlacementTest.LONG_TO_STRING) {
            @Override
            public String fromWire(Long job, Object wire) {
                if (fromWire != null) {
                    throw fromWire;
                }
                return super.fromWire(job, wire);
            }
        };
    }
}
