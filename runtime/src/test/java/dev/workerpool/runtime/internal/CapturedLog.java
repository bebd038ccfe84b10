package dev.workerpool.runtime.internal;

import dev.workerpool.testing.Waits;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the pools log (java.util.logging backs System.Logger here), instead of printing it: the
 * stuck-job warnings the tests provoke are expected. Thread-safe: records may arrive on any thread; one test
 * at a time should capture (it takes over the {@code dev.workerpool} logger until closed).
 */
final class CapturedLog extends Handler implements AutoCloseable {
    final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
    private final Logger logger = Logger.getLogger("dev.workerpool");
    private final Level level = logger.getLevel();
    private final boolean parents = logger.getUseParentHandlers();

    CapturedLog() {
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false);
        logger.addHandler(this);
    }

    /** The next record's message (its supplier run), or fails after the limit. */
    String next(String what) throws InterruptedException {
        LogRecord r = records.poll(Waits.LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            throw Waits.stuck(what);
        }
        return r.getMessage();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parents);
        logger.setLevel(level);
    }
}
