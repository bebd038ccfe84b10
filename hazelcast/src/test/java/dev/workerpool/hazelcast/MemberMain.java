package dev.workerpool.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A member JVM for the cluster tests: joins the cluster, serves {@link JobsWorkPool}, {@link JobsRetriedPool} and
 * {@link JobsFailingPool} with two workers each, prints {@code READY <uuid>}, and exits when its standard input
 * closes (so it never outlives the test that started it). Arguments: port, then the addresses of the members to
 * join. With {@code -Dworkerpool.test.submit=N} it also submits N jobs of 200 ms to its {@link JobsWorkPool},
 * printing {@code SUBMITTED <count>} after each (for a test that kills a submitter). With
 * {@code -Dworkerpool.test.drain=N} it is a full member that submits N jobs of 5-20 ms to its {@link JobsWorkPool}
 * (their lengths drawn from {@code -Dworkerpool.test.seed}, as {@link #millis} does), closes it and drains it:
 * see {@link #drain}.
 */
public final class MemberMain {
    /** The engine's log, held here so that the level the drain mode sets stays set (loggers are weakly held). */
    private static final Logger ENGINE_LOG = Logger.getLogger(HazelcastEngine.class.getName());

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
        int drain = Integer.getInteger("workerpool.test.drain", 0);
        if (drain > 0) {
            try {
                drain(backend.hazelcast(), pool, millis(drain, Long.getLong("workerpool.test.seed", 0)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.out.println("DRAINED interrupted");
                System.out.flush();
            }
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

    /** The lengths of {@code total} jobs of 5-20 ms, drawn from {@code seed}: the same for the same seed. */
    static int[] millis(int total, long seed) {
        Random random = new Random(seed);
        int[] millis = new int[total];
        for (int i = 0; i < total; i++) {
            millis[i] = 5 + random.nextInt(16);
        }
        return millis;
    }

    /**
     * The drain mode, this JVM a full member that submits and serves. Once the cluster is safe (no migration under
     * way, this member owning partitions), it submits jobs {@code 0..} with lengths {@code millis} to {@code pool}
     * from a producer thread, a {@code trySubmit} first, counting the refusals, then a blocking {@code submit};
     * after its first job it prints {@code QUEUE <name> <partition key> <whether this member owns it>}, the jobs
     * queue the pool picked, and samples that queue's size every 2 ms until its last submit. It then closes the
     * pool. This thread prints {@code RESULT <id> <value>} or {@code FAILED <id> <error>} for each result, as it
     * reads them, and once they end, and the pool awaits, {@code DRAINED awaited=<b> blocked=<refusals>
     * maxQueued=<most sampled> buffer=<its buffer> producer=<ok, or its error>}. Meanwhile it prints
     * {@code REQUEUED <the engine's message>} for each reconciliation that found jobs lost and queued them again
     * (a message the engine logs at {@code FINE}: for the test's report only).
     */
    private static void drain(HazelcastInstance hz, JobsWorkPool pool, int[] millis) throws InterruptedException {
        ENGINE_LOG.setLevel(Level.FINE);
        ENGINE_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (record.getLevel() == Level.FINE && message != null && message.contains("queued again")) {
                    System.out.println("REQUEUED " + message);
                }
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
                // nothing held
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(hz.getPartitionService().isClusterSafe() && ownsAPartition(hz)) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        AtomicInteger blocked = new AtomicInteger();
        AtomicInteger maxQueued = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            Thread sampler = null;
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            try {
                for (int i = 0; i < millis.length && System.nanoTime() < end; i++) {
                    if (!pool.trySubmit(new JobsWorkPool.Job(i, millis[i], "run"))) {
                        blocked.incrementAndGet();
                        pool.submit(i, millis[i], "run");
                    }
                    if (i == 0) {
                        String name = JobsPlacement.current(hz, "JobsWorkPool");
                        String key = name.substring(name.indexOf('@') + 1);
                        Member owner = hz.getPartitionService().getPartition(key).getOwner();
                        System.out.println("QUEUE " + name + " " + key + " " + (owner != null && owner.localMember()));
                        System.out.flush();
                        // the pool's own proxy: it has it already, and destroys it only after the close below
                        IQueue<Object> queue = hz.getQueue(name);
                        sampler = new Thread(() -> {
                            while (sampling.get() && System.nanoTime() < end) {
                                maxQueued.accumulateAndGet(queue.size(), Math::max);
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a sampling interval
                            }
                        }, "sampler");
                        sampler.setDaemon(true);
                        sampler.start();
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            } finally {
                sampling.set(false);
                try {
                    if (sampler != null) {
                        sampler.join(TimeUnit.SECONDS.toMillis(30));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    pool.close();
                }
            }
        }, "producer");
        producer.start();
        for (JobsWorkPool.Result r : pool.results()) {
            System.out.println(r.error() == null ? "RESULT " + r.job().id() + " " + r.value()
                    : "FAILED " + r.job().id() + " " + r.error());
        }
        boolean awaited = pool.await(Duration.ofSeconds(60));
        producer.join(TimeUnit.SECONDS.toMillis(60));
        Throwable error = producer.isAlive() ? new IllegalStateException("the producer is still running")
                : failed.get();
        System.out.println("DRAINED awaited=" + awaited + " blocked=" + blocked.get() + " maxQueued="
                + maxQueued.get() + " buffer=" + JobsWorkPool.BUFFER + " producer="
                + (error == null ? "ok" : error.toString().replace('\n', ' ')));
        System.out.flush();
    }

    /** Whether this member owns a partition: once it does, the partitions were shared out after it joined. */
    private static boolean ownsAPartition(HazelcastInstance hz) {
        for (Partition partition : hz.getPartitionService().getPartitions()) {
            Member owner = partition.getOwner();
            if (owner != null && owner.localMember()) {
                return true;
            }
        }
        return false;
    }
}
