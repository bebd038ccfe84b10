package dev.workerpool.sample;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a command: a live bar when the program runs on a terminal, plain lines at most once a second
 * otherwise (logs, pipes, CI). Called from one thread only: the one consuming results.
 */
final class Progress implements AutoCloseable {
    private static final long PERIOD_NANOS = Duration.ofSeconds(1).toNanos();

    private final String task;
    private final String unit;
    private final long total;
    private final ProgressBar bar;
    private final PrintWriter plain;
    private long done;
    private long lastPrinted = System.nanoTime();

    private Progress(String task, String unit, long total, ProgressBar bar, PrintWriter plain) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.bar = bar;
        this.plain = plain;
    }

    /** A bar on a terminal (stderr), else periodic lines on {@code err}. */
    static Progress start(String task, String unit, long total, PrintWriter err) {
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                    .build();
            return new Progress(task, unit, total, bar, null);
        }
        return new Progress(task, unit, total, null, err);
    }

    void step(long n) {
        done += n;
        if (bar != null) {
            bar.stepBy(n);
        } else if (System.nanoTime() - lastPrinted >= PERIOD_NANOS) {
            lastPrinted = System.nanoTime();
            plain.printf(Locale.ROOT, "%s: %,d of %,d %s (%.0f%%)%n", task, done, total, unit,
                    total == 0 ? 100.0 : 100.0 * done / total);
            plain.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
