package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import dev.workerpool.hazelcast.Wire.ResultItem;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch of results sent one by one ({@link ResultSender}: its {@code addAll} threw an {@link Error}) in which an
 * item cannot be sent: a loss notice whose own {@code add} throws an {@link Error} too, or a result that cannot be
 * written whose error, sent in its place, cannot be either. The batch's other items are still sent, in the same
 * send. No cluster: the results queue is a stand-in whose {@code addAll} always throws, and whose {@code add} throws
 * for the items the test says (as one whose writing runs out of memory, or fails to serialize, does). The batch is
 * made by holding the send lock ({@link ResultSender#tryForget}, held by its hook) while another thread leaves its
 * items in the outbox, which the holder then sends together. An item's {@code add} that throws another
 * {@link RuntimeException} (this member stopping) ends the sending, and what was kept is not lost with it. What the
 * sender logs at {@link Level#WARNING} or above is recorded, and apart from it what it logs, at any level, of the
 * {@code addAll}'s failure.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ResultSenderTest {
    private static final String OTHER = "other-submitter";
    private static final Logger LOG = Logger.getLogger(HazelcastEngine.class.getName());

    /**
     * What the sender logged at {@link Level#WARNING} or above, in turn, but for the failures of the stand-in's
     * {@code addAll} ({@link #batchLogs}).
     */
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    /** What the sender logged, at any level, of a failure of the stand-in's {@code addAll}, in turn. */
    private final List<LogRecord> batchLogs = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() instanceof BatchUnwritable || record.getThrown() instanceof BatchUnserializable) {
                batchLogs.add(record);
            } else if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private Level previousLevel;

    @BeforeEach
    void listen() {
        previousLevel = LOG.getLevel();
        LOG.setLevel(Level.FINE);
        LOG.addHandler(handler);
    }

    @AfterEach
    void resetHooks() {
        LOG.removeHandler(handler);
        LOG.setLevel(previousLevel);
        EngineHooks.reset();
    }

    /**
     * The batch: loss notices of jobs 1 and 3 (lost as this member's workers took them), whose sending throws, and
     * the results of jobs 2 and 4. Both results reach the queue in that send, and the first notice's error goes to
     * the sending thread's uncaught-exception handler, the second's suppressed in it. Before the fix the first
     * notice's error ended the one-by-one sending: no result was sent (their jobs would have run again at the
     * submitter's next reconciliation).
     */
    @Test
    void aLossNoticeThatCannotBeSentLeavesTheRestOfItsBatchSent() throws Exception {
        Results queue = new Results(seq -> seq == 1 || seq == 3);
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 1, new Object[0]), new InternalError("job 1 unreadable"));
            sender.send(result(2));
            sender.sendLostTake(new Wire.JobItem(OTHER, 3, new Object[0]), new InternalError("job 3 unreadable"));
            sender.send(result(4));
        });
        assertEquals(List.of(4), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("2=two", "4=two"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        InternalError first = assertInstanceOf(InternalError.class, reported.get(0));
        assertEquals("loss notice of job 1 cannot be written", first.getMessage());
        assertEquals(1, first.getSuppressed().length, "the second notice's error, suppressed");
        assertEquals("loss notice of job 3 cannot be written", first.getSuppressed()[0].getMessage());
    }

    /**
     * The results of jobs 1 and 2 cannot be written (lost: a loss notice of each is sent once the batch is), and
     * the notice of job 1 cannot be sent either: the notice of job 2 still is, and the result of job 3 too. Before
     * the fix the notice of job 1 ended the sending of the notices: job 2's was never sent.
     */
    @Test
    void aLossNoticeThatCannotBeSentLeavesTheOtherNoticesSent() throws Exception {
        Results queue = new Results(seq -> seq == 1);
        queue.unwritableResults = seq -> seq == 1 || seq == 2;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(3, 2), queue.addAlls, "the batch, then the notices, each in one addAll");
        assertEquals(List.of("3=two", "2=lost"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("loss notice of job 1 cannot be written", reported.get(0).getMessage());
    }

    /**
     * The result of job 2 cannot be written (a serialization failure), and the error sent in its place cannot be
     * either (an {@link Error}): job 2 is lost, and its loss notice sent once the batch is; the results of jobs 1 and
     * 3 are sent in that send, and nothing is reported. Before the fix the error's {@link Error} ended the one-by-one
     * sending: the result of job 3 and the notice were not sent, and the {@link Error} was reported.
     */
    @Test
    void aResultWhoseErrorCannotBeSentInItsPlaceIsLostAndLeavesTheRestOfItsBatchSent() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 2;
        queue.unwritableErrors = seq -> seq == 2;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(3, 1), queue.addAlls, "the batch, then the notice, each in one addAll");
        assertEquals(List.of("1=two", "3=two", "2=lost"), queue.added());
        assertEquals(List.of(), reported);
    }

    /**
     * As above, but the error sent in place of job 2's result fails to be written with a serialization failure (a
     * {@link RuntimeException}): it is not sent, and no notice either (job 2 is left to the submitter's next
     * reconciliation); the results of jobs 1 and 3 are sent in that send. Before the fix the failure ended the
     * one-by-one sending: the result of job 3 was not sent.
     */
    @Test
    void aResultWhoseErrorFailsToBeSentInItsPlaceLeavesTheRestOfItsBatchSent() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 2;
        queue.unserializableErrors = seq -> seq == 2;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(3), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("1=two", "3=two"), queue.added());
        assertEquals(List.of(), reported, "a RuntimeException is logged, not reported");
    }

    /**
     * The loss notice of job 1 cannot be sent (an {@link Error}, kept to be thrown once the batch is sent), then the
     * {@code add} of job 3's result throws as this member stops: the sending ends there (job 4's result is not tried),
     * and the notice's {@link Error} still goes to the sending thread's uncaught-exception handler, what job 3's
     * {@code add} threw suppressed in it. Before the fix the member's stopping was thrown alone, and dropped as such
     * (the member stops): the notice's {@link Error} was neither reported nor logged.
     */
    @Test
    void aKeptErrorIsReportedWhenTheMemberStopsLaterInItsBatch() throws Exception {
        Results queue = new Results(seq -> seq == 1);
        queue.stoppingResults = seq -> seq == 3;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 1, new Object[0]), new InternalError("job 1 unreadable"));
            sender.send(result(2));
            sender.send(result(3));
            sender.send(result(4));
        });
        assertEquals(List.of(4), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("2=two"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        InternalError kept = assertInstanceOf(InternalError.class, reported.get(0));
        assertEquals("loss notice of job 1 cannot be written", kept.getMessage());
        assertEquals(1, kept.getSuppressed().length, "the member's stopping, suppressed");
        assertInstanceOf(HazelcastInstanceNotActiveException.class, kept.getSuppressed()[0]);
    }

    /**
     * The error sent in place of job 1's result, which cannot be written, fails to be written too (kept, to be
     * thrown once the batch is sent), then the {@code add} of job 2's result throws as this member stops: the
     * sending ends there, and the kept failure is logged, the member's stopping suppressed in it. Before the fix the
     * member's stopping was thrown alone, and dropped: the kept failure was not logged.
     */
    @Test
    void aKeptFailureIsLoggedWhenTheMemberStopsLaterInItsBatch() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 1;
        queue.unserializableErrors = seq -> seq == 1;
        queue.stoppingResults = seq -> seq == 2;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(), queue.added());
        assertEquals(List.of(), reported);
        assertEquals(2, warnings.size(), "why job 1's error is sent in its place, then the kept failure: " + warnings);
        assertEquals("result of job 1 cannot be serialized", warnings.get(0).getThrown().getMessage());
        Throwable kept = warnings.get(1).getThrown();
        assertInstanceOf(HazelcastSerializationException.class, kept);
        assertEquals("error of job 1 cannot be serialized", kept.getMessage());
        assertEquals(1, kept.getSuppressed().length, "the member's stopping, suppressed");
        assertInstanceOf(HazelcastInstanceNotActiveException.class, kept.getSuppressed()[0]);
    }

    /**
     * The loss notice of job 1 cannot be written (a serialization failure): it is not sent, nor anything in its
     * place; the result of job 2 is still sent, and the notice's failure is logged once the batch is sent (job 1 is
     * left to the submitter's next reconciliation, which finds it nowhere and runs it again). Before the fix an
     * error was sent in the notice's place, as the job's result: the submitter failed the job ("the job's error
     * could not be sent") instead of running it again.
     */
    @Test
    void aLossNoticeThatCannotBeWrittenIsNotSentAsTheJobsError() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableNotices = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 1, new Object[0]), new InternalError("job 1 unreadable"));
            sender.send(result(2));
        });
        assertEquals(List.of(2), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("2=two"), queue.added());
        assertEquals(List.of(), reported, "a RuntimeException is logged, not reported");
        assertEquals(1, warnings.size(), warnings.toString());
        Throwable kept = warnings.get(0).getThrown();
        assertInstanceOf(HazelcastSerializationException.class, kept);
        assertEquals("loss notice of job 1 cannot be serialized", kept.getMessage());
    }

    /**
     * The result of job 1 cannot be written (a serialization failure), and the {@code add} of the error sent in its
     * place throws as this member stops: the sending ends there, the results of jobs 2 and 3 not tried (the member's
     * stopping is dropped, as its survivors run its jobs again). Before the fix the sending went on item by item
     * under the send lock, a queue-wide failure tried again for each (one that times out would hold the lock for
     * each item's timeout).
     */
    @Test
    void theMemberStoppingAsAnErrorIsSentInAResultsPlaceEndsTheSending() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 1;
        queue.stoppingErrors = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(3), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of(), queue.added(), "nothing tried after the member's stopping");
        assertEquals(List.of(), reported);
        assertEquals(1, warnings.size(), "why job 1's error is sent in its place, alone: " + warnings);
        assertEquals("result of job 1 cannot be serialized", warnings.get(0).getThrown().getMessage());
    }

    /**
     * The result of job 1 is the job's error, which cannot be written (a serialization failure), and whose
     * {@code getMessage} throws (a job's own exception may): the error sent in its place names it without its
     * message, and is sent; the result of job 2 is sent too, and nothing is logged but the serialization failure
     * behind the error in job 1's result's place. Before the fix what
     * {@code getMessage} threw, as the error in the result's place was made, was taken for a failure of the queue's:
     * the sending ended there, neither job's result sent, and what it threw logged.
     */
    @Test
    void anErrorWhoseMessageThrowsIsStillSentInItsResultsPlace() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableJobErrors = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(new ResultSender.Outcome(OTHER, new ResultItem(1, null, new MessageThrows()), OTHER + "/1"));
            sender.send(result(2));
        });
        assertEquals(List.of(2), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("1=error", "2=two"), queue.added());
        assertEquals(List.of(), reported);
        assertEquals(1, warnings.size(), "why job 1's error is sent in its place, alone: " + warnings);
        assertEquals("job 1's own error cannot be serialized", warnings.get(0).getThrown().getMessage());
        RemoteJobException sent = assertInstanceOf(RemoteJobException.class, queue.errorsAdded.get(0));
        assertTrue(sent.getMessage().contains(MessageThrows.class.getName()), sent.getMessage());
    }

    /**
     * The {@code add} of job 1's result throws an {@link Error} whose {@code getMessage} throws (one a value's own
     * writing may throw): job 1 is lost, and its loss notice, which names the {@link Error}'s type, is sent once the
     * batch is; the result of job 2 is sent in that send, and nothing is logged. Before the fix what
     * {@code getMessage} threw, as the notice was made, escaped the one-by-one sending: job 2's result was not
     * sent, no notice either, and what it threw was logged.
     */
    @Test
    void anErrorWhoseMessageThrowsAsAResultIsWrittenStillHasItsLossNoticeSent() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unwritableResultsWithoutMessage = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
        });
        assertEquals(List.of(2, 1), queue.addAlls, "the batch, then the notice, each in one addAll");
        assertEquals(List.of("2=two", "1=lost"), queue.added());
        assertEquals(List.of(), reported);
        assertEquals(List.of(), warnings);
        RemoteJobException notice = assertInstanceOf(RemoteJobException.class, queue.errorsAdded.get(0));
        assertTrue(notice.getMessage().contains(ErrorMessageThrows.class.getName()), notice.getMessage());
    }

    /** An {@link Error} whose {@code getMessage} throws. */
    private static final class ErrorMessageThrows extends Error {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message");
        }
    }

    /**
     * The result of job 1 cannot be written and neither can the error sent in its place (a serialization failure,
     * logged once the batch is sent), and the log's handler throws; the result of job 2 is lost (its writing throws
     * an {@link Error}): its loss notice is still sent, and the sending thread does not throw. Before the fix what
     * the log threw escaped the sending of the batch: the notice was not sent, and the sending thread threw it.
     */
    @Test
    void aLogThatThrowsLeavesTheLossNoticesOfItsBatchSent() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 1;
        queue.unserializableErrors = seq -> seq == 1;
        queue.unwritableResults = seq -> seq == 2;
        Handler throwing = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    throw new IllegalStateException("the log fails");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LOG.addHandler(throwing);
        List<Throwable> reported;
        try {
            reported = sendBatch(queue, sender -> {
                sender.send(result(1));
                sender.send(result(2));
            });
        } finally {
            LOG.removeHandler(throwing);
        }
        assertEquals(List.of(2, 1), queue.addAlls, "the batch, then the notice, each in one addAll");
        assertEquals(List.of("2=lost"), queue.added());
        assertEquals(List.of(), reported);
    }

    /**
     * The batch's {@code addAll} fails, and the one-by-one sending then gets both results through: the failure is
     * logged once, and nothing is reported. An {@link Error} is logged as a warning (nothing else tells of it on this
     * member); a serialization failure at a fine level (the result that cannot be written, when the one-by-one
     * sending meets it, is logged as a warning itself). Before the fix neither was logged at all.
     */
    @ParameterizedTest(name = "unserializable batch: {0}")
    @ValueSource(booleans = {false, true})
    void aFailedAddAllIsLoggedOnce(boolean unserializable) throws Exception {
        Results queue = new Results(seq -> false);
        queue.batchUnserializable = unserializable;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
        });
        assertEquals(List.of(2), queue.addAlls, "the batch, in one addAll");
        assertEquals(List.of("1=two", "2=two"), queue.added());
        assertEquals(List.of(), reported);
        assertEquals(List.of(), warnings);
        assertEquals(1, batchLogs.size(), batchLogs.toString());
        assertEquals(unserializable ? Level.FINE : Level.WARNING, batchLogs.get(0).getLevel());
        Class<? extends Throwable> expected = unserializable ? BatchUnserializable.class : BatchUnwritable.class;
        assertInstanceOf(expected, batchLogs.get(0).getThrown());
    }

    /**
     * The result of job 1 cannot be written (a serialization failure): its error is sent in its place, and the
     * failure that stands behind it (which that error names only by the value's type) is logged as a warning. Before
     * the fix it was not logged at all.
     */
    @Test
    void aResultSentAsItsErrorHasItsSerializationFailureLogged() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unserializableResults = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
        });
        assertEquals(List.of("1=error", "2=two"), queue.added());
        assertEquals(List.of(), reported);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("result of job 1 cannot be serialized", warnings.get(0).getThrown().getMessage());
    }

    /**
     * A result of this member's own submitter, delivered in place, whose copy cannot be written (a serialization
     * failure): its error is delivered in its place, and the failure logged as a warning. Before the fix it was not
     * logged at all.
     */
    @Test
    void aResultDeliveredInPlaceAsItsErrorHasItsSerializationFailureLogged() {
        HazelcastSerializationException unwritable = new HazelcastSerializationException("cannot copy job 1");
        List<String> delivered = new CopyOnWriteArrayList<>();
        ResultSender.Delivery delivery = new ResultSender.Delivery() {
            @Override
            public void deliver(long seq, Object wire, Throwable error) {
                delivered.add(seq + "=" + (error instanceof RemoteJobException ? "error" : wire));
            }

            @Override
            public void lostDelivery(long seq, Throwable e) {
                delivered.add(seq + "=lost");
            }
        };
        ResultSender sender = new ResultSender(hazelcast(new Results(seq -> false)), "Notices", "member-1",
                "own-submitter", null, new SubmitterView(null), new HeldJobs(1), item -> {
                    throw unwritable;
                }, delivery, () -> { });
        sender.send(new ResultSender.Outcome("own-submitter", new ResultItem(1, "two", null), "own-submitter/1"));
        assertEquals(List.of("1=error"), delivered);
        assertEquals(1, warnings.size(), warnings.toString());
        assertSame(unwritable, warnings.get(0).getThrown());
    }

    /**
     * The {@code add} of job 2's result throws an {@link Error}, and making its loss notice runs out of memory (the
     * {@link Error}'s stack trace, which the notice carries, cannot be had): job 2 is lost without a notice (left to
     * the submitter's next reconciliation); the results of jobs 1 and 3 are still sent in that send, and then the
     * {@link Error} goes to the sending thread's uncaught-exception handler, the {@link OutOfMemoryError} suppressed
     * in it. Before the fix the {@link OutOfMemoryError} escaped the one-by-one sending: job 3's result was not sent.
     */
    @Test
    void runningOutOfMemoryAsALossNoticeIsMadeLeavesTheRestOfItsBatchSent() throws Exception {
        Results queue = new Results(seq -> false);
        queue.unwritableResultsWithoutTrace = seq -> seq == 2;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.send(result(1));
            sender.send(result(2));
            sender.send(result(3));
        });
        assertEquals(List.of(3), queue.addAlls, "the batch, in one addAll: no notice");
        assertEquals(List.of("1=two", "3=two"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        Throwable lost = assertInstanceOf(ErrorTraceRunsOutOfMemory.class, reported.get(0));
        assertEquals(1, lost.getSuppressed().length, "running out of memory as the notice was made, suppressed");
        assertEquals("making the loss notice", lost.getSuppressed()[0].getMessage());
    }

    /**
     * A worker lost job 2 of another member's submitter as it took it, and making the loss notice runs out of memory
     * (the {@link Error}'s stack trace, which the notice carries, cannot be had): no notice is sent (the job is left
     * to its submitter's stall reconciliation), what the making threw goes to the worker's uncaught-exception
     * handler, and the worker goes on: its next result, job 3's, is sent. Before the fix the
     * {@link OutOfMemoryError} escaped {@code sendLostTake}, ending the worker's loop: job 3's result was never sent.
     */
    @Test
    void runningOutOfMemoryAsALostTakesNoticeIsMadeLeavesTheWorkerWorking() {
        Results queue = new Results(seq -> false);
        SubmitterView view = new SubmitterView(null);
        view.heard(OTHER, SubmitterView.OPEN + "member-2");
        ResultSender sender = new ResultSender(hazelcast(queue), "Notices", "member-1", "own-submitter", null, view,
                new HeldJobs(1), null, null, () -> { });
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 2, new Object[0]), new ErrorTraceRunsOutOfMemory(2));
            sender.send(result(3));
        }, "worker");
        worker.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
        worker.start();
        join(worker);
        assertEquals(List.of("3=two"), queue.added(), "the worker's next result, sent");
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("making the loss notice", assertInstanceOf(OutOfMemoryError.class, reported.get(0)).getMessage());
    }

    /** An {@link Error} whose {@code getStackTrace} runs out of memory. */
    private static final class ErrorTraceRunsOutOfMemory extends Error {
        private static final long serialVersionUID = 1L;

        ErrorTraceRunsOutOfMemory(long seq) {
            super("result of job " + seq + " cannot be written");
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            throw new OutOfMemoryError("making the loss notice");
        }
    }

    /**
     * The loss notices of jobs 1 and 3 cannot be sent, their {@code add} running out of memory: the results of jobs 2
     * and 4 are sent, the first notice's {@link OutOfMemoryError} goes to the sending thread's uncaught-exception
     * handler with nothing suppressed in it (the JVM reuses some of its instances), and the second's is logged as a
     * warning instead. Before the fix the second was suppressed in the first.
     */
    @Test
    void nothingIsSuppressedInAnOutOfMemoryErrorButLoggedInstead() throws Exception {
        Results queue = new Results(seq -> false);
        queue.outOfMemoryNotices = seq -> seq == 1 || seq == 3;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 1, new Object[0]), new InternalError("job 1 unreadable"));
            sender.send(result(2));
            sender.sendLostTake(new Wire.JobItem(OTHER, 3, new Object[0]), new InternalError("job 3 unreadable"));
            sender.send(result(4));
        });
        assertEquals(List.of("2=two", "4=two"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        OutOfMemoryError first = assertInstanceOf(OutOfMemoryError.class, reported.get(0));
        assertEquals("loss notice of job 1 runs out of memory", first.getMessage());
        assertEquals(0, first.getSuppressed().length, "nothing suppressed in an OutOfMemoryError");
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("loss notice of job 3 runs out of memory", warnings.get(0).getThrown().getMessage());
    }

    /**
     * As above, but the first notice's {@link Error} is one whose suppression is disabled: the second notice's
     * {@link Error} is logged as a warning. Before the fix it was dropped: neither suppressed nor logged.
     */
    @Test
    void whatAnErrorWillNotSuppressIsLoggedInstead() throws Exception {
        Results queue = new Results(seq -> seq == 3);
        queue.unsuppressingNotices = seq -> seq == 1;
        List<Throwable> reported = sendBatch(queue, sender -> {
            sender.sendLostTake(new Wire.JobItem(OTHER, 1, new Object[0]), new InternalError("job 1 unreadable"));
            sender.send(result(2));
            sender.sendLostTake(new Wire.JobItem(OTHER, 3, new Object[0]), new InternalError("job 3 unreadable"));
        });
        assertEquals(List.of("2=two"), queue.added());
        assertEquals(1, reported.size(), reported.toString());
        assertInstanceOf(NoSuppression.class, reported.get(0));
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("loss notice of job 3 cannot be written", warnings.get(0).getThrown().getMessage());
    }

    /** An {@link Error} whose suppression is disabled, as that of an instance the JVM reuses is. */
    private static final class NoSuppression extends Error {
        private static final long serialVersionUID = 1L;

        NoSuppression(long seq) {
            super("loss notice of job " + seq + " cannot be written", null, false, true);
        }
    }

    /** What the stand-in's {@code addAll} throws, unless told otherwise: as one with an item whose writing does. */
    private static final class BatchUnwritable extends InternalError {
        private static final long serialVersionUID = 1L;

        BatchUnwritable() {
            super("the batch cannot be written");
        }
    }

    /** What the stand-in's {@code addAll} throws if told: as one with an item that fails to serialize. */
    private static final class BatchUnserializable extends HazelcastSerializationException {
        private static final long serialVersionUID = 1L;

        BatchUnserializable() {
            super("the batch cannot be serialized");
        }
    }

    /** A job's exception whose {@code getMessage} throws. */
    private static final class MessageThrows extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new IllegalStateException("no message");
        }
    }

    /** The result of job {@code seq} of {@link #OTHER}, a value. */
    private static ResultSender.Outcome result(long seq) {
        return new ResultSender.Outcome(OTHER, new ResultItem(seq, "two", null), OTHER + '/' + seq);
    }

    /** What a test has a thread leave in the outbox of a sender. */
    @FunctionalInterface
    private interface Batch {
        void leave(ResultSender sender);
    }

    /**
     * Has a sender to {@code queue} (standing for {@link #OTHER}'s results queue) send what {@code batch} leaves in
     * its outbox, as one batch; returns what the sending thread reported to its uncaught-exception handler. Fails
     * with a thread dump if a thread does not end within 60 s.
     */
    private static List<Throwable> sendBatch(Results queue, Batch batch) throws Exception {
        SubmitterView view = new SubmitterView(null);
        view.heard(OTHER, SubmitterView.OPEN + "member-2");
        ResultSender sender = new ResultSender(hazelcast(queue), "Notices", "member-1", "own-submitter", null, view,
                new HeldJobs(1), null, null, () -> { });
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        EngineHooks.whileForgetting = (engine, outboxFull) -> {
            Thread leaving = new Thread(() -> batch.leave(sender), "leaving");
            leaving.setUncaughtExceptionHandler((thread, e) -> failures.add(e));
            leaving.start();
            join(leaving);
        };
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread sending = new Thread(() -> {
            try {
                assertTrue(sender.tryForget("gone-submitter", 60_000), "the send lock");
            } catch (InterruptedException | RuntimeException | AssertionError e) {
                failures.add(e);
            }
        }, "sending");
        sending.setUncaughtExceptionHandler((thread, e) -> reported.add(e));
        sending.start();
        join(sending);
        assertEquals(List.of(), failures);
        return reported;
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (thread.isAlive()) {
            throw new AssertionError(thread.getName() + " did not end within 60 s\n" + StartTest.threadDump());
        }
    }

    /**
     * A stand-in for {@link #OTHER}'s results queue, for one sending thread: its {@code addAll} always throws (as one
     * with an item that cannot be written), as does its {@code add} of a loss notice of a job {@code unsendableNotices}
     * names, and of a notice, a result or an error in a result's place of a job the other predicates name; the
     * others it records.
     */
    private static final class Results {
        private final LongPredicate unsendableNotices;
        /** The jobs whose loss notice's {@code add} throws an {@link OutOfMemoryError}. */
        LongPredicate outOfMemoryNotices = seq -> false;
        /** The jobs whose loss notice's {@code add} throws an {@link Error} whose suppression is disabled. */
        LongPredicate unsuppressingNotices = seq -> false;
        /** Whether {@code addAll} throws a serialization failure rather than an {@link Error}. */
        boolean batchUnserializable;
        /** The jobs whose loss notice's {@code add} throws a serialization failure. */
        LongPredicate unserializableNotices = seq -> false;
        /** The jobs whose result's {@code add} throws as the member stops. */
        LongPredicate stoppingResults = seq -> false;
        /** The jobs whose error sent in place of their result throws as the member stops, as it is added. */
        LongPredicate stoppingErrors = seq -> false;
        /** The jobs whose result's {@code add} throws an {@link Error}. */
        LongPredicate unwritableResults = seq -> false;
        /** The jobs whose result's {@code add} throws a serialization failure. */
        LongPredicate unserializableResults = seq -> false;
        /** The jobs whose error sent in place of their result throws an {@link Error} as it is added. */
        LongPredicate unwritableErrors = seq -> false;
        /** The jobs whose error sent in place of their result throws a serialization failure as it is added. */
        LongPredicate unserializableErrors = seq -> false;
        /** The jobs whose result's {@code add} throws an {@link Error} whose {@code getMessage} throws. */
        LongPredicate unwritableResultsWithoutMessage = seq -> false;
        /**
         * The jobs whose result's {@code add} throws an {@link Error} whose {@code getStackTrace} runs out of memory.
         */
        LongPredicate unwritableResultsWithoutTrace = seq -> false;
        /** The jobs whose own error (their result: not one sent in its place) throws a serialization failure. */
        LongPredicate unserializableJobErrors = seq -> false;
        /** The errors of the error results and loss notices added, in turn. */
        final List<Throwable> errorsAdded = new ArrayList<>();
        private final List<String> added = new ArrayList<>();
        /** The sizes of the collections given to {@code addAll}, in turn. */
        final List<Integer> addAlls = new ArrayList<>();

        Results(LongPredicate unsendableNotices) {
            this.unsendableNotices = unsendableNotices;
        }

        /** What was added, as {@code <job>=<value>}, {@code <job>=error} or {@code <job>=lost}. */
        List<String> added() {
            return added;
        }

        boolean add(ResultItem item) {
            if (item.lost && outOfMemoryNotices.test(item.seq)) {
                throw new OutOfMemoryError("loss notice of job " + item.seq + " runs out of memory");
            }
            if (item.lost && unsuppressingNotices.test(item.seq)) {
                throw new NoSuppression(item.seq);
            }
            if (item.lost && unsendableNotices.test(item.seq)) {
                throw new InternalError("loss notice of job " + item.seq + " cannot be written");
            }
            if (item.lost && unserializableNotices.test(item.seq)) {
                throw new HazelcastSerializationException("loss notice of job " + item.seq + " cannot be serialized");
            }
            if (!item.lost && item.error == null && stoppingResults.test(item.seq)) {
                throw new HazelcastInstanceNotActiveException("member stopping as job " + item.seq + " is sent");
            }
            if (!item.lost && item.error == null && unwritableResultsWithoutMessage.test(item.seq)) {
                throw new ErrorMessageThrows();
            }
            if (!item.lost && item.error == null && unwritableResultsWithoutTrace.test(item.seq)) {
                throw new ErrorTraceRunsOutOfMemory(item.seq);
            }
            if (!item.lost && item.error == null && unwritableResults.test(item.seq)) {
                throw new InternalError("result of job " + item.seq + " cannot be written");
            }
            if (!item.lost && item.error == null && unserializableResults.test(item.seq)) {
                throw new HazelcastSerializationException("result of job " + item.seq + " cannot be serialized");
            }
            if (!item.lost && item.error != null && !(item.error instanceof RemoteJobException)
                    && unserializableJobErrors.test(item.seq)) {
                throw new HazelcastSerializationException("job " + item.seq + "'s own error cannot be serialized");
            }
            if (!item.lost && item.error != null && unwritableErrors.test(item.seq)) {
                throw new InternalError("error of job " + item.seq + " cannot be written");
            }
            if (!item.lost && item.error != null && stoppingErrors.test(item.seq)) {
                throw new HazelcastInstanceNotActiveException("member stopping as job " + item.seq
                        + "'s error is sent");
            }
            if (!item.lost && item.error != null && unserializableErrors.test(item.seq)) {
                throw new HazelcastSerializationException("error of job " + item.seq + " cannot be serialized");
            }
            if (item.error != null) {
                errorsAdded.add(item.error);
            }
            added.add(item.seq + "=" + (item.lost ? "lost" : item.error != null ? "error" : item.value));
            return true;
        }
    }

    /** A member whose every results queue is {@code queue}, and which is running; it does nothing else. */
    private static HazelcastInstance hazelcast(Results queue) {
        LifecycleService lifecycle = stub(LifecycleService.class, (name, args) -> {
            if (name.equals("isRunning")) {
                return true;
            }
            return unsupported(name);
        });
        IQueue<?> results = stub(IQueue.class, (name, args) -> {
            switch (name) {
                case "addAll":
                    queue.addAlls.add(((Collection<?>) args[0]).size());
                    if (queue.batchUnserializable) {
                        throw new BatchUnserializable();
                    }
                    throw new BatchUnwritable();
                case "add":
                    return queue.add((ResultItem) args[0]);
                default:
                    return unsupported(name);
            }
        });
        return stub(HazelcastInstance.class, (name, args) -> {
            switch (name) {
                case "getQueue":
                    return results;
                case "getLifecycleService":
                    return lifecycle;
                default:
                    return unsupported(name);
            }
        });
    }

    /** What a stub does when called: the method's name and arguments in, its result out. */
    @FunctionalInterface
    private interface Calls {
        Object call(String method, Object[] args);
    }

    /** A {@code type} whose methods do what {@code calls} says; {@code toString} names it. */
    private static <T> T stub(Class<T> type, Calls calls) {
        Object stub = Proxy.newProxyInstance(ResultSenderTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("toString") && method.getParameterCount() == 0
                        ? "stub " + type.getSimpleName() : calls.call(method.getName(), args));
        return type.cast(stub);
    }

    private static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }
}
