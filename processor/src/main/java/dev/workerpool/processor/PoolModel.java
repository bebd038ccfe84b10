package dev.workerpool.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.time.Duration;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * Everything the writer needs to know about one {@code @WorkerPool} method, already validated. The writer
 * reads only this: it never looks at elements or reports errors.
 *
 * @param poolClass    the class to generate
 * @param owner        the type that declares the method
 * @param staticMethod whether the method is static (the pool then needs no target)
 * @param methodName   the method's simple name
 * @param methodRef    the method as a Javadoc link refers to it, e.g. {@code Thumbnailer#resize(Path, int)}; type
 *                     variables erased ({@code Box#put(Object)})
 * @param parameters   the method's parameters, in order; they become the Job record's components
 * @param returnType   the method's return type; {@link TypeName#VOID} for void
 * @param thrownTypes  the method's {@code throws} clause, in order
 * @param varargs      whether the last parameter is varargs
 * @param genericVarargs whether that varargs parameter's element type is not reifiable ({@code T...}): the
 *                     generated varargs methods are then {@code @SafeVarargs}
 * @param usesDeprecated whether the method, its owner or a type in its signature is deprecated: the generated
 *                     class then suppresses the deprecation and removal warnings its calls would raise
 * @param usesRawTypes whether a type in its signature, or a bound of a type parameter, is raw ({@code List}): the
 *                     generated class then suppresses the rawtypes warnings its declarations would raise
 * @param workers      the annotation's default number of workers
 * @param buffer       the annotation's default buffer
 * @param options      ordered, failFast, timeout, virtualThreads and retry
 * @param typeVariables the pool's type parameters: the owner's (instance methods) then the method's
 * @param alwaysQualify simple names that must be written qualified: types of the owner's package whose names
 *                      equal those of other types the generated code uses (a user's own {@code Override}...),
 *                      and types named like one of the pool's type parameters
 * @param origin       the annotated method: the generated file's only originating element
 */
record PoolModel(
        ClassName poolClass,
        TypeName owner,
        boolean staticMethod,
        String methodName,
        String methodRef,
        List<Parameter> parameters,
        TypeName returnType,
        List<TypeName> thrownTypes,
        boolean varargs,
        boolean genericVarargs,
        boolean usesDeprecated,
        boolean usesRawTypes,
        int workers,
        int buffer,
        Options options,
        List<TypeVariableName> typeVariables,
        List<String> alwaysQualify,
        ExecutableElement origin) {

    /**
     * The behaviour attributes of {@code @WorkerPool}, validated.
     *
     * @param timeout the per-job timeout, or {@code null} for none
     * @param rate    the limit on job starts, or {@code null} for none
     * @param retry   the retry policy, or {@code null} for none (one attempt)
     */
    record Options(boolean ordered, boolean failFast, Duration timeout, boolean virtualThreads, Rate rate,
            Retry retry) {
        boolean isDefault() {
            return !ordered && !failFast && timeout == null && !virtualThreads && rate == null && retry == null;
        }
    }

    /**
     * The {@code rate} and {@code burst} attributes, validated.
     *
     * @param text    the rate as written, for the Javadoc
     * @param permits starts per period, at least 1
     * @param per     the period, positive
     * @param burst   at least 1
     */
    record Rate(String text, long permits, Duration per, int burst) {}

    /**
     * {@code @WorkerPool.Retry}, validated, with at least two attempts.
     *
     * @param on         the retried error types; empty for every error
     * @param backoff    the first wait, or {@code null} for none
     * @param maxBackoff the longest wait, or {@code null} for no limit
     */
    record Retry(int attempts, List<ClassName> on, Duration backoff, double multiplier, Duration maxBackoff,
            double jitter) {}

    /** One method parameter: a Job record component and a {@code submit} parameter. */
    record Parameter(String name, TypeName type) {}

    /** {@code name}, or {@code name<T, U>} for a generic pool. */
    TypeName withTypeVariables(ClassName name) {
        return typeVariables.isEmpty() ? name : ParameterizedTypeName.get(name, typeVariables.toArray(TypeName[]::new));
    }

    boolean isVoid() {
        return returnType.equals(TypeName.VOID);
    }

    /**
     * Whether the method returns a primitive: then the Result record holds the primitive itself, and the job
     * function builds the Result directly, so that no box is allocated per job.
     */
    boolean returnsPrimitive() {
        return returnType.isPrimitive() && !isVoid();
    }

    /** The {@code value} of a failed Result of a primitive-returning method: zero, or false. */
    CodeBlock zeroValue() {
        if (returnType.equals(TypeName.BOOLEAN)) {
            return CodeBlock.of("false");
        }
        if (returnType.equals(TypeName.LONG) || returnType.equals(TypeName.INT) || returnType.equals(TypeName.DOUBLE)
                || returnType.equals(TypeName.FLOAT)) {
            return CodeBlock.of("0");
        }
        return CodeBlock.of("($T) 0", returnType); // byte, short, char: an int constant does not narrow in a call
    }
}
