package dev.nrt4j.device;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The logical NeuronCores of an instance type at one LNC size: how many there are, which device
 * and physical cores each one is, and which HBM stack it draws from. Obtain one from
 * {@link InstanceType#layout(int)}.
 *
 * <p>Rules: logical ids are global and contiguous per device in device order, so device {@code d}
 * holds ids {@code d*k .. d*k+k-1} with {@code k = physical cores per chip / LNC}. A logical core
 * with local index {@code i} groups physical cores {@code i*LNC .. i*LNC+LNC-1}. That pairing of
 * physical cores {@code (2h, 2h+1)} at LNC=2 is inferred from the published HBM-sharing rule and
 * the runtime's OOM log; the driver applies a further physical permutation ("seng swap") that
 * applications never see, so the indices here are the ones the runtime reports, not silicon
 * positions. On Trainium2 at LNC=2 each logical core owns one HBM stack; at LNC=1 logical cores
 * {@code 2h} and {@code 2h+1} of a device share stack {@code h}. On Inferentia2 and Trainium,
 * stack {@code c} belongs to core {@code c}.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogicalCoreLayout {
    private final InstanceType instanceType;
    private final int lnc;
    private final int perDevice;

    LogicalCoreLayout(InstanceType instanceType, int lnc) {
        this.instanceType = instanceType;
        this.lnc = lnc;
        this.perDevice = instanceType.chip().physicalCoresPerChip() / lnc;
    }

    /** {@return the instance type this layout describes} */
    public InstanceType instanceType() {
        return instanceType;
    }

    /** {@return the LNC size: physical cores per logical core} */
    public int lnc() {
        return lnc;
    }

    /** {@return the number of logical cores on the whole instance; ids run {@code 0 .. logicalCoreCount()-1}} */
    public int logicalCoreCount() {
        return perDevice * instanceType.deviceCount();
    }

    /** {@return the number of logical cores on each device} */
    public int logicalCoresPerDevice() {
        return perDevice;
    }

    /**
     * {@return the core version as neuron-top prints it for these logical cores: {@code "v2"},
     * {@code "v3"}, or {@code "v3d"} for Trainium2 at LNC=2}
     */
    public String coreVersionName() {
        return instanceType.chip().coreVersion().toolName(lnc);
    }

    /**
     * The global logical core ids on {@code device}, ascending; unmodifiable.
     *
     * @param device the device index, {@code 0 <= device < instanceType().deviceCount()}
     * @return {@link #logicalCoresPerDevice()} consecutive ids
     * @throws IllegalArgumentException if {@code device} is not a device of the instance
     */
    public List<Integer> coreIdsOfDevice(int device) {
        if (device < 0 || device >= instanceType.deviceCount()) {
            throw new IllegalArgumentException(
                    instanceType.name() + " has devices 0-" + (instanceType.deviceCount() - 1) + ", not " + device);
        }
        return range(device * perDevice, perDevice);
    }

    /**
     * The device holding logical core {@code logicalCore}.
     *
     * @param logicalCore a global logical core id, {@code 0 <= logicalCore < logicalCoreCount()}
     * @return the device index
     * @throws IllegalArgumentException if {@code logicalCore} is not a logical core of this layout
     */
    public int deviceOf(int logicalCore) {
        check(logicalCore);
        return logicalCore / perDevice;
    }

    /**
     * The device-local physical core indices that logical core {@code logicalCore} groups,
     * ascending; unmodifiable.
     *
     * @param logicalCore a global logical core id, {@code 0 <= logicalCore < logicalCoreCount()}
     * @return {@link #lnc()} consecutive physical core indices on the core's device
     * @throws IllegalArgumentException if {@code logicalCore} is not a logical core of this layout
     */
    public List<Integer> physicalCoresOf(int logicalCore) {
        check(logicalCore);
        return range((logicalCore % perDevice) * lnc, lnc);
    }

    /**
     * The device-local HBM stack logical core {@code logicalCore} allocates from.
     *
     * @param logicalCore a global logical core id, {@code 0 <= logicalCore < logicalCoreCount()}
     * @return the stack's index on the core's device
     * @throws IllegalArgumentException if {@code logicalCore} is not a logical core of this layout
     */
    public int hbmStackOf(int logicalCore) {
        return instanceType
                .chip()
                .hbmStackOfPhysicalCore(physicalCoresOf(logicalCore).get(0));
    }

    /**
     * The global ids of the logical cores that allocate from the same HBM stack as
     * {@code logicalCore}, including itself, ascending; unmodifiable. Memory on a shared stack has
     * no fixed split: one core can exhaust it for the other.
     *
     * @param logicalCore a global logical core id, {@code 0 <= logicalCore < logicalCoreCount()}
     * @return the sharing cores' global ids; just {@code logicalCore} when it has the stack to itself
     * @throws IllegalArgumentException if {@code logicalCore} is not a logical core of this layout
     */
    public List<Integer> coresSharingHbmStack(int logicalCore) {
        int device = deviceOf(logicalCore);
        int stack = hbmStackOf(logicalCore);
        return coreIdsOfDevice(device).stream()
                .filter(other -> hbmStackOf(other) == stack)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Everything about logical core {@code id}.
     *
     * @param id a global logical core id, {@code 0 <= id < logicalCoreCount()}
     * @return the core's device, physical cores and HBM stack
     * @throws IllegalArgumentException if {@code id} is not a logical core of this layout
     */
    public LogicalCore core(int id) {
        return new LogicalCore(
                id,
                deviceOf(id),
                id % perDevice,
                physicalCoresOf(id),
                hbmStackOf(id),
                instanceType.chip().hbmStackBytes());
    }

    /** {@return every logical core, by id; unmodifiable} */
    public List<LogicalCore> cores() {
        List<LogicalCore> all = new ArrayList<>(logicalCoreCount());
        for (int id = 0; id < logicalCoreCount(); id++) {
            all.add(core(id));
        }
        return List.copyOf(all);
    }

    private void check(int logicalCore) {
        if (logicalCore < 0 || logicalCore >= logicalCoreCount()) {
            throw new IllegalArgumentException("logical core " + logicalCore + " does not exist on "
                    + instanceType.name() + " at LNC=" + lnc + "; logical cores are 0-" + (logicalCoreCount() - 1));
        }
    }

    private static List<Integer> range(int first, int count) {
        return IntStream.range(first, first + count).boxed().collect(Collectors.toUnmodifiableList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogicalCoreLayout
                && ((LogicalCoreLayout) o).instanceType.equals(instanceType)
                && ((LogicalCoreLayout) o).lnc == lnc;
    }

    @Override
    public int hashCode() {
        return instanceType.hashCode() * 31 + lnc;
    }

    @Override
    public String toString() {
        return instanceType.name() + " at LNC=" + lnc + ": " + logicalCoreCount() + " logical cores";
    }
}
