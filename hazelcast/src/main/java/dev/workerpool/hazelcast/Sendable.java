package dev.workerpool.hazelcast;

import dev.workerpool.runtime.spi.JobCodec;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which declared types can cross the wire, checked once at {@code start}, so that a pool fails there, naming the
 * type, rather than at its first job. Accepted: primitives, their boxes, {@code String}, enums,
 * {@link Serializable} types, arrays of accepted types, records whose components are accepted (Hazelcast's
 * compact serialization), {@code Object}, {@code Void} (whose one value, {@code null}, is sent as any
 * {@code null}), and the {@code java.util} interfaces (whose common implementations are serializable). Every
 * other type is rejected, also one some of whose values could be sent: an interface outside {@code java.util}
 * ({@code CharSequence}, though a {@code String} is one), or a class that is not
 * {@code Serializable} but has subclasses that are; declare the concrete type, or {@code Object}. An accepted type
 * does not promise that every value can be sent: a job's value that cannot (a {@code List} implementation that is
 * not serializable, a {@code Serializable} object holding one that is not) fails at {@code submit}, and a result's
 * arrives as a {@link RemoteJobException}.
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

    /** Why {@code type} is rejected (see the class comment), or {@code null} if it is accepted. */
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
                || type == Void.class || !seen.add(type)) { // Void: its one value, null, is sent as any null
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
