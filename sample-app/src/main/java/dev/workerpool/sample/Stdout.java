package dev.workerpool.sample;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Standard output as the commands write it: file descriptor 1, in the charset {@code System.out} uses. Unlike a
 * writer over {@code System.out} (a {@code PrintStream}, which keeps its errors to itself), the writer's
 * {@link PrintWriter#checkError()} turns true once a write fails, and the failure is kept, so that a command
 * notices a closed stdout ({@code ... | head}) and the program can tell a reader that went away (a broken pipe)
 * from any other failure (a full disk).
 */
final class Stdout extends FilterOutputStream {

    /** The first write to stdout that failed, or null. */
    private static volatile IOException failure;

    private Stdout(OutputStream out) {
        super(out);
    }

    /** A writer on stdout, flushed at each line (as picocli's own is); see {@link #failure()}. */
    static PrintWriter writer() {
        String name = System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
        Charset charset;
        try {
            charset = name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) { // not a charset name, or not one this JVM has
            charset = Charset.defaultCharset();
        }
        OutputStream fd = new FileOutputStream(FileDescriptor.out);
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(new Stdout(fd), charset)), true);
    }

    /** The first write to stdout that failed, or null if none did (or stdout is not this class's). */
    static IOException failure() {
        return failure;
    }

    /**
     * Whether a failed write to stdout says that the reader of the pipe went away. Java gives no error code, only
     * the system's text for it: {@code EPIPE} is "Broken pipe" on Linux and macOS (older JDKs added " (Write
     * failed)"); on Windows, "The pipe is being closed" ({@code ERROR_NO_DATA}) or "The pipe has been ended"
     * ({@code ERROR_BROKEN_PIPE}). Those texts follow the system's language where it has translations, so the
     * text this JVM itself gets for {@code EPIPE} counts too ({@link #ownBrokenPipeText()}). Any other failure (a
     * full disk, an I/O error, "All pipe instances are busy") is not a broken pipe: it gets its one line. Safe to
     * call from any thread.
     */
    static boolean isBrokenPipe(IOException e) {
        return isBrokenPipe(e, ownBrokenPipeText());
    }

    /** {@link #isBrokenPipe(IOException)} with {@code own}, this JVM's text for {@code EPIPE} (null: unknown). */
    static boolean isBrokenPipe(IOException e, String own) {
        String message = e.getMessage();
        if (message == null) {
            return false;
        }
        message = message.strip();
        if (own != null && message.equals(own.strip())) {
            return true; // in the system's language, whatever that is
        }
        message = message.toLowerCase(Locale.ROOT);
        if (message.endsWith(".")) { // Java drops Windows' final period; not every wrapper does
            message = message.substring(0, message.length() - 1);
        }
        return message.equals("broken pipe") || message.startsWith("broken pipe (")
                || message.equals("the pipe is being closed") || message.equals("the pipe has been ended");
    }

    /**
     * The text this JVM gets for {@code EPIPE}, in the system's language, or null where it cannot be had: a write to
     * a pipe whose reader is closed ({@link Pipe}, a pipe of the system's on Unix; on Windows a pair of sockets,
     * whose error is not a pipe's, so null there). Computed once, at the first call.
     */
    static String ownBrokenPipeText() {
        return OwnText.EPIPE;
    }

    /** Holder: the probe runs only if a write to stdout fails. */
    private static final class OwnText {
        static final String EPIPE = probe();

        private static String probe() {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return null;
            }
            try {
                Pipe pipe = Pipe.open();
                pipe.source().close();
                try (Pipe.SinkChannel sink = pipe.sink()) {
                    sink.write(ByteBuffer.wrap(new byte[1]));
                    return null; // written to a pipe without a reader: not a pipe as expected
                }
            } catch (IOException e) {
                return e.getMessage();
            }
        }
    }

    private static IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        try {
            out.write(bytes, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }
}
