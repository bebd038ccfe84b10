package dev.workerpool.hazelcast;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Pools whose job or value can be sent but not read: what a member meets when it lacks a class the others have.
 */
final class Unreadable {
    private Unreadable() {
    }

    /** Written like any {@link Serializable}; reading one throws, wherever that happens. */
    static final class Thing implements Serializable {
        private static final long serialVersionUID = 1L;
        final int n;

        Thing(int n) {
            this.n = n;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            throw new InvalidObjectException("a Thing cannot be read here");
        }

        @Override
        public String toString() {
            return "Thing " + n;
        }
    }

    /** Reading one fails as a class whose own dependency is missing does: with an error, not an exception. */
    static final class Missing implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            throw new NoClassDefFoundError("dev/example/NotHere");
        }
    }

    /** Written by nobody: writing one throws, wherever that happens. */
    static final class Unwritable implements Serializable {
        private static final long serialVersionUID = 1L;

        private void writeObject(ObjectOutputStream out) throws IOException {
            throw new NotSerializableException("an Unwritable cannot be written");
        }
    }

    /** An error that cannot be sent: writing one throws, wherever that happens. */
    static final class UnwritableError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnwritableError(String message) {
            super(message);
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            throw new NotSerializableException("an UnwritableError cannot be written");
        }
    }

    /** Its job carries a {@link Thing}, a {@link Missing} or null. */
    @WorkerPool(workers = 1, buffer = 4)
    static int take(Serializable thing, int n) {
        return n;
    }

    @WorkerPool(workers = 1, buffer = 4)
    static Thing give(int n) {
        return new Thing(n);
    }

    /** Its value's type passes {@code start} ({@link Serializable}); the value cannot be written. */
    @WorkerPool(workers = 1, buffer = 4)
    static Serializable keep(int n) {
        return new Unwritable();
    }

    /** Its job throws an {@link UnwritableError}. */
    @WorkerPool(workers = 1, buffer = 4)
    static int refuse(int n) {
        throw new UnwritableError("job " + n + " failed");
    }
}
