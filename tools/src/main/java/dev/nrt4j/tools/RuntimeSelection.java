package dev.nrt4j.tools;

import dev.nrt4j.RuntimeOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that opens a runtime shares: the {@link MachineSelection machine} and the
 * cores to claim on it. Unset options fall back, as in the library, to the {@code nrt4j.*} system
 * properties and the {@code NEURON_RT_*} environment variables.
 */
public final class RuntimeSelection {
    @Mixin
    MachineSelection machine;

    @Option(
            names = "--visible-cores",
            paramLabel = "SET",
            description = "Logical cores to claim, as NEURON_RT_VISIBLE_CORES: 3, 0-3, 3-5,6.")
    String visibleCores;

    @Option(
            names = "--num-cores",
            paramLabel = "N",
            description = "Number of cores to claim, as NEURON_RT_NUM_CORES (0: all).")
    Integer numCores;

    /** The --lnc given, or null. */
    public Integer lnc() {
        return machine.lnc();
    }

    /** The options these flags (and the nrt4j.* properties, NEURON_RT_* variables) select. */
    public RuntimeOptions toOptions() {
        RuntimeOptions.Builder b = machine.toBuilder();
        if (visibleCores != null) {
            b.visibleCores(visibleCores);
        }
        if (numCores != null) {
            b.numCores(numCores);
        }
        return b.build();
    }
}
