package dev.nrt4j.tools.ls;

import dev.nrt4j.device.NeuronChip;
import dev.nrt4j.device.driver.DriverDevice;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.NeuronProcess;
import dev.nrt4j.device.driver.NeuronProcesses;
import dev.nrt4j.device.driver.PciFunction;
import dev.nrt4j.device.driver.SystemRoot;
import dev.nrt4j.tools.machine.ProcessName;
import dev.nrt4j.tools.machine.RuntimeLibrary;
import dev.nrt4j.tools.machine.RuntimeRecordView;
import dev.nrt4j.tools.machine.RuntimeRecords;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What neuron-ls shows of a machine, read from its driver view: per device the logical cores at the
 * machine's logical core size, memory, links, PCI placement and the processes holding it. Immutable.
 *
 * @param instanceType from DMI, if the machine says
 * @param instanceId from DMI, if the machine says
 * @param lnc the logical core size the cores are counted at
 * @param lncApplies whether the chip has logical core sizes at all (Trn2, Trn3), as the header and JSON show it
 * @param devices in id order
 */
record DeviceListing(
        Optional<String> instanceType, Optional<String> instanceId, int lnc, boolean lncApplies, List<Device> devices) {
    /**
     * One device's line.
     *
     * @param index device id
     * @param coreIds global logical core ids, as NEURON_RT_VISIBLE_CORES counts them
     * @param memoryBytes the chip's device memory, 0 when the chip is unknown
     * @param connected linked devices in the driver's order; empty when none
     * @param pci its PCI function, if known
     * @param processes who holds it
     */
    record Device(
            int index,
            List<Integer> coreIds,
            long memoryBytes,
            List<Integer> connected,
            Optional<PciFunction> pci,
            List<Owner> processes) {}

    /**
     * A process using a device.
     *
     * @param pid process id
     * @param command command line
     * @param runtimeVersion the runtime it runs, as its runtime record says, or {@code NA}
     * @param runtime whether it runs a Neuron runtime (publishes an nrt4j runtime record or has libnrt
     *     loaded), as opposed to only holding a device node, which neuron-ls lists only with {@code -a}
     */
    record Owner(long pid, String command, String runtimeVersion, boolean runtime) {}

    /**
     * Reads {@code root}. {@code lnc} is the logical core size to count at, or null for the one a
     * process on the machine uses (its runtime record says), else the chip's default.
     *
     * @throws dev.nrt4j.device.driver.DriverSysfsException if a driver file is malformed
     */
    static DeviceListing read(SystemRoot root, Integer lnc, Consumer<String> warnings) {
        DriverSysfs sysfs = new DriverSysfs(root, warnings);
        List<DriverDevice> found = sysfs.devices();
        List<RuntimeRecordView> records = RuntimeRecords.read(root, warnings);
        Map<Long, String> versions = new HashMap<>();
        Map<Long, String> tags = new HashMap<>();
        records.forEach(r -> {
            versions.put(r.pid(), r.runtimeVersion());
            tags.put(r.pid(), r.tag());
        });
        Optional<NeuronChip> chip =
                found.isEmpty() ? Optional.empty() : found.get(0).chip();
        boolean lncApplies = chip.map(c -> c.allowedLnc().size() > 1).orElse(false);
        int size = 1;
        if (lncApplies) {
            size = lnc != null
                    ? lnc
                    : records.isEmpty()
                            ? chip.get().defaultLnc()
                            : records.get(0).lnc();
            if (!chip.get().acceptsLnc(size)) {
                throw new IllegalArgumentException(chip.get().displayName() + " accepts logical core sizes "
                        + chip.get().allowedLnc() + ", not " + size);
            }
        }
        List<NeuronProcess> processes = NeuronProcesses.scan(root);
        List<Device> devices = new ArrayList<>();
        int firstCore = 0;
        for (DriverDevice d : found) {
            int logical = d.physicalCoreCount() / size;
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < logical; i++) {
                ids.add(firstCore + i);
            }
            firstCore += logical;
            List<Owner> owners = new ArrayList<>();
            for (NeuronProcess p : processes) {
                if (p.devices().contains(d.index())) {
                    owners.add(new Owner(
                            p.pid(),
                            ProcessName.of(p.command(), tags.get(p.pid()), p.pid()),
                            versions.getOrDefault(p.pid(), "NA"),
                            versions.containsKey(p.pid()) || RuntimeLibrary.loadedBy(root, p.pid())));
                }
            }
            devices.add(new Device(
                    d.index(),
                    ids,
                    d.chip().map(NeuronChip::memoryBytes).orElse(0L),
                    d.connectedDevices(),
                    d.pci(),
                    owners));
        }
        return new DeviceListing(sysfs.instanceType(), sysfs.instanceId(), size, lncApplies, devices);
    }

    /**
     * This listing with only the processes that run a Neuron runtime, as neuron-ls shows them without
     * {@code -a}; itself when {@code all}.
     */
    DeviceListing processes(boolean all) {
        if (all) {
            return this;
        }
        List<Device> kept = new ArrayList<>();
        for (Device d : devices) {
            kept.add(new Device(
                    d.index(),
                    d.coreIds(),
                    d.memoryBytes(),
                    d.connected(),
                    d.pci(),
                    d.processes().stream().filter(Owner::runtime).toList()));
        }
        return new DeviceListing(instanceType, instanceId, lnc, lncApplies, kept);
    }

    /** Whether any device has links; neuron-ls leaves out CONNECTED DEVICES otherwise. */
    boolean anyLinks() {
        return devices.stream().anyMatch(d -> !d.connected().isEmpty());
    }

    /** Whether any device has users; neuron-ls leaves out the process columns otherwise. */
    boolean anyProcesses() {
        return devices.stream().anyMatch(d -> !d.processes().isEmpty());
    }
}
