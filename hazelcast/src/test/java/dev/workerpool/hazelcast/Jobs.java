package dev.workerpool.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The pool the cluster tests spread over member JVMs: a job sleeps, fails or blocks, and says who ran it. */
public final class Jobs {
    /** Names this JVM in results and messages: set by the test for each member JVM. */
    static final String MEMBER = System.getProperty("workerpool.test.member", "submitter");

    /** The map a blocking job records itself in once it runs, so that a test knows every worker is busy. */
    static final String STARTED = "workerpool.test.started";

    /** This JVM's member, set before the pool starts: blocking jobs say in its {@link #STARTED} map that they run. */
    static volatile HazelcastInstance hazelcast;

    /** The gates that {@code gate} jobs wait for, by job id, in this JVM: a test opens them. */
    static final ConcurrentHashMap<Long, CountDownLatch> GATES = new ConcurrentHashMap<>();

    /** Opens the gate of the {@code gate} job {@code id}, whether it waits yet or not. */
    static void open(long id) {
        GATES.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
    }

    /**
     * The map a test puts the id of a {@code signal} job in (any value) to have that job fail on whichever member
     * runs it.
     */
    static final String SIGNALS = "workerpool.test.signals";

    /** The signals of {@code signal} jobs in this JVM, by job id: each counted down as its id is heard of. */
    private static final ConcurrentHashMap<Long, CountDownLatch> SIGNALLED = new ConcurrentHashMap<>();

    /** The members whose {@link #SIGNALS} map this JVM listens to; guarded by itself. */
    private static final Set<HazelcastInstance> LISTENING = new HashSet<>();

    /**
     * The signal of the {@code signal} job {@code id}: this JVM listens to {@link #SIGNALS} (from the first such job
     * on) before it looks whether the id is there already, so that a signal put after this returns is heard.
     */
    private static CountDownLatch signalOf(long id) {
        CountDownLatch signal = SIGNALLED.computeIfAbsent(id, k -> new CountDownLatch(1));
        HazelcastInstance hz = hazelcast;
        IMap<Long, Object> signals = hz.getMap(SIGNALS);
        synchronized (LISTENING) {
            if (!LISTENING.contains(hz)) {
                signals.addEntryListener((EntryAddedListener<Long, Object>) event -> SIGNALLED.computeIfAbsent(
                        event.getKey(), k -> new CountDownLatch(1)).countDown(), false);
                LISTENING.add(hz);
            }
        }
        if (signals.containsKey(id)) {
            signal.countDown();
        }
        return signal;
    }

    /** The pool an {@code await} job awaits, or a {@code read} job reads the results of: its own, set by the test. */
    static volatile JobsWorkPool awaited;

    /** The ids of the jobs whose results {@code read} jobs read in this JVM, in the order read. */
    static final List<Long> READ = new CopyOnWriteArrayList<>();

    /** Runs of {@code count} jobs in this JVM, by job id. */
    private static final ConcurrentHashMap<Long, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    /** How often the {@code count} job {@code id} ran in this JVM. */
    static int runs(long id) {
        AtomicInteger runs = RUNS.get(id);
        return runs == null ? 0 : runs.get();
    }

    private Jobs() {
    }

    /**
     * One job.
     *
     * @param id     the job's number
     * @param millis how long it sleeps
     * @param mode   {@code run}, {@code fail} (sleeps, then throws an {@link IllegalArgumentException}), {@code block}
     *               (says so in the {@link #STARTED} map, then waits until interrupted), or {@code gate} (says so
     *               too, then waits, deaf to interrupts, until its gate in {@link #GATES} opens, at most two
     *               minutes), or {@code mark} (says in the {@link #STARTED} map that it ran), or {@code count}
     *               (counts its runs in this JVM: {@link #runs}), or {@code signal} (says so in the {@link #STARTED}
     *               map, then waits, at most two minutes, for a test to put its id in the {@link #SIGNALS} map,
     *               and then throws an {@link IllegalArgumentException}; an interrupt ends the wait too), or
     *               {@code await} (calls {@code await()} on {@link #awaited}), or {@code read} (reads the results of
     *               {@link #awaited} to their end, recording each one's job id in {@link #READ})
     * @return the member that ran it
     * @throws InterruptedException if interrupted, naming the member
     */
    @WorkerPool(workers = 2, buffer = 16)
    static String work(long id, int millis, String mode) throws InterruptedException {
        try {
            switch (mode) {
                case "fail" -> {
                    Thread.sleep(millis);
                    throw new IllegalArgumentException("job " + id + " refused on " + MEMBER);
                }
                case "block" -> {
                    hazelcast.getMap(STARTED).put(id, MEMBER);
                    Thread.sleep(120_000);
                }
                case "mark" -> hazelcast.getMap(STARTED).put(id, MEMBER);
                case "count" -> RUNS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                case "await" -> awaited.await();
                case "read" -> {
                    for (JobsWorkPool.Result r : awaited.results()) {
                        READ.add(r.job().id());
                    }
                }
                case "signal" -> {
                    CountDownLatch signal = signalOf(id);
                    hazelcast.getMap(STARTED).put(id, MEMBER);
                    if (signal.await(2, TimeUnit.MINUTES)) {
                        throw new IllegalArgumentException("job " + id + " refused on " + MEMBER);
                    }
                }
                case "gate" -> {
                    CountDownLatch gate = GATES.computeIfAbsent(id, k -> new CountDownLatch(1));
                    hazelcast.getMap(STARTED).put(id, MEMBER);
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                    while (gate.getCount() > 0 && System.nanoTime() < deadline) {
                        try {
                            gate.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        } catch (InterruptedException deaf) {
                            // a gate job ends when its gate opens, whatever else happens
                        }
                    }
                }
                default -> Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            throw new InterruptedException("job " + id + " interrupted on " + MEMBER);
        }
        return MEMBER;
    }

    /**
     * {@link #work} in a pool with {@code failFast}: the first failed result its submitter receives cancels that
     * submitter's other jobs on every member.
     */
    @WorkerPool(workers = 2, buffer = 4, failFast = true)
    static String failing(long id, int millis, String mode) throws InterruptedException {
        return work(id, millis, mode);
    }

    /** {@link #work} in a pool without a buffer: the cluster serves it with a jobs queue of one. */
    @WorkerPool(workers = 1, buffer = 0)
    static String unbuffered(long id, int millis, String mode) throws InterruptedException {
        return work(id, millis, mode);
    }

    /** Attempts per job id of {@link #retried}, in this JVM. */
    private static final ConcurrentHashMap<Long, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    /**
     * A job with retries: each attempt sleeps 20 ms (so that one JVM's workers cannot run them all before the
     * others start taking jobs), and the first {@code failures} fail in the JVM that runs it.
     *
     * @param id       the job's number
     * @param failures how many attempts fail
     * @return the member that ran it and the attempt that succeeded, as {@code member-1:3}
     * @throws IOException while {@code failures} attempts are not made yet, naming the attempt and the member
     * @throws InterruptedException if interrupted
     */
    @WorkerPool(workers = 2, buffer = 16, retry = @WorkerPool.Retry(attempts = 3, on = IOException.class))
    static String retried(long id, int failures) throws IOException, InterruptedException {
        Thread.sleep(20);
        int attempt = ATTEMPTS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (attempt <= failures) {
            throw new IOException("attempt " + attempt + " of job " + id + " on " + MEMBER);
        }
        return MEMBER + ":" + attempt;
    }
}
