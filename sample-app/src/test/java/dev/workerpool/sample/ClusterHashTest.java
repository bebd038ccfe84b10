package dev.workerpool.sample;

import static dev.workerpool.sample.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workerpool.sample.Cli.Run;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hash --cluster} end to end: a {@code serve} member in a JVM of its own (127.0.0.1, a free port, its
 * standard input tied to the test), then {@code hash --cluster} against it, whose output must be the local run's.
 */
class ClusterHashTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void hashOnAClusterPrintsWhatALocalRunPrints() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 60; i++) {
            Path sub = Files.createDirectories(tree.resolve("d" + i % 4));
            Files.writeString(sub.resolve("f" + i + ".txt"), "file " + i + " ".repeat(i * 37), StandardCharsets.UTF_8);
        }
        Files.createSymbolicLink(tree.resolve("dangling"), tree.resolve("nowhere")); // an error that travels back

        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx192m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), DemoApp.class.getName(),
                "serve", "--port", Integer.toString(port), "--stop-on-eof").redirectErrorStream(true).start();
        List<String> serverOutput = new CopyOnWriteArrayList<>();
        CountDownLatch serving = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    serverOutput.add(line);
                    if (line.startsWith("serving hash on")) {
                        serving.countDown();
                    }
                }
            } catch (IOException e) {
                serverOutput.add("(output ended: " + e + ")");
            }
        }, "serve-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(serving.await(90, TimeUnit.SECONDS), "serve did not start:\n" + String.join("\n", serverOutput));

            Run local = run("hash", tree.toString(), "--ordered");
            List<String> localLines = digestLines(local.out());
            assertEquals(60, localLines.size(), local.out());
            // Which member's worker takes a job is the cluster's business: this JVM's one worker may hash every
            // file before serve follows the queue it picked. So runs until serve took some, at most five.
            Run clustered = null;
            for (int attempt = 0; attempt < 5 && (clustered == null || !servedSome(clustered, port)); attempt++) {
                clustered = run("hash", tree.toString(), "--ordered", "--workers", "1",
                        "--cluster", "127.0.0.1:" + port);
                assertEquals(local.code(), clustered.code(), clustered.err());
                assertEquals(localLines, digestLines(clustered.out()), clustered.out());
                assertEquals(unreadable(local.err()), unreadable(clustered.err()));
                assertEquals(1, unreadable(clustered.err()).size(), clustered.err());
                assertTrue(clustered.out().contains("members"), clustered.out());
            }
            assertTrue(servedSome(clustered, port), clustered.out());
        } finally {
            server.getOutputStream().close(); // --stop-on-eof: it leaves the cluster and exits
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean servedSome(Run clustered, int port) {
        return clustered.out().contains("hashed on 127.0.0.1:" + port);
    }

    private static List<String> digestLines(String out) {
        return out.lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).toList();
    }

    private static List<String> unreadable(String err) {
        return err.lines().filter(l -> l.startsWith("unreadable: ")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
