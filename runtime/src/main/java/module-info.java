/**
 * The workerpool runtime: what every generated pool runs on.
 *
 * <ul>
 *   <li>{@link dev.workerpool.runtime} is the API: the types users see in generated classes' signatures
 *       ({@link dev.workerpool.runtime.PoolStats}, the exceptions they catch).</li>
 *   <li>{@link dev.workerpool.runtime.spi} is for generated code only, under a binary-compatibility rule.</li>
 *   <li>{@code dev.workerpool.runtime.internal} holds the implementation and is not exported.</li>
 * </ul>
 *
 * <p>No dependencies. {@code jdk.jfr} is optional: without it (a jlinked image that leaves it out) pools run
 * as usual and simply emit no Flight Recorder events.
 */
module dev.workerpool.runtime {
    requires static jdk.jfr;

    exports dev.workerpool.runtime;
    exports dev.workerpool.runtime.spi;
}
