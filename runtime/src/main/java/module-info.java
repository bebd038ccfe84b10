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
 * as usual and simply emit no Flight Recorder events. {@code java.compiler} is read at compile time only, and
 * handed on to the modules that read this one, for the {@code @Generated} annotation on generated pools.
 */
module dev.workerpool.runtime {
    requires static jdk.jfr;
    // Generated pools are annotated @javax.annotation.processing.Generated (source retention): their module
    // reads java.compiler at compile time through this line, and needs nothing of it at run time.
    requires static transitive java.compiler;

    exports dev.workerpool.runtime;
    exports dev.workerpool.runtime.spi;
}
