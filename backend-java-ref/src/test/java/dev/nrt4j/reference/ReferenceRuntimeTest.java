package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BackendDescription;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronDevice;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The reference device as an application sees it through {@link NeuronRuntime}: the instance it
 * imitates, the cores it claims, and the errors for configurations libnrt would refuse.
 */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ReferenceRuntimeTest {
    private static final long GIB = 1L << 30;

    /**
     * This test JVM's own state directory: cores claimed in the user's default one would collide
     * with any other build or program on the machine using the reference device.
     */
    static final Path STATE_DIR = privateStateDir();

    /** Options that ignore this process's environment, so a developer's NEURON_RT_* cannot change the outcome. */
    static RuntimeOptions.Builder options() {
        return RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(STATE_DIR);
    }

    private static Path privateStateDir() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "nrt4j-state-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void defaultIsATrn1TwoXLargeWithBothCores() {
        try (NeuronRuntime rt = NeuronRuntime.open(options().build())) {
            assertThat(rt.backend().name()).isEqualTo("reference");
            assertThat(rt.backend().instanceType()).isEqualTo("trn1.2xlarge");
            assertThat(rt.backend().lnc()).isEqualTo(1);
            assertThat(rt.devices()).hasSize(1);
            NeuronDevice d = rt.devices().get(0);
            assertThat(d.chip()).isEqualTo("Trainium");
            assertThat(d.memoryBytes()).isEqualTo(32 * GIB);
            assertThat(d.logicalCoreIds()).containsExactly(0, 1);
            assertThat(d.connectedDevices()).isEmpty();
            assertThat(rt.cores()).extracting(NeuronCore::globalId).containsExactly(0, 1);
            assertThat(rt.cores()).extracting(NeuronCore::hbmBytes).containsOnly(16 * GIB);
            assertThat(rt.cores()).extracting(NeuronCore::hbmStack).containsExactly(0, 1);
        }
    }

    @Test
    void visibleCoresAreRenumberedFromZero() {
        try (NeuronRuntime rt = NeuronRuntime.open(
                options().instanceType("trn2.48xlarge").visibleCores("4-7").build())) {
            assertThat(rt.backend().lnc()).isEqualTo(2);
            assertThat(rt.devices()).hasSize(16);
            assertThat(rt.devices().get(1).logicalCoreIds()).containsExactly(4, 5, 6, 7);
            assertThat(rt.devices().get(0).connectedDevices()).containsExactly(12, 3, 4, 1);
            assertThat(rt.cores()).extracting(NeuronCore::index).containsExactly(0, 1, 2, 3);
            assertThat(rt.cores()).extracting(NeuronCore::globalId).containsExactly(4, 5, 6, 7);
            assertThat(rt.cores()).extracting(NeuronCore::device).containsOnly(1);
            // At LNC=2 a logical core groups two physical cores and owns one 24 GiB stack.
            assertThat(rt.cores().get(0).physicalCores()).containsExactly(0, 1);
            assertThat(rt.cores().get(3).physicalCores()).containsExactly(6, 7);
            assertThat(rt.cores()).extracting(NeuronCore::hbmBytes).containsOnly(24 * GIB);
        }
    }

    @Test
    void lncOneOnTrn2ShowsEightCoresPerDevice() {
        try (NeuronRuntime rt = NeuronRuntime.open(
                options().instanceType("trn2.48xlarge").lnc(1).build())) {
            assertThat(rt.cores()).hasSize(128);
            assertThat(rt.devices().get(15).logicalCoreIds()).containsExactly(120, 121, 122, 123, 124, 125, 126, 127);
            assertThat(rt.cores().get(9).physicalCores()).containsExactly(1);
            assertThat(rt.cores().get(9).hbmStack()).isEqualTo(0);
        }
    }

    @Test
    void numCoresClaimsTheFirstFreeRun() {
        try (NeuronRuntime rt = NeuronRuntime.open(
                options().instanceType("inf2.48xlarge").numCores(3).build())) {
            assertThat(rt.cores()).extracting(NeuronCore::globalId).containsExactly(0, 1, 2);
        }
    }

    @Test
    void coresBelongToOneRuntimeAtATime() {
        try (NeuronRuntime first = NeuronRuntime.open(
                options().instanceType("inf2.24xlarge").visibleCores("0-5").build())) {
            assertThatThrownBy(() -> NeuronRuntime.open(options()
                            .instanceType("inf2.24xlarge")
                            .visibleCores("5-6")
                            .build()))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("5");
            assertThatThrownBy(() -> NeuronRuntime.open(
                            options().instanceType("inf2.24xlarge").build()))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
            try (NeuronRuntime second = NeuronRuntime.open(
                    options().instanceType("inf2.24xlarge").numCores(6).build())) {
                assertThat(second.cores()).extracting(NeuronCore::globalId).containsExactly(6, 7, 8, 9, 10, 11);
            }
        }
        try (NeuronRuntime again =
                NeuronRuntime.open(options().instanceType("inf2.24xlarge").build())) {
            assertThat(again.cores()).hasSize(12);
        }
    }

    @Test
    void malformedCoreSetsAreInvalidAndMissingCoresAreResource() {
        for (String malformed : List.of("3,5", "a", "2-1", "")) {
            RuntimeOptions o = options().visibleCores(malformed).build();
            if (o.visibleCores().isEmpty()) {
                continue; // a blank value means unset, as for every setting
            }
            assertThatThrownBy(() -> NeuronRuntime.open(o))
                    .as(malformed)
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        }
        assertThatThrownBy(
                        () -> NeuronRuntime.open(options().visibleCores("1-2").build()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                .hasMessageContaining("0-1");
        assertThatThrownBy(() -> NeuronRuntime.open(options().numCores(3).build()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
    }

    @Test
    void unknownInstanceTypesAndRefusedLncAreInvalid() {
        assertThatThrownBy(() ->
                        NeuronRuntime.open(options().instanceType("trn9.huge").build()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("trn9.huge")
                .hasMessageContaining("trn2.48xlarge")
                .hasMessageContaining("inf2.xlarge");
        assertThatThrownBy(() -> NeuronRuntime.open(
                        options().instanceType("trn1.32xlarge").lnc(2).build()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("LNC");
        assertThatThrownBy(() ->
                        NeuronRuntime.open(options().instanceType("inf1.xlarge").build()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("not supported");
    }

    @Test
    void isChosenWhenNoBackendIsNamedAndDescribesWhatItSimulates() {
        RuntimeOptions unnamed = RuntimeOptions.builder(Map.of(), new Properties())
                .instanceType("inf2.xlarge")
                .stateDir(STATE_DIR)
                .build();
        List<BackendDescription> backends = NeuronRuntime.describeBackends(unnamed);
        assertThat(backends).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("reference");
            assertThat(b.isAvailable()).isTrue();
            assertThat(b.isSelected()).isTrue();
            assertThat(b.detail()).contains("inf2.xlarge").contains("2 logical cores");
        });
        try (NeuronRuntime rt = NeuronRuntime.open(unnamed)) {
            assertThat(rt.backend().name()).isEqualTo("reference");
        }
    }
}
