package dev.nrt4j;

import java.util.List;
import java.util.Objects;

/**
 * One Neuron device (chip) of the machine, as neuron-ls lists it: its chip, its cores, its memory and
 * the devices it is linked to. Immutable and thread-safe.
 */
public final class NeuronDevice {
    private final int index;
    private final String chip;
    private final String coreVersion;
    private final int physicalCoreCount;
    private final List<Integer> logicalCoreIds;
    private final long memoryBytes;
    private final List<Integer> connectedDevices;

    /**
     * Describes a device; backends build these when they open, applications only read them.
     *
     * @param index device index, as in {@code /dev/neuron<index>}
     * @param chip the chip's name, e.g. {@code Trainium2}; not null
     * @param coreVersion NeuronCore version as the tools print it, e.g. {@code v3}; not null
     * @param physicalCoreCount physical NeuronCores on the chip
     * @param logicalCoreIds instance-wide logical core ids on this device at the current LNC; copied, not null
     * @param memoryBytes device memory (HBM) in bytes
     * @param connectedDevices linked devices in the order neuron-ls prints them; copied, not null
     * @throws NullPointerException if an argument, or an element of a list, is null
     */
    public NeuronDevice(
            int index,
            String chip,
            String coreVersion,
            int physicalCoreCount,
            List<Integer> logicalCoreIds,
            long memoryBytes,
            List<Integer> connectedDevices) {
        this.index = index;
        this.chip = Objects.requireNonNull(chip);
        this.coreVersion = Objects.requireNonNull(coreVersion);
        this.physicalCoreCount = physicalCoreCount;
        this.logicalCoreIds = List.copyOf(logicalCoreIds);
        this.memoryBytes = memoryBytes;
        this.connectedDevices = List.copyOf(connectedDevices);
    }

    /** {@return the device index, as in {@code /dev/neuron<index>}} */
    public int index() {
        return index;
    }

    /** {@return the chip's name, e.g. {@code Trainium2}} */
    public String chip() {
        return chip;
    }

    /** {@return the NeuronCore version as the tools print it, e.g. {@code v2}, {@code v3d}} */
    public String coreVersion() {
        return coreVersion;
    }

    /** {@return the number of physical NeuronCores on the chip} */
    public int physicalCoreCount() {
        return physicalCoreCount;
    }

    /** {@return the instance-wide logical core ids on this device (what {@code NEURON_RT_VISIBLE_CORES} names); unmodifiable} */
    public List<Integer> logicalCoreIds() {
        return logicalCoreIds;
    }

    /** {@return the device memory (HBM) in bytes} */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** {@return the indices of the devices linked to this one, in the order neuron-ls prints them; unmodifiable} */
    public List<Integer> connectedDevices() {
        return connectedDevices;
    }

    @Override
    public String toString() {
        return "neuron" + index + " (" + chip + ", " + logicalCoreIds.size() + " cores, " + memoryBytes + " bytes)";
    }
}
