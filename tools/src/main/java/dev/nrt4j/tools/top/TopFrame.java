package dev.nrt4j.tools.top;

import dev.nrt4j.device.driver.CoreCounters;
import dev.nrt4j.device.driver.MemoryCounter;
import dev.nrt4j.device.driver.NeuronProcess;
import dev.nrt4j.tools.machine.CpuShare;
import dev.nrt4j.tools.machine.HostUsage;
import dev.nrt4j.tools.machine.LogicalCores;
import dev.nrt4j.tools.machine.MachineSnapshot;
import dev.nrt4j.tools.machine.ProcessName;
import dev.nrt4j.tools.machine.RuntimeRecordView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one {@code nrt4j top} frame shows, worked out from two readings of a machine: utilization is the
 * growth of each core's {@code nc_time_in_use} between them, so it shows every process's work, not only
 * this one's; memory is the later reading's. Plain data, shared by {@code --once} and the full-screen view
 * ({@link TopRenderer} lays it out). Its maps are unmodifiable; nothing changes a frame once made.
 *
 * @param title the title bar
 * @param coreVersion {@code v2}, {@code v3} or {@code v3d}
 * @param averageUtilization the mean over every logical core, 0 to 1
 * @param devices per device, its cores' utilization and memory
 * @param hostMemory Host Used Memory of the summary, label to bytes, {@code Total} first
 * @param deviceMemory Device Used Memory of the summary, label to bytes, {@code Total} first
 * @param systemCpu how the host's vCPUs spent the time
 * @param runtimeCpu the share of the host's CPU time the Neuron processes used, percent [user, system]
 * @param systemMemoryUsed host memory in use, bytes
 * @param systemMemoryTotal host memory, bytes
 * @param apps the processes using Neuron devices
 */
