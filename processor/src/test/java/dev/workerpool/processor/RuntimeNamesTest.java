package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.workerpool.processor.Sources.source;

import com.palantir.javapoet.ClassName;
import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.ReferenceTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTreePath;
import com.sun.source.util.DocTreePathScanner;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The generated code names no type but the pool's own, those of the method's signature, and those of
 * {@link RuntimeNames}: {@link PoolValidator} qualifies a user's type that shadows one of those by simple name,
 * so a type the writer named without listing it there would silently lose to a user's {@code SuppressWarnings}
 * or {@code IllegalStateException} of the same package. Every type named in code, in an import or in Javadoc
 * is resolved by javac, not guessed from the text.
 */
class RuntimeNamesTest {

    /**
     * Everything the golden fixtures do not: void, generic varargs, a deprecated generic owner, a static method,
     * a retry policy.
     */
    private static final JavaFileObject RICH = source("com.example.Legacy",
            "package com.example;",
            "",
            "import dev.workerpool.WorkerPool;",
            "import java.util.Map;",
            "",
            "@Deprecated",
            "public class Legacy<T extends Comparable<T>> {",
            "    @SafeVarargs @WorkerPool(ordered = true, timeout = \"1s\")",
            "    public final void each(Map.Entry<String, ? extends T>... items) {",
            "    }",
            "",
            "    @WorkerPool(failFast = true, retry = @WorkerPool.Retry(attempts = 2, "
                    + "on = IllegalStateException.class))",
            "    static long sum(int a, long b) throws InterruptedException {",
            "        return a + b;",
            "    }",
            "}");

    private static final JavaFileObject VIRTUAL = source("com.example.Virtual",
            "package com.example;",
            "",
            "import dev.workerpool.WorkerPool;",
            "",
            "public class Virtual {",
            "    @WorkerPool(workers = 2000, virtualThreads = true)",
            "    static String name(int x) {",
            "        return Thread.currentThread().getName();",
            "    }",
            "}");

    @Test
    void generatedCodeNamesOnlyItsOwnTypesTheSignaturesAndRuntimeNames() throws IOException {
        Set<String> runtimeNames = RuntimeNames.all().stream().map(ClassName::canonicalName)
                .collect(Collectors.toSet());
        for (Named named : namedByEveryFixture()) {
            for (Map.Entry<String, Set<String>> pool : named.byPool().entrySet()) {
                for (String type : pool.getValue()) {
                    boolean own = type.equals(pool.getKey()) || type.startsWith(pool.getKey() + ".");
                    assertWithMessage("%s names %s, which is neither in its method's signature nor in RuntimeNames, "
                            + "so PoolValidator would not qualify it when a user's "
                            + "type shadows it", pool.getKey(), type)
                            .that(own || named.signatures().contains(type) || runtimeNames.contains(type))
                            .isTrue();
                }
            }
        }
    }

