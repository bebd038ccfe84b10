package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.util.List;

/**
 * Shapes that used to make generated code warn; this module compiles with {@code -Xlint:all -Werror}, so each
 * pool here compiling at all is the check.
 */
public final class Lint {
    private Lint() {
    }

    /** A generic varargs method, declared safe by its author. */
    @SafeVarargs
    @WorkerPool(workers = 2, buffer = 4)
    static <T> int count(T... items) {
        return items.length;
    }

    /** A varargs of a parameterized type. */
    @SafeVarargs
    @WorkerPool(workers = 2, buffer = 4)
    static int total(List<Integer>... lists) {
        int sum = 0;
        for (List<Integer> list : lists) {
            sum += list.stream().mapToInt(Integer::intValue).sum();
        }
        return sum;
    }

    /**
     * Going away; the pool still calls it without a warning.
     *
     * @deprecated use something else
     */
    @Deprecated(forRemoval = true)
    @WorkerPool(workers = 1, buffer = 1)
    static int legacy(int x) {
        return -x;
    }
}
