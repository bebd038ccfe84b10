package dev.workerpool.processor;

import static dev.workerpool.processor.RuntimeNames.AUTO_CLOSEABLE;
import static dev.workerpool.processor.RuntimeNames.CANCELLATION_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.CLASS;
import static dev.workerpool.processor.RuntimeNames.COLLECTION;
import static dev.workerpool.processor.RuntimeNames.COMPLETION_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.CONSUMER;
import static dev.workerpool.processor.RuntimeNames.DURATION;
import static dev.workerpool.processor.RuntimeNames.ENGINE;
import static dev.workerpool.processor.RuntimeNames.FAILURES;
import static dev.workerpool.processor.RuntimeNames.GENERATED;
import static dev.workerpool.processor.RuntimeNames.ILLEGAL_ARGUMENT_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.ILLEGAL_STATE_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.UNSUPPORTED_OPERATION_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.INTERRUPTED_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.ITERABLE;
import static dev.workerpool.processor.RuntimeNames.JOB_CODEC;
import static dev.workerpool.processor.RuntimeNames.JOB_FUNCTION;
import static dev.workerpool.processor.RuntimeNames.LIST;
import static dev.workerpool.processor.RuntimeNames.NULL_POINTER_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.OBJECT;
import static dev.workerpool.processor.RuntimeNames.OBJECTS;
import static dev.workerpool.processor.RuntimeNames.OPTIONAL;
import static dev.workerpool.processor.RuntimeNames.OVERRIDE;
import static dev.workerpool.processor.RuntimeNames.POOL_BACKEND;
import static dev.workerpool.processor.RuntimeNames.POOL_CLOSED;
import static dev.workerpool.processor.RuntimeNames.POOL_FAILED;
import static dev.workerpool.processor.RuntimeNames.POOL_OPTIONS;
import static dev.workerpool.processor.RuntimeNames.POOL_STATS;
import static dev.workerpool.processor.RuntimeNames.RATE;
import static dev.workerpool.processor.RuntimeNames.RETRY_POLICY;
import static dev.workerpool.processor.RuntimeNames.SAFE_VARARGS;
import static dev.workerpool.processor.RuntimeNames.STRING;
import static dev.workerpool.processor.RuntimeNames.SUPPLIER;
import static dev.workerpool.processor.RuntimeNames.SUPPRESS_WARNINGS;
import static dev.workerpool.processor.RuntimeNames.THREAD;
import static dev.workerpool.processor.RuntimeNames.THROWABLE;
import static dev.workerpool.processor.RuntimeNames.TIMEOUT_EXCEPTION;
import static dev.workerpool.processor.RuntimeNames.VOID;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Turns a {@link PoolModel} into the source of one pool class. Holds only JavaPoet calls: it reads the
 * model, never elements, and reports nothing. Every type goes through {@code $T}, so imports and name
 * clashes are JavaPoet's job; besides the signature's, it names only {@link RuntimeNames}' types. Members are
 * emitted in a fixed order, so output is deterministic.
 */
final class PoolWriter {

    private final PoolModel model;
    private final ClassName pool;
    private final ClassName job;
    private final ClassName result;
    /** The pool, Job and Result types as used: {@code Job<T>} for a generic pool, else plain {@code Job}. */
    private final TypeName poolType;
    private final TypeName jobType;
    private final TypeName resultType;
    private final TypeName engineType;
    private final boolean generatedAvailable;

    /**
     * @param generatedAvailable whether the compilation has {@code javax.annotation.processing.Generated}
     */
    PoolWriter(PoolModel model, boolean generatedAvailable) {
        this.model = model;
        this.pool = model.poolClass();
        this.job = pool.nestedClass("Job");
        this.result = pool.nestedClass("Result");
        this.poolType = model.withTypeVariables(pool);
        this.jobType = model.withTypeVariables(job);
        this.resultType = model.withTypeVariables(result);
        this.engineType = ParameterizedTypeName.get(ENGINE, jobType, resultType);
        this.generatedAvailable = generatedAvailable;
    }

