package dev.workerpool.runtime.internal;

import java.util.function.Supplier;

/** The runtime's one logger, {@code dev.workerpool} ({@link System.Logger}), used where nothing may be thrown. */
final class Log {

    private static final System.Logger LOG = System.getLogger("dev.workerpool");

    private Log() {
    }

    /** Logs; a failure of the logging itself is dropped, not thrown: the pool must go on. */
    static void quietly(System.Logger.Level level, Supplier<String> message, Throwable thrown) {
        try {
            if (thrown == null) {
                LOG.log(level, message);
            } else {
                LOG.log(level, message, thrown);
            }
        } catch (Throwable loggingFailed) {
            // Nowhere left to report it.
        }
    }
}
