package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Runs what a test compiled: loads the class files of a successful compilation and drives a generated pool
 * through its public API (reflectively, since the classes only exist at test run time).
 */
final class Run {
    /** What {@link #one} returns for a void method's successful job. */
    static final Object VOID = new Object() {
        @Override
        public String toString() {
            return "VOID";
        }
    };

    private Run() {}

    /** Asserts the compilation succeeded without warnings, and loads its classes. */
    static ClassLoader load(Compilation compilation) {
        assertThat(compilation).succeededWithoutWarnings();
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() == JavaFileObject.Kind.CLASS) {
                String path = file.toUri().getPath();
                String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(),
                        path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new ClassLoader(Run.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    /** An instance of a loaded class, through its only (or no-argument) constructor. */
    static Object instance(ClassLoader loader, String className, Object... args) throws Exception {
        Class<?> type = loader.loadClass(className);
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (constructor.getParameterCount() == args.length) {
                constructor.setAccessible(true);
                return constructor.newInstance(args);
            }
        }
        throw new AssertionError("no constructor with " + args.length + " parameters in " + className);
    }

    /**
     * Runs one job through {@code pool}'s {@code runAll} and returns its value ({@link #VOID} for a void
     * method), or throws its error.
     *
     * @param target the target instance, or {@code null} for a static method's pool
     * @param args   the Job record's components (a varargs component as an array)
     */
    static Object one(ClassLoader loader, String pool, Object target, Object... args) throws Throwable {
        Object result = oneResult(loader, pool, target, args);
        Throwable error = (Throwable) result.getClass().getMethod("error").invoke(result);
        if (error != null) {
            throw error;
        }
        try {
            return result.getClass().getMethod("value").invoke(result);
        } catch (NoSuchMethodException voidMethod) {
            return VOID;
        }
    }

    /** As {@link #one}, but returns the pool's Result record itself, failed or not. */
    static Object oneResult(ClassLoader loader, String pool, Object target, Object... args) throws Throwable {
        Class<?> poolClass = loader.loadClass(pool);
        Class<?> jobClass = loader.loadClass(pool + "$Job");
        Constructor<?> canonical = jobClass.getDeclaredConstructors()[0];
        Object job = canonical.newInstance(args);
        Method runAll = null;
        for (Method m : poolClass.getMethods()) {
            if (m.getName().equals("runAll") && m.getParameterCount() == (target == null ? 1 : 2)) {
                runAll = m;
            }
        }
        assertWithMessage("runAll of " + pool).that(runAll).isNotNull();
        List<?> results;
        try {
            results = (List<?>) (target == null ? runAll.invoke(null, List.of(job))
                    : runAll.invoke(null, target, List.of(job)));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        assertWithMessage("results of " + pool).that(results).hasSize(1);
        Object result = results.get(0);
        assertWithMessage("the result carries its job").that(result.getClass().getMethod("job").invoke(result))
                .isSameInstanceAs(job);
        return result;
    }
}
