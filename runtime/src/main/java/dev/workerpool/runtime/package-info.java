/**
 * The workerpool API: the types a user meets in a generated pool's signatures.
 *
 * <ul>
 *   <li>{@link dev.workerpool.runtime.PoolStats}: what {@code stats()} returns.</li>
 *   <li>{@link dev.workerpool.runtime.PoolClosedException}: {@code submit} after {@code close()} or
 *       {@code cancel()}.</li>
 *   <li>{@link dev.workerpool.runtime.PoolFailedException}: a fail-fast pool's first failure, thrown by
 *       {@code await} and {@code runAll}.</li>
 *   <li>{@link dev.workerpool.runtime.PoolInterruptedException}: a thread reading {@code results()} was
 *       interrupted.</li>
 *   <li>{@link dev.workerpool.runtime.Rate}: a limit on job starts, given to {@code start} at run time.</li>
 * </ul>
 *
 * <p>Everything here is API: kept source- and binary-compatible within a major version. The generated classes
 * themselves are the rest of the API; they delegate to {@link dev.workerpool.runtime.spi}, which users do not
 * call.
 */
package dev.workerpool.runtime;
