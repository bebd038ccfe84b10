package dev.workerpool.runtime.spi;

import java.util.List;

/**
 * Takes a pool's jobs and values apart into plain objects and puts them back, without reflection: generated
 * code implements it for each pool, so that a {@link PoolBackend} can send a job to another JVM as its
 * components and a value back as one object, and serialize those with its own serializers. Stateless and
 * thread-safe.
 *
 * @param <J> the job type
 * @param <V> the job function's value type (for a method that returns a primitive, the pool's {@code Result},
 *            whose value {@link #toWire(Object)} boxes)
 */
public interface JobCodec<J, V> {

    /**
     * The job's component names, in declaration order: the annotated method's parameter names.
     *
     * @return the names
     */
    List<String> componentNames();

    /**
     * The erasures of the job's component types, in declaration order; primitive components as
     * {@code int.class} and so on.
     *
     * @return the types
     */
    List<Class<?>> componentTypes();

    /**
     * The erasure of the method's return type; {@code void.class} for a void method.
     *
     * @return the type
     */
    Class<?> valueType();

    /**
     * A job's components, in declaration order (primitives boxed).
     *
     * @param job the job
     * @return a new array of its components
     */
    Object[] toComponents(J job);

    /**
     * Builds a job from its components, as {@link #toComponents} returned them.
     *
     * @param components the components
     * @return the job
     */
    J fromComponents(Object[] components);

    /**
     * What to send for a job's value: the value itself, a primitive boxed, {@code null} for a void method.
     *
     * @param value the job function's value
     * @return the object to send
     */
    Object toWire(V value);

    /**
     * The job function's value from what {@link #toWire} returned, for the job it belongs to.
     *
     * @param job  the job
     * @param wire what was sent
     * @return the value
     */
    V fromWire(J job, Object wire);
}
