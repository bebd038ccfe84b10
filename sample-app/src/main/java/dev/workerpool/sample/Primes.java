package dev.workerpool.sample;

import dev.workerpool.WorkerPool;

/** A CPU-bound job: is a number prime? */
public final class Primes {
    private Primes() {}

    /**
     * Trial division: deliberately simple, so each job costs real CPU time.
     *
     * @param candidate the number to test
     * @return whether it is prime
     */
    @WorkerPool(workers = 4, buffer = 16)
    static boolean isPrime(long candidate) {
        if (candidate < 2) {
            return false;
        }
        for (long d = 2; d * d <= candidate; d++) {
            if (candidate % d == 0) {
                return false;
            }
        }
        return true;
    }
}
