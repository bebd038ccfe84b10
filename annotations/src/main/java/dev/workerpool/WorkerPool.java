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
 * method (then every worker calls it on the target given to {@code start}; the method must be safe to
 * call from {@code workers} threads at once).
 *
 * <p>Retention is {@link RetentionPolicy#CLASS}: the annotation is read at compile time only; nothing
 * reads it reflectively at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface WorkerPool {

    /**
     * The number of worker threads, at least 1. Exactly this many threads are started by the pool's
     * {@code start} method and every one of them has exited once the pool has drained after
     * {@code close()}, or after {@code cancel()}. Can be overridden per pool at run time.
     *
     * @return the default number of workers
     */
    int workers() default 1;

    /**
     * The capacity of the job queue, at least 0. While {@code buffer} jobs are waiting, {@code submit}
     * blocks (backpressure). {@code 0} is an unbuffered hand-off, like Go's {@code make(chan Job)}:
     * {@code submit} returns only once a worker has taken the job. Can be overridden per pool at run time.
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
}
