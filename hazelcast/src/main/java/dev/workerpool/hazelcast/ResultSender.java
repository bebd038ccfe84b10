package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.spi.exception.DistributedObjectDestroyedException;
import dev.workerpool.hazelcast.Wire.ResultItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;

/**
 * Sends the results of one member's workers of a pool to their submitters' results queues, and delivers those of
 * the member's own submitter in place; then forgets their jobs as held. Owns the outbox, the send lock and this
 * member's proxies of the results queues it sent to, which it destroys once their submitters are gone.
 *
 * <p>No sender thread: a worker sends its own result unless another thread holds the send lock, which then sends it
 * along, because a thread that gives up the lock looks at the outbox again (flat combining); so the results that
 * finish while one is sent go together, one {@code addAll} per submitter. Called by the member's workers
 * ({@link #send}, and the last to leave {@link #flush}), its maintenance thread ({@link #tryForget}) and the thread
 * that ends its part ({@link #destroyQueuesOfGoneSubmitters}). The outbox is a concurrent queue; the proxies of
 * results queues, and every send, are guarded by the send lock. Logs as {@link HazelcastEngine}.
 */
final class ResultSender {
    /**
     * A job's result to send (or none: its submitter is gone), and the job's {@link Wire.JobItem#id()}, which is
     * forgotten as held once it is sent; null for a loss notice, whose job this member never held.
     */
    record Outcome(String submitter, ResultItem result, String id) {
    }

    /** Completes a pending job of this member's own submitter with a result: thread-safe, from any thread. */
    interface Delivery {
        /** Completes job {@code seq} with its value on the wire or its error, unless it has its result already. */
        void deliver(long seq, Object wire, Throwable error);

        /**
         * A result of job {@code seq} was lost as it was read, the reading threw {@code e}: one of the job's failed
         * deliveries, which are bounded ({@link SubmitterState#lostDelivery}).
         */
        void lostDelivery(long seq, Throwable e);
    }

    private final HazelcastInstance hz;
    private final String name;
    /** This member's id, which a loss notice names. */
    private final String memberId;
    private final String submitterId;
    private final IMap<String, String> submitters;
    private final SubmitterView view;
    /** The member's held jobs: a job is forgotten there once its result is sent or delivered. */
    private final HeldJobs held;
    /** How a result of this member's submitter is copied to deliver it in place, or null: it is sent. */
    private final UnaryOperator<ResultItem> resultCopier;
    private final Delivery delivery;
    /** Has the submitter's reconciliation look soon ({@link Reconciler#reconcileSoon}): a delivery in place failed. */
    private final Runnable reconcile;

    private final ConcurrentLinkedQueue<Outcome> outbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Map<String, IQueue<ResultItem>> resultQueues = new HashMap<>(); // under sendLock only

    /**
     * A sender for submitter {@code submitterId}'s member ({@code memberId}) part of pool {@code name}, whose map of
     * submitters is {@code submitters} and whose view of them is {@code view}; {@code held} are the member's held
     * jobs, {@code resultCopier} (null: none) copies a result delivered in place through {@code delivery}, and a
     * delivery in place that fails asks {@code reconcile} for a reconciliation.
     */
    ResultSender(HazelcastInstance hz, String name, String memberId, String submitterId,
            IMap<String, String> submitters, SubmitterView view, HeldJobs held, UnaryOperator<ResultItem> resultCopier,
            Delivery delivery, Runnable reconcile) {
        this.hz = hz;
        this.name = name;
        this.memberId = memberId;
        this.submitterId = submitterId;
        this.submitters = submitters;
        this.view = view;
        this.held = held;
        this.resultCopier = resultCopier;
        this.delivery = delivery;
        this.reconcile = reconcile;
    }

    /** The name of {@code submitter}'s results queue in pool {@code pool}. */
    static String resultsName(String pool, String submitter) {
        return "workerpool." + pool + ".results." + submitter;
    }

    /** Sends a worker's outcome, or leaves it to the thread that holds the send lock. On a worker. */
    void send(Outcome outcome) {
        outbox.add(outcome);
        sendOutbox();
    }

