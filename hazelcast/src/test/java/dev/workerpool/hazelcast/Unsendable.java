package dev.workerpool.hazelcast;

import dev.workerpool.WorkerPool;
import java.nio.file.Path;

/** Pools a cluster must refuse at start: a parameter or a value it cannot send, an option it does not support. */
final class Unsendable {
    private Unsendable() {
    }

    @WorkerPool(workers = 1, buffer = 1)
    static long size(Path file) {
        return file.toString().length();
    }

    @WorkerPool(workers = 1, buffer = 1)
    static Thread thread(String name) {
        return new Thread(name);
    }

    @WorkerPool(workers = 1, buffer = 1)
    static int count(Thread[][] threads) {
        return threads.length;
    }

    @WorkerPool(workers = 1, buffer = 1, ordered = true)
    static int ordered(int x) {
        return x;
    }

    @WorkerPool(workers = 1, buffer = 1, timeout = "5s")
    static int timed(int x) {
        return x;
    }

    @WorkerPool(workers = 1, buffer = 1, rate = "10/s")
    static int rated(int x) {
        return x;
    }

    /** A record of sendable components is sendable: no error. */
    record Point(int x, String label) {
    }

    @WorkerPool(workers = 1, buffer = 0)
    static Point move(Point p, int dx) {
        return new Point(p.x() + dx, p.label());
    }

    /** {@code Void} is sendable, as its only value, {@code null}: no error, at compile time either. */
    @WorkerPool(workers = 1, buffer = 0, distributed = true)
    static Void nothing(Void v, int x) {
        return v;
    }
}
