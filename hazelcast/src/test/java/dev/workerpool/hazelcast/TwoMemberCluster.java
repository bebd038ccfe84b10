package dev.workerpool.hazelcast;

import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two members of one cluster in this JVM, each with a backend open: {@link #first} starts alone, {@link #second}
 * joins it and its start waits for both. Also what the tests on such a pair share: a part of a pool of one
 * {@code long} parameter and a {@code String} value, a job that holds a part's one worker, and a bounded wait for a
 * latch.
 *
 * <p>Forming and closing a pair is for one thread (a test's, or its class's set-up and tear-down); the backends
 * are then used as any {@link HazelcastBackend}, from any thread.
 */
final class TwoMemberCluster implements AutoCloseable {
    /** The member that starts first, alone. */
    final HazelcastBackend first;
    /** The member that joins {@link #first}; its start waits (at most 60 s) for both. */
    final HazelcastBackend second;

    private TwoMemberCluster(HazelcastBackend first, HazelcastBackend second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Starts two members on free ports of 127.0.0.1, in a cluster named {@code clusterPrefix} and the first's port.
     * If the second does not start, the first is closed before the failure is thrown.
     */
    static TwoMemberCluster form(String clusterPrefix) {
        int a = MemberProcesses.freePort();
        int b = MemberProcesses.freePort();
        String cluster = clusterPrefix + a;
        String[] members = {"127.0.0.1:" + a, "127.0.0.1:" + b};
        HazelcastBackend first = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", a)
                .members(members).start();
        try {
            HazelcastBackend second = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", b)
                    .members(members).minMembers(2).timeout(Duration.ofSeconds(60)).start();
            return new TwoMemberCluster(first, second);
        } catch (RuntimeException | Error e) {
            first.close();
            throw e;
        }
    }

    /** Closes the second member, then the first, also if closing the second fails. */
    @Override
    public void close() {
        try {
            second.close();
        } finally {
            first.close();
        }
    }

    /**
     * Starts {@code pool}'s part on {@code backend}: {@code workers} workers, a buffer of 8, run by {@code job}, its
     * results as {@link PlacementTest#describe} says.
     */
    static PoolEngine<Long, String> startPart(HazelcastBackend backend, String pool, PoolOptions options,
            int workers, JobFunction<Long, String> job) {
        return backend.start(pool, options, workers, 8, job, PlacementTest::describe, PlacementTest.LONG_TO_STRING);
    }

    /** Waits at most 60 s for {@code latch}; fails naming {@code what}, with a thread dump, otherwise. */
    static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("not within 60 s: " + what + "\n" + StartTest.threadDump());
        }
    }

    /**
     * A job function that returns {@code value}, and for job 0 first counts {@code holding} down and waits (at most
     * 60 s) for {@code release}: submitted while a part's one worker is the only one, job 0 holds it, so that the
     * next job runs on another member's worker.
     */
    static JobFunction<Long, String> holdingJob0(CountDownLatch holding, CountDownLatch release, String value) {
        return job -> {
            if (job == 0) {
                holding.countDown();
                awaitLatch(release, "the test to release job 0");
            }
            return value;
        };
    }
}
