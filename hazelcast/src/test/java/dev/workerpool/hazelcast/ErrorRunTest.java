package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * {@link JobsQueueFollower.ErrorRun}, on a clock the test moves, its logs recorded
 * ({@link ThrowingLogTest.ThrowingLog}): the first {@link Error} of a run is thrown, the same again is logged at a
 * fine level, but a run of {@link VirtualMachineError}s is logged as a warning once a minute has passed since it was
 * last heard of so.
 */
class ErrorRunTest {
    private static final long MINUTE = JobsQueueFollower.ErrorRun.LOUD_AGAIN_NANOS;

    /**
     * Out of memory at every try (an {@link InternalError}, a {@link VirtualMachineError} that JUnit does not rethrow
     * as it would an {@link OutOfMemoryError}): thrown at first, then fine, and a warning each minute it goes on.
     * Before the fix every repeat was logged at a fine level, however long the run.
     */
    @Test
    void aRunOfVirtualMachineErrorsIsWarnedOfOnceAMinute() {
        long[] now = {0};
        JobsQueueFollower.ErrorRun run = new JobsQueueFollower.ErrorRun(() -> now[0]);
        InternalError e = new InternalError("no memory for the check");
        try (ThrowingLogTest.ThrowingLog log = new ThrowingLogTest.ThrowingLog(HazelcastEngine.class.getName())) {
            assertSame(e, assertThrows(InternalError.class, () -> run.tried(e, "Run", ": the check")));
            run.tried(e, "Run", ": the check");
            now[0] += MINUTE - 1;
            run.tried(e, "Run", ": the check");
            now[0] += 1;
            run.tried(e, "Run", ": the check");
            run.tried(e, "Run", ": the check");
            now[0] += MINUTE;
            run.tried(e, "Run", ": the check");
            assertEquals(List.of(Level.FINE, Level.FINE, Level.WARNING, Level.FINE, Level.WARNING), log.levels());
        }
    }

    /** A run of another {@link Error} (a class the member lacks) stays at a fine level, however long it lasts. */
    @Test
    void aRunOfOtherErrorsStaysAtAFineLevel() {
        long[] now = {0};
        JobsQueueFollower.ErrorRun run = new JobsQueueFollower.ErrorRun(() -> now[0]);
        NoClassDefFoundError e = new NoClassDefFoundError("dev/example/NotHere");
        try (ThrowingLogTest.ThrowingLog log = new ThrowingLogTest.ThrowingLog(HazelcastEngine.class.getName())) {
            assertSame(e, assertThrows(NoClassDefFoundError.class, () -> run.tried(e, "Run", ": the check")));
            now[0] += 2 * MINUTE;
            run.tried(e, "Run", ": the check");
            assertEquals(List.of(Level.FINE), log.levels());
        }
    }
}