    @Test
    void everyRuntimeNameIsNamedByGeneratedCode() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Named fixture : namedByEveryFixture()) {
            fixture.byPool().values().forEach(named::addAll);
        }
        List<String> unused = new ArrayList<>();
        for (ClassName name : RuntimeNames.all()) {
            boolean needsRelease21 = name.equals(RuntimeNames.THREAD);
            if (!named.contains(name.canonicalName()) && !(needsRelease21 && Runtime.version().feature() < 21)) {
                unused.add(name.canonicalName());
            }
        }
        assertWithMessage("RuntimeNames that no generated pool names").that(unused).isEmpty();
    }

    @Test
    void simpleNamesAreThoseOfEveryRuntimeName() {
        assertThat(RuntimeNames.SIMPLE_NAMES).containsExactlyElementsIn(
                RuntimeNames.all().stream().map(ClassName::simpleName).collect(Collectors.toSet()));
        assertThat(RuntimeNames.SIMPLE_NAMES).isInOrder();
    }

    private static List<Named> namedByEveryFixture() throws IOException {
        List<Named> fixtures = new ArrayList<>();
        fixtures.add(named(17, GoldenFileTest.THUMBNAILER, GoldenFileTest.THUMBNAIL));
        fixtures.add(named(17, GoldenFileTest.CRAWLER, RICH));
        if (Runtime.version().feature() >= 21) {
            fixtures.add(named(21, VIRTUAL));
        }
        return fixtures;
    }

    /**
     * What one compilation's pools name.
     *
     * @param byPool     for each generated pool, the canonical names of the types it names
     * @param signatures the canonical names of the types in the signatures of the {@code @WorkerPool} methods
     *                   (owners, enclosing types and type parameter bounds included)
     */
    private record Named(Map<String, Set<String>> byPool, Set<String> signatures) {}

    private static Named named(int release, JavaFileObject... sources) throws IOException {
        Path out = Files.createTempDirectory("workerpool-names");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Named named = new Named(new TreeMap<>(), new TreeSet<>());
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            files.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(out.toFile()));
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
            JavacTask task = (JavacTask) javac.getTask(null, files, diagnostics,
                    List.of("--release", String.valueOf(release), "-classpath", System.getProperty("java.class.path")),
                    null, List.of(sources));
            task.setProcessors(List.of(new WorkerPoolProcessor()));
            DocTrees trees = DocTrees.instance(task);
            task.addTaskListener(new TaskListener() {
                @Override
                public void finished(TaskEvent event) {
                    if (event.getKind() != TaskEvent.Kind.ANALYZE) {
                        return;
                    }
                    if (event.getSourceFile().toUri().getPath().startsWith(out.toUri().getPath())) {
                        String pool = event.getTypeElement().getQualifiedName().toString();
                        Set<String> types = named.byPool().computeIfAbsent(pool, k -> new TreeSet<>());
                        new NamedTypes(trees, types).scan(event.getCompilationUnit(), null);
                    } else {
                        addSignatures(event.getTypeElement(), named.signatures());
                    }
                }
            });
            boolean success = task.call();
            assertWithMessage("%s", diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList()).that(success).isTrue();
        }
        assertThat(named.byPool()).isNotEmpty();
        return named;
    }

    /** Collects the canonical name of every type that a generated compilation unit names, in code or Javadoc. */
    private static final class NamedTypes extends TreePathScanner<Void, Void> {
        private final DocTrees trees;
        private final Set<String> types;

        NamedTypes(DocTrees trees, Set<String> types) {
            this.trees = trees;
            this.types = types;
        }

        @Override
        public Void visitImport(ImportTree tree, Void unused) {
            add(trees.getElement(new TreePath(getCurrentPath(), tree.getQualifiedIdentifier())));
            return super.visitImport(tree, unused);
        }

        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
            add(trees.getElement(getCurrentPath()));
            return super.visitIdentifier(tree, unused);
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
            add(trees.getElement(getCurrentPath()));
            return super.visitMemberSelect(tree, unused);
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            scanJavadoc();
            return super.visitClass(tree, unused);
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
            scanJavadoc();
            return super.visitMethod(tree, unused);
        }

        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
            scanJavadoc();
            return super.visitVariable(tree, unused);
        }

        private void scanJavadoc() {
            DocCommentTree comment = trees.getDocCommentTree(getCurrentPath());
            if (comment == null) {
                return;
            }
            new DocTreePathScanner<Void, Void>() {
                @Override
                public Void visitReference(ReferenceTree reference, Void unused) {
                    Element element = trees.getElement(getCurrentPath());
                    assertWithMessage("Javadoc reference %s resolves", reference.getSignature()).that(element)
                            .isNotNull();
                    add(element instanceof TypeElement ? element : element.getEnclosingElement());
                    return null;
                }
            }.scan(new DocTreePath(getCurrentPath(), comment), null);
        }

        private void add(Element element) {
            if (element instanceof TypeElement type) {
                types.add(type.getQualifiedName().toString());
            }
        }
    }

    /** The types of every {@code @WorkerPool} method's signature in {@code type} and its nested types. */
    private static void addSignatures(TypeElement type, Set<String> names) {
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (PoolValidator.findAnnotation(method).isEmpty()) {
                continue;
            }
            List<TypeMirror> signature = PoolValidator.signature(method);
            signature.add(type.asType());
            List<TypeParameterElement> typeParameters = new ArrayList<>(type.getTypeParameters());
            typeParameters.addAll(method.getTypeParameters());
            typeParameters.forEach(t -> signature.addAll(t.getBounds()));
            signature.forEach(t -> PoolValidator.forEachDeclared(t, declared -> {
                for (Element e = declared.asElement(); e instanceof TypeElement named; e = e.getEnclosingElement()) {
                    names.add(named.getQualifiedName().toString());
                }
            }));
        }
        ElementFilter.typesIn(type.getEnclosedElements()).forEach(nested -> addSignatures(nested, names));
    }
}
