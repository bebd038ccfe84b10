package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.workerpool.runtime.spi.JobCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Sendable}'s rule, as its class comment states it: the types it accepts, and that it rejects an interface
 * outside {@code java.util} and a class that is not serializable although some of their values could be sent.
 */
class SendableTest {
    /** Not serializable itself; a subclass that is could be sent. */
    abstract static class Shape {
    }

    @Test
    void theTypesTheRuleNamesAreAccepted() {
        for (Class<?> type : List.of(int.class, Integer.class, String.class, Thread.State.class, java.io.File.class,
                long[][].class, Unsendable.Point.class, Object.class, List.class, Map.class, Void.class)) {
            Sendable.check("P", codec(type, String.class)); // no exception
        }
    }

    /** {@code Void}'s only value, {@code null}, is sent as any {@code null} is: as a value and as a parameter. */
    @Test
    void voidIsAccepted() {
        Sendable.check("P", codec(Void.class, Void.class)); // no exception
        Sendable.check("P", codec(int.class, void.class));
    }

    @Test
    void anInterfaceOutsideJavaUtilIsRejectedThoughAStringIsOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sendable.check("P", codec(CharSequence.class, String.class)));
        assertEquals("P: parameter 'a' of type java.lang.CharSequence cannot be sent to other members: an interface "
                + "that is neither java.io.Serializable nor a record; use a serializable type (a String, a record of "
                + "sendable components, a Serializable class); declare @WorkerPool(distributed = true) to have this "
                + "checked at compile time", e.getMessage());
    }

    @Test
    void aClassThatIsNotSerializableIsRejectedThoughASubclassCouldBeSent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sendable.check("P", codec(Shape.class, String.class)));
        assertEquals("P: parameter 'a' of type " + Shape.class.getTypeName() + " cannot be sent to other members: "
                + "an abstract class that is neither java.io.Serializable nor a record; use a serializable type (a "
                + "String, a record of sendable components, a Serializable class); declare "
                + "@WorkerPool(distributed = true) to have this checked at compile time", e.getMessage());
    }

    /** A codec of one parameter {@code a} of type {@code type} and a value of type {@code value}; types only. */
    private static JobCodec<Object, String> codec(Class<?> type, Class<?> value) {
        return new JobCodec<>() {
            @Override
            public List<String> componentNames() {
                return List.of("a");
            }

            @Override
            public List<Class<?>> componentTypes() {
                return List.of(type);
            }

            @Override
            public Class<?> valueType() {
                return value;
            }

            @Override
            public Object[] toComponents(Object job) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object fromComponents(Object[] components) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object toWire(String value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String fromWire(Object job, Object wire) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
