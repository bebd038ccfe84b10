package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every kind of owner, parameter, return type and generic that the processor supports: the generated pool
 * compiles without warnings, and running one job through it returns what calling the method returns.
 */
class SupportedShapesTest {

    @Test
    void ownerKinds() throws Throwable {
        ClassLoader loader = Run.load(compile(
                source("com.example.Owners",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Owners {",
                        "    public static class Nested {",
                        "        @WorkerPool(workers = 2) public int twice(int x) { return 2 * x; }",
                        "    }",
                        "    public class Inner {",
                        "        @WorkerPool public String tag(String s) { return label + s; }",
                        "    }",
                        "    final String label = \"inner:\";",
                        "    public interface Api {",
                        "        @WorkerPool int abstractCall(int x);",
                        "        @WorkerPool default int defaultCall(int x) { return abstractCall(x) + 1; }",
                        "    }",
                        "    public static class ApiImpl implements Api {",
                        "        public int abstractCall(int x) { return x * 10; }",
                        "    }",
                        "    public abstract static class Base {",
                        "        @WorkerPool public abstract String name(int id);",
                        "    }",
                        "    public static class Concrete extends Base {",
                        "        public String name(int id) { return \"#\" + id; }",
                        "    }",
                        "    public record Point(int x, int y) {",
                        "        @WorkerPool public int dot(int a, int b) { return a * x + b * y; }",
                        "    }",
                        "    public enum Op {",
                        "        NEG;",
                        "        @WorkerPool public long apply(long v) { return -v; }",
                        "    }",
                        "}"),
                source("Plain",
                        "import dev.workerpool.WorkerPool;",
                        "public class Plain {",
                        "    @WorkerPool static String hello(String who) { return \"hello \" + who; }",
                        "}")));
        Object owners = Run.instance(loader, "com.example.Owners");
        Object nested = Run.instance(loader, "com.example.Owners$Nested");
        assertThat(Run.one(loader, "com.example.OwnersNestedTwicePool", nested, 21)).isEqualTo(42);
        Object inner = Run.instance(loader, "com.example.Owners$Inner", owners);
        assertThat(Run.one(loader, "com.example.OwnersInnerTagPool", inner, "x")).isEqualTo("inner:x");
        Object api = Run.instance(loader, "com.example.Owners$ApiImpl");
        assertThat(Run.one(loader, "com.example.OwnersApiAbstractCallPool", api, 3)).isEqualTo(30);
        assertThat(Run.one(loader, "com.example.OwnersApiDefaultCallPool", api, 3)).isEqualTo(31);
        Object concrete = Run.instance(loader, "com.example.Owners$Concrete");
        assertThat(Run.one(loader, "com.example.OwnersBaseNamePool", concrete, 7)).isEqualTo("#7");
        Object point = Run.instance(loader, "com.example.Owners$Point", 2, 3);
        assertThat(Run.one(loader, "com.example.OwnersPointDotPool", point, 10, 100)).isEqualTo(320);
        Object neg = loader.loadClass("com.example.Owners$Op").getEnumConstants()[0];
        assertThat(Run.one(loader, "com.example.OwnersOpApplyPool", neg, 5L)).isEqualTo(-5L);
        assertThat(Run.one(loader, "PlainHelloPool", null, "pool")).isEqualTo("hello pool");
    }

    @Test
    void parameterKinds() throws Throwable {
        ClassLoader loader = Run.load(compile(
                source("com.example.TypeUse",
                        "package com.example;",
                        "import java.lang.annotation.*;",
                        "@Target(ElementType.TYPE_USE) @Retention(RetentionPolicy.RUNTIME) "
                                + "public @interface TypeUse {}"),
                source("com.example.Params",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "import java.util.*;",
                        "public class Params {",
                        "    @WorkerPool static String none() { return \"none\"; }",
                        "    @WorkerPool static String primitives(boolean z, byte b, short s, char c, int i, "
                                + "long l, float f,",
                        "            double d) { return \"\" + z + b + s + c + i + l + f + d; }",
                        "    @WorkerPool static String boxed(Boolean z, Integer i, Long l, Double d) "
                                + "{ return \"\" + z + i + l + d; }",
                        "    @WorkerPool static int arrays(int[] a, String[][] grid) "
                                + "{ return a.length * 100 + grid[1].length; }",
                        "    @WorkerPool static String varargs(String sep, String... parts) "
                                + "{ return String.join(sep, parts); }",
                        "    @WorkerPool static double wildcards(List<? extends Number> ns, Map<String, "
                                + "? super Integer> sink) {",
                        "        return ns.stream().mapToDouble(Number::doubleValue).sum(); }",
                        "    @WorkerPool static @TypeUse String typeUse(@TypeUse String s, List<@TypeUse String> l) "
                                + "{ return s + l; }",
                        "    @WorkerPool static int finals(final int a, final int b) { return a - b; }",
                        "}")));
        String p = "com.example.Params";
        assertThat(Run.one(loader, p + "NonePool", null)).isEqualTo("none");
        assertThat(Run.one(loader, p + "PrimitivesPool", null, true, (byte) 1, (short) 2, 'c', 3, 4L, 5.5f, 6.5))
                .isEqualTo("true12c345.56.5");
        assertThat(Run.one(loader, p + "BoxedPool", null, null, 1, 2L, 3.0)).isEqualTo("null123.0");
        assertThat(Run.one(loader, p + "ArraysPool", null, new int[] {1, 2}, new String[][] {{}, {"a", "b", "c"}}))
                .isEqualTo(203);
        assertThat(Run.one(loader, p + "VarargsPool", null, "-", new String[] {"a", "b", "c"})).isEqualTo("a-b-c");
        assertThat(Run.one(loader, p + "WildcardsPool", null, List.of(1, 2.5), Map.of())).isEqualTo(3.5);
        assertThat(Run.one(loader, p + "TypeUsePool", null, "s", List.of("t"))).isEqualTo("s[t]");
        assertThat(Run.one(loader, p + "FinalsPool", null, 5, 3)).isEqualTo(2);
    }

    @Test
    void returnKindsAndCheckedExceptions() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Returns",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.*;",
                "public class Returns {",
                "    static final List<String> LOG = new java.util.concurrent.CopyOnWriteArrayList<>();",
                "    @WorkerPool static void log(String s) { LOG.add(s); }",
                "    @WorkerPool static char initial(String s) { return s.charAt(0); }",
                "    @WorkerPool static int[][] square(int n) { return new int[][] {{n, n}, {n, n}}; }",
                "    @WorkerPool static Map<String, List<Integer>> index(String k) { return Map.of(k, List.of(1)); }",
                "    @WorkerPool static Optional<String> maybe(String s) { return Optional.ofNullable(s); }",
                "    @WorkerPool static String read(String path) throws java.io.IOException {",
                "        throw new java.io.FileNotFoundException(path); }",
                "}")));
        String p = "com.example.Returns";
        assertThat(Run.one(loader, p + "LogPool", null, "x")).isSameInstanceAs(Run.VOID);
        assertThat(Run.one(loader, p + "InitialPool", null, "abc")).isEqualTo('a');
        assertThat((int[][]) Run.one(loader, p + "SquarePool", null, 3)).isEqualTo(new int[][] {{3, 3}, {3, 3}});
        assertThat(Run.one(loader, p + "IndexPool", null, "k")).isEqualTo(Map.of("k", List.of(1)));
        assertThat(Run.one(loader, p + "MaybePool", null, (Object) null)).isEqualTo(Optional.empty());
        IOException e = assertThrows(IOException.class, () -> Run.one(loader, p + "ReadPool", null, "/nope"));
        assertThat(e).hasMessageThat().isEqualTo("/nope");
    }

    /**
     * A primitive-returning method's Result holds the primitive itself (no box per job): the component's type is
     * the primitive, a success carries the value, and a failure carries the zero of that type and the error.
     */
    @Test
    void primitiveResultsHoldThePrimitiveAndAFailureHoldsZero() throws Throwable {
        ClassLoader loader = Run.load(compile(source("com.example.Prims",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "public class Prims {",
                "    static void fail(boolean fail) { if (fail) throw new IllegalStateException(\"failed\"); }",
                "    @WorkerPool static boolean z(boolean fail) { fail(fail); return true; }",
                "    @WorkerPool static byte b(boolean fail) { fail(fail); return 1; }",
                "    @WorkerPool static short s(boolean fail) { fail(fail); return 2; }",
                "    @WorkerPool static char c(boolean fail) { fail(fail); return 'c'; }",
                "    @WorkerPool static int i(boolean fail) { fail(fail); return 4; }",
                "    @WorkerPool static long l(boolean fail) { fail(fail); return 5L; }",
                "    @WorkerPool static float f(boolean fail) { fail(fail); return 6.5f; }",
                "    @WorkerPool static double d(boolean fail) { fail(fail); return 7.5; }",
                "}")));
        Map<String, Object[]> kinds = Map.of( // pool -> {primitive type, value on success, value on failure}
                "Z", new Object[] {boolean.class, true, false}, "B", new Object[] {byte.class, (byte) 1, (byte) 0},
                "S", new Object[] {short.class, (short) 2, (short) 0}, "C", new Object[] {char.class, 'c', (char) 0},
                "I", new Object[] {int.class, 4, 0}, "L", new Object[] {long.class, 5L, 0L},
                "F", new Object[] {float.class, 6.5f, 0f}, "D", new Object[] {double.class, 7.5, 0.0});
        for (Map.Entry<String, Object[]> kind : kinds.entrySet()) {
            String pool = "com.example.Prims" + kind.getKey() + "Pool";
            Class<?> result = loader.loadClass(pool + "$Result");
            assertThat(result.getRecordComponents()[1].getType()).isEqualTo(kind.getValue()[0]);
            assertThat(result.getMethod("getOrThrow").getReturnType()).isEqualTo(kind.getValue()[0]);
            assertThat(Run.one(loader, pool, null, false)).isEqualTo(kind.getValue()[1]);
            Object failed = Run.oneResult(loader, pool, null, true);
            assertThat(result.getMethod("value").invoke(failed)).isEqualTo(kind.getValue()[2]);
            assertThat(result.getMethod("isSuccess").invoke(failed)).isEqualTo(false);
            assertThat((Throwable) result.getMethod("error").invoke(failed)).hasMessageThat().isEqualTo("failed");
        }
    }

    @Test
    void genericMethodsAndGenericOwnersMakeGenericPools() throws Throwable {
        var compilation = compile(source("com.example.Generic",
                "package com.example;",
                "import dev.workerpool.WorkerPool;",
                "import java.util.*;",
                "public class Generic {",
                "    @WorkerPool static <T extends Comparable<T>> T max(List<T> items) "
                        + "{ return Collections.max(items); }",
                "    @WorkerPool static <K, V extends Number> Map<K, V> single(K key, V value) "
                        + "{ return Map.of(key, value); }",
                "    public static class Box<E> {",
                "        public final List<E> items = new ArrayList<>();",
                "        @WorkerPool public int count(E item) { return Collections.frequency(items, item); }",
                "        @WorkerPool public <R extends E> List<E> with(R extra) "
                        + "{ List<E> l = new ArrayList<>(items); l.add(extra); return l; }",
                "        public class Cursor {",
                "            @WorkerPool public E at(int i) { return items.get(i); }",
                "        }",
                "    }",
                "}"));
        ClassLoader loader = Run.load(compilation);
        String boxPool = compilation.generatedSourceFile("com.example.GenericBoxCountPool").orElseThrow()
                .getCharContent(false).toString();
        assertThat(boxPool).contains("public final class GenericBoxCountPool<E> implements AutoCloseable");
        String p = "com.example.Generic";
        assertThat(Run.one(loader, p + "MaxPool", null, List.of(3, 9, 4))).isEqualTo(9);
        assertThat(Run.one(loader, p + "SinglePool", null, "k", 2)).isEqualTo(Map.of("k", 2));
        Object box = Run.instance(loader, "com.example.Generic$Box");
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) box.getClass().getDeclaredField("items").get(box);
        items.addAll(List.of("a", "b", "a"));
        assertThat(Run.one(loader, p + "BoxCountPool", box, "a")).isEqualTo(2);
        assertThat(Run.one(loader, p + "BoxWithPool", box, "z")).isEqualTo(List.of("a", "b", "a", "z"));
        Object cursor = Run.instance(loader, "com.example.Generic$Box$Cursor", box);
        assertThat(Run.one(loader, p + "BoxCursorAtPool", cursor, 1)).isEqualTo("b");
    }

    @Test
    void namesThatClashWithGeneratedMembersOrWithTypesTheGeneratedCodeUses() throws Throwable {
        ClassLoader loader = Run.load(compile(
                source("com.example.Job", "package com.example;", "public class Job "
                        + "{ public String toString() { return \"J\"; } }"),
                source("com.example.Result", "package com.example;", "public class Result "
                        + "{ public final int n; public Result(int n) { this.n = n; } }"),
                source("com.example.Override", "package com.example;", "public class Override {}"),
                source("com.example.Thread", "package com.example;", "public class Thread {}"),
                source("com.example.Generated", "package com.example;", "public class Generated {}"),
                source("com.example.Objects", "package com.example;", "public class Objects {}"),
                source("com.example.List", "package com.example;", "public class List {}"),
                source("com.example.Duration", "package com.example;", "public class Duration {}"),
                source("com.example.PoolEngine", "package com.example;", "public class PoolEngine {}"),
                source("com.strings.String", "package com.strings;", "public class String {}"),
                source("com.strings.Texts",
                        "package com.strings;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Texts {",
                        "    @WorkerPool java.lang.String first(String s) { return \"first\"; }",
                        "    @WorkerPool java.lang.String length(java.lang.String s) { return s + s.length(); }",
                        "}"),
                source("com.example.Clash",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Clash {",
                        "    @WorkerPool(workers = 2)",
                        "    Result run(Job job, java.lang.String result, int target, int pool, "
                                + "int workers, int buffer,",
                        "            int value, int error, int jobs, int engine, int timeout, int NAME, int WORKERS, "
                                + "int function,",
                        "            Thread thread, java.util.List<Override> overrides) {",
                        "        return new Result(target + pool + workers + buffer + value + error + jobs + "
                                + "engine + timeout",
                        "                + NAME + WORKERS + function + result.length() + job.toString().length());",
                        "    }",
                        "}"),
                source("com.example.Other",
                        "package com.example;",
                        "import dev.workerpool.WorkerPool;",
                        "public class Other {",
                        "    @WorkerPool java.lang.String first(int x) { return \"other \" + x; }",
                        "}")));
        Object clash = Run.instance(loader, "com.example.Clash");
        Object job = Run.instance(loader, "com.example.Job");
        Object result = Run.one(loader, "com.example.ClashRunPool", clash, job, "rr", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                11, 12, Run.instance(loader, "com.example.Thread"), java.util.List.of());
        assertThat(result.getClass().getName()).isEqualTo("com.example.Result");
        assertThat(result.getClass().getField("n").get(result)).isEqualTo(78 + 2 + 1);
        Object texts = Run.instance(loader, "com.strings.Texts");
        assertThat(Run.one(loader, "com.strings.TextsFirstPool", texts, Run.instance(loader, "com.strings.String")))
                .isEqualTo("first");
        assertThat(Run.one(loader, "com.strings.TextsLengthPool", texts, "abc")).isEqualTo("abc3");
        assertThat(Run.one(loader, "com.example.OtherFirstPool", Run.instance(loader, "com.example.Other"), 3))
                .isEqualTo("other 3");
    }
}
