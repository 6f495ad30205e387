package dev.nrt4j.tools.monitor;

import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.device.driver.DriverDevice;
import dev.nrt4j.tools.machine.CpuShare;
import dev.nrt4j.tools.machine.HostUsage;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineReading;
import dev.nrt4j.tools.machine.MachineSnapshot;
import dev.nrt4j.tools.machine.RuntimeRecordView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One neuron-monitor report of a machine's reading, each metric group measured since an earlier reading
 * (the previous report's, or with a config the one the group was last reported at; see {@link Plan}), with
 * neuron-monitor's field names ({@code neff-sysfs-tools.md} §6.2): {@code neuron_runtime_data} (one entry per process using the
 * devices), {@code system_data}, {@code instance_info} and {@code neuron_hardware_info}. Every metric group
 * carries {@code period} (the seconds measured) and {@code error} ({@code ""} when fine); counts are for
 * the period, latencies in seconds, utilization in percent, FLOPS per second under both {@code flops}
 * (the documented name) and {@code effective_flops} (what neuron-monitor prints). Per-process data comes
 * from the runtime records nrt4j runtimes publish; a process that publishes none (libnrt's datastore is
 * not read) is listed with an error saying so. Stateless.
 */
final class MonitorReport {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] HOST_CATEGORIES = {"application_memory", "constants", "dma_buffers", "tensors"};
    private static final String[] CORE_CATEGORIES = {
        "constants", "model_code", "model_shared_scratchpad", "runtime_memory", "tensors"
    };
    private static final String[] MODEL_DEVICE_CATEGORIES = {"constants", "model_code", "runtime_memory", "tensors"};
    private static final double[] PERCENTILES = {0, 1, 25, 50, 75, 99, 100};

    private MonitorReport() {}

    /**
     * Which metric groups a report holds, and the earlier reading each is measured from: a group's figures
     * cover the time since then, which is its own period when groups have different ones.
     */
    interface Plan {
        /**
         * The groups of the runtime tagged {@code tag} due now, by type, each with its earlier reading.
         *
         * @return null when the runtime is not reported at all; empty when it is listed without groups
         */
        Map<String, MachineReading> runtime(String tag);

        /** The system groups due now, by type, each with its earlier reading. */
        Map<String, MachineReading> system();
    }

    /**
     * The report for {@code earlier} to {@code later} with every group of every runtime: neuron-monitor
     * without a config.
     *
     * @param lnc the LNC size to describe the hardware at (a runtime's own cores use the size it reports)
     */
    static ObjectNode between(MachineReading earlier, MachineReading later, int lnc) {
        Map<String, MachineReading> runtime = new LinkedHashMap<>();
        MonitorConfig.RUNTIME_TYPES.forEach(t -> runtime.put(t, earlier));
        Map<String, MachineReading> system = new LinkedHashMap<>();
        MonitorConfig.SYSTEM_TYPES.forEach(t -> system.put(t, earlier));
        return of(later, lnc, new Plan() {
            @Override
            public Map<String, MachineReading> runtime(String tag) {
                return runtime;
            }

            @Override
            public Map<String, MachineReading> system() {
                return system;
            }
        });
    }

    /**
     * The report at {@code later} with the groups {@code plan} names, in neuron-monitor's order whatever
     * the plan's. The top-level keys are always there: {@code neuron_runtime_data} may be empty and
     * {@code system_data} may hold no group.
     *
     * @param lnc the LNC size to describe the hardware at (a runtime's own cores use the size it reports)
     */
    static ObjectNode of(MachineReading later, int lnc, Plan plan) {
        MachineSnapshot now = later.machine();
        ObjectNode root = JSON.objectNode();
        ArrayNode runtimes = root.putArray("neuron_runtime_data");
        List<Long> reported = new ArrayList<>();
        for (RuntimeRecordView r : now.records()) {
            reported.add(r.pid());
            Map<String, MachineReading> groups = plan.runtime(r.tag());
            if (groups != null) {
                runtimes.add(runtime(r, groups, later));
            }
        }
        // Processes holding devices without publishing a record (libnrt's own): named, with no figures.
        now.processes().stream()
                .filter(p -> !reported.contains(p.pid()) && plan.runtime(Long.toString(p.pid())) != null)
                .forEach(p -> {
                    ObjectNode entry = runtimes.addObject();
                    entry.put("pid", p.pid());
                    entry.put("address", "");
                    entry.put("neuron_runtime_tag", Long.toString(p.pid()));
                    entry.put(
                            "error",
                            "process " + p.pid() + " holds Neuron devices but publishes no nrt4j runtime record");
                    entry.putObject("report");
                });
        ObjectNode system = root.putObject("system_data");
        Map<String, MachineReading> due = plan.system();
        for (String type : MonitorConfig.SYSTEM_TYPES) {
            MachineReading earlier = due.get(type);
            if (earlier == null) {
                continue;
            }
            double period = seconds(earlier, later);
            switch (type) {
                case "neuron_hw_counters":
                    system.set(type, hardwareCounters(earlier, later, period));
                    break;
                case "vcpu_usage":
                    system.set(type, vcpuUsage(earlier.host(), later.host(), period));
                    break;
                default:
                    system.set(type, memoryInfo(later.host(), period));
                    break;
            }
        }
        root.set("instance_info", instanceInfo(now));
        root.set("neuron_hardware_info", hardwareInfo(now, lnc));
        return root;
    }

    /** Seconds from {@code earlier} to {@code later}. */
    private static double seconds(MachineReading earlier, MachineReading later) {
        return Math.max(0, later.machine().takenNanos() - earlier.machine().takenNanos()) / 1e9;
    }

    private static ObjectNode runtime(RuntimeRecordView r, Map<String, MachineReading> groups, MachineReading later) {
        ObjectNode entry = JSON.objectNode();
        entry.put("pid", r.pid());
        // neuron-monitor names a runtime's datastore address here; a record file has none.
        entry.put("address", "");
        entry.put("neuron_runtime_tag", r.tag());
        entry.put("error", "");
        ObjectNode report = entry.putObject("report");
        LogicalCores cores = LogicalCores.of(later.machine(), r.lnc());
        for (String type : MonitorConfig.RUNTIME_TYPES) {
            MachineReading earlier = groups.get(type);
            if (earlier == null) {
                continue;
            }
            double period = seconds(earlier, later);
            MachineSnapshot then = earlier.machine();
            switch (type) {
                case "neuroncore_counters":
                    report.set(type, coreCounters(r, cores, then, later.machine(), period));
                    break;
                case "memory_used":
                    report.set(type, memoryUsed(r, busy(r, cores, then, later.machine()), period));
                    break;
                case "neuron_runtime_vcpu_usage":
                    ObjectNode vcpu = group(report, type, period);
                    double[] share = later.host().processShare(earlier.host(), List.of(r.pid()));
                    ObjectNode usage = vcpu.putObject("vcpu_usage");
                    usage.put("user", share[0]);
                    usage.put("system", share[1]);
                    vcpu.put("error", "");
                    break;
                default:
                    Optional<RuntimeRecordView> before = then.records().stream()
                            .filter(b -> b.pid() == r.pid())
                            .findFirst();
                    report.set(type, executionStats(r, before, then, period));
                    break;
            }
        }
        return entry;
    }

    /** The share of time each of {@code r}'s cores was busy, by global core id, for those on the machine. */
    private static Map<Integer, Double> busy(
            RuntimeRecordView r, LogicalCores cores, MachineSnapshot then, MachineSnapshot now) {
        Map<Integer, Double> busy = new HashMap<>();
        for (int id : r.cores()) {
            cores.byId(id).ifPresent(c -> busy.put(id, now.utilization(then, c.device(), c.physicalCores())));
        }
        return busy;
    }

    private static ObjectNode coreCounters(
            RuntimeRecordView r, LogicalCores cores, MachineSnapshot then, MachineSnapshot now, double period) {
        ObjectNode g = group(null, null, period);
        ObjectNode inUse = g.putObject("neuroncores_in_use");
        List<String> missing = new ArrayList<>();
        for (int id : r.cores()) {
            Optional<LogicalCores.Core> core = cores.byId(id);
            if (core.isEmpty()) {
                missing.add(Integer.toString(id));
                continue;
            }
            LogicalCores.Core c = core.get();
            double u = now.utilization(then, c.device(), c.physicalCores());
            ObjectNode n = inUse.putObject(Integer.toString(id));
            n.put("neuroncore_utilization", 100 * u);
            double flops = period == 0 ? 0 : flopDelta(then, now, c) / period;
            n.put("flops", flops);
            n.put("effective_flops", flops);
            if (c.physicalCores().size() > 1) {
                // Trn2 at LNC=2 ("v3d"): the physical cores of the logical one, each on its own.
                ObjectNode v3d = n.putObject("v3d");
                for (int p : c.physicalCores()) {
                    v3d.putObject("nc_v3." + p)
                            .put("neuroncore_utilization", 100 * now.utilization(then, c.device(), List.of(p)));
                }
            }
        }
        g.put("error", missing.isEmpty() ? "" : "cores " + String.join(", ", missing) + " are not on this machine");
        return g;
    }

    private static long flopDelta(MachineSnapshot then, MachineSnapshot now, LogicalCores.Core c) {
        return now.flopDelta(then, c.device(), c.physicalCores());
    }

    private static ObjectNode memoryUsed(RuntimeRecordView r, Map<Integer, Double> busy, double period) {
        ObjectNode g = group(null, null, period);
        ObjectNode used = g.putObject("neuron_runtime_used_bytes");
        used.put("host", r.hostMemoryTotal());
        used.put("neuron_device", r.deviceMemoryTotal());
        ObjectNode breakdown = used.putObject("usage_breakdown");
        ObjectNode host = breakdown.putObject("host");
        for (String c : HOST_CATEGORIES) {
            host.put(c, r.hostMemory().getOrDefault(c, 0L));
        }
        ObjectNode perCore = breakdown.putObject("neuroncore_memory_usage");
        r.deviceMemory().forEach((core, byCategory) -> {
            ObjectNode n = perCore.putObject(Integer.toString(core));
            for (String c : CORE_CATEGORIES) {
                n.put(c, byCategory.getOrDefault(c, 0L));
            }
        });
        ArrayNode models = g.putArray("loaded_models");
        for (RuntimeRecordView.LoadedModel m : r.models()) {
            ObjectNode model = models.addObject();
            model.put("name", m.name());
            // The record does not carry the NEFF's UUID; an empty string rather than a made-up one.
            model.put("uuid", "");
            model.put("model_id", m.modelId());
            // Models are not tracked one by one while executing: a model counts as running when its core was busy.
            model.put("is_running", busy.getOrDefault(m.core(), 0.0) > 0);
            ObjectNode sg = model.putObject("subgraphs").putObject("sg_00");
            ObjectNode bytes = sg.putObject("memory_used_bytes");
            bytes.put("host", 0L);
            bytes.put("neuron_device", m.constants() + m.modelCode());
            ObjectNode mb = bytes.putObject("usage_breakdown");
            ObjectNode mh = mb.putObject("host");
            for (String c : HOST_CATEGORIES) {
                mh.put(c, 0L);
            }
            ObjectNode md = mb.putObject("neuron_device");
            for (String c : MODEL_DEVICE_CATEGORIES) {
                md.put(c, c.equals("constants") ? m.constants() : c.equals("model_code") ? m.modelCode() : 0L);
            }
            sg.put("neuroncore_index", m.core());
            sg.put("neuron_device_index", m.device());
        }
        g.put("error", "");
        return g;
    }

    private static ObjectNode executionStats(
            RuntimeRecordView r, Optional<RuntimeRecordView> before, MachineSnapshot then, double period) {
        ObjectNode g = group(null, null, period);
        Map<String, Long> delta = new HashMap<>();
        r.executions().forEach((status, n) -> {
            long earlier =
                    before.map(b -> b.executions().getOrDefault(status, 0L)).orElse(0L);
            delta.put(status, Math.max(0, n - earlier));
        });
        ObjectNode errors = g.putObject("error_summary");
        ExecutionOutcomes.errors(delta).forEach(errors::put);
        ObjectNode summary = g.putObject("execution_summary");
        ExecutionOutcomes.summary(delta).forEach(summary::put);
        // The executions that ended after the earlier record was written are those this record adds; the
        // record, not the snapshot, bounds them, since it may be written while the snapshot is being read.
        long since = before.map(RuntimeRecordView::updatedMillis).orElse(then.takenMillis());
        List<Long> micros = new ArrayList<>();
        for (long[] l : r.latencies()) {
            if (l[0] > since) {
                micros.add(l[1]);
            }
        }
        ObjectNode latency = g.putObject("latency_stats");
        // The reference device measures one duration per execution, so both figures are that one.
        latency.set("total_latency", percentiles(micros));
        latency.set("device_latency", percentiles(micros));
        g.put("error", "");
        return g;
    }

    /** Nearest-rank percentiles in seconds, or null when nothing was measured. */
    private static tools.jackson.databind.JsonNode percentiles(List<Long> micros) {
        if (micros.isEmpty()) {
            return JSON.nullNode();
        }
        List<Long> sorted = new ArrayList<>(micros);
        sorted.sort(null);
        ObjectNode n = JSON.objectNode();
        for (double p : PERCENTILES) {
            int rank = (int) Math.ceil(p / 100 * sorted.size());
            long v = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
            n.put("p" + (int) p, v / 1e6);
        }
        return n;
    }

    private static ObjectNode hardwareCounters(MachineReading earlier, MachineReading later, double period) {
        ObjectNode g = group(null, null, period);
        ArrayNode devices = g.putArray("neuron_devices");
        for (DriverDevice d : later.machine().devices()) {
            Map<String, Long> now = later.hardware().getOrDefault(d.index(), Map.of());
            Map<String, Long> then = earlier.hardware().getOrDefault(d.index(), Map.of());
            ObjectNode n = devices.addObject();
            n.put("neuron_device_index", d.index());
            // Driver 2.25 has no corrected-error counters (2.30 added them); 0, as for an error-free device.
            n.put("mem_ecc_corrected", 0L);
            n.put(
                    "mem_ecc_uncorrected",
                    delta(now, then, "mem_ecc_uncorrected") + delta(now, then, "mem_ecc_repairable_uncorrected"));
            n.put("sram_ecc_uncorrected", delta(now, then, "sram_ecc_uncorrected"));
            n.put("sram_ecc_corrected", 0L);
        }
        g.put("error", "");
        return g;
    }

    private static long delta(Map<String, Long> now, Map<String, Long> then, String name) {
        return Math.max(0, now.getOrDefault(name, 0L) - then.getOrDefault(name, 0L));
    }

    private static ObjectNode vcpuUsage(HostUsage earlier, HostUsage later, double period) {
        ObjectNode g = group(null, null, period);
        g.set("average_usage", cpu(later.cpuShare(earlier, "cpu")));
        ObjectNode data = g.putObject("usage_data");
        later.cpuTimes().keySet().stream()
                .filter(k -> !k.equals("cpu"))
                .forEach(k -> data.set(k, cpu(later.cpuShare(earlier, k))));
        g.put("context_switch_count", later.contextSwitchesSince(earlier));
        g.put("error", later.cpuTimes().isEmpty() ? "/proc/stat cannot be read" : "");
        return g;
    }

    private static ObjectNode cpu(CpuShare s) {
        ObjectNode n = JSON.objectNode();
        n.put("user", s.user());
        n.put("nice", s.nice());
        n.put("system", s.system());
        n.put("idle", s.idle());
        n.put("io_wait", s.ioWait());
        n.put("irq", s.irq());
        n.put("soft_irq", s.softIrq());
        return n;
    }

    private static ObjectNode memoryInfo(HostUsage host, double period) {
        ObjectNode g = group(null, null, period);
        g.put("memory_total_bytes", host.memoryTotal());
        g.put("memory_used_bytes", host.memoryUsed());
        g.put("swap_total_bytes", host.swapTotal());
        g.put("swap_used_bytes", host.swapUsed());
        g.put("error", host.memoryTotal() == 0 ? "/proc/meminfo cannot be read" : "");
        return g;
    }

    private static ObjectNode instanceInfo(MachineSnapshot s) {
        ObjectNode n = JSON.objectNode();
        // Only DMI is read (no instance metadata service calls), so names EC2 keeps elsewhere stay empty.
        n.put("instance_name", "");
        n.put("instance_id", s.instanceId().orElse(""));
        n.put("instance_type", s.instanceType().orElse(""));
        n.put("instance_availability_zone", "");
        n.put("instance_availability_zone_id", "");
        n.put("instance_region", "");
        n.put("ami_id", "");
        n.put("subnet_id", "");
        n.put(
                "error",
                s.instanceId().isPresent() && s.instanceType().isPresent()
                        ? ""
                        : "the instance id and type are not in DMI (sys/devices/virtual/dmi/id)");
        return n;
    }

    private static ObjectNode hardwareInfo(MachineSnapshot s, int lnc) {
        ObjectNode n = JSON.objectNode();
        Optional<NeuronChip> chip = s.devices().stream().findFirst().flatMap(DriverDevice::chip);
        LogicalCores cores = LogicalCores.of(s, lnc);
        n.put(
                "neuron_device_type",
                chip.map(c -> c.displayName().toLowerCase(Locale.ROOT)).orElse(""));
        n.put("neuron_device_version", chip.map(MonitorReport::deviceVersion).orElse(""));
        n.put("neuroncore_version", chip.isPresent() ? cores.versionName() : "");
        n.put("neuron_device_count", s.devices().size());
        n.put("neuron_device_memory_size", chip.map(NeuronChip::memoryBytes).orElse(0L));
        n.put("neuroncore_per_device_count", cores.maxPerDevice());
        n.put("logical_neuroncore_config", lnc);
        n.put(
                "error",
                s.devices().isEmpty()
                        ? "no Neuron devices found"
                        : chip.isPresent()
                                ? ""
                                : "unknown Neuron device " + s.devices().get(0).deviceName());
        return n;
    }

    /**
     * neuron-monitor's device generation, which is not sysfs's: trn1 v2, inf2 v3 and trn2 v4 are seen in
     * its output; Inferentia v1 and Trainium3 v5 follow the sequence (inferred).
     */
    private static String deviceVersion(NeuronChip chip) {
        switch (chip) {
            case INFERENTIA:
                return "v1";
            case TRAINIUM:
                return "v2";
            case INFERENTIA2:
                return "v3";
            case TRAINIUM2:
                return "v4";
            default:
                return "v5";
        }
    }

    /** A metric group holding {@code period}; put into {@code parent} under {@code name} when given. */
    private static ObjectNode group(ObjectNode parent, String name, double period) {
        ObjectNode g = parent == null ? JSON.objectNode() : parent.putObject(name);
        g.put("period", period);
        return g;
    }
}
