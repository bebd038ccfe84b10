package dev.workerpool.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Another processor, for tests of rounds: in the first round it runs, it writes the given sources, which the rest
 * of the compilation sees from the next round on. Used by one compilation, on javac's thread.
 */
final class FirstRoundSources extends AbstractProcessor {
    private final String annotationType;
    private final boolean claims;
    private final Map<String, String> sources;
    private boolean written;

    /**
     * @param annotationType what it supports ({@code "*"}: runs on every compilation)
     * @param claims         what its {@code process} returns: whether it claims the annotations
     * @param sources        each class's qualified name and its source text
     */
    FirstRoundSources(String annotationType, boolean claims, Map<String, String> sources) {
        this.annotationType = annotationType;
        this.claims = claims;
        this.sources = sources;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(annotationType);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
        if (!written) {
            written = true;
            sources.forEach((name, text) -> {
                try (Writer w = processingEnv.getFiler().createSourceFile(name).openWriter()) {
                    w.write(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return claims;
    }
}
