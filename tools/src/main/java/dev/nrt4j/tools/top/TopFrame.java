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
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one {@code nrt4j top} frame shows, worked out from two readings of a machine, for one tab: every
 * process (the "all" tab) or one process. Utilization is the growth of each core's {@code nc_time_in_use}
 * between the readings, so on the "all" tab it shows every process's work, not only this one's; a
 * process's tab shows it on the cores the process holds (a core is held by one process at a time) and
 * 0 elsewhere. FLOP rates are the growth of the driver's {@code flop_count} on the "all" tab, and of the
 * process's runtime record's per-core {@code flops} on a process's tab, over the time between the readings.
 * Memory is the later reading's: the driver's counters on the "all" tab, the process's runtime record on its
 * own. A process that publishes no runtime record (a libnrt process, which only the driver shows) has a tab
 * whose per-core figures are unknown ({@link CoreView#known()} false). Plain data, shared by {@code --once}
 * and the full-screen view ({@link TopRenderer} lays it out). Its maps are unmodifiable; nothing changes a
 * frame once made.
 *
 * @param title the title bar
 * @param coreVersion {@code v2}, {@code v3} or {@code v3d}
 * @param averageUtilization the mean over the tab's cores (every logical core, or those the process holds), 0 to 1
 * @param averageFlops the mean FLOP/s over the same cores
 * @param totalFlops the FLOP/s of every core of the tab together
 * @param devices per device, its cores' utilization and memory
 * @param hostMemory Host Used Memory of the summary, label to bytes, {@code Total} first
 * @param deviceMemory Device Used Memory of the summary, label to bytes, {@code Total} first
 * @param systemCpu how the host's vCPUs spent the time
 * @param runtimeCpu the share of the host's CPU time the tab's processes used, percent [user, system]
 * @param systemMemoryUsed host memory in use, bytes
 * @param systemMemoryTotal host memory, bytes
 * @param apps the processes using Neuron devices, in pid order: tabs 2, 3, ... after "all"
 * @param shownPid the process of the tab shown, empty for the "all" tab
 */
record TopFrame(
        String title,
        String coreVersion,
        double averageUtilization,
        double averageFlops,
        double totalFlops,
        List<DeviceView> devices,
        Map<String, Long> hostMemory,
        Map<String, Long> deviceMemory,
        CpuShare systemCpu,
        double[] runtimeCpu,
        long systemMemoryUsed,
        long systemMemoryTotal,
        List<App> apps,
        OptionalLong shownPid) {

    /** One device: the sums of its cores, and the cores. */
    record DeviceView(int device, long deviceMemory, long hostMemory, List<CoreView> cores) {}

    /**
     * One logical core.
     *
     * @param id global logical core id
     * @param indexOnDevice its column in the grid
     * @param utilization 0 to 1
     * @param flops floating-point operations per second
     * @param known false when the tab's process publishes no runtime record, so neither its use of this core
     *     nor its FLOPs are known (utilization and flops are then 0 and mean nothing)
     * @param deviceMemory its device memory in use
     * @param hostMemory the host memory its runtime counts against it
     * @param deviceMemoryByCategory the Memory Usage Details category rows, label to bytes
     * @param models the models loaded on it, by any process
     */
    record CoreView(
            int id,
            int indexOnDevice,
            double utilization,
            double flops,
            boolean known,
            long deviceMemory,
            long hostMemory,
            Map<String, Long> deviceMemoryByCategory,
            List<ModelView> models) {}

    /** A loaded model: its id, what it was loaded from, the process that loaded it and its device memory. */
    record ModelView(int modelId, String name, long pid, long deviceMemory) {}

    /**
     * A process using Neuron devices.
     *
     * @param pid its process id
     * @param tag its {@code NEURON_PROCESS_TAG}, or the pid
     * @param command its command line as {@link ProcessName#command} shortens it
     * @param cores its logical cores when it publishes them
     * @param name what its tab says: the tag if set, else the main class ({@link ProcessName#of})
     * @param hasRecord whether it publishes an nrt4j runtime record, so its tab can show its own figures
     */
    record App(long pid, String tag, String command, List<Integer> cores, String name, boolean hasRecord) {}

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
     * The frame of one tab for the time between two readings.
     *
     * @param cores the logical cores to show, of {@code later}'s devices
     * @param version this nrt4j's version, for the title
     * @param pid the process whose tab it is, or empty for the "all" tab; a process not in {@code later}
     *     shows as one without a record
     */
    static TopFrame between(
            MachineSnapshot earlier,
            MachineSnapshot later,
            HostUsage hostEarlier,
            HostUsage hostLater,
            LogicalCores cores,
            String version,
            OptionalLong pid) {
        List<RuntimeRecordView> shown = records(later, pid);
        boolean known = pid.isEmpty() || !shown.isEmpty();
        Map<Integer, List<ModelView>> modelsByCore = new TreeMap<>();
        for (RuntimeRecordView r : shown) {
            for (RuntimeRecordView.LoadedModel m : r.models()) {
                shownCore(later, cores, r, m.core())
                        .ifPresent(id -> modelsByCore
                                .computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new ModelView(m.modelId(), m.name(), r.pid(), m.constants() + m.modelCode())));
            }
        }
        // A process's own figures, by shown core id: which it holds, its memory, its FLOPs over the interval.
        Set<Integer> held = new TreeSet<>();
        Map<Integer, Map<String, Long>> ownMemory = new TreeMap<>();
        Map<Integer, Double> ownFlops = new TreeMap<>();
        if (pid.isPresent()) {
            for (RuntimeRecordView r : shown) {
                r.cores().forEach(c -> shownCore(later, cores, r, c).ifPresent(held::add));
                r.deviceMemory()
                        .forEach((c, byCategory) -> shownCore(later, cores, r, c)
                                .ifPresent(id -> byCategory.forEach((k, v) -> ownMemory
                                        .computeIfAbsent(id, x -> new TreeMap<>())
                                        .merge(k, v, Long::sum))));
                r.flops()
                        .forEach((c, n) -> shownCore(later, cores, r, c)
                                .ifPresent(id -> ownFlops.merge(id, (double) n, Double::sum)));
            }
            for (RuntimeRecordView r : records(earlier, pid)) {
                // The same process's counts then; a runtime opened since counted from 0, one closed since is gone.
                r.flops()
                        .forEach((c, n) -> shownCore(earlier, cores, r, c)
                                .ifPresent(id -> ownFlops.merge(id, -(double) n, Double::sum)));
            }
        }
        double seconds = Math.max(0, later.takenNanos() - earlier.takenNanos()) / 1e9;
        List<DeviceView> devices = new ArrayList<>();
        Map<String, Long> deviceSummary = zeroed(DEVICE_CATEGORIES);
        Map<String, Long> hostSummary = zeroed(HOST_CATEGORIES);
        double utilizationSum = 0;
        double flopsSum = 0;
        int coreCount = 0;
        for (int i = 0; i < later.devices().size(); i++) {
            int device = later.devices().get(i).index();
            List<CoreCounters> counters = later.cores().get(i);
            List<CoreView> views = new ArrayList<>();
            long deviceMemory = 0;
            long coresHostMemory = 0;
            for (LogicalCores.Core c : cores.ofDevice(device)) {
                boolean mine = pid.isEmpty() || held.contains(c.id());
                double u = mine && known ? later.utilization(earlier, device, c.physicalCores()) : 0;
                double flops = !known || seconds == 0
                        ? 0
                        : pid.isEmpty()
                                ? later.flopDelta(earlier, device, c.physicalCores()) / seconds
                                : Math.max(0, ownFlops.getOrDefault(c.id(), 0.0)) / seconds;
                if (mine && known) {
                    utilizationSum += u;
                    flopsSum += flops;
                    coreCount++;
                }
                long mem = 0;
                long host = 0;
                Map<String, Long> byCategory = zeroed(DEVICE_CATEGORIES);
                if (pid.isEmpty()) {
                    for (int p : c.physicalCores()) {
                        CoreCounters cc = counters.get(p);
                        mem += cc.deviceMemory().total();
                        host += cc.hostMemory().total();
                        DEVICE_CATEGORIES.forEach((label, names) ->
                                names.forEach(n -> byCategory.merge(label, cc.deviceMemory(n), Long::sum)));
                    }
                } else {
                    Map<String, Long> own = ownMemory.getOrDefault(c.id(), Map.of());
                    mem = own.values().stream().mapToLong(Long::longValue).sum();
                    DEVICE_CATEGORIES.forEach((label, names) ->
                            names.forEach(n -> byCategory.merge(label, own.getOrDefault(n, 0L), Long::sum)));
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
                        flops,
                        known,
                        mem,
                        host,
                        Collections.unmodifiableMap(byCategory),
                        List.copyOf(modelsByCore.getOrDefault(c.id(), List.of()))));
            }
            long deviceHost = 0;
            if (pid.isEmpty()) {
                Map<String, MemoryCounter> hostMem = later.hostMemory().get(i);
                deviceHost = hostMem.values().stream()
                        .mapToLong(MemoryCounter::total)
                        .sum();
                HOST_CATEGORIES.forEach((label, names) -> names.forEach(n -> hostSummary.merge(
                        label, hostMem.getOrDefault(n, MemoryCounter.ZERO).total(), Long::sum)));
                hostSummary.merge("Total", deviceHost, Long::sum);
            }
            // The device's own host_mem counts what its runtimes allocated; its cores' host_mem may say more.
            devices.add(
                    new DeviceView(device, deviceMemory, Math.max(deviceHost, coresHostMemory), List.copyOf(views)));
        }
        if (pid.isPresent()) {
            // A runtime's host memory is the process's, not any one device's: the summary only.
            for (RuntimeRecordView r : shown) {
                HOST_CATEGORIES.forEach((label, names) -> names.forEach(
                        n -> hostSummary.merge(label, r.hostMemory().getOrDefault(n, 0L), Long::sum)));
                hostSummary.merge("Total", r.hostMemoryTotal(), Long::sum);
            }
        }
        List<App> apps = apps(later);
        List<Long> pids = new ArrayList<>();
        if (pid.isPresent()) {
            pids.add(pid.getAsLong());
        } else {
            apps.forEach(a -> pids.add(a.pid()));
        }
        return new TopFrame(
                title(later, version),
                cores.versionName(),
                coreCount == 0 ? 0 : utilizationSum / coreCount,
                coreCount == 0 ? 0 : flopsSum / coreCount,
                flopsSum,
                List.copyOf(devices),
                Collections.unmodifiableMap(hostSummary),
                Collections.unmodifiableMap(deviceSummary),
                hostLater.cpuShare(hostEarlier, "cpu"),
                hostLater.processShare(hostEarlier, pids),
                hostLater.memoryUsed(),
                hostLater.memoryTotal(),
                apps,
                pid);
    }

    /** The runtime records of {@code s}: all of them, or those of process {@code pid}. */
    private static List<RuntimeRecordView> records(MachineSnapshot s, OptionalLong pid) {
        if (pid.isEmpty()) {
            return s.records();
        }
        List<RuntimeRecordView> out = new ArrayList<>();
        s.records().stream().filter(r -> r.pid() == pid.getAsLong()).forEach(out::add);
        return out;
    }

    /**
     * The id of the shown logical core holding record {@code r}'s core {@code core}: a runtime numbers its
     * cores at its own LNC size, which need not be the one shown. Empty for a core the machine lacks.
     */
    private static Optional<Integer> shownCore(MachineSnapshot s, LogicalCores shown, RuntimeRecordView r, int core) {
        LogicalCores own = r.lnc() == shown.lnc() ? shown : LogicalCores.of(s, r.lnc());
        return own.byId(core).flatMap(c -> shownCore(shown, c));
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
            String command = ProcessName.command(p.command());
            byPid.put(
                    p.pid(),
                    new App(
                            p.pid(),
                            Long.toString(p.pid()),
                            command,
                            List.of(),
                            ProcessName.of(p.command(), "", p.pid()),
                            false));
        }
        for (RuntimeRecordView r : s.records()) {
            App before = byPid.get(r.pid());
            String commandLine = r.command().isEmpty() && before != null ? before.command() : r.command();
            String tag = r.tag().isEmpty() ? Long.toString(r.pid()) : r.tag();
            List<Integer> held = new ArrayList<>();
            if (before != null && before.hasRecord()) {
                // A second runtime of the same process: one tab, every core it holds.
                held.addAll(before.cores());
            }
            held.addAll(r.cores());
            byPid.put(
                    r.pid(),
                    new App(
                            r.pid(),
                            tag,
                            ProcessName.command(commandLine),
                            List.copyOf(held),
                            ProcessName.of(commandLine, tag, r.pid()),
                            true));
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
