package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.testing.Waits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code failFast = true}: errgroup semantics through a generated pool. */
@ExtendWith(NoLeakedThreads.class)
class FailFastTest {


    @Test
    void theFirstFailureCancelsRunningAndQueuedJobsAndAwaitThrowsIt() throws Exception {
        Flaky target = new Flaky(3);
        FlakyCheckPool pool = FlakyCheckPool.start(target); // 4 workers, buffer 8
        for (int i = 0; i < 3; i++) {
            pool.submit("block");
        }
        Waits.await(target.blocking, "three jobs to run");
        pool.submit("fine"); // runs on the fourth worker, or is queued
        Waits.until(() -> pool.stats().completed() == 1, "the fine job to complete");
        for (int i = 0; i < 4; i++) {
            pool.submit("queued-" + i);
        }
        assertTrue(pool.failure().isEmpty());
        pool.submit("fail");

        PoolFailedException thrown = assertThrows(PoolFailedException.class, pool::await);
        assertInstanceOf(IOException.class, thrown.getCause());
        assertEquals("check failed", thrown.getCause().getMessage());
        assertEquals(new FlakyCheckPool.Job("fail"), thrown.job());
        assertTrue(thrown.getMessage().startsWith("FlakyCheckPool failed fast"), thrown.getMessage());
        assertSame(thrown.getCause(), pool.failure().orElseThrow());
        assertTrue(pool.isCancelled());
        assertThrows(PoolClosedException.class, () -> pool.submit("late"));

        List<FlakyCheckPool.Result> results = new ArrayList<>();
        pool.results().forEach(results::add);
        assertEquals(9, results.size(), "exactly one result per accepted job");
        for (FlakyCheckPool.Result r : results) {
            switch (r.job().mode()) {
                case "fine" -> assertEquals("fine", r.value());
                case "fail" -> assertSame(thrown.getCause(), r.error(), "the failed job keeps its own error");
                case "block" -> {
                    assertInstanceOf(CancellationException.class, r.error());
                    assertInstanceOf(InterruptedException.class, r.error().getCause(), "interrupted while running");
                }
                default -> {
                    // queued jobs: either never started (cancelled) or ran before the failure was seen
                    if (!r.isSuccess()) {
                        assertInstanceOf(CancellationException.class, r.error());
                    }
                }
            }
        }
        assertEquals(1, pool.stats().failed());
    }

    @Test
    void runAllThrowsTheFirstFailure() throws Exception {
        List<FlakyCheckPool.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            jobs.add(new FlakyCheckPool.Job(i == 20 ? "fail" : "ok-" + i));
        }
        PoolFailedException thrown = assertThrows(PoolFailedException.class,
                () -> FlakyCheckPool.runAll(new Flaky(0), jobs));
        assertEquals(new FlakyCheckPool.Job("fail"), thrown.job());
        assertInstanceOf(IOException.class, thrown.getCause());
        // without a failure, runAll returns every result
        List<FlakyCheckPool.Result> ok = FlakyCheckPool.runAll(new Flaky(0), jobs.subList(0, 20));
        assertEquals(20, ok.size());
        assertTrue(ok.stream().allMatch(FlakyCheckPool.Result::isSuccess));
    }

    @Test
    void aPoolWithoutFailuresAwaitsNormally() throws Exception {
        FlakyCheckPool pool = FlakyCheckPool.start(new Flaky(0));
        pool.submit("a");
        pool.submit("b");
        pool.close();
        assertTrue(pool.await(Waits.LIMIT));
        assertTrue(pool.failure().isEmpty());
        pool.results().forEach(r -> assertTrue(r.isSuccess()));
    }
}
