package dev.workerpool.hazelcast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Member JVMs ({@link MemberMain}) on 127.0.0.1, started and killed by the tests. Each reads its standard input
 * and exits when it closes, and {@link #close()} kills whatever is left, so none outlives the test run.
 */
final class MemberProcesses implements AutoCloseable {
    /** One member JVM: its process, port, name, Hazelcast UUID and output. */
    static final class Member {
        final String name;
        final int port;
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile String uuid;

        Member(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.process = process;
        }
    }

    final String cluster;
    final int submitterPort;
    private final List<Integer> ports = new CopyOnWriteArrayList<>();
    final Map<String, Member> members = new ConcurrentHashMap<>();
    private int started;

    MemberProcesses(String cluster) {
        this.cluster = cluster;
        this.submitterPort = freePort();
        ports.add(submitterPort);
    }

    /** The addresses members join: the submitter's and every member's started so far, and a few ahead. */
    String addresses() {
        List<String> all = new ArrayList<>();
        ports.forEach(p -> all.add("127.0.0.1:" + p));
        return String.join(",", all);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts member JVMs named {@code member-<n>}; returns once each has printed READY. */
    List<Member> start(int count) throws Exception {
        return start(count, List.of());
    }

    /** As {@link #start(int)}, with more options for the JVMs ({@code -D...}: see {@link MemberMain}). */
    synchronized List<Member> start(int count, List<String> options) throws Exception {
        List<Member> fresh = new ArrayList<>();
        List<Integer> freshPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = freePort();
            freshPorts.add(port);
            ports.add(port);
        }
        for (int port : freshPorts) {
            String name = "member-" + (++started);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx160m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xshare:auto",
                    "-Dworkerpool.test.member=" + name, "-Dworkerpool.test.cluster=" + cluster,
                    "-Djava.util.logging.config.file=none");
            builder.command().addAll(options);
            builder.command().addAll(List.of("-cp", System.getProperty("java.class.path"),
                    MemberMain.class.getName(), Integer.toString(port), addresses()));
            builder.redirectErrorStream(true);
            Member member = new Member(name, port, builder.start());
            members.put(name, member);
            fresh.add(member);
            Thread reader = new Thread(() -> read(member), name + "-output");
            reader.setDaemon(true);
            reader.start();
        }
        for (Member member : fresh) {
            if (!member.ready.await(90, TimeUnit.SECONDS) || member.uuid == null) {
                throw new AssertionError(member.name + " did not start; its output:\n" + String.join("\n",
                        member.output));
            }
        }
        return fresh;
    }

    private static void read(Member member) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(member.process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                member.output.add(line);
                if (line.startsWith("READY ")) {
                    member.uuid = line.substring(6).trim();
                    member.ready.countDown();
                }
            }
        } catch (IOException e) {
            member.output.add("(output ended: " + e + ")");
        } finally {
            member.ready.countDown();
        }
    }

    /** kill -9. */
    void kill(Member member) throws InterruptedException {
        member.process.destroyForcibly();
        if (!member.process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(member.name + " survived kill -9");
        }
        members.remove(member.name);
    }

    Member byUuid(String uuid) {
        return members.values().stream().filter(m -> uuid.equals(m.uuid)).findFirst().orElse(null);
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        members.values().forEach(m -> all.append("--- ").append(m.name).append(" (").append(m.uuid).append(")\n")
                .append(String.join("\n", m.output)).append('\n'));
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Member member : members.values()) {
            try {
                member.process.getOutputStream().close(); // it exits when its input closes
            } catch (IOException e) {
                // already gone
            }
        }
        for (Member member : members.values()) {
            if (!member.process.waitFor(20, TimeUnit.SECONDS)) {
                member.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
        members.clear();
    }
}
