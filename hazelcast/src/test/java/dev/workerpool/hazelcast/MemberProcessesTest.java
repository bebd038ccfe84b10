package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ports the cluster tests give their members. */
class MemberProcessesTest {
    /**
     * A port handed out is one the kernel never picks as the source of an outgoing connection: were it, a member
     * connecting to it before its own member listened could connect to itself and hold it (this is how a cluster
     * test once failed to start its second member). Nor is a port handed out twice, and each is free to bind.
     */
    @Test
    void portsAreFreeDistinctAndOutsideTheEphemeralRange() throws Exception {
        Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        String[] range = Files.isReadable(file) ? Files.readAllLines(file).get(0).strip().split("\\s+")
                : new String[] {"32768", "60999"};
        int first = Integer.parseInt(range[0]);
        int last = Integer.parseInt(range[1]);
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = MemberProcesses.freePort();
            assertTrue(port < first || port > last, port + " is in the ephemeral range, " + first + ".." + last);
            ports.add(port);
            assertTrue(MemberProcesses.bindable(port), port + " is taken");
        }
        assertEquals(200, ports.size(), "handed out twice");
    }
}
