package dev.workerpool.sample;

/** Checks of the options every command shares. */
final class Options {
    private Options() {}

    /**
     * Starts a pool; a size the runtime rejects ({@code IllegalArgumentException}, such as more workers than its
     * limit) becomes a one-line user error.
     */
    static <P> P startPool(java.util.function.Supplier<P> start) {
        try {
            return start.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** A directory to read: a path that does not exist, or is a file, is a one-line user error saying which. */
    static void checkDirectory(java.nio.file.Path directory) {
        if (!java.nio.file.Files.exists(directory)) {
            throw new UserError("no such directory: " + directory);
        }
        if (!java.nio.file.Files.isDirectory(directory)) {
            throw new UserError("not a directory: " + directory);
        }
    }

    /** The most jobs a command lets wait in its pool: each waiting job holds its input in memory. */
    static final int MAX_BUFFER = 1 << 20;

    /**
     * Workers at least 1 (the upper limit is the runtime's, checked by {@link #startPool}); a buffer 0 to
     * {@link #MAX_BUFFER}.
     */
    static void checkSizes(int workers, int buffer) {
        if (workers < 1) {
            throw new UserError("--workers must be at least 1, was " + workers);
        }
        if (buffer < 0) {
            throw new UserError("--buffer must be at least 0, was " + buffer);
        }
        if (buffer > MAX_BUFFER) {
            throw new UserError(String.format(java.util.Locale.ROOT, "--buffer must be at most %,d, was %d",
                    MAX_BUFFER, buffer));
        }
    }
}
