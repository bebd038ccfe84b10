package dev.workerpool.sample;

import java.io.PrintWriter;

/**
 * Stdout was closed by its reader ({@code ... | head}) or could not be written (a full disk): the command has
 * stopped its work (cancelled its pool, left its producer to end). The program ends with exit code
 * {@value #BROKEN_PIPE} and no message for a closed pipe, as a Unix tool killed by {@code SIGPIPE} does, and with
 * exit code 1 and one line for any other failure.
 */
final class OutputClosed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit code for a stdout whose reader went away: 128 + SIGPIPE (13), what a shell shows for such a tool. */
    static final int BROKEN_PIPE = 141;

    OutputClosed() {
        super("stdout was closed or could not be written", null, false, false);
    }

    /**
     * Throws {@link OutputClosed} if a write to {@code out} failed: {@link PrintWriter#checkError()}, which flushes
     * it first, so a stdout closed since the last line is noticed now.
     */
    static void check(PrintWriter out) {
        if (out.checkError()) {
            throw new OutputClosed();
        }
    }
}
