package dev.nrt4j.tools.top;

import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViews;
import dev.nrt4j.tools.Nrt4jCommand;
import dev.nrt4j.tools.Nrt4jVersion;
import dev.nrt4j.tools.RuntimeSelection;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineReading;
import dev.nrt4j.tools.machine.ReadWarnings;
import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nrt4j top}: neuron-top for nrt4j. Shows, refreshed every interval, each logical core's utilization
 * (from the driver's {@code nc_time_in_use} counters, so any process's work), device and host memory by
 * category, and the models each process loaded, of the machine the chosen backend runs on (the reference
 * device's simulated one, or this host). {@code --once} prints one frame as plain text instead.
 */
@Command(
        name = "top",
        mixinStandardHelpOptions = true,
        description = {
            "Live NeuronCore utilization, memory by category, loaded models and their processes (neuron-top).",
            "Keys: q quit, a/d previous/next tab, 1-9 select tab (1 is all processes, then one per process),"
                    + " f FLOPS on/off, PgUp/PgDn previous/next devices, Home/End first/last devices."
        })
public final class TopCommand implements Callable<Integer> {
    @Mixin
    RuntimeSelection selection;

    @Option(names = "--once", description = "Print one frame as plain text and exit (utilization over one interval).")
    boolean once;

    @Option(
            names = "--interval",
            paramLabel = "MS",
            defaultValue = "1000",
            description =
                    "Milliseconds between readings; utilization is the share of it cores were busy (default ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(
            names = "--width",
            paramLabel = "COLUMNS",
            defaultValue = "120",
            description = "Line width of --once output (default ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--flops",
            description = "With --once: show each core's achieved FLOP/s instead of its utilization (the 'f' key).")
    boolean flops;

    @Option(
            names = "--pid",
            paramLabel = "PID",
            description = "With --once: show only this process's cores, memory and models (its tab).")
    Long pid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (intervalMillis < 10) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--interval must be at least 10 ms, not " + intervalMillis);
        }
        if (!once && (flops || pid != null)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--flops and --pid go with --once; in the full-screen view press f, or a/d and 1-9");
        }
        if (width < 40) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--width must be at least 40, not " + width);
        }
        SystemRoot root = DriverViews.of(selection.toOptions());
        ReadWarnings warnings = new ReadWarnings(spec.commandLine().getErr());
        if (once) {
            PrintWriter out = spec.commandLine().getOut();
            MachineReading earlier = MachineReading.take(root, warnings);
            Thread.sleep(intervalMillis);
            MachineReading later = MachineReading.take(root, warnings);
            TopFrame frame = TopFrame.between(
                    earlier.machine(),
                    later.machine(),
                    earlier.host(),
                    later.host(),
                    LogicalCores.of(later.machine(), lnc(later)),
                    Nrt4jVersion.version(),
                    pid == null ? OptionalLong.empty() : OptionalLong.of(pid));
            if (pid != null && frame.apps().stream().noneMatch(a -> a.pid() == pid)) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("nrt4j: process " + pid + " uses no Neuron device here: it holds no device node"
                        + " and publishes no runtime record; run without --pid to see the processes that do");
                err.flush();
                return Nrt4jCommand.EXIT_FAILURE;
            }
            TopRenderer.render(frame, width, 0, frame.devices().size(), flops).forEach(out::println);
            out.flush();
            return 0;
        }
        lnc(MachineReading.take(root, warnings));
        // dumb(false): without a real terminal there is nothing to draw on; say so instead of printing garbage.
        Terminal terminal;
        try {
            terminal = TerminalBuilder.builder()
                    .system(true)
                    .dumb(false)
                    .name("nrt4j top")
                    .build();
        } catch (IllegalStateException | java.io.IOException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("nrt4j: top needs a terminal to draw on (" + e.getMessage() + "); use --once for plain text");
            err.flush();
            return Nrt4jCommand.EXIT_FAILURE;
        }
        try (terminal) {
            new TopScreen(terminal, root, intervalMillis, selection.lnc(), Nrt4jVersion.version(), warnings).run();
        }
        return 0;
    }

    private int lnc(MachineReading reading) {
        try {
            return LogicalCores.chooseLnc(reading.machine(), selection.lnc());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
