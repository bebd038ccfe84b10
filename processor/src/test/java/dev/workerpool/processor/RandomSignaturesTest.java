package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static dev.workerpool.processor.Sources.compile;
import static dev.workerpool.processor.Sources.source;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * 500 random valid signatures from the supported space (owner kinds, static or not, every parameter kind,
 * varargs, type-use annotations, generic methods, checked exceptions, clash-prone parameter names, return
 * kinds), from a fixed seed so a failure reproduces. Each compiles through the processor without warnings, and
 * its pool's result for one sample job equals what calling the method directly returns.
 */
class RandomSignaturesTest {

    private static final long SEED = 0x5eed_2026L;
    private static final int METHODS = 500;
    private static final int PER_CLASS = 10;
    private static final int CLASSES_PER_COMPILATION = 10;

    /** A parameter type: its source text, and a sample argument (made with the compiled classes' loader). */
    record ParamType(String source, Function<ClassLoader, Object> sample) {
        static ParamType of(String source, Object sample) {
            return new ParamType(source, loader -> sample);
        }
    }

    /** A return type: its source text, and an expression turning the fingerprint string {@code fp} into it. */
    record ReturnType(String source, String fromFingerprint) {}

    static final List<ParamType> PARAMS = List.of(
            ParamType.of("int", 7), ParamType.of("long", 8L), ParamType.of("double", 1.5), ParamType.of("float", 2.5f),
            ParamType.of("boolean", true), ParamType.of("char", 'q'), ParamType.of("byte", (byte) 3),
            ParamType.of("short", (short) 4), ParamType.of("Integer", 9), ParamType.of("Long", null),
            ParamType.of("String", "s"), ParamType.of("int[]", new int[] {1, 2}),
            ParamType.of("String[][]", new String[][] {{"a"}, {"b", "c"}}),
            ParamType.of("java.util.List<String>", List.of("x")),
            ParamType.of("java.util.Map<String, java.util.List<Integer>>", Map.of("k", List.of(1))),
            ParamType.of("java.util.List<? extends Number>", List.of(1, 2.5)),
            ParamType.of("java.util.Set<? super Integer>", Set.of()),
            ParamType.of("java.util.Optional<String>", Optional.of("o")),
            ParamType.of("CharSequence", "cs"), ParamType.of("Object", "obj"),
            ParamType.of("java.time.Duration", Duration.ofSeconds(3)),
            ParamType.of("java.nio.file.Path", Path.of("/tmp/x")),
            ParamType.of("@com.gen.N String", "annotated"),
            ParamType.of("java.util.List<@com.gen.N String>", List.of("y")),
            new ParamType("com.gen.Payload", loader -> {
                try {
                    return Run.instance(loader, "com.gen.Payload", 5, "p");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));

    static final List<ReturnType> RETURNS = List.of(
            new ReturnType("String", "fp"), new ReturnType("int", "fp.hashCode()"),
            new ReturnType("long", "fp.hashCode() * 31L"), new ReturnType("double", "fp.length() / 2.0"),
            new ReturnType("boolean", "fp.length() % 2 == 0"), new ReturnType("char", "fp.charAt(1)"),
            new ReturnType("byte", "(byte) fp.hashCode()"), new ReturnType("Integer", "fp.length()"),
            new ReturnType("String[]", "new String[] {fp, fp}"),
            new ReturnType("int[][]", "new int[][] {{fp.length()}}"),
            new ReturnType("java.util.List<String>", "java.util.List.of(fp)"),
            new ReturnType("java.util.Map<String, Integer>", "java.util.Map.of(fp, 1)"),
            new ReturnType("java.util.Optional<CharSequence>", "java.util.Optional.of(fp)"),
            new ReturnType("void", "com.gen.Fp.SEEN.put(fp, fp)"));

    static final List<String> NAMES = List.of("job", "jobs", "result", "results", "target", "pool", "workers", "buffer",
            "value", "error", "engine", "timeout", "function", "NAME", "WORKERS", "BUFFER", "thread", "start",
            "submit", "close", "a", "b", "c", "x", "y", "count", "item", "path");

    static final List<String> THROWS = List.of("", " throws java.io.IOException",
            " throws Exception", " throws java.util.concurrent.TimeoutException, java.io.IOException",
            " throws Throwable");

    /** One generated method, with what the test needs to call it both ways. */
    record Case(String owner, String pool, boolean isStatic, String method, List<ParamType> params, boolean varargs,
            ParamType varargsElement, boolean generic, String source) {}

    @Test
    void fiveHundredRandomSignaturesCompileAndRunThroughTheirPools() throws Throwable {
        Random random = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < METHODS; i++) {
            cases.add(randomCase(random, i));
        }
        int checked = 0;
        for (int start = 0; start < METHODS; start += PER_CLASS * CLASSES_PER_COMPILATION) {
            List<Case> batch = cases.subList(start, Math.min(METHODS, start + PER_CLASS * CLASSES_PER_COMPILATION));
            ClassLoader loader = Run.load(compile(sources(batch)));
            for (Case c : batch) {
                check(loader, c);
                checked++;
            }
        }
        assertWithMessage("signatures checked").that(checked).isEqualTo(METHODS);
    }

    private static Case randomCase(Random random, int index) {
        int kind = random.nextInt(4); // 0 static, 1 instance, 2 instance of a nested class, 3 interface default
        String owner = "com.gen.Gen" + index / PER_CLASS + (kind == 2 ? "$Nested" : kind == 3 ? "$Api" : "");
        String ownerPrefix = "Gen" + index / PER_CLASS + (kind == 2 ? "Nested" : kind == 3 ? "Api" : "");
        String method = "m" + index;
        int arity = random.nextInt(5);
        List<ParamType> params = new ArrayList<>();
        List<String> names = new ArrayList<>(NAMES);
        java.util.Collections.shuffle(names, random);
        List<String> declarations = new ArrayList<>();
        for (int p = 0; p < arity; p++) {
            ParamType type = PARAMS.get(random.nextInt(PARAMS.size()));
            params.add(type);
            declarations.add((random.nextInt(4) == 0 ? "final " : "") + type.source() + " " + names.get(p));
        }
        boolean generic = random.nextInt(6) == 0;
        if (generic) {
            declarations.add("T typed");
        }
        boolean varargs = random.nextInt(5) == 0;
        ParamType element = null;
        if (varargs) { // always last
            element = random.nextBoolean() ? ParamType.of("String", "v") : ParamType.of("int", 1);
            declarations.add(element.source() + "... " + names.get(arity));
        }
        String signature = String.join(", ", declarations);
        ReturnType returns = RETURNS.get(random.nextInt(RETURNS.size()));
        List<String> argumentNames = new ArrayList<>(names.subList(0, arity));
        if (generic) {
            argumentNames.add("typed");
        }
        if (varargs) {
            argumentNames.add(names.get(arity));
        }
        String fingerprint = "String fp = com.gen.Fp.of(\"" + method + "\"" + argumentNames.stream().map(n -> ", " + n)
                .reduce("", String::concat) + ");";
        String body = returns.source().equals("void")
                ? "{ " + fingerprint + " " + returns.fromFingerprint() + "; }"
                : "{ " + fingerprint + " return " + returns.fromFingerprint() + "; }";
        int workers = 1 + random.nextInt(4);
        int buffer = random.nextInt(9);
        String modifiers = switch (kind) {
            case 0 -> "static ";
            case 3 -> "default ";
            default -> random.nextBoolean() ? "public " : "";
        };
        String typeParameters = generic ? "<T extends CharSequence> " : "";
        String source = "    @WorkerPool(workers = " + workers + ", buffer = " + buffer + ")\n    " + modifiers
                + typeParameters + returns.source() + " " + method + "(" + signature + ")"
                + THROWS.get(random.nextInt(THROWS.size())) + " " + body;
        String pool = "com.gen." + ownerPrefix + Character.toUpperCase(method.charAt(0)) + method.substring(1) + "Pool";
        return new Case(owner, pool, kind == 0, method, params, varargs, element, generic, source);
    }

    private static JavaFileObject[] sources(List<Case> batch) {
        List<JavaFileObject> files = new ArrayList<>();
        files.add(source("com.gen.Fp",
                "package com.gen;",
                "public final class Fp {",
                "    public static final java.util.Map<String, String> SEEN = "
                        + "new java.util.concurrent.ConcurrentHashMap<>();",
                "    public static String of(Object... parts) { return java.util.Arrays.deepToString(parts); }",
                "}"));
        files.add(source("com.gen.N",
                "package com.gen;",
                "@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE) public @interface N {}"));
        files.add(source("com.gen.Payload",
                "package com.gen;",
                "public record Payload(int n, String s) {}"));
        Set<String> classes = new HashSet<>();
        for (Case c : batch) {
            classes.add(c.owner().replaceAll("\\$.*", ""));
        }
        for (String top : classes.stream().sorted().toList()) {
            StringBuilder text = new StringBuilder("package com.gen;\nimport dev.workerpool.WorkerPool;\npublic class ")
                    .append(top.substring("com.gen.".length())).append(" {\n");
            StringBuilder nested = new StringBuilder("    public static class Nested {\n");
            StringBuilder api = new StringBuilder("    public interface Api {\n");
            for (Case c : batch) {
                if (!c.owner().startsWith(top)) {
                    continue;
                }
                StringBuilder target = c.owner().endsWith("$Nested") ? nested : c.owner().endsWith("$Api") ? api : text;
                target.append(c.source()).append('\n');
            }
            text.append(nested).append("    }\n").append(api).append("    }\n")
                    .append("    public static class ApiImpl implements Api {}\n}\n");
            files.add(source(top, text.toString().split("\n")));
        }
        return files.toArray(JavaFileObject[]::new);
    }

    private static void check(ClassLoader loader, Case c) throws Throwable {
        Class<?> owner = loader.loadClass(c.owner());
        Method method = Arrays.stream(owner.getDeclaredMethods()).filter(m -> m.getName().equals(c.method()))
                .findFirst().orElseThrow();
        method.setAccessible(true);
        Object target = c.isStatic() ? null
                : c.owner().endsWith("$Api") ? Run.instance(loader, c.owner().replace("$Api", "$ApiImpl"))
                : Run.instance(loader, c.owner());
        List<Object> args = new ArrayList<>();
        for (ParamType p : c.params()) {
            args.add(p.sample().apply(loader));
        }
        if (c.generic()) {
            args.add("typed");
        }
        if (c.varargs()) {
            args.add(c.varargsElement().source().equals("int") ? new int[] {1, 2} : new String[] {"v", "w"});
        }
        Object expected = method.invoke(target, args.toArray());
        Object actual = Run.one(loader, c.pool(), target, args.toArray());
        if (method.getReturnType() == void.class) {
            assertWithMessage(c.source()).that(actual).isSameInstanceAs(Run.VOID);
        } else {
            assertWithMessage(c.source())
                .that(Arrays.deepEquals(new Object[] {expected}, new Object[] {actual})).isTrue();
        }
    }
}