    /**
     * Tells {@code job}'s submitter, another member's, that a worker of this member lost the job as it took it, its
     * reading throwing {@code e} (one of the JVM's errors, {@link Wire#readFailure}): a loss notice
     * ({@link ResultItem#lost}), sent as a result is, which the submitter counts with the job's failed deliveries
     * before it runs the job again. A notice that cannot be made (an {@link Error} as its error is made, out of
     * memory, or one that {@code e}'s {@code getStackTrace} throws) is not sent: what the making threw goes to the
     * worker's uncaught-exception handler, and the job is left to its submitter's stall reconciliation (a loss
     * untold: it runs again at that reconciliation, uncounted). Does not throw what the making throws: the worker
     * goes on. On a worker.
     */
    void sendLostTake(Wire.JobItem job, Throwable e) {
        ResultItem notice;
        try {
            notice = ResultItem.lost(job.seq, lostHere("could not read the job as its worker took it", e));
        } catch (Error unmade) {
            try { // the parts' array and the boxed seq are made here, before Uncaught's guard
                Uncaught.warnOrReport(unmade, name, ": cannot tell submitter ", job.submitter, " that job ", job.seq,
                        " was lost as it was taken (it runs again when its submitter finds it nowhere)");
            } catch (Error lost) {
                // out of memory making the report's parts: it is lost, not thrown past the worker's loop
            }
            return;
        }
        send(new Outcome(job.submitter, notice, null));
    }

    /**
     * Sends everything in the outbox, waiting for the send lock: for the last worker to leave, which must leave
     * no result behind (a worker that found the lock held by {@link #tryForget} may have left one there).
     */
    void flush() {
        withSendLock(this::sendDrained);
    }

