package dev.nrt4j.tools.machine;

import dev.nrt4j.device.driver.CoreCounters;
import dev.nrt4j.device.driver.DriverDevice;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.MemoryCounter;
import dev.nrt4j.device.driver.NeuronProcess;
import dev.nrt4j.device.driver.NeuronProcesses;
import dev.nrt4j.device.driver.SystemRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Everything the monitoring commands show, read at one moment: the devices, every physical core's
 * counters, each device's host memory, who holds device nodes, and the runtime records. Two snapshots
 * give rates (utilization is the growth of {@code nc_time_in_use} over the time between them), so
 * another process's work shows as well as this one's. Immutable.
 *
 * @param takenNanos {@link System#nanoTime()} when it was taken
 * @param takenMillis epoch ms when it was taken
 * @param instanceType the instance type DMI names, if any
 * @param instanceId the instance id DMI names, if any
 * @param devices the devices in id order
 * @param cores per device, per physical core, its counters
 * @param hostMemory per device, bytes by host memory category
 * @param processes the processes holding device nodes
 * @param records the nrt4j runtime records of live processes
 */
public record MachineSnapshot(
        long takenNanos,
        long takenMillis,
        Optional<String> instanceType,
        Optional<String> instanceId,
        List<DriverDevice> devices,
        List<List<CoreCounters>> cores,
        List<Map<String, MemoryCounter>> hostMemory,
        List<NeuronProcess> processes,
        List<RuntimeRecordView> records) {
    /**
     * Reads {@code root} now. A junk counter reads as 0 and a runtime record that does not hold up is left
     * out, each with a line to {@code warnings} (see {@link DriverSysfs#DriverSysfs(SystemRoot, Consumer)}
     * and {@link RuntimeRecords}).
     *
     * @param root the machine
     * @param warnings receives one line per counter or record skipped
     * @return the snapshot
     * @throws dev.nrt4j.device.driver.DriverSysfsException if a device's identity files are malformed
     */
    public static MachineSnapshot take(SystemRoot root, Consumer<String> warnings) {
        DriverSysfs sysfs = new DriverSysfs(root, warnings);
        long nanos = System.nanoTime();
        long millis = System.currentTimeMillis();
        List<DriverDevice> devices = sysfs.devices();
        List<List<CoreCounters>> cores = new ArrayList<>();
        List<Map<String, MemoryCounter>> host = new ArrayList<>();
        for (DriverDevice d : devices) {
            List<CoreCounters> perCore = new ArrayList<>();
            for (int k = 0; k < d.physicalCoreCount(); k++) {
                perCore.add(sysfs.counters(d.index(), k));
            }
            cores.add(List.copyOf(perCore));
            host.add(Map.copyOf(sysfs.hostMemory(d.index())));
        }
        return new MachineSnapshot(
                nanos,
                millis,
                sysfs.instanceType(),
                sysfs.instanceId(),
                List.copyOf(devices),
                List.copyOf(cores),
                List.copyOf(host),
                NeuronProcesses.scan(root),
                RuntimeRecords.read(root, warnings));
    }

    /** The position of device {@code id} in {@link #devices()}, or -1. */
    public int position(int deviceId) {
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).index() == deviceId) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The floating-point operations the given physical cores of a device executed between {@code earlier}
     * and this snapshot: the growth of their driver {@code flop_count} counters (2 per multiply-accumulate),
     * summed, since each physical core of a logical one counts its own. A counter that went down (reset by
     * a write) adds nothing. 0 when either snapshot lacks the device.
     */
    public long flopDelta(MachineSnapshot earlier, int deviceId, List<Integer> physicalCores) {
        int now = position(deviceId);
        int then = earlier.position(deviceId);
        if (now < 0 || then < 0) {
            return 0;
        }
        long sum = 0;
        for (int k : physicalCores) {
            // Each flop_count is from 0 to Long.MAX_VALUE (DriverSysfs.FLOP_COUNTER_MAX), so a difference
            // cannot overflow; a sum of large ones (a counter reset, or junk read as 0 once) saturates.
            long grew = Math.max(
                    0,
                    cores.get(now).get(k).otherInfo("flop_count")
                            - earlier.cores.get(then).get(k).otherInfo("flop_count"));
            sum = grew > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + grew;
        }
        return sum;
    }

    /**
     * The share of the time between {@code earlier} and this snapshot that the given physical cores of a
     * device spent executing, 0 to 1: that of the busiest of them. A logical core at LNC=2 is two physical
     * cores executing together; the reference device counts the time on the first and hardware may count
     * it on each, so the busiest one's time is the logical core's either way (a sum would double it on
     * hardware, a mean halve it on the reference device). Pass all of them.
     */
    public double utilization(MachineSnapshot earlier, int deviceId, List<Integer> physicalCores) {
        return utilization(earlier, deviceId, physicalCores, takenNanos - earlier.takenNanos)
                .orElse(0);
    }

    /**
     * As {@link #utilization(MachineSnapshot, int, List)}, as a share of {@code intervalNanos} instead of the
     * time between the snapshots: for snapshots that bracket a measured run with idle time around it.
     * Empty when either snapshot lacks the device or the interval is empty.
     */
    public OptionalDouble utilization(
            MachineSnapshot earlier, int deviceId, List<Integer> physicalCores, long intervalNanos) {
        int now = position(deviceId);
        int then = earlier.position(deviceId);
        long intervalMicros = intervalNanos / 1000;
        if (now < 0 || then < 0 || intervalMicros <= 0) {
            return OptionalDouble.empty();
        }
        long busy = 0;
        for (int k : physicalCores) {
            busy = Math.max(
                    busy,
                    cores.get(now).get(k).otherInfo("nc_time_in_use")
                            - earlier.cores.get(then).get(k).otherInfo("nc_time_in_use"));
        }
        return OptionalDouble.of(Math.max(0, Math.min(1, (double) busy / intervalMicros)));
    }
}
