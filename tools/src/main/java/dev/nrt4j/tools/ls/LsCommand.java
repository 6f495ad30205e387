package dev.nrt4j.tools.ls;

import dev.nrt4j.NeuronException;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.device.driver.DriverSysfsException;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.spi.DriverViews;
import dev.nrt4j.tools.CoreRanges;
import dev.nrt4j.tools.MachineSelection;
import dev.nrt4j.tools.TerminalText;
import dev.nrt4j.tools.machine.ReadWarnings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nrt4j ls}: the Neuron devices of the machine the backend uses, with neuron-ls's columns, JSON
 * fields and topology drawing. Reads the driver's sysfs, so it claims nothing and shows the cores,
 * memory and processes of every process on the machine: the real one for hardware, the state
 * directory's for the reference device, or any tree {@code --root} names.
 */
@Command(
        name = "ls",
        mixinStandardHelpOptions = true,
        description =
                "List the Neuron devices: cores, memory, links, PCI placement and the processes using them (neuron-ls).")
public final class LsCommand implements Callable<Integer> {
    /** neuron-ls cuts COMMAND to this many characters, or {@link #WIDE_COMMAND} with --wide. */
    static final int COMMAND = 40;

    static final int WIDE_COMMAND = 80;

    /** Only the machine: ls reads the driver's view and claims no cores. */
    @Mixin
    MachineSelection selection;

    /** What {@code --output-format} takes, as neuron-ls 2.34 names them. */
    enum OutputFormat {
        json,
        table
    }

    @Option(
            names = {"-j", "--json-output"},
            description = "Print the devices as JSON, with neuron-ls's field names (the same as --output-format json).")
    boolean json;

    @Option(
            names = "--output-format",
            paramLabel = "FORMAT",
            description = "table (the default) or json (the same document as --json-output).")
    OutputFormat format;

    @Option(
            names = {"-a", "--show-all-procs"},
            description = "Also list processes that hold a device without running a Neuron runtime, with RUNTIME"
                    + " VERSION NA (by default only runtimes are listed).")
    boolean allProcesses;

    @Option(
            names = {"-t", "--topology"},
            description = "Draw how the devices are linked.")
    boolean topology;

