package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Rounds, crashes and build-tool metadata. */
class RobustnessTest {

    /** Generates {@code com.example.Later} in round 1: the annotated method only sees it from round 2 on. */
    static final class LateGenerator extends AbstractProcessor {
        private int round;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("com.example.GenerateLater");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
            if (++round == 1) {
                try (Writer w = processingEnv.getFiler().createSourceFile("com.example.Later").openWriter()) {
                    w.write("package com.example; public record Later(int n) {}");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return false;
        }
    }

    @Test
    void typesGeneratedInALaterRoundAreWaitedFor() throws Throwable {
        JavaFileObject owner = source("com.example.UsesLater",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "@GenerateLater public class UsesLater {",
                "    @WorkerPool static int unwrap(Later later) { return later.n(); }",
                "}");
        // The generator is triggered by an annotation of its own: the workerpool processor claims @WorkerPool
        // (so that -Xlint:all does not warn), and javac calls a processor only for annotations still unclaimed.
        JavaFileObject trigger = source("com.example.GenerateLater",
                "package com.example;",
                "public @interface GenerateLater {}");
        Compilation compilation = javac().withProcessors(new WorkerPoolProcessor(), new LateGenerator())
                .compile(owner, trigger);
        ClassLoader loader = Run.load(compilation);
        Object later = Run.instance(loader, "com.example.Later", 41);
        assertThat(Run.one(loader, "com.example.UsesLaterUnwrapPool", null, later)).isEqualTo(41);
    }

    @Test
    void anUnexpectedExceptionBecomesAnErrorOnTheMethodWithItsTrace() {
        AbstractProcessor crashingFiler = new AbstractProcessor() {
            private final WorkerPoolProcessor delegate = new WorkerPoolProcessor();

            @Override
            public synchronized void init(ProcessingEnvironment env) {
                super.init(env);
                Filer broken = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(), new Class<?>[] {Filer.class},
                        (proxy, method, args) -> {
                            throw new IllegalStateException("simulated filer bug");
                        });
                delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(ProcessingEnvironment.class.getClassLoader(),
                        new Class<?>[] {ProcessingEnvironment.class},
                        (proxy, method, args) -> method.getName().equals("getFiler") ? broken : method.invoke(env, args)));
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
        JavaFileObject source = source("com.example.Owner",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Owner {",
                "    @WorkerPool int m(int x) { return x; }",
                "}");
        Compilation compilation = javac().withProcessors(crashingFiler).compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[WorkerPoolInternal] unexpected error while generating the pool for m(int)")
                .inFile(source).onLineContaining("int m(int x)");
        assertThat(compilation).hadErrorContaining("java.lang.IllegalStateException: simulated filer bug");
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
