package dev.workerpool.hazelcast;

import dev.workerpool.WorkerPool;

/** The pool the cluster tests spread over member JVMs: a job sleeps, fails or blocks, and says who ran it. */
public final class Jobs {
    /** Names this JVM in results and messages: set by the test for each member JVM. */
    static final String MEMBER = System.getProperty("workerpool.test.member", "submitter");

    private Jobs() {
    }

    /**
     * One job.
     *
     * @param id     the job's number
     * @param millis how long it sleeps
     * @param mode   {@code run}, {@code fail} (throws an {@link IllegalArgumentException}), or {@code block}
     *               (waits until interrupted)
     * @return the member that ran it
     * @throws InterruptedException if interrupted, naming the member
     */
    @WorkerPool(workers = 2, buffer = 16)
    static String work(long id, int millis, String mode) throws InterruptedException {
        try {
            switch (mode) {
                case "fail" -> throw new IllegalArgumentException("job " + id + " refused on " + MEMBER);
                case "block" -> Thread.sleep(120_000);
                default -> Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            throw new InterruptedException("job " + id + " interrupted on " + MEMBER);
        }
        return MEMBER;
    }
}
