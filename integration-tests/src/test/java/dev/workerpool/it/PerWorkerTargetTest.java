package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.testing.Waits;
import java.io.IOException;
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

        IllegalStateException nullTarget = assertThrows(IllegalStateException.class,
                () -> SessionUsePool.start(() -> null));
        assertTrue(nullTarget.getCause() instanceof NullPointerException);
        assertThrows(IllegalArgumentException.class, () -> SessionUsePool.start(Session::new, 0, 1));
    }

    /**
     * However making or closing a target fails, a failed start closes every target it made and throws the
     * {@link IllegalStateException} that names the pool and worker: a target whose {@code close()} throws an
     * {@code Error} is reported beside it and does not keep the others open, and a supplier that throws a checked
     * exception (as a Kotlin or Lombok {@code @SneakyThrows} supplier can) is reported like any other failure.
     */
    @Test
    void aFailedStartClosesEveryTargetMadeHoweverTheSupplierOrACloseFails() {
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SessionUsePool.start(() -> {
            int call = calls.incrementAndGet();
            if (call == 3) {
                throw new AssertionError("no more connections");
            }
            return call == 1 ? new Session() {
                @Override
                public void close() {
                    super.close();
                    throw new AssertionError("close failed");
                }
            } : new Session();
        }, 4, 0));
        assertEquals("SessionUsePool: could not create the target for worker 3 of 4", e.getMessage());
        assertEquals("no more connections", e.getCause().getMessage());
        assertEquals(2, Session.CLOSED.get(), "both targets made were closed, the one whose close failed too");
        assertEquals(1, e.getSuppressed().length);
        assertEquals("close failed", e.getSuppressed()[0].getMessage());

        Session.CLOSED.set(0);
        calls.set(0);
        IllegalStateException checked = assertThrows(IllegalStateException.class, () -> SessionUsePool.start(() -> {
            if (calls.incrementAndGet() == 2) {
                throw PerWorkerTargetTest.<RuntimeException>sneaky(new IOException("connection refused"));
            }
            return new Session();
        }, 4, 0));
        assertEquals("SessionUsePool: could not create the target for worker 2 of 4", checked.getMessage());
        assertInstanceOf(IOException.class, checked.getCause());
        assertEquals(1, Session.CLOSED.get(), "the target made before was closed");
        assertEquals(0, Waits.liveThreads("SessionUsePool-worker-"), "no thread was started");
    }

    /** Throws {@code e}, checked or not, without declaring it: what a sneaky-throwing supplier does. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable e) throws E {
        throw (E) e;
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
