package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which failed writes to stdout are a reader that went away (exit code 141, silent) and which are another failure
 * (exit code 1, one line): {@link Stdout#isBrokenPipe}. It used to take any message holding "pipe".
 */
class BrokenPipeTest {

    /** What Linux, macOS and Windows say, as Java reports it (and as some wrappers pass it on). */
    @ParameterizedTest
    @ValueSource(strings = {"Broken pipe", "broken pipe", "Broken pipe (Write failed)", "The pipe is being closed",
        "The pipe is being closed.", "The pipe has been ended", "The pipe has been ended.", " Broken pipe\n"})
    void aReaderThatWentAwayIsABrokenPipe(String message) {
        assertTrue(Stdout.isBrokenPipe(new IOException(message)), message);
    }

    /** Other failures, some of which name a pipe, are not: they are reported. */
    @ParameterizedTest
    @ValueSource(strings = {"No space left on device", "Input/output error", "Disk quota exceeded", "Stream Closed",
        "All pipe instances are busy", "The pipe is busy", "The pipe state is invalid", "Pipe connected",
        "Resource temporarily unavailable", "File too large", "pipeline stalled", ""})
    void otherFailuresAreNot(String message) {
        assertFalse(Stdout.isBrokenPipe(new IOException(message)), message);
    }

    @Test
    void anExceptionWithNoMessageIsNot() {
        assertFalse(Stdout.isBrokenPipe(new IOException()));
    }

    /**
     * Where the system says it in its own language (a translated {@code strerror}, a Windows in German), this JVM's
     * own text for {@code EPIPE} is what counts, whatever it holds.
     */
    @Test
    void theSystemsOwnTextCountsInAnyLanguage() {
        String japanese = "\u30d1\u30a4\u30d7\u304c\u5207\u65ad\u3055\u308c\u307e\u3057\u305f";
        assertTrue(Stdout.isBrokenPipe(new IOException(japanese), japanese));
        assertFalse(Stdout.isBrokenPipe(new IOException(japanese), "Broken pipe"));
        assertFalse(Stdout.isBrokenPipe(new IOException("No space left on device"), japanese));
        assertTrue(Stdout.isBrokenPipe(new IOException("Broken pipe"), japanese), "the known texts still count");
        assertTrue(Stdout.isBrokenPipe(new IOException("Broken pipe"), null));
    }

    /** On Unix this JVM finds its own text for {@code EPIPE}: here, in the C locale, glibc's or macOS's. */
    @Test
    void thisJvmKnowsItsOwnTextOnUnix() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        String own = Stdout.ownBrokenPipeText();
        assertNotNull(own);
        assertTrue(Stdout.isBrokenPipe(new IOException(own)));
        if ("C".equals(System.getenv("LC_ALL")) || System.getenv("LANG") == null) {
            assertEquals("Broken pipe", own);
        }
    }

    /**
     * A real one: a write through a {@code FileOutputStream} (as stdout's) to a pipe whose reader has gone, here
     * the standard input of a child process that closes it and stays (once a child has exited, Java closes the
     * stream itself: "Stream closed").
     */
    @Test
    void aWriteToAPipeWhoseReaderWentAwayIsABrokenPipe() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/bin/sh")), "a shell");
        Process child = new ProcessBuilder("/bin/sh", "-c", "exec 0<&-; sleep 60")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            OutputStream stdin = child.getOutputStream();
            byte[] block = new byte[64 * 1024];
            try {
                for (int i = 0; i < 64; i++) { // more than any pipe buffers: blocks until the child closes it
                    stdin.write(block);
                    stdin.flush();
                }
                fail("4 MB written to a pipe whose reader closed it");
            } catch (IOException e) {
                assertTrue(child.isAlive(), "the child closed its stdin, and is still there: " + e);
                assertTrue(Stdout.isBrokenPipe(e), e.toString());
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
