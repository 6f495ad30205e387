package dev.nrt4j.tools.monitor;

import dev.nrt4j.server.PrometheusText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * neuron-monitor-prometheus's metrics ({@code neff-sysfs-tools.md} §6.3), made from {@code monitor}'s reports
 * as that exporter makes them from neuron-monitor's: the same names, the standard labels ({@code
 * instance_name, instance_id, instance_type, availability_zone, region, subnet_id}) on every series, {@code
 * runtime_tag} on each runtime's, ratios where the report has percent. A group keeps the values of the last
 * report that held it (groups come at their own periods); the execution and ECC counters add up each
 * report's counts for its period; a runtime missing from a report is gone, and so are its series. Thread-safe:
 * the monitor loop {@linkplain #accept adds} reports while the HTTP server {@linkplain #scrape scrapes}.
 */
final class PrometheusExposition {
    private static final String[] CORE_MEMORY = {
        "constants", "model_code", "model_shared_scratchpad", "runtime_memory", "tensors"
    };

    /** What is kept of one runtime. */
    private static final class Runtime {
        String tag = "";
        final Map<String, JsonNode> groups = new LinkedHashMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        final Map<String, Long> statuses = new TreeMap<>();
    }

    private JsonNode instance;
    private JsonNode hardware;
    private final Map<String, JsonNode> system = new LinkedHashMap<>();
    private final Map<Long, Runtime> runtimes = new TreeMap<>();
    /** ECC events by {@code event_type} then device index, counted since the start. */
    private final Map<String, Map<Integer, Long>> ecc = new TreeMap<>();

    /** Takes in one report, as {@code monitor} prints it. */
    synchronized void accept(JsonNode report) {
        instance = report.get("instance_info");
        hardware = report.get("neuron_hardware_info");
        Map<Long, Runtime> seen = new TreeMap<>();
        for (JsonNode rt : report.path("neuron_runtime_data")) {
            long pid = rt.path("pid").asLong();
            Runtime r = runtimes.getOrDefault(pid, new Runtime());
            r.tag = rt.path("neuron_runtime_tag").asString("");
            rt.path("report").properties().forEach(e -> r.groups.put(e.getKey(), e.getValue()));
            JsonNode exec = rt.path("report").path("execution_stats");
            add(r.errors, exec.path("error_summary"));
            add(r.statuses, exec.path("execution_summary"));
            seen.put(pid, r);
        }
        runtimes.clear();
        runtimes.putAll(seen);
        report.path("system_data").properties().forEach(e -> system.put(e.getKey(), e.getValue()));
        for (JsonNode d : report.path("system_data").path("neuron_hw_counters").path("neuron_devices")) {
            int device = d.path("neuron_device_index").asInt();
            d.properties().forEach(e -> {
                if (!e.getKey().equals("neuron_device_index")) {
                    ecc.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                            .merge(device, e.getValue().asLong(), Long::sum);
                }
            });
        }
    }

    private static void add(Map<String, Long> totals, JsonNode counts) {
        counts.properties().forEach(e -> totals.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }

    /** The exposition in the Prometheus text format (version 0.0.4). */
    synchronized String scrape() {
        List<Family> s = new ArrayList<>();
        String standard = standardLabels();

        Family util = new Family(s, "neuroncore_utilization_ratio", "gauge", "NeuronCore utilization, 0 to 1.");
        List<Family> coreMemory = new ArrayList<>();
        for (String c : CORE_MEMORY) {
            coreMemory.add(new Family(
                    s, "neuroncore_memory_usage_" + c, "gauge", "Device memory of a NeuronCore used for " + c + "."));
        }
        Family used = new Family(s, "neuron_runtime_memory_used_bytes", "gauge", "Memory a runtime uses, by location.");
        Family vcpu = new Family(s, "neuron_runtime_vcpu_usage_ratio", "gauge", "vCPU time a runtime used, 0 to 1.");
        Family errors = new Family(s, "execution_errors_total", "counter", "Executions that failed, by error class.");
        Family statuses = new Family(s, "execution_status_total", "counter", "Executions by outcome.");
        Family latency =
                new Family(s, "execution_latency_seconds", "gauge", "Execution latency percentiles over the period.");
        for (Runtime r : runtimes.values()) {
            String rt = standard + label("runtime_tag", r.tag);
            r.groups
                    .getOrDefault("neuroncore_counters", EMPTY)
                    .path("neuroncores_in_use")
                    .properties()
                    .forEach(e -> util.add(
                            rt + label("neuroncore", e.getKey()),
                            e.getValue().path("neuroncore_utilization").asDouble() / 100));
            JsonNode mem = r.groups.getOrDefault("memory_used", EMPTY).path("neuron_runtime_used_bytes");
            mem.path("usage_breakdown")
                    .path("neuroncore_memory_usage")
                    .properties()
                    .forEach(e -> {
                        for (int i = 0; i < CORE_MEMORY.length; i++) {
                            coreMemory
                                    .get(i)
                                    .add(
                                            rt + label("memory_location", "None") + label("neuroncore", e.getKey()),
                                            e.getValue().path(CORE_MEMORY[i]).asLong());
                        }
                    });
            for (String where : new String[] {"host", "neuron_device"}) {
                if (mem.has(where)) {
                    used.add(
                            rt + label("memory_location", where), mem.get(where).asLong());
                }
            }
            JsonNode cpu =
                    r.groups.getOrDefault("neuron_runtime_vcpu_usage", EMPTY).path("vcpu_usage");
            for (String type : new String[] {"user", "system"}) {
                if (cpu.has(type)) {
                    vcpu.add(rt + label("usage_type", type), cpu.get(type).asDouble() / 100);
                }
            }
            r.errors.forEach((type, n) -> errors.add(rt + label("error_type", type), n));
            r.statuses.forEach((type, n) -> statuses.add(rt + label("status_type", type), n));
            r.groups
                    .getOrDefault("execution_stats", EMPTY)
                    .path("latency_stats")
                    .path("total_latency")
                    .properties()
                    .forEach(e -> latency.add(
                            rt + label("percentile", e.getKey()), e.getValue().asDouble()));
        }

        Family events = new Family(s, "hardware_ecc_events_total", "counter", "ECC events, by type and device.");
        ecc.forEach((type, byDevice) -> byDevice.forEach((device, n) -> events.add(
                standard + label("event_type", type) + label("neuron_device_index", Integer.toString(device)), n)));

        JsonNode cpu = system.getOrDefault("vcpu_usage", EMPTY);
        Family count = new Family(s, "system_vcpu_count", "gauge", "vCPUs of the host.");
        Family ratio = new Family(s, "system_vcpu_usage_ratio", "gauge", "Host vCPU time used, 0 to 1.");
        if (cpu.has("usage_data")) {
            count.add(standard, cpu.get("usage_data").size());
            JsonNode avg = cpu.path("average_usage");
            ratio.add(
                    standard + label("usage_type", "user"),
                    (avg.path("user").asDouble() + avg.path("nice").asDouble()) / 100);
            ratio.add(
                    standard + label("usage_type", "system"),
                    (avg.path("system").asDouble()
                                    + avg.path("io_wait").asDouble()
                                    + avg.path("irq").asDouble()
                                    + avg.path("soft_irq").asDouble())
                            / 100);
        }
        JsonNode memory = system.getOrDefault("memory_info", EMPTY);
        for (String m : new String[] {"memory_total", "memory_used", "swap_total", "swap_used"}) {
            Family f = new Family(s, "system_" + m + "_bytes", "gauge", "Host " + m.replace('_', ' ') + " in bytes.");
            if (memory.has(m + "_bytes")) {
                f.add(standard, memory.get(m + "_bytes").asLong());
            }
        }

        Family info = new Family(s, "instance_info", "gauge", "The EC2 instance, in its labels.");
        if (instance != null) {
            info.add(standard, 1);
        }
        Family hw = new Family(s, "neuron_hardware_info", "gauge", "The Neuron hardware, in its labels.");
        if (hardware != null) {
            hw.add(
                    standard
                            + label(
                                    "neuron_device_count",
                                    hardware.path("neuron_device_count").asString(""))
                            + label(
                                    "neuroncore_per_device_count",
                                    hardware.path("neuroncore_per_device_count").asString("")),
                    1);
        }
        StringBuilder out = new StringBuilder(4096);
        s.forEach(f -> out.append(f.out));
        return out.toString();
    }

    private static final JsonNode EMPTY = tools.jackson.databind.node.MissingNode.getInstance();

    private String standardLabels() {
        JsonNode i = instance == null ? EMPTY : instance;
        return label("instance_name", i.path("instance_name").asString(""))
                + label("instance_id", i.path("instance_id").asString(""))
                + label("instance_type", i.path("instance_type").asString(""))
                + label(
                        "availability_zone",
                        i.path("instance_availability_zone").asString(""))
                + label("region", i.path("instance_region").asString(""))
                + label("subnet_id", i.path("subnet_id").asString(""));
    }

    /** {@code ,name="value"} with the value escaped as the text format asks; the first comma is dropped later. */
    private static String label(String name, String value) {
        return ',' + name + "=\"" + PrometheusText.labelValue(value) + '"';
    }

    /**
     * One metric family: its HELP and TYPE lines, then its samples, which come while other families are
     * filled; kept apart so that each family's samples follow its own lines, as the format requires.
     */
    private static final class Family {
        private final StringBuilder out = new StringBuilder();
        private final String name;

        Family(List<Family> families, String name, String type, String help) {
            families.add(this);
            this.name = name;
            PrometheusText.appendHeader(out, name, type, help);
        }

        void add(String labels, double value) {
            out.append(name).append('{').append(labels, 1, labels.length()).append("} ");
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.append((long) value);
            } else {
                out.append(value);
            }
            out.append('\n');
        }
    }
}
