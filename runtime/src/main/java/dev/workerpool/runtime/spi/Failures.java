package dev.workerpool.runtime.spi;

import java.util.Objects;
import java.util.concurrent.CompletionException;

/** Helpers for generated {@code Result.getOrThrow()} methods. Stateless: any thread, never blocks. */
public final class Failures {
    private Failures() {}

    /**
     * Prepares a job's error for rethrowing from a method that declares no checked exceptions beyond the
     * job method's own, which the caller has already rethrown: an {@link Error} is thrown from here as it is;
     * a {@link RuntimeException} is returned as it is (for the caller to {@code throw}); any other
     * (undeclared checked) throwable is returned wrapped in a {@link CompletionException}.
     *
     * @param error the job's error, not null
     * @return the exception to throw
     */
    public static RuntimeException unchecked(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (error instanceof Error e) {
            throw e;
        }
        if (error instanceof RuntimeException e) {
            return e;
        }
        return new CompletionException(error);
    }
}
