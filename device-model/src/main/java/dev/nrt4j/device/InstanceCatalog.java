package dev.nrt4j.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Every EC2 instance type with Neuron devices that nrt4j knows: inf1.* (listed but unsupported),
 * inf2.*, trn1.*, trn1n.32xlarge, trn2.3xlarge, trn2.48xlarge, trn2u.48xlarge and trn3.48xlarge.
 *
 * <p>Stateless and thread-safe; the catalog is built once and never changes.
 */
public final class InstanceCatalog {
    private static final Map<String, InstanceType> TYPES = build();

    private InstanceCatalog() {}

    private static Map<String, InstanceType> build() {
        Map<String, InstanceType> m = new LinkedHashMap<>();
        // Inf1: chain order [next, previous] is what neuron-ls printed on inf1.6xlarge.
        add(m, "inf1.xlarge", NeuronChip.INFERENTIA, 1, 4, 8, Topology.single());
        add(m, "inf1.2xlarge", NeuronChip.INFERENTIA, 1, 8, 16, Topology.single());
        add(m, "inf1.6xlarge", NeuronChip.INFERENTIA, 4, 24, 48, Topology.chainNextFirst(4));
        // Inf1 firmware discovers east/west partners at boot; the 16-chip graph was never published.
        add(m, "inf1.24xlarge", NeuronChip.INFERENTIA, 16, 96, 192, Topology.unpublished(16));

        add(m, "inf2.xlarge", NeuronChip.INFERENTIA2, 1, 4, 16, Topology.single());
        add(m, "inf2.8xlarge", NeuronChip.INFERENTIA2, 1, 32, 128, Topology.single());
        add(m, "inf2.24xlarge", NeuronChip.INFERENTIA2, 6, 96, 384, Topology.chainPreviousFirst(6));
        add(m, "inf2.48xlarge", NeuronChip.INFERENTIA2, 12, 192, 768, Topology.ring(12));

        add(m, "trn1.2xlarge", NeuronChip.TRAINIUM, 1, 8, 32, Topology.single());
        add(m, "trn1.32xlarge", NeuronChip.TRAINIUM, 16, 128, 512, Topology.torus4x4());
        // trn1n differs from trn1 in EFA (16 x 100 Gbps); an older table also gave it 768 GB/s of
        // NeuronLink against trn1's 384, but the current table's rows are misaligned (X), so the
        // chip-level 384 GB/s stands for both.
        add(m, "trn1n.32xlarge", NeuronChip.TRAINIUM, 16, 128, 512, Topology.torus4x4());

        // trn2.3xlarge: one chip (4 cores at LNC=2, 96 GiB) is corroborated; vCPUs and host
        // memory are not published, so they stay empty rather than guessed.
        m.put(
                "trn2.3xlarge",
                new InstanceType(
                        "trn2.3xlarge",
                        NeuronChip.TRAINIUM2,
                        1,
                        OptionalInt.empty(),
                        OptionalLong.empty(),
                        Topology.single()));
        add(m, "trn2.48xlarge", NeuronChip.TRAINIUM2, 16, 192, 2_048, Topology.torus4x4());
        // Inside one trn2u.48xlarge the devices form the same torus; the UltraServer ring across
        // four nodes is outside what one instance sees.
        add(m, "trn2u.48xlarge", NeuronChip.TRAINIUM2, 16, 192, 2_048, Topology.torus4x4());

        // Inferred: the name comes from the driver's platform table (no public spec page); the 16
        // chips from a Trn3 tutorial that runs 64 logical cores at LNC=2 on one instance; the
        // all-to-all NeuronSwitch graph from the Trn3 UltraServer page. vCPUs and host memory are
        // left empty because the Gen1 and Gen2 per-server figures disagree.
        m.put(
                "trn3.48xlarge",
                new InstanceType(
                        "trn3.48xlarge",
                        NeuronChip.TRAINIUM3,
                        16,
                        OptionalInt.empty(),
                        OptionalLong.empty(),
                        Topology.switched(16)));
        return m;
    }

    private static void add(
            Map<String, InstanceType> m,
            String name,
            NeuronChip chip,
            int devices,
            int vcpus,
            long hostGib,
            Topology topology) {
        m.put(
                name,
                new InstanceType(
                        name, chip, devices, OptionalInt.of(vcpus), OptionalLong.of(hostGib * Units.GIB), topology));
    }

    /** {@return every known instance type, in catalog order (by family, then size); unmodifiable} */
    public static List<InstanceType> all() {
        return List.copyOf(TYPES.values());
    }

    /** {@return every known instance type name, lower case, in catalog order; unmodifiable} */
    public static List<String> names() {
        return List.copyOf(TYPES.keySet());
    }

    /**
     * The instance type called {@code name}, if known. Surrounding whitespace and letter case are
     * ignored, so a name read from a file or typed as {@code "Trn1.2xlarge"} still matches.
     *
     * @param name the instance type name, e.g. {@code trn1.2xlarge}; null finds nothing
     * @return the type, or empty when the name is null or unknown (inf1 types are found, though unsupported)
     */
    public static Optional<InstanceType> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(TYPES.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * The instance type called {@code name}, matched as {@link #find(String)} does.
     *
     * @param name the instance type name, e.g. {@code trn1.2xlarge}; null is reported as unknown
     * @return the type
     * @throws UnknownInstanceTypeException if no known type has that name; its message lists them all
     */
    public static InstanceType byName(String name) {
        return find(name).orElseThrow(() -> new UnknownInstanceTypeException(String.valueOf(name), names()));
    }
}
