package dev.workerpool.sample;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code basics}: the generated API in its simplest form — the streaming form (a producer submits, this
 * thread reads results as they complete, close() ends it) and the one-shot form (runAll).
 */
@Command(name = "basics", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        description = "Count primes with submit / close / results, then upper-case words with runAll.")
final class BasicsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "200000",
            description = "Count the primes below N (default: ${DEFAULT-VALUE}).")
    long limit;

    @Override
    public Integer call() throws Exception {
        if (limit < 0) {
            throw new UserError("--limit must be at least 0, was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        streaming(limit, out);
        oneShot(out);
        out.flush();
        return 0;
    }

    /** Go's pattern: a producer goroutine, close(jobs), and a range over results. */
    private static void streaming(long limit, PrintWriter out) throws InterruptedException {
        out.printf("1. Streaming: which numbers below %,d are prime? (%d workers, buffer %d)%n",
                limit, PrimesIsPrimePool.WORKERS, PrimesIsPrimePool.BUFFER);
        long started = System.nanoTime();
        long primes = 0;
        long largest = 0;
        try (PrimesIsPrimePool pool = PrimesIsPrimePool.start()) {
            Thread producer = new Thread(() -> {
                try {
                    for (long n = 0; n < limit; n++) {
                        pool.submit(n); // blocks while the queue is full: backpressure
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    pool.close(); // no more jobs; the workers drain the queue and exit
                }
            }, "producer");
            producer.start();
            for (PrimesIsPrimePool.Result result : pool.results()) { // ends after the last worker exits
                if (result.value()) {
                    primes++;
                    largest = Math.max(largest, result.job().candidate());
                }
            }
            producer.join();
        }
        out.printf("   %,d primes below %,d; the largest is %,d (%.0f ms)%n%n",
                primes, limit, largest, (System.nanoTime() - started) / 1e6);
    }

    /** The structured form: no threads in sight, results in input order, errors inside results. */
    private static void oneShot(PrintWriter out) throws InterruptedException {
        List<WordStatsShoutPool.Job> jobs = new ArrayList<>();
        for (String word : List.of("worker", "pool", "", "backpressure", "close", "drain")) {
            jobs.add(new WordStatsShoutPool.Job(word));
        }
        out.printf("2. runAll: %d words through %d workers%n", jobs.size(), WordStatsShoutPool.WORKERS);
        for (WordStatsShoutPool.Result result : WordStatsShoutPool.runAll(new WordStats(Locale.ROOT), jobs)) {
            if (result.isSuccess()) {
                out.printf("   %-14s -> %s%n", '"' + result.job().word() + '"', result.value());
            } else {
                out.printf("   %-14s -> failed: %s%n", '"' + result.job().word() + '"', result.error());
            }
        }
    }
}
