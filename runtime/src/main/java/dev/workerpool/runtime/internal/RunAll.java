package dev.workerpool.runtime.internal;

import dev.workerpool.runtime.PoolClosedException;
import dev.workerpool.runtime.PoolFailedException;
import dev.workerpool.runtime.spi.JobFunction;
import dev.workerpool.runtime.spi.PoolEngine;
import dev.workerpool.runtime.spi.PoolOptions;
import dev.workerpool.runtime.spi.ResultFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * {@link PoolEngine#runAll} and {@link PoolEngine#runAllOrThrow}: a {@link LocalEngine} of at most as many workers
 * as jobs, whose jobs are the input's indexes and whose results go straight to their index in the answer
 * ({@link RunAllResults}), so that no reader is needed; the calling thread (or, on virtual workers, one virtual
 * thread of the pool's factory) submits every index and closes the pool, then waits for it. A fail-fast run that
 * fails gives the jobs it never submitted a cancelled result.
 *
 * <p>Thread-safe: every call makes a pool of its own and ends it before it returns; an interrupt of the calling
 * thread cancels that pool and is thrown once the pool has terminated.
 */
final class RunAll {

    private RunAll() {
    }

    /** See {@link PoolEngine#runAll}. */
    static <J, V, R> List<R> runAll(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        LocalEngine.givenCommon(name, options, resultFactory, "runAll");
        LocalEngine.given(function, name, "runAll", "function");
        List<J> input = copy(name, jobs);
        RunAllResults<R> answer = new RunAllResults<>(input.size());
        run(name, options, workers, buffer, input, answer, function, resultFactory);
        return answer.answer();
    }

    /** See {@link PoolEngine#runAllOrThrow}. */
    static <J, V, R> List<R> runAllOrThrow(String name, PoolOptions options, int workers, int buffer,
            Collection<? extends J> jobs, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException, PoolFailedException {
        LocalEngine.givenCommon(name, options, resultFactory, "runAll");
        LocalEngine.given(function, name, "runAll", "function");
        List<J> input = copy(name, jobs);
        RunAllResults<R> answer = new RunAllResults<>(input.size());
        LocalEngine.Failure first = run(name, options, workers, buffer, input, answer, function, resultFactory);
        if (first != null) {
            throw new PoolFailedException(name, input.get((Integer) first.job()), first.error());
        }
        return answer.answer();
    }

    /**
     * The jobs, copied once (a collection that changes while {@code runAll} runs does not change its run); throws
     * a {@link NullPointerException} naming the pool for a null collection or a null job.
     */
    private static <J> List<J> copy(String name, Collection<? extends J> jobs) {
        if (jobs == null) {
            throw new NullPointerException(name + ": runAll was given null instead of a collection of jobs");
        }
        Object[] copy = jobs.toArray();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new NullPointerException(name + ": runAll was given a null job, at index " + i + " of "
                        + copy.length + "; a job may not be null");
            }
        }
        @SuppressWarnings("unchecked") // every element came from a Collection<? extends J>
        List<J> input = (List<J>) Arrays.asList(copy);
        return input;
    }

    /**
     * Runs {@code input} into {@code answer} on a pool whose jobs are input indexes; returns the first failure
     * of a fail-fast run, or null.
     */
    private static <J, V, R> LocalEngine.Failure run(String name, PoolOptions options, int workers, int buffer,
            List<J> input, RunAllResults<R> answer, JobFunction<J, V> function, ResultFactory<J, V, R> resultFactory)
            throws InterruptedException {
        LocalEngine.validate(name, options, workers, buffer);
        if (input.isEmpty()) {
            return null;
        }
        int threads = Math.min(workers, input.size());
        LocalEngine<Integer, V, R> engine = new LocalEngine<>(name, options, threads, buffer,
                LocalEngine.copies(threads, index -> function.apply(input.get(index))),
                LocalEngine.copies(threads, null), null,
                (index, value, error) -> {
                    R result = resultFactory.create(input.get(index), value, error);
                    answer.set(index, result);
                    return result;
                },
                answer, null);
        engine.startThreads();
        try {
            boolean all = options.threadFactory() == null ? submitAll(engine, input.size())
                    : submitAllOnThreadOf(engine, options.threadFactory(), input.size());
            if (all) {
                engine.await();
            } else { // a fail-fast run, cancelled by its first failure before every job was submitted
                engine.awaitUninterruptibly();
                for (int i = 0; i < input.size(); i++) {
                    if (!answer.has(i)) {
                        answer.set(i, resultFactory.create(input.get(i), null, engine.cancellation(null)));
                    }
                }
            }
        } catch (InterruptedException e) {
            engine.cancel();
            engine.awaitUninterruptibly();
            throw e;
        }
        return engine.firstFailure();
    }

    /**
     * {@code runAll}'s producer: submits jobs {@code 0..count-1} and closes the pool. Returns false if a
     * fail-fast cancel closed the pool first.
     */
    private static boolean submitAll(LocalEngine<Integer, ?, ?> engine, int count) throws InterruptedException {
        try {
            for (int i = 0; i < count; i++) {
                engine.submit(i);
            }
            engine.close();
            return true;
        } catch (PoolClosedException failedFast) {
            return false;
        }
    }

    /**
     * {@link #submitAll} on a virtual thread of the pool's own factory, while the calling platform thread waits
     * for it: every hand-off of the run is then between virtual threads. A platform thread handing jobs to virtual
     * workers goes through the virtual-thread scheduler and wakes a carrier for many of them, which made
     * {@code runAll} on virtual workers several times slower than on platform ones (BENCHMARKS.md, "runAll on
     * virtual workers"). The caller submits itself if it is virtual already, or if the factory makes no thread,
     * fails to, or makes a platform thread. Interrupting the caller cancels the pool, which ends the producer's
     * wait for room; the caller waits for the producer to end before it throws.
     */
    private static boolean submitAllOnThreadOf(LocalEngine<Integer, ?, ?> engine, ThreadFactory factory, int count)
            throws InterruptedException {
        if (Engines.isVirtual(Thread.currentThread())) {
            return submitAll(engine, count);
        }
        Object[] outcome = new Object[1]; // Boolean, or what the producer threw; read after join
        Thread producer;
        try {
            producer = factory.newThread(() -> {
                try {
                    outcome[0] = submitAll(engine, count);
                } catch (Throwable e) {
                    outcome[0] = e;
                }
            });
            if (producer != null && Engines.isVirtual(producer)) {
                producer.setName(engine.name + "-runAll");
                producer.start();
            } else {
                producer = null;
            }
        } catch (RuntimeException | Error e) { // no producer runs
            producer = null;
        }
        if (producer == null) { // this thread submits, as without a factory
            return submitAll(engine, count);
        }
        try {
            producer.join();
        } catch (InterruptedException e) {
            engine.cancel(); // ends the producer's wait for room
            joinUninterruptibly(producer);
            throw e;
        }
        if (outcome[0] instanceof Boolean all) {
            return all;
        }
        engine.cancel();
        engine.awaitUninterruptibly();
        if (outcome[0] instanceof RuntimeException e) {
            throw e;
        }
        if (outcome[0] instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(engine.name + ": the thread that was to submit runAll's jobs "
                + (outcome[0] == null ? "did not run them" : "failed"), (Throwable) outcome[0]);
    }

    private static void joinUninterruptibly(Thread thread) {
        LocalEngine.uninterruptibly(thread::join);
    }
}
