package dev.workerpool.hazelcast;

/**
 * Stands in for a job's error, or its value, that could not be sent back from the member that ran the job, or
 * not read on the submitting member: the message names the pool, then the original's type and message (or what
 * the reading failed on), and the stack trace is the original's (or the failed reading's). Also the error of a job
 * whose result failed to be delivered on the submitting member, or that a worker there could not read as it took
 * it, or that another member that took it lost (reading it, or sending its result, threw one of the JVM's errors),
 * three times in all, the job run again after each: the message says how many of each kind failed, and its cause is
 * what the last failure threw (for a loss on another member, a {@code RemoteJobException} that names that member
 * and carries what it threw). Made once per job's result and not changed after: it can be read from any thread.
 */
public final class RemoteJobException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The original error's class name, or the value's. */
    private final String originalType;

    RemoteJobException(String message, String originalType, StackTraceElement[] stackTrace) {
        super(message);
        this.originalType = originalType;
        if (stackTrace != null) {
            setStackTrace(stackTrace);
        }
    }

    /**
     * The class name of what could not be sent: the job's error, or its value.
     *
     * @return the class name
     */
    public String originalType() {
        return originalType;
    }
}
