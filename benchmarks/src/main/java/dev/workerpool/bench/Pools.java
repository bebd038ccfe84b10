package dev.workerpool.bench;

import dev.workerpool.runtime.Rate;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The same run done by each contender: {@code jobs} jobs 0..jobs-1 submitted by one producer thread to a pool
 * of {@code workers} threads with {@code buffer} waiting jobs, and every result summed by one consumer (the
 * calling thread). Every contender bounds both queues alike: at most {@code buffer} waiting jobs, at most
 * {@code workers + buffer} unread results. Returns the sum, so that the work cannot be optimised away and so
 * that tests can check it.
 */
final class Pools {

    /** One workload, for the baselines (the generated pools call their own method). */
    interface Work {
        long apply(int n) throws Exception;
    }

    /** How many jobs CallerRunsPolicy made the producer run itself, over the last run. */
    static final AtomicLong CALLER_RAN = new AtomicLong();

    private Pools() {}

    static long run(String contender, String workload, int workers, int buffer, int jobs) throws Exception {
        int plus = contender.indexOf('+'); // "workerpool+batch=0": the pool with -Ddev.workerpool.batch=0
        if (plus > 0) {
            String[] setting = contender.substring(plus + 1).split("=", 2);
            return withProperty("dev.workerpool." + setting[0], setting[1],
                    () -> run(contender.substring(0, plus), workload, workers, buffer, jobs));
        }
        Work work = switch (workload) {
            case "square" -> Jobs::square;
            case "burn" -> Jobs::burn;
            case "nap" -> Jobs::nap;
            default -> throw new IllegalArgumentException(workload);
        };
        return switch (contender) {
            case "workerpool" -> generated(workload, workers, buffer, jobs);
            case "workerpool-timed" -> generatedTimed(workload, workers, buffer, jobs);
            case "workerpool-ordered" -> generatedOrdered(workload, workers, buffer, jobs);
            case "workerpool-retry" -> generatedRetried(workload, workers, buffer, jobs);
            case "workerpool-handler" -> generatedWithHandler(workload, workers, buffer, jobs);
            case "workerpool-runall" -> generatedRunAll(workload, workers, buffer, jobs);
            case "workerpool-rate-unreached" -> generatedRated(workload, workers, buffer, jobs, null);
            case "workerpool-rate-limited" -> generatedRated(workload, workers, buffer, jobs, LIMITED_RATE);
            case "workerpool-resized" -> generatedResized(workload, workers, buffer, jobs, false);
            case "workerpool-resizing" -> generatedResized(workload, workers, buffer, jobs, true);
            case "workerpool-locked" -> withProperty("dev.workerpool.ring", "false",
                    () -> generated(workload, workers, buffer, jobs));
            case "workerpool-micrometer" -> Scraped.run(workload, workers, buffer, jobs);
            case "tpe-blocking" -> threadPoolExecutorBlocking(work, workers, buffer, jobs);
            case "tpe-caller-runs" -> threadPoolExecutorCallerRuns(work, workers, buffer, jobs);
            case "abq-pool" -> handWrittenQueuePool(work, workers, buffer, jobs);
            case "virtual-threads" -> virtualThreads(work, workers, buffer, jobs);
            case "workerpool-virtual" -> onVirtualThread(() -> generatedVirtual(workload, workers, buffer, jobs));
            // Virtual workers with platform threads around them, as the README's example has them.
            case "workerpool-virtual-workers" -> generatedVirtual(workload, workers, buffer, jobs);
            case "workerpool-virtual-producer" -> withProducer(true,
                    () -> generatedVirtual(workload, workers, buffer, jobs));
            case "workerpool-virtual-reader" -> onVirtualThread(() -> withProducer(false,
                    () -> generatedVirtual(workload, workers, buffer, jobs)));
            // runAll on virtual workers, called from a platform thread.
            case "workerpool-virtual-runall" -> generatedVirtual("runAll", workload, workers, buffer, jobs);
            case "abq-pool-virtual" -> onVirtualThread(() -> handWrittenQueuePool(work, workers, buffer, jobs));
            case "single-thread" -> singleThread(work, jobs);
            case "split" -> split(work, workers, jobs);
            case "floor" -> floor(work, workers, buffer, jobs, true);
            case "floor-numbers" -> floor(work, workers, buffer, jobs, false);
            default -> throw new IllegalArgumentException(contender);
        };
    }

