package dev.nrt4j.device;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An EC2 instance type with Neuron devices: which chip, how many, how they are linked, and the
 * host's vCPUs and memory. Obtain instances from {@link InstanceCatalog}.
 *
 * <p>Immutable and thread-safe. Two instance types are equal when their names are equal.
 */
public final class InstanceType {
    private final String name;
    private final NeuronChip chip;
    private final int deviceCount;
    private final OptionalInt vcpus;
    private final OptionalLong hostMemoryBytes;
    private final Topology topology;

    InstanceType(
            String name,
            NeuronChip chip,
            int deviceCount,
            OptionalInt vcpus,
            OptionalLong hostMemoryBytes,
            Topology topology) {
        if (topology.deviceCount() != deviceCount) {
            throw new IllegalArgumentException(
                    name + ": topology has " + topology.deviceCount() + " devices, instance has " + deviceCount);
        }
        this.name = name;
        this.chip = chip;
        this.deviceCount = deviceCount;
        this.vcpus = vcpus;
        this.hostMemoryBytes = hostMemoryBytes;
        this.topology = topology;
    }

    /** {@return the EC2 name, lower case, e.g. {@code "trn2.48xlarge"}} */
    public String name() {
        return name;
    }

    /** {@return the chip every Neuron device of this instance carries} */
    public NeuronChip chip() {
        return chip;
    }

    /** {@return the number of Neuron devices (chips) visible in neuron-ls, ids {@code 0 .. deviceCount()-1}} */
    public int deviceCount() {
        return deviceCount;
    }

    /** {@return the number of host vCPUs; empty where AWS has not published them (trn2.3xlarge, trn3)} */
    public OptionalInt vcpus() {
        return vcpus;
    }

    /** {@return the host memory in bytes; empty where AWS has not published it (trn2.3xlarge, trn3)} */
    public OptionalLong hostMemoryBytes() {
        return hostMemoryBytes;
    }

    /** {@return how the devices are linked, in neuron-ls order} */
    public Topology topology() {
        return topology;
    }

    /** {@return whether current Neuron runtimes support this instance type; false for inf1.*} */
    public boolean supported() {
        return chip.supported();
    }

    /** {@return the number of physical NeuronCores on the whole instance} */
    public int physicalCoreCount() {
        return deviceCount * chip.physicalCoresPerChip();
    }

    /** {@return the nominal device memory of one Neuron device, in bytes} */
    public long deviceMemoryBytes() {
        return chip.memoryBytes();
    }

    /** {@return the nominal device memory of all Neuron devices together, in bytes} */
    public long totalDeviceMemoryBytes() {
        return deviceCount * chip.memoryBytes();
    }

    /** {@return the LNC sizes this instance's chip accepts, in increasing order; unmodifiable} */
    public List<Integer> allowedLnc() {
        return chip.allowedLnc();
    }

    /** {@return the LNC size used when none is configured} */
    public int defaultLnc() {
        return chip.defaultLnc();
    }

    /**
     * Logical NeuronCores software sees at LNC size {@code lnc} (trn2.48xlarge: 128 at 1, 64 at 2).
     *
     * @param lnc physical cores per logical core; one of {@link #allowedLnc()}
     * @return the number of logical cores on the whole instance
     * @throws InvalidLncException if the chip does not accept {@code lnc}
     */
    public int visibleCoreCount(int lnc) {
        return physicalCoreCount() / Lnc.resolve(chip, lnc);
    }

    /** {@return the number of logical NeuronCores software sees at the default LNC size} */
    public int defaultVisibleCoreCount() {
        return physicalCoreCount() / chip.defaultLnc();
    }

    /**
     * The logical-core layout at LNC size {@code lnc}.
     *
     * @param lnc physical cores per logical core; one of {@link #allowedLnc()}
     * @return the layout, a new immutable value
     * @throws InvalidLncException if the chip does not accept {@code lnc}
     */
    public LogicalCoreLayout layout(int lnc) {
        return new LogicalCoreLayout(this, Lnc.resolve(chip, lnc));
    }

    /** {@return the logical-core layout at the default LNC size} */
    public LogicalCoreLayout defaultLayout() {
        return new LogicalCoreLayout(this, chip.defaultLnc());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceType && ((InstanceType) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The EC2 name. */
    @Override
    public String toString() {
        return name;
    }
}
