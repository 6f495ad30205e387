package dev.nrt4j;

import java.util.List;
import java.util.Objects;

/**
 * A logical NeuronCore this runtime claimed. {@link #index()} is what the API takes (cores are
 * numbered from 0 inside the process, whatever {@code NEURON_RT_VISIBLE_CORES} selected);
 * {@link #globalId()} is the instance-wide id that tools and the visible-core set use.
 * Immutable and thread-safe.
 */
public final class NeuronCore {
    private final int index;
    private final int globalId;
    private final int device;
    private final List<Integer> physicalCores;
    private final int hbmStack;
    private final long hbmBytes;

    /**
     * Describes a claimed core; backends build these when they open, applications only read them.
     *
     * @param index index inside this runtime, from 0
     * @param globalId instance-wide logical core id
     * @param device the device it is on
     * @param physicalCores the physical cores (indices on the device) it groups; copied, not null
     * @param hbmStack index on the device of the HBM stack it allocates from
     * @param hbmBytes capacity of that stack (shared with other cores when they use the same stack)
     * @throws NullPointerException if {@code physicalCores} or an element is null
     */
    public NeuronCore(int index, int globalId, int device, List<Integer> physicalCores, int hbmStack, long hbmBytes) {
        this.index = index;
        this.globalId = globalId;
        this.device = device;
        this.physicalCores = List.copyOf(Objects.requireNonNull(physicalCores));
        this.hbmStack = hbmStack;
        this.hbmBytes = hbmBytes;
    }

    /** {@return the index inside this runtime, from 0: what the API's {@code core} parameters take} */
    public int index() {
        return index;
    }

    /** {@return the instance-wide logical core id, as {@code NEURON_RT_VISIBLE_CORES} and the tools number it} */
    public int globalId() {
        return globalId;
    }

    /** {@return the index of the device the core is on} */
    public int device() {
        return device;
    }

    /** {@return the physical cores (indices on the device) this logical core groups; unmodifiable} */
    public List<Integer> physicalCores() {
        return physicalCores;
    }

    /** {@return the index on its device of the HBM stack the core allocates from} */
    public int hbmStack() {
        return hbmStack;
    }

    /** {@return the capacity of that HBM stack in bytes (shared with any other core on the same stack)} */
    public long hbmBytes() {
        return hbmBytes;
    }

    @Override
    public String toString() {
        return "core " + index + " (nc" + globalId + " on neuron" + device + ", physical " + physicalCores + ")";
    }
}
