package dev.workerpool.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * Generates a typed pool class for every method annotated with {@code @dev.workerpool.WorkerPool}.
 *
 * <p>Each method flows one way: {@link PoolValidator} (report every problem, or build a {@link PoolModel})
 * then {@link PoolWriter} (JavaPoet only). A method whose signature names a type that does not exist yet, or
 * whose annotation values name a constant or class that does not, is deferred to the next round — another
 * processor may generate it; if it never appears, javac reports it ("cannot find symbol"), and the method gets
 * no pool and no error of its own, which would only repeat javac's. Any unexpected exception
 * becomes an error on the method being processed, with its stack trace, instead of a processor crash. It claims
 * {@code @WorkerPool} and the {@code @Generated} of its pools (its {@code process} returns true), so that builds
 * with {@code -Xlint:all -Werror} do not fail on javac's "no processor claimed" warning.
 */
@AutoService(Processor.class)
public final class WorkerPoolProcessor extends AbstractProcessor {

    private static final String GENERATED = RuntimeNames.GENERATED.canonicalName();

    private Messager messager;
    private Filer filer;
    private PoolValidator validator;
    /** Whether the compilation has {@code javax.annotation.processing.Generated} (release 9 and later). */
    private boolean generatedAvailable;
    private LocalClassScanner localClasses;
    /** Methods deferred to the next round because a type of their signature or annotation values was missing. */
    private final List<Deferred> deferred = new ArrayList<>();
    /** Generated classes so far, to catch two methods generating the same one across rounds. */
    private final Map<ClassName, PoolModel> generated = new LinkedHashMap<>();
    /**
     * The top-level classes of the sources so far (the root elements of every round), other than the pools
     * generated here: a pool may not take one of their names.
     */
    private final Set<String> sourceClasses = new HashSet<>();
    /**
     * The packages of the sources so far and every package they are in ({@code com} and {@code com.example} for
     * {@code com.example}), and those of the types every pool names: no pool may take one of their names.
     */
    private final Set<String> packages = new HashSet<>();
    /**
     * The top-level classes of the sources so far and the pools written, by their qualified names in one case
     * ({@link #folded}), each with the pool's model (null for a class of the sources): a pool may not take a name
     * that differs from one of theirs only in case, as a case-insensitive file system (the default on macOS and
     * Windows) has one file for both.
     */
    private final Map<String, Taken> byFoldedName = new HashMap<>();

    /** A class that {@link #byFoldedName} holds: its qualified name, and its pool's model, or null. */
    private record Taken(String name, PoolModel pool) {
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        messager = env.getMessager();
        filer = env.getFiler();
        PackageNames packageNames = new PackageNames(env.getElementUtils(), filer, packages::contains);
        validator = new PoolValidator(messager, env.getElementUtils(), env.getTypeUtils(), env.getSourceVersion(),
                sourceClasses::contains, packageNames::isPackage);
        RuntimeNames.all().forEach(type -> addPackage(type.packageName()));
        localClasses = LocalClassScanner.create(env);
        generatedAvailable = env.getElementUtils().getTypeElement(GENERATED) != null;
    }

