package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeuronChipTest {
    private static final long GIB = 1L << 30;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // chip,       core, cores, stacks, stackGiB, memBytes,     hbm,   devArch, coreArch, devName,     sysfsType,
        // supported
        "INFERENTIA,   V1,   4,     2,      4,        8589934592,   false, NDv1,    NCv1,     Inferentia,  Inf1,      false",
        "INFERENTIA2,  V2,   2,     2,      16,       34359738368,  true,  NDv3,    NCv2,     Inferentia2, Inf2,      true",
        "TRAINIUM,     V2,   2,     2,      16,       34359738368,  true,  NDv2,    NCv2,     Trainium1,   Trn1,      true",
        "TRAINIUM2,    V3,   8,     4,      24,       103079215104, true,  NDv3,    NCv3,     Trainium2,   Trn2,      true",
        "TRAINIUM3,    V4,   8,     4,      36,       154618822656, true,  NDv4,    NCv4,     Trainium3,   Trn3,      true",
    })
    void chipFacts(
            NeuronChip chip,
            CoreVersion core,
            int cores,
            int stacks,
            long stackGib,
            long memoryBytes,
            boolean hbm,
            String devArch,
            String coreArch,
            String devName,
            String sysfsType,
            boolean supported) {
        assertThat(chip.coreVersion()).isEqualTo(core);
        assertThat(chip.physicalCoresPerChip()).isEqualTo(cores);
        assertThat(chip.hbmStackCount()).isEqualTo(stacks);
        assertThat(chip.hbmStackBytes()).isEqualTo(stackGib * GIB);
        assertThat(chip.memoryBytes()).isEqualTo(memoryBytes);
        assertThat(chip.memoryIsHbm()).isEqualTo(hbm);
        assertThat(chip.sysfsDeviceArchType()).isEqualTo(devArch);
        assertThat(chip.sysfsCoreArchType()).isEqualTo(coreArch);
        assertThat(chip.sysfsDeviceName()).isEqualTo(devName);
        assertThat(chip.sysfsInstanceType()).isEqualTo(sysfsType);
        assertThat(chip.supported()).isEqualTo(supported);
    }

    @Test
    void pciIdsMapBackToTheirChip() {
        assertThat(NeuronChip.PCI_VENDOR_ID).isEqualTo(0x1d0f);
        assertThat(NeuronChip.INFERENTIA.pciDeviceIds()).containsExactly(0x7064, 0x7065, 0x7066, 0x7067);
        assertThat(NeuronChip.TRAINIUM.pciDeviceIds()).containsExactly(0x7164);
        assertThat(NeuronChip.INFERENTIA2.pciDeviceIds()).containsExactly(0x7264);
        assertThat(NeuronChip.TRAINIUM2.pciDeviceIds()).containsExactly(0x7364);
        assertThat(NeuronChip.TRAINIUM3.pciDeviceIds()).containsExactly(0x7564, 0x7565);
        assertThat(NeuronChip.fromPciDeviceId(0x7065)).contains(NeuronChip.INFERENTIA);
        assertThat(NeuronChip.fromPciDeviceId(0x7364)).contains(NeuronChip.TRAINIUM2);
        assertThat(NeuronChip.fromPciDeviceId(0x7565)).contains(NeuronChip.TRAINIUM3);
        assertThat(NeuronChip.fromPciDeviceId(0x1234)).isEmpty();
    }

    @Test
    void sysfsDeviceNameLookupIgnoresCaseAndTrailingNewline() {
        assertThat(NeuronChip.fromSysfsDeviceName("Trainium1\n")).contains(NeuronChip.TRAINIUM);
        assertThat(NeuronChip.fromSysfsDeviceName("inferentia2")).contains(NeuronChip.INFERENTIA2);
        assertThat(NeuronChip.fromSysfsDeviceName("Trainium")).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "INFERENTIA,  FP32, ",
        "INFERENTIA,  TF32, ",
        "INFERENTIA,  BF16, 64",
        "INFERENTIA,  FP16, 64",
        "INFERENTIA,  FP8,  ",
        "INFERENTIA,  INT8, 128",
        "INFERENTIA2, FP32, 47.5",
        "INFERENTIA2, TF32, 190",
        "INFERENTIA2, BF16, 190",
        "INFERENTIA2, FP8,  190",
        "INFERENTIA2, INT8, 380",
        "TRAINIUM,    FP32, 47.5",
        "TRAINIUM,    FP16, 190",
        "TRAINIUM,    INT8, 380",
        "TRAINIUM2,   FP32, 181",
        "TRAINIUM2,   TF32, 667",
        "TRAINIUM2,   BF16, 667",
        "TRAINIUM2,   FP8,  1299",
        "TRAINIUM2,   INT8, ",
        "TRAINIUM3,   FP32, 183",
        "TRAINIUM3,   BF16, 671",
        "TRAINIUM3,   FP8,  2517",
        "TRAINIUM3,   INT8, ",
    })
    void peakCompute(NeuronChip chip, Precision precision, Double expected) {
        OptionalDouble peak = chip.peakTflops(precision);
        if (expected == null) {
            assertThat(peak).isEmpty();
        } else {
            assertThat(peak).hasValue(expected);
        }
    }

    @Test
    void bandwidthsAndLinks() {
        assertThat(NeuronChip.INFERENTIA.memoryBandwidthBytesPerSecond()).isEqualTo(50 * GIB);
        assertThat(NeuronChip.INFERENTIA2.memoryBandwidthBytesPerSecond()).isEqualTo(820 * GIB);
        assertThat(NeuronChip.TRAINIUM.memoryBandwidthBytesPerSecond()).isEqualTo(820 * GIB);
        assertThat(NeuronChip.TRAINIUM2.memoryBandwidthBytesPerSecond()).isEqualTo(2_900_000_000_000L);
        assertThat(NeuronChip.TRAINIUM3.memoryBandwidthBytesPerSecond()).isEqualTo(4_900_000_000_000L);

        assertThat(NeuronChip.INFERENTIA.neuronLinkBandwidthBytesPerSecond()).isEqualTo(32 * GIB);
        assertThat(NeuronChip.INFERENTIA2.neuronLinkBandwidthBytesPerSecond()).isEqualTo(192 * GIB);
        assertThat(NeuronChip.TRAINIUM.neuronLinkBandwidthBytesPerSecond()).isEqualTo(384_000_000_000L);
        assertThat(NeuronChip.TRAINIUM2.neuronLinkBandwidthBytesPerSecond()).isEqualTo(1_280_000_000_000L);
        assertThat(NeuronChip.TRAINIUM3.neuronLinkBandwidthBytesPerSecond()).isEqualTo(2_560_000_000_000L);

        assertThat(NeuronChip.INFERENTIA2.neuronLinkCount()).isEqualTo(2);
        assertThat(NeuronChip.TRAINIUM.neuronLinkCount()).isEqualTo(4);
        assertThat(NeuronChip.TRAINIUM2.neuronLinkGeneration()).isEqualTo(3);
    }

    @Test
    void inferentia2AndTrainiumGiveEachCoreItsOwnStack() {
        for (NeuronChip chip : List.of(NeuronChip.INFERENTIA2, NeuronChip.TRAINIUM)) {
            assertThat(chip.hbmStackOfPhysicalCore(0)).isZero();
            assertThat(chip.hbmStackOfPhysicalCore(1)).isEqualTo(1);
            assertThat(chip.physicalCoresOfHbmStack(1)).containsExactly(1);
        }
    }

    @Test
    void trainium2PairsCoresOnAStack() {
        NeuronChip chip = NeuronChip.TRAINIUM2;
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7))
                .map(chip::hbmStackOfPhysicalCore)
                .containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
        assertThat(chip.physicalCoresOfHbmStack(2)).containsExactly(4, 5);
        assertThat(NeuronChip.INFERENTIA.physicalCoresOfHbmStack(1)).containsExactly(2, 3);
    }

    @Test
    void physicalCoreAndStackIndicesAreChecked() {
        assertThatThrownBy(() -> NeuronChip.TRAINIUM.hbmStackOfPhysicalCore(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-1");
        assertThatThrownBy(() -> NeuronChip.TRAINIUM2.physicalCoresOfHbmStack(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-3");
    }

    @Test
    void lncAcceptedSizesAndDefaults() {
        assertThat(NeuronChip.INFERENTIA.allowedLnc()).containsExactly(1);
        assertThat(NeuronChip.INFERENTIA2.allowedLnc()).containsExactly(1);
        assertThat(NeuronChip.TRAINIUM.allowedLnc()).containsExactly(1);
        assertThat(NeuronChip.TRAINIUM2.allowedLnc()).containsExactly(1, 2);
        assertThat(NeuronChip.TRAINIUM3.allowedLnc()).containsExactly(1, 2);
        assertThat(NeuronChip.TRAINIUM.defaultLnc()).isEqualTo(1);
        assertThat(NeuronChip.INFERENTIA2.defaultLnc()).isEqualTo(1);
        assertThat(NeuronChip.TRAINIUM2.defaultLnc()).isEqualTo(2);
        assertThat(NeuronChip.TRAINIUM3.defaultLnc()).isEqualTo(2);
        assertThat(NeuronChip.TRAINIUM.acceptsLnc(2)).isFalse();
        assertThat(NeuronChip.TRAINIUM2.acceptsLnc(3)).isFalse();
    }

    @Test
    void coreVersionNamesAsToolsAndSysfsPrintThem() {
        assertThat(CoreVersion.V2.toolName(1)).isEqualTo("v2");
        assertThat(CoreVersion.V3.toolName(1)).isEqualTo("v3");
        assertThat(CoreVersion.V3.toolName(2)).isEqualTo("v3d");
        assertThat(CoreVersion.V1.sysfsArchType()).isEqualTo("NCv1");
        assertThatThrownBy(() -> CoreVersion.V3.toolName(4)).isInstanceOf(IllegalArgumentException.class);
    }
}
