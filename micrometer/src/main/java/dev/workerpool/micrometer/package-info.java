/**
 * Micrometer meters for a worker pool: {@link dev.workerpool.micrometer.WorkerPoolMetrics}, a
 * {@code MeterBinder} that reads a pool's {@code stats()} when the registry measures it.
 *
 * <p>API: {@code WorkerPoolMetrics} is the whole public surface, kept across versions like the runtime's API.
 * The module depends on the runtime's API package ({@code PoolStats}) and on Micrometer; the runtime knows
 * nothing of it. Threads: see {@code WorkerPoolMetrics}.
 */
package dev.workerpool.micrometer;
