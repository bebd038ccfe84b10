package dev.workerpool.hazelcast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
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

    /**
     * A port free on 127.0.0.1 that no other call in this JVM has returned, chosen below the kernel's ephemeral
     * range. A member that starts before another connects to that other's port while nothing listens on it yet. Were
     * the port ephemeral, the kernel could give such a connection that very port as its source, and the connection
     * would reach itself (a TCP self-connect) and hold the port: the member meant to bind it could not start.
     */
    static int freePort() {
        int[] ports = portsOutsideTheEphemeralRange();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(ports[0], ports[1]);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + ports[0] + ".." + (ports[1] - 1));
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * From (inclusive) and to (exclusive): ports from 10,000 up to the kernel's ephemeral range, or above it where it
     * starts too low to leave room below (Linux's default range where the kernel's cannot be read).
     */
    private static int[] portsOutsideTheEphemeralRange() {
        int first = 32_768;
        int last = 60_999;
        try {
            // one read of a buffer: read a byte at a time, this file gives only its first byte
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).strip()
                    .split("\\s+");
            first = Integer.parseInt(range[0]);
            last = Integer.parseInt(range[1]);
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: Linux's default
        }
        return first >= 11_000 ? new int[] {10_000, first} : new int[] {last + 1, 65_536};
    }

    /** Whether a listening socket can bind {@code port} on 127.0.0.1 now (the socket is closed at once). */
    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
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

    /**
     * Closes the member's standard input, so that it ends its pools and leaves the cluster as a member does that
     * shuts down, and waits for it to exit; returns its exit code.
     */
    int stop(Member member) throws InterruptedException {
        try {
            member.process.getOutputStream().close();
        } catch (IOException e) {
            // already gone: its exit code tells
        }
        if (!member.process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(member.name + " did not exit within 60 s of its input closing; its output:\n"
                    + String.join("\n", member.output));
        }
        members.remove(member.name);
        return member.process.exitValue();
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
