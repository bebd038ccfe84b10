package dev.workerpool.bench;

/**
 * How far apart this machine's cores are right now: two threads pass a counter back and forth through one
 * volatile field, spinning, and the mean round trip is printed. On the project's 2-vCPU machine it reads
 * 45–95 ns most of the time and 380–460 ns while the host places the two vCPUs far apart, when every cache-line
 * transfer costs ~8× as much (BENCHMARKS.md, "Why 2 × 1024 is bimodal"). {@link Alternating} prints it before
 * and after its rounds, so that each run says which mode it ran in.
 */
public final class CoreToCore {

    private static volatile long ball;

    private CoreToCore() {}

    /** The mean round trip, in nanoseconds, over {@code trips} round trips between this thread and another. */
    static long roundTripNanos(int trips) throws InterruptedException {
        ball = 0;
        Thread other = new Thread(() -> {
            for (long odd = 1; odd < 2L * trips; odd += 2) {
                while (ball != odd) {
                    Thread.onSpinWait();
                }
                ball = odd + 1;
            }
        }, "core-to-core");
        other.setDaemon(true);
        other.start();
        long start = System.nanoTime();
        for (long even = 0; even < 2L * trips; even += 2) {
            while (ball != even) {
                Thread.onSpinWait();
            }
            ball = even + 1;
        }
        long elapsed = System.nanoTime() - start;
        other.join();
        return elapsed / trips;
    }

    /** Prints the core-to-core round trip. */
    public static void main(String[] args) throws InterruptedException {
        System.out.printf("core-to-core round trip: %d ns%n", roundTripNanos(2_000_000));
    }
}
