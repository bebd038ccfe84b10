package dev.workerpool.sample;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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

    /**
     * Where a live bar is drawn.
     *
     * @param out     the terminal's stream
     * @param width   its width in columns; 0: ask the terminal
     * @param refresh how often the bar is redrawn
     */
    record Terminal(PrintStream out, int width, Duration refresh) {}

    /** The terminal the program runs on, or null (logs, pipes, CI). Tests substitute a captured stream. */
    static volatile Supplier<Terminal> terminal =
            () -> System.console() != null ? new Terminal(System.err, 0, Duration.ofSeconds(1)) : null;

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
        Terminal on = terminal.get();
        if (on != null) {
            CountDownLatch drawn = new CountDownLatch(1);
            ConsoleProgressBarConsumer console = on.width() > 0
                    ? new ConsoleProgressBarConsumer(on.out(), on.width())
                    : new ConsoleProgressBarConsumer(on.out());
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis((int) Math.min(Integer.MAX_VALUE, on.refresh().toMillis()))
                    .setConsumer(new ConsoleProgressBarConsumer(on.out(), console.getMaxRenderedLength()) {
                        @Override
                        public void accept(String rendered) {
                            super.accept(rendered);
                            drawn.countDown();
                        }
                    })
                    .build();
            try {
                drawn.await(1, TimeUnit.SECONDS); // the bar is on screen before anything is reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
