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
 * otherwise (logs, pipes, CI), and a last one with the final count when it closes (with {@code --quiet}, no
 * plain lines at all). Called from one thread only: the one consuming results. Lines printed while the bar is
 * live go through {@link #println}, which puts them above the bar.
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

    /**
     * The terminal the bar is drawn on, stderr, or null if stderr is not a terminal (logs, pipes, CI). Tests
     * substitute a captured stream.
     */
    static volatile Supplier<Terminal> terminal =
            () -> stderrIsTerminal() ? new Terminal(System.err, 0, Duration.ofSeconds(1)) : null;

    /**
     * Whether stderr, where the bar is drawn, is a terminal. Not {@code System.console() != null}: that asks
     * whether stdin and stdout are, so {@code 2> progress.log} got the bar, carriage returns and all, and
     * {@code > digests.txt} got plain lines on the terminal. POSIX {@code test -t 2}, in a child process that
     * shares this process's stderr; where there is no {@code test} command (Windows), the console as before.
     */
    static boolean stderrIsTerminal() {
        try {
            Process test = new ProcessBuilder("test", "-t", "2")
                    .redirectError(ProcessBuilder.Redirect.INHERIT) // the child's stderr is ours: the one tested
                    .start();
            test.getOutputStream().close();
            if (test.waitFor(10, TimeUnit.SECONDS)) {
                return test.exitValue() == 0;
            }
            test.destroyForcibly();
        } catch (java.io.IOException e) {
            // no test command here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.console() != null;
    }

    private final String task;
    private final String unit;
    private long total; // -1: not known yet (see total(long, boolean))
    private long found; // while the total is not known: the work found so far
    private final ProgressBar bar;
    private final Screen screen;
    private final PrintWriter plain;
    private long done;
    private long shown; // the count the last plain line showed
    private long lastPrinted = System.nanoTime();

    private Progress(String task, String unit, long total, ProgressBar bar, Screen screen, PrintWriter plain) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.bar = bar;
        this.screen = screen;
        this.plain = plain;
    }

    /** A bar on a terminal (stderr), else periodic lines on {@code err}. */
    static Progress start(String task, String unit, long total, PrintWriter err) {
        return start(task, unit, total, err, false);
    }

    /**
     * A bar on a terminal (stderr), else periodic lines on {@code err} and a last one when it closes; none if
     * {@code quiet}. A {@code total} of -1: not known yet (an indefinite bar; lines with the count found so far)
     * until {@link #total(long, boolean)} gives it.
     */
    static Progress start(String task, String unit, long total, PrintWriter err, boolean quiet) {
        Terminal on = terminal.get();
        if (on == null) {
            return new Progress(task, unit, total, null, null, quiet ? null : err);
        }
        int width = on.width() > 0 ? on.width() : new ConsoleProgressBarConsumer(on.out()).getMaxRenderedLength();
        Screen screen = new Screen(on.out(), width);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) Math.min(Integer.MAX_VALUE, on.refresh().toMillis()))
                .setConsumer(screen)
                .build();
        screen.awaitFirstDraw();
        return new Progress(task, unit, total, bar, screen, null);
    }

    /**
     * The work found so far, and whether that is all of it: a progress whose total was not known gets it once
     * {@code complete}. Call it before the last {@link #step} and before {@link #close}.
     */
    void total(long found, boolean complete) {
        this.found = found;
        if (complete && total != found) {
            total = found;
            if (bar != null) {
                bar.maxHint(found);
            }
        }
    }

    void step(long n) {
        done += n;
        if (bar != null) {
            bar.stepBy(n);
        } else if (plain != null && System.nanoTime() - lastPrinted >= PERIOD_NANOS) {
            lastPrinted = System.nanoTime();
            printPlain();
        }
    }

    private void printPlain() {
        shown = done;
        if (total < 0) {
            plain.printf(Locale.ROOT, "%s: %,d of %,d %s found so far%n", task, done, found, unit);
        } else {
            plain.printf(Locale.ROOT, "%s: %,d of %,d %s (%.0f%%)%n", task, done, total, unit,
                    total == 0 ? 100.0 : 100.0 * done / total);
        }
        plain.flush();
    }

    /** Prints a line on {@code to} (stdout or stderr); on a terminal, on a line of its own above the bar. */
    void println(PrintWriter to, String line) {
        if (screen == null) {
            to.println(line);
            to.flush();
        } else {
            screen.above(to, line);
        }
    }

    /**
     * Ends the bar at its final state; in plain mode prints a last line with the final count (the total, unless
     * the run stopped early), unless the last line already showed it or nothing was done.
     */
    @Override
    public void close() {
        if (bar != null) {
            screen.finishing();
            bar.close();
        } else if (plain != null && done != shown) {
            printPlain();
        }
    }

    /**
     * Draws the bar, and lines above it. One lock orders the bar's redraws (on the library's thread) and the lines
     * printed in between. The library draws the final state twice when it closes (once because the count
     * changed, once more unconditionally): the last of those is drawn once, when it closes the consumer.
     */
    private static final class Screen extends ConsoleProgressBarConsumer {
        private final PrintStream out;
        private final int width;
        private final CountDownLatch drawn = new CountDownLatch(1);
        private String shown;
        private String last;
        private boolean finishing;

        Screen(PrintStream out, int width) {
            super(out, width);
            this.out = out;
            this.width = width;
        }

        void awaitFirstDraw() {
            try {
                drawn.await(10, TimeUnit.SECONDS); // the bar is on screen before anything is reported (in ms)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public synchronized void accept(String rendered) {
            if (finishing) {
                last = rendered;
                return;
            }
            super.accept(rendered);
            out.flush();
            shown = rendered;
            drawn.countDown();
        }

        synchronized void above(PrintWriter to, String line) {
            if (shown != null) {
                out.print('\r' + " ".repeat(width) + '\r');
                out.flush();
            }
            to.println(line);
            to.flush();
            if (shown != null) {
                super.accept(shown);
                out.flush();
            }
        }

        synchronized void finishing() {
            finishing = true;
        }

        @Override
        public synchronized void close() {
            if (last != null) {
                super.accept(last);
            }
            super.close();
        }
    }
}
