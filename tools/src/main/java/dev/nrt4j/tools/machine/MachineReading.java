package dev.nrt4j.tools.machine;

import dev.nrt4j.device.driver.DriverDevice;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.NeuronProcess;
import dev.nrt4j.device.driver.SystemRoot;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One reading of a machine for the monitoring commands: the Neuron side ({@link MachineSnapshot}) and the
 * host side ({@link HostUsage}, with the CPU time of every process using Neuron devices), taken one right
 * after the other. Immutable.
 *
 * @param machine devices, counters, processes and runtime records
 * @param host CPU and memory of the host
 * @param hardware per device id, its hardware error counters ({@code stats/hardware})
 */
public record MachineReading(MachineSnapshot machine, HostUsage host, Map<Integer, Map<String, Long>> hardware) {
    public MachineReading {
        hardware = Map.copyOf(hardware);
    }

    /**
     * Reads {@code root} now; junk counters and records are skipped as {@link MachineSnapshot#take} says.
     *
     * @param root the machine
     * @param warnings receives one line per counter or record skipped
     * @return the reading
     * @throws dev.nrt4j.device.driver.DriverSysfsException if a device's identity files are malformed
     */
    public static MachineReading take(SystemRoot root, Consumer<String> warnings) {
        MachineSnapshot s = MachineSnapshot.take(root, warnings);
        DriverSysfs sysfs = new DriverSysfs(root, warnings);
        Map<Integer, Map<String, Long>> hardware = new LinkedHashMap<>();
        for (DriverDevice d : s.devices()) {
            hardware.put(d.index(), Map.copyOf(sysfs.hardwareCounters(d.index())));
        }
        return new MachineReading(s, HostUsage.read(root.proc(), neuronPids(s)), hardware);
    }

    /** The pids of the processes holding device nodes or publishing runtime records. */
    public static List<Long> neuronPids(MachineSnapshot s) {
        Set<Long> pids = new LinkedHashSet<>();
        s.processes().stream().map(NeuronProcess::pid).forEach(pids::add);
        s.records().forEach(r -> pids.add(r.pid()));
        return List.copyOf(pids);
    }
}
