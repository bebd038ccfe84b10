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
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Finds {@code @WorkerPool} methods in local and anonymous classes. javac never hands those to annotation
 * processors (they are not members of anything), so without this scan they would be silently ignored. The
 * scan reads source trees through javac's {@link Trees} API; on a compiler without it, it does nothing.
 */
final class LocalClassScanner {

    private final Trees trees;

    private LocalClassScanner(Trees trees) {
        this.trees = trees;
    }

    /** A scanner, or {@code null} when the compiler has no {@link Trees} API. */
    static LocalClassScanner create(ProcessingEnvironment env) {
        try {
            return new LocalClassScanner(Trees.instance(env));
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return null;
        }
    }

    /** Reports every {@code @WorkerPool} method of a local or anonymous class inside {@code root}. */
    void scan(Element root) {
        TreePath path = trees.getPath(root);
        if (path == null) {
            return;
        }
        CompilationUnitTree unit = path.getCompilationUnit();
        boolean imported = importsAnnotation(unit);
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitClass(ClassTree type, Void unused) {
                Tree parent = getCurrentPath().getParentPath().getLeaf();
                if (parent instanceof BlockTree || parent instanceof CaseTree || parent instanceof NewClassTree) {
                    boolean anonymous = parent instanceof NewClassTree;
                    for (Tree member : type.getMembers()) {
                        if (member instanceof MethodTree method && isWorkerPool(method, imported)) {
                            String message = anonymous
                                    ? Message.ANONYMOUS_OWNER.format(method.getName())
                                    : Message.LOCAL_OWNER.format(method.getName(), type.getSimpleName());
                            trees.printMessage(Diagnostic.Kind.ERROR, message, method, unit);
                        }
                    }
                }
                return super.visitClass(type, unused);
            }
        }.scan(path, null);
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
