package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.workerpool.processor.Sources.assertOneError;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Rounds, crashes and build-tool metadata. */
class RobustnessTest {

    /**
     * Also when the later type appears only in a type parameter's bound (the method's, or the owner's for an
     * instance method) or in an enclosing type's type argument, and is of another package.
     */
    @Test
    void typesGeneratedInALaterRoundAreWaitedFor() throws Throwable {
        JavaFileObject owner = source("com.example.UsesLater",
                "package com.example;",
                "import com.other.Gen;",
                "import dev.workerpool.WorkerPool;",
                "@GenerateLater public class UsesLater {",
                "    @WorkerPool static int unwrap(Later later) { return later.n(); }",
                "    @WorkerPool static <T extends Gen> int bound(T x) { return x.n(); }",
                "    @WorkerPool static <T extends Comparable<T>, U extends java.util.List<? super T>> int recursive(",
                "            T x, U u) { return 1; }",
                "    @WorkerPool static int enclosed(Holder<Gen>.Inner inner) { return 3; }",
                "    public static class Box<T extends Comparable<Gen>> {",
                "        @WorkerPool public int compare(T x) { return x.compareTo(new Gen(1)); }",
                "    }",
                "    public static class Holder<E> {",
                "        public class Inner {}",
                "    }",
                "}");
        // The generator is triggered by an annotation of its own: the workerpool processor claims @WorkerPool
        // (so that -Xlint:all does not warn), and javac calls a processor only for annotations still unclaimed.
        JavaFileObject trigger = source("com.example.GenerateLater",
                "package com.example;",
                "public @interface GenerateLater {}");
        AbstractProcessor generator = new FirstRoundSources("com.example.GenerateLater", false, Map.of(
                "com.example.Later", "package com.example; public record Later(int n) {}",
                "com.other.Gen", "package com.other; public record Gen(int n) implements Comparable<Gen> {"
                        + " public int compareTo(Gen o) { return Integer.compare(n, o.n); } }"));
        Compilation compilation = javac().withProcessors(new WorkerPoolProcessor(), generator)
                .compile(owner, trigger);
        ClassLoader loader = Run.load(compilation);
        Object later = Run.instance(loader, "com.example.Later", 41);
        assertThat(Run.one(loader, "com.example.UsesLaterUnwrapPool", null, later)).isEqualTo(41);
        Object gen = Run.instance(loader, "com.other.Gen", 7);
        assertThat(Run.one(loader, "com.example.UsesLaterBoundPool", null, gen)).isEqualTo(7);
        Object box = Run.instance(loader, "com.example.UsesLater$Box");
        assertThat(Run.one(loader, "com.example.UsesLaterBoxComparePool", box, gen)).isEqualTo(1);
        Object holder = Run.instance(loader, "com.example.UsesLater$Holder");
        assertThat(Run.one(loader, "com.example.UsesLaterEnclosedPool", null,
                Run.instance(loader, "com.example.UsesLater$Holder$Inner", holder))).isEqualTo(3);
    }

    /**
     * A class that another processor creates in the same round is not known yet when the pool is checked: the
     * Filer's refusal to write it becomes the error on the method.
     */
    @Test
    void aClassAnotherProcessorWritesInTheSameRoundIsReportedOnTheMethod() {
        AbstractProcessor squatter = new FirstRoundSources("*", false,
                Map.of("com.example.OwnerMPool", "package com.example; class OwnerMPool {}"));
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    @WorkerPool int m(int x) { return x; }",
                "}");
        Compilation compilation = javac().withProcessors(squatter, new WorkerPoolProcessor()).compile(source);
        assertOneError(compilation, source, "[WorkerPoolDuplicate] could not write com.example.OwnerMPool: ",
                "int m(int x)");
        assertThat(compilation).hadErrorContaining("set name = \"...\"");
    }

    @Test
    void anUnexpectedExceptionBecomesAnErrorOnTheMethodWithItsTrace() {
        Filer broken = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(), new Class<?>[] {Filer.class},
                (proxy, method, args) -> {
                    throw new IllegalStateException("simulated filer bug");
                });
        AbstractProcessor crashingFiler = onEnvironment(env -> (ProcessingEnvironment) Proxy.newProxyInstance(
                ProcessingEnvironment.class.getClassLoader(), new Class<?>[] {ProcessingEnvironment.class},
                (proxy, method, args) -> method.getName().equals("getFiler") ? broken : method.invoke(env, args)));
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    @WorkerPool int m(int x) { return x; }",
                "}");
        Compilation compilation = javac().withProcessors(crashingFiler).compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[WorkerPoolInternal] unexpected error while generating the "
                + "pool for m(int)")
                .inFile(source).onLineContaining("int m(int x)");
        assertThat(compilation).hadErrorContaining("java.lang.IllegalStateException: simulated filer bug");
    }

    /** The processor, initialised with what {@code environment} makes of javac's processing environment. */
    private static AbstractProcessor onEnvironment(UnaryOperator<ProcessingEnvironment> environment) {
        return new AbstractProcessor() {
            private final WorkerPoolProcessor delegate = new WorkerPoolProcessor();

            @Override
            public synchronized void init(ProcessingEnvironment env) {
                super.init(env);
                delegate.init(environment.apply(env));
            }

            @Override
            public Set<String> getSupportedAnnotationTypes() {
                return delegate.getSupportedAnnotationTypes();
            }

            @Override
            public SourceVersion getSupportedSourceVersion() {
                return delegate.getSupportedSourceVersion();
            }

            @Override
            public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
                return delegate.process(annotations, env);
            }
        };
    }

    /** A build tool's wrapper around javac's environment, shaped like Gradle's: javac's in a private field. */
    static final class WrappedEnvironment implements ProcessingEnvironment {
        private final ProcessingEnvironment delegate;

        WrappedEnvironment(ProcessingEnvironment delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, String> getOptions() {
            return delegate.getOptions();
        }

        @Override
        public Messager getMessager() {
            return delegate.getMessager();
        }

        @Override
        public Filer getFiler() {
            return delegate.getFiler();
        }

        @Override
        public Elements getElementUtils() {
            return delegate.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return delegate.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return delegate.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return delegate.getLocale();
        }
    }

    /** Through such a wrapper, a method of a local class is still found, also when it is the only one. */
    @Test
    void localClassesAreFoundThroughABuildToolsWrapperOfTheEnvironment() {
        AbstractProcessor wrapping = onEnvironment(WrappedEnvironment::new);
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "public class Owner {",
                "    void body() {",
                "        class Local {",
                "            @dev.workerpool.WorkerPool int inLocal(int x) { return x; }",
                "        }",
                "    }",
                "}");
        assertOneError(javac().withProcessors(wrapping).compile(source), source,
                "[WorkerPoolAccess] @WorkerPool method inLocal(...) in local class", "inLocal");
    }

    @Test
    void gradleIncrementalProcessingIsDeclaredIsolating() throws IOException {
        try (InputStream in = WorkerPoolProcessor.class.getClassLoader()
                .getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("dev.workerpool.processor.WorkerPoolProcessor,isolating");
        }
    }

    @Test
    void theProcessorIsRegisteredForServiceLoading() throws IOException {
        try (InputStream in = WorkerPoolProcessor.class.getClassLoader()
                .getResourceAsStream("META-INF/services/javax.annotation.processing.Processor")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo("dev.workerpool.processor.WorkerPoolProcessor");
        }
    }
}
