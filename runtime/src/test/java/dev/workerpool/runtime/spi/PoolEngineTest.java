package dev.workerpool.runtime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workerpool.runtime.PoolStats;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * PoolEngine's default methods, on an engine that implements none of them: a proxy whose {@code stats()} is the
 * one method it answers.
 */
class PoolEngineTest {

    /**
     * The default resize names the pool and the engine's class, and says what that class does not implement
     * (before: only the class, with no pool's name).
     */
    @Test
    void theDefaultResizeNamesThePoolAndTheEngine() {
        PoolEngine<Object, Object> engine = engine(() -> stats("Stubbed"));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> engine.resize(3));
        assertEquals("Stubbed: " + engine.getClass().getName() + " cannot resize a pool (it does not implement"
                + " PoolEngine.resize); the pool keeps its size", e.getMessage());
    }

    /** An engine whose stats() fails: the default resize still throws what it must, naming the engine's class. */
    @Test
    void theDefaultResizeOfAnEngineWhoseStatsFailStillSaysWhatIsUnsupported() {
        PoolEngine<Object, Object> engine = engine(() -> {
            throw new IllegalStateException("no stats");
        });
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> engine.resize(3));
        assertEquals(engine.getClass().getName() + " cannot resize a pool (it does not implement"
                + " PoolEngine.resize); the pool keeps its size", e.getMessage());
    }

    /** An engine whose {@code stats()} is {@code stats}, whose default methods run, and whose others throw. */
    @SuppressWarnings("unchecked")
    private static PoolEngine<Object, Object> engine(Supplier<PoolStats> stats) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("stats")) {
                return stats.get();
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (PoolEngine<Object, Object>) Proxy.newProxyInstance(PoolEngineTest.class.getClassLoader(),
                new Class<?>[] {PoolEngine.class}, handler);
    }

    private static PoolStats stats(String pool) {
        return new PoolStats(pool, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0);
    }
}
