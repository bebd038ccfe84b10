package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code start(Supplier<Owner>)}: each worker its own target, closed when the worker exits. */
class PerWorkerTargetTest {

    @BeforeEach
    void reset() {
        Session.OPENED.set(0);
        Session.CLOSED.set(0);
        Session.BARRIER.reset();
    }

    @Test
    void eachWorkerHasItsOwnTargetWhichIsClosedWhenTheWorkerExits() throws Exception {
        Map<String, Integer> uses = new HashMap<>();
        try (SessionUsePool pool = SessionUsePool.start(Session::new)) {
            assertEquals(3, Session.OPENED.get(), "one target per worker, made before any job");
            for (int job = 0; job < 9; job++) {
                pool.submit(job);
            }
            pool.close();
            for (SessionUsePool.Result r : pool.results()) {
                uses.merge(r.getOrThrow(), 1, Integer::sum);
            }
            pool.await();
        }
        assertEquals(3, uses.size(), "three sessions, each always on its own thread: " + uses);
        uses.values().forEach(n -> assertEquals(3, n));
        assertEquals(3, Session.CLOSED.get(), "every target closed by the time await returns");
    }

    @Test
    void aTargetThatCannotBeMadeFailsStartCleanly() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SessionUsePool.start(() -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalArgumentException("no more connections");
            }
            return new Session();
        }, 4, 0));
        assertEquals("SessionUsePool: could not create the target for worker 3 of 4", e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(2, Session.CLOSED.get(), "the two targets already made were closed");
        assertEquals(0, Waits.liveThreads("SessionUsePool-worker-"), "no thread was started");

        IllegalStateException nullTarget = assertThrows(IllegalStateException.class, () -> SessionUsePool.start(() -> null));
        assertTrue(nullTarget.getCause() instanceof NullPointerException);
        assertThrows(IllegalArgumentException.class, () -> SessionUsePool.start(Session::new, 0, 1));
    }

    @Test
    void cancelStillClosesEveryTarget() throws Exception {
        SessionUsePool pool = SessionUsePool.start(Session::new, 3, 6);
        pool.submit(1); // waits at the barrier for two more jobs that never come
        pool.cancel();
        assertTrue(pool.await(Waits.LIMIT));
        assertEquals(3, Session.CLOSED.get());
    }
}
