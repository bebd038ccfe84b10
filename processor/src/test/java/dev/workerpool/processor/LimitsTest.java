package dev.workerpool.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workerpool.runtime.spi.PoolOptions;
import org.junit.jupiter.api.Test;

/**
 * The worker and buffer limits the processor checks at compile time are the ones the runtime checks at {@code start}
 * (the processor does not depend on the runtime, so the constants are kept equal by this test).
 */
class LimitsTest {

    @Test
    void compileTimeAndRunTimeWorkerLimitsAreTheSame() {
        assertEquals(PoolOptions.MAX_PLATFORM_WORKERS, PoolValidator.MAX_WORKERS);
        assertEquals(PoolOptions.MAX_VIRTUAL_WORKERS, PoolValidator.MAX_VIRTUAL_WORKERS);
    }

    @Test
    void compileTimeAndRunTimeBufferLimitsAreTheSame() {
        assertEquals(PoolOptions.MAX_BUFFER, PoolValidator.MAX_BUFFER);
    }
}
