package dev.nrt4j.device;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Neuron accelerator chip (one "Neuron device" in neuron-ls): its NeuronCores, device memory,
 * peak compute, links, PCI and sysfs identity, and which logical-core (LNC) sizes it accepts.
 *
 * <p>Figures are per chip. Bandwidths are bytes per second, decimal or binary exactly as the
 * source states them (820 GiB/s is {@code 820 * 2^30}, 2.9 TB/s is {@code 2.9e12}).
 *
 * <p>Immutable and thread-safe.
 */
public enum NeuronChip {
    /**
     * Inferentia (Inf1). Listed for completeness; current Neuron runtimes do not support it. Its
     * 8 GiB is DRAM in two 4 GiB channels, which this catalog treats as its "HBM stacks".
     */
    INFERENTIA(
            "Inferentia",
            CoreVersion.V1,
            4,
            false,
            2,
            4 * Units.GIB,
            50 * Units.GIB,
            1,
            2,
            32 * Units.GIB,
            // FP32 is not published; TF32 and FP8 are not listed, so taken as unsupported.
            peaks(Double.NaN, Double.NaN, 64, 64, Double.NaN, 128),
            List.of(0x7064, 0x7065, 0x7066, 0x7067),
            "NDv1",
            "Inferentia",
            "Inf1",
            List.of(1),
            1,
            false),
    /** Inferentia2 (Inf2): two NeuronCore-v2, 32 GiB HBM in two 16 GiB stacks. */
    INFERENTIA2(
            "Inferentia2",
            CoreVersion.V2,
            2,
            true,
            2,
            16 * Units.GIB,
            820 * Units.GIB,
            2,
            2,
            192 * Units.GIB,
            peaks(47.5, 190, 190, 190, 190, 380),
            // The driver calls Inferentia2 "NDv3" although its cores are NCv2; this is what sysfs shows.
            List.of(0x7264),
            "NDv3",
            "Inferentia2",
            "Inf2",
            List.of(1),
            1,
            true),
    /** Trainium (Trn1): two NeuronCore-v2, 32 GiB HBM in two 16 GiB stacks. */
    TRAINIUM(
            "Trainium",
            CoreVersion.V2,
            2,
            true,
            2,
            16 * Units.GIB,
            820 * Units.GIB,
            2,
            4,
            384 * Units.GB,
            // X: INT8 is 380 TOPS in the current chip page and 420 in older docs; 380 matches
            // Inferentia2, which has the same cores and clocks. FP32 47.5 (chip page) over 48 (a
            // rounded comparison table).
            peaks(47.5, 190, 190, 190, 190, 380),
            List.of(0x7164),
            "NDv2",
            "Trainium1",
            "Trn1",
            List.of(1),
            1,
            true),
    /** Trainium2 (Trn2): eight NeuronCore-v3, 96 GiB HBM in four 24 GiB stacks. */
    TRAINIUM2(
            "Trainium2",
            CoreVersion.V3,
            8,
            true,
            4,
            24 * Units.GIB,
            // X: 2.9 TB/s (chip page) vs 3 TB/s (NKI guide); 2.9 agrees with trn2.48xlarge's
            // published 46.4 TB/s for 16 chips.
            2_900 * Units.GB,
            // 1.28 TB/s = 1,024 GB/s inside the instance + 256 GB/s to UltraServer peers.
            3,
            4,
            1_280 * Units.GB,
            peaks(181, 667, 667, 667, 1_299, Double.NaN),
            List.of(0x7364),
            "NDv3",
            "Trainium2",
            "Trn2",
            List.of(1, 2),
            2,
            true),
    /**
     * Trainium3 (Trn3): eight NeuronCore-v4, 144 GiB HBM in four stacks. The 36 GiB stack size
     * is inferred (144 / 4).
     */
    TRAINIUM3(
            "Trainium3",
            CoreVersion.V4,
            8,
            true,
            4,
            36 * Units.GIB,
            // X: 4.9 TB/s (chip page) vs 4.7 TB/s (NKI guide); 4.9 agrees with the Gen1 UltraServer's
            // 313.6 TB/s for 64 chips.
            4_900 * Units.GB,
            // X: 2.56 TB/s (chip page) vs 2,048 GiB/s (UltraServer table); the chip page is the
            // per-chip statement, the other a share of a system total.
            4,
            4,
            2_560 * Units.GB,
            peaks(183, 671, 671, 671, 2_517, Double.NaN),
            List.of(0x7564, 0x7565),
            "NDv4",
            "Trainium3",
            "Trn3",
            // Inferred: LNC=1 on Trn3 is implied only by "LNC applies to Trn2 and Trn3"; no sample shows it.
            List.of(1, 2),
            2,
            true);

