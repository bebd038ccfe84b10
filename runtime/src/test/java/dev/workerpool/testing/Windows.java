package dev.workerpool.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Counting events in sliding windows of time: how rate-limit tests check a limit by counting, not timing. */
public final class Windows {

    private Windows() {
    }

    /**
     * The most of {@code times} (any order, {@code System.nanoTime()} values) that fall in one half-open window
     * {@code [t, t + window)}.
     */
    public static int mostWithin(Collection<Long> times, long window) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= window) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }
}
