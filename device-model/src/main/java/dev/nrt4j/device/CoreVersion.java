package dev.nrt4j.device;

/**
 * A NeuronCore generation, with its names as the driver's sysfs and the Neuron tools print them.
 *
 * <p>Immutable and thread-safe.
 */
public enum CoreVersion {
    /** NeuronCore-v1 (Inferentia). */
    V1(1),
    /** NeuronCore-v2 (Inferentia2, Trainium). */
    V2(2),
    /** NeuronCore-v3 (Trainium2). */
    V3(3),
    /** NeuronCore-v4 (Trainium3). */
    V4(4);

    private final int generation;

    CoreVersion(int generation) {
        this.generation = generation;
    }

    /** {@return the generation number: 1 for NeuronCore-v1, and so on} */
    public int generation() {
        return generation;
    }

    /**
     * {@return the core's {@code arch_type} as the driver writes it in sysfs
     * ({@code neuron_core<n>/info/architecture/arch_type}), e.g. {@code "NCv2"}}
     */
    public String sysfsArchType() {
        return "NCv" + generation;
    }

    /**
     * The core version as neuron-top and neuron-monitor print it for a logical core of the given
     * LNC size: {@code "v2"}, {@code "v3"}, and {@code "v3d"} for a Trainium2 logical core of two
     * physical cores. The {@code "d"} suffix for v4 at LNC=2 ({@code "v4d"}) is inferred by analogy;
     * no published sample shows it.
     *
     * @param lnc physical cores per logical core, 1 or 2
     * @return the tool's name for the version, e.g. {@code "v3d"}
     * @throws IllegalArgumentException if {@code lnc} is neither 1 nor 2
     */
    public String toolName(int lnc) {
        if (lnc == 1) {
            return "v" + generation;
        }
        if (lnc == 2) {
            return "v" + generation + "d";
        }
        throw new IllegalArgumentException("an LNC size is 1 or 2, not " + lnc);
    }
}
