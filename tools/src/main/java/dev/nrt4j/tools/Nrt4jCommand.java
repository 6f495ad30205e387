package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nrt4j}: the command line. Each subcommand is its own class; this one wires them together and
 * turns failures into one clear line on stderr (the stack trace only with {@code --debug}).
 */
@Command(
        name = "nrt4j",
        mixinStandardHelpOptions = true,
        versionProvider = Nrt4jVersion.class,
        description = "Neuron devices, tensors and models from Java: on real hardware or the reference device.")
public final class Nrt4jCommand {
    /** Exit status for a runtime failure (a {@link NeuronException}); picocli uses 2 for usage errors. */
    public static final int EXIT_FAILURE = 1;

    /**
     * The subcommands, in the order help lists them. Not in the annotation: picocli would then reflect
     * over every one (and load the types of all their fields and methods: conformance, NEFF, HLO,
     * benchmarks) on each start, which cost a third of {@code nrt4j ls}'s start-up.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("info", InfoCommand.class);
        SUBCOMMANDS.put("ls", dev.nrt4j.tools.ls.LsCommand.class);
        SUBCOMMANDS.put("top", dev.nrt4j.tools.top.TopCommand.class);
        SUBCOMMANDS.put("monitor", dev.nrt4j.tools.monitor.MonitorCommand.class);
        SUBCOMMANDS.put("bench", dev.nrt4j.tools.bench.BenchCommand.class);
        SUBCOMMANDS.put("backends", BackendsCommand.class);
        SUBCOMMANDS.put("instance-types", InstanceTypesCommand.class);
        SUBCOMMANDS.put("conformance", ConformanceCommand.class);
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("inspect", InspectCommand.class);
        SUBCOMMANDS.put("serve", ServeCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean debug;

    /** Runs the command line; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Nrt4jCommand root = new Nrt4jCommand();
        CommandLine cl = new CommandLine(root);
        addSubcommands(cl, args);
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
            report(
                    err,
                    args.length > 0 ? args[0] : "nrt4j",
                    e,
                    java.util.Arrays.asList(args).contains("--debug"));
            return EXIT_FAILURE;
        }
    }

    /**
     * The failure's one line; with {@code --debug} its stack trace too. A {@link NeuronException} is a
     * refusal whose line says what to do; anything else is a bug, and its line ends with how to get the
     * trace that a bug report needs (on the same line: scripts and the refusal budget count one line per
     * failure).
     */
    static void report(PrintWriter err, String command, Throwable e, boolean debug) {
        String line = FailureLine.of(command, e);
        if (!debug && !(e instanceof NeuronException) && !line.contains("--debug")) {
            line += " (run again with --debug for the stack trace)";
        }
        err.println("nrt4j: " + line);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /**
     * Registers only the subcommand the arguments name, so only its class is reflected over; all of
     * them when none is named (or {@code help}, or a name that is not one), so that usage, help and the
     * "did you mean" suggestions list every subcommand as before.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        String named = null;
        for (String a : args) {
            if (a.equals("--debug")) {
                continue;
            }
            named = a;
            break;
        }
        Class<?> only = named == null || named.equals("help") ? null : SUBCOMMANDS.get(named);
        if (only != null) {
            cl.addSubcommand(named, only);
            return;
        }
        SUBCOMMANDS.forEach(cl::addSubcommand);
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
