/**
 * The {@link dev.workerpool.WorkerPool @WorkerPool} annotation. Needed at compile time only (class retention);
 * a modular application names it with {@code requires static dev.workerpool;}.
 */
module dev.workerpool {
    exports dev.workerpool;
}
