package dev.workerpool.sample;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.workerpool.hazelcast.HazelcastBackend;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: a cluster member on 127.0.0.1 whose workers hash files for every {@code hash --cluster} that
 * joins, until it is killed (or its standard input ends, with {@code --stop-on-eof}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        // One string: the command list shows only the first element of a description array.
        description = "Serve hash --cluster: start a cluster member on 127.0.0.1:PORT whose W workers hash files "
                + "for every JVM that runs hash --cluster against it. Runs until killed.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "This member's port on 127.0.0.1 (default: "
            + "${DEFAULT-VALUE}).")
    int port = 5701;

    @Option(names = "--join", paramLabel = "HOST:PORT,...", description = "Other members to join, if any are running.")
    String join;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads here (default: ${DEFAULT-VALUE}).")
    int workers = ClusterHasherSha256Pool.WORKERS;

    @Option(names = "--buffer", paramLabel = "B",
            description = "Files waiting for a worker, cluster-wide; the same on every member (default: "
                    + "${DEFAULT-VALUE}).")
    int buffer = ClusterHasherSha256Pool.BUFFER;

    @Option(names = "--stop-on-eof", description = "Also stop when standard input ends (for scripts and tests).")
    boolean stopOnEof;

    @Override
    public Integer call() throws Exception {
        Options.checkSizes(workers, buffer);
        if (port < 1 || port > 65535) {
            throw new UserError("--port must be 1 to 65535, was " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> others = join == null ? List.of() : Cluster.addresses(join);
        HazelcastBackend backend = Cluster.join(port, others, 1, Level.SEVERE);
        String me = Cluster.HOST + ":" + port;
        try {
            backend.hazelcast().getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                    say(out, "member joined: " + event.getMember().getAddress() + " (" + event.getMembers().size()
                            + " members)");
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    say(out, "member left: " + event.getMember().getAddress() + " (" + event.getMembers().size()
                            + " members)");
                }
            });
            ClusterHasherSha256Pool pool = Options.startPool(
                    () -> ClusterHasherSha256Pool.start(new ClusterHasher(me), workers, buffer, backend));
            say(out, "serving hash on " + me + " with " + workers + " workers ("
                    + backend.hazelcast().getCluster().getMembers().size() + " members); stop it with Ctrl-C or kill");
            if (stopOnEof) {
                while (System.in.read() >= 0) {
                    // serve until standard input ends
                }
            } else {
                // Until killed. The backend turns Hazelcast's shutdown hook off, so a killed member (any
                // signal) leaves as a dead one does: the others run its jobs again.
                new CountDownLatch(1).await();
            }
            pool.cancel();
        } finally {
            backend.close();
        }
        return 0;
    }

    private static void say(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
