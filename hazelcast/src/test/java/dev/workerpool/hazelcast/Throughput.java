package dev.workerpool.hazelcast;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The BENCHMARKS.md harness (a program, not a test): jobs per second through the distributed pool and through a
 * raw Hazelcast pool that hands each job and each result over one at a time ({@code put}/{@code take} on a
 * bounded jobs queue and a results queue), with 1, 2 and 3 members, for trivial and 1 ms jobs. The members are
 * separate Hazelcast instances in this JVM, talking over loopback TCP; the pool and the raw pool alternate, a
 * fresh cluster for each run. Run: {@code java -cp <test classpath> dev.workerpool.hazelcast.Throughput [rounds]}.
 */
public final class Throughput {
    private static final int WORKERS = 4;
    private static final int BUFFER = 64;

    private Throughput() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        System.out.println("| members | job | raw IQueue pool (jobs/s) | workerpool (jobs/s) | ratio |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (int members = 1; members <= 3; members++) {
            for (int millis : new int[] {0, 1}) {
                int jobs = millis == 0 ? 3_000 : 1_500 * members;
                double raw = 0;
                double pool = 0;
                for (int round = 0; round < rounds; round++) {
                    raw = Math.max(raw, run(members, millis, jobs, true));
                    pool = Math.max(pool, run(members, millis, jobs, false));
                }
                System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f |%n", members,
                        millis == 0 ? "trivial" : "1 ms", raw, pool, pool / raw);
            }
        }
    }

    private static double run(int members, int millis, int jobs, boolean raw) throws Exception {
        List<HazelcastBackend> cluster = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ports.add(MemberProcesses.freePort());
        }
        String[] addresses = ports.stream().map(p -> "127.0.0.1:" + p).toArray(String[]::new);
        String name = "bench-" + ports.get(0);
        try {
            for (int i = 0; i < members; i++) {
                cluster.add(HazelcastBackend.builder().cluster(name).address("127.0.0.1", ports.get(i))
                        .members(addresses).minMembers(i + 1).start());
            }
            return raw ? rawPool(cluster, millis, jobs) : pool(cluster, millis, jobs);
        } finally {
            cluster.forEach(HazelcastBackend::close);
        }
    }

    private static double pool(List<HazelcastBackend> cluster, int millis, int jobs) throws Exception {
        List<JobsWorkPool> serving = new ArrayList<>();
        for (int i = 1; i < cluster.size(); i++) {
            serving.add(JobsWorkPool.start(WORKERS, BUFFER, cluster.get(i)));
        }
        JobsWorkPool pool = JobsWorkPool.start(WORKERS, BUFFER, cluster.get(0));
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < jobs; i++) {
                    pool.submit(i, millis, "run");
                }
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
        serving.forEach(JobsWorkPool::close);
        for (JobsWorkPool p : serving) {
            p.await();
        }
        if (read != jobs) {
            throw new AssertionError(read + " of " + jobs);
        }
        return rate;
    }

    /** W workers per member: take a job, run it, put its result; the submitter puts jobs and takes results. */
    private static double rawPool(List<HazelcastBackend> cluster, int millis, int jobs) throws Exception {
        HazelcastInstance first = cluster.get(0).hazelcast();
        first.getConfig().addQueueConfig(new com.hazelcast.config.QueueConfig("raw.jobs").setMaxSize(BUFFER));
        List<Thread> threads = new ArrayList<>();
        for (HazelcastBackend member : cluster) {
            IQueue<Long> in = member.hazelcast().getQueue("raw.jobs");
            IQueue<Long> out = member.hazelcast().getQueue("raw.results");
            for (int w = 0; w < WORKERS; w++) {
                Thread worker = new Thread(() -> {
                    try {
                        while (true) {
                            long job = in.take();
                            if (job < 0) {
                                return;
                            }
                            Jobs.work(job, millis, "run");
                            out.put(job);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                worker.start();
                threads.add(worker);
            }
        }
        IQueue<Long> in = first.getQueue("raw.jobs");
        IQueue<Long> out = first.getQueue("raw.results");
        long start = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                for (long i = 0; i < jobs; i++) {
                    in.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        for (int i = 0; i < jobs; i++) {
            out.take();
        }
        double rate = jobs / ((System.nanoTime() - start) / 1e9);
        for (int i = 0; i < threads.size(); i++) {
            in.put(-1L);
        }
        for (Thread t : threads) {
            t.join();
        }
        producer.join();
        return rate;
    }
}
