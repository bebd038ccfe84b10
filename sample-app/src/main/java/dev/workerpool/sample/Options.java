package dev.workerpool.sample;

/** Checks of the options every command shares. */
final class Options {
    private Options() {}

    static void checkSizes(int workers, int buffer) {
        if (workers < 1) {
            throw new UserError("--workers must be at least 1, was " + workers);
        }
        if (buffer < 0) {
            throw new UserError("--buffer must be at least 0, was " + buffer);
        }
    }
}
