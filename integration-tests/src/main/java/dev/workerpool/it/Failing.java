package dev.workerpool.it;

import dev.workerpool.WorkerPool;
import java.io.IOException;

/** Jobs that fail in every way a Java method can. */
public class Failing {
    @WorkerPool(workers = 1, buffer = 8)
    public String attempt(String kind) throws IOException {
        return switch (kind) {
            case "io" -> throw new IOException("disk on fire");
            case "runtime" -> throw new IllegalStateException("bad state");
            case "error" -> throw new AssertionError("broken invariant");
            case "overflow" -> String.valueOf(recurse(0));
            default -> Thread.currentThread().getName();
        };
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
