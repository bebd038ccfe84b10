package dev.workerpool.bench;

/**
 * What it costs platform threads to take turns: {@code threads} threads pass a token round robin through one
 * volatile field, each waiting for its turn with {@code Thread.yield()}, and the mean time per hand-over is
 * printed. On one core ({@code taskset -c 0 java … SwitchCost 2}) every hand-over is one operating-system context
 * switch: the price under any pool of platform threads whose threads take turns on a core (BENCHMARKS.md, "3 × 10:
 * what any pool of platform threads pays"). On two cores, two threads hand over without a switch, and a hand-over
 * costs a cache-line round trip between the cores and a {@code sched_yield} call.
 */
public final class SwitchCost {

    private static volatile long token;

    private SwitchCost() {}

    /** The mean nanoseconds per hand-over of the token among {@code threads} threads, {@code handOvers} in all. */
    static long nanosPerHandOver(int threads, int handOvers) throws InterruptedException {
        token = 0;
        Thread[] all = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t;
            all[t] = new Thread(() -> {
                for (long turn = first; turn < handOvers; turn += threads) {
                    while (token != turn) {
                        Thread.yield();
                    }
                    token = turn + 1;
                }
            }, "switch-cost-" + t);
            all[t].setDaemon(true);
        }
        long start = System.nanoTime();
        for (Thread thread : all) {
            thread.start();
        }
        for (Thread thread : all) {
            thread.join();
        }
        return (System.nanoTime() - start) / handOvers;
    }

    /** Prints the nanoseconds per hand-over among {@code args[0]} threads (default 2), after a warm-up pass. */
    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int handOvers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        nanosPerHandOver(threads, handOvers);
        System.out.printf("%d threads taking turns: %,d ns per hand-over%n", threads,
                nanosPerHandOver(threads, handOvers));
    }
}
