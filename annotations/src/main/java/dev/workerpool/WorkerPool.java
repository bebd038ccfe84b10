package dev.workerpool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generates a typed worker pool that runs the annotated method on a fixed number of threads.
 *
 * <p>For a method {@code resize} in class {@code Thumbnailer}:
 *
 * <pre>{@code
 * public class Thumbnailer {
 *     @WorkerPool(workers = 3, buffer = 10)
 *     public Thumbnail resize(Path image, int width) throws IOException { ... }
 * }
 * }</pre>
 *
 * the annotation processor ({@code workerpool-processor}) generates {@code ThumbnailerResizePool} in the
 * same package: a {@code Job} record with one component per parameter, a {@code Result} record carrying the
 * job and either its value or its error, and a pool of exactly {@link #workers()} long-lived threads fed
 * through a bounded queue of {@link #buffer()} jobs. Use it like Go's jobs / results channels:
 *
 * <pre>{@code
 * try (ThumbnailerResizePool pool = ThumbnailerResizePool.start(new Thumbnailer())) {
 *     Thread producer = new Thread(() -> {
 *         try { for (Path p : images) pool.submit(p, 128); } catch (InterruptedException e) { ... }
 *         finally { pool.close(); }                       // close(jobs): no more jobs
 *     });
 *     producer.start();
 *     for (ThumbnailerResizePool.Result r : pool.results()) {  // range results: ends after the last worker
 *         if (r.isSuccess()) use(r.value()); else log(r.job(), r.error());
 *     }
 * }
 * // or, with no threads in sight:
 * List<ThumbnailerResizePool.Result> all = ThumbnailerResizePool.runAll(new Thumbnailer(), jobs);
 * }</pre>
 *
 * <p>The annotated method must be reachable from its package (not {@code private}, and not in a private,
 * local or anonymous class). It may be static (then the pool needs no target instance) or an instance
 * method (then every worker calls it on the target given to {@code start}, or on a target of its own when
 * {@code start} is given a {@code Supplier} of targets).
 *
 * <p>Threads: the method runs on up to {@code workers} threads at once, so it must be safe to call
 * concurrently: on its one target, or, with a target per worker, as far as the targets share state.
 * Cancelling the pool (also by a failure, with {@link #failFast()}) interrupts the workers running jobs, and a
 * {@link #timeout()} interrupts a job that overruns it, so a job should stop when interrupted. The generated
 * pool itself is thread-safe: any thread may submit, read results, close, cancel or await it; its Javadoc
 * says which of its methods block and how they answer an interrupt.
 *
 * <p>Retention is {@link RetentionPolicy#CLASS}: the annotation is read at compile time only; nothing
 * reads it reflectively at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface WorkerPool {

    /**
     * The number of worker threads, at least 1 and at most 10,000 (with {@link #virtualThreads()}: 2<sup>20</sup>),
     * checked at compile time. Exactly this many threads are started by the pool's {@code start} method and
     * every one of them has exited once the pool has drained after {@code close()}, or after {@code cancel()}.
     * Can be overridden per pool at run time, within the same limits.
     *
     * @return the default number of workers
     */
    int workers() default 1;

    /**
     * The capacity of the job queue, at least 0 and at most 2<sup>24</sup> (16,777,216), checked at compile time.
     * While {@code buffer} jobs are waiting, {@code submit} blocks (backpressure). {@code 0} is an unbuffered
     * hand-off, like Go's {@code make(chan Job)}: {@code submit} returns only once a worker has taken the job.
     * Can be overridden per pool at run time, within the same limits.
     *
     * @return the default job queue capacity
     */
    int buffer() default 0;

    /**
     * The simple name of the generated class, a valid Java identifier. Empty (the default) means
     * {@code <Owner><Method>Pool}, where a nested owner is prefixed by its enclosing classes' names,
     * for example {@code OuterInnerResizePool}. Set it when two annotated methods would otherwise
     * generate the same class (overloads).
     *
     * @return the generated class's simple name, or empty for the default
     */
    String name() default "";

    /**
     * Whether results come out in the order the jobs were accepted (for one submitting thread: the order of
     * its {@code submit} calls) instead of the order they complete. A reorder window of {@code workers + buffer}
     * results bounds the memory: a result that far ahead of the next one due waits, holding its worker, until
     * the slow job before it finishes; then the queue fills and {@code submit} blocks (backpressure). So one
     * slow job delays the results behind it, never grows memory, and never deadlocks the pool.
     *
     * @return whether results are ordered
     */
    boolean ordered() default false;

    /**
     * Whether the first job that fails (throws, or times out) cancels the pool, like Go's errgroup: running
     * jobs are interrupted, queued jobs get results carrying a {@code CancellationException}, and the pool's
     * {@code await} and {@code runAll} throw {@code dev.workerpool.runtime.PoolFailedException} with the first
     * error as its cause. The failed job's own result keeps its error.
     *
     * @return whether the first failure stops the pool
     */
    boolean failFast() default false;

    /**
     * How long one job may run, checked at compile time: a whole number and a unit ({@code "250ms"},
     * {@code "5s"}, {@code "2m"}; units {@code ns}, {@code us} or {@code µs}, {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}, in lower case; spaces between number and unit, and around the value, are allowed) or
     * an ISO-8601 duration in any case ({@code "PT5S"}, {@code "PT0.25S"}). A job that runs
     * longer is interrupted and its result carries a {@code java.util.concurrent.TimeoutException}, delivered
     * at once; the worker goes on once the job returns. A job that ignores interrupts keeps its worker busy
     * until it returns (the pool's {@code stats()} counts it as stuck, and a warning is logged). Exactly one
     * result per job, whichever of its end and its timeout comes first. Empty (the default): no timeout; only
     * whitespace is a compile-time error.
     *
     * @return the per-job timeout, or empty for none
     */
    String timeout() default "";

    /**
     * Whether the workers are virtual threads (JDK 21+) instead of platform threads. There are still exactly
     * {@link #workers()} of them, so the pool still bounds concurrency; use it for jobs that mostly wait
     * (I/O), with many workers. Rejected at compile time when the compilation's release is below 21. Virtual
     * threads are daemon threads: a program whose {@code main} returns without {@code await()} may exit
     * before accepted jobs have run.
     *
     * <p>Where it is fast: a hand-off between two virtual threads is a continuation switch, but one between a
     * platform thread and a virtual worker goes through the virtual-thread scheduler and often wakes one of its
     * carrier threads. So submit and read {@code results()} from virtual threads too (then the pool is faster
     * than with platform workers), or use {@code runAll}, which submits from a virtual thread of its own and
     * collects the results without a reader, whatever thread calls it; with a platform producer or a platform
     * thread reading results (a plain {@code main}), short jobs run slower than on platform workers, so keep
     * platform workers for them.
     *
     * @return whether the workers are virtual threads
     */
    boolean virtualThreads() default false;

    /**
     * A pool-wide limit on how often jobs start, checked at compile time: a number of starts, a slash, and a
     * period in the syntax of {@link #timeout()} whose number may be left out: {@code "50/s"}, {@code "3/250ms"},
     * {@code "100/m"}, {@code "5/PT10S"}. A worker that has taken a job waits for a permit (parked, not
     * spinning) and then starts it; starts are spaced {@code period / starts} apart, and in any window of
     * length {@code w} at most {@code burst - 1 + ceil(w / spacing)} jobs start (with the default
     * {@link #burst()} of 1, {@code "50/s"} starts at most 50 jobs in any second). The limit counts starts, so
     * a {@link #timeout()} runs from the start. {@code close()} does not end the wait (accepted jobs still run,
     * at the rate); {@code cancel()} does (waiting jobs get cancelled results without starting). The generated
     * {@code start(target, workers, buffer, rate)} overrides it at run time with a
     * {@code dev.workerpool.runtime.Rate}. Empty (the default): no limit; only whitespace is a compile-time error.
     * @return the limit on job starts, or empty for none
     */
    String rate() default "";

    /**
     * How many jobs may start at once after a quiet spell, with {@link #rate()}: at least 1, the default. Idle
     * time never saves up more than this many starts. Only allowed together with {@link #rate()}.
     * @return the burst of the rate limit
     */
    int burst() default 1;

    /**
     * Whether and how a failed job is tried again, checked at compile time. The default,
     * {@code @Retry} with {@code attempts = 1}, tries every job once. For example
     * {@code retry = @WorkerPool.Retry(attempts = 3, on = IOException.class, backoff = "100ms")}.
     *
     * <p>A job keeps its worker from its first attempt to its one {@code Result}, also while it waits for its
     * next attempt, so the job queue's bound and {@link #ordered()} hold as without retries, and a failing
     * downstream service is not called by more than {@link #workers()} jobs at once. A {@link #timeout()} applies
     * to each attempt. {@code cancel()} ends a wait for the next attempt at once: the result then carries a
     * {@code CancellationException}. Retried jobs should be idempotent: an attempt that failed may have done part
     * of its work.
     *
     * @return the retry policy
     */
    Retry retry() default @Retry;

    /**
     * Whether the pool is meant to be started on a {@code dev.workerpool.runtime.spi.PoolBackend} that spreads it
     * over several JVMs, such as workerpool-hazelcast's {@code HazelcastBackend}, where its jobs (the method's
     * arguments) and its values (what the method returns) cross the wire. Such a backend rejects at {@code start}
     * what it cannot serve; with {@code distributed = true} the processor checks the same at compile time:
     * <ul>
     *   <li>Every parameter type, and the return type unless it is {@code void}, can be sent: a primitive, a box,
     *       {@code String}, an enum, a {@link java.io.Serializable} type, {@code Object}, an interface of package
     *       {@code java.util} (whose common implementations are serializable), an array whose element type can
     *       be sent, or a record whose components can all be sent (a record may refer to itself, for example
     *       through a {@code List} of itself). A class, abstract class or interface that is neither serializable
     *       nor a record cannot. A type variable is judged by its erasure (its first bound), the class a backend
     *       sees at run time. The check is on declared types, as at {@code start}: a value of {@code Object} or
     *       of a {@code java.util} interface that is not serializable still fails its {@code submit}.</li>
     *   <li>No option is set that the distributed backend rejects: {@link #ordered()} (one submitter's results
     *       come from several members, in no order), {@link #timeout()} (not enforced across members), or
     *       {@link #rate()}, and so {@link #burst()} (a limit per JVM would not bound the cluster's starts).</li>
     * </ul>
     * Each problem is an error tagged {@code [WorkerPoolDistributed]}, on the parameter, on the method (the
     * return type) or on the attribute's value.
     *
     * <p>It changes nothing in the generated code: the pool still starts in one JVM too, with
     * {@code start(target)}, and behaves there like any other. {@code false} (the default) leaves these checks to
     * the backend's {@code start}. Threads: the check runs in the compiler only; on a backend, the method runs on
     * up to {@link #workers()} threads of every JVM that starts the pool, so it must be safe to call concurrently
     * as for a local pool.
     *
     * @return whether the pool is checked for a distributed backend
     */
    boolean distributed() default false;

    /**
     * How often, on which errors, and after what wait a failed job is tried again; the value of
     * {@link WorkerPool#retry()}. Every attribute is checked at compile time; an option other than
     * {@link #attempts()} with {@code attempts = 1} is an error (it would have no effect).
     *
     * <p>One accepted job still yields exactly one {@code Result}: its value, as soon as an attempt returns one;
     * or the error of its last attempt, which carries the errors of the earlier attempts as suppressed exceptions
     * ({@link Throwable#getSuppressed()}, oldest first). A job is tried again only when its attempt failed with an
     * error that {@link #on()} names, it has attempts left, and the pool is not cancelled; an
     * {@code InterruptedException} or a {@code CancellationException} is never retried. A job whose attempt timed
     * out is tried again when {@code on} covers {@code java.util.concurrent.TimeoutException}; the timeout of its
     * last attempt is delivered at once, as without retries.
     *
     * <p>Before attempt <i>n</i> + 1 the worker waits {@code min(maxBackoff, backoff × multiplier}<sup><i>n</i> -
     * 1</sup>{@code )}, spread by {@link #jitter()} and never longer than {@link #maxBackoff()}. The wait parks
     * the worker (no spinning); {@code cancel()} ends it at once.
     */
    @Documented
    @Retention(RetentionPolicy.CLASS)
    @Target({})
    @interface Retry {

        /**
         * How many times a job may be tried in all, at least 1 (the default: no retries) and at most 100.
         *
         * @return the most attempts per job
         */
        int attempts() default 1;

        /**
         * The errors that are retried: an attempt's error is retried if it is an instance of one of these. Empty
         * (the default): every error. Whatever is listed, an {@code InterruptedException} or a
         * {@code CancellationException} is never retried (naming either is an error), and a checked exception
         * must be one the method can throw (a {@code TimeoutException} counts as thrown in a pool with a
         * {@link WorkerPool#timeout()}).
         *
         * @return the retried error types, or empty for every error
         */
        Class<? extends Throwable>[] on() default {};

        /**
         * The wait before the second attempt, in the syntax of {@link WorkerPool#timeout()} ({@code "100ms"},
         * {@code "PT1S"}); zero or more, at most 36,500 days. Empty (the default): none, the next attempt starts
         * at once; only whitespace is a compile-time error.
         *
         * @return the first wait between attempts, or empty for none
         */
        String backoff() default "";

        /**
         * How much each wait grows over the one before, at least 1 (the default: every wait is
         * {@link #backoff()}); 2.0 doubles it (exponential backoff). Needs a {@code backoff}.
         *
         * @return the growth factor of the wait
         */
        double multiplier() default 1.0;

        /**
         * The longest wait between two attempts, jitter included, in the syntax of {@link WorkerPool#timeout()};
         * at least {@link #backoff()}. Empty (the default): no limit; only whitespace is a compile-time error.
         * Needs a {@code backoff}.
         *
         * @return the longest wait, or empty for no limit
         */
        String maxBackoff() default "";

        /**
         * How much each wait is spread at random, from 0 (the default: exactly as computed) to 1: a wait
         * <i>d</i> becomes a uniformly random one between <i>d</i> × (1 - jitter) and <i>d</i> × (1 + jitter),
         * at most {@link #maxBackoff()}, so that jobs that failed together do not all retry at the same moment.
         * Needs a {@code backoff}.
         *
         * @return the fraction by which a wait may differ from the computed one
         */
        double jitter() default 0.0;
    }
}
