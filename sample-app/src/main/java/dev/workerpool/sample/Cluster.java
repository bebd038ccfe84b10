package dev.workerpool.sample;

import dev.workerpool.hazelcast.HazelcastBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Joining the demo's cluster: {@code serve} and {@code hash --cluster}, on this machine's loopback address. */
final class Cluster {
    /** The cluster's name: members of other names never join it. */
    static final String NAME = "workerpool-demo";
    static final String HOST = "127.0.0.1";
    /** Held so that the level stays: Hazelcast logs every step of joining at INFO. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    private Cluster() {}

    /**
     * Starts this JVM's member on {@code port} (0: any free one), joining {@code others}, and waits until at
     * least {@code minMembers} are in the cluster.
     */
    static HazelcastBackend join(int port, List<String> others, int minMembers, Level logLevel) {
        HAZELCAST_LOG.setLevel(logLevel);
        int own = port == 0 ? freePort() : port;
        List<String> members = new ArrayList<>(others);
        members.add(HOST + ":" + own);
        try {
            return HazelcastBackend.builder().cluster(NAME).address(HOST, own)
                    .members(members.toArray(String[]::new)).minMembers(minMembers)
                    .timeout(Duration.ofSeconds(30)).start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Checks and splits {@code host:port,host:port,...}. */
    static List<String> addresses(String list) {
        List<String> addresses = new ArrayList<>();
        for (String address : list.split(",")) {
            String a = address.strip();
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || !a.substring(colon + 1).matches("[0-9]{1,5}")
                    || Integer.parseInt(a.substring(colon + 1)) < 1
                    || Integer.parseInt(a.substring(colon + 1)) > 65535) {
                throw new UserError("not a host:port address: '" + a + "'");
            }
            addresses.add(a);
        }
        return addresses;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
