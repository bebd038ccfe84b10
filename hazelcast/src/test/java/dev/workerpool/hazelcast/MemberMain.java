package dev.workerpool.hazelcast;

import java.io.IOException;
import java.time.Duration;

/**
 * A member JVM for the cluster tests: joins the cluster, serves {@link JobsWorkPool}, {@link JobsRetriedPool} and
 * {@link JobsFailingPool} with two workers each, prints {@code READY <uuid>}, and exits when its standard input
 * closes (so it never outlives the test that started it). Arguments: port, then the addresses of the members to
 * join. With {@code -Dworkerpool.test.submit=N} it also submits N jobs of 200 ms to its {@link JobsWorkPool},
 * printing {@code SUBMITTED <count>} after each (for a test that kills a submitter).
 */
public final class MemberMain {
    private MemberMain() {
    }

    /**
     * Runs the member until its standard input closes.
     *
     * @param args this member's port, then the comma-separated addresses of the members to join
     * @throws IOException if its standard input cannot be read
     */
    public static void main(String[] args) throws IOException {
        HazelcastBackend backend = HazelcastBackend.builder()
                .cluster(System.getProperty("workerpool.test.cluster"))
                .address("127.0.0.1", Integer.parseInt(args[0]))
                .members(args[1].split(","))
                .timeout(Duration.ofSeconds(60))
                .start();
        Jobs.hazelcast = backend.hazelcast();
        JobsWorkPool pool = JobsWorkPool.start(backend);
        JobsRetriedPool retried = JobsRetriedPool.start(backend);
        JobsFailingPool failing = JobsFailingPool.start(backend);
        System.out.println("READY " + backend.hazelcast().getCluster().getLocalMember().getUuid());
        System.out.flush();
        int submit = Integer.getInteger("workerpool.test.submit", 0);
        for (int i = 0; i < submit; i++) {
            try {
                pool.submit(9_000_000L + i, 200, "run");
            } catch (InterruptedException e) {
                break;
            }
            System.out.println("SUBMITTED " + (i + 1));
            System.out.flush();
        }
        while (System.in.read() >= 0) {
            // wait for the test to end
        }
        pool.cancel();
        retried.cancel();
        failing.cancel();
        backend.close();
        System.exit(0);
    }
}
