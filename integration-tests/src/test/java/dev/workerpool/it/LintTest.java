package dev.workerpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pools of {@link Lint}, which compiled under {@code -Xlint:all -Werror}, also run. */
@ExtendWith(NoLeakedThreads.class)
class LintTest {

    @Test
    void genericVarargsPoolsRunAndTheirSubmitNeedsNoCast() throws Exception {
        LintCountPool<String> pool = LintCountPool.start();
        pool.submit("a", "b", "c");
        pool.submit();
        pool.close();
        int sum = 0;
        for (LintCountPool.Result<String> r : pool.results()) {
            sum += r.getOrThrow();
        }
        pool.await();
        assertEquals(3, sum);
        assertEquals(6, LintTotalPool.runAll(List.of(new LintTotalPool.Job(List.of(1, 2), List.of(3))))
                .get(0).getOrThrow());
    }

    @Test
    void aDeprecatedMethodsPoolRuns() throws Exception {
        assertEquals(-4, LintLegacyPool.runAll(List.of(new LintLegacyPool.Job(4))).get(0).getOrThrow());
    }
}
