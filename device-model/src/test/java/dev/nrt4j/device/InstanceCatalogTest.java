package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceCatalogTest {
    private static final long GIB = 1L << 30;

    @Test
    void holdsExactlyTheDocumentedInstanceTypesInOrder() {
        assertThat(InstanceCatalog.names())
                .containsExactly(
                        "inf1.xlarge",
                        "inf1.2xlarge",
                        "inf1.6xlarge",
                        "inf1.24xlarge",
                        "inf2.xlarge",
                        "inf2.8xlarge",
                        "inf2.24xlarge",
                        "inf2.48xlarge",
                        "trn1.2xlarge",
                        "trn1.32xlarge",
                        "trn1n.32xlarge",
                        "trn2.3xlarge",
                        "trn2.48xlarge",
                        "trn2u.48xlarge",
                        "trn3.48xlarge");
        assertThat(InstanceCatalog.all()).extracting(InstanceType::name).isEqualTo(InstanceCatalog.names());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,           chip,        devices, vCPU, hostGiB, deviceGiB, totalGiB, topology
        "inf1.xlarge,      INFERENTIA,  1,       4,    8,       8,         8,        SINGLE",
        "inf1.2xlarge,     INFERENTIA,  1,       8,    16,      8,         8,        SINGLE",
        "inf1.6xlarge,     INFERENTIA,  4,       24,   48,      8,         32,       CHAIN",
        "inf1.24xlarge,    INFERENTIA,  16,      96,   192,     8,         128,      UNPUBLISHED",
        "inf2.xlarge,      INFERENTIA2, 1,       4,    16,      32,        32,       SINGLE",
        "inf2.8xlarge,     INFERENTIA2, 1,       32,   128,     32,        32,       SINGLE",
        "inf2.24xlarge,    INFERENTIA2, 6,       96,   384,     32,        192,      CHAIN",
        "inf2.48xlarge,    INFERENTIA2, 12,      192,  768,     32,        384,      RING",
        "trn1.2xlarge,     TRAINIUM,    1,       8,    32,      32,        32,       SINGLE",
        "trn1.32xlarge,    TRAINIUM,    16,      128,  512,     32,        512,      TORUS_4X4",
        "trn1n.32xlarge,   TRAINIUM,    16,      128,  512,     32,        512,      TORUS_4X4",
        "trn2.3xlarge,     TRAINIUM2,   1,       ,     ,        96,        96,       SINGLE",
        "trn2.48xlarge,    TRAINIUM2,   16,      192,  2048,    96,        1536,     TORUS_4X4",
        "trn2u.48xlarge,   TRAINIUM2,   16,      192,  2048,    96,        1536,     TORUS_4X4",
        "trn3.48xlarge,    TRAINIUM3,   16,      ,     ,        144,       2304,     SWITCHED",
    })
    void instanceFacts(
            String name,
            NeuronChip chip,
            int devices,
            Integer vcpus,
            Long hostGib,
            long deviceGib,
            long totalGib,
            Topology.Kind topology) {
        InstanceType type = InstanceCatalog.byName(name);
        assertThat(type.name()).isEqualTo(name);
        assertThat(type.chip()).isEqualTo(chip);
        assertThat(type.deviceCount()).isEqualTo(devices);
        if (vcpus == null) {
            assertThat(type.vcpus()).isEmpty();
            assertThat(type.hostMemoryBytes()).isEmpty();
        } else {
            assertThat(type.vcpus()).hasValue(vcpus);
            assertThat(type.hostMemoryBytes()).hasValue(hostGib * GIB);
        }
        assertThat(type.deviceMemoryBytes()).isEqualTo(deviceGib * GIB);
        assertThat(type.totalDeviceMemoryBytes()).isEqualTo(totalGib * GIB);
        assertThat(type.topology().kind()).isEqualTo(topology);
        assertThat(type.topology().deviceCount()).isEqualTo(devices);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,          physical, default, at LNC=1, at LNC=2 (blank: rejected)
        "inf1.xlarge,     4,        4,       4,        ",
        "inf1.6xlarge,    16,       16,      16,       ",
        "inf1.24xlarge,   64,       64,      64,       ",
        "inf2.xlarge,     2,        2,       2,        ",
        "inf2.8xlarge,    2,        2,       2,        ",
        "inf2.24xlarge,   12,       12,      12,       ",
        "inf2.48xlarge,   24,       24,      24,       ",
        "trn1.2xlarge,    2,        2,       2,        ",
        "trn1.32xlarge,   32,       32,      32,       ",
        "trn1n.32xlarge,  32,       32,      32,       ",
        "trn2.3xlarge,    8,        4,       8,        4",
        "trn2.48xlarge,   128,      64,      128,      64",
        "trn2u.48xlarge,  128,      64,      128,      64",
        "trn3.48xlarge,   128,      64,      128,      64",
    })
    void visibleCoresPerLnc(String name, int physical, int byDefault, int atLnc1, Integer atLnc2) {
        InstanceType type = InstanceCatalog.byName(name);
        assertThat(type.physicalCoreCount()).isEqualTo(physical);
        assertThat(type.defaultVisibleCoreCount()).isEqualTo(byDefault);
        assertThat(type.visibleCoreCount(1)).isEqualTo(atLnc1);
        if (atLnc2 == null) {
            assertThatThrownBy(() -> type.visibleCoreCount(2)).isInstanceOf(InvalidLncException.class);
        } else {
            assertThat(type.visibleCoreCount(2)).isEqualTo(atLnc2);
        }
        assertThatThrownBy(() -> type.visibleCoreCount(4)).isInstanceOf(InvalidLncException.class);
    }

    @Test
    void onlyInf1IsUnsupported() {
        assertThat(InstanceCatalog.all())
                .filteredOn(t -> !t.supported())
                .extracting(InstanceType::name)
                .containsExactly("inf1.xlarge", "inf1.2xlarge", "inf1.6xlarge", "inf1.24xlarge");
    }

    @Test
    void findIgnoresCaseAndSurroundingWhitespace() {
        assertThat(InstanceCatalog.find(" Trn1.2xlarge\n"))
                .map(InstanceType::name)
                .contains("trn1.2xlarge");
        assertThat(InstanceCatalog.find("trn1.4xlarge")).isEmpty();
        assertThat(InstanceCatalog.find(null)).isEmpty();
        assertThat(InstanceCatalog.byName("TRN2.48XLARGE")).isEqualTo(InstanceCatalog.byName("trn2.48xlarge"));
    }

    @Test
    void unknownNameListsEveryKnownName() {
        assertThatThrownBy(() -> InstanceCatalog.byName("p4d.24xlarge"))
                .isInstanceOf(UnknownInstanceTypeException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown instance type \"p4d.24xlarge\"")
                .satisfies(e -> {
                    UnknownInstanceTypeException u = (UnknownInstanceTypeException) e;
                    assertThat(u.requested()).isEqualTo("p4d.24xlarge");
                    assertThat(u.known()).isEqualTo(InstanceCatalog.names());
                    for (String name : InstanceCatalog.names()) {
                        assertThat(u.getMessage()).contains(name);
                    }
                });
    }

    @Test
    void catalogListsCannotBeModified() {
        assertThatThrownBy(() -> InstanceCatalog.all().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> InstanceCatalog.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
