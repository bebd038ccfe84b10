package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Shapes an adversarial audit of issue #3 tried that no other test had: generic owners with recursive and
 * intersection bounds, {@code ? super} wildcards, generic varargs of instance methods, {@code Void} and wildcard
 * returns, type-use annotations on array dimensions and nested types, every kind of declaration as the owner,
 * owners named like the types a pool uses, parameters named like {@code java.lang} types and every generated
 * member, and annotation values taken from constants. Each compiles without a warning under {@code -Xlint:all}
 * and its pool returns what calling the method returns.
 */
class AdversarialShapesTest {

    @Test
    void genericOwnersWithRecursiveAndIntersectionBoundsAndSuperWildcards() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.G",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.*;",
                "public class G<T extends Comparable<T>> {",
                "    @WorkerPool public T max(List<? extends T> xs) { return Collections.max(xs); }",
                "    @WorkerPool public <U extends Number & Comparable<U>> U larger(U a, U b) {",
                "        return a.compareTo(b) >= 0 ? a : b; }",
                "    @WorkerPool public <X extends T> int add(List<? super X> sink, X x) {",
                "        sink.add(x); return sink.size(); }",
                "    @WorkerPool public static <E extends Enum<E>> E first(Class<E> type) {",
                "        return type.getEnumConstants()[0]; }",
                "    @WorkerPool public static <Q extends Comparable<? super Q>> Q top(Collection<? extends Q> c) {",
                "        return Collections.max(c); }",
                "    @SafeVarargs @WorkerPool public final int count(T... items) { return items.length; }",
                "    @SafeVarargs @WorkerPool public final int lists(List<? extends T>... lists) {",
                "        return lists.length; }",
                "    @WorkerPool public Void nothing(int x) { return null; }",
                "    @WorkerPool public List<?> wild(int n) { return List.of(n); }",
                "    @WorkerPool public Map<? super Integer, ? extends CharSequence> wildMap(int n) {",
                "        return Map.of(n, \"v\"); }",
                "    public class Inner<W> {",
                "        public class Deeper {",
                "            @WorkerPool public Map<T, W> pair(T t, W w) { return Map.of(t, w); }",
                "        }",
                "    }",
                "    public static class Range<N extends Number & Comparable<N>> {",
                "        final N lo = null;",
                "        @WorkerPool public boolean below(N x, N y) { return x.compareTo(y) < 0; }",
                "    }",
                "    public static class Node<N extends Node<N>> {",
                "        @WorkerPool public N self(N n) { return n; }",
                "    }",
                "}")));
        String p = "com.example.G";
        Object g = Run.instance(loader, p);
        assertThat(Run.one(loader, p + "MaxPool", g, List.of("b", "c", "a"))).isEqualTo("c");
        assertThat(Run.one(loader, p + "LargerPool", g, 3, 7)).isEqualTo(7);
        List<Object> sink = new ArrayList<>(List.of("x"));
        assertThat(Run.one(loader, p + "AddPool", g, sink, "y")).isEqualTo(2);
        assertThat(sink).containsExactly("x", "y").inOrder();
        assertThat(Run.one(loader, p + "FirstPool", null, java.util.concurrent.TimeUnit.class))
                .isEqualTo(java.util.concurrent.TimeUnit.NANOSECONDS);
        assertThat(Run.one(loader, p + "TopPool", null, List.of(4, 9, 2))).isEqualTo(9);
        assertThat(Run.one(loader, p + "CountPool", g, (Object) new Comparable<?>[] {"a", "b", "c"})).isEqualTo(3);
        assertThat(Run.one(loader, p + "ListsPool", g, (Object) new List<?>[] {List.of(), List.of("a")})).isEqualTo(2);
        assertThat(Run.one(loader, p + "NothingPool", g, 1)).isNull();
        assertThat(Run.one(loader, p + "WildPool", g, 5)).isEqualTo(List.of(5));
        assertThat(Run.one(loader, p + "WildMapPool", g, 5)).isEqualTo(Map.of(5, "v"));
        Object inner = Run.instance(loader, p + "$Inner", g);
        Object deeper = Run.instance(loader, p + "$Inner$Deeper", inner);
        assertThat(Run.one(loader, p + "InnerDeeperPairPool", deeper, "k", 1)).isEqualTo(Map.of("k", 1));
        assertThat(Run.one(loader, p + "RangeBelowPool", Run.instance(loader, p + "$Range"), 1, 2)).isEqualTo(true);
        Object node = Run.instance(loader, p + "$Node");
        assertThat(Run.one(loader, p + "NodeSelfPool", node, node)).isSameInstanceAs(node);
    }

    /**
     * Type-use annotations on array dimensions, on nested types ({@code Map.@N Entry}), on wildcards and on type
     * variables; one of them a private annotation of the owner, which the pool could not name: the pool's
     * signatures do not repeat type-use annotations.
     */
    @Test
    void typeUseAnnotationsOnArrayDimensionsNestedTypesAndWildcards() throws Throwable {
        ClassLoader loader = Run.load(compile(
                source("com.example.N",
                        "package com.example;",
                        "import java.lang.annotation.*;",
                        "@Target(ElementType.TYPE_USE) @Retention(RetentionPolicy.RUNTIME) @Repeatable(N.All.class)",
                        "public @interface N {",
                        "    String value() default \"\";",
                        "    @Target(ElementType.TYPE_USE) @Retention(RetentionPolicy.RUNTIME)",
                        "    @interface All { N[] value(); }",
                        "}"),
                source("com.example.Annotated",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "import java.lang.annotation.*;",
                        "import java.util.*;",
                        "public class Annotated<T> {",
                        "    @Target(ElementType.TYPE_USE) private @interface Secret {}",
                        "    public static class Holder {}",
                        "    @WorkerPool public int arrays(String @N [] a, @N String @N [] @N(\"2\") [] b,",
                        "            int @N [] c) {",
                        "        return a.length + b.length + c.length; }",
                        "    @WorkerPool public int nested(Map.@N Entry<String, String> e, Annotated.@N Holder h,",
                        "            List<@N ? extends @N Number> l, @N @N(\"again\") T t, @Secret String s) {",
                        "        return l.size(); }",
                        "    @WorkerPool public @N(\"r\") String @N [] returned(@N(\"q\\\"uote\") int i) {",
                        "        return new String[] {String.valueOf(i)}; }",
                        "}")));
        String p = "com.example.Annotated";
        Object owner = Run.instance(loader, p);
        assertThat(Run.one(loader, p + "ArraysPool", owner, new String[1], new String[2][], new int[3])).isEqualTo(6);
        assertThat(Run.one(loader, p + "NestedPool", owner, Map.entry("k", "v"), Run.instance(loader, p + "$Holder"),
                List.of(1, 2), "t", "s")).isEqualTo(2);
        assertThat((String[]) Run.one(loader, p + "ReturnedPool", owner, 7)).asList().containsExactly("7");
    }

    /**
     * An enum whose constants have bodies (the pool calls the constant's override), a record with a compact and
     * an extra constructor, a generic record, a generic interface's generic default method, an interface's
     * static method, an annotation interface's element, and synchronized, protected and package-private methods.
     */
    @Test
    void everyKindOfDeclarationAsTheOwner() throws Throwable {
        ClassLoader loader = Run.load(compile(
                source("com.example.Op",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public enum Op {",
                        "    PLUS { @Override int apply(int a, int b) { return a + b; } },",
                        "    TIMES { @Override int apply(int a, int b) { return a * b; } };",
                        "    @WorkerPool abstract int apply(int a, int b);",
                        "    @WorkerPool static Op parse(String name) { return valueOf(name); }",
                        "}"),
                source("com.example.Span",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public record Span<T>(int lo, int hi, T tag) {",
                        "    public Span { if (lo > hi) { throw new IllegalArgumentException(lo + \" > \" + hi); } }",
                        "    public Span(int at) { this(at, at, null); }",
                        "    @WorkerPool public boolean contains(int x) { return lo <= x && x <= hi; }",
                        "    @WorkerPool public T tagged(int x) { return tag; }",
                        "}"),
                source("com.example.Api",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public interface Api<T> {",
                        "    @WorkerPool static int twice(int x) { return 2 * x; }",
                        "    @WorkerPool T get(int i);",
                        "    @WorkerPool default <U extends T> U cast(Object o, Class<U> type) {",
                        "        return type.cast(o); }",
                        "    final class Impl implements Api<CharSequence> {",
                        "        @Override public CharSequence get(int i) { return \"#\" + i; }",
                        "    }",
                        "}"),
                source("com.example.Config",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "import java.lang.annotation.*;",
                        "@Retention(RetentionPolicy.RUNTIME)",
                        "public @interface Config {",
                        "    @WorkerPool int size() default 4;",
                        "    final class Impl implements Config {",
                        "        @Override public int size() { return 9; }",
                        "        @Override public Class<? extends Annotation> annotationType() {",
                        "            return Config.class; }",
                        "    }",
                        "}"),
                source("com.example.Access",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Access {",
                        "    @WorkerPool protected int prot(int x) { return x + 1; }",
                        "    @WorkerPool int pkg(int x) { return x + 2; }",
                        "    @WorkerPool synchronized int sync(int x) { return x + 3; }",
                        "}")));
        String p = "com.example.";
        Object[] ops = loader.loadClass(p + "Op").getEnumConstants();
        assertThat(Run.one(loader, p + "OpApplyPool", ops[0], 3, 4)).isEqualTo(7);
        assertThat(Run.one(loader, p + "OpApplyPool", ops[1], 3, 4)).isEqualTo(12);
        assertThat(Run.one(loader, p + "OpParsePool", null, "TIMES")).isSameInstanceAs(ops[1]);
        Object span = Run.instance(loader, p + "Span", 5);
        assertThat(Run.one(loader, p + "SpanContainsPool", span, 5)).isEqualTo(true);
        assertThat(Run.one(loader, p + "SpanTaggedPool", span, 5)).isNull();
        Object api = Run.instance(loader, p + "Api$Impl");
        assertThat(Run.one(loader, p + "ApiTwicePool", null, 21)).isEqualTo(42);
        assertThat(Run.one(loader, p + "ApiGetPool", api, 3)).isEqualTo("#3");
        assertThat(Run.one(loader, p + "ApiCastPool", api, "s", String.class)).isEqualTo("s");
        Object config = Run.instance(loader, p + "Config$Impl");
        assertThat(Run.one(loader, p + "ConfigSizePool", config)).isEqualTo(9);
        Object access = Run.instance(loader, p + "Access");
        assertThat(Run.one(loader, p + "AccessProtPool", access, 1)).isEqualTo(2);
        assertThat(Run.one(loader, p + "AccessPkgPool", access, 1)).isEqualTo(3);
        assertThat(Run.one(loader, p + "AccessSyncPool", access, 1)).isEqualTo(4);
    }

    /**
     * Owners named like the types the pool itself uses ({@code Job}, {@code Result}, {@code Collection},
     * {@code Supplier}, {@code AutoCloseable}, {@code Override}...), an owner whose nested types are named
     * {@code Job} and {@code Result} or like the pool, and a class whose type parameter has the class's name.
     */
    @Test
    void ownersNamedLikeTheTypesThePoolUses() throws Throwable {
        List<JavaFileObject> sources = new ArrayList<>();
        List<String> names = List.of("Job", "Result", "Collection", "Supplier", "AutoCloseable", "Override",
                "Generated", "Objects", "Duration", "List", "Thread", "Consumer", "Iterable", "PoolEngine", "Rate");
        for (String name : names) {
            sources.add(source("com.example." + name,
                    "package com.example;",
                    "import dev.workerpool.WorkerPool;",
                    "public class " + name + " {",
                    "    @WorkerPool(timeout = \"5s\", rate = \"1000/s\")",
                    "    public int call(" + name + " same) { return 1; }",
                    "    @WorkerPool public static String named(int x) { return \"" + name + "\" + x; }",
                    "}"));
        }
        sources.add(source("com.example.Holder",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Holder {",
                "    public static class Job { }",
                "    public static class Result { }",
                "    public static class HolderMakePool { }",
                "    @WorkerPool public Result make(Job job, HolderMakePool same) { return new Result(); }",
                "}"));
        sources.add(source("com.example.Box",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Box<Box> {",
                "    @WorkerPool public Box echo(Box x) { return x; }",
                "}"));
        ClassLoader loader = Run.load(compile(sources.toArray(JavaFileObject[]::new)));
        String p = "com.example.";
        for (String name : names) {
            Object owner = Run.instance(loader, p + name);
            assertThat(Run.one(loader, p + name + "CallPool", owner, owner)).isEqualTo(1);
            assertThat(Run.one(loader, p + name + "NamedPool", null, 2)).isEqualTo(name + "2");
        }
        Object made = Run.one(loader, p + "HolderMakePool", Run.instance(loader, p + "Holder"),
                Run.instance(loader, p + "Holder$Job"), Run.instance(loader, p + "Holder$HolderMakePool"));
        assertThat(made.getClass().getName()).isEqualTo(p + "Holder$Result");
        assertThat(Run.one(loader, p + "BoxEchoPool", Run.instance(loader, p + "Box"), "x")).isEqualTo("x");
    }

    /** Parameters named like {@code java.lang} types, packages, and every name the generated code uses. */
    @Test
    void parametersNamedLikeJavaLangTypesPackagesAndEveryGeneratedName() throws Throwable {
        List<String> names = List.of("String", "Object", "Thread", "Integer", "Override", "java", "dev", "com",
                "Job", "Result", "NAME", "OPTIONS", "WORKERS", "BUFFER", "engine", "target", "targets", "onResult",
                "rate", "backend", "jobs", "job", "workers", "buffer", "timeout", "components", "wire", "value",
                "error", "success", "function", "codec", "result", "Objects", "List", "Collection", "Duration",
                "PoolEngine", "Supplier", "AutoCloseable", "Generated", "equals", "_1", "$");
        StringBuilder parameters = new StringBuilder();
        StringBuilder sum = new StringBuilder("0");
        for (String name : names) {
            parameters.append(parameters.length() == 0 ? "" : ", ").append("int ").append(name);
            sum.append(" + ").append(name);
        }
        Compilation compilation = compile(source("com.example.Named",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Named {",
                "    @WorkerPool(timeout = \"5s\", retry = @WorkerPool.Retry(attempts = 2))",
                "    public int add(" + parameters + ") { return " + sum + "; }",
                "    @WorkerPool public static String strings(String String, Object Object, Thread Thread) {",
                "        return String + Object + (Thread == null); }",
                "}"));
        ClassLoader loader = Run.load(compilation);
        Object[] args = new Object[names.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = i + 1;
        }
        int expected = names.size() * (names.size() + 1) / 2;
        assertThat(Run.one(loader, "com.example.NamedAddPool", Run.instance(loader, "com.example.Named"), args))
                .isEqualTo(expected);
        assertThat(Run.one(loader, "com.example.NamedStringsPool", null, "s", 1, null)).isEqualTo("s1true");
    }

    /** {@code workers}, {@code name} and {@code timeout} given as constants of another class. */
    @Test
    void annotationValuesFromConstants() throws Throwable {
        Compilation compilation = compile(
                source("com.example.Limits",
                        "package com.example;",
                        "public final class Limits {",
                        "    public static final int WORKERS = 3;",
                        "    public static final int BUFFER = 2 * WORKERS;",
                        "    public static final String NAME = \"Limited\" + \"Pool\";",
                        "    public static final String TIMEOUT = WORKERS + \"s\";",
                        "    private Limits() {}",
                        "}"),
                source("com.example.Constant",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "import static com.example.Limits.*;",
                        "public class Constant {",
                        "    @WorkerPool(workers = WORKERS, buffer = Limits.BUFFER, name = NAME, timeout = TIMEOUT)",
                        "    public static int m(int x) { return x; }",
                        "}"));
        ClassLoader loader = Run.load(compilation);
        Class<?> pool = loader.loadClass("com.example.LimitedPool");
        assertThat(pool.getField("WORKERS").get(null)).isEqualTo(3);
        assertThat(pool.getField("BUFFER").get(null)).isEqualTo(6);
        assertThat(compilation.generatedSourceFile("com.example.LimitedPool").orElseThrow().getCharContent(false)
                .toString()).contains(".withTimeout(Duration.parse(\"PT3S\"))");
        assertThat(Run.one(loader, "com.example.LimitedPool", null, 4)).isEqualTo(4);
    }
}
