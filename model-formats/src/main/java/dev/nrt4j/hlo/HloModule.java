package dev.nrt4j.hlo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An HLO module, as read from an {@code HloModuleProto} or HLO text: its computations (callees before
 * callers), the entry computation, and how many replicas and partitions it was written for.
 * Immutable and thread-safe.
 */
public final class HloModule {
    private final String name;
    private final List<HloComputation> computations;
    private final HloComputation entry;
    private final int replicaCount;
    private final int partitionCount;

    HloModule(
            String name,
            List<HloComputation> computations,
            HloComputation entry,
            int replicaCount,
            int partitionCount) {
        this.name = Objects.requireNonNull(name);
        this.computations = List.copyOf(computations);
        this.entry = Objects.requireNonNull(entry);
        this.replicaCount = replicaCount;
        this.partitionCount = partitionCount;
    }

    /** The module's name. */
    public String name() {
        return name;
    }

    /** Every computation; callees come before their callers. */
    public List<HloComputation> computations() {
        return computations;
    }

    /** The computation the module runs. */
    public HloComputation entry() {
        return entry;
    }

    /** The computation with this name, if any. */
    public Optional<HloComputation> computation(String computationName) {
        return computations.stream()
                .filter(c -> c.name().equals(computationName))
                .findFirst();
    }

    /** Replicas the module was written for (1 unless it has cross-replica collectives). */
    public int replicaCount() {
        return replicaCount;
    }

    /** Partitions the module was written for (1 unless SPMD-partitioned). */
    public int partitionCount() {
        return partitionCount;
    }

    /** Number of instructions in all computations. */
    public long instructionCount() {
        return computations.stream().mapToLong(c -> c.instructions().size()).sum();
    }

    @Override
    public String toString() {
        return "HloModule " + name + " (" + computations.size() + " computations, entry " + entry.name() + ")";
    }
}
