package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.nativert.binding.InstanceInfo;
import dev.nrt4j.nativert.binding.LibNrt;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The machine the double poses as: the instance table ({@code NRT4J_DOUBLE_INSTANCE}, default
 * trn2.3xlarge), the LNC read at {@code nrt_init}, HBM stacks shared by the physical cores that share
 * them, the 4 MB limit of HOST placement, and new memory that is not zeroed (libnrt does not document
 * zeroing; the API promises it and does it).
 */
class DoubleMachineIT {
    private static final long MIB = 1 << 20;

    @AfterEach
    void putTheDefaultsBack() {
        LibnrtDouble.setenv(LibnrtDouble.INSTANCE, null);
        LibnrtDouble.setenv("NRT4J_DOUBLE_STACK_BYTES", null);
        LibnrtDouble.setenv("NEURON_LOGICAL_NC_CONFIG", null);
        LibnrtDouble.assertNothingLeaked();
    }

    private static void onBackend(RuntimeOptions.Builder options, Consumer<NativeRuntime> body) {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime) new NativeBackendProvider().open(options.build());
        try {
            body.accept(rt);
        } finally {
            rt.close();
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void newMemoryHoldsGarbageInLibnrtAndZerosThroughTheApi() {
        onBackend(RuntimeOptions.builder(), rt -> {
            LibNrt lib = rt.lib();
            for (int placement : new int[] {LibNrt.PLACEMENT_DEVICE, LibNrt.PLACEMENT_HOST}) {
                long t = lib.tensorAllocate(placement, placement == LibNrt.PLACEMENT_HOST ? -1 : 0, 4096, "raw");
                try {
                    byte[] b = new byte[4096];
                    lib.tensorRead(t, b, 0, 0, 4096);
                    assertThat(allZero(b))
                            .as("placement %d: nrt_tensor_allocate does not zero", placement)
                            .isFalse();
                } finally {
                    lib.tensorFree(t);
                }
            }
        });
        try (NeuronRuntime rt = LibnrtDouble.open();
                Tensor d = rt.allocate("d", 4096, 0);
                Tensor h = rt.allocateHost("h", 4096)) {
            assertThat(d.readBytes()).as("the API's device tensor").containsOnly(0);
            assertThat(h.readBytes()).as("the API's host tensor").containsOnly(0);
        }
    }

    @Test
    void hostPlacementIsAtMostFourMegabytes() {
        onBackend(RuntimeOptions.builder(), rt -> {
            LibNrt lib = rt.lib();
            lib.tensorFree(lib.tensorAllocate(LibNrt.PLACEMENT_HOST, -1, 4 * MIB, "four"));
            assertThatThrownBy(() -> lib.tensorAllocate(LibNrt.PLACEMENT_HOST, -1, 4 * MIB + 1, "more"))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
            // Device memory has no such limit.
            lib.tensorFree(lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 8 * MIB, "device"));
        });
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThatThrownBy(() -> rt.allocateHost("big", 5 * MIB))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
        }
    }

    @Test
    void theDefaultIsATrn2ThreeXlargeAtLncTwoAndEveryListedInstanceIsItself() {
        onBackend(RuntimeOptions.builder(), rt -> {
            assertThat(rt.info().instanceType()).isEqualTo("trn2.3xlarge");
            assertThat(rt.info().lnc()).isEqualTo(2);
            assertThat(rt.lib().instanceInfo()).hasValue(new InstanceInfo(5, 8, "trn2", "v3"));
            assertThat(rt.lib().totalCoreCount()).isEqualTo(4);
            assertThat(rt.cores()).hasSize(4);
        });
        String[][] table = {
            // name, family, size, logical cores at the default LNC
            {"trn1.2xlarge", "2", "1", "2"},
            {"trn1.32xlarge", "2", "6", "32"},
            {"inf2.xlarge", "4", "0", "2"},
            {"trn2.3xlarge", "5", "8", "4"},
            {"trn2.48xlarge", "5", "7", "64"},
        };
        for (String[] row : table) {
            try (LibnrtDouble.AutoCloseableInstance i = LibnrtDouble.posingAs(row[0])) {
                onBackend(RuntimeOptions.builder(), rt -> {
                    InstanceInfo info = rt.lib().instanceInfo().orElseThrow();
                    assertThat(info.family()).as(row[0]).isEqualTo(Integer.parseInt(row[1]));
                    assertThat(info.size()).as(row[0]).isEqualTo(Integer.parseInt(row[2]));
                    assertThat(rt.info().instanceType()).isEqualTo(row[0]);
                    assertThat(rt.lib().visibleCoreCount()).as(row[0]).isEqualTo(Integer.parseInt(row[3]));
                });
            }
        }
    }

    @Test
    void lncOneDoublesTheCoresOfATrn2AndAnLncTheChipLacksFailsInit() {
        onBackend(RuntimeOptions.builder().lnc(1), rt -> {
            assertThat(rt.lib().totalCoreCount()).isEqualTo(8);
            assertThat(rt.cores()).hasSize(8);
        });
        // Read at nrt_init: the count functions before it follow the variable as it is then.
        LibnrtDouble.use();
        LibNrt lib = LibraryLocator.locate(System.getenv(), System.getProperties()).lib;
        lib.setenv("NEURON_LOGICAL_NC_CONFIG", "1");
        assertThat(lib.totalCoreCount()).isEqualTo(8);
        lib.unsetenv("NEURON_LOGICAL_NC_CONFIG");
        assertThat(lib.totalCoreCount()).isEqualTo(4);

        try (LibnrtDouble.AutoCloseableInstance trn1 = LibnrtDouble.posingAs("trn1.2xlarge")) {
            assertThatThrownBy(() -> LibnrtDouble.open(RuntimeOptions.builder().lnc(2)))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.operation()).isEqualTo("nrt_init");
                    });
        }
        assertThatThrownBy(() -> LibnrtDouble.open(RuntimeOptions.builder().lnc(4)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
        // An instance the double does not know: nrt_init refuses it (the API's probe already finds no cores).
        try (LibnrtDouble.AutoCloseableInstance nosuch = LibnrtDouble.posingAs("trn9.huge")) {
            assertThatThrownBy(() -> new NativeBackendProvider()
                            .open(RuntimeOptions.builder().build()))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.operation()).isEqualTo("nrt_init");
                    });
        }
        assertThat(LibnrtDouble.state())
                .as("no failed init left the double initialised")
                .isNotEqualTo(1);
    }

    @Test
    void logicalCoresOnOneHbmStackShareItsCapacity() {
        LibnrtDouble.setenv("NRT4J_DOUBLE_STACK_BYTES", Long.toString(64 * MIB));
        // LNC 1 on a trn2: physical cores 2k and 2k+1 are logical cores 2k and 2k+1, on stack k.
        onBackend(RuntimeOptions.builder().lnc(1), rt -> {
            LibNrt lib = rt.lib();
            long a = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 40 * MIB, "a");
            try {
                assertThat(lib.memoryStats(0).orElseThrow().bytesLimit()).isEqualTo(64 * MIB);
                assertThat(lib.memoryStats(1).orElseThrow().bytesUsed())
                        .as("core 1 shares core 0's stack")
                        .isEqualTo(40 * MIB);
                assertThat(lib.memoryStats(2).orElseThrow().bytesUsed())
                        .as("core 2 is on the next stack")
                        .isZero();
                assertThatThrownBy(() -> lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 1, 40 * MIB, "b"))
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
                lib.tensorFree(lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 2, 40 * MIB, "c"));
                assertThat(rt.cores().get(1).hbmBytes())
                        .as("the API's cores carry libnrt's limit")
                        .isEqualTo(64 * MIB);
            } finally {
                lib.tensorFree(a);
            }
            assertThat(lib.memoryStats(1).orElseThrow().bytesUsed()).isZero();
        });
        // LNC 2: each logical core has a stack of its own.
        onBackend(RuntimeOptions.builder(), rt -> {
            LibNrt lib = rt.lib();
            long a = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 40 * MIB, "a");
            long b = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 1, 40 * MIB, "b");
            assertThat(lib.memoryStats(1).orElseThrow().bytesUsed()).isEqualTo(40 * MIB);
            lib.tensorFree(a);
            lib.tensorFree(b);
        });
        // trn1: one stack per physical core.
        try (LibnrtDouble.AutoCloseableInstance trn1 = LibnrtDouble.posingAs("trn1.2xlarge")) {
            onBackend(RuntimeOptions.builder(), rt -> {
                LibNrt lib = rt.lib();
                long a = lib.tensorAllocate(LibNrt.PLACEMENT_DEVICE, 0, 40 * MIB, "a");
                assertThat(lib.memoryStats(1).orElseThrow().bytesUsed()).isZero();
                lib.tensorFree(a);
            });
        }
    }
}