    @Option(
            names = {"-w", "--wide"},
            description = "Show up to " + WIDE_COMMAND + " characters of each command instead of " + COMMAND + ".")
    boolean wide;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description =
                    "Read the machine under DIR (DIR/sys, DIR/dev, DIR/proc when present, DIR/runtimes) instead of the backend's.")
    Path root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (json && format == OutputFormat.table) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--json-output and --output-format table ask for two formats; give one");
        }
        boolean asJson = json || format == OutputFormat.json;
        PrintWriter out = spec.commandLine().getOut();
        RuntimeOptions options = selection.toOptions();
        SystemRoot system = root != null ? fixtureRoot(root) : DriverViews.of(options);
        DeviceListing listing;
        try {
            listing = DeviceListing.read(
                            system,
                            options.lnc().isPresent() ? options.lnc().getAsInt() : null,
                            new ReadWarnings(spec.commandLine().getErr()))
                    .processes(allProcesses);
        } catch (DriverSysfsException e) {
            throw new NeuronException(
                    Status.FAILURE,
                    "read the Neuron driver's sysfs",
                    e.getMessage() + "; check that the Neuron driver (aws-neuronx-dkms) is installed and loaded");
        } catch (IllegalArgumentException e) {
            throw new NeuronException(Status.INVALID, "list Neuron devices", e.getMessage());
        }
        if (listing.devices().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("nrt4j ls: no Neuron devices under " + system.neuronDevices()
                    + "; on an Inf2/Trn instance install and load the Neuron driver, or use --backend reference");
            err.flush();
            return 1;
        }
        if (asJson) {
            // A line like every other output's: without the newline a shell prompt follows on the same line.
            out.println(JsonMapper.builder()
                    .build()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toJson(listing)));
        } else {
            printTable(listing, out);
            if (topology) {
                out.println();
                out.print(TopologyDrawing.draw(listing));
            }
        }
        out.flush();
        return 0;
    }

    private static SystemRoot fixtureRoot(Path dir) {
        Path proc = dir.resolve("proc");
        return SystemRoot.of(
                dir.resolve("sys"),
                dir.resolve("dev"),
                Files.isDirectory(proc) ? proc : Path.of("/proc"),
                dir.resolve("runtimes"));
    }

    void printTable(DeviceListing listing, PrintWriter out) {
        out.println("instance-type: " + listing.instanceType().orElse("NA"));
        out.println("instance-id: " + listing.instanceId().orElse("NA"));
        if (listing.lncApplies()) {
            out.println("logical-neuroncore-config: " + listing.lnc());
        }
        boolean links = listing.anyLinks();
        boolean processes = listing.anyProcesses();
        List<String> headers =
                new ArrayList<>(List.of("NEURON/DEVICE", "NEURON/CORES", "NEURON/CORE IDS", "NEURON/MEMORY"));
        if (links) {
            headers.add("CONNECTED/DEVICES");
        }
        headers.add("PCI/BDF");
        if (processes) {
            headers.add("PID/");
        }
        headers.addAll(List.of("CPU/AFFINITY", "NUMA/NODE"));
        if (processes) {
            headers.addAll(List.of("COMMAND/", "RUNTIME/VERSION"));
        }
        BoxTable table = new BoxTable(headers);
        for (DeviceListing.Device d : listing.devices()) {
            table.group();
            int rows = Math.max(1, d.processes().size());
            for (int r = 0; r < rows; r++) {
                boolean first = r == 0;
                List<String> cells = new ArrayList<>();
                cells.add(first ? Integer.toString(d.index()) : "");
                cells.add(first ? Integer.toString(d.coreIds().size()) : "");
                cells.add(first ? CoreRanges.format(d.coreIds()) : "");
                cells.add(first ? memory(d.memoryBytes()) : "");
                if (links) {
                    cells.add(first ? joined(d.connected()) : "");
                }
                cells.add(first ? d.pci().map(p -> p.bdf()).orElse("NA") : "");
                DeviceListing.Owner owner =
                        d.processes().isEmpty() ? null : d.processes().get(r);
                if (processes) {
                    cells.add(owner == null ? "NA" : Long.toString(owner.pid()));
                }
                cells.add(first ? d.pci().map(p -> p.cpuAffinity()).orElse("NA") : "");
                cells.add(first ? d.pci().map(p -> p.numaNode()).orElse("NA") : "");
                if (processes) {
                    cells.add(
                            owner == null
                                    ? "NA"
                                    : cut(TerminalText.escape(owner.command()), wide ? WIDE_COMMAND : COMMAND));
                    cells.add(owner == null ? "NA" : owner.runtimeVersion());
                }
                table.row(cells);
            }
        }
        table.print(out);
    }

    /** neuron-ls's field names, order and types: numa_node a string, connected_to null without links. */
    static List<Map<String, Object>> toJson(DeviceListing listing) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeviceListing.Device d : listing.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("neuron_device", d.index());
            m.put("bdf", d.pci().map(p -> p.bdf()).orElse(""));
            m.put("cpu_affinity", d.pci().map(p -> p.cpuAffinity()).orElse(""));
            m.put("numa_node", d.pci().map(p -> p.numaNode()).orElse("-1"));
            m.put("connected_to", d.connected().isEmpty() ? null : d.connected());
            m.put("nc_count", d.coreIds().size());
            if (listing.lncApplies()) {
                m.put("logical_neuroncore_config", listing.lnc());
            }
            m.put("memory_size", d.memoryBytes());
            m.put("neuroncore_ids", d.coreIds());
            List<Map<String, Object>> procs = new ArrayList<>();
            for (DeviceListing.Owner o : d.processes()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("pid", o.pid());
                p.put("command", o.command());
                p.put("neuron_runtime_version", o.runtimeVersion());
                procs.add(p);
            }
            m.put("neuron_processes", procs);
            out.add(m);
        }
        return out;
    }

    /** neuron-ls prints GiB with the label "GB". */
    private static String memory(long bytes) {
        return bytes == 0 ? "NA" : (bytes >> 30) + " GB";
    }

    private static String joined(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    static String cut(String command, int max) {
        return command.length() <= max ? command : command.substring(0, max - 3) + "...";
    }
}
