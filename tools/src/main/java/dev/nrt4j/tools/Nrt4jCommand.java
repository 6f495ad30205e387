package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nrt4j}: the command line. Each subcommand is its own class; this one wires them together and
 * turns failures into one clear line on stderr (the stack trace only with {@code --debug}).
 */
@Command(name = "nrt4j", mixinStandardHelpOptions = true, versionProvider = Nrt4jVersion.class,
        description = "Neuron devices, tensors and models from Java: on real hardware or the reference device.",
        subcommands = {InfoCommand.class, dev.nrt4j.tools.ls.LsCommand.class, dev.nrt4j.tools.top.TopCommand.class,
                dev.nrt4j.tools.monitor.MonitorCommand.class, dev.nrt4j.tools.bench.BenchCommand.class, BackendsCommand.class,
                InstanceTypesCommand.class, ConformanceCommand.class, RunCommand.class, InspectCommand.class,
                CommandLine.HelpCommand.class})
public final class Nrt4jCommand {
    /** Exit status for a runtime failure (a {@link NeuronException}); picocli uses 2 for usage errors. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean debug;

    /** Runs the command line; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Nrt4jCommand root = new Nrt4jCommand();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            report(commandLine.getErr(), commandLine.getCommandName(), e, debug);
            return EXIT_FAILURE;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler above; these would reach the JVM's default
            // handler, which prints the class name and a thousand-line trace.
            report(err, args.length > 0 ? args[0] : "nrt4j", e, java.util.Arrays.asList(args).contains("--debug"));
            return EXIT_FAILURE;
        }
    }

    /**
     * The failure's one line; with {@code --debug} its stack trace too. A {@link NeuronException} is a
     * refusal whose line says what to do, so it stays one line; for anything else a second line says
     * how to get the trace that a bug report needs.
     */
    private static void report(PrintWriter err, String command, Throwable e, boolean debug) {
        err.println("nrt4j: " + FailureLine.of(command, e));
        if (debug) {
            e.printStackTrace(err);
        } else if (!(e instanceof NeuronException)) {
            err.println("(run again with --debug for the stack trace)");
        }
        err.flush();
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }
}
