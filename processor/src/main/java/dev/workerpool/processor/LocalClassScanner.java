package dev.workerpool.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Finds {@code @WorkerPool} methods in local and anonymous classes, and in classes nested in those at any
 * depth. javac never hands those to annotation processors (they are not members of anything), and does not even
 * run a processor for annotations found only there, so without this scan they would be silently ignored.
 *
 * <p>It scans each compilation unit once, whichever comes first: from {@code process}, for the root elements of
 * a round; or from a javac task listener, for every unit javac entered, once annotation processing is over
 * (javac enters all units again in each round after the first, also when no processor ran, and also under
 * {@code -proc:only}). Errors found then do not cut processing short, and javac still goes on to report errors
 * of its own. The scan reads source trees through javac's {@link Trees} API; on a compiler without it, it does
 * nothing.
 */
final class LocalClassScanner {

    private static final String JAVAC_ENVIRONMENT = "com.sun.tools.javac.processing.JavacProcessingEnvironment";

    private final Trees trees;
    /** The compilation units scanned so far, by file: each is reported once. */
    private final Set<URI> scanned = new HashSet<>();

    private LocalClassScanner(Trees trees) {
        this.trees = trees;
    }

    /**
     * A scanner, listening to javac's task events where it can, or {@code null} when the compiler has no
     * {@link Trees} API.
     */
    static LocalClassScanner create(ProcessingEnvironment env) {
        ProcessingEnvironment javac = unwrap(env);
        LocalClassScanner scanner;
        try {
            scanner = new LocalClassScanner(Trees.instance(javac));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return null;
        }
        try {
            JavacTask.instance(javac).addTaskListener(scanner.new AfterProcessing());
        } catch (IllegalArgumentException | IllegalStateException | LinkageError notJavac) {
            // the scan from process() remains
        }
        return scanner;
    }

    /**
     * javac's own environment, when a build tool hands the processor a wrapper around it: Gradle's incremental
     * processing does, to watch the Filer, keeping javac's in a field. Only reads such fields; {@code env} itself
     * if there is none.
     */
    private static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        ProcessingEnvironment current = env;
        for (int depth = 0; depth < 4 && !current.getClass().getName().equals(JAVAC_ENVIRONMENT); depth++) {
            ProcessingEnvironment inner = wrapped(current);
            if (inner == null || inner == current) {
                return env;
            }
            current = inner;
        }
        return current;
    }

    /** The environment a wrapper holds in an instance field, or null. */
    private static ProcessingEnvironment wrapped(ProcessingEnvironment wrapper) {
        for (Class<?> type = wrapper.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())
                        && ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return (ProcessingEnvironment) field.get(wrapper);
                    } catch (RuntimeException | IllegalAccessException inaccessible) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** Reports every {@code @WorkerPool} method of a local or anonymous class in {@code root}'s file, once. */
    void scan(Element root) {
        TreePath path = trees.getPath(root);
        if (path != null) {
            scan(path.getCompilationUnit());
        }
    }

    /**
     * Notes every unit javac enters, and scans them all when annotation processing is over; as a fallback, also
     * scans a unit when javac has analysed one of its classes (units seen before are skipped).
     */
    private final class AfterProcessing implements TaskListener {
        /** The units entered and not scanned yet, in order, by file. */
        private final Map<URI, CompilationUnitTree> entered = new LinkedHashMap<>();

        @Override
        public void finished(TaskEvent event) {
            CompilationUnitTree unit = event.getCompilationUnit();
            switch (event.getKind()) {
                case ENTER -> {
                    if (unit != null && !scanned.contains(unit.getSourceFile().toUri())) {
                        entered.put(unit.getSourceFile().toUri(), unit);
                    }
                }
                case ANNOTATION_PROCESSING -> {
                    List<CompilationUnitTree> units = List.copyOf(entered.values());
                    entered.clear();
                    units.forEach(this::scanSafely);
                }
                case ANALYZE -> {
                    if (unit != null) {
                        scanSafely(unit);
                    }
                }
                default -> {
                    // parsing, code generation...: nothing to do
                }
            }
        }

        private void scanSafely(CompilationUnitTree unit) {
            try {
                scan(unit);
            } catch (RuntimeException | Error e) { // never a crash: javac would report it as its own bug
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                trees.printMessage(Diagnostic.Kind.ERROR,
                        Message.INTERNAL.format(unit.getSourceFile().getName(), trace), unit, unit);
            }
        }
    }

    private void scan(CompilationUnitTree unit) {
        if (!scanned.add(unit.getSourceFile().toUri())) {
            return;
        }
        boolean imported = importsAnnotation(unit);
        new TreePathScanner<Void, Void>() {
            /** Where the visited class is: inside a local or anonymous class, or null. */
            private Unreachable inside;

            @Override
            public Void visitClass(ClassTree type, Void unused) {
                Unreachable outer = inside;
                Tree parent = getCurrentPath().getParentPath().getLeaf();
                if (parent instanceof NewClassTree) {
                    inside = new Unreachable(null, "");
                } else if (parent instanceof BlockTree || parent instanceof CaseTree) {
                    inside = new Unreachable(type.getSimpleName().toString(), "");
                } else if (inside != null) {
                    inside = inside.nested(type.getSimpleName().toString());
                }
                if (inside != null) {
                    for (Tree member : type.getMembers()) {
                        if (member instanceof MethodTree method && isWorkerPool(method, imported)) {
                            trees.printMessage(Diagnostic.Kind.ERROR, inside.message(method), method, unit);
                        }
                    }
                }
                try {
                    return super.visitClass(type, unused);
                } finally {
                    inside = outer;
                }
            }
        }.scan(new TreePath(unit), null);
    }

    /**
     * A class that generated code cannot name: a local class ({@code local} is its name) or an anonymous one
     * ({@code local} is null), or a class nested in one, {@code path} from there ({@code "Inner.Deeper"}).
     */
    private record Unreachable(String local, String path) {
        Unreachable nested(String name) {
            return new Unreachable(local, path.isEmpty() ? name : path + "." + name);
        }

        String message(MethodTree method) {
            String name = path.isEmpty() ? method.getName().toString() : path + "." + method.getName();
            return local == null ? Message.ANONYMOUS_OWNER.format(name) : Message.LOCAL_OWNER.format(name, local);
        }
    }

    private static boolean isWorkerPool(MethodTree method, boolean imported) {
        for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
            String name = annotation.getAnnotationType().toString();
            if (name.equals(PoolValidator.ANNOTATION) || (imported && name.equals("WorkerPool"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean importsAnnotation(CompilationUnitTree unit) {
        if (unit.getPackageName() != null && unit.getPackageName().toString().equals("dev.workerpool")) {
            return true;
        }
        for (ImportTree anImport : unit.getImports()) {
            String name = anImport.getQualifiedIdentifier().toString();
            if (!anImport.isStatic() && (name.equals(PoolValidator.ANNOTATION) || name.equals("dev.workerpool.*"))) {
                return true;
            }
        }
        return false;
    }
}
