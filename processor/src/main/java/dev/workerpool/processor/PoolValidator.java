package dev.workerpool.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeVariableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks one {@code @WorkerPool} method and turns it into a {@link PoolModel}. Reports every problem it
 * finds on the element (and on the annotation value, when the value is the problem), then gives up on that
 * element: the writer only ever sees valid models.
 */
final class PoolValidator {

    static final String ANNOTATION = "dev.workerpool.WorkerPool";
    static final int MAX_WORKERS = 10_000;
    /** Virtual threads are cheap; the limit only catches a typo. */
    static final int MAX_VIRTUAL_WORKERS = 1 << 20;
    /** System.nanoTime() deadlines wrap after about 292 years; keep well inside that. */
    static final long MAX_TIMEOUT_DAYS = 365L * 100;
    /** The most attempts a retry policy may have (the runtime's {@code RetryPolicy.MAX_ATTEMPTS}). */
    static final int MAX_ATTEMPTS = 100;
    /** The options of {@code @WorkerPool.Retry} besides {@code attempts}, in declaration order. */
    private static final List<String> RETRY_OPTIONS = List.of("on", "backoff", "multiplier", "maxBackoff", "jitter");
    static final int MAX_BUFFER = 1 << 24;
    /** Identifiers that cannot name a class (JLS 3.9: restricted identifiers). */
    static final Set<String> RESTRICTED_TYPE_NAMES = Set.of("var", "yield", "record", "sealed", "permits");
    /** The generated pool's nested records: the pool cannot take their names. */
    static final Set<String> NESTED_NAMES = Set.of("Job", "Result");
    /** The longest file name most file systems allow, in bytes. */
    static final int MAX_FILE_NAME_BYTES = 255;
    /** The longest file the pool is written to: {@code <Pool>$Result.class}. */
    private static final String LONGEST_SUFFIX = "$Result.class";
    /** Parameter slots a JVM method may take, {@code this} included. */
    static final int MAX_PARAMETER_SLOTS = 255;
    /** Zero-argument Object methods: a record component may not have these names. */
    private static final Set<String> FORBIDDEN_COMPONENTS =
            Set.of("clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    /** What validation concluded. */
    sealed interface Outcome {
        /** Valid: generate this. */
        record Valid(PoolModel model) implements Outcome {}

        /** Invalid: errors were reported; generate nothing. */
        record Invalid() implements Outcome {}

        /**
         * A type in the signature, or a constant or class an annotation value names, does not exist yet; another
         * processor may generate it in a later round. If it never appears, javac reports it ("cannot find
         * symbol", on the name as written), and nothing is generated: an error of the processor's own would
         * only repeat javac's, less precisely.
         */
        record Deferred() implements Outcome {}
    }

    private final Messager messager;
    private final Elements elements;
    /** For {@code distributed = true}: which parameter and return types can be sent. */
    private final SendableTypes sendable;
    /** The compilation's source level (its --release): the pool's records need 16, virtual threads 21. */
    private final SourceVersion release;
    /**
     * Whether a qualified name is that of a top-level class of this compilation's sources, other than a pool
     * this processor generated: javac's Filer refuses to create such a class again.
     */
    private final Predicate<String> sourceClass;
    /** Whether a qualified name is that of a package ({@link PackageNames}): a class may not have it. */
    private final Predicate<String> packageName;
    private boolean failed;

    PoolValidator(Messager messager, Elements elements, Types types, SourceVersion release,
            Predicate<String> sourceClass, Predicate<String> packageName) {
        this.messager = messager;
        this.elements = elements;
        this.sendable = new SendableTypes(elements, types);
        this.release = release;
        this.sourceClass = sourceClass;
        this.packageName = packageName;
    }

    Outcome validate(ExecutableElement method) {
        failed = false;
        if (hasMissingType(method)) {
            return new Outcome.Deferred();
        }
        AnnotationMirror annotation = annotationOf(method);
        if (hasUnresolvedValue(annotation)) {
            // a constant or class not generated yet, or a typo javac reports; not a value of its type meanwhile
            return new Outcome.Deferred();
        }
        AnnotationMirror retryAnnotation = (AnnotationMirror) valueWithDefault(annotation, "retry").getValue();
        List<DeclaredType> retryOn = new ArrayList<>();
        for (AnnotationValue value : retryOnValues(retryAnnotation)) {
            if (value.getValue() instanceof DeclaredType type) {
                retryOn.add(type);
            }
        }
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        String methodRef = methodRef(owner, method);

        int workers = intValue(annotation, "workers");
        int buffer = intValue(annotation, "buffer");
        String name = (String) valueWithDefault(annotation, "name").getValue();
        boolean virtualThreads = booleanValue(annotation, "virtualThreads");
        if (virtualThreads && release.ordinal() < 21) {
            errorOnValue(method, annotation, "virtualThreads", Message.VIRTUAL_THREADS_RELEASE, release.ordinal());
        }
        int maxWorkers = virtualThreads ? MAX_VIRTUAL_WORKERS : MAX_WORKERS;
        if (workers < 1) {
            errorOnValue(method, annotation, "workers", Message.WORKERS_TOO_FEW, workers);
        } else if (workers > maxWorkers) {
            errorOnValue(method, annotation, "workers", Message.WORKERS_TOO_MANY, workers,
                    virtualThreads ? "virtual" : "platform", maxWorkers);
        }
        Duration timeout = timeout(annotation, method);
        PoolModel.Rate rate = rate(annotation, method);
        if (buffer < 0) {
            errorOnValue(method, annotation, "buffer", Message.BUFFER_NEGATIVE, buffer);
        } else if (buffer > MAX_BUFFER) {
            errorOnValue(method, annotation, "buffer", Message.BUFFER_TOO_LARGE, buffer, MAX_BUFFER);
        }
        String defaultName = defaultName(owner, method);
        String simpleName = defaultName;
        PackageElement pkg = packageOf(method);
        boolean nameValid = false;
        if (!name.isEmpty()) {
            String ignorable = name.chars().filter(Character::isIdentifierIgnorable).distinct()
                    .mapToObj(c -> Message.visible(String.valueOf((char) c))).collect(Collectors.joining(", "));
            if (!ignorable.isEmpty()) { // valid to SourceVersion, but javac drops them: a class of another name
                errorOnValue(method, annotation, "name", Message.NAME_IGNORABLE, Message.visible(name), ignorable,
                        simpleName);
            } else if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
                errorOnValue(method, annotation, "name", Message.NAME_NOT_IDENTIFIER, Message.visible(name),
                        simpleName);
            } else if (RESTRICTED_TYPE_NAMES.contains(name)) {
                errorOnValue(method, annotation, "name", Message.NAME_RESTRICTED, Message.visible(name), simpleName);
            } else if (NESTED_NAMES.contains(name)) {
                errorOnValue(method, annotation, "name", Message.NAME_OF_NESTED, name, simpleName);
            } else if (isJavaLangType(name)) {
                errorOnValue(method, annotation, "name", Message.NAME_HIDES_JAVA_LANG, name, name,
                        pkg.isUnnamed() ? "the default package" : "package " + pkg.getQualifiedName(), simpleName);
            } else {
                simpleName = name;
                nameValid = true;
            }
        }
        nameValid &= checkFileNameLength(simpleName, defaultName, method, annotation);
        ClassName poolClass = ClassName.get(pkg.getQualifiedName().toString(), simpleName);
        if (nameValid || name.isEmpty()) {
            checkClassName(poolClass, method, annotation, methodRef, defaultName);
        }
        if (release.ordinal() < 16) {
            error(method, Message.RELEASE_WITHOUT_RECORDS, simpleName, release.ordinal());
        }
        checkParameterSlots(method, methodRef);
        checkDefaultPackageNames(method, owner, methodRef);

        checkAccess(method, owner, poolClass, methodRef);
        PoolModel.Retry retry = retry(retryAnnotation, annotation, method, methodRef, poolClass, timeout != null);
        boolean staticMethod = method.getModifiers().contains(Modifier.STATIC);
        List<TypeParameterElement> typeParameters = poolTypeParameters(method);
        checkTypeParameters(typeParameters, method, methodRef, poolClass, retryOn);
        List<PoolModel.Parameter> parameters = new ArrayList<>();
        for (VariableElement parameter : method.getParameters()) {
            String parameterName = parameter.getSimpleName().toString();
            if (FORBIDDEN_COMPONENTS.contains(parameterName)) {
                error(parameter, Message.PARAMETER_NAME, parameterName, methodRef);
            }
            checkTypeAccess(parameter.asType(), method, methodRef, poolClass);
            parameters.add(new PoolModel.Parameter(parameterName, TypeName.get(parameter.asType())));
        }
        checkTypeAccess(method.getReturnType(), method, methodRef, poolClass);
        if (booleanValue(annotation, "distributed")) {
            checkDistributed(method, annotation, methodRef);
        }
        List<TypeName> thrown = new ArrayList<>();
        for (TypeMirror type : method.getThrownTypes()) {
            if (type.getKind() == TypeKind.TYPEVAR) {
                error(method, Message.GENERIC_THROWS, methodRef, type);
            }
            checkTypeAccess(type, method, methodRef, poolClass);
            thrown.add(TypeName.get(type));
        }
        if (failed) {
            return new Outcome.Invalid();
        }
        return new Outcome.Valid(new PoolModel(
                poolClass,
                TypeName.get(owner.asType()),
                staticMethod,
                method.getSimpleName().toString(),
                javadocRef(owner, method),
                List.copyOf(parameters),
                TypeName.get(method.getReturnType()),
                List.copyOf(thrown),
                method.isVarArgs(),
                genericVarargs(method),
                usesDeprecated(method, owner, retryOn),
                poolTypes(method).stream().anyMatch(PoolValidator::hasRawType),
                workers,
                buffer,
                new PoolModel.Options(booleanValue(annotation, "ordered"), booleanValue(annotation, "failFast"),
                        timeout, virtualThreads, rate, retry),
                typeParameters.stream().map(TypeVariableName::get).toList(),
                namesToQualify(method, retryOn, typeParameters),
                method));
    }