    JavaFile write() {
        TypeSpec.Builder type = TypeSpec.classBuilder(pool)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addTypeVariables(model.typeVariables())
                .alwaysQualify(model.alwaysQualify().toArray(String[]::new))
                .addSuperinterface(AUTO_CLOSEABLE)
                .addOriginatingElement(model.origin())
                .addJavadoc(classJavadoc());
        List<String> suppressed = new ArrayList<>();
        if (model.usesDeprecated()) { // the pool calls or names what the user deprecated
            suppressed.addAll(List.of("deprecation", "removal"));
        }
        if (model.usesRawTypes()) { // the pool declares what the user declared raw
            suppressed.add("rawtypes");
        }
        if (!suppressed.isEmpty()) {
            // @SuppressWarnings({"deprecation", "removal", "rawtypes"}), or @SuppressWarnings("rawtypes")
            CodeBlock names = suppressed.stream().map(name -> CodeBlock.of("$S", name))
                    .collect(CodeBlock.joining(", "));
            type.addAnnotation(AnnotationSpec.builder(SUPPRESS_WARNINGS)
                    .addMember("value", suppressed.size() == 1 ? "$L" : "{$L}", names)
                    .build());
        }
        if (generatedAvailable) {
            type.addAnnotation(AnnotationSpec.builder(GENERATED)
                    .addMember("value", "$S", WorkerPoolProcessor.class.getName())
                    .build());
        }
        addConstants(type);
        addConstructor(type);
        addStart(type);
        addStartPerWorker(type);
        addStartWithHandler(type);
        addStartWithRate(type);
        addStartOnBackend(type);
        addRunAll(type);
        addSubmit(type);
        addLifecycle(type);
        addResults(type);
        addState(type);
        addFunction(type);
        addCodec(type);
        addJobRecord(type);
        addResultRecord(type);
        return JavaFile.builder(pool.packageName(), type.build())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    // public static final int WORKERS = 3; public static final int BUFFER = 10; private final PoolEngine<...> engine;
    private void addConstants(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(TypeName.INT, "WORKERS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The number of workers set by {@code @WorkerPool}; "
                        + "{@code start} overloads may override it.\n")
                .initializer("$L", model.workers())
                .build());
        type.addField(FieldSpec.builder(TypeName.INT, "BUFFER", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The job queue capacity set by {@code @WorkerPool}; "
                        + "{@code start} overloads may override it.\n")
                .initializer("$L", model.buffer())
                .build());
        type.addField(FieldSpec.builder(STRING, "NAME", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$S", pool.simpleName())
                .build());
        type.addField(FieldSpec.builder(POOL_OPTIONS, "OPTIONS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(options())
                .build());
        type.addField(FieldSpec.builder(engineType, "engine", Modifier.PRIVATE, Modifier.FINAL).build());
    }

    // private ThumbnailerResizePool(PoolEngine<Job, Result> engine) { this.engine = engine; }
    private void addConstructor(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(engineType, "engine")
                .addStatement("this.engine = engine")
                .build());
    }

    /** {@code @param} of the two sizes, in a start overload that takes them. */
    private CodeBlock sizeJavadoc() {
        return CodeBlock.of("@param workers the number of worker threads, $L\n"
                + "@param buffer the job queue capacity, $L (0: unbuffered hand-off)\n", workersRange(), BUFFER_RANGE);
    }

    /** The run-time limits of {@code workers}, which {@code start} checks as the validator checks the annotation's. */
    private String workersRange() {
        int max = model.options().virtualThreads() ? PoolValidator.MAX_VIRTUAL_WORKERS : PoolValidator.MAX_WORKERS;
        return String.format(Locale.ROOT, "1 to %,d", max);
    }

    /** The run-time limits of {@code buffer}. */
    private static final String BUFFER_RANGE = String.format(Locale.ROOT, "0 to %,d", PoolValidator.MAX_BUFFER);
    /** {@code @throws} for sizes out of range. */
    private static final CodeBlock SIZE_THROWS_JAVADOC = CodeBlock.of(
            "@throws $T if {@code workers} or {@code buffer} is out of range\n", ILLEGAL_ARGUMENT_EXCEPTION);
    /** {@code @param <T>} of a generic pool's type variables, then {@code @return}: every start overload ends so. */
    private CodeBlock startReturnJavadoc() {
        return CodeBlock.builder().add(typeVariableJavadoc())
                .add("@return the running pool; {@link #close()} it when every job is submitted\n")
                .build();
    }

    /**
     * {@code @param <T>} for each type variable of a generic pool, in the class, its records and its static
     * methods, which declare them again (doclint wants each documented where it is declared).
     */
    private CodeBlock typeVariableJavadoc() {
        CodeBlock.Builder doc = CodeBlock.builder();
        model.typeVariables().forEach(variable ->
                doc.add("@param <$L> as declared for {@link $L}\n", variable.name(), model.methodRef()));
        return doc.build();
    }

    /** The head every start overload shares: {@code public static <T…> Pool start}. */
    private MethodSpec.Builder startMethod() {
        return MethodSpec.methodBuilder("start")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(model.typeVariables())
                .returns(poolType);
    }

    /** {@code int workers, int buffer}: the sizes a start or runAll overload takes at run time. */
    private static List<ParameterSpec> sizeParameters() {
        return List.of(ParameterSpec.builder(TypeName.INT, "workers").build(),
                ParameterSpec.builder(TypeName.INT, "buffer").build());
    }

    /**
     * One start overload with sizes chosen at run time, the one shape behind every such overload: the target
     * (none for a static method) or, with {@code perWorker}, a {@code Supplier} of targets; then workers and
     * buffer; then {@code rate} and {@code onResult} where given. Its Javadoc is {@code lead}, then the
     * parameters, return and throws in that order; its body hands everything to the engine with
     * {@code options} (the {@code OPTIONS} expression to use).
     */
    private MethodSpec sizedStart(boolean perWorker, CodeBlock lead, ParameterSpec rate, CodeBlock rateDoc,
            TypeName handler, String options) {
        MethodSpec.Builder method = startMethod();
        if (perWorker) {
            method.addParameter(ParameterizedTypeName.get(SUPPLIER, WildcardTypeName.subtypeOf(model.owner())),
                    "targets");
        } else {
            method.addParameters(targetParameter());
        }
        method.addParameters(sizeParameters());
        if (rate != null) {
            method.addParameter(rate);
        }
        if (handler != null) {
            method.addParameter(handler, "onResult");
        }
        method.addJavadoc(lead)
                .addJavadoc(perWorker ? "@param targets makes one target per worker\n" : targetJavadoc())
                .addJavadoc(sizeJavadoc());
        if (rate != null) {
            method.addJavadoc(rateDoc);
        }
        if (handler != null) {
            method.addJavadoc("@param onResult takes every result, on the worker threads\n");
        }
        method.addJavadoc(startReturnJavadoc()).addJavadoc(SIZE_THROWS_JAVADOC);
        // $W: a space, or a line break where the line would pass 100 columns (long type names)
        CodeBlock onResult = handler == null ? CodeBlock.of("") : CodeBlock.of(",$WonResult");
        CodeBlock requireHandler = handler == null ? CodeBlock.of("") : requireHandler();
        if (perWorker) {
            return method
                    .addJavadoc("@throws $T if a target cannot be made ({@code targets} throws or returns null), or\n"
                            + "    a worker thread cannot be started; no thread is left running\n",
                            ILLEGAL_STATE_EXCEPTION)
                    .addJavadoc(nullThrowsJavadoc(perWorker, handler != null, false))
                    .addCode(requireNonNull("targets", "start", "target supplier"))
                    .addCode(requireHandler)
                    .addStatement("return new $T($T.startPerWorker(NAME,$W$L,$Wworkers,$Wbuffer,$Wtargets,"
                                    + "$Wtarget -> function(target),$W$L$L))",
                            poolType, ENGINE, options, resultFactory(), onResult)
                    .build();
        }
        return method
                .addJavadoc("@throws $T if a worker thread cannot be started (none is left running)\n",
                        ILLEGAL_STATE_EXCEPTION)
                .addJavadoc(nullThrowsJavadoc(false, handler != null, false))
                .addCode(requireTarget("start"))
                .addCode(requireHandler)
                .addStatement("return new $T($T.start(NAME,$W$L,$Wworkers,$Wbuffer,$Wfunction($L),$W$L$L))",
                        poolType, ENGINE, options, targetArgument(""), resultFactory(), onResult)
                .build();
    }

    // public static ThumbnailerResizePool start(Thumbnailer target, PoolBackend backend) (+ workers, buffer): this
    // JVM's part of a pool that spreads over several (workerpool-hazelcast)
    private void addStartOnBackend(TypeSpec.Builder type) {
        String doc = "Starts this JVM's part of a pool whose jobs queue lives on {@code backend}, say a cluster of\n"
                + "JVMs (the {@code workerpool-hazelcast} module): every JVM that starts this pool on the same\n"
                + "backend contributes its workers, and takes jobs from the shared queue; this pool's\n"
                + "{@link #results()} are the results of the jobs submitted through it. What the backend\n"
                + "supports of the pool's options, and what it guarantees, its documentation says.\n\n";
        type.addMethod(startMethod()
                .addParameters(targetParameter())
                .addParameter(POOL_BACKEND, "backend")
                .addJavadoc(doc)
                .addJavadoc("<p>{@link #WORKERS} threads in this JVM, a queue of {@link #BUFFER} jobs.\n\n")
                .addJavadoc(targetJavadoc())
                .addJavadoc("@param backend where the jobs queue lives\n")
                .addJavadoc(startReturnJavadoc())
                .addJavadoc(nullThrowsJavadoc(false, false, true))
                .addStatement("return start($LWORKERS, BUFFER, backend)", targetArgument(", "))
                .build());
        type.addMethod(startMethod()
                .addParameters(targetParameter())
                .addParameters(sizeParameters())
                .addParameter(POOL_BACKEND, "backend")
                .addJavadoc("Starts this JVM's part of a pool on {@code backend}, "
                        + "with a number of workers and a buffer\n"
                        + "chosen at run time; see {@code start($L)} above.\n\n",
                        model.staticMethod() ? "backend" : "target, backend")
                .addJavadoc(targetJavadoc())
                .addJavadoc("@param workers the number of worker threads in this JVM, $L\n"
                        + "@param buffer the capacity of the shared job queue, $L\n", workersRange(), BUFFER_RANGE)
                .addJavadoc("@param backend where the jobs queue lives\n")
                .addJavadoc(startReturnJavadoc())
                .addJavadoc("@throws $T if {@code workers} or {@code buffer} is out of range, "
                        + "an option is not supported\n"
                        + "    by the backend, or a parameter or the return type cannot be sent (the "
                        + "message names it)\n",
                        ILLEGAL_ARGUMENT_EXCEPTION)
                .addJavadoc("@throws $T if the backend cannot start the pool\n", ILLEGAL_STATE_EXCEPTION)
                .addJavadoc(nullThrowsJavadoc(false, false, true))
                .addCode(requireTarget("start"))
                .addCode(requireNonNull("backend", "start", "backend"))
                .addStatement("return new $T(backend.start(NAME,$WOPTIONS,$Wworkers,$Wbuffer,$Wfunction($L),$W$L,"
                                + "$W$L))",
                        poolType, targetArgument(""), resultFactory(), codecCall())
                .build());
    }

    /**
     * {@code codec()}, or {@code Pool.<T>codec()} in a generic pool: javac does not infer an F-bounded type
     * variable ({@code T extends Comparable<T>}) across the generic arguments of a backend's {@code start}.
     */
    private CodeBlock codecCall() {
        if (model.typeVariables().isEmpty()) {
            return CodeBlock.of("codec()");
        }
        return CodeBlock.of("$T.<$L>codec()", pool,
                model.typeVariables().stream().map(t -> CodeBlock.of("$T", t)).collect(CodeBlock.joining(", ")));
    }

    // public static ThumbnailerResizePool start(Thumbnailer target) / start(target, workers, buffer)
    private void addStart(TypeSpec.Builder type) {
        type.addMethod(startMethod()
                .addParameters(targetParameter())
                .addJavadoc("Starts a pool of {@link #WORKERS} threads with a queue of {@link #BUFFER} jobs.\n\n")
                .addJavadoc(targetJavadoc())
                .addJavadoc(startReturnJavadoc())
                .addJavadoc(nullThrowsJavadoc(false, false, false))
                .addStatement("return start($LWORKERS, BUFFER)", targetArgument(", "))
                .build());
        type.addMethod(sizedStart(false,
                CodeBlock.of("Starts a pool with a number of workers and a buffer chosen at run time.\n\n"),
                null, null, null, "OPTIONS"));
    }

    // public static ThumbnailerResizePool start(Supplier<? extends Thumbnailer> targets) (+ workers, buffer)
    private void addStartPerWorker(TypeSpec.Builder type) {
        if (model.staticMethod()) {
            return;
        }
        TypeName targets = ParameterizedTypeName.get(SUPPLIER, WildcardTypeName.subtypeOf(model.owner()));
        type.addMethod(startMethod()
                .addParameter(targets, "targets")
                .addJavadoc("Starts a pool of {@link #WORKERS} threads, each with a target of its own (say, its own\n"
                        + "connection), with a queue of {@link #BUFFER} jobs.\n\n")
                .addJavadoc("@param targets makes one target per worker; see {@link #start($T, int, int)}\n", SUPPLIER)
                .addJavadoc(startReturnJavadoc())
                .addJavadoc(nullThrowsJavadoc(true, false, false))
                .addStatement("return start(targets, WORKERS, BUFFER)")
                .build());
        type.addMethod(sizedStart(true, CodeBlock.of(
                "Starts a pool whose workers each have a target of their own, made by {@code targets} on\n"
                        + "this thread before any worker starts. Each worker calls only its own target, so the target\n"
                        + "need not be thread-safe; an {@link $T} target is closed when its worker exits. The\n"
                        + "details are at {@link $T#startPerWorker}.\n\n", AUTO_CLOSEABLE, ENGINE),
                null, null, null, "OPTIONS"));
    }

    // public static ThumbnailerResizePool start(Thumbnailer target, Consumer<? super Result> onResult) (+ workers,
    // buffer; + the Supplier forms): a side-effect pool, whose results go to onResult. Not for ordered pools.
    private void addStartWithHandler(TypeSpec.Builder type) {
        if (model.options().ordered()) {
            return;
        }
        TypeName handler = ParameterizedTypeName.get(CONSUMER, WildcardTypeName.supertypeOf(resultType));
        String doc = "Starts a side-effect pool: each job's {@link Result} goes to {@code onResult}, called on the\n"
                + "worker that ran it as soon as it completes, instead of waiting to be read; {@link #results()} then\n"
                + "throws {@link $T}. So one thread may submit any number of jobs, then\n"
                + "{@link #close()} and {@link #await()}: when {@code await} returns, "
                + "{@code onResult} has taken every\n"
                + "accepted job's result, failed, timed-out and cancelled ones included. "
                + "{@code onResult} is called from\n"
                + "every worker at once, so it must be thread-safe; what it throws goes to the worker thread's\n"
                + "uncaught-exception handler, and the worker goes on. {@link #cancel()} interrupts a call in\n"
                + "progress (or about to begin for a job that has just ended), as it interrupts a running job; the\n"
                + "calls that begin later, for the queued jobs' cancelled results, are not interrupted.\n\n";
        type.addMethod(startMethod()
                .addParameters(targetParameter())
                .addParameter(handler, "onResult")
                .addJavadoc(doc, ILLEGAL_STATE_EXCEPTION)
                .addJavadoc("<p>{@link #WORKERS} threads, a queue of {@link #BUFFER} jobs.\n\n")
                .addJavadoc(targetJavadoc())
                .addJavadoc("@param onResult takes every result, on the worker threads\n")
                .addJavadoc(startReturnJavadoc())
                .addJavadoc(nullThrowsJavadoc(false, true, false))
                .addStatement("return start($LWORKERS, BUFFER, onResult)", targetArgument(", "))
                .build());
        type.addMethod(sizedStart(false, CodeBlock.of(
                "Starts a side-effect pool with a number of workers and a buffer chosen at run time; see\n"
                        + "{@code start($L)} above.\n\n", model.staticMethod() ? "onResult" : "target, onResult"),
                null, null, handler, "OPTIONS"));
        if (model.staticMethod()) {
            return;
        }
        TypeName targets = ParameterizedTypeName.get(SUPPLIER, WildcardTypeName.subtypeOf(model.owner()));
        type.addMethod(startMethod()
                .addParameter(targets, "targets")
                .addParameter(handler, "onResult")
                .addJavadoc("Starts a side-effect pool whose workers each have a target of their own; see\n"
                        + "{@link #start($T, int, int)} for the targets and {@code start(target, onResult)} for\n"
                        + "{@code onResult}.\n\n", SUPPLIER)
                .addJavadoc("@param targets makes one target per worker\n")
                .addJavadoc("@param onResult takes every result, on the worker threads\n")
                .addJavadoc(startReturnJavadoc())
                .addJavadoc(nullThrowsJavadoc(true, true, false))
                .addStatement("return start(targets, WORKERS, BUFFER, onResult)")
                .build());
        type.addMethod(sizedStart(true, CodeBlock.of(
                "Starts a side-effect pool whose workers each have a target of their own, with a number\n"
                        + "of workers and a buffer chosen at run time; see {@link #start($T, int, int)} and\n"
                        + "{@code start(target, onResult)}.\n\n", SUPPLIER),
                null, null, handler, "OPTIONS"));
    }

    // public static ThumbnailerResizePool start(Thumbnailer target, int workers, int buffer, Rate rate) (+ the
    // Supplier form; + onResult, unless ordered): a limit on job starts chosen at run time.
    private void addStartWithRate(TypeSpec.Builder type) {
        ParameterSpec rate = ParameterSpec.builder(RATE, "rate").build();
        CodeBlock rateDoc = CodeBlock.of("@param rate at most how often jobs start, "
                + "instead of the annotation's {@code rate};\n"
                + "    {@code null} for no limit\n");
        CodeBlock lead = CodeBlock.of("Starts a pool whose jobs start at most as often as {@code rate} allows, "
                + "with a number of\n"
                + "workers and a buffer chosen at run time: each worker waits for a permit, parked, before it starts\n"
                + "a job; {@link #cancel()} ends the wait with a cancelled result, {@link #close()} does not. See\n"
                + "{@link $T} for the guarantee", RATE);
        String options = "OPTIONS.withRate(rate)";
        type.addMethod(sizedStart(false, CodeBlock.of("$L.\n\n", lead), rate, rateDoc, null, options));
        if (!model.staticMethod()) {
            type.addMethod(sizedStart(true, CodeBlock.of("$L; each worker has a target of its own, see "
                    + "{@link #start($T, int, int)}.\n\n", lead, SUPPLIER), rate, rateDoc, null, options));
        }
        if (model.options().ordered()) {
            return;
        }
        TypeName handler = ParameterizedTypeName.get(CONSUMER, WildcardTypeName.supertypeOf(resultType));
        type.addMethod(sizedStart(false, CodeBlock.of("$L; a side-effect pool, see {@code start($L)}.\n\n", lead,
                model.staticMethod() ? "onResult" : "target, onResult"), rate, rateDoc, handler, options));
        if (!model.staticMethod()) {
            type.addMethod(sizedStart(true, CodeBlock.of("$L; a side-effect pool whose workers each have a target of "
                    + "their own, see\n{@link #start($T, int, int)} and {@code start(target, onResult)}.\n\n", lead,
                    SUPPLIER), rate, rateDoc, handler, options));
        }
    }

    // public static List<Result> runAll(Thumbnailer target, Collection<Job> jobs) (+ workers, buffer)
    private void addRunAll(TypeSpec.Builder type) {
        TypeName jobs = ParameterizedTypeName.get(COLLECTION, jobType);
        TypeName results = ParameterizedTypeName.get(LIST, resultType);
        type.addMethod(MethodSpec.methodBuilder("runAll")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(model.typeVariables())
                .returns(results)
                .addParameters(targetParameter())
                .addParameter(jobs, "jobs")
                .addException(INTERRUPTED_EXCEPTION)
                .addExceptions(failFastExceptions())
                .addJavadoc("Runs every job on a pool of its own ({@link #WORKERS} workers, "
                        + "buffer {@link #BUFFER}) and\n"
                        + "returns their results in the order of {@code jobs}, once every worker has exited. The\n"
                        + "details are at {@link $T#runAll}.\n\n", ENGINE)
                .addJavadoc(targetJavadoc())
                .addJavadoc("@param jobs the jobs to run\n")
                .addJavadoc(typeVariableJavadoc())
                .addJavadoc("@return one result per job, in the order of {@code jobs}\n")
                .addJavadoc("@throws $T if interrupted; the pool is cancelled and its workers have exited\n",
                        INTERRUPTED_EXCEPTION)
                .addJavadoc(failFastThrows())
                .addJavadoc(runAllNullThrowsJavadoc())
                .addStatement("return runAll($Ljobs, WORKERS, BUFFER)", targetArgument(", "))
                .build());
        type.addMethod(MethodSpec.methodBuilder("runAll")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addTypeVariables(model.typeVariables())
                .returns(results)
                .addParameters(targetParameter())
                .addParameter(jobs, "jobs")
                .addParameters(sizeParameters())
                .addException(INTERRUPTED_EXCEPTION)
                .addExceptions(failFastExceptions())
                .addJavadoc("Like the {@code runAll} above, with a number of workers and a buffer chosen at "
                        + "run time.\n\n")
                .addJavadoc(targetJavadoc())
                .addJavadoc("@param jobs the jobs to run\n")
                .addJavadoc("@param workers the most worker threads, $L\n", workersRange())
                .addJavadoc("@param buffer the job queue capacity, $L\n", BUFFER_RANGE)
                .addJavadoc(typeVariableJavadoc())
                .addJavadoc("@return one result per job, in the order of {@code jobs}\n")
                .addJavadoc(SIZE_THROWS_JAVADOC)
                .addJavadoc("@throws $T if interrupted; the pool is cancelled and its workers have exited\n",
                        INTERRUPTED_EXCEPTION)
                .addJavadoc(failFastThrows())
                .addJavadoc(runAllNullThrowsJavadoc())
                .addCode(requireTarget("runAll"))
                .addStatement("return $T.$N(NAME,$WOPTIONS,$Wworkers,$Wbuffer,$Wjobs,$Wfunction($L),$W$L)",
                        ENGINE, failFast() ? "runAllOrThrow" : "runAll", targetArgument(""), resultFactory())
                .build());
    }

    // submit(Path image, int width), submit(Job), trySubmit(...), trySubmit(Job), trySubmit(Job, Duration)
    private void addSubmit(TypeSpec.Builder type) {
        CodeBlock newJob = CodeBlock.of("new $T($L)", jobType,
                model.parameters().stream().map(PoolModel.Parameter::name).collect(Collectors.joining(", ")));
        type.addMethod(varargsSafety(MethodSpec.methodBuilder("submit"))
                .addParameters(jobParameters())
                .varargs(model.varargs())
                .addException(INTERRUPTED_EXCEPTION)
                .addJavadoc("Submits a job, waiting while the queue is full (with buffer 0: "
                        + "until a worker takes it).\n\n")
                .addJavadoc(parameterJavadoc())
                .addJavadoc("@throws $T if the pool is closed or cancelled, also while this call waits;\n"
                        + "    the job was not accepted\n", POOL_CLOSED)
                .addJavadoc("@throws $T if interrupted while waiting; "
                        + "the job was not accepted\n", INTERRUPTED_EXCEPTION)
                .addStatement("this.engine.submit($L)", newJob)
                .build());
        type.addMethod(MethodSpec.methodBuilder("submit")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(jobType, "job")
                .addException(INTERRUPTED_EXCEPTION)
                .addJavadoc("Submits a job, waiting while the queue is full (with buffer 0: "
                        + "until a worker takes it).\n\n")
                .addJavadoc("@param job the job, not null\n")
                .addJavadoc("@throws $T if the pool is closed or cancelled, also while this call waits;\n"
                        + "    the job was not accepted\n", POOL_CLOSED)
                .addJavadoc("@throws $T if interrupted while waiting; "
                        + "the job was not accepted\n", INTERRUPTED_EXCEPTION)
                .addJavadoc("@throws $T if {@code job} is null\n", NULL_POINTER_EXCEPTION)
                .addStatement("this.engine.submit(job)")
                .build());
        type.addMethod(varargsSafety(MethodSpec.methodBuilder("trySubmit"))
                .returns(TypeName.BOOLEAN)
                .addParameters(jobParameters())
                .varargs(model.varargs())
                .addJavadoc("Submits a job only if that needs no waiting: the queue has room (with buffer 0: "
                        + "a worker is\n"
                        + "idle). Never blocks.\n\n")
                .addJavadoc(parameterJavadoc())
                .addJavadoc("@return whether the job was accepted\n")
                .addJavadoc("@throws $T if the pool is closed or cancelled\n", POOL_CLOSED)
                .addStatement("return this.engine.trySubmit($L)", newJob)
                .build());
        type.addMethod(MethodSpec.methodBuilder("trySubmit")
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(jobType, "job")
                .addJavadoc("Submits a job only if that needs no waiting. Never blocks.\n\n")
                .addJavadoc("@param job the job, not null\n")
                .addJavadoc("@return whether the job was accepted\n")
                .addJavadoc("@throws $T if the pool is closed or cancelled\n", POOL_CLOSED)
                .addJavadoc("@throws $T if {@code job} is null\n", NULL_POINTER_EXCEPTION)
                .addStatement("return this.engine.trySubmit(job)")
                .build());
        type.addMethod(MethodSpec.methodBuilder("trySubmit")
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(jobType, "job")
                .addParameter(DURATION, "timeout")
                .addException(INTERRUPTED_EXCEPTION)
                .addJavadoc("Submits a job, waiting at most {@code timeout} for room (with buffer 0: "
                        + "for a worker to take it).\n\n")
                .addJavadoc("@param job the job, not null\n")
                .addJavadoc("@param timeout how long to wait at most\n")
                .addJavadoc("@return whether the job was accepted; {@code false} if the time ran out\n")
                .addJavadoc("@throws $T if the pool is closed or cancelled, also while this call waits\n", POOL_CLOSED)
                .addJavadoc("@throws $T if interrupted while waiting; "
                        + "the job was not accepted\n", INTERRUPTED_EXCEPTION)
                .addJavadoc("@throws $T if {@code job} or {@code timeout} is null\n", NULL_POINTER_EXCEPTION)
                .addStatement("return this.engine.trySubmit(job, timeout)")
                .build());
    }

    /**
     * A public method taking the job's parameters. With a non-reifiable varargs parameter ({@code T...},
     * {@code List<String>...}) it is final and {@code @SafeVarargs}: the generated code only hands the array to
     * the Job record, so the user's own claim about the method is all that matters (and javac would otherwise
     * warn of possible heap pollution).
     */
    private MethodSpec.Builder varargsSafety(MethodSpec.Builder method) {
        method.addModifiers(Modifier.PUBLIC);
        if (model.genericVarargs()) {
            // @SafeVarargs @SuppressWarnings("varargs"): the array goes to the Job record's @SafeVarargs constructor
            method.addModifiers(Modifier.FINAL).addAnnotation(SAFE_VARARGS)
                    .addAnnotation(AnnotationSpec.builder(SUPPRESS_WARNINGS)
                            .addMember("value", "$S", "varargs").build());
        }
        return method;
    }

    // close(), cancel(), await(), await(Duration)
    private void addLifecycle(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("close")
                .addAnnotation(OVERRIDE)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("No more jobs (Go's {@code close(jobs)}): jobs already accepted still run, "
                        + "then the workers exit\n"
                        + "and result iteration ends. Submitters waiting now fail. Idempotent; does not wait; use\n"
                        + "{@link #await()} to wait.\n")
                .addStatement("this.engine.close()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("cancel")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Stops now: no more jobs, running jobs are interrupted, "
                        + "queued jobs are not started. Every\n"
                        + "accepted job still yields exactly one result; a job that did not finish carries a\n"
                        + "{@link $T}. Idempotent; does not wait; may be called from a job.\n",
                        CANCELLATION_EXCEPTION)
                .addStatement("this.engine.cancel()")
                .build());
        addResize(type);
        type.addMethod(MethodSpec.methodBuilder("await")
                .addModifiers(Modifier.PUBLIC)
                .addException(INTERRUPTED_EXCEPTION)
                .addJavadoc("Waits until every worker has exited (after {@link #close()} and the queue drained, or\n"
                        + "{@link #cancel()}). Results not yet read stay readable.\n\n")
                .addJavadoc("@throws $T if interrupted while waiting\n", INTERRUPTED_EXCEPTION)
                .addJavadoc("@throws $T if called from one of the pool's own jobs, which would wait for ever\n",
                        ILLEGAL_STATE_EXCEPTION)
                .addExceptions(failFastExceptions())
                .addJavadoc(failFastThrows())
                .addStatement(failFast() ? "this.engine.awaitOrThrow()" : "this.engine.await()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("await")
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(DURATION, "timeout")
                .addException(INTERRUPTED_EXCEPTION)
                .addJavadoc("Waits at most {@code timeout} until every worker has exited.\n\n")
                .addJavadoc("@param timeout how long to wait at most\n")
                .addJavadoc("@return {@code true} if every worker has exited; "
                        + "{@code false} if the time ran out (a pool that\n"
                        + "    was never closed, or whose results nobody reads, shows up here)\n")
                .addJavadoc("@throws $T if interrupted while waiting\n", INTERRUPTED_EXCEPTION)
                .addExceptions(failFastExceptions())
                .addJavadoc(failFastThrows())
                .addJavadoc("@throws $T if {@code timeout} is null\n", NULL_POINTER_EXCEPTION)
                .addStatement(failFast()
                        ? "return this.engine.awaitOrThrow(timeout)"
                        : "return this.engine.await(timeout)")
                .build());
        if (failFast()) {
            type.addMethod(MethodSpec.methodBuilder("failure")
                    .addModifiers(Modifier.PUBLIC)
                    .returns(ParameterizedTypeName.get(OPTIONAL, THROWABLE))
                    .addJavadoc("The error of the job whose failure cancelled this pool (what it threw, or a\n"
                            + "{@link $T}); empty while no job has failed. Any thread, "
                            + "any time.\n\n", TIMEOUT_EXCEPTION)
                    .addJavadoc("@return the first failure, or empty\n")
                    .addStatement("return this.engine.failure()")
                    .build());
        }
    }

    // public void resize(int workers) { this.engine.resize(workers); }
    private void addResize(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("resize")
                .addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "workers")
                .addJavadoc("Changes the number of workers, from any thread, also from a job of this pool. Growing\n"
                        + "starts the new workers before this returns. Shrinking lets each worker beyond the new size\n"
                        + "finish the job it is running and send its result, then it exits; queued jobs go to the\n"
                        + "others. No job is dropped or run twice. {@link #stats()} shows the new size at once. Once\n"
                        + "the pool is closed or cancelled it starts no more workers.\n")
                .addJavadoc(model.staticMethod() ? "" : "With per-worker targets, "
                        + "each new worker's target is made on this\n"
                        + "thread, and each retiring worker closes its own.\n")
                .addJavadoc("The details are at {@link $T#resize}.\n\n", ENGINE)
                .addJavadoc("@param workers the new number of workers, $L\n", workersRange())
                .addJavadoc("@throws $T if {@code workers} is out of range (as for {@code start})\n",
                        ILLEGAL_ARGUMENT_EXCEPTION)
                .addJavadoc("@throws $T if the pool is closed or cancelled and {@code workers} is more than it has\n",
                        POOL_CLOSED)
                .addJavadoc("@throws $T if a new worker's $L cannot be made or started; the workers\n"
                        + "    already running stay, and the size is their number\n", ILLEGAL_STATE_EXCEPTION,
                        model.staticMethod() ? "thread" : "target or thread")
                .addJavadoc("@throws $T if the pool was started on a backend that cannot resize it (the\n"
                        + "    Hazelcast backend's pools keep their size)\n", UNSUPPORTED_OPERATION_EXCEPTION)
                .addStatement("this.engine.resize(workers)")
                .build());
    }

    // public Iterable<Result> results()
    private void addResults(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("results")
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ITERABLE, resultType))
                .addJavadoc("The results as they complete, "
                        + "for an enhanced {@code for} loop (Go's {@code range results}).\n"
                        + "Iteration ends once the pool is closed, every worker has exited and every result has been\n"
                        + "read. Iterators on several threads share the results, each result going to one of them.\n"
                        + "Read results while jobs are being submitted: workers wait when {@code workers + buffer}\n"
                        + "results are unread. A job of this pool that iterates them gets the results already there,\n"
                        + "then {@link $T} where it would wait (their end comes only once every\n"
                        + "worker has exited, the job's own included): read them on another thread.\n\n",
                        ILLEGAL_STATE_EXCEPTION)
                .addJavadoc(model.options().ordered()
                        ? "@return the results, in the order the jobs were accepted (ordered: "
                                + "a result waits for the ones\n"
                                + "    before it; at most {@code workers + buffer} wait)\n"
                        : "@return the results, in completion order\n")
                .addJavadoc(model.options().ordered() ? CodeBlock.of("") : CodeBlock.of(
                        "@throws $T if the pool was started with a handler: its results go to the handler\n",
                        ILLEGAL_STATE_EXCEPTION))
                .addStatement("return this.engine.results()")
                .build());
    }

    // isClosed(), isCancelled(), isTerminated(), stats(), toString()
    private void addState(TypeSpec.Builder type) {
        type.addMethod(booleanGetter("isClosed", "{@link #close()} or {@link #cancel()} has been called"));
        type.addMethod(booleanGetter("isCancelled", "{@link #cancel()} has been called"));
        type.addMethod(booleanGetter("isTerminated", "every worker has exited"));
        type.addMethod(MethodSpec.methodBuilder("stats")
                .addModifiers(Modifier.PUBLIC)
                .returns(POOL_STATS)
                .addJavadoc("A snapshot of queue depth and its high-water mark, busy workers, "
                        + "job counts and run times.\n"
                        + "Cheap; exact once the pool has terminated.\n\n")
                .addJavadoc("@return the snapshot\n")
                .addStatement("return this.engine.stats()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("toString")
                .addAnnotation(OVERRIDE)
                .addModifiers(Modifier.PUBLIC)
                .returns(STRING)
                .addStatement("return this.engine.toString()")
                .build());
    }

    /** What the job function returns: the Result for a primitive method, {@code Void} for void, else the value. */
    private TypeName functionValueType() {
        if (model.returnsPrimitive()) {
            return resultType;
        }
        return model.isVoid() ? VOID : model.returnType();
    }

    // private static JobFunction<Job, Thumbnail> function(Thumbnailer target) { return job -> target.resize(...); }
    // A primitive method builds its Result in the function
    // (JobFunction<Job, Result>: job -> new Result(job, ..., null))
    // and gets a result(job, success, error) method as its ResultFactory: no box per job.
    private void addFunction(TypeSpec.Builder type) {
        CodeBlock arguments = model.parameters().stream()
                .map(p -> CodeBlock.of("job.$N()", p.name()))
                .collect(CodeBlock.joining(", "));
        CodeBlock call = model.staticMethod()
                ? CodeBlock.of("$T.$N($L)", rawOwner(), model.methodName(), arguments) // Box.twice, not Box<T>.twice
                : CodeBlock.of("target.$N($L)", model.methodName(), arguments);
        MethodSpec.Builder function = MethodSpec.methodBuilder("function")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addTypeVariables(model.typeVariables())
                .returns(ParameterizedTypeName.get(JOB_FUNCTION, jobType, functionValueType()))
                .addParameters(targetParameter());
        if (model.isVoid()) {
            function.addCode("return job -> {\n$>$L;\nreturn null;\n$<};\n", call);
        } else if (model.returnsPrimitive()) {
            function.addStatement("return job -> new $T(job, $L, null)", resultType, call);
        } else {
            function.addStatement("return job -> $L", call);
        }
        type.addMethod(function.build());
        if (model.returnsPrimitive()) {
            // private static Result result(Job job, Result success, Throwable error): the ResultFactory
            type.addMethod(MethodSpec.methodBuilder("result")
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addTypeVariables(model.typeVariables())
                    .returns(resultType)
                    .addParameter(jobType, "job")
                    .addParameter(resultType, "success")
                    .addParameter(THROWABLE, "error")
                    .addStatement("return error == null ? success : new $T(job, $L, error)", resultType,
                            model.zeroValue())
                    .build());
        }
    }

    // private static JobCodec<Job, Thumbnail> codec() { return new JobCodec<>() { ... }; }: a job as its components
    // and a value as one object, for a backend that sends them to another JVM; no reflection
    private void addCodec(TypeSpec.Builder type) {
        TypeName valueType = functionValueType();
        List<PoolModel.Parameter> parameters = model.parameters();
        CodeBlock names = parameters.stream().map(p -> CodeBlock.of("$S", p.name())).collect(CodeBlock.joining(", "));
        CodeBlock types = parameters.stream().map(p -> CodeBlock.of("$T.class", erasure(p.type())))
                .collect(CodeBlock.joining(", "));
        CodeBlock components = parameters.stream().map(p -> CodeBlock.of("job.$N()", p.name()))
                .collect(CodeBlock.joining(", "));
        CodeBlock.Builder casts = CodeBlock.builder();
        for (int i = 0; i < parameters.size(); i++) {
            casts.add(i == 0 ? "" : ", ").add(cast(parameters.get(i).type(), CodeBlock.of("components[$L]", i)));
        }
        TypeSpec.Builder codec = TypeSpec.anonymousClassBuilder("")
                .superclass(ParameterizedTypeName.get(JOB_CODEC, jobType, valueType))
                .addMethod(override("componentNames", ParameterizedTypeName.get(LIST, STRING))
                        .addStatement("return $T.of($L)", LIST, names).build())
                .addMethod(override("componentTypes", ParameterizedTypeName.get(LIST,
                                ParameterizedTypeName.get(CLASS, WildcardTypeName.subtypeOf(OBJECT))))
                        .addStatement("return $T.of($L)", LIST, types).build())
                .addMethod(override("valueType", ParameterizedTypeName.get(CLASS, WildcardTypeName.subtypeOf(OBJECT)))
                        .addStatement("return $T.class", model.isVoid() ? TypeName.VOID : erasure(model.returnType()))
                        .build())
                .addMethod(override("toComponents", ArrayTypeName.of(OBJECT))
                        .addParameter(jobType, "job")
                        .addStatement("return new $T[] {$L}", OBJECT, components).build())
                .addMethod(unchecked(override("fromComponents", jobType),
                                parameters.stream().anyMatch(p -> uncheckedCast(p.type())))
                        .addParameter(ArrayTypeName.of(OBJECT), "components")
                        .addStatement("return new $T($L)", jobType, casts.build()).build());
        MethodSpec.Builder toWire = override("toWire", OBJECT).addParameter(valueType, "value");
        MethodSpec.Builder fromWire = override("fromWire", valueType)
                .addParameter(jobType, "job")
                .addParameter(OBJECT, "wire");
        if (model.isVoid()) {
            toWire.addStatement("return null");
            fromWire.addStatement("return null");
        } else if (model.returnsPrimitive()) { // the value is the Result the function built; send its primitive
            toWire.addStatement("return value.value()");
            fromWire.addStatement("return new $T(job, ($T) wire, null)", resultType, model.returnType());
        } else {
            toWire.addStatement("return value");
            unchecked(fromWire, uncheckedCast(model.returnType()))
                    .addStatement("return $L", cast(model.returnType(), CodeBlock.of("wire")));
        }
        codec.addMethod(toWire.build()).addMethod(fromWire.build());
        type.addMethod(MethodSpec.methodBuilder("codec")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addTypeVariables(model.typeVariables())
                .returns(ParameterizedTypeName.get(JOB_CODEC, jobType, valueType))
                .addStatement("return $L", codec.build())
                .build());
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(OVERRIDE).addModifiers(Modifier.PUBLIC).returns(returns);
    }

    /** Adds {@code @SuppressWarnings("unchecked")} if {@code needed}: a cast to a generic type. */
    private static MethodSpec.Builder unchecked(MethodSpec.Builder method, boolean needed) {
        return needed ? method.addAnnotation(AnnotationSpec.builder(SUPPRESS_WARNINGS)
                .addMember("value", "$S", "unchecked").build()) : method;
    }

    /** {@code (Type) expression}, or the expression alone for {@code Object} (a cast would be redundant). */
    private static CodeBlock cast(TypeName type, CodeBlock expression) {
        return type.equals(OBJECT) ? expression : CodeBlock.of("($T) $L", type, expression);
    }

    /** Whether a cast from {@code Object} to {@code type} is unchecked: it has type arguments or variables. */
    private static boolean uncheckedCast(TypeName type) {
        if (type instanceof ArrayTypeName array) {
            return uncheckedCast(array.componentType());
        }
        return type instanceof ParameterizedTypeName || type instanceof TypeVariableName;
    }

    /** The erasure of a parameter or return type, as a class literal names it. */
    private static TypeName erasure(TypeName type) {
        if (type instanceof ParameterizedTypeName generic) {
            return generic.rawType();
        }
        if (type instanceof TypeVariableName variable) {
            return variable.bounds().isEmpty() ? OBJECT : erasure(variable.bounds().get(0));
        }
        if (type instanceof ArrayTypeName array) {
            return ArrayTypeName.of(erasure(array.componentType()));
        }
        return type.withoutAnnotations();
    }

    /**
     * The owner without type arguments, as a static call needs it ({@code Outer.Inner}, not
     * {@code Outer<T>.Inner}).
     */
    private TypeName rawOwner() {
        return model.owner() instanceof ParameterizedTypeName generic ? generic.rawType() : model.owner();
    }

    // public record Job(Path image, int width) {}
    private void addJobRecord(TypeSpec.Builder type) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().varargs(model.varargs());
        model.parameters().forEach(p -> constructor.addParameter(p.type(), p.name()));
        TypeSpec.Builder record = TypeSpec.recordBuilder(job)
                .addModifiers(Modifier.PUBLIC)
                .addTypeVariables(model.typeVariables())
                .addJavadoc("One call of {@link $L}: a component per parameter.\n", model.methodRef())
                .addJavadoc(model.parameters().isEmpty() && model.typeVariables().isEmpty() ? "" : "\n")
                .addJavadoc(typeVariableJavadoc());
        model.parameters().forEach(p -> record.addJavadoc("@param $L the method's {@code $L}\n", p.name(), p.name()));
        record.recordConstructor(constructor.build());
        if (model.genericVarargs()) {
            // @SafeVarargs public Job {}: the record only keeps the array it is given
            record.addMethod(MethodSpec.compactConstructorBuilder()
                    .addModifiers(Modifier.PUBLIC)
                    .addAnnotation(SAFE_VARARGS)
                    .build());
        }
        type.addType(record.build());
    }

    // public record Result(Job job, Thumbnail value, Throwable error) { isSuccess(); getOrThrow(); }
    private void addResultRecord(TypeSpec.Builder type) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addParameter(jobType, "job");
        if (!model.isVoid()) {
            constructor.addParameter(model.returnType(), "value");
        }
        constructor.addParameter(THROWABLE, "error");
        TypeSpec.Builder record = TypeSpec.recordBuilder(result)
                .addModifiers(Modifier.PUBLIC)
                .addTypeVariables(model.typeVariables())
                .addJavadoc("The outcome of one job: the job itself and either "
                        + (model.isVoid() ? "success ({@code error == null})" : "its value")
                        + " or the error it threw\n"
                        + "({@link $T} if the pool was cancelled before it finished).\n",
                        CANCELLATION_EXCEPTION)
                .addJavadoc(model.options().timeout() == null ? CodeBlock.of("")
                        : CodeBlock.of("A job that ran longer than its timeout ($L) has a {@link $T}.\n",
                                model.options().timeout(), TIMEOUT_EXCEPTION))
                .addJavadoc(!model.returnsPrimitive() ? CodeBlock.of("")
                        : CodeBlock.of("A failed job's {@code value} is {@code $L}: check {@link #isSuccess()}, or use"
                                + " {@link #getOrThrow()}.\n", model.zeroValue()))
                .addJavadoc("\n")
                .addJavadoc(typeVariableJavadoc())
                .addJavadoc("@param job the job\n")
                .addJavadoc(model.isVoid() ? CodeBlock.of("") : CodeBlock.of(
                        "@param value what the method returned; {@code $L} if the job failed\n",
                        model.returnsPrimitive() ? model.zeroValue() : CodeBlock.of("null")))
                .addJavadoc("@param error what the job threw, or {@code null} if it returned normally\n")
                .recordConstructor(constructor.build())
                .addMethod(MethodSpec.methodBuilder("isSuccess")
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.BOOLEAN)
                        .addJavadoc("Whether the job returned normally.\n\n")
                        .addJavadoc("@return {@code error == null}\n")
                        .addStatement("return error == null")
                        .build());
        MethodSpec.Builder rethrow = MethodSpec.methodBuilder(model.isVoid() ? "throwIfFailed" : "getOrThrow")
                .addModifiers(Modifier.PUBLIC)
                .addExceptions(model.thrownTypes());
        if (model.isVoid()) {
            rethrow.addJavadoc("Returns if the job succeeded; otherwise throws its error: "
                    + "a checked exception the method\n"
                    + "declares, a {@code RuntimeException} or an {@code Error} as it is; anything else wrapped in a\n"
                    + "{@link $T}.\n", COMPLETION_EXCEPTION);
            if (!model.thrownTypes().isEmpty()) {
                rethrow.addJavadoc("\n");
            }
            rethrow.beginControlFlow("if (error == null)").addStatement("return").endControlFlow();
        } else {
            rethrow.returns(model.returnType())
                    .addJavadoc("Returns the value if the job succeeded; otherwise throws its error: "
                            + "a checked exception the\n"
                            + "method declares, a {@code RuntimeException} or an {@code Error} as it is; "
                            + "anything else\n"
                            + "wrapped in a {@link $T}.\n\n", COMPLETION_EXCEPTION)
                    .addJavadoc("@return the value\n");
            rethrow.beginControlFlow("if (error == null)").addStatement("return value").endControlFlow();
        }
        for (TypeName thrown : model.thrownTypes()) {
            rethrow.addJavadoc("@throws $T if the job threw it\n", thrown.withoutAnnotations());
        }
        if (model.thrownTypes().stream().anyMatch(thrown -> thrown.withoutAnnotations().equals(THROWABLE))) {
            rethrow.addStatement("throw error"); // throws Throwable: any error as it is, with no (redundant) cast
        } else {
            for (TypeName thrown : model.thrownTypes()) {
                rethrow.beginControlFlow("if (error instanceof $T)", thrown)
                        .addStatement("throw ($T) error", thrown)
                        .endControlFlow();
            }
            rethrow.addStatement("throw $T.unchecked(error)", FAILURES);
        }
        record.addMethod(rethrow.build());
        type.addType(record.build());
    }

    // --- pieces ------------------------------------------------------------------------------------------------

    private boolean failFast() {
        return model.options().failFast();
    }

    private List<TypeName> failFastExceptions() {
        return failFast() ? List.of(POOL_FAILED) : List.of();
    }

    private CodeBlock failFastThrows() {
        return failFast()
                ? CodeBlock.of("@throws $T if a job failed (fail-fast): the pool was cancelled; the cause is the\n"
                        + "    first job's error\n", POOL_FAILED)
                : CodeBlock.of("");
    }

    /** {@code PoolOptions.DEFAULT.withOrdered(true).withTimeout(Duration.parse("PT5S"))}: the annotation's options. */
    private CodeBlock options() {
        PoolModel.Options options = model.options();
        CodeBlock.Builder code = CodeBlock.builder().add("$T.DEFAULT", POOL_OPTIONS);
        if (options.ordered()) {
            code.add("$Z.withOrdered(true)");
        }
        if (options.failFast()) {
            code.add("$Z.withFailFast(true)");
        }
        if (options.timeout() != null) {
            code.add("$Z.withTimeout($T.parse($S))", DURATION, options.timeout().toString());
        }
        if (options.virtualThreads()) {
            code.add("$Z.withThreadFactory($T.ofVirtual().factory())", THREAD);
        }
        if (options.rate() != null) {
            code.add("$Z.withRate($T.of($L, $T.parse($S))$L)", RATE, options.rate().permits(), DURATION,
                    options.rate().per().toString(),
                    options.rate().burst() == 1 ? "" : ".withBurst(" + options.rate().burst() + ")");
        }
        if (options.retry() != null) {
            code.add("$Z.withRetry($L)", retryPolicy(options.retry()));
        }
        return code.build();
    }

    /** {@code RetryPolicy.of(3, List.of(IOException.class), Duration.parse("PT0.1S"), 2.0, null, 0.0)}. */
    private static CodeBlock retryPolicy(PoolModel.Retry retry) {
        CodeBlock on = retry.on().stream().map(type -> CodeBlock.of("$T.class", type)).collect(CodeBlock.joining(", "));
        return CodeBlock.of("$T.of($L, $T.of($L), $L, $L, $L, $L)", RETRY_POLICY, retry.attempts(), LIST, on,
                duration(retry.backoff()),
                retry.multiplier(), duration(retry.maxBackoff()), retry.jitter());
    }

    /** {@code Duration.parse("PT0.1S")}, or {@code null}. */
    private static CodeBlock duration(Duration duration) {
        return duration == null ? CodeBlock.of("null") : CodeBlock.of("$T.parse($S)", DURATION, duration.toString());
    }

    private List<ParameterSpec> targetParameter() {
        return model.staticMethod() ? List.of() : List.of(ParameterSpec.builder(model.owner(), "target").build());
    }

    /** {@code "target" + suffix}, or nothing for a static method. */
    private String targetArgument(String suffix) {
        return model.staticMethod() ? "" : "target" + suffix;
    }

    private String targetJavadoc() {
        return model.staticMethod() ? "" : "@param target the object whose method every worker calls; "
                + "it must be safe to\n"
                + "    call from several threads at once\n";
    }

    /** Refuses a null target, naming the pool and {@code method}; nothing for a static method. */
    private CodeBlock requireTarget(String method) {
        return model.staticMethod() ? CodeBlock.of("") : requireNonNull("target", method, "target");
    }

    /** Refuses a null {@code onResult}, naming the pool. */
    private static CodeBlock requireHandler() {
        return requireNonNull("onResult", "start", "onResult handler");
    }

    /**
     * {@code Objects.requireNonNull(target, NAME + ": start was given a null target")}: a message that names the
     * pool, the method and what was null. {@code NAME} is a constant, so the message is one too (no concatenation
     * at run time).
     */
    private static CodeBlock requireNonNull(String parameter, String method, String what) {
        return CodeBlock.builder()
                .addStatement("$T.requireNonNull($L,$WNAME + $S)", OBJECTS, parameter,
                        ": " + method + " was given a null " + what)
                .build();
    }

    /**
     * {@code @throws NullPointerException} of a start overload: the target (none for a static method) or, with
     * {@code perWorker}, the supplier of targets; then {@code onResult} and {@code backend} where it takes them.
     */
    private CodeBlock nullThrowsJavadoc(boolean perWorker, boolean handler, boolean backend) {
        List<String> parameters = new ArrayList<>();
        if (perWorker) {
            parameters.add("targets");
        } else if (!model.staticMethod()) {
            parameters.add("target");
        }
        if (handler) {
            parameters.add("onResult");
        }
        if (backend) {
            parameters.add("backend");
        }
        if (parameters.isEmpty()) {
            return CodeBlock.of("");
        }
        String names = parameters.stream().map(p -> "{@code " + p + "}").collect(Collectors.joining(" or "));
        return CodeBlock.of("@throws $T if $L is null; nothing is started\n", NULL_POINTER_EXCEPTION, names);
    }

    /** {@code @throws NullPointerException} of a {@code runAll} overload. */
    private CodeBlock runAllNullThrowsJavadoc() {
        return CodeBlock.of("@throws $T if $L{@code jobs} is null or holds a null job;\n"
                        + "    no worker has started\n", NULL_POINTER_EXCEPTION,
                model.staticMethod() ? "" : "{@code target} is null, or ");
    }

    private List<ParameterSpec> jobParameters() {
        return model.parameters().stream().map(p -> ParameterSpec.builder(p.type(), p.name()).build()).toList();
    }

    private CodeBlock parameterJavadoc() {
        CodeBlock.Builder doc = CodeBlock.builder();
        model.parameters().forEach(p -> doc.add("@param $L the job's {@code $L}\n", p.name(), p.name()));
        return doc.build();
    }

    private CodeBlock resultFactory() {
        if (model.isVoid()) {
            return CodeBlock.of("(job, value, error) -> new $T(job, error)", resultType);
        }
        if (model.returnsPrimitive()) { // the function built the successful Result; a failure gets a zero value
            return CodeBlock.of("$T::result", pool);
        }
        return CodeBlock.of("$T::new", resultType);
    }

    private static MethodSpec booleanGetter(String name, String doc) {
        return MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addJavadoc("Whether " + doc + ".\n\n@return whether " + doc + "\n")
                .addStatement("return this.engine.$N()", name)
                .build();
    }

    private CodeBlock classJavadoc() {
        return CodeBlock.builder()
                .add("A worker pool that runs {@link $L} on {@link #WORKERS} threads, fed through a\n",
                        model.methodRef())
                .add("queue of {@link #BUFFER} jobs. Generated by workerpool from {@code @WorkerPool}.\n\n")
                .add("<p>Go's pattern: {@code start}; {@code submit} jobs (it blocks while the queue is full);\n")
                .add("{@link #close()} (no more jobs; queued ones still run); "
                        + "read {@link #results()} while submitting\n")
                .add("(with {@code workers + buffer} results unread, workers wait for a reader); {@link #await()}.\n")
                .add("{@link #cancel()} stops now; every accepted job still yields exactly one {@link Result}.\n")
                .add("{@code runAll} does it all for a collection of jobs. "
                        + "Every method may be called from any thread.\n")
                .add("The contract every generated pool shares is stated once, at {@link $T}.\n", ENGINE)
                .add(optionsJavadoc())
                .add(model.typeVariables().isEmpty() ? CodeBlock.of("") : CodeBlock.of("\n"))
                .add(typeVariableJavadoc())
                .build();
    }

    private CodeBlock optionsJavadoc() {
        PoolModel.Options options = model.options();
        if (options.isDefault()) {
            return CodeBlock.of("");
        }
        CodeBlock.Builder doc = CodeBlock.builder().add("\n<p>Options:\n<ul>\n");
        if (options.ordered()) {
            doc.add("  <li>ordered: results come out in the order the jobs were accepted.</li>\n");
        }
        if (options.failFast()) {
            doc.add("  <li>fail-fast: the first failure cancels the pool; {@link #await()} and {@code runAll} throw\n"
                    + "      {@link $T}.</li>\n", POOL_FAILED);
        }
        if (options.timeout() != null) {
            doc.add("  <li>timeout: a job running longer than $L is interrupted; its result carries a\n"
                    + "      {@link $T}.</li>\n", options.timeout(), TIMEOUT_EXCEPTION);
        }
        if (options.virtualThreads()) {
            doc.add("  <li>virtual threads: the workers are virtual (daemon) threads. Submit and read results from\n"
                    + "      virtual threads too, or use {@code runAll}, which submits from a virtual thread of its\n"
                    + "      own: a hand-off between a platform thread and a virtual worker costs more than one\n"
                    + "      between platform threads.</li>\n");
        }
        if (options.rate() != null) {
            doc.add("  <li>rate: $L (at most $L job starts per $L$L); each worker waits for a permit before it\n"
                    + "      starts a job.</li>\n",
                    options.rate().text(), options.rate().permits(), options.rate().per(),
                    options.rate().burst() == 1 ? "" : ", in bursts of up to " + options.rate().burst());
        }
        if (options.retry() != null) {
            doc.add("  <li>retry: a job is tried up to $L times$L; it keeps its worker while it waits for its next\n"
                    + "      attempt, and its failed {@link Result} carries the earlier attempts' errors as "
                    + "suppressed\n"
                    + "      exceptions. See {@link $T}.</li>\n", options.retry().attempts(),
                    options.retry().on().isEmpty() ? "" : " when it fails with "
                            + String.join(", ", options.retry().on().stream().map(ClassName::simpleName).toList()),
                    RETRY_POLICY);
        }
        return doc.add("</ul>\n").build();
    }
}