    /**
     * {@code @WorkerPool}, and the {@code @Generated} that the pools it writes carry: both are claimed (see
     * {@link #process}), so that javac has no unclaimed annotation to warn about under {@code -Xlint:all}. The
     * JDK's {@code @Generated} has source retention and informs readers only; no processor acts on it.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(PoolValidator.ANNOTATION, GENERATED);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(PoolValidator.ANNOTATION);
        Set<ExecutableElement> methods = new LinkedHashSet<>();
        for (Deferred d : deferred) {
            ExecutableElement m = d.find(processingEnv);
            if (m != null) {
                methods.add(m);
            }
        }
        deferred.clear();
        for (Element root : round.getRootElements()) {
            if (root instanceof TypeElement type && !generated.containsKey(ClassName.get(type))) {
                String name = type.getQualifiedName().toString();
                sourceClasses.add(name);
                byFoldedName.putIfAbsent(folded(name), new Taken(name, null));
            }
            PackageElement pkg = processingEnv.getElementUtils().getPackageOf(root);
            if (pkg != null) { // a module (module-info.java) is in none
                addPackage(pkg.getQualifiedName().toString());
            }
        }
        if (annotation != null) {
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                if (e.getKind() == ElementKind.METHOD) {
                    methods.add((ExecutableElement) e);
                }
            }
        }
        if (localClasses != null) {
            for (Element root : round.getRootElements()) {
                try {
                    localClasses.scan(root);
                } catch (RuntimeException | Error e) {
                    reportInternalError(root, e);
                }
            }
        }
        List<PoolModel> models = new ArrayList<>();
        for (ExecutableElement method : methods) {
            try {
                PoolValidator.Outcome outcome = validator.validate(method);
                if (outcome instanceof PoolValidator.Outcome.Valid valid) {
                    models.add(valid.model());
                } else if (outcome instanceof PoolValidator.Outcome.Deferred) {
                    deferred.add(Deferred.of(method));
                }
            } catch (RuntimeException | Error e) {
                reportInternalError(method, e);
            }
        }
        writeAll(models);
        if (round.processingOver()) {
            // still waiting for a type or value that never appeared: javac reports it ("cannot find symbol")
            deferred.clear();
        }
        // Claim @WorkerPool and @Generated: no other processor has business with them, and an unclaimed
        // annotation makes javac warn under -Xlint:all ("No processor claimed any of these annotations"), which
        // breaks -Werror builds.
        return true;
    }

    private void writeAll(List<PoolModel> models) {
        Map<ClassName, List<PoolModel>> byClass = new LinkedHashMap<>();
        for (PoolModel model : models) {
            byClass.computeIfAbsent(model.poolClass(), k -> new ArrayList<>()).add(model);
        }
        for (Map.Entry<ClassName, List<PoolModel>> entry : byClass.entrySet()) {
            List<PoolModel> clashing = new ArrayList<>(entry.getValue());
            PoolModel earlier = generated.get(entry.getKey());
            if (earlier != null) {
                clashing.add(0, earlier);
            }
            if (clashing.size() > 1) {
                validator.reportDuplicates(clashing, earlier, generated::containsKey);
                continue;
            }
            PoolModel model = clashing.get(0);
            String name = model.poolClass().canonicalName();
            Taken taken = byFoldedName.get(folded(name));
            if (taken != null && !taken.name().equals(name)) { // the same name is a duplicate, reported above
                validator.reportCaseClash(model, taken.name(), taken.pool(),
                        c -> byFoldedName.containsKey(folded(c.canonicalName())));
                continue;
            }
            try {
                new PoolWriter(model, generatedAvailable).write().writeTo(filer);
                generated.put(model.poolClass(), model);
                byFoldedName.put(folded(name), new Taken(name, model));
            } catch (IOException e) { // FilerException included: the file was already created
                error(model.origin(), Message.FILE_EXISTS, model.poolClass(), e.getMessage());
            } catch (RuntimeException | Error e) {
                reportInternalError(model.origin(), e);
            }
        }
    }

    /**
     * A qualified name in one case, as a case-insensitive file system compares file names: a character at a time
     * (NTFS's upcase table, APFS's simple case folding), as {@link String#equalsIgnoreCase} does. Not
     * {@link String#toUpperCase}, whose full mappings turn one character into several ({@code ß} into {@code SS}),
     * which would take {@code StraßePool} and {@code StrassePool}, two files, for one.
     */
    private static String folded(String name) {
        StringBuilder folded = new StringBuilder(name.length());
        name.codePoints().forEach(c -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return folded.toString();
    }

    /** Adds a package and every package it is in. */
    private void addPackage(String name) {
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
            packages.add(name.substring(0, dot));
        }
        if (!name.isEmpty()) {
            packages.add(name);
        }
    }

    /**
     * A method to retry in the next round, kept by its owner's name and its place among the owner's methods
     * rather than as an element, as elements need not survive from one round to the next. Not by its text: a
     * parameter of a missing generic type reads as nothing ({@code m()} for {@code m(Missing<String>)}), which
     * would find an overload {@code m()} instead.
     */
    private record Deferred(String owner, int index) {
        static Deferred of(ExecutableElement method) {
            TypeElement owner = (TypeElement) method.getEnclosingElement();
            return new Deferred(owner.getQualifiedName().toString(),
                    ElementFilter.methodsIn(owner.getEnclosedElements()).indexOf(method));
        }

        ExecutableElement find(ProcessingEnvironment env) {
            TypeElement type = env.getElementUtils().getTypeElement(owner);
            if (type == null || index < 0) {
                return null;
            }
            List<ExecutableElement> methods = ElementFilter.methodsIn(type.getEnclosedElements());
            ExecutableElement m = index < methods.size() ? methods.get(index) : null;
            return m != null && hasAnnotation(m) ? m : null;
        }
    }

    private static boolean hasAnnotation(Element e) {
        return PoolValidator.findAnnotation(e).isPresent();
    }

    private void reportInternalError(Element element, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        error(element, Message.INTERNAL, element, trace);
    }

    private void error(Element element, Message message, Object... args) {
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), element);
    }
}
