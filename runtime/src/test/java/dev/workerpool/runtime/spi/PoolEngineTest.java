package dev.workerpool.runtime.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workerpool.runtime.PoolStats;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
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

    /**
     * Every pool-making method refuses a null argument with a message that names the pool, the method and the
     * argument, and starts nothing (before: the bare argument name, or, for some, no check until a job ran).
     */
    @Test
    void aNullArgumentOfAPoolMakingMethodIsRefusedNamingThePool() {
        PoolOptions o = PoolOptions.DEFAULT;
        JobFunction<Integer, Integer> f = x -> x;
        ResultFactory<Integer, Integer, Integer> r = (job, value, error) -> value;
        Supplier<Object> t = Object::new;
        Function<Object, JobFunction<Integer, Integer>> b = target -> f;
        Consumer<Integer> h = x -> { };
        List<Integer> jobs = List.of(1, 2);
        expect("start was given a null name", () -> PoolEngine.start(null, o, 1, 1, f, r));
        expect("P: start was given a null options", () -> PoolEngine.start("P", null, 1, 1, f, r));
        expect("P: start was given a null function", () -> PoolEngine.start("P", o, 1, 1, null, r));
        expect("P: start was given a null result factory", () -> PoolEngine.start("P", o, 1, 1, f, null));
        expect("P: start was given a null onResult", () -> PoolEngine.start("P", o, 1, 1, f, r, null));
        expect("start was given a null name", () -> PoolEngine.start(null, o, 1, 1, f, r, null));
        expect("P: startPerWorker was given a null target supplier",
                () -> PoolEngine.startPerWorker("P", o, 1, 1, null, b, r));
        expect("P: startPerWorker was given a null bind function",
                () -> PoolEngine.startPerWorker("P", o, 1, 1, t, null, r));
        expect("P: startPerWorker was given a null result factory",
                () -> PoolEngine.startPerWorker("P", o, 1, 1, t, b, null));
        expect("P: startPerWorker was given a null onResult",
                () -> PoolEngine.startPerWorker("P", o, 1, 1, t, b, r, null));
        expect("P: startPerWorker was given a null options",
                () -> PoolEngine.startPerWorker("P", null, 1, 1, t, b, r, h));
        expect("P: runAll was given a null function", () -> PoolEngine.runAll("P", o, 1, 1, jobs, null, r));
        expect("P: runAll was given a null result factory", () -> PoolEngine.runAll("P", o, 1, 1, jobs, f, null));
        expect("runAll was given a null name", () -> PoolEngine.runAllOrThrow(null, o, 1, 1, jobs, f, r));
        expect("P: runAll was given a null options", () -> PoolEngine.runAllOrThrow("P", null, 1, 1, jobs, f, r));
    }

    private static void expect(String message, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(message, e.getMessage());
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
