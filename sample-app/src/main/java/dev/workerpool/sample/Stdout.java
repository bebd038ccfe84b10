package dev.workerpool.sample;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
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

    /** Whether a failed write says that the reader of the pipe went away ({@code EPIPE}; on Windows, too). */
    static boolean isBrokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("pipe");
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
