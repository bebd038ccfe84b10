package dev.workerpool.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.workerpool.WorkerPool;

/** The pool the cluster tests spread over member JVMs: a job sleeps, fails or blocks, and says who ran it. */
public final class Jobs {
    /** Names this JVM in results and messages: set by the test for each member JVM. */
    static final String MEMBER = System.getProperty("workerpool.test.member", "submitter");

    /** The map a blocking job records itself in once it runs, so that a test knows every worker is busy. */
    static final String STARTED = "workerpool.test.started";

    /** This JVM's member, set before the pool starts: blocking jobs say in its {@link #STARTED} map that they run. */
    static volatile HazelcastInstance hazelcast;

    private Jobs() {
    }

    /**
     * One job.
     *
     * @param id     the job's number
     * @param millis how long it sleeps
     * @param mode   {@code run}, {@code fail} (throws an {@link IllegalArgumentException}), or {@code block}
     *               (says so in the {@link #STARTED} map, then waits until interrupted)
     * @return the member that ran it
     * @throws InterruptedException if interrupted, naming the member
     */
    @WorkerPool(workers = 2, buffer = 16)
    static String work(long id, int millis, String mode) throws InterruptedException {
        try {
            switch (mode) {
                case "fail" -> throw new IllegalArgumentException("job " + id + " refused on " + MEMBER);
                case "block" -> {
                    hazelcast.getMap(STARTED).put(id, MEMBER);
                    Thread.sleep(120_000);
                }
                default -> Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            throw new InterruptedException("job " + id + " interrupted on " + MEMBER);
        }
        return MEMBER;
    }
}
