package dev.workerpool.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * workerpool-demo: real work done by generated worker pools. With no command it runs a short tour on
 * built-in defaults: it hashes this JDK's files, imports a generated CSV of students into an embedded database,
 * then ({@link Tour}) classifies a generated log, makes thumbnails of generated images and scrapes a web site it
 * starts on 127.0.0.1.
 */
@Command(name = "workerpool-demo", mixinStandardHelpOptions = true, versionProvider = DemoApp.Version.class,
        // One string, one paragraph: picocli starts a new line at each element of an array, and wraps each alone.
        description = "Real work done by worker pools that @WorkerPool generated at compile time. With no command: "
                + "hash this JDK's files, import a generated sample of students, classify a generated log, make "
                + "thumbnails of generated images and scrape a web site it starts on 127.0.0.1.",
        subcommands = {HashCommand.class, ImportCommand.class, BasicsCommand.class, ClassifyCommand.class,
                ThumbsCommand.class, ScrapeCommand.class, ServeCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        // One entry per code: the list is a map, so a second entry with the same key (" :" for a continuation
        // line) would replace the first. picocli wraps a long entry itself.
        exitCodeList = {"0:success",
                "1:some input failed: import found a bad row (nothing was imported), thumbs skipped an "
                        + "image or could not read a directory (the others were written), scrape had a "
                        + "URL fail (4xx, 5xx, network error or timeout), or stdout could not be written (one "
                        + "line says why)",
                "2:bad input or options",
                DemoApp.INTERNAL_ERROR + ":internal error: the command failed unexpectedly (import's commit among "
                        + "such failures); one line names the exception",
                OutputClosed.BROKEN_PIPE + ":stdout was closed by its reader (such as head): the command stopped, "
                        + "silently, as a command killed by SIGPIPE (but for a line from import if it had committed "
                        + "its rows already)"})
public final class DemoApp implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Where {@code classify} reads when it has no {@code --file}: stdin, or a test's stream. */
    java.io.InputStream in = System.in;

    @Override
    public Integer call() throws java.io.IOException {
        CommandLine cli = spec.commandLine();
        cli.getOut().println("No command given: a tour on built-in defaults (workerpool-demo --help lists "
                + "the commands).");
        cli.getOut().println();
        // Here and after each step: if stdout was closed (... | head) or failed, the tour stops, with exit code 141
        // or 1; why is said once (commandLine()), by the step that found it, or nothing for a closed pipe.
        OutputClosed.check(cli.getOut());
        int hash = cli.getSubcommands().get("hash").execute("--quiet");
        OutputClosed.check(cli.getOut());
        cli.getOut().println();
        int imported = cli.getSubcommands().get("import").execute();
        OutputClosed.check(cli.getOut());
        cli.getOut().println();
        int more = Tour.newCommands(cli);
        return Math.max(Math.max(hash, imported), more);
    }

    /**
     * Whether a failed write to stdout has been reported (one line): the tour, whose steps each report their own,
     * says it once.
     */
    private boolean stdoutFailureReported;

    /** Exit code of a command that failed unexpectedly: not bad input (2), not a failed input (1). */
    static final int INTERNAL_ERROR = 3;

    /**
     * The command line with the demo's error handling: user errors are one line and exit code 2; anything else
     * a command throws is one line too, naming the exception, and exit code {@value #INTERNAL_ERROR}. Never a
     * stack trace.
     */
    static CommandLine commandLine() {
        DemoApp app = new DemoApp();
        CommandLine cli = new CommandLine(app);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String command = commandLine.getCommandSpec().qualifiedName();
            if (e instanceof OutputClosed) {
                java.io.IOException why = Stdout.failure();
                if (why != null && Stdout.isBrokenPipe(why)) {
                    return OutputClosed.BROKEN_PIPE; // the reader went away: silent, as a tool killed by SIGPIPE
                }
                if (!app.stdoutFailureReported) { // the tour's step has said it already
                    app.stdoutFailureReported = true;
                    commandLine.getErr().println(command + ": cannot write to stdout"
                            + (why == null ? "" : ": " + oneLine(why)));
                    commandLine.getErr().flush();
                }
                return 1;
            }
            if (e instanceof UserError) {
                commandLine.getErr().println(command + ": " + e.getMessage());
                return 2;
            }
            Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
            commandLine.getErr().println(command + ": internal error: " + oneLine(cause));
            commandLine.getErr().flush();
            return INTERNAL_ERROR;
        });
        // An Error (out of memory, say) is not an Exception: picocli would let it through, with its stack trace.
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parseResult -> {
            try {
                return runLast.execute(parseResult);
            } catch (Error e) {
                List<CommandLine> commands = parseResult.asCommandLineList();
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), e.toString(), e);
            }
        });
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getCommandLine().getCommandSpec().qualifiedName() + ": " + e.getMessage()
                    + " (see --help)");
            return 2;
        });
        return cli;
    }

    /** The exception's type and the first line of its message: what the user needs, without the stack. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
        return message.isEmpty() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }

    /** The version the build wrote into {@code version.properties}: the POM's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = DemoApp.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("version.properties is missing from the build");
                }
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"workerpool-demo " + properties.getProperty("version")};
        }
    }

    /**
     * Runs the program. A command that stops because its stdout closed may leave a thread blocked reading stdin
     * (a read that cannot be interrupted): the program ends with {@code System.exit}, whatever threads remain.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        CommandLine cli = commandLine();
        cli.setOut(Stdout.writer()); // a closed stdout is seen (checkError()), and why
        int code = cli.execute(args);
        cli.getOut().flush();
        if (code != 0) {
            System.exit(code);
        }
    }
}