    /** The PCI vendor id of every Neuron device (Amazon, {@code 1d0f}). */
    public static final int PCI_VENDOR_ID = 0x1d0f;

    private final String displayName;
    private final CoreVersion coreVersion;
    private final int physicalCores;
    private final boolean hbm;
    private final int stacks;
    private final long stackBytes;
    private final long memoryBandwidth;
    private final int linkGeneration;
    private final int linkCount;
    private final long linkBandwidth;
    private final double[] peakTflops;
    private final List<Integer> pciDeviceIds;
    private final String sysfsArchType;
    private final String sysfsDeviceName;
    private final String sysfsInstanceType;
    private final List<Integer> allowedLnc;
    private final int defaultLnc;
    private final boolean supported;

    NeuronChip(
            String displayName,
            CoreVersion coreVersion,
            int physicalCores,
            boolean hbm,
            int stacks,
            long stackBytes,
            long memoryBandwidth,
            int linkGeneration,
            int linkCount,
            long linkBandwidth,
            double[] peakTflops,
            List<Integer> pciDeviceIds,
            String sysfsArchType,
            String sysfsDeviceName,
            String sysfsInstanceType,
            List<Integer> allowedLnc,
            int defaultLnc,
            boolean supported) {
        this.displayName = displayName;
        this.coreVersion = coreVersion;
        this.physicalCores = physicalCores;
        this.hbm = hbm;
        this.stacks = stacks;
        this.stackBytes = stackBytes;
        this.memoryBandwidth = memoryBandwidth;
        this.linkGeneration = linkGeneration;
        this.linkCount = linkCount;
        this.linkBandwidth = linkBandwidth;
        this.peakTflops = peakTflops;
        this.pciDeviceIds = pciDeviceIds;
        this.sysfsArchType = sysfsArchType;
        this.sysfsDeviceName = sysfsDeviceName;
        this.sysfsInstanceType = sysfsInstanceType;
        this.allowedLnc = allowedLnc;
        this.defaultLnc = defaultLnc;
        this.supported = supported;
    }

    // Order matches Precision's constants; NaN marks "not published / not supported".
    private static double[] peaks(double fp32, double tf32, double bf16, double fp16, double fp8, double int8) {
        return new double[] {fp32, tf32, bf16, fp16, fp8, int8};
    }

    /** {@return the chip's marketing name, e.g. {@code "Trainium2"}} */
    public String displayName() {
        return displayName;
    }

    /** {@return the generation of this chip's NeuronCores} */
    public CoreVersion coreVersion() {
        return coreVersion;
    }

    /** {@return the number of physical NeuronCores on one chip, as sysfs counts them (sysfs always shows physical cores)} */
    public int physicalCoresPerChip() {
        return physicalCores;
    }

    /** {@return whether device memory is HBM; false only for Inferentia, whose device memory is DRAM} */
    public boolean memoryIsHbm() {
        return hbm;
    }

    /** {@return the number of HBM stacks on one chip (for Inferentia: DRAM channels), numbered from 0} */
    public int hbmStackCount() {
        return stacks;
    }

    /** {@return the nominal bytes one HBM stack (or Inferentia DRAM channel) holds} */
    public long hbmStackBytes() {
        return stackBytes;
    }

    /** {@return the nominal device memory of one chip in bytes: stacks times stack size} */
    public long memoryBytes() {
        return stacks * stackBytes;
    }

    /** {@return the peak device-memory bandwidth of one chip, in bytes per second} */
    public long memoryBandwidthBytesPerSecond() {
        return memoryBandwidth;
    }

    /** {@return the NeuronLink generation (NeuronLink-v1 on Inferentia ... v4 on Trainium3)} */
    public int neuronLinkGeneration() {
        return linkGeneration;
    }

    /**
     * {@return the number of NeuronLink ports per chip} Inferentia's 2 is inferred from its
     * east/west-only links; the others are published.
     */
    public int neuronLinkCount() {
        return linkCount;
    }

    /** {@return the total NeuronLink bandwidth of one chip, in bytes per second} */
    public long neuronLinkBandwidthBytesPerSecond() {
        return linkBandwidth;
    }

