package dev.workerpool.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Compiles test sources through the processor. */
final class Sources {
    private Sources() {}

    /** A source file named after its public type; {@code lines} are joined with newlines. */
    static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new WorkerPoolProcessor()).withOptions("-Xlint:all").compile(sources);
    }

    /** Compiles for a given {@code --release}. */
    static Compilation compileForRelease(int release, JavaFileObject... sources) {
        return javac().withProcessors(new WorkerPoolProcessor())
                .withOptions("-Xlint:all", "--release", String.valueOf(release))
                .compile(sources);
    }
}