    /**
     * Destroys the results queue of a submitter that is gone, if this member's workers have sent to it: a send
     * that had looked before the submitter went and reached its queue after the submitter destroyed it has made
     * the queue again. Under the send lock, so that such a send has ended first, and any later one finds the
     * submitter gone in the view and sends nothing. Waits at most {@code waitMillis} for the lock: a worker holds it
     * while it sends (an {@code addAll} that may take long, its queue's owner slow or leaving). On the maintenance
     * thread. A failure of the destruction is logged; a log that throws loses its record, not the send of what
     * workers left in the outbox meanwhile.
     *
     * @return false if the lock was not had in time (nothing done)
     * @throws InterruptedException if interrupted while it waits for the lock
     */
    boolean tryForget(String submitter, long waitMillis) throws InterruptedException {
        if (!sendLock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        try {
            BiConsumer<String, BooleanSupplier> hook = EngineHooks.whileForgetting;
            if (hook != null) {
                hook.accept(submitterId, () -> !outbox.isEmpty());
            }
            IQueue<ResultItem> queue = resultQueues.remove(submitter);
            if (queue != null && hz.getLifecycleService().isRunning()) {
                queue.destroy();
            }
        } catch (RuntimeException e) {
            Uncaught.log(Level.FINE, name + ": cleanup after a submitter ended", e);
        } finally {
            sendLock.unlock();
        }
        sendOutbox(); // what workers left in the outbox while this thread held the lock (see withSendLock)
        return true;
    }

    /**
     * When this member's part ends: destroys the results queues its workers sent to whose submitters are gone, in
     * case a late send made one again and this member stops listening before it hears the submitter is gone. Waits
     * for the send lock.
     */
    void destroyQueuesOfGoneSubmitters() {
        withSendLock(() -> {
            resultQueues.remove(submitterId); // destroyed already
            if (resultQueues.isEmpty()) {
                return;
            }
            Set<String> registered = submitters.keySet();
            for (Iterator<Map.Entry<String, IQueue<ResultItem>>> it = resultQueues.entrySet().iterator();
                    it.hasNext();) {
                Map.Entry<String, IQueue<ResultItem>> entry = it.next();
                if (view.isGone(entry.getKey()) || !registered.contains(entry.getKey())) {
                    entry.getValue().destroy();
                    it.remove();
                }
            }
        });
    }

    /**
     * Sends what is in the outbox, unless another thread holds the send lock: that one sends it after, because a
     * thread that gives up the lock looks at the outbox again (flat combining). So results are sent without a
     * hand-off to another thread, and those that finish while one is sent go together in one {@code addAll}.
     */
    private void sendOutbox() {
        while (!outbox.isEmpty() && sendLock.tryLock()) {
            try {
                sendDrained();
            } finally {
                sendLock.unlock();
            }
        }
    }

    /**
     * Runs {@code action} holding {@link #sendLock}, waiting for it, then sends what workers left in the outbox
     * meanwhile: a worker that finds the lock taken leaves its result to the holder (see {@link #sendOutbox}), so
     * every holder that waits for the lock goes through here.
     */
    private void withSendLock(Runnable action) {
        sendLock.lock();
        try {
            action.run();
        } finally {
            sendLock.unlock();
        }
        sendOutbox();
    }

    /** Under {@link #sendLock}. */
    private void sendDrained() {
        List<Outcome> drained = new ArrayList<>();
        for (Outcome o = outbox.poll(); o != null; o = outbox.poll()) {
            drained.add(o);
        }
        if (!drained.isEmpty()) {
            send(drained);
        }
    }

    /**
     * Sends results to their submitters' queues and delivers those of this member's own submitter in place, then
     * forgets their jobs as held; if a delivery in place failed, then asks for a reconciliation, to run its job
     * again at once rather than at the stall check: only once the job is forgotten as held, so that the
     * reconciliation's look does not find it held here. For the same reason the loss notices of results lost in
     * sending ({@link #sendOrThrow}) are sent only then, as the submitter looks at once when it has one. Under
     * {@link #sendLock}.
     */
    private void send(List<Outcome> outcomes) {
        Map<String, List<ResultItem>> bySubmitter = new HashMap<>();
        List<ResultItem> mine = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.result() != null && resultCopier != null && outcome.submitter().equals(submitterId)) {
                mine.add(outcome.result());
            } else if (outcome.result() != null && view.mayReceive(outcome.submitter())) {
                bySubmitter.computeIfAbsent(outcome.submitter(), s -> new ArrayList<>()).add(outcome.result());
            }
            if (outcome.id() != null) {
                done.add(outcome.id());
            }
        }
        boolean failed = false;
        Map<String, List<ResultItem>> notices = new HashMap<>(); // of results lost in sending, by submitter
        try {
            for (ResultItem item : mine) {
                failed |= !deliverInPlace(item);
            }
            if (!bySubmitter.isEmpty() && hz.getLifecycleService().isRunning()) {
                bySubmitter.forEach((submitter, items) -> sendTo(submitter, items, notices));
            }
        } finally {
            done.forEach(held::forget); // after the results: a job is never in neither place
        }
        notices.forEach((submitter, items) -> { // an unsent one thrown last
            if (!items.isEmpty()) { // none if its only notice's adding ran out of memory
                sendTo(submitter, items, Map.of());
            }
        });
        if (failed) {
            reconcile.run();
        }
    }

    /**
     * Sends one submitter's results, adding to {@code notices} those of results lost in sending
     * ({@link #sendOrThrow}). A failure is that submitter's alone: the others' results in the batch are
     * still sent. Results that could not be sent are found nowhere by their submitter's next reconciliation (it
     * reconciles when it has had no result for {@link EngineHooks#stallMillis}), which queues their jobs again. An
     * {@link Error} that even a loss notice could not get past ({@link #sendOrThrow}) goes to the thread's
     * uncaught-exception handler, and the sending thread goes on. Never throws: a report or log that fails is lost
     * ({@link Uncaught}), not thrown past the rest of the batch and its loss notices.
     */
    private void sendTo(String submitter, List<ResultItem> items, Map<String, List<ResultItem>> notices) {
        try {
            sendOrThrow(submitter, items, notices);
        } catch (HazelcastInstanceNotActiveException e) {
            // this member is shutting down: survivors re-run its jobs
        } catch (DistributedObjectDestroyedException e) {
            // the submitter ended and destroyed its queue while this member made its proxy: nobody waits
        } catch (RuntimeException | Error e) { // logged if an exception, reported if an Error
            Uncaught.warnOrReport(e, name, ": cannot send results to submitter ", submitter);
        }
    }

    /**
     * Sends {@code items} to {@code submitter}'s results queue in one {@code addAll}; if that throws a serialization
     * failure or an {@link Error}, logs it ({@link #logBatchFailure}) and sends them one by one: a result that
     * cannot be written (a Hazelcast serialization failure) is sent as its error ({@link #unsendable}), the failure
     * logged ({@link #logUnwritable}); one whose writing throws an {@link Error} (out of memory, say), or
     * whose error's does in its place, is lost, and a loss notice ({@link ResultItem#lost}) is added to
     * {@code notices} in its place, for the caller to send once it has forgotten the job as held: the submitter
     * counts the loss with the job's failed deliveries and runs the job again at once. A notice that cannot be made
     * (an {@link Error}, out of memory, say: {@link #lostInSending}), or whose own sending throws an {@link Error} or
     * a serialization failure, is lost, and nothing sent in its place: an error would
     * fail a job that was lost, not failed, and a smaller notice would go the same way (a notice's error is made
     * here, of strings and a stack trace, so its writing fails for no content of its own). The submitter's next
     * reconciliation finds that job nowhere, and runs it again (uncounted); the error of a result whose sending in
     * its place throws a serialization failure is lost too (its job is left to that reconciliation as well). The
     * items after such a one are still sent, and then the first such {@link Error} is thrown, or if none the first
     * such {@link RuntimeException}, the others suppressed in it (or logged, if it is an {@link OutOfMemoryError} or
     * will not have them: {@link Uncaught#suppress}).
     * Any other {@link RuntimeException} of an item's {@code add}, or of its error's in its place (this member
     * stopping, say: a failure of the queue's, not the item's), ends the sending at once, the items after it not
     * tried under the send lock: it is thrown, unless such an {@link Error} or {@link RuntimeException} was kept
     * before it, which is then thrown as above, it suppressed (so that the caller reports what was kept, rather than
     * drop it with a member's stopping).
     */
    private void sendOrThrow(String submitter, List<ResultItem> items, Map<String, List<ResultItem>> notices) {
        IQueue<ResultItem> queue = resultQueues.computeIfAbsent(submitter, s -> hz.getQueue(resultsName(name, s)));
        EngineHooks.SendingHook hook = EngineHooks.beforeSending;
        if (hook != null) {
            hook.beforeSending(submitterId, submitter, outbox::size);
        }
        try {
            queue.addAll(items);
            BiConsumer<String, String> after = EngineHooks.afterSending;
            if (after != null) {
                after.accept(submitterId, submitter);
            }
        } catch (HazelcastSerializationException | Error e) { // one of them cannot be sent: send them one by one
            logBatchFailure(submitter, items.size(), e);
            Error noticeLost = null; // these two thrown once the others are sent: not left to a reconciliation
            RuntimeException unsent = null;
            for (ResultItem item : items) {
                try { // the item, or its error in its place: what that throws is handled below, either way
                    try {
                        queue.add(item);
                    } catch (HazelcastSerializationException one) {
                        if (item.lost) { // not the job's error: it was lost, not failed, and is to run again
                            throw one;
                        }
                        logUnwritable(submitter, item.seq, one);
                        queue.add(new ResultItem(item.seq, null, unsendable(name, item)));
                    }
                } catch (HazelcastSerializationException unwritable) { // the item's alone: the others still sent
                    unsent = first(unsent, unwritable);
                } catch (Error lost) {
                    noticeLost = lostInSending(submitter, item, lost, notices, noticeLost);
                } catch (RuntimeException stop) { // queue-wide (this member stopping): not tried again per item
                    unsent = first(unsent, stop); // thrown after what was kept, not in its place
                    break;
                }
            }
            if (noticeLost != null) {
                if (unsent != null) {
                    first(noticeLost, unsent); // unsent suppressed in it, or logged: never thrown in its place
                }
                throw noticeLost;
            }
            if (unsent != null) {
                throw unsent;
            }
        }
    }

    /**
     * Logs {@code e}, what the {@code addAll} of {@code size} results to {@code submitter} threw, before they are
     * sent one by one: as a warning if it is an {@link Error}, which nothing else on this member tells of if the
     * one-by-one sending then gets every item through (out of memory as the whole batch was written, say); at a fine
     * level if it is a serialization failure, as the result that cannot be written is logged as a warning itself when
     * the one-by-one sending meets it (or its loss notice's failure is thrown). Never throws: a record that cannot be
     * made or logged is lost ({@link Uncaught#log(Level, Throwable, Object...)}), and the batch still sent. Under
     * {@link #sendLock}.
     */
    private void logBatchFailure(String submitter, int size, Throwable e) {
        try { // the parts' array and the boxed size are made here, before the log's guard
            Uncaught.log(e instanceof Error ? Level.WARNING : Level.FINE, e, name, ": cannot send ", size,
                    " results to submitter ", submitter, " in one addAll; sending them one by one");
        } catch (Error lost) {
            // out of memory making the record's parts (often so, after an addAll that threw an Error): the record is
            // lost, not thrown past the one-by-one sending of the batch
        }
    }

    /**
     * Logs as a warning {@code e}, why the result of job {@code seq} cannot be written to go to {@code submitter}, as
     * its error is sent (or delivered) in its place: that error names the value's or the error's type only, so the
     * failure is told here. Never throws: a record that cannot be made or logged is lost
     * ({@link Uncaught#log(Level, Throwable, Object...)}), and the error still sent.
     */
    private void logUnwritable(String submitter, long seq, Throwable e) {
        try { // the parts' array and the boxed seq are made here, before the log's guard
            Uncaught.log(Level.WARNING, e, name, ": the result of job ", seq,
                    " cannot be written to go to submitter ", submitter, "; its error goes in its place");
        } catch (Error lost) {
            // out of memory making the record's parts: the record is lost, not thrown past the error in the result's
            // place
        }
    }

    /**
     * {@code item}, to be sent to {@code submitter}, was lost as it (or its error in its place) was sent, its
     * writing throwing {@code e}: a result's loss is told its submitter, a loss notice added to {@code notices}
     * (which it counts); a loss notice's is not, {@code e} is kept with {@code noticeLost} (the first such error so
     * far, or null), to be thrown. So is {@code e} if making the result's notice throws an {@link Error} (out of
     * memory, or one that {@code e}'s {@code getMessage} or {@code getStackTrace} throws), what that threw suppressed
     * in it: the job is lost untold, left to its submitter's next reconciliation. Returns what is kept now. Never
     * throws. Under {@link #sendLock}.
     */
    private Error lostInSending(String submitter, ResultItem item, Error e, Map<String, List<ResultItem>> notices,
            Error noticeLost) {
        if (item.lost) {
            return first(noticeLost, e);
        }
        try {
            ResultItem notice = ResultItem.lost(item.seq, lostHere("could not send the job's result", e));
            notices.computeIfAbsent(submitter, s -> new ArrayList<>()).add(notice);
            return noticeLost;
        } catch (Error unmade) { // the rest of the batch is still sent, then e thrown as a notice's own failure is
            return first(first(noticeLost, e), unmade);
        }
    }

    /**
     * {@code kept}, or {@code e} if it is null; {@code e} is suppressed in {@code kept} unless it is the same, or
     * logged instead if {@code kept} is an {@link OutOfMemoryError} or otherwise will not have it
     * ({@link Uncaught#suppress}). Never throws.
     */
    private <T extends Throwable> T first(T kept, T e) {
        if (kept == null) {
            return e;
        }
        if (kept != e) {
            try { // the parts' array is made here, before the guard of Uncaught's
                Uncaught.suppress(kept, e, name);
            } catch (Error lost) {
                // out of memory making it: e is lost, not thrown past the rest of the batch
            }
        }
        return kept;
    }

    /**
     * Delivers a result of this member's own submitter as it would arrive through its results queue (a copy, see
     * {@link Wire#resultCopier}); one that cannot be written arrives as its error, as a sent one does, the failure
     * logged ({@link #logUnwritable}). If the
     * member has stopped, it leaves the job to the receiver, which gives every pending job its error. A failure
     * (an {@link Error} included) is this result's alone: it is logged, its job stays pending, and the next
     * reconciliation runs it again (up to {@link SubmitterState#MAX_FAILED_DELIVERIES} times: a copy whose writing or
     * reading throws an {@link Error} is lost, and counted here as one of the job's failed deliveries,
     * {@link Delivery#lostDelivery}; a delivery that throws counts itself); a result factory's failure is not one
     * ({@link SubmitterState#deliver} makes it the job's error).
     *
     * @return false if the delivery failed (its job may be pending still), true otherwise
     */
    private boolean deliverInPlace(ResultItem item) {
        boolean copied = false;
        try {
            ResultItem copy;
            Wire.takeLostResult(); // none left from a reading elsewhere
            try {
                copy = resultCopier.apply(item);
            } catch (HazelcastInstanceNotActiveException e) {
                return true; // the receiver gives the job its error
            } catch (RuntimeException e) {
                logUnwritable(submitterId, item.seq, e);
                copy = new ResultItem(item.seq, null, unsendable(name, item));
            }
            copied = true;
            delivery.deliver(copy.seq, copy.value, copy.errorFor(name));
            return true;
        } catch (RuntimeException | Error e) { // the batch's other results are still delivered and sent
            Uncaught.log(Level.WARNING, e, name, ": cannot deliver the result of job ", item.seq, " (it runs again)");
            Wire.takeLostResult();
            if (!copied) { // the copy's writing or reading threw an Error: lost, one of the job's failed deliveries
                delivery.lostDelivery(item.seq, e);
            } // else deliver threw, having counted it
            return false;
        }
    }

    /**
     * The error of a loss notice: this member {@code did} something to a job and lost it, {@code e} (one of the
     * JVM's errors) thrown; named for the pool and this member, with {@code e}'s type, message (see
     * {@link #messageOf}) and stack trace. Does not throw what {@code e}'s {@code getMessage} throws: it is made in
     * {@link #sendOrThrow}'s handling of an item's failure, which must not throw.
     */
    private RemoteJobException lostHere(String did, Throwable e) {
        String type = e.getClass().getName();
        String message = messageOf(e);
        return new RemoteJobException(name + ": member " + memberId + " " + did + ": " + type
                + (message == null ? "" : ": " + message), type, e.getStackTrace());
    }

    /**
     * {@code e}'s message, or if its {@code getMessage} throws (a job's own exception or error may), a note saying
     * so: it is made into an error sent in a result's place, which must be made whatever {@code e} does.
     */
    private static String messageOf(Throwable e) {
        try {
            return e.getMessage();
        } catch (RuntimeException failure) {
            return "(its getMessage threw " + failure.getClass().getName() + ")";
        }
    }

    /**
     * What stands in for {@code item}'s error or value, which could not be sent: named for pool {@code pool}. Does
     * not throw what the error's {@code getMessage} throws (see {@link #messageOf}): that is the item's failure,
     * which {@link #sendOrThrow} would take for one of the queue's.
     */
    private static RemoteJobException unsendable(String pool, ResultItem item) {
        if (item.error != null) {
            Throwable error = item.error;
            return new RemoteJobException(pool + ": " + error.getClass().getName() + ": " + messageOf(error)
                    + " (the job's error could not be sent from the member that ran it)",
                    error.getClass().getName(), error.getStackTrace());
        }
        String type = item.value == null ? "null" : item.value.getClass().getName();
        return new RemoteJobException(pool + ": the job's value of type " + type
                + " could not be sent from the member that ran it", type, null);
    }
}
