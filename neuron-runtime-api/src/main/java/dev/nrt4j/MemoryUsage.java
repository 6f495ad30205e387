package dev.nrt4j;

/**
 * The device memory of one core as its runtime sees it: how many bytes this process's tensors and
 * models hold on the core's memory, and how many the core may use. A snapshot, taken by
 * {@link NeuronRuntime#memoryUsage(int)}; immutable and thread-safe.
 *
 * <p>Cores that share an HBM stack (trn2 at LNC=1, for instance) share its figures: memory allocated on
 * one shows on the other, as libnrt's {@code nrt_get_vnc_memory_stats} reports it. What other processes
 * hold is not counted; {@code nrt4j top} reads the driver's counters for that.
 */
public final class MemoryUsage {
    private final long usedBytes;
    private final long limitBytes;

    /**
     * A reading; backends build them.
     *
     * @param usedBytes bytes in use, 0 or more
     * @param limitBytes bytes the core may use, 0 or more (0 when the backend does not know)
     * @throws IllegalArgumentException if either is negative
     */
    public MemoryUsage(long usedBytes, long limitBytes) {
        if (usedBytes < 0 || limitBytes < 0) {
            throw new IllegalArgumentException(
                    "memory figures are 0 or more, not used=" + usedBytes + ", limit=" + limitBytes);
        }
        this.usedBytes = usedBytes;
        this.limitBytes = limitBytes;
    }

    /** {@return the bytes in use on the core's memory by this process's tensors and models} */
    public long usedBytes() {
        return usedBytes;
    }

    /** {@return the bytes the core may use in all (its HBM stack's capacity or libnrt's limit), 0 if unknown} */
    public long limitBytes() {
        return limitBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryUsage
                && ((MemoryUsage) o).usedBytes == usedBytes
                && ((MemoryUsage) o).limitBytes == limitBytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(usedBytes) * 31 + Long.hashCode(limitBytes);
    }

    @Override
    public String toString() {
        return usedBytes + " of " + limitBytes + " bytes";
    }
}
