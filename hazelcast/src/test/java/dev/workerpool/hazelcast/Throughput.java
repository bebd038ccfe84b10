package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.spi.impl.operationservice.impl.OperationServiceImpl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The BENCHMARKS.md harness (a program, not a test): jobs per second through the distributed pool and through a
 * raw Hazelcast pool that hands each job and each result over one at a time ({@code put}/{@code take} on a
 * bounded jobs queue and on a results queue), with 1, 2 and 3 members, for trivial and 1 ms jobs, {@link #WORKERS}
 * workers per member for both. This JVM is the first member: it submits and reads, and has workers of its own;
 * the other members are JVMs of their own ({@link Member}) that serve both pools all along. Within one cluster the
 * two pools alternate, run after run (the order swapped every round), so that both see the same machine; the
 * ratio is taken within each round and the median reported. Before the rounds, each pool makes {@code warm-ups}
 * runs of a third of the jobs, so that the JIT has compiled both pools' paths on every member (with one, the
 * rounds measured mostly the pool's warm-up: it has more code than the raw pool). Run: {@code java -cp <hazelcast
 * test classpath> dev.workerpool.hazelcast.Throughput [rounds] [member counts, e.g. 1,2,3] [warm-ups]}.
 */
public final class Throughput {
    static final int WORKERS = 4;
    static final int BUFFER = 64;
    private static final String RAW_JOBS = "raw.jobs";
    private static final String RAW_RESULTS = "raw.results";
    /** A property: {@code true} makes the raw pool's queues keep their backups as the pool's do, not waited for. */
    private static final String ASYNC_RAW = "throughput.raw.async";
    /**
     * A property: {@code true} also prints, per pool, how much of each measured run its producer spent inside
     * {@code submit} (the pool) or {@code put} (the raw pool), the mean time of one such call, and how many jobs
     * found the queue full (each job is then tried first, {@code trySubmit} or {@code offer}, then waited for):
     * whether one producer's hand-offs, one at a time, set the rate, and whether it waits for room or for the
     * operation itself.
     */
    private static final String PRODUCER = "throughput.producer";
    /**
     * A property: {@code true} also prints, per pool, how many operations the first member (the submitting one)
     * executed per job (Hazelcast's count, through its internal API: a probe of this harness only). With one
     * member that is every operation of the run.
     */
    private static final String OPS = "throughput.ops";
    /**
     * A property: {@code true} also prints, per cluster after the warm-ups, which member owns each queue's
     * partition and which keeps its first backup ({@code S}: the submitting member, {@code M<port>}: another),
     * through Hazelcast's internal partition service (a probe of this harness only).
     */
    private static final String PLACEMENT = "throughput.placement";
    /** A property: how many trivial jobs a measured run has (default 3,000); more make the rounds steadier. */
    private static final String TRIVIAL_JOBS = "throughput.trivial";
    /** Operations the first member executed per job over the last run. */
    private static volatile double operationsPerJob;
    /** Nanoseconds the last run's producer spent in its submit or put calls. */
    private static volatile long producerNanos;
    /** With {@link #PRODUCER}: how many of the last run's jobs found the jobs queue full (a try first, then a wait). */
    private static volatile int producerFoundFull;

    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int warmUps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int[] counts = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2, 3};
        System.out.println("| members | job | raw IQueue pool (jobs/s) | raw µs/job | workerpool (jobs/s) "
                + "| ratio (median of rounds) | ratios per round | jobs queue on the submitter's member: pool, raw |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int members : counts) {
            cluster(members, rounds, warmUps);
        }
    }

    private static void cluster(int members, int rounds, int warmUps) throws Exception {
        int port = MemberProcesses.freePort();
        List<String> addresses = new ArrayList<>(List.of("127.0.0.1:" + port));
        for (int i = 1; i < members; i++) {
            addresses.add("127.0.0.1:" + MemberProcesses.freePort());
        }
        String cluster = "bench-" + port;
        List<Process> processes = new ArrayList<>();
        HazelcastBackend backend = null;
        try {
            for (int i = 1; i < members; i++) {
                processes.add(startMember(cluster, addresses, i));
            }
            backend = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", port)
                    .members(addresses.toArray(String[]::new)).minMembers(members)
                    .timeout(Duration.ofSeconds(120)).start();
            for (Process p : processes) {
                awaitReady(p);
            }
            startRawWorkers(backend.hazelcast()); // daemons: they end with the member
            String placement = null; // the pool's jobs queue is picked as it first submits
            for (int millis : new int[] {0, 1}) {
                int jobs = millis == 0 ? Integer.getInteger(TRIVIAL_JOBS, 3_000) : 1_500 * members;
                for (int i = 0; i < warmUps; i++) { // not counted
                    run(backend, millis, jobs / 3, true);
                    run(backend, millis, jobs / 3, false);
                }
                HazelcastInstance hz = backend.hazelcast();
                String poolJobs = JobsPlacement.current(hz, "JobsWorkPool"); // kept while a member serves
                if (poolJobs == null) { // the submitter alone: each run picks this one again as it first submits
                    poolJobs = JobsPlacement.localQueue(hz, "JobsWorkPool");
                }
                if (placement == null) {
                    placement = here(hz, poolJobs) + ", " + here(hz, RAW_JOBS);
                }
                if (millis == 0 && Boolean.getBoolean(PLACEMENT)) {
                    System.out.printf(Locale.ROOT, "placement, %d members (owner/backup): pool jobs %s (its results "
                            + "queues: S/any), raw jobs %s, raw results %s%n", members,
                            replicas(hz, poolJobs), replicas(hz, RAW_JOBS),
                            replicas(hz, RAW_RESULTS));
                }
                double[] raw = new double[rounds];
                double[] pool = new double[rounds];
                double[] ratio = new double[rounds];
                double[][] busy = new double[2][rounds]; // raw, pool: the producer's share of the run in its calls
                double[][] full = new double[2][rounds]; // raw, pool: the share of jobs that found the queue full
                double[][] ops = new double[2][rounds]; // raw, pool: operations per job on the first member
                for (int round = 0; round < rounds; round++) {
                    boolean rawFirst = round % 2 == 0;
                    double first = run(backend, millis, jobs, rawFirst);
                    double firstBusy = producerNanos / (jobs / first * 1e9);
                    double firstFull = producerFoundFull / (double) jobs;
                    double firstOps = operationsPerJob;
                    double second = run(backend, millis, jobs, !rawFirst);
                    double secondBusy = producerNanos / (jobs / second * 1e9);
                    double secondFull = producerFoundFull / (double) jobs;
                    ops[0][round] = rawFirst ? firstOps : operationsPerJob;
                    ops[1][round] = rawFirst ? operationsPerJob : firstOps;
                    full[0][round] = rawFirst ? firstFull : secondFull;
                    full[1][round] = rawFirst ? secondFull : firstFull;
                    raw[round] = rawFirst ? first : second;
                    pool[round] = rawFirst ? second : first;
                    busy[0][round] = rawFirst ? firstBusy : secondBusy;
                    busy[1][round] = rawFirst ? secondBusy : firstBusy;
                    ratio[round] = pool[round] / raw[round];
                }
                if (Boolean.getBoolean(PRODUCER)) {
                    System.out.printf(Locale.ROOT, "producer, %d members, %s: in put %.0f%% of the run (%.1f µs per "
                            + "put), queue full for %.0f%% of the jobs; in submit %.0f%% (%.1f µs per submit), "
                            + "queue full for %.0f%%%n", members, millis == 0 ? "trivial" : "1 ms",
                            100 * median(busy[0]), median(busy[0]) * 1e6 / median(raw), 100 * median(full[0]),
                            100 * median(busy[1]), median(busy[1]) * 1e6 / median(pool), 100 * median(full[1]));
                }
                if (Boolean.getBoolean(OPS)) {
                    System.out.printf(Locale.ROOT, "operations per job on the first member, %d members, %s: raw %.2f,"
                            + " pool %.2f%n", members, millis == 0 ? "trivial" : "1 ms", median(ops[0]),
                            median(ops[1]));
                }
                StringBuilder each = new StringBuilder();
                for (double r : ratio) {
                    each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", r));
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %,.0f | %.2f | %s | %s |%n", members,
                        millis == 0 ? "trivial" : "1 ms", median(raw), 1e6 / median(raw), median(pool),
                        median(ratio), each, placement);
            }
        } finally {
            for (Process p : processes) {
                p.getOutputStream().close();
            }
            for (Process p : processes) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            if (backend != null) {
                backend.close();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Process startMember(String cluster, List<String> addresses, int index) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Dworkerpool.test.cluster=" + cluster, "-Djava.util.logging.config.file=none",
                "-D" + ASYNC_RAW + "=" + Boolean.getBoolean(ASYNC_RAW),
                "-cp", System.getProperty("java.class.path"), Member.class.getName(),
                addresses.get(index).substring(addresses.get(index).indexOf(':') + 1), String.join(",", addresses));
        builder.redirectErrorStream(true);
        return builder.start();
    }

    private static void awaitReady(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException e) {
                        // ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
            lines.add(line);
        }
        throw new IllegalStateException("a member did not start:\n" + String.join("\n", lines));
    }

    /** Where a queue's partition and its first backup live: {@code S} (this member) or {@code M<port>}. */
    private static String replicas(HazelcastInstance hz, String name) {
        com.hazelcast.instance.impl.Node node = ((HazelcastInstanceProxy) hz).getOriginal().node;
        com.hazelcast.internal.partition.InternalPartition partition = node.getPartitionService()
                .getPartition(hz.getPartitionService().getPartition(hz.getQueue(name).getPartitionKey())
                        .getPartitionId());
        StringBuilder where = new StringBuilder();
        for (int replica = 0; replica < 2; replica++) {
            com.hazelcast.internal.partition.PartitionReplica r = partition.getReplica(replica);
            where.append(replica == 0 ? "" : "/").append(r == null ? "none" : r.address().equals(node.getThisAddress())
                    ? "S" : "M" + r.address().getPort());
        }
        return where.toString();
    }

    /** Whether the queue {@code name} lives on this member: the partition table decides, cluster by cluster. */
    private static String here(HazelcastInstance hz, String name) {
        com.hazelcast.cluster.Member owner = hz.getPartitionService()
                .getPartition(hz.getQueue(name).getPartitionKey()).getOwner();
        return owner == null ? "not yet known" : owner.localMember() ? "yes" : "no";
    }

    /** The raw pool's workers on one member: take a job, run it, put its result; until the member stops. */
    static void startRawWorkers(HazelcastInstance hz) {
        boolean async = Boolean.getBoolean(ASYNC_RAW);
        hz.getConfig().addQueueConfig(new QueueConfig(RAW_JOBS).setMaxSize(BUFFER)
                .setBackupCount(async ? 0 : 1).setAsyncBackupCount(async ? 1 : 0));
        hz.getConfig().addQueueConfig(new QueueConfig(RAW_RESULTS)
                .setBackupCount(async ? 0 : 1).setAsyncBackupCount(async ? 1 : 0));
        IQueue<Long> in = hz.getQueue(RAW_JOBS);
        IQueue<Long> out = hz.getQueue(RAW_RESULTS);
        for (int w = 0; w < WORKERS; w++) {
            Thread worker = new Thread(() -> {
                try {
                    while (true) {
                        long job = in.take();
                        Jobs.work(job >> 1, (int) (job & 1), "run");
                        out.put(job);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // the member is shutting down
                }
            }, "raw-worker-" + w);
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** One run: submit {@code jobs} from one thread, read every result on this one; jobs per second. */
    private static double run(HazelcastBackend backend, int millis, int jobs, boolean raw) throws Exception {
        OperationServiceImpl operations = ((HazelcastInstanceProxy) backend.hazelcast()).getOriginal().node
                .getNodeEngine().getOperationService();
        long before = operations.getExecutedOperationCount();
        double rate = raw ? rawRun(backend.hazelcast(), millis, jobs) : poolRun(backend, millis, jobs);
        operationsPerJob = (operations.getExecutedOperationCount() - before) / (double) jobs;
        return rate;
    }

    private static double poolRun(HazelcastBackend backend, int millis, int jobs) throws Exception {
        JobsWorkPool pool = JobsWorkPool.start(WORKERS, BUFFER, backend);
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                long in = 0;
                int foundFull = 0;
                boolean tryFirst = Boolean.getBoolean(PRODUCER);
                for (int i = 0; i < jobs; i++) {
                    long before = System.nanoTime();
                    if (!tryFirst || !pool.trySubmit(new JobsWorkPool.Job(i, millis, "run"))) {
                        foundFull += tryFirst ? 1 : 0;
                        pool.submit(i, millis, "run");
                    }
                    in += System.nanoTime() - before;
                }
                producerNanos = in;
                producerFoundFull = foundFull;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pool.close();
            }
        });
        producer.start();
        int read = 0;
        for (JobsWorkPool.Result r : pool.results()) {
            read += r.isSuccess() ? 1 : 0;
        }
        double rate = read / ((System.nanoTime() - start) / 1e9);
        producer.join();
        pool.await();
        if (read != jobs) {
            throw new AssertionError(read + " of " + jobs);
        }
        return rate;
    }

    private static double rawRun(HazelcastInstance hz, int millis, int jobs) throws Exception {
        IQueue<Long> in = hz.getQueue(RAW_JOBS);
        IQueue<Long> out = hz.getQueue(RAW_RESULTS);
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                long inPut = 0;
                int foundFull = 0;
                boolean tryFirst = Boolean.getBoolean(PRODUCER);
                for (long i = 0; i < jobs; i++) {
                    long before = System.nanoTime();
                    if (!tryFirst || !in.offer(i << 1 | millis)) {
                        foundFull += tryFirst ? 1 : 0;
                        in.put(i << 1 | millis);
                    }
                    inPut += System.nanoTime() - before;
                }
                producerNanos = inPut;
                producerFoundFull = foundFull;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        for (int i = 0; i < jobs; i++) {
            out.take();
        }
        double rate = jobs / ((System.nanoTime() - start) / 1e9);
        producer.join();
        return rate;
    }

    /**
     * Another member of the benchmark's cluster, in a JVM of its own: serves the pool and the raw pool with
     * {@link #WORKERS} workers each until its standard input closes. Arguments: its port, every member's address.
     */
    public static final class Member {
        private Member() {
        }

        public static void main(String[] args) throws IOException {
            HazelcastBackend backend = HazelcastBackend.builder()
                    .cluster(System.getProperty("workerpool.test.cluster"))
                    .address("127.0.0.1", Integer.parseInt(args[0]))
                    .members(args[1].split(","))
                    .timeout(Duration.ofSeconds(120))
                    .start();
            JobsWorkPool pool = JobsWorkPool.start(WORKERS, BUFFER, backend);
            startRawWorkers(backend.hazelcast());
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the driver closes our input
            }
            pool.cancel();
            backend.close();
            System.exit(0);
        }
    }
}
