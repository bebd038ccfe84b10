package dev.workerpool.hazelcast;

import dev.workerpool.runtime.spi.JobCodec;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which declared types can cross the wire, checked once at {@code start}: a type is rejected only when no value
 * of it could be sent, so that a pool fails at {@code start}, naming the type, rather than at its first job.
 * Sendable: primitives, their boxes, {@code String}, enums, {@link Serializable} types, arrays of sendable types,
 * records whose components are sendable (Hazelcast's compact serialization), and {@code Object} and the
 * {@code java.util} interfaces (whose common implementations are serializable; a value that is not fails at
 * {@code submit}).
 */
final class Sendable {
    /** How to have the check made at compile time instead, by workerpool-processor. */
    private static final String COMPILE_TIME =
            "; declare @WorkerPool(distributed = true) to have this checked at compile time";

    private Sendable() {
    }

    /** Throws {@link IllegalArgumentException} naming the pool, the component or value, and the type. */
    static void check(String pool, JobCodec<?, ?> codec) {
        List<String> names = codec.componentNames();
        List<Class<?>> types = codec.componentTypes();
        for (int i = 0; i < types.size(); i++) {
            String why = reason(types.get(i), new HashSet<>());
            if (why != null) {
                throw new IllegalArgumentException(pool + ": parameter '" + names.get(i) + "' of type "
                        + types.get(i).getTypeName() + " cannot be sent to other members: " + why
                        + "; use a serializable type (a String, a record of sendable components, a Serializable "
                        + "class)" + COMPILE_TIME);
            }
        }
        Class<?> value = codec.valueType();
        String why = value == void.class ? null : reason(value, new HashSet<>());
        if (why != null) {
            throw new IllegalArgumentException(pool + ": the return type " + value.getTypeName()
                    + " cannot be sent back to the submitting member: " + why
                    + "; return a serializable type (a String, a record of sendable components, a Serializable "
                    + "class)" + COMPILE_TIME);
        }
    }

    /** Why no value of {@code type} can be sent, or {@code null} if some can. */
    private static String reason(Class<?> type, Set<Class<?>> seen) {
        if (type.isArray()) { // before Serializable, which every array is
            Class<?> element = type;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            String why = reason(element, seen);
            return why == null ? null
                    : "its element type " + element.getTypeName() + " cannot be sent (" + why + ")";
        }
        if (type.isPrimitive() || type.isEnum() || Serializable.class.isAssignableFrom(type) || type == Object.class
                || !seen.add(type)) {
            return null;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                String why = reason(component.getType(), seen);
                if (why != null) {
                    return "its component '" + component.getName() + "' of type "
                            + component.getType().getTypeName() + " cannot be sent (" + why + ")";
                }
            }
            return null;
        }
        if (type.isInterface() && type.getPackageName().equals("java.util")) {
            return null;
        }
        return (type.isInterface() ? "an interface" : Modifier.isAbstract(type.getModifiers()) ? "an abstract class"
                : "a class") + " that is neither java.io.Serializable nor a record";
    }
}
