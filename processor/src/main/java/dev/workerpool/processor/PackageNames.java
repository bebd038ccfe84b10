package dev.workerpool.processor;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.processing.Filer;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.util.Elements;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;

/**
 * Whether a qualified name is that of a package, which a generated class may not take: in a named package javac
 * rejects a class of a package's name only if it knows the package, and in the default package a class may have
 * the name of a top-level package but obscures it there (JLS 6.4.2), so that a qualified name such as
 * {@code org.junit.Test} in the class's package means a member of the class. Either way the compilation fails, on
 * code that is not at fault.
 *
 * <p>javac knows a package only once it has loaded a class in it or below it ({@code org} once it loaded
 * {@code org.junit.Test}); a package with no class of its own is then found by
 * {@link Elements#getAllPackageElements} or not depending on what the compilation touched before the processor
 * ran. So a name is a package's here when any of these holds, which does not depend on that:
 * <ul>
 *   <li>{@code known} says so (the packages of the sources and of the types the generated code names);
 *   <li>javac has the package ({@link Elements#getAllPackageElements});
 *   <li>a module the compilation sees exports it or a package inside it (the JDK's {@code org.w3c.dom} makes
 *       {@code org} a package);
 *   <li>the class path or the source path has a directory of that name ({@code org/} for {@code org},
 *       {@code com/example/sub/} for {@code com.example.sub}), in a directory or a jar: where javac finds the
 *       classes of the packages below it. A directory of resources only counts too.
 * </ul>
 *
 * <p>Not thread-safe: the processor calls it from javac's one processing thread.
 */
final class PackageNames {

    /** The input locations searched for a package's directory. */
    private static final List<JavaFileManager.Location> PATHS =
            List.of(StandardLocation.CLASS_PATH, StandardLocation.SOURCE_PATH);

    private final Elements elements;
    private final Filer filer;
    private final Predicate<String> known;
    /** Every package that a module exports, and every package it is in; null until first needed. */
    private Set<String> exported;

    PackageNames(Elements elements, Filer filer, Predicate<String> known) {
        this.elements = elements;
        this.filer = filer;
        this.known = known;
    }

    /** Whether a package has this name (see the class comment). */
    boolean isPackage(String qualifiedName) {
        return known.test(qualifiedName) || !elements.getAllPackageElements(qualifiedName).isEmpty()
                || exported().contains(qualifiedName) || isDirectoryOnAPath(qualifiedName);
    }

    private Set<String> exported() {
        if (exported == null) {
            exported = new HashSet<>();
            for (ModuleElement module : elements.getAllModuleElements()) {
                for (ModuleElement.Directive directive : module.getDirectives()) {
                    if (directive instanceof ModuleElement.ExportsDirective exports) {
                        addWithParents(exports.getPackage().getQualifiedName().toString());
                    }
                }
            }
        }
        return exported;
    }

    private void addWithParents(String name) {
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
            exported.add(name.substring(0, dot));
        }
        exported.add(name);
    }

    /**
     * Whether the class path or source path has a directory of this name. javac's file manager does not give a
     * directory as a file object: it refuses it with an {@code IllegalArgumentException} saying that directories
     * are not supported, and reports a name that is nothing with an {@code IOException}. Anything else (another
     * file manager's answer, a location it does not have, a file of that name) is taken for no directory.
     */
    private boolean isDirectoryOnAPath(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        String pkg = dot < 0 ? "" : qualifiedName.substring(0, dot);
        String simpleName = qualifiedName.substring(dot + 1);
        for (JavaFileManager.Location location : PATHS) {
            try {
                FileObject found = filer.getResource(location, pkg, simpleName);
                if (found.toUri().getPath() != null && found.toUri().getPath().endsWith("/")) {
                    return true; // a file manager that gives directories
                }
            } catch (RuntimeException e) {
                if (refusesADirectory(e)) {
                    return true;
                }
            } catch (IOException e) {
                // not there
            }
        }
        return false;
    }

    /**
     * Whether javac refused a directory: its {@code IllegalArgumentException}, or that exception wrapped, as javac
     * wraps what a file manager of the caller's throws (compile-testing's, a build tool's).
     */
    private static boolean refusesADirectory(RuntimeException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) { // a cycle of causes ends too
            String why = t.getMessage();
            if (t instanceof IllegalArgumentException && why != null && why.contains("director")) {
                return true;
            }
        }
        return false;
    }
}
