package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generated API's promises at their edges, where calls race or arguments are extreme: each test names the
 * promise it holds the pool to.
 */
@ExtendWith(NoLeakedThreads.class)
class ContractEdgesTest {

    /**
     * A submitter already waiting when {@code cancel()} happens gets {@link PoolClosedException}, also with
     * {@code buffer = 0}, where its job waits in the hand-off for a worker, and the cancel itself frees the
     * worker (by interrupting its job) that could take it.
     */
    @Test
    void cancelRefusesAnUnbufferedSubmitterAlreadyWaitingThoughItFreesAWorker() throws Exception {
        for (int round = 0; round < 20; round++) {
            for (boolean timed : new boolean[] {false, true}) {
                Gate gate = new Gate();
                GatePassPool pool = GatePassPool.start(gate, 1, 0);
                pool.submit(0);
                gate.started.acquire(); // the only worker holds job 0
                AtomicReference<Object> outcome = new AtomicReference<>();
                Thread submitter = new Thread(() -> {
                    try {
                        if (timed) {
                            outcome.set(pool.trySubmit(new GatePassPool.Job(1), Waits.LIMIT));
                        } else {
                            pool.submit(1);
                            outcome.set("accepted");
                        }
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                }, "waiting-submitter");
                submitter.start();
                Waits.untilWaiting(submitter);
                pool.cancel(); // interrupts job 0: its worker is free at once
                Waits.join(submitter);
                PoolClosedException refused = assertInstanceOf(PoolClosedException.class, outcome.get(),
                        "round " + round + (timed ? ", timed" : ""));
                assertEquals("GatePassPool was cancelled; it accepts no more jobs", refused.getMessage());
                List<Integer> ids = new ArrayList<>();
                for (GatePassPool.Result r : pool.results()) {
                    ids.add(r.job().id());
                    assertInstanceOf(CancellationException.class, r.error());
                }
                assertEquals(List.of(0), ids, "round " + round + ": one result per accepted job, none for job 1");
            }
        }
    }

    /**
     * A pool allocates only what it uses: the largest buffer {@code start} accepts (16,777,216, the annotation's
     * limit; an ordered pool's reorder window allocated it all up front, and failed with OutOfMemoryError) starts
     * every kind of pool (and {@code runAll}), which then runs its jobs.
     */
    @Test
    void theLargestBufferStartsEveryKindOfPool() throws Exception {
        int buffer = 1 << 24;
        try (SquaresSquarePool plain = SquaresSquarePool.start(new Squares(), 2, buffer)) {
            plain.submit(3);
            plain.close();
            assertEquals(9, plain.results().iterator().next().getOrThrow());
        }
        try (OrderedEchoPool ordered = OrderedEchoPool.start(new Ordered(), 2, buffer)) {
            for (int id = 0; id < 3_000; id++) {
                ordered.submit(id, false);
            }
            ordered.close();
            int expected = 0;
            for (OrderedEchoPool.Result r : ordered.results()) {
                assertEquals(expected++, r.getOrThrow());
            }
            assertEquals(3_000, expected);
        }
        try (TimedWorkPool timed = TimedWorkPool.start(new Timed(), 2, buffer)) {
            timed.submit("x");
            timed.close();
            assertEquals("x", timed.results().iterator().next().getOrThrow());
        }
        assertEquals(16, SquaresSquarePool.runAll(new Squares(), List.of(new SquaresSquarePool.Job(4)), 2, buffer)
                .get(0).getOrThrow());
    }

    /**
     * A timed {@code trySubmit} never does less than the non-blocking one: with {@code buffer = 0} and a worker
     * waiting for a job, {@code trySubmit(job, Duration.ZERO)} hands it over, as {@code trySubmit(job)} does.
     */
    @Test
    void aTimedTrySubmitOfZeroHandsTheJobToAWaitingWorker() throws Exception {
        try (SquaresSquarePool pool = SquaresSquarePool.start(new Squares(), 1, 0)) {
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("SquaresSquarePool-worker-1")).findFirst().orElseThrow();
            Iterator<SquaresSquarePool.Result> results = pool.results().iterator();
            // Busy threads on every core, so that the woken worker is not scheduled at once: the hand-off must not
            // depend on how soon it runs.
            AtomicBoolean busy = new AtomicBoolean(true);
            List<Thread> spinners = new ArrayList<>();
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
                Thread spinner = new Thread(() -> {
                    while (busy.get()) {
                        Thread.onSpinWait();
                    }
                }, "spinner-" + i);
                spinner.start();
                spinners.add(spinner);
            }
            try {
                for (int n = 0; n < 40; n++) {
                    Waits.until(() -> worker.getState() == Thread.State.WAITING, "the worker to wait for a job");
                    assertTrue(pool.trySubmit(new SquaresSquarePool.Job(n), Duration.ZERO), "job " + n);
                    assertEquals(n * n, results.next().getOrThrow());
                }
            } finally {
                busy.set(false);
                for (Thread spinner : spinners) {
                    Waits.join(spinner);
                }
            }
        }
    }

    /**
     * {@code results()} iterated from two threads at once: the iterators share the results, each result going to
     * exactly one of them, in acceptance order for each on an ordered pool; both iterations end, and iterating
     * again afterwards yields nothing.
     */
    @Test
    void iteratorsOnTwoThreadsShareTheResultsAndBothEnd() throws Exception {
        int jobs = 5_000;
        OrderedEchoPool pool = OrderedEchoPool.start(new Ordered());
        Map<Integer, String> readBy = new ConcurrentHashMap<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (String name : List.of("reader-a", "reader-b")) {
            Thread reader = new Thread(() -> {
                int last = -1;
                for (OrderedEchoPool.Result r : pool.results()) {
                    int id = r.job().id();
                    if (readBy.put(id, name) != null) {
                        errors.add(id + " read twice");
                    }
                    if (id <= last) {
                        errors.add(name + " read " + id + " after " + last);
                    }
                    last = id;
                }
            }, name);
            reader.start();
            readers.add(reader);
        }
        for (int id = 0; id < jobs; id++) {
            pool.submit(id, false);
        }
        pool.close();
        for (Thread reader : readers) {
            Waits.join(reader);
        }
        assertEquals(List.of(), errors);
        assertEquals(jobs, readBy.size());
        assertFalse(pool.results().iterator().hasNext(), "a second iteration finds nothing left");
        assertTrue(pool.isTerminated());
    }
}
