package io.bolmo.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code bolmo} command line: {@code forward}, {@code generate}, {@code chat}, {@code bench} and
 * {@code pretrain-teacher}, {@code eval}.
 *
 * <p>Exit codes: 0 success; 1 the work failed (for example the model directory cannot be loaded: the loader's
 * message is printed); 2 bad arguments (one line naming the option and what is allowed). No stack traces for
 * user errors; set {@code BOLMO_DEBUG=1} to see them for unexpected failures.
 */
@Command(name = "bolmo", mixinStandardHelpOptions = true, version = "bolmo 0.1.0",
        description = "Bolmo byte-level language models on DJL/PyTorch.",
        subcommands = {ForwardCommand.class, GenerateCommand.class, ChatCommand.class, BenchCommand.class,
                TrainBenchCommand.class, MergeCommand.class, PretrainTeacherCommand.class, EvalCommand.class,
                PlotTrainingCommand.class, MakeChatDataCommand.class, EvalChatCommand.class, TradeoffCommand.class,
                QuantizeCommand.class,
                CommandLine.HelpCommand.class})
public final class BolmoCli implements java.util.concurrent.Callable<Integer> {

    /** Exit code for bad arguments. */
    public static final int USAGE = 2;
    /** Exit code for failures while running. */
    public static final int FAILED = 1;

    private final BufferedReader in;

    BolmoCli(Reader in) {
        this.in = new BufferedReader(in);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage, as for any other argument error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Standard input, for {@code chat}. */
    BufferedReader in() {
        return in;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn into images, never onto a screen
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(new InputStreamReader(System.in, StandardCharsets.UTF_8), out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command in-process (tests, embedding) and returns its exit code. */
    public static int run(Reader in, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new BolmoCli(in));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(BolmoCli::badArguments);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd));
        return cli.execute(args);
    }

    private static int badArguments(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("bolmo " + e.getCommandLine().getCommandName() + ": " + e.getMessage()
                + " (see 'bolmo " + e.getCommandLine().getCommandName() + " --help')");
        return USAGE;
    }

    private static int failed(Exception e, CommandLine cmd) {
        if (e instanceof ParameterException p) {
            return badArguments(p, new String[0]);
        }
        PrintWriter err = cmd.getErr();
        err.println("bolmo " + cmd.getCommandName() + ": error: " + message(e));
        if (System.getenv("BOLMO_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return FAILED;
    }

    /** The message of the exception, or of its first cause that has one. */
    static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