record TopFrame(
        String title,
        String coreVersion,
        double averageUtilization,
        List<DeviceView> devices,
        Map<String, Long> hostMemory,
        Map<String, Long> deviceMemory,
        CpuShare systemCpu,
        double[] runtimeCpu,
        long systemMemoryUsed,
        long systemMemoryTotal,
        List<App> apps) {

    /** One device: the sums of its cores, and the cores. */
    record DeviceView(int device, long deviceMemory, long hostMemory, List<CoreView> cores) {}

    /**
     * One logical core.
     *
     * @param id global logical core id
     * @param indexOnDevice its column in the grid
     * @param utilization 0 to 1
     * @param deviceMemory its device memory in use
     * @param hostMemory the host memory its runtime counts against it
     * @param deviceMemoryByCategory the Memory Usage Details category rows, label to bytes
     * @param models the models loaded on it, by any process
     */
    record CoreView(
            int id,
            int indexOnDevice,
            double utilization,
            long deviceMemory,
            long hostMemory,
            Map<String, Long> deviceMemoryByCategory,
            List<ModelView> models) {}

    /** A loaded model: its id, what it was loaded from, the process that loaded it and its device memory. */
    record ModelView(int modelId, String name, long pid, long deviceMemory) {}

    /** A process using Neuron devices; {@code tag} is its {@code NEURON_PROCESS_TAG} or pid, cores its logical cores when it publishes them. */
    record App(long pid, String tag, String command, List<Integer> cores) {}

    /** Device memory categories of neuron-top's summary and details, label to driver categories. */
    private static final Map<String, List<String>> DEVICE_CATEGORIES = categories(
            "Tensors", List.of("tensors"),
            "Constants", List.of("constants"),
            "Model Code", List.of("model_code"),
            "Runtime Memory", List.of("runtime_memory"),
            "Model Scratchpad", List.of("model_shared_scratchpad", "nonshared_scratchpad"));

    private static final Map<String, List<String>> HOST_CATEGORIES = categories(
            "Tensors", List.of("tensors"),
            "Constants", List.of("constants"),
            "DMA Buffers", List.of("dma_buffers"),
            "App. Memory", List.of("application_memory"));

    /**
     * The frame for the time between two readings.
     *
     * @param cores the logical cores to show, of {@code later}'s devices
     * @param version this nrt4j's version, for the title
     */
    static TopFrame between(
            MachineSnapshot earlier,
            MachineSnapshot later,
            HostUsage hostEarlier,
            HostUsage hostLater,
            LogicalCores cores,
            String version) {
        Map<Integer, List<ModelView>> modelsByCore = new TreeMap<>();
        for (RuntimeRecordView r : later.records()) {
            // A runtime numbers its cores at its own LNC size, which need not be the one shown.
            LogicalCores own = r.lnc() == cores.lnc() ? cores : LogicalCores.of(later, r.lnc());
            for (RuntimeRecordView.LoadedModel m : r.models()) {
                own.byId(m.core())
                        .flatMap(c -> shownCore(cores, c))
                        .ifPresent(id -> modelsByCore
                                .computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new ModelView(m.modelId(), m.name(), r.pid(), m.constants() + m.modelCode())));
            }
        }
        List<DeviceView> devices = new ArrayList<>();
        Map<String, Long> deviceSummary = zeroed(DEVICE_CATEGORIES);
        Map<String, Long> hostSummary = zeroed(HOST_CATEGORIES);
        double utilizationSum = 0;
        int coreCount = 0;
        for (int i = 0; i < later.devices().size(); i++) {
            int device = later.devices().get(i).index();
            List<CoreCounters> counters = later.cores().get(i);
            List<CoreView> views = new ArrayList<>();
            long deviceMemory = 0;
            long coresHostMemory = 0;
            for (LogicalCores.Core c : cores.ofDevice(device)) {
                double u = later.utilization(earlier, device, c.physicalCores());
                utilizationSum += u;
                coreCount++;
                long mem = 0;
                long host = 0;
                Map<String, Long> byCategory = zeroed(DEVICE_CATEGORIES);
                for (int p : c.physicalCores()) {
                    CoreCounters cc = counters.get(p);
                    mem += cc.deviceMemory().total();
                    host += cc.hostMemory().total();
                    DEVICE_CATEGORIES.forEach((label, names) ->
                            names.forEach(n -> byCategory.merge(label, cc.deviceMemory(n), Long::sum)));
                }
                byCategory.remove("Total");
                byCategory.forEach((k, v) -> deviceSummary.merge(k, v, Long::sum));
                deviceSummary.merge("Total", mem, Long::sum);
                deviceMemory += mem;
                coresHostMemory += host;
                views.add(new CoreView(
                        c.id(),
                        c.indexOnDevice(),
                        u,
                        mem,
                        host,
                        Collections.unmodifiableMap(byCategory),
                        List.copyOf(modelsByCore.getOrDefault(c.id(), List.of()))));
            }
            Map<String, MemoryCounter> hostMem = later.hostMemory().get(i);
            long deviceHost =
                    hostMem.values().stream().mapToLong(MemoryCounter::total).sum();
            HOST_CATEGORIES.forEach((label, names) -> names.forEach(n -> hostSummary.merge(
                    label, hostMem.getOrDefault(n, MemoryCounter.ZERO).total(), Long::sum)));
            hostSummary.merge("Total", deviceHost, Long::sum);
            // The device's own host_mem counts what its runtimes allocated; its cores' host_mem may say more.
            devices.add(
                    new DeviceView(device, deviceMemory, Math.max(deviceHost, coresHostMemory), List.copyOf(views)));
        }
        List<App> apps = apps(later);
        List<Long> pids = new ArrayList<>();
        apps.forEach(a -> pids.add(a.pid()));
        return new TopFrame(
                title(later, version),
                cores.versionName(),
                coreCount == 0 ? 0 : utilizationSum / coreCount,
                List.copyOf(devices),
                Collections.unmodifiableMap(hostSummary),
                Collections.unmodifiableMap(deviceSummary),
                hostLater.cpuShare(hostEarlier, "cpu"),
                hostLater.processShare(hostEarlier, pids),
                hostLater.memoryUsed(),
                hostLater.memoryTotal(),
                apps);
    }

    /** The id of the shown logical core holding the first physical core of {@code c}. */
    private static Optional<Integer> shownCore(LogicalCores shown, LogicalCores.Core c) {
        return shown.ofDevice(c.device()).stream()
                .filter(s -> s.physicalCores().contains(c.physicalCores().get(0)))
                .map(LogicalCores.Core::id)
                .findFirst();
    }

    /** The processes holding device nodes, and those that publish records, by pid. */
    static List<App> apps(MachineSnapshot s) {
        Map<Long, App> byPid = new TreeMap<>();
        for (NeuronProcess p : s.processes()) {
            byPid.put(p.pid(), new App(p.pid(), Long.toString(p.pid()), ProcessName.command(p.command()), List.of()));
        }
        for (RuntimeRecordView r : s.records()) {
            String command = r.command().isEmpty() && byPid.containsKey(r.pid())
                    ? byPid.get(r.pid()).command()
                    : ProcessName.command(r.command());
            byPid.put(
                    r.pid(),
                    new App(
                            r.pid(),
                            r.tag().isEmpty() ? Long.toString(r.pid()) : r.tag(),
                            command,
                            List.copyOf(r.cores())));
        }
        return List.copyOf(byPid.values());
    }

    private static String title(MachineSnapshot s, String version) {
        return "nrt4j top " + version + " running on " + s.instanceId().orElse("an unknown instance") + " ("
                + s.instanceType().orElse("unknown type") + ")";
    }

    private static Map<String, List<String>> categories(Object... labelsAndNames) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < labelsAndNames.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) labelsAndNames[i + 1];
            out.put((String) labelsAndNames[i], names);
        }
        return out;
    }

    /** {@code Total} then every label of {@code categories}, all 0. */
    private static Map<String, Long> zeroed(Map<String, List<String>> categories) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("Total", 0L);
        categories.keySet().forEach(k -> out.put(k, 0L));
        return out;
    }
}
