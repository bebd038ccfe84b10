package dev.workerpool.processor;

import com.palantir.javapoet.ClassName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every type a generated pool names besides those of the method's signature: the runtime's API and SPI, and
 * the JDK types. {@link PoolWriter} names no other type, and {@link PoolValidator} qualifies a type of the
 * owner's package whose simple name is one of {@link #SIMPLE_NAMES} (a user's own {@code Override}...). Each
 * constant registers itself as it is made, so a type added here cannot be forgotten in that list.
 */
final class RuntimeNames {

    private static final String API = "dev.workerpool.runtime";
    private static final String SPI = "dev.workerpool.runtime.spi";
    /** Filled by the constants below as they are initialised; declared first so that it exists by then. */
    private static final List<ClassName> ALL = new ArrayList<>();

    // The runtime's API: what a pool's users catch and read.
    static final ClassName POOL_CLOSED = add(ClassName.get(API, "PoolClosedException"));
    static final ClassName POOL_FAILED = add(ClassName.get(API, "PoolFailedException"));
    static final ClassName POOL_STATS = add(ClassName.get(API, "PoolStats"));
    /** A limit on job starts: the annotation's {@code rate}, or a run-time override in {@code start}. */
    static final ClassName RATE = add(ClassName.get(API, "Rate"));

    // The runtime's SPI: what only generated code calls.
    static final ClassName ENGINE = add(ClassName.get(SPI, "PoolEngine"));
    static final ClassName FAILURES = add(ClassName.get(SPI, "Failures"));
    static final ClassName JOB_FUNCTION = add(ClassName.get(SPI, "JobFunction"));
    /** A distributed start's backend, and the codec that takes jobs and values apart for it. */
    static final ClassName POOL_BACKEND = add(ClassName.get(SPI, "PoolBackend"));
    static final ClassName JOB_CODEC = add(ClassName.get(SPI, "JobCodec"));
    static final ClassName POOL_OPTIONS = add(ClassName.get(SPI, "PoolOptions"));
    /** Only with {@code retry}. */
    static final ClassName RETRY_POLICY = add(ClassName.get(SPI, "RetryPolicy"));

    // The JDK, in code and in Javadoc.
    static final ClassName AUTO_CLOSEABLE = add(ClassName.get(AutoCloseable.class));
    /** The codec's {@code componentTypes()} and {@code valueType()}. */
    static final ClassName CLASS = add(ClassName.get(Class.class));
    static final ClassName CANCELLATION_EXCEPTION = add(ClassName.get(CancellationException.class));
    static final ClassName COLLECTION = add(ClassName.get(Collection.class));
    static final ClassName COMPLETION_EXCEPTION = add(ClassName.get(CompletionException.class));
    /** A side-effect pool's result handler. */
    static final ClassName CONSUMER = add(ClassName.get(Consumer.class));
    static final ClassName DURATION = add(ClassName.get(Duration.class));
    /** {@code javax.annotation.processing.Generated}: emitted only when the compilation has it (9+). */
    static final ClassName GENERATED = add(ClassName.get("javax.annotation.processing", "Generated"));
    static final ClassName ILLEGAL_ARGUMENT_EXCEPTION = add(ClassName.get(IllegalArgumentException.class));
    static final ClassName ILLEGAL_STATE_EXCEPTION = add(ClassName.get(IllegalStateException.class));
    static final ClassName UNSUPPORTED_OPERATION_EXCEPTION = add(ClassName.get(UnsupportedOperationException.class));
    static final ClassName INTERRUPTED_EXCEPTION = add(ClassName.get(InterruptedException.class));
    static final ClassName ITERABLE = add(ClassName.get(Iterable.class));
    static final ClassName LIST = add(ClassName.get(List.class));
    /** Named in Javadoc only: what a null argument throws. */
    static final ClassName NULL_POINTER_EXCEPTION = add(ClassName.get(NullPointerException.class));
    /** The codec's {@code Object[]} of components and its wire value. */
    static final ClassName OBJECT = add(ClassName.get(Object.class));
    static final ClassName OBJECTS = add(ClassName.get(Objects.class));
    static final ClassName OPTIONAL = add(ClassName.get(Optional.class));
    static final ClassName OVERRIDE = add(ClassName.get(Override.class));
    static final ClassName SAFE_VARARGS = add(ClassName.get(SafeVarargs.class));
    static final ClassName STRING = add(ClassName.get(String.class));
    static final ClassName SUPPLIER = add(ClassName.get(Supplier.class));
    static final ClassName SUPPRESS_WARNINGS = add(ClassName.get(SuppressWarnings.class));
    /** Only with {@code virtualThreads}: {@code Thread.ofVirtual()}. */
    static final ClassName THREAD = add(ClassName.get(Thread.class));
    static final ClassName THROWABLE = add(ClassName.get(Throwable.class));
    static final ClassName TIMEOUT_EXCEPTION = add(ClassName.get(TimeoutException.class));
    /** The value type of a void method's job function. */
    static final ClassName VOID = add(ClassName.get(Void.class));

    /** The simple names of every type above, sorted. */
    static final List<String> SIMPLE_NAMES = List.copyOf(
            new TreeSet<>(ALL.stream().map(ClassName::simpleName).toList()));

    private RuntimeNames() {
    }

    /** Every type above, in declaration order. */
    static List<ClassName> all() {
        return List.copyOf(ALL);
    }

    private static ClassName add(ClassName name) {
        ALL.add(name);
        return name;
    }
}
