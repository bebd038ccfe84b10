package dev.workerpool.it;

import dev.workerpool.testing.Waits;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After each test: every pool's worker and watchdog threads have exited (waiting for them, or failing with a
 * thread dump). Use with {@code @ExtendWith(NoLeakedThreads.class)}.
 */
final class NoLeakedThreads implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        Waits.until(() -> poolThreads() == 0, "every pool's worker and watchdog threads to exit");
    }

    static long poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().contains("Pool-worker-")
                        || t.getName().endsWith("Pool-watchdog")))
                .count();
    }
}
