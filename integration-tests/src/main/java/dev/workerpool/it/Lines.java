package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Static methods, void results, generic and array parameters. */
public final class Lines {
    public static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    private Lines() {}

    @WorkerPool(workers = 2, buffer = 2)
    static void record(String line, int[] weights) {
        SEEN.merge(line, weights.length, Integer::sum);
    }

    @WorkerPool(workers = 2)
    static int total(List<String> words) {
        return words.stream().mapToInt(String::length).sum();
    }
}
