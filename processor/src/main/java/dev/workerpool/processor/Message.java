package dev.workerpool.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, in one place. Each has a stable tag, printed as
 * {@code [Tag]} at the start of the message so that users and tests can recognise it, and says how to fix
 * the problem. The README lists them all. No other class writes diagnostic text: they report an entry and its
 * arguments (checked by {@code MessageTest}).
 */
enum Message {
    WORKERS_TOO_FEW("WorkerPoolWorkers",
            "workers must be at least 1, was %d. Set workers to how many jobs may run at once, e.g. workers = 4."),
    WORKERS_TOO_MANY("WorkerPoolWorkers",
            "workers = %d would start that many %s threads; the limit is %d. Use fewer workers "
                    + "(a pool bounds concurrency; it does not need one thread per job)."),
    BUFFER_NEGATIVE("WorkerPoolBuffer",
            "buffer must be at least 0, was %d. Use 0 for an unbuffered hand-off, or how many jobs may wait."),
    BUFFER_TOO_LARGE("WorkerPoolBuffer",
            "buffer = %d is so large that the queue is effectively unbounded and backpressure never happens; "
                    + "the limit is %d. Use a buffer of a few times workers."),
    NAME_NOT_IDENTIFIER("WorkerPoolName",
            "name \"%s\" is not a valid Java identifier. Use a simple class name, e.g. name = \"%s\"."),
    NAME_IGNORABLE("WorkerPoolName",
            "name \"%s\" has a character that Java ignores in identifiers (%s), so the class would not have this "
                    + "name. Use a name without it, e.g. name = \"%s\"."),
    NAME_RESTRICTED("WorkerPoolName",
            "name \"%s\" cannot name a class: it is a restricted identifier of the Java language. "
                    + "Use another class name, e.g. name = \"%s\"."),
    NAME_OF_NESTED("WorkerPoolName",
            "name \"%s\" cannot name a class: the pool nests records named Job and Result, and a nested class "
                    + "may not have the name of the class around it. Use another class name, e.g. name = \"%s\"."),
    NAME_HIDES_JAVA_LANG("WorkerPoolName",
            "name \"%s\" would hide java.lang.%s from every class of %s, the generated pools and your own. "
                    + "Use another class name, e.g. name = \"%s\"."),
    NAME_OF_PACKAGE("WorkerPoolName",
            "%s, the class that %s would generate, has the name of a package; a class and a package may not share "
                    + "a name. Set name = \"...\", e.g. name = \"%s\"."),
    NAME_LIKE_NESTED_BINARY("WorkerPoolName",
            "%s, the class that %s would generate, starts with the name of class %s and a $, as the binary names of "
                    + "the classes nested in it do: its class file %s.class could be one of theirs. "
                    + "Set name = \"...\" without a $, e.g. name = \"%s\"."),
    FILE_NAME_TOO_LONG("WorkerPoolName",
            "the generated class %s would be written to files of up to %d bytes (%s), over the %d-byte limit of "
                    + "common file systems. Set a shorter name = \"...\", e.g. name = \"%s\"."),
    TOO_MANY_PARAMETER_SLOTS("WorkerPoolParameters",
            "%s takes %d parameter slots (long and double take two); the generated Job constructor and submit "
                    + "methods need one more, for this, and the JVM allows 255, so the pool needs %d. "
                    + "Pass fewer parameters, e.g. group them in a record."),
    DEFAULT_PACKAGE_CLASH("WorkerPoolName",
            "%s uses %s, a type of the default package named like the generated pool's nested %s record, which "
                    + "hides it there (a type of the default package cannot be written qualified). Move the code "
                    + "into a package, or rename %s."),
    DUPLICATE_CLASS("WorkerPoolDuplicate",
            "%s is generated for both %s and %s. Set name = \"...\" on one of them, e.g. name = \"%s\"."),
    DUPLICATE_CLASSES("WorkerPoolDuplicate",
            "%s is generated for %s. Set name = \"...\" on all but one of them, e.g. name = \"%s\" here."),
    CASE_CLASH_WITH_POOL("WorkerPoolDuplicate",
            "%s, the class that %s would generate, differs only in case from %s, the class generated for %s: on a "
                    + Texts.CASE_INSENSITIVE),
    CASE_CLASH_WITH_CLASS("WorkerPoolDuplicate",
            "%s, the class that %s would generate, differs only in case from %s, a class of this compilation: on a "
                    + Texts.CASE_INSENSITIVE),
    PRIVATE_METHOD("WorkerPoolAccess",
            "@WorkerPool method %s must not be private: the generated %s calls it from outside its class. "
                    + "Make it package-private, protected or public."),
    PRIVATE_INTERFACE_METHOD("WorkerPoolAccess",
            "@WorkerPool method %s must not be private: the generated %s calls it from outside its interface. "
                    + "Remove private: the method is then public."),
    PRIVATE_OWNER("WorkerPoolAccess",
            "@WorkerPool method %s is in %s, which is private, so the generated %s cannot call it. "
                    + "Make %s package-private or wider."),
    LOCAL_OWNER("WorkerPoolAccess",
            "@WorkerPool method %s(...) in local class %s: " + Texts.NOT_NAMEABLE),
    ANONYMOUS_OWNER("WorkerPoolAccess",
            "@WorkerPool method %s(...) in an anonymous class: " + Texts.NOT_NAMEABLE),
    TYPE_NOT_VISIBLE("WorkerPoolAccess",
            "%s uses %s, which is %s in package %s, so the generated %s in package %s cannot name it. "
                    + "Make %s public, or use a type the owner's package can see."),
    TYPE_NOT_ACCESSIBLE("WorkerPoolAccess",
            "%s uses %s, which is private, so the generated %s cannot name it. Make %s package-private or wider."),
    GENERIC_THROWS("WorkerPoolGeneric",
            "%s throws type variable %s, which a Result cannot rethrow type-safely: only its erasure is known at "
                    + "run time. Declare the concrete exception type instead."),
    GENERIC_NAME_OF_NESTED("WorkerPoolGeneric",
            "type parameter %s of %s clashes with the nested type %s in the generated class. "
                    + "Rename the type parameter."),
    GENERIC_NAME_OF_POOL("WorkerPoolGeneric",
            "type parameter %s of %s clashes with the name of the generated class. Rename the type parameter, "
                    + "or set name = \"...\"."),
    GENERIC_NAME_HIDDEN("WorkerPoolGeneric",
            "type parameter %s of %s hides type parameter %s of %s, and the pool for %s takes both. "
                    + "Rename one of them."),
    GENERIC_NAME_OF_PACKAGE("WorkerPoolGeneric",
            "type parameter %s of %s has the name of package %s, which the generated class names in qualified type "
                    + "names (such as %s); there it would mean the type parameter. Rename the type parameter."),
    PARAMETER_NAME("WorkerPoolParameterName",
            "parameter '%s' of %s cannot become a Job record component: records may not have a component named "
                    + "like a method of Object. Rename the parameter."),
    CLASS_EXISTS("WorkerPoolDuplicate",
            "%s, the class that %s would generate, is already a class of this compilation. Set name = \"...\", "
                    + "e.g. name = \"%s\"."),
    FILE_EXISTS("WorkerPoolDuplicate",
            "could not write %s: %s. Another type or processor already creates it; set name = \"...\"."),
    TIMEOUT_SYNTAX("WorkerPoolTimeout",
            "timeout \"%s\" is not a duration. Use a whole number and a unit (%s), "
                    + "e.g. timeout = \"5s\" or \"250ms\", or ISO-8601, e.g. \"PT5S\"."),
    TIMEOUT_BLANK("WorkerPoolTimeout",
            "timeout \"%s\" is blank. Leave timeout out, or set it to \"\", for no timeout; or give a duration, "
                    + "e.g. timeout = \"5s\"."),
    TIMEOUT_NOT_POSITIVE("WorkerPoolTimeout",
            "timeout \"%s\" must be longer than zero. Leave timeout out for no timeout."),
    TIMEOUT_TOO_LONG("WorkerPoolTimeout",
            "timeout \"%s\" is longer than %d days, which the pool's clock cannot measure. "
                    + "Leave timeout out for no timeout."),
    RATE_SYNTAX("WorkerPoolRate",
            "rate \"%s\" is not a rate. Use a whole number of starts, a slash and a period, e.g. rate = \"50/s\", "
                    + "\"3/250ms\", \"100/m\" or \"5/PT10S\" (units %s)."),
    RATE_BLANK("WorkerPoolRate",
            "rate \"%s\" is blank. Leave rate out, or set it to \"\", for no limit; or give a rate, "
                    + "e.g. rate = \"50/s\"."),
    RATE_NOT_POSITIVE("WorkerPoolRate",
            "rate \"%s\" must allow at least 1 start per period longer than zero. Leave rate out for no limit."),
    RATE_TOO_FAST("WorkerPoolRate",
            "rate \"%s\" is more than one start per nanosecond, which the pool's clock cannot schedule. "
                    + "Leave rate out for no limit."),
    RATE_PERIOD_TOO_LONG("WorkerPoolRate",
            "rate \"%s\" has a period longer than %d days, which the pool's clock cannot measure. "
                    + "Use a shorter period, e.g. rate = \"1/d\"."),
    BURST_TOO_SMALL("WorkerPoolBurst",
            "burst must be at least 1, was %d. Set burst to how many jobs may start at once after a quiet spell."),
    BURST_WITHOUT_RATE("WorkerPoolBurst",
            "burst = %d has no effect without a rate. Set rate too, e.g. rate = \"50/s\", or leave burst out."),
    RETRY_ATTEMPTS_TOO_FEW("WorkerPoolRetry",
            "attempts must be at least 1, was %d. Set attempts to how many times a job may be tried in all, "
                    + "e.g. attempts = 3 (1: no retries)."),
    RETRY_ATTEMPTS_TOO_MANY("WorkerPoolRetry",
            "attempts = %d is more than %d: a job would hold its worker through that many failures. "
                    + "Use a few attempts, e.g. attempts = 3."),
    RETRY_DURATION_SYNTAX("WorkerPoolRetry",
            "%s \"%s\" is not a duration. Use a whole number and a unit (%s), "
                    + "e.g. %s = \"100ms\", or ISO-8601, e.g. \"PT0.1S\"."),
    RETRY_DURATION_BLANK("WorkerPoolRetry",
            "%s \"%s\" is blank. Leave %s out, or set it to \"\", for %s; or give a duration, "
                    + "e.g. %s = \"100ms\"."),
    RETRY_DURATION_NEGATIVE("WorkerPoolRetry",
            "%s \"%s\" must not be negative. Use \"0ms\" or more, or leave %s out."),
    RETRY_DURATION_TOO_LONG("WorkerPoolRetry",
            "%s \"%s\" is longer than %d days, which the pool's clock cannot measure. Use a shorter wait."),
    RETRY_MULTIPLIER("WorkerPoolRetry",
            "multiplier must be a finite number of at least 1, was %s. Use 1.0 for equal waits, or e.g. 2.0 to "
                    + "double each wait."),
    RETRY_JITTER("WorkerPoolRetry",
            "jitter must be between 0 and 1, was %s. Use e.g. 0.2 to spread each wait by up to 20%% either way."),
    RETRY_MAX_BELOW_BACKOFF("WorkerPoolRetry",
            "maxBackoff \"%s\" is shorter than backoff \"%s\": the longest wait cannot be shorter than the "
                    + "first. Raise maxBackoff, or lower backoff."),
    RETRY_NEEDS_ATTEMPTS("WorkerPoolRetry",
            "%s has no effect with attempts = 1: a job is tried once. Set attempts to how many times a job may be "
                    + "tried in all, e.g. attempts = 3, or remove %s."),
    RETRY_NEEDS_BACKOFF("WorkerPoolRetry",
            "%s has no effect without a backoff: the next attempt starts at once. Set a backoff, "
                    + "e.g. backoff = \"100ms\", or remove %s."),
    RETRY_ON_NEVER_RETRIED("WorkerPoolRetry",
            "%s is never retried: it means that the job was asked to stop (cancel(), or an interrupt). "
                    + "Remove it from on."),
    RETRY_ON_NOT_THROWN("WorkerPoolRetry",
            "%s is a checked exception that %s does not declare, so no attempt can fail with it. "
                    + "Declare it in the method's throws clause, or remove it from on."),
    RETRY_ON_TIMEOUT_WITHOUT_TIMEOUT("WorkerPoolRetry",
            "%s is retried when an attempt times out, but this pool has no timeout, and %s does not declare it. "
                    + "Set a timeout, e.g. timeout = \"5s\", or remove it from on."),
    RELEASE_WITHOUT_RECORDS("WorkerPoolRelease",
            "the generated %s declares records, which need release 16, but this compilation targets release %d. "
                    + "Compile with --release 17 or later (maven.compiler.release): workerpool needs Java 17."),
    VIRTUAL_THREADS_RELEASE("WorkerPoolVirtualThreads",
            "virtualThreads = true needs Java 21 (Thread.ofVirtual()), but this compilation targets release %s. "
                    + "Compile with --release 21 or later (maven.compiler.release), or remove virtualThreads."),
    DISTRIBUTED_PARAMETER("WorkerPoolDistributed",
            "parameter '%s' of %s has type %s, which cannot be sent to other members: %s. Use a type that can be "
                    + "sent " + Texts.SENDABLE),
    DISTRIBUTED_RETURN("WorkerPoolDistributed",
            "%s returns %s, which cannot be sent back to the submitting member: %s. Return a type that can be sent "
                    + Texts.SENDABLE),
    DISTRIBUTED_ORDERED("WorkerPoolDistributed",
            "ordered = true is not supported by a distributed backend: the results of one submitter come from "
                    + "several members, in no order. Remove ordered (order the results by a job component "
                    + "instead), or remove distributed = true."),
    DISTRIBUTED_TIMEOUT("WorkerPoolDistributed",
            "timeout \"%s\" is not supported by a distributed backend: a job timeout is not enforced across "
                    + "members. Remove timeout (bound the job's own waits instead), or remove distributed = true."),
    DISTRIBUTED_RATE("WorkerPoolDistributed",
            "rate \"%s\" is not supported by a distributed backend: a limit per JVM would not bound the job "
                    + "starts of the whole cluster. Remove rate (limit the calls inside the job instead), or remove "
                    + "distributed = true."),
    INTERNAL("WorkerPoolInternal",
            "unexpected error while generating the pool for %s; this is a bug in workerpool, please report it "
                    + "with this trace:%n%s");