    /**
     * The pool's type parameters: the owner's (and those of the classes it is an inner class of) for an instance
     * method, then the method's.
     */
    private static List<TypeParameterElement> poolTypeParameters(ExecutableElement method) {
        List<TypeParameterElement> parameters = new ArrayList<>();
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            parameters.addAll(ownerTypeParameters((TypeElement) method.getEnclosingElement()));
        }
        parameters.addAll(method.getTypeParameters());
        return parameters;
    }

    /**
     * Every type the pool names from the method: the signature's, and the bounds of the pool's type parameters
     * (a new list). Each bound is listed once, and a type variable in a bound is not followed further, so
     * recursive bounds ({@code T extends Comparable<T>}) end.
     */
    static List<TypeMirror> poolTypes(ExecutableElement method) {
        List<TypeMirror> types = signature(method);
        poolTypeParameters(method).forEach(t -> types.addAll(t.getBounds()));
        return types;
    }

    /** Whether the type is, or has inside it, a generic class without type arguments ({@code List}). */
    private static boolean hasRawType(TypeMirror type) {
        boolean[] raw = {false};
        forEachDeclared(type, declared -> raw[0] |= declared.getTypeArguments().isEmpty()
                && !((TypeElement) declared.asElement()).getTypeParameters().isEmpty());
        return raw[0];
    }

    /**
     * The pool's qualified name must be free: not a class of the sources, not a package, and not of the form
     * {@code A$Pool} for a class {@code A} of the package (the binary name of a class nested in {@code A}: javac
     * would take the pool's class file for that class's).
     */
    private void checkClassName(ClassName poolClass, ExecutableElement method, AnnotationMirror annotation,
            String methodRef, String defaultName) {
        PackageElement pkg = packageOf(method);
        String simpleName = poolClass.simpleName();
        if (sourceClass.test(poolClass.canonicalName())) {
            errorOnValue(method, annotation, "name", Message.CLASS_EXISTS, poolClass, methodRef,
                    freeName(pkg, simpleName, defaultName));
        } else if (isPackageName(poolClass.canonicalName())) {
            errorOnValue(method, annotation, "name", Message.NAME_OF_PACKAGE, poolClass, methodRef,
                    freeName(pkg, simpleName, defaultName));
        } else {
            String prefix = pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".";
            for (int at = simpleName.indexOf('$'); at > 0; at = simpleName.indexOf('$', at + 1)) {
                TypeElement outer = elements.getTypeElement(prefix + simpleName.substring(0, at));
                if (outer != null && outer.getEnclosingElement().equals(pkg)) {
                    String suggestion = freeName(pkg, simpleName, defaultName.replace("$", ""));
                    errorOnValue(method, annotation, "name", Message.NAME_LIKE_NESTED_BINARY, poolClass, methodRef,
                            outer.getQualifiedName(), simpleName, suggestion);
                    return;
                }
            }
        }
    }

    /**
     * Whether a package has this name: one of the sources or that the generated code names, or one the
     * compilation can see, also one with no class of its own ({@link PackageNames}).
     */
    private boolean isPackageName(String qualifiedName) {
        return packageName.test(qualifiedName);
    }

    /** Whether {@code java.lang} has a public type of this simple name, which every class sees unqualified. */
    private boolean isJavaLangType(String simpleName) {
        TypeElement type = elements.getTypeElement("java.lang." + simpleName);
        return type != null && type.getModifiers().contains(Modifier.PUBLIC);
    }

    /**
     * A name for the pool that no class or package has: the default name if it is not the one taken, else the
     * taken name's stem with a number, {@code Name2Pool}, {@code Name3Pool}...
     */
    private String freeName(PackageElement pkg, String taken, String defaultName) {
        String prefix = pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".";
        String stem = taken.replaceAll("Pool$", "");
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? defaultName : stem + n + "Pool";
            if (!candidate.equals(taken) && !sourceClass.test(prefix + candidate)
                    && elements.getTypeElement(prefix + candidate) == null && !isPackageName(prefix + candidate)) {
                return candidate;
            }
        }
    }

    /** Whether the method is varargs of a non-reifiable element type ({@code T...}, {@code List<String>...}). */
    private static boolean genericVarargs(ExecutableElement method) {
        List<? extends VariableElement> parameters = method.getParameters();
        return method.isVarArgs()
                && !reifiable(((ArrayType) parameters.get(parameters.size() - 1).asType()).getComponentType());
    }

    /** Whether values of this type keep it whole at run time (JLS 4.7); a varargs of any other may pollute. */
    private static boolean reifiable(TypeMirror type) {
        return switch (type.getKind()) {
            case ARRAY -> reifiable(((ArrayType) type).getComponentType());
            case TYPEVAR -> false;
            case DECLARED -> {
                for (TypeMirror argument : ((DeclaredType) type).getTypeArguments()) {
                    if (!(argument instanceof WildcardType w) || w.getExtendsBound() != null
                            || w.getSuperBound() != null) {
                        yield false;
                    }
                }
                yield !(((DeclaredType) type).getEnclosingType() instanceof DeclaredType outer)
                        || outer.getTypeArguments().isEmpty() || reifiable(outer);
            }
            default -> true;
        };
    }

    /** Whether the generated code would touch something deprecated: the method, its owners, signature types. */
    private boolean usesDeprecated(ExecutableElement method, TypeElement owner, List<DeclaredType> retryOn) {
        if (elements.isDeprecated(method) || deprecatedAlongNesting(owner)) {
            return true;
        }
        boolean[] found = {false};
        List<TypeMirror> used = poolTypes(method);
        used.addAll(retryOn);
        for (TypeMirror type : used) {
            forEachDeclared(type, declared -> found[0] |= deprecatedAlongNesting(declared.asElement()));
        }
        return found[0];
    }

    /** Whether the type or a type it is nested in is deprecated. */
    private boolean deprecatedAlongNesting(Element type) {
        for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            if (elements.isDeprecated(t)) {
                return true;
            }
        }
        return false;
    }

    /** The types of the method's signature: its return type, parameter types and thrown types (a new list). */
    static List<TypeMirror> signature(ExecutableElement method) {
        List<TypeMirror> types = new ArrayList<>();
        types.add(method.getReturnType());
        method.getParameters().forEach(p -> types.add(p.asType()));
        types.addAll(method.getThrownTypes());
        return types;
    }

    /**
     * Reports methods that would generate the same class: each of {@code clashing} but {@code earlier} (whose
     * pool an earlier round wrote; null if none), each with a name to set. Of two, either should take the one
     * suggestion; of more, each gets its own, so that following every suggestion ends the clash. A suggestion is
     * free: no class of the sources or the class path, and no pool written so far ({@code generated}), has it.
     */
    void reportDuplicates(List<PoolModel> clashing, PoolModel earlier, Predicate<ClassName> generated) {
        ClassName pool = clashing.get(0).poolClass();
        String stem = pool.simpleName().replaceAll("Pool$", "");
        Set<String> suggested = new HashSet<>();
        String suggestion = null;
        for (PoolModel model : clashing) {
            if (model == earlier) {
                continue;
            }
            if (suggestion == null || clashing.size() > 2) {
                suggestion = nextFreeName(pool.packageName(), stem, suggested, generated);
                suggested.add(suggestion);
            }
            AnnotationMirror annotation = annotationOf(model.origin());
            if (clashing.size() == 2) {
                PoolModel other = clashing.get(clashing.get(0) == model ? 1 : 0);
                errorOnValue(model.origin(), annotation, "name", Message.DUPLICATE_CLASS, pool, model.methodRef(),
                        other.methodRef(), suggestion);
            } else {
                List<String> methods = new ArrayList<>(List.of(model.methodRef()));
                clashing.stream().filter(m -> m != model).forEach(m -> methods.add(m.methodRef()));
                String listed = String.join(", ", methods.subList(0, methods.size() - 1)) + " and "
                        + methods.get(methods.size() - 1);
                errorOnValue(model.origin(), annotation, "name", Message.DUPLICATE_CLASSES, pool, listed, suggestion);
            }
        }
    }

    /**
     * Reports a pool whose name differs only in case from {@code other}, a pool written for {@code otherPool} or,
     * if that is null, a class of the sources: on the method, and on its {@code name} value if it has one, with a
     * name that {@code taken} does not hold.
     */
    void reportCaseClash(PoolModel model, String other, PoolModel otherPool, Predicate<ClassName> taken) {
        ClassName pool = model.poolClass();
        String suggestion = nextFreeName(pool.packageName(), pool.simpleName().replaceAll("Pool$", ""), Set.of(),
                taken);
        AnnotationMirror annotation = annotationOf(model.origin());
        if (otherPool != null) {
            errorOnValue(model.origin(), annotation, "name", Message.CASE_CLASH_WITH_POOL, pool, model.methodRef(),
                    other, otherPool.methodRef(), suggestion);
        } else {
            errorOnValue(model.origin(), annotation, "name", Message.CASE_CLASH_WITH_CLASS, pool, model.methodRef(),
                    other, suggestion);
        }
    }

    /**
     * {@code <stem>2Pool}, {@code <stem>3Pool}...: the first that no class or package has and that was not
     * suggested yet.
     */
    private String nextFreeName(String pkg, String stem, Set<String> suggested, Predicate<ClassName> generated) {
        String prefix = pkg.isEmpty() ? "" : pkg + ".";
        for (int n = 2; ; n++) {
            String candidate = stem + n + "Pool";
            if (!suggested.contains(candidate) && !sourceClass.test(prefix + candidate)
                    && !generated.test(ClassName.get(pkg, candidate))
                    && elements.getTypeElement(prefix + candidate) == null && !isPackageName(prefix + candidate)) {
                return candidate;
            }
        }
    }

    // --- checks ------------------------------------------------------------------------------------------------

    /**
     * The pool's files ({@code Pool.java}, {@code Pool$Result.class}...) must fit a file system's name limit.
     * Returns whether they do.
     */
    private boolean checkFileNameLength(String simpleName, String defaultName, ExecutableElement method,
            AnnotationMirror annotation) {
        int bytes = (simpleName + LONGEST_SUFFIX).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_FILE_NAME_BYTES) {
            String shown = simpleName.length() > 48 ? simpleName.substring(0, 48) + "..." : simpleName;
            String suggestion = defaultName.substring(0, Math.min(48, defaultName.length() - "Pool".length())) + "Pool";
            errorOnValue(method, annotation, "name", Message.FILE_NAME_TOO_LONG, shown, bytes, shown + LONGEST_SUFFIX,
                    MAX_FILE_NAME_BYTES, suggestion);
            return false;
        }
        return true;
    }

    /**
     * The generated Job constructor and the instance {@code submit} methods take the method's parameters and
     * {@code this}: one slot more than a static method needs.
     */
    private void checkParameterSlots(ExecutableElement method, String methodRef) {
        int slots = 0;
        for (VariableElement parameter : method.getParameters()) {
            TypeKind kind = parameter.asType().getKind();
            slots += kind == TypeKind.LONG || kind == TypeKind.DOUBLE ? 2 : 1;
        }
        if (slots + 1 > MAX_PARAMETER_SLOTS) {
            error(method, Message.TOO_MANY_PARAMETER_SLOTS, methodRef, slots, slots + 1);
        }
    }

    /**
     * In the default package, a type named {@code Job} or {@code Result} (the owner, or one in the signature)
     * would be hidden inside the pool by its nested record of that name, and cannot be written qualified.
     */
    private void checkDefaultPackageNames(ExecutableElement method, TypeElement owner, String methodRef) {
        if (!packageOf(method).isUnnamed()) {
            return;
        }
        Set<String> hidden = new TreeSet<>();
        List<TypeMirror> signature = signature(method);
        signature.add(owner.asType());
        method.getTypeParameters().forEach(t -> signature.addAll(t.getBounds()));
        for (TypeMirror type : signature) {
            forEachDeclared(type, declared -> {
                Element top = outermost(declared.asElement());
                if (packageOf(top).isUnnamed() && NESTED_NAMES.contains(top.getSimpleName().toString())) {
                    hidden.add(top.getSimpleName().toString());
                }
            });
        }
        for (String name : hidden) {
            error(method, Message.DEFAULT_PACKAGE_CLASH, methodRef, name, name, name);
        }
    }

    private void checkAccess(ExecutableElement method, TypeElement owner, ClassName poolClass, String methodRef) {
        if (method.getModifiers().contains(Modifier.PRIVATE)) {
            error(method, owner.getKind().isInterface() ? Message.PRIVATE_INTERFACE_METHOD : Message.PRIVATE_METHOD,
                    methodRef, poolClass.simpleName());
        }
        for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
            if (type.getNestingKind() == NestingKind.LOCAL) { // javac hides these; LocalClassScanner finds them
                error(method, Message.LOCAL_OWNER, method.getSimpleName(), type.getSimpleName());
                return;
            }
            if (type.getNestingKind() == NestingKind.ANONYMOUS) {
                error(method, Message.ANONYMOUS_OWNER, method.getSimpleName());
                return;
            }
            if (type.getModifiers().contains(Modifier.PRIVATE)) {
                error(method, Message.PRIVATE_OWNER, methodRef, type.getQualifiedName(), poolClass.simpleName(),
                        type.getSimpleName());
                return;
            }
        }
    }

    /** Every type named in the signature must be nameable from the generated class (same package). */
    private void checkTypeAccess(TypeMirror type, ExecutableElement method, String methodRef, ClassName pool) {
        switch (type.getKind()) {
            case ARRAY -> checkTypeAccess(((ArrayType) type).getComponentType(), method, methodRef, pool);
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    checkTypeAccess(wildcard.getExtendsBound(), method, methodRef, pool);
                }
                if (wildcard.getSuperBound() != null) {
                    checkTypeAccess(wildcard.getSuperBound(), method, methodRef, pool);
                }
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                for (Element e = declared.asElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
                    Set<Modifier> modifiers = t.getModifiers();
                    if (modifiers.contains(Modifier.PRIVATE)) {
                        error(method, Message.TYPE_NOT_ACCESSIBLE, methodRef, t.getQualifiedName(),
                                pool.simpleName(), t.getSimpleName());
                        return;
                    }
                    String typePackage = packageOf(t).getQualifiedName().toString();
                    if (!modifiers.contains(Modifier.PUBLIC) && !typePackage.equals(pool.packageName())) {
                        // protected (inherited by the owner from a superclass elsewhere) or package-private:
                        // the pool is neither a subclass nor in that package
                        error(method, Message.TYPE_NOT_VISIBLE, methodRef, t.getQualifiedName(),
                                modifiers.contains(Modifier.PROTECTED) ? "protected" : "package-private",
                                typePackage.isEmpty() ? "(default)" : typePackage, pool.simpleName(),
                                pool.packageName().isEmpty() ? "(default)" : pool.packageName(),
                                t.getSimpleName());
                        return;
                    }
                }
                for (TypeMirror argument : declared.getTypeArguments()) {
                    checkTypeAccess(argument, method, methodRef, pool);
                }
            }
            default -> {
                // primitives, void, type variables (reported as generics): nothing to reach
            }
        }
    }

    /**
     * {@code distributed = true}: every parameter type and the return type can be sent to other members, and no
     * option is set that a distributed backend rejects at {@code start}. Each problem on its parameter, on the
     * method (the return type), or on the option's value.
     */
    private void checkDistributed(ExecutableElement method, AnnotationMirror annotation, String methodRef) {
        for (VariableElement parameter : method.getParameters()) {
            TypeMirror type = parameter.asType();
            Optional<String> why = sendable.whyNot(type);
            if (why.isPresent()) {
                error(parameter, Message.DISTRIBUTED_PARAMETER, parameter.getSimpleName(), methodRef,
                        sendable.name(type), why.get());
            }
        }
        TypeMirror returnType = method.getReturnType();
        Optional<String> why = sendable.whyNot(returnType);
        if (why.isPresent()) {
            error(method, Message.DISTRIBUTED_RETURN, methodRef, sendable.name(returnType), why.get());
        }
        if (booleanValue(annotation, "ordered")) {
            errorOnValue(method, annotation, "ordered", Message.DISTRIBUTED_ORDERED);
        }
        String timeout = (String) valueWithDefault(annotation, "timeout").getValue();
        if (!timeout.isBlank()) {
            errorOnValue(method, annotation, "timeout", Message.DISTRIBUTED_TIMEOUT, Message.visible(timeout));
        }
        String rate = (String) valueWithDefault(annotation, "rate").getValue();
        if (!rate.isBlank()) {
            errorOnValue(method, annotation, "rate", Message.DISTRIBUTED_RATE, Message.visible(rate));
        }
    }

    /**
     * The type parameters in scope for an instance method of {@code owner}: the owner's, and those of
     * enclosing classes as far as inner (non-static) nesting reaches; outermost first.
     */
    private static List<TypeParameterElement> ownerTypeParameters(TypeElement owner) {
        List<TypeParameterElement> parameters = new ArrayList<>();
        for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
            parameters.addAll(0, type.getTypeParameters());
            boolean inner = type.getNestingKind() == NestingKind.MEMBER && type.getKind() == ElementKind.CLASS
                    && !type.getModifiers().contains(Modifier.STATIC);
            if (!inner) {
                break;
            }
        }
        return parameters;
    }

    /**
     * Type parameters become the pool's: their names must not clash with each other, with generated names, or
     * with the first part of a package the pool names types of (there a qualified name would mean the type
     * parameter).
     */
    private void checkTypeParameters(List<TypeParameterElement> parameters, ExecutableElement method,
            String methodRef, ClassName poolClass, List<DeclaredType> retryOn) {
        Map<String, TypeParameterElement> seen = new HashMap<>();
        Map<String, String> packageRoots = packageRoots(method, retryOn);
        for (TypeParameterElement parameter : parameters) {
            String name = parameter.getSimpleName().toString();
            TypeParameterElement hidden = seen.putIfAbsent(name, parameter);
            if (NESTED_NAMES.contains(name)) {
                error(method, Message.GENERIC_NAME_OF_NESTED, name, methodRef, name);
            } else if (name.equals(poolClass.simpleName())) {
                error(method, Message.GENERIC_NAME_OF_POOL, name, methodRef);
            } else if (hidden != null) {
                error(method, Message.GENERIC_NAME_HIDDEN, name, declarer(parameter), name, declarer(hidden),
                        methodRef);
            } else if (packageRoots.containsKey(name)) {
                error(method, Message.GENERIC_NAME_OF_PACKAGE, name, methodRef, name, packageRoots.get(name));
            }
            for (TypeMirror bound : parameter.getBounds()) {
                checkTypeAccess(bound, method, methodRef, poolClass);
            }
        }
    }

    /** Where a type parameter is declared, as a message names it: a class's qualified name, or a method. */
    private static String declarer(TypeParameterElement parameter) {
        Element generic = parameter.getGenericElement();
        if (generic instanceof ExecutableElement method) {
            return methodRef((TypeElement) method.getEnclosingElement(), method);
        }
        return ((TypeElement) generic).getQualifiedName().toString();
    }

    /**
     * The first part of every package that the pool names a type of, each with such a type: the owner's
     * package, those of the signature's types, and those of {@link RuntimeNames} (java, javax, dev).
     */
    private Map<String, String> packageRoots(ExecutableElement method, List<DeclaredType> retryOn) {
        Map<String, String> roots = new HashMap<>();
        List<TypeMirror> types = poolTypes(method);
        types.addAll(retryOn);
        types.add(method.getEnclosingElement().asType());
        for (TypeMirror type : types) {
            forEachDeclared(type, declared -> {
                TypeElement element = (TypeElement) declared.asElement();
                String pkg = packageOf(element).getQualifiedName().toString();
                if (!pkg.isEmpty()) {
                    roots.putIfAbsent(pkg.split("\\.", 2)[0], element.getQualifiedName().toString());
                }
            });
        }
        for (ClassName runtime : RuntimeNames.all()) {
            roots.putIfAbsent(runtime.packageName().split("\\.", 2)[0], runtime.canonicalName());
        }
        return roots;
    }

    /**
     * Simple names that the generated code must write qualified: a type of the owner's package shadows an
     * imported or java.lang type of the same simple name (a user's own {@code Override}, {@code String}...), and
     * a type parameter of the pool hides any type of its name throughout the class, its annotations included.
     */
    private List<String> namesToQualify(ExecutableElement method, List<DeclaredType> retryOn,
            List<TypeParameterElement> typeParameters) {
        Set<String> used = new TreeSet<>(RuntimeNames.SIMPLE_NAMES);
        List<TypeMirror> signature = poolTypes(method);
        signature.addAll(retryOn); // named in the generated OPTIONS
        signature.forEach(t -> collectSimpleNames(t, used));
        PackageElement pkg = packageOf(method);
        // Look each used name up in the package, rather than list the package: listing it makes javac look
        // for every file of the package on the source path, and a file holding classes not named after it
        // (Owners.java with class Squares) is then read a second time: "duplicate class".
        String prefix = pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".";
        Set<String> local = new TreeSet<>();
        for (String name : used) {
            TypeElement type = elements.getTypeElement(prefix + name);
            if (type != null && type.getEnclosingElement().equals(pkg)) { // a top-level type of this package
                local.add(name);
            }
        }
        // A signature type of the owner's package itself needs no qualifying: it is the one the name means.
        Set<String> ownPackage = new HashSet<>();
        signature.forEach(t -> collectOwnPackageNames(t, pkg, ownPackage));
        local.removeAll(ownPackage);
        for (TypeParameterElement parameter : typeParameters) {
            if (used.contains(parameter.getSimpleName().toString())) {
                local.add(parameter.getSimpleName().toString());
            }
        }
        return List.copyOf(local);
    }

    private static void collectSimpleNames(TypeMirror type, Set<String> names) {
        forEachDeclared(type, declared -> names.add(outermost(declared.asElement()).getSimpleName().toString()));
    }

    private void collectOwnPackageNames(TypeMirror type, PackageElement pkg, Set<String> names) {
        forEachDeclared(type, declared -> {
            if (elements.getPackageOf(declared.asElement()).equals(pkg)) {
                names.add(outermost(declared.asElement()).getSimpleName().toString());
            }
        });
    }

    private static Element outermost(Element type) {
        Element e = type;
        while (e.getEnclosingElement() instanceof TypeElement enclosing) {
            e = enclosing;
        }
        return e;
    }

    /** Calls {@code action} on every declared type in {@code type}: itself, type arguments, bounds, enclosing types. */
    static void forEachDeclared(TypeMirror type, java.util.function.Consumer<DeclaredType> action) {
        switch (type.getKind()) {
            case ARRAY -> forEachDeclared(((ArrayType) type).getComponentType(), action);
            case WILDCARD -> {
                WildcardType w = (WildcardType) type;
                if (w.getExtendsBound() != null) {
                    forEachDeclared(w.getExtendsBound(), action);
                }
                if (w.getSuperBound() != null) {
                    forEachDeclared(w.getSuperBound(), action);
                }
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                action.accept(declared);
                declared.getTypeArguments().forEach(a -> forEachDeclared(a, action));
                if (declared.getEnclosingType().getKind() == TypeKind.DECLARED) {
                    forEachDeclared(declared.getEnclosingType(), action);
                }
            }
            default -> {
                // primitives, void, type variables: no name to clash
            }
        }
    }

    /** Whether a type the pool would name ({@link #poolTypes}) does not exist yet. */
    private static boolean hasMissingType(ExecutableElement method) {
        return poolTypes(method).stream().anyMatch(PoolValidator::hasErrorType);
    }

    private static boolean hasErrorType(TypeMirror type) {
        return switch (type.getKind()) {
            case ERROR -> true;
            case ARRAY -> hasErrorType(((ArrayType) type).getComponentType());
            case WILDCARD -> {
                WildcardType w = (WildcardType) type;
                yield w.getExtendsBound() != null && hasErrorType(w.getExtendsBound())
                        || w.getSuperBound() != null && hasErrorType(w.getSuperBound());
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                yield declared.getTypeArguments().stream().anyMatch(PoolValidator::hasErrorType)
                        || hasErrorType(declared.getEnclosingType()); // Outer<Later>.Inner
            }
            default -> false;
        };
    }

    // --- names -------------------------------------------------------------------------------------------------

    /** {@code <Owner><Method>Pool}, the owner prefixed by its enclosing types' simple names. */
    static String defaultName(TypeElement owner, ExecutableElement method) {
        StringBuilder prefix = new StringBuilder();
        for (Element e = owner; e instanceof TypeElement type; e = e.getEnclosingElement()) {
            prefix.insert(0, type.getSimpleName());
        }
        String m = method.getSimpleName().toString();
        return prefix.toString() + Character.toUpperCase(m.charAt(0)) + m.substring(1) + "Pool";
    }

    static String methodRef(TypeElement owner, ExecutableElement method) {
        return owner.getQualifiedName() + "#" + method.getSimpleName() + method.getParameters().stream()
                .map(p -> simpleTypeName(p.asType()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * The method as a Javadoc link names it: as {@link #methodRef}, but with each type variable replaced by its
     * erasure ({@code Box#put(Object, String[])} for {@code <E> put(E, String...)}), the only form javadoc
     * resolves; {@code Box#put(E, String[])} is a "reference not found" error that fails the user's Javadoc.
     */
    static String javadocRef(TypeElement owner, ExecutableElement method) {
        return owner.getQualifiedName() + "#" + method.getSimpleName() + method.getParameters().stream()
                .map(p -> erasedTypeName(p.asType()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@link #simpleTypeName}, with a type variable (also an array's element) as its erasure: its first bound. */
    private static String erasedTypeName(TypeMirror type) {
        if (type.getKind() == TypeKind.ARRAY) {
            return erasedTypeName(((ArrayType) type).getComponentType()) + "[]";
        }
        if (type.getKind() == TypeKind.TYPEVAR) {
            TypeMirror bound = ((javax.lang.model.type.TypeVariable) type).getUpperBound();
            return erasedTypeName(bound instanceof javax.lang.model.type.IntersectionType intersection
                    ? intersection.getBounds().get(0) : bound);
        }
        return simpleTypeName(type);
    }

    /**
     * {@code java.util.List<java.lang.String>} becomes {@code List}, {@code Map.Entry<K, V>[]} becomes
     * {@code Map.Entry[]}: valid in a Javadoc link. Built from the type's elements, never from its text, so that
     * no annotation (whose strings could hold {@code )} or a comment's end) reaches the generated comment.
     */
    private static String simpleTypeName(TypeMirror type) {
        return switch (type.getKind()) {
            case ARRAY -> simpleTypeName(((ArrayType) type).getComponentType()) + "[]";
            case DECLARED -> {
                StringBuilder name = new StringBuilder();
                for (Element e = ((DeclaredType) type).asElement(); e instanceof TypeElement t;
                        e = e.getEnclosingElement()) {
                    name.insert(0, name.length() == 0 ? t.getSimpleName() : t.getSimpleName() + ".");
                }
                yield name.toString();
            }
            case TYPEVAR -> ((javax.lang.model.type.TypeVariable) type).asElement().getSimpleName().toString();
            // a missing type, as written
            case ERROR -> type.toString().replaceAll("<.*", "").replaceAll("[^\\w$.]", "");
            default -> type.getKind().isPrimitive() ? type.getKind().name().toLowerCase(java.util.Locale.ROOT)
                    : "Object";
        };
    }

    private PackageElement packageOf(Element e) {
        return elements.getPackageOf(e);
    }

    // --- annotation values -------------------------------------------------------------------------------------

    /** javac's value for an expression it could not resolve ({@code Attribute.Error}): its text and its value. */
    private static final String ERROR_VALUE = "<error>";

    /**
     * Whether a value written out in {@code annotation} (nested annotations and array elements included) is one
     * that javac could not resolve: a constant or class literal that names something that does not exist, or not
     * yet (another processor may generate it). javac reports each itself, and meanwhile gives the value as a
     * string {@code "<error>"} (not quoted, as a real string's text is), or an error type for a class literal, in
     * place of a value of the attribute's type.
     */
    private static boolean hasUnresolvedValue(AnnotationMirror annotation) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : annotation.getElementValues().entrySet()) {
            if (!resolved(entry.getValue(), entry.getKey().getReturnType())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} is a value of the {@code expected} type, as javac gives one it resolved. */
    private static boolean resolved(AnnotationValue value, TypeMirror expected) {
        Object v = value.getValue();
        if (expected.getKind() == TypeKind.ARRAY) {
            TypeMirror component = ((ArrayType) expected).getComponentType();
            return v instanceof List<?> elements
                    && elements.stream().allMatch(e -> resolved((AnnotationValue) e, component));
        }
        return switch (expected.getKind()) {
            case BOOLEAN -> v instanceof Boolean;
            case BYTE -> v instanceof Byte;
            case SHORT -> v instanceof Short;
            case CHAR -> v instanceof Character;
            case INT -> v instanceof Integer;
            case LONG -> v instanceof Long;
            case FLOAT -> v instanceof Float;
            case DOUBLE -> v instanceof Double;
            case DECLARED -> {
                TypeElement type = (TypeElement) ((DeclaredType) expected).asElement();
                if (type.getKind() == ElementKind.ANNOTATION_TYPE) {
                    yield v instanceof AnnotationMirror nested && !hasUnresolvedValue(nested);
                }
                if (type.getKind() == ElementKind.ENUM) {
                    yield v instanceof VariableElement;
                }
                if (type.getQualifiedName().contentEquals("java.lang.String")) {
                    yield v instanceof String && !(ERROR_VALUE.equals(v) && ERROR_VALUE.equals(value.toString()));
                }
                yield v instanceof TypeMirror t && t.getKind() != TypeKind.ERROR; // a Class<...> attribute
            }
            default -> v != null;
        };
    }

    static AnnotationMirror annotationOf(Element method) {
        return findAnnotation(method).orElseThrow(() -> new IllegalStateException("no @WorkerPool on " + method));
    }

    /** The element's {@code @WorkerPool}, if it has one. */
    static Optional<AnnotationMirror> findAnnotation(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(ANNOTATION)) {
                return Optional.of(mirror);
            }
        }
        return Optional.empty();
    }

    /**
     * The timeout attribute, parsed; null if empty or invalid (then an error was reported). Only the empty string
     * means "none": whitespace alone is an error, as whoever wrote it meant something else.
     */
    private Duration timeout(AnnotationMirror annotation, ExecutableElement method) {
        String text = (String) valueWithDefault(annotation, "timeout").getValue();
        String shown = Message.visible(text); // as the message quotes it
        if (text.isEmpty()) {
            return null;
        }
        if (text.isBlank()) {
            errorOnValue(method, annotation, "timeout", Message.TIMEOUT_BLANK, shown);
            return null;
        }
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            errorOnValue(method, annotation, "timeout", Message.TIMEOUT_SYNTAX, shown, Durations.UNIT_NAMES);
            return null;
        }
        Duration timeout = parsed.get();
        if (timeout.isZero() || timeout.isNegative()) {
            errorOnValue(method, annotation, "timeout", Message.TIMEOUT_NOT_POSITIVE, shown);
            return null;
        }
        if (timeout.compareTo(Duration.ofDays(MAX_TIMEOUT_DAYS)) > 0) {
            errorOnValue(method, annotation, "timeout", Message.TIMEOUT_TOO_LONG, shown, MAX_TIMEOUT_DAYS);
            return null;
        }
        return timeout;
    }

    /**
     * The rate and burst attributes, parsed; null if no rate or invalid (then an error was reported). As for the
     * timeout, only the empty string means "no rate".
     */
    private PoolModel.Rate rate(AnnotationMirror annotation, ExecutableElement method) {
        String text = (String) valueWithDefault(annotation, "rate").getValue();
        String shown = Message.visible(text); // as the message quotes it
        int burst = intValue(annotation, "burst");
        boolean burstOk = burst >= 1;
        if (!burstOk) {
            errorOnValue(method, annotation, "burst", Message.BURST_TOO_SMALL, burst);
        }
        if (text.isEmpty()) {
            if (burstOk && explicitValue(annotation, "burst") != null) {
                errorOnValue(method, annotation, "burst", Message.BURST_WITHOUT_RATE, burst);
            }
            return null;
        }
        if (text.isBlank()) { // a rate was meant: burst beside it is not reported as well
            errorOnValue(method, annotation, "rate", Message.RATE_BLANK, shown);
            return null;
        }
        Optional<Durations.Rate> parsed = Durations.parseRate(text);
        if (parsed.isEmpty()) {
            errorOnValue(method, annotation, "rate", Message.RATE_SYNTAX, shown, Durations.UNIT_NAMES);
            return null;
        }
        Duration per = parsed.get().per();
        long permits = parsed.get().permits();
        if (permits < 1 || per.isZero() || per.isNegative()) {
            errorOnValue(method, annotation, "rate", Message.RATE_NOT_POSITIVE, shown);
            return null;
        }
        if (per.compareTo(Duration.ofDays(MAX_TIMEOUT_DAYS)) > 0) {
            errorOnValue(method, annotation, "rate", Message.RATE_PERIOD_TOO_LONG, shown, MAX_TIMEOUT_DAYS);
            return null;
        }
        if (per.toNanos() < permits) {
            errorOnValue(method, annotation, "rate", Message.RATE_TOO_FAST, shown);
            return null;
        }
        return burstOk ? new PoolModel.Rate(text.trim(), permits, per, burst) : null;
    }

    // --- retry ---------------------------------------------------------------------------------------------------

    /**
     * The retry attribute ({@code retry}, the nested {@code @WorkerPool.Retry}), validated; null for one attempt
     * (no retries), or if it is invalid (then every problem was reported, on its value).
     */
    private PoolModel.Retry retry(AnnotationMirror retry, AnnotationMirror annotation, ExecutableElement method,
            String methodRef, ClassName poolClass, boolean timed) {
        boolean failedBefore = failed;
        failed = false;
        int attempts = (Integer) valueWithDefault(retry, "attempts").getValue();
        if (attempts < 1) {
            errorOnRetryValue(method, annotation, retry, "attempts", Message.RETRY_ATTEMPTS_TOO_FEW, attempts);
        } else if (attempts > MAX_ATTEMPTS) {
            errorOnRetryValue(method, annotation, retry, "attempts", Message.RETRY_ATTEMPTS_TOO_MANY, attempts,
                    MAX_ATTEMPTS);
        }
        Duration backoff = retryDuration(retry, annotation, method, "backoff");
        // set but invalid: reported on itself, and not as missing on each wait option beside it
        boolean backoffInvalid = backoff == null && !((String) valueWithDefault(retry, "backoff").getValue()).isEmpty();
        Duration maxBackoff = retryDuration(retry, annotation, method, "maxBackoff");
        if (backoff != null && maxBackoff != null && maxBackoff.compareTo(backoff) < 0) {
            errorOnRetryValue(method, annotation, retry, "maxBackoff", Message.RETRY_MAX_BELOW_BACKOFF,
                    Message.visible((String) valueWithDefault(retry, "maxBackoff").getValue()),
                    Message.visible((String) valueWithDefault(retry, "backoff").getValue()));
        }
        double multiplier = (Double) valueWithDefault(retry, "multiplier").getValue();
        if (!(multiplier >= 1 && multiplier < Double.POSITIVE_INFINITY)) {
            errorOnRetryValue(method, annotation, retry, "multiplier", Message.RETRY_MULTIPLIER, multiplier);
        }
        double jitter = (Double) valueWithDefault(retry, "jitter").getValue();
        if (!(jitter >= 0 && jitter <= 1)) {
            errorOnRetryValue(method, annotation, retry, "jitter", Message.RETRY_JITTER, jitter);
        }
        List<ClassName> on = retryOn(retry, annotation, method, methodRef, poolClass, timed);
        if (attempts == 1) {
            for (String option : RETRY_OPTIONS) {
                if (explicitValue(retry, option) != null) {
                    errorOnRetryValue(method, annotation, retry, option, Message.RETRY_NEEDS_ATTEMPTS, option, option);
                }
            }
        } else if (!backoffInvalid && (backoff == null || backoff.isZero())) {
            for (String option : List.of("multiplier", "maxBackoff", "jitter")) {
                if (explicitValue(retry, option) != null) {
                    errorOnRetryValue(method, annotation, retry, option, Message.RETRY_NEEDS_BACKOFF, option, option);
                }
            }
        }
        boolean invalid = failed;
        failed |= failedBefore;
        return invalid || attempts == 1 ? null
                : new PoolModel.Retry(attempts, on, backoff, multiplier, maxBackoff, jitter);
    }

    /**
     * A duration option of {@code @Retry}; null if empty or invalid (then an error was reported). Only the empty
     * string means "none": whitespace alone is an error.
     */
    private Duration retryDuration(AnnotationMirror retry, AnnotationMirror annotation, ExecutableElement method,
            String attribute) {
        String text = (String) valueWithDefault(retry, attribute).getValue();
        String shown = Message.visible(text); // as the message quotes it
        if (text.isEmpty()) {
            return null;
        }
        if (text.isBlank()) {
            errorOnRetryValue(method, annotation, retry, attribute, Message.RETRY_DURATION_BLANK, attribute, shown,
                    attribute, attribute.equals("backoff") ? "no wait" : "no limit", attribute);
            return null;
        }
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            errorOnRetryValue(method, annotation, retry, attribute, Message.RETRY_DURATION_SYNTAX, attribute, shown,
                    Durations.UNIT_NAMES, attribute);
            return null;
        }
        Duration duration = parsed.get();
        if (duration.isNegative()) {
            errorOnRetryValue(method, annotation, retry, attribute, Message.RETRY_DURATION_NEGATIVE, attribute, shown,
                    attribute);
            return null;
        }
        if (duration.compareTo(Duration.ofDays(MAX_TIMEOUT_DAYS)) > 0) {
            errorOnRetryValue(method, annotation, retry, attribute, Message.RETRY_DURATION_TOO_LONG, attribute, shown,
                    MAX_TIMEOUT_DAYS);
            return null;
        }
        return duration;
    }

    /**
     * The {@code on} types, checked: never one that means "stop" (interrupt, cancellation), never a checked
     * exception no attempt can throw, always one the generated pool can name.
     */
    private List<ClassName> retryOn(AnnotationMirror retry, AnnotationMirror annotation, ExecutableElement method,
            String methodRef, ClassName poolClass, boolean timed) {
        List<AnnotationValue> values = retryOnValues(retry);
        List<ClassName> on = new ArrayList<>();
        for (AnnotationValue value : values) {
            if (!(value.getValue() instanceof DeclaredType type)) {
                continue; // javac reports what it could not resolve
            }
            TypeElement exception = (TypeElement) type.asElement();
            // one element: its value is the array's, which javac places also without braces
            AnnotationValue where = values.size() == 1 ? explicitValue(retry, "on") : value;
            String name = exception.getQualifiedName().toString();
            if (isA(exception, "java.lang.InterruptedException")
                    || isA(exception, "java.util.concurrent.CancellationException")) {
                errorOn(method, retry, where, Message.RETRY_ON_NEVER_RETRIED, name);
            } else if (isChecked(exception) && !declares(method, exception)) {
                // TimeoutException or a supertype: the watchdog fails an attempt with a plain TimeoutException,
                // so a subclass of it that the method does not declare never matches
                boolean timeoutType = isA(elements.getTypeElement("java.util.concurrent.TimeoutException"), name);
                if (!timeoutType) {
                    errorOn(method, retry, where, Message.RETRY_ON_NOT_THROWN, name, methodRef);
                } else if (!timed) {
                    errorOn(method, retry, where, Message.RETRY_ON_TIMEOUT_WITHOUT_TIMEOUT, name, methodRef);
                }
            }
            checkRetryTypeAccess(exception, method, retry, where, methodRef, poolClass);
            on.add(ClassName.get(exception));
        }
        return List.copyOf(on);
    }

    /** As {@link #checkTypeAccess} for a class literal of {@code on} (no type arguments), on the value. */
    private void checkRetryTypeAccess(TypeElement exception, ExecutableElement method, AnnotationMirror retry,
            AnnotationValue where, String methodRef, ClassName pool) {
        for (Element e = exception; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            Set<Modifier> modifiers = t.getModifiers();
            String typePackage = packageOf(t).getQualifiedName().toString();
            if (modifiers.contains(Modifier.PRIVATE)) {
                errorOn(method, retry, where, Message.TYPE_NOT_ACCESSIBLE, methodRef, t.getQualifiedName(),
                        pool.simpleName(), t.getSimpleName());
                return;
            }
            if (!modifiers.contains(Modifier.PUBLIC) && !typePackage.equals(pool.packageName())) {
                errorOn(method, retry, where, Message.TYPE_NOT_VISIBLE, methodRef, t.getQualifiedName(),
                        modifiers.contains(Modifier.PROTECTED) ? "protected" : "package-private",
                        typePackage.isEmpty() ? "(default)" : typePackage, pool.simpleName(),
                        pool.packageName().isEmpty() ? "(default)" : pool.packageName(), t.getSimpleName());
                return;
            }
        }
    }

    /** The elements of {@code @Retry(on = ...)}; empty if it was not given. */
    private static List<AnnotationValue> retryOnValues(AnnotationMirror retry) {
        AnnotationValue on = explicitValue(retry, "on");
        List<AnnotationValue> values = new ArrayList<>();
        if (on != null && on.getValue() instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof AnnotationValue value) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /**
     * Whether a method may throw this exception type without declaring it as far as javac is concerned, or
     * whether its declared exceptions overlap it (a subtype or a supertype of one): otherwise no call of the
     * method can end with it.
     */
    private boolean declares(ExecutableElement method, TypeElement exception) {
        for (TypeMirror thrown : method.getThrownTypes()) {
            if (thrown instanceof DeclaredType declared && declared.asElement() instanceof TypeElement t
                    && (isA(t, exception.getQualifiedName().toString())
                            || isA(exception, t.getQualifiedName().toString()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an exception of this type must be declared: not a {@code RuntimeException} or {@code Error}, nor a
     * supertype of {@code RuntimeException} ({@code Exception} and {@code Throwable} cover unchecked ones too).
     */
    private boolean isChecked(TypeElement exception) {
        return !isA(exception, "java.lang.RuntimeException") && !isA(exception, "java.lang.Error")
                && !isA(elements.getTypeElement("java.lang.RuntimeException"), exception.getQualifiedName().toString());
    }

    /** Whether {@code type} is the class {@code qualifiedName} or a subclass of it. */
    private static boolean isA(TypeElement type, String qualifiedName) {
        for (TypeElement t = type; t != null; ) {
            if (t.getQualifiedName().contentEquals(qualifiedName)) {
                return true;
            }
            t = t.getSuperclass() instanceof DeclaredType superclass ? (TypeElement) superclass.asElement() : null;
        }
        return false;
    }

    /** An error on a value of the nested {@code @Retry} when it was written out, else on {@code retry = ...}. */
    private void errorOnRetryValue(Element element, AnnotationMirror annotation, AnnotationMirror retry,
            String attribute, Message message, Object... args) {
        AnnotationValue value = explicitValue(retry, attribute);
        if (value != null) {
            errorOn(element, retry, value, message, args);
        } else {
            errorOnValue(element, annotation, "retry", message, args);
        }
    }

    /** An error on an annotation value. */
    private void errorOn(Element element, AnnotationMirror annotation, AnnotationValue value, Message message,
            Object... args) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element, annotation, value);
    }

    private boolean booleanValue(AnnotationMirror annotation, String attribute) {
        return (Boolean) valueWithDefault(annotation, attribute).getValue();
    }

    private int intValue(AnnotationMirror annotation, String attribute) {
        return (Integer) valueWithDefault(annotation, attribute).getValue();
    }

    private AnnotationValue valueWithDefault(AnnotationMirror annotation, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : elements.getElementValuesWithDefaults(annotation).entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(attribute)) {
                return entry.getValue();
            }
        }
        throw new IllegalStateException("@WorkerPool has no attribute " + attribute);
    }

    private static AnnotationValue explicitValue(AnnotationMirror annotation, String attribute) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : annotation.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(attribute)) {
                return entry.getValue();
            }
        }
        return null;
    }

    // --- reporting ---------------------------------------------------------------------------------------------

    private void error(Element element, Message message, Object... args) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element);
    }

    /** An error on the attribute's value when it was written out, else on the annotation. */
    private void errorOnValue(Element element, AnnotationMirror annotation, String attribute, Message message,
            Object... args) {
        failed = true;
        AnnotationValue value = explicitValue(annotation, attribute);
        if (value != null) {
            messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element, annotation, value);
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element, annotation);
        }
    }
}