    // --- the generated pools -----------------------------------------------------------------------------------

    private static long generated(String workload, int workers, int buffer, int jobs) throws Exception {
        switch (workload) {
            case "square" -> {
                try (JobsSquarePool pool = JobsSquarePool.start(workers, buffer)) {
                    return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquarePool.Result::value);
                }
            }
            case "burn" -> {
                try (JobsBurnPool pool = JobsBurnPool.start(workers, buffer)) {
                    return drive(jobs, pool::submit, pool::close, pool.results(), JobsBurnPool.Result::value);
                }
            }
            case "nap" -> {
                try (JobsNapPool pool = JobsNapPool.start(workers, buffer)) {
                    return drive(jobs, pool::submit, pool::close, pool.results(), JobsNapPool.Result::value);
                }
            }
            default -> throw new IllegalArgumentException(workload);
        }
    }

    /** The generated pool of a method with a per-job timeout ({@link Jobs#squareTimed}): trivial workload only. */
    private static long generatedTimed(String workload, int workers, int buffer, int jobs) throws Exception {
        requireTrivial("workerpool-timed", workload);
        try (JobsSquareTimedPool pool = JobsSquareTimedPool.start(workers, buffer)) {
            return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquareTimedPool.Result::value);
        }
    }

    /** The generated pool of a method with a retry policy ({@link Jobs#squareRetried}): trivial workload only. */
    private static long generatedRetried(String workload, int workers, int buffer, int jobs) throws Exception {
        requireTrivial("workerpool-retry", workload);
        try (JobsSquareRetriedPool pool = JobsSquareRetriedPool.start(workers, buffer)) {
            return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquareRetriedPool.Result::value);
        }
    }

    /**
     * The plain generated pool (trivial workload), resized: grown by one worker and shrunk back before the run
     * ({@code workerpool-resized}: what a pool that resized once pays per job), or, with {@code resizing}, also
     * every millisecond during the run by a thread of its own, between {@code workers} and {@code workers + 1}
     * ({@code workerpool-resizing}: what resizing under load costs).
     */
    private static long generatedResized(String workload, int workers, int buffer, int jobs, boolean resizing)
            throws Exception {
        requireTrivial(resizing ? "workerpool-resizing" : "workerpool-resized", workload);
        try (JobsSquarePool pool = JobsSquarePool.start(workers, buffer)) {
            pool.resize(workers + 1);
            pool.resize(workers);
            Thread resizer = new Thread(() -> {
                for (int round = 0; !Thread.currentThread().isInterrupted(); round++) {
                    try {
                        pool.resize(workers + (round & 1));
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException closed) {
                        return;
                    }
                }
            }, "resizer");
            if (resizing) {
                resizer.start();
            }
            try {
                return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquarePool.Result::value);
            } finally {
                resizer.interrupt();
                resizer.join();
            }
        }
    }

    /** The generated pool of an ordered method ({@link Jobs#squareOrdered}): trivial workload only. */
    private static long generatedOrdered(String workload, int workers, int buffer, int jobs) throws Exception {
        requireTrivial("workerpool-ordered", workload);
        try (JobsSquareOrderedPool pool = JobsSquareOrderedPool.start(workers, buffer)) {
            return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquareOrderedPool.Result::value);
        }
    }

    /**
     * The rate of the {@code workerpool-rate-limited} contender: {@code -Dbench.rate} and {@code -Dbench.burst},
     * by default a start every 100 µs ({@code "10/ms"}) in bursts of up to 1.
     */
    static final Rate LIMITED_RATE = Rate.parse(System.getProperty("bench.rate", "10/ms"))
            .withBurst(Integer.getInteger("bench.burst", 1));

    /**
     * The generated pool of a rate-limited method ({@link Jobs#squareRated}): with its annotation's rate, one
     * start per nanosecond, which trivial jobs never reach ({@code rate} null), or started with {@code rate}.
     */
    private static long generatedRated(String workload, int workers, int buffer, int jobs, Rate rate) throws Exception {
        requireTrivial("workerpool-rate-*", workload);
        try (JobsSquareRatedPool pool = rate == null ? JobsSquareRatedPool.start(workers, buffer)
                : JobsSquareRatedPool.start(workers, buffer, rate)) {
            return drive(jobs, pool::submit, pool::close, pool.results(), JobsSquareRatedPool.Result::value);
        }
    }

    /**
     * The generated pool as a side-effect pool: results go to a handler on the workers, which sums them; the
     * producer is this thread itself (nothing waits for a reader), then close and await.
     */
    @SuppressWarnings("try") // pool.close() inside the try is Go's close(jobs), before await()
    private static long generatedWithHandler(String workload, int workers, int buffer, int jobs) throws Exception {
        requireTrivial("workerpool-handler", workload);
        java.util.concurrent.atomic.LongAdder sum = new java.util.concurrent.atomic.LongAdder();
        try (JobsSquarePool pool = JobsSquarePool.start(workers, buffer, r -> sum.add(r.value()))) {
            for (int n = 0; n < jobs; n++) {
                pool.submit(n);
            }
            pool.close();
            pool.await();
        }
        return sum.sum();
    }

    /**
     * The generated pool's one-shot form: {@code runAll} of jobs 0..N-1 from this thread, which submits them
     * (the list is made inside the clock), then the results summed.
     */
    private static long generatedRunAll(String workload, int workers, int buffer, int jobs) throws Exception {
        requireTrivial("workerpool-runall", workload);
        List<JobsSquarePool.Job> input = new ArrayList<>(jobs);
        for (int n = 0; n < jobs; n++) {
            input.add(new JobsSquarePool.Job(n));
        }
        long sum = 0;
        for (JobsSquarePool.Result r : JobsSquarePool.runAll(input, workers, buffer)) {
            sum += r.value();
        }
        return sum;
    }

    /** For contenders that exist for the trivial workload only. */
    private static void requireTrivial(String contender, String workload) {
        if (!workload.equals("square")) {
            throw new Unsupported(contender + " runs the trivial workload only, not " + workload);
        }
    }

    /** A contender that cannot run here: this workload is not one of its, or this JDK is too old for it. */
    static final class Unsupported extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    interface Run {
        long run() throws Exception;
    }

    /**
     * Runs with a system property set, restoring it after: how the benchmarks switch the runtime's settings
     * that are read when a pool or channel is made ({@code dev.workerpool.ring}, {@code .batch}, {@code .patience},
     * {@code .stats}, {@code .lanes}).
     */
    private static long withProperty(String key, String value, Run run) throws Exception {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return run.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    /** Go's pattern: a producer thread submits then closes; this thread ranges over the results. */
    static <R> long drive(int jobs, Submit submit, Runnable close, Iterable<R> results,
            java.util.function.ToLongFunction<R> value) throws InterruptedException {
        Thread producer = producer(jobs, submit, close);
        long sum = 0;
        for (R r : results) {
            sum += value.applyAsLong(r);
        }
        producer.join();
        return sum;
    }

    interface Submit {
        void submit(int n) throws InterruptedException;
    }

    private static Thread producer(int jobs, Submit submit, Runnable close) {
        Thread producer = newThread("producer", () -> {
            try {
                for (int n = 0; n < jobs; n++) {
                    submit.submit(n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close.run();
            }
        });
        producer.start();
        return producer;
    }

    /**
     * The producer's kind while a contender asks for one other than the calling thread's ({@link #withProducer}):
     * {@code TRUE} virtual, {@code FALSE} platform, {@code null} as the calling thread.
     */
    private static Boolean virtualProducer;

    /** Runs a contender whose producer is virtual ({@code virtual}) or a platform thread, whatever reads results. */
    private static long withProducer(boolean virtual, Run run) throws Exception {
        virtualProducer = virtual;
        try {
            return run.run();
        } finally {
            virtualProducer = null;
        }
    }

    /**
     * A thread of the harness (producer, hand-written workers): virtual if the calling thread is virtual, except
     * a producer whose kind {@link #withProducer} sets.
     */
    private static Thread newThread(String name, Runnable body) {
        boolean virtual = virtualProducer != null && name.equals("producer") ? virtualProducer
                : Virtual.isVirtual(Thread.currentThread());
        if (!virtual) {
            return new Thread(body, name);
        }
        Thread thread = Virtual.factory().newThread(body);
        thread.setName(name);
        return thread;
    }

    /**
     * Runs a contender with every thread of the harness virtual (JDK 21+): the consumer (this run, on a new
     * virtual thread), the producer, and the hand-written pool's workers. Go's pattern as a JDK 21 program would
     * write it, where a blocked thread costs a continuation switch rather than an OS context switch.
     */
    private static long onVirtualThread(Run run) throws Exception {
        long[] sum = new long[1];
        Exception[] failure = new Exception[1];
        Thread consumer = Virtual.factory().newThread(() -> {
            try {
                sum[0] = run.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        consumer.start();
        consumer.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return sum[0];
    }

    /** The generated pool with virtual-thread workers ({@code VirtualJobs}, compiled on JDK 21+ only). */
    private static long generatedVirtual(String workload, int workers, int buffer, int jobs) throws Exception {
        return generatedVirtual("run", workload, workers, buffer, jobs);
    }

    /** {@link #generatedVirtual(String, int, int, int)} through {@code VirtualJobs.<method>}. */
    private static long generatedVirtual(String method, String workload, int workers, int buffer, int jobs)
            throws Exception {
        requireTrivial("workerpool-virtual", workload);
        Method run;
        try {
            run = Class.forName("dev.workerpool.bench.VirtualJobs").getMethod(method, int.class, int.class, int.class);
        } catch (ClassNotFoundException e) {
            throw new Unsupported("workerpool-virtual is compiled on JDK 21 or later only; this"
                    + " benchmarks.jar was built on an older JDK");
        }
        try {
            return (long) run.invoke(null, workers, buffer, jobs);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** JDK 21's virtual threads, reached by reflection: this module compiles for release 17. */
    private static final class Virtual {
        private static final Method IS_VIRTUAL = find(Thread.class, "isVirtual");
        private static java.util.concurrent.ThreadFactory factory;

        static boolean isVirtual(Thread thread) {
            try {
                return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(thread);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        static synchronized java.util.concurrent.ThreadFactory factory() {
            if (factory == null) {
                Method ofVirtual = required(Thread.class, "ofVirtual");
                try {
                    Object builder = ofVirtual.invoke(null);
                    Method make = Class.forName("java.lang.Thread$Builder").getMethod("factory");
                    factory = (java.util.concurrent.ThreadFactory) make.invoke(builder);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return factory;
        }

        /** {@code Executors.newVirtualThreadPerTaskExecutor()}. */
        static ExecutorService perTaskExecutor() {
            try {
                return (ExecutorService) required(java.util.concurrent.Executors.class,
                        "newVirtualThreadPerTaskExecutor").invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A JDK 21 method, or the error that says this JDK is older. */
        private static Method required(Class<?> type, String name) {
            Method method = find(type, name);
            if (method == null) {
                throw new Unsupported("virtual threads need JDK 21 or later; this is "
                        + Runtime.version());
            }
            return method;
        }

        private static Method find(Class<?> type, String name) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    }

    // --- the JDK's usual answers -------------------------------------------------------------------------------

    /** ThreadPoolExecutor with blocking submit: a Semaphore of workers + buffer permits in front of it. */
    private static long threadPoolExecutorBlocking(Work work, int workers, int buffer, int jobs) throws Exception {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
        return gatedBySemaphore(executor, workers + buffer, work, workers, buffer, jobs);
    }

    /** The producer takes a permit per job, the job gives it back when done: blocking submit on any executor. */
    private static long gatedBySemaphore(ExecutorService executor, int permits, Work work, int workers, int buffer,
            int jobs) throws Exception {
        BlockingQueue<Long> results = new ArrayBlockingQueue<>(workers + Math.max(buffer, 1));
        Semaphore inFlight = new Semaphore(permits);
        Thread producer = producer(jobs, n -> {
            inFlight.acquire();
            executor.execute(() -> {
                try {
                    results.put(work.apply(n));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    inFlight.release();
                }
            });
        }, () -> { });
        long sum = consume(results, jobs);
        producer.join();
        shutdown(executor);
        return sum;
    }

    /** ThreadPoolExecutor with a bounded queue and CallerRunsPolicy: a full queue makes the producer do the job. */
    private static long threadPoolExecutorCallerRuns(Work work, int workers, int buffer, int jobs) throws Exception {
        CALLER_RAN.set(0);
        RejectedExecutionHandler callerRuns = new ThreadPoolExecutor.CallerRunsPolicy();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                buffer == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(buffer), (task, pool) -> {
                    CALLER_RAN.incrementAndGet();
                    callerRuns.rejectedExecution(task, pool);
                });
        executor.prestartAllCoreThreads();
        BlockingQueue<Long> results = new ArrayBlockingQueue<>(workers + Math.max(buffer, 1));
        Thread producer = producer(jobs, n -> executor.execute(() -> {
            try {
                results.put(work.apply(n));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), () -> { });
        long sum = consume(results, jobs);
        producer.join();
        shutdown(executor);
        return sum;
    }

    /** The pattern written by hand with ArrayBlockingQueue: jobs queue, results queue, W threads, a latch. */
    private static long handWrittenQueuePool(Work work, int workers, int buffer, int jobs) throws Exception {
        BlockingQueue<Integer> queue = buffer == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(buffer);
        BlockingQueue<Long> results = new ArrayBlockingQueue<>(workers + Math.max(buffer, 1));
        CountDownLatch done = new CountDownLatch(workers);
        Integer poison = Integer.MIN_VALUE;
        for (int w = 0; w < workers; w++) {
            Thread worker = newThread("abq-worker-" + w, () -> {
                try {
                    for (Integer n = queue.take(); !n.equals(poison); n = queue.take()) {
                        results.put(work.apply(n));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
            worker.start();
        }
        Thread producer = producer(jobs, queue::put, () -> {
            try {
                for (int w = 0; w < workers; w++) {
                    queue.put(poison);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long sum = consume(results, jobs);
        producer.join();
        done.await();
        return sum;
    }

    /** A virtual thread per job, at most W at once (a Semaphore). JDK 21 or later. */
    private static long virtualThreads(Work work, int workers, int buffer, int jobs) throws Exception {
        return gatedBySemaphore(Virtual.perTaskExecutor(), workers, work, workers, buffer, jobs);
    }

    /** The baseline for parallel efficiency: every job on the calling thread. */
    private static long singleThread(Work work, int jobs) throws Exception {
        long sum = 0;
        for (int n = 0; n < jobs; n++) {
            sum += work.apply(n);
        }
        return sum;
    }

    /**
     * No pool: W threads, thread k runs jobs k, k + W, k + 2W, …, and this thread sums their sums. Nothing is handed
     * over per job, so it is the most a pool of W platform threads can get from the cores in this JVM: the
     * ceiling for parallel efficiency (its threads are started and joined inside the clock, like a pool's).
     */
    private static long split(Work work, int workers, int jobs) throws Exception {
        long[] sums = new long[workers * 16]; // 128 bytes apart: no two threads write one cache line
        Thread[] threads = new Thread[workers];
        for (int k = 0; k < workers; k++) {
            int first = k;
            threads[k] = newThread("split-" + k, () -> {
                long sum = 0;
                try {
                    for (int n = first; n < jobs; n += workers) {
                        sum += work.apply(n);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                sums[first * 16] = sum;
            });
            threads[k].start();
        }
        long sum = 0;
        for (int k = 0; k < workers; k++) {
            threads[k].join();
            sum += sums[k * 16];
        }
        return sum;
    }

    /**
     * The least any pool of platform threads does in this shape: the producer, one worker (a pool whose other
     * workers never wake) and this thread as reader, joined by two rings with one writer and one reader each
     * ({@code max(buffer, 1)} jobs, {@code workers + buffer} results), each thread yielding while its ring is empty
     * or full. No lock, no parking, no stats, no cancel: nothing a real pool needs beyond the two hand-offs. With
     * {@code objects}, each job and each result is an object, as the generated pool's {@code Job} and
     * {@code Result} are; without, the rings carry the numbers themselves.
     */
    private static long floor(Work work, int workers, int buffer, int jobs, boolean objects) throws Exception {
        SpscRing tasks = new SpscRing(Math.max(buffer, 1), objects);
        SpscRing results = new SpscRing(workers + buffer, objects);
        Thread worker = newThread("floor-worker", () -> {
            try {
                for (int i = 0; i < jobs; i++) {
                    int n = objects ? ((FloorJob) tasks.take()).n() : (int) tasks.takeNumber();
                    long value = work.apply(n);
                    if (objects) {
                        results.put(new FloorResult(value));
                    } else {
                        results.putNumber(value);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker.start();
        Thread producer = producer(jobs, objects ? n -> tasks.put(new FloorJob(n)) : tasks::putNumber, () -> { });
        long sum = 0;
        for (int i = 0; i < jobs; i++) {
            sum += objects ? ((FloorResult) results.take()).value() : results.takeNumber();
        }
        producer.join();
        worker.join();
        return sum;
    }

    private record FloorJob(int n) {}

    private record FloorResult(long value) {}

    /**
     * A bounded ring for one writer thread and one reader thread, which yield while it is full or empty: of objects
     * (each slot cleared as it is read, as a pool must so as not to keep what it handed over), or of numbers. Its
     * two counters are 128 bytes apart, and each side keeps its own copy of the other's counter, so that a cache
     * line crosses between the cores only when an item or a freed slot must.
     */
    private static final class SpscRing {
        private static final int HEAD = 0;
        private static final int TAIL = 16;
        private final int capacity;
        private final Object[] items;
        private final long[] numbers;
        private final AtomicLongArray counters = new AtomicLongArray(32);
        /** The writer's last read of the head, and the reader's of the tail: each written by one thread only. */
        private final long[] seen = new long[32];

        SpscRing(int capacity, boolean objects) {
            this.capacity = capacity;
            this.items = objects ? new Object[capacity] : null;
            this.numbers = objects ? null : new long[capacity];
        }

        void put(Object item) {
            long tail = claim();
            items[(int) (tail % capacity)] = item;
            counters.setRelease(TAIL, tail + 1);
        }

        void putNumber(long number) {
            long tail = claim();
            numbers[(int) (tail % capacity)] = number;
            counters.setRelease(TAIL, tail + 1);
        }

        Object take() {
            long head = next();
            int i = (int) (head % capacity);
            Object item = items[i];
            items[i] = null;
            counters.setRelease(HEAD, head + 1);
            return item;
        }

        long takeNumber() {
            long head = next();
            long number = numbers[(int) (head % capacity)];
            counters.setRelease(HEAD, head + 1);
            return number;
        }

        /** The writer's next position, once its slot is free. */
        private long claim() {
            long tail = counters.getPlain(TAIL);
            while (tail - seen[HEAD] == capacity) {
                seen[HEAD] = counters.getAcquire(HEAD);
                if (tail - seen[HEAD] == capacity) {
                    Thread.yield();
                }
            }
            return tail;
        }

        /** The reader's next position, once its item is there. */
        private long next() {
            long head = counters.getPlain(HEAD);
            while (head == seen[TAIL]) {
                seen[TAIL] = counters.getAcquire(TAIL);
                if (head == seen[TAIL]) {
                    Thread.yield();
                }
            }
            return head;
        }
    }

    private static long consume(BlockingQueue<Long> results, int jobs) throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < jobs; i++) {
            sum += results.take();
        }
        return sum;
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("executor did not terminate");
        }
    }
}
