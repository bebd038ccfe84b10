package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sizes each command runs with when no option says otherwise, as its summary reports them: the annotation's
 * workers and buffer for hash and import (the issue: "--workers and --buffer override the annotation's
 * defaults"), as many workers as processors for the CPU-bound thumbs and classify, 8 workers for scrape.
 */
class DefaultsTest {

    @TempDir
    Path dir;

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static void assertRow(String summary, String name, String value) {
        assertTrue(summary.matches("(?s).*\\| \\Q" + name + "\\E +\\| +\\Q" + value + "\\E \\|.*"),
                name + " = " + value + " in\n" + summary);
    }

    @Test
    void hashRunsWithTheAnnotationsWorkersAndBuffer() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("a"), "a");
        Cli.Run run = Cli.run("hash", tree.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(4, FileHasherSha256Pool.WORKERS);
        assertEquals(64, FileHasherSha256Pool.BUFFER);
        assertRow(run.out(), "workers / buffer", "4 / 64");
        Cli.Run overridden = Cli.run("hash", tree.toString(), "--workers", "2", "--buffer", "3");
        assertRow(overridden.out(), "workers / buffer", "2 / 3");
    }

    @Test
    void importRunsWithTheAnnotationsWorkersAndBuffer() throws IOException {
        Path csv = Files.writeString(dir.resolve("s.csv"), "id,name,email,grade\n1,Ada,ada@example.edu,90\n");
        Cli.Run run = Cli.run("import", csv.toString(), "--database", dir.resolve("db").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(4, StudentImporterInsertPool.WORKERS);
        assertEquals(8, StudentImporterInsertPool.BUFFER);
        assertRow(run.out(), "workers / buffer / chunk", "4 / 8 / 500");
    }

    @Test
    void thumbsRunsWithAWorkerPerProcessor() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Cli.Run run = Cli.run("thumbs", images.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, run.code(), run.err());
        assertRow(run.out(), "workers / buffer", CORES + " / " + ThumbnailerResizePool.BUFFER);
    }

    @Test
    void classifyRunsWithAWorkerPerProcessor() {
        StringWriter err = new StringWriter();
        int code = ClassifyCommandTest.run(new ByteArrayInputStream("INFO x\n".getBytes(StandardCharsets.UTF_8)),
                new StringWriter(), err, "classify");
        assertEquals(0, code, err.toString());
        assertRow(err.toString(), "workers / buffer / batch", CORES + " / " + LogClassifierPool.BUFFER + " / 256");
    }

    @Test
    void scrapeRunsWithEightWorkers() throws IOException {
        // A port bound but not listening: the request is refused at once, and the summary is printed.
        Cli.Run run;
        try (java.net.Socket notListening = new java.net.Socket()) {
            java.net.InetAddress loopback = java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            notListening.bind(new java.net.InetSocketAddress(loopback, 0));
            run = Cli.run("scrape", "http://127.0.0.1:" + notListening.getLocalPort() + "/");
        }
        assertEquals(1, run.code(), run.out() + run.err());
        assertRow(run.out(), "workers / buffer", "8 / " + FetcherFetchPool.BUFFER);
        assertRow(run.out(), "per-host rate", "2/s");
        assertRow(run.out(), "timeout", "10.0 s");
    }
}
