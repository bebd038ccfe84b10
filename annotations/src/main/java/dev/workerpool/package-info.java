/**
 * API: the {@link dev.workerpool.WorkerPool @WorkerPool} annotation and its {@link dev.workerpool.WorkerPool.Retry
 * Retry} option, read by the annotation processor at compile time (class retention; nothing here is needed at run
 * time). Kept source- and binary-compatible within a major version. The generated pools run on the
 * {@code dev.workerpool.runtime} module.
 */
package dev.workerpool;
