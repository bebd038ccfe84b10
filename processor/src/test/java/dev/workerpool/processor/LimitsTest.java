package dev.workerpool.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workerpool.runtime.Rate;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limits the processor checks at compile time are the ones the runtime checks at {@code start} (the processor
 * does not depend on the runtime, so the constants are kept equal by this test, which reads the runtime's).
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

    @Test
    void compileTimeAndRunTimeAttemptLimitsAreTheSame() {
        assertEquals(RetryPolicy.MAX_ATTEMPTS, PoolValidator.MAX_ATTEMPTS);
    }

    /** The runtime has no constant for a rate's longest period: its {@code Rate.of} takes exactly as long a one. */
    @Test
    void compileTimeAndRunTimeRatePeriodLimitsAreTheSame() {
        Duration longest = Duration.ofDays(PoolValidator.MAX_TIMEOUT_DAYS);
        assertEquals(longest, Rate.of(1, longest).per());
        assertThrows(IllegalArgumentException.class, () -> Rate.of(1, longest.plusNanos(1)));
    }
}
