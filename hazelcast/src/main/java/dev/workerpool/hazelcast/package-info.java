/**
 * A generated pool spread over several JVMs, on a Hazelcast cluster: start any pool on a
 * {@link dev.workerpool.hazelcast.HazelcastBackend} instead of in this JVM alone.
 *
 * <p>API: {@link dev.workerpool.hazelcast.HazelcastBackend} (the builder, and {@code on}/{@code configure} for a
 * member of your own) and {@link dev.workerpool.hazelcast.RemoteJobException} (a job's value or error that this
 * JVM could not read). Both are kept across versions like the runtime's API. Everything else here (the engine,
 * the placement of the jobs queue, the results-queue sweeper, the wire format) is package-private and may change
 * in any version. The module implements the runtime's SPI ({@code PoolBackend}, {@code PoolEngine}); the runtime
 * knows nothing of it. Threads and what holds across JVMs: see {@code HazelcastBackend}.
 */
package dev.workerpool.hazelcast;
