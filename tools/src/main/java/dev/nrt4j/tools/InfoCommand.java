package dev.nrt4j.tools;

import dev.nrt4j.BackendInfo;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronRuntime;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code nrt4j info}: opens a runtime and shows the backend, the devices and the cores it claimed. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Open a runtime and show its backend, devices and claimed NeuronCores.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    RuntimeSelection selection;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (NeuronRuntime rt = NeuronRuntime.open(selection.toOptions())) {
            if (json) {
                out.println(JsonMapper.builder()
                        .build()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(toJson(rt)));
            } else {
                printTables(rt, out);
            }
        }
        out.flush();
        return 0;
    }

    private static void printTables(NeuronRuntime rt, PrintWriter out) {
        BackendInfo b = rt.backend();
        out.println("backend:        " + b.name() + " " + b.version());
        out.println("instance type:  " + b.instanceType() + ", LNC=" + b.lnc());
        out.println("detail:         " + b.detail());
        out.println();
        TextTable devices = new TextTable("DEVICE", "CHIP", "CORES", "CORE IDS", "MEMORY", "CONNECTED DEVICES");
        for (NeuronDevice d : rt.devices()) {
            devices.row(
                    d.index(),
                    d.chip(),
                    d.logicalCoreIds().size(),
                    CoreRanges.format(d.logicalCoreIds()),
                    ByteCount.format(d.memoryBytes()),
                    d.connectedDevices().isEmpty() ? "-" : joined(d.connectedDevices()));
        }
        devices.print(out);
        out.println();
        TextTable cores = new TextTable("CORE", "CORE ID", "DEVICE", "PHYSICAL CORES", "HBM STACK", "HBM");
        for (NeuronCore c : rt.cores()) {
            cores.row(
                    c.index(),
                    c.globalId(),
                    c.device(),
                    joined(c.physicalCores()),
                    c.hbmStack(),
                    ByteCount.format(c.hbmBytes()));
        }
        cores.print(out);
    }

    private static String joined(List<Integer> ids) {
        List<String> parts = new ArrayList<>();
        ids.forEach(i -> parts.add(String.valueOf(i)));
        return String.join(", ", parts);
    }

    private static Map<String, Object> toJson(NeuronRuntime rt) {
        BackendInfo b = rt.backend();
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", b.name());
        backend.put("version", b.version());
        backend.put("instance_type", b.instanceType());
        backend.put("lnc", b.lnc());
        backend.put("detail", b.detail());
        List<Object> devices = new ArrayList<>();
        for (NeuronDevice d : rt.devices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", d.index());
            m.put("chip", d.chip());
            m.put("core_version", d.coreVersion());
            m.put("physical_core_count", d.physicalCoreCount());
            m.put("core_ids", d.logicalCoreIds());
            m.put("memory_bytes", d.memoryBytes());
            m.put("connected_devices", d.connectedDevices());
            devices.add(m);
        }
        List<Object> cores = new ArrayList<>();
        for (NeuronCore c : rt.cores()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", c.index());
            m.put("core_id", c.globalId());
            m.put("device", c.device());
            m.put("physical_cores", c.physicalCores());
            m.put("hbm_stack", c.hbmStack());
            m.put("hbm_bytes", c.hbmBytes());
            cores.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", backend);
        root.put("devices", devices);
        root.put("cores", cores);
        return root;
    }
}
