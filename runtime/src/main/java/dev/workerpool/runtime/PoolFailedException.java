package dev.workerpool.runtime;

import java.util.concurrent.ExecutionException;

/**
 * Thrown by a fail-fast pool's {@code await} and {@code runAll} when a job failed: the pool was cancelled by
 * that first failure (Go's errgroup {@code Wait} returning the first error). The {@linkplain #getCause() cause}
 * is what the job threw; {@link #job()} is the job. Every accepted job still has its result: the failed one
 * carries its own error, the others their values or a {@link java.util.concurrent.CancellationException}.
 *
 * <p>Each call that reports the failure throws a new instance, on the calling thread, once the pool has
 * terminated. The cause is the one throwable the job threw: every instance shares it, and so does the failed
 * job's result, so threads that handle the failure concurrently see the same object.
 */
public final class PoolFailedException extends ExecutionException {

    private static final long serialVersionUID = 1L;

    /** How a {@link PoolClosedException} of the runtime or a backend goes on after the pool's name. */
    private static final String[] CLOSED_POOLS_WORDS = {" is closed", " is cancelled", " was cancelled",
        " has terminated"};

    /** Not serialized: a job need not be serializable. */
    private final transient Object job;

    /**
     * Creates the exception; the runtime does, users need not. The message names the pool once, then the cause's
     * description: its {@code toString()}, which names its class. A cause's message that begins with the pool's
     * name as the runtime's own errors and a backend's do does not repeat it there: a leading {@code "pool: "}
     * (the name, a colon and a space) is left out, and a {@link PoolClosedException}'s leading {@code "pool "}
     * followed by the runtime's words for a closed pool ({@code "pool is closed"}, {@code "pool was cancelled"},
     * {@code "pool has terminated"}, {@code "pool is cancelled"}) reads {@code "the pool "}. Any other message is
     * the cause's own and kept as it is, also where it begins with the pool's name (another pool's, say, whose name
     * begins with this one's).
     *
     * @param pool  the pool's name
     * @param job   the job that failed first
     * @param cause what it threw
     */
    public PoolFailedException(String pool, Object job, Throwable cause) {
        super(pool + " failed fast: a job threw " + describe(pool, cause), cause);
        this.job = job;
    }

    /**
     * The cause's {@code toString()} without the pool's name at the start of its message; or its class, if that
     * throws: user code must not keep the failure unsaid.
     */
    private static String describe(String pool, Throwable cause) {
        String text;
        try {
            text = String.valueOf(cause);
        } catch (RuntimeException | Error e) {
            return cause.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
        }
        if (cause == null || pool == null || pool.isEmpty()) {
            return text;
        }
        String type = cause.getClass().getName() + ": ";
        if (!text.startsWith(type) || !text.startsWith(pool, type.length())) {
            return text; // a toString() of its own, or a message that does not begin with the pool's name
        }
        String rest = text.substring(type.length() + pool.length());
        if (rest.startsWith(": ")) { // "pool: what happened"
            String what = rest.substring(2).stripLeading();
            return what.isEmpty() ? cause.getClass().getName() : type + what;
        }
        if (cause instanceof PoolClosedException && isClosedPoolsWords(rest)) { // "pool is closed"
            return type + "the pool" + rest;
        }
        return text; // the cause's own words, or a longer name that begins with this one's: another pool's
    }

    /**
     * Whether {@code rest}, what follows the pool's name in a {@link PoolClosedException}'s message, is the runtime's
     * or a backend's own words for a closed pool: not another pool's name that begins with this one's and a space.
     */
    private static boolean isClosedPoolsWords(String rest) {
        for (String words : CLOSED_POOLS_WORDS) {
            if (rest.startsWith(words)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The job whose failure stopped the pool.
     *
     * @return the job, as it was submitted; {@code null} after deserialization
     */
    public Object job() {
        return job;
    }
}