    private final String tag;
    private final String format;

    Message(String tag, String format) {
        this.tag = tag;
        this.format = format;
    }

    String format(Object... args) {
        return "[" + tag + "] " + String.format(Locale.ROOT, format, args);
    }

    /**
     * {@code text} as a message quotes a value of the source: each character that does not show, or that Java
     * ignores in identifiers (a control or format character such as a zero-width space, a space other than
     * U+0020 such as a no-break space), as its escape <code>&#92;uXXXX</code>, so that the message shows what is
     * wrong.
     */
    static String visible(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.chars().forEach(c -> shown.append(invisible(c) ? String.format(Locale.ROOT, "\\u%04x", c)
                : String.valueOf((char) c)));
        return shown.toString();
    }

    /** Whether a character does not show, or is ignored in identifiers: {@link #visible} escapes it. */
    private static boolean invisible(int c) {
        return Character.isISOControl(c) || Character.isIdentifierIgnorable(c)
                || Character.getType(c) == Character.FORMAT || (Character.isSpaceChar(c) || Character.isWhitespace(c))
                && c != ' ';
    }

    /** Sentences that several messages end with. */
    private static final class Texts {
        static final String CASE_INSENSITIVE = "case-insensitive file system (the default on macOS and Windows) "
                + "their files would be the same. Set name = \"...\", e.g. name = \"%s\".";
        static final String NOT_NAMEABLE = "generated code cannot name a local or anonymous class, nor a class "
                + "nested in one. Move the method to a top-level class or to one of its member classes.";
        static final String SENDABLE = "(a primitive, String, an enum, a java.io.Serializable class, a record whose "
                + "components can be sent, an array of these, or a java.util interface), or remove "
                + "distributed = true.";
    }

    /**
     * Why no value of a type can be sent: the reason that {@link #DISTRIBUTED_PARAMETER} and
     * {@link #DISTRIBUTED_RETURN} give, worded as {@code dev.workerpool.hazelcast.Sendable} words it at
     * {@code start}. The last three wrap the reason of the type they name.
     */
    enum Unsendable {
        INTERFACE("an interface that is neither java.io.Serializable nor a record"),
        ABSTRACT_CLASS("an abstract class that is neither java.io.Serializable nor a record"),
        CLASS("a class that is neither java.io.Serializable nor a record"),
        COMPONENT("its component '%s' of type %s cannot be sent (%s)"),
        ELEMENT("its element type %s cannot be sent (%s)"),
        BOUND("its bound %s cannot be sent (%s)");

        private final String format;

        Unsendable(String format) {
            this.format = format;
        }

        String format(Object... args) {
            return String.format(Locale.ROOT, format, args);
        }
    }
}