    /**
     * The chip's published dense peak for a number format, in TFLOPS (TOPS for {@link Precision#INT8});
     * empty where AWS publishes no figure or the chip does not compute in that format.
     *
     * @param precision the number format; not null
     * @return the peak, or empty
     */
    public OptionalDouble peakTflops(Precision precision) {
        double value = peakTflops[precision.ordinal()];
        return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** {@return the PCI device ids under vendor {@link #PCI_VENDOR_ID}; unmodifiable} */
    public List<Integer> pciDeviceIds() {
        return pciDeviceIds;
    }

    /** {@return the device's sysfs {@code info/architecture/arch_type}, e.g. {@code "NDv2"}} */
    public String sysfsDeviceArchType() {
        return sysfsArchType;
    }

    /** {@return the cores' sysfs {@code arch_type}, e.g. {@code "NCv2"}} */
    public String sysfsCoreArchType() {
        return coreVersion.sysfsArchType();
    }

    /** {@return the device's sysfs {@code info/architecture/device_name}, e.g. {@code "Trainium1"}} */
    public String sysfsDeviceName() {
        return sysfsDeviceName;
    }

    /** {@return the device's sysfs {@code info/architecture/instance_type}, e.g. {@code "Trn1"}} */
    public String sysfsInstanceType() {
        return sysfsInstanceType;
    }

    /**
     * The HBM stack (Inferentia: DRAM channel) that a physical core allocates from. Inferentia2 and
     * Trainium: stack {@code c} belongs to core {@code c}. Trainium2: cores {@code 2h} and
     * {@code 2h+1} share stack {@code h}. Trainium3 (same pairing as Trainium2) and Inferentia
     * (cores 0-1 on channel 0, 2-3 on channel 1) are inferred from the core and stack counts.
     *
     * @param physicalCore a device-local physical core index, {@code 0 <= physicalCore < physicalCoresPerChip()}
     * @return the stack's index on the chip
     * @throws IllegalArgumentException if {@code physicalCore} is not a core of this chip
     */
    public int hbmStackOfPhysicalCore(int physicalCore) {
        if (physicalCore < 0 || physicalCore >= physicalCores) {
            throw new IllegalArgumentException(
                    displayName + " has physical cores 0-" + (physicalCores - 1) + ", not " + physicalCore);
        }
        return physicalCore / (physicalCores / stacks);
    }

    /**
     * The physical cores that allocate from an HBM stack, ascending; unmodifiable.
     *
     * @param stack the stack's index on the chip, {@code 0 <= stack < hbmStackCount()}
     * @return the device-local physical core indices
     * @throws IllegalArgumentException if {@code stack} is not a stack of this chip
     */
    public List<Integer> physicalCoresOfHbmStack(int stack) {
        if (stack < 0 || stack >= stacks) {
            throw new IllegalArgumentException(displayName + " has HBM stacks 0-" + (stacks - 1) + ", not " + stack);
        }
        int perStack = physicalCores / stacks;
        return IntStream.range(stack * perStack, (stack + 1) * perStack)
                .boxed()
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The LNC sizes (physical cores per logical core) this chip accepts, ascending; unmodifiable.
     * Only Trainium2 and Trainium3 accept 2. Inferentia has no LNC concept; each of its cores is
     * reported here as its own logical core (LNC=1).
     *
     * @return {@code [1]} or {@code [1, 2]}
     */
    public List<Integer> allowedLnc() {
        return allowedLnc;
    }

    /**
     * Whether this chip accepts the LNC size {@code lnc}.
     *
     * @param lnc physical cores per logical core; any int is accepted
     * @return whether {@code lnc} is one of {@link #allowedLnc()}
     */
    public boolean acceptsLnc(int lnc) {
        return allowedLnc.contains(lnc);
    }

    /** {@return the LNC size the runtime uses when none is configured: 2 on Trainium2/3, otherwise 1} */
    public int defaultLnc() {
        return defaultLnc;
    }

    /** {@return whether current Neuron runtimes support this chip; false for Inferentia (Inf1)} */
    public boolean supported() {
        return supported;
    }

    /**
     * The chip with this PCI device id (vendor {@link #PCI_VENDOR_ID}), if it is a Neuron chip.
     *
     * @param deviceId the PCI device id, e.g. {@code 0x7164} as read from sysfs {@code device}
     * @return the chip, or empty for an id no Neuron chip has
     */
    public static Optional<NeuronChip> fromPciDeviceId(int deviceId) {
        return Arrays.stream(values())
                .filter(c -> c.pciDeviceIds.contains(deviceId))
                .findFirst();
    }

    /**
     * The chip whose sysfs {@code device_name} is {@code name} (case-insensitive, surrounding
     * whitespace ignored, as a file read from sysfs ends with a newline).
     *
     * @param name the device name as read from sysfs, e.g. {@code "Trainium1\n"}; not null
     * @return the chip, or empty for a name no known chip has
     * @throws NullPointerException if {@code name} is null
     */
    public static Optional<NeuronChip> fromSysfsDeviceName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(c -> c.sysfsDeviceName.toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst();
    }
}
