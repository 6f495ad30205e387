package dev.nrt4j.tools;

import dev.nrt4j.RuntimeOptions;
import picocli.CommandLine.Option;

/**
 * The options that say which machine a command looks at: backend, imitated instance type, state
 * directory and LNC. Commands that only observe ({@code ls}) take these alone; commands that open a
 * runtime and claim cores take them through {@link RuntimeSelection}. Unset options fall back, as in the
 * library, to the {@code nrt4j.*} system properties and the {@code NEURON_RT_*} environment variables.
 */
public final class MachineSelection {
    @Option(
            names = "--backend",
            paramLabel = "NAME",
            description = "Backend to use: native or reference (default: native when present, else reference).")
    String backend;

    @Option(
            names = "--instance-type",
            paramLabel = "TYPE",
            description = "Instance type the reference device imitates (default trn1.2xlarge).")
    String instanceType;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Where the reference device keeps its simulated machines (default: NRT4J_STATE_DIR, else $XDG_RUNTIME_DIR/nrt4j, else <tmp>/nrt4j-<uid>).")
    java.nio.file.Path stateDir;

    @Option(
            names = "--lnc",
            paramLabel = "N",
            description = "Physical cores per logical core, 1 or 2 (Trn2/Trn3), as NEURON_LOGICAL_NC_CONFIG.")
    Integer lnc;

    /** The --lnc given, or null. */
    public Integer lnc() {
        return lnc;
    }

    /** A builder with the options these flags select. */
    RuntimeOptions.Builder toBuilder() {
        RuntimeOptions.Builder b = RuntimeOptions.builder();
        if (backend != null) {
            b.backend(backend);
        }
        if (instanceType != null) {
            b.instanceType(instanceType);
        }
        if (lnc != null) {
            b.lnc(lnc);
        }
        if (stateDir != null) {
            b.stateDir(stateDir.toAbsolutePath());
        }
        return b;
    }

    /** The options these flags (and the nrt4j.* properties, NEURON_RT_* variables) select. */
    public RuntimeOptions toOptions() {
        return toBuilder().build();
    }
}
