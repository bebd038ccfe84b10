/**
 * The in-process implementation. Not exported from the module; nothing here is API, and anything may change in
 * any version. Every type is package-private but {@link dev.workerpool.runtime.internal.Engines}, the one door
 * the {@code spi} package needs.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Queues: producers <em>send</em> and consumers <em>receive</em>, at every queue (jobs and results alike).
 *       A <em>ticket</em> is a job's position in the job queue's receive order (ordered pools use it as the
 *       job's order number). A <em>lane</em> is a worker's own part of a laned queue; worker {@code i} owns
 *       lane {@code i} (in a pool that grew beyond its lanes, {@code i % lanes}).</li>
 *   <li>Non-blocking core, blocking on top: a queue's {@code try…} methods never wait; the waiting versions
 *       first try, then spin and yield through {@link dev.workerpool.runtime.internal.Backoff} (a pool's
 *       producer and reader yield only while a thread that could end their wait runs), and only then park:
 *       in a {@link dev.workerpool.runtime.internal.WaitSet} (the lock-free ring, the lanes, the ordered pools'
 *       reorder window) or on a condition of the queue's lock (the lock-based channel). {@code runAll}'s
 *       results, and a side-effect pool's, never wait.</li>
 *   <li>Interrupts: a blocking method throws {@link java.lang.InterruptedException}, with the interrupt status
 *       cleared, and leaves the queue as it was (an interrupted send enqueued nothing, an interrupted receive
 *       took nothing).</li>
 *   <li>Deadlines are {@code System.nanoTime()} values; {@link dev.workerpool.runtime.internal.Timeouts#NONE}
 *       means none.</li>
 *   <li>Tuning: every {@code dev.workerpool.*} system property is read in one place,
 *       {@link dev.workerpool.runtime.internal.Tuning}, which lists them.</li>
 * </ul>
 * DESIGN.md, at the root of the repository, tells how a job flows through these types and why.
 */
package dev.workerpool.runtime.internal;
