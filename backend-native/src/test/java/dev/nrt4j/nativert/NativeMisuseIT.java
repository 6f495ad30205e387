package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.TensorSet;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.RuntimeBackend;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misuse of the native backend is an exception with the right {@link Status}, never a crash and
 * never a dead pointer handed to libnrt; and nothing leaks. Both through the public API and one
 * level down, through the backend SPI, where no API layer guards the handles.
 */
class NativeMisuseIT {
    @TempDir
    Path dir;

    @AfterEach
    void noLeakNoDeadHandle() {
        LibnrtDouble.assertNothingLeaked();
    }

    private static RuntimeBackend backend() {
        LibnrtDouble.use();
        return new NativeBackendProvider().open(RuntimeOptions.builder().build());
    }

    @Test
    void doubleFreeOfABackendTensorIsInvalidHandle() {
        RuntimeBackend b = backend();
        try {
            TensorHandle t = b.allocate(TensorPlacement.DEVICE, 0, 16, "t");
            t.free();
            assertThatThrownBy(t::free)
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID_HANDLE));
            assertThatThrownBy(() -> t.write(0, ByteBuffer.allocateDirect(4)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID_HANDLE));
        } finally {
            b.close();
        }
    }

    @Test
    void handlesOfAClosedRuntimeReportClosed() {
        RuntimeBackend b = backend();
        TensorHandle t = b.allocate(TensorPlacement.HOST, -1, 16, "t");
        ModelHandle m =
                b.load(ModelSource.of(TestNeffs.write(dir, "c.neff", TestNeffs.copy(1))), LoadOptions.anyCore());
        // Released first, as the API layer's registry does before it closes a backend (RuntimeBackend.close).
        t.free();
        m.unload();
        b.close();
        assertThatThrownBy(() -> t.read(0, ByteBuffer.allocate(4)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        assertThatThrownBy(t::free)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        assertThatThrownBy(() -> m.execute(Map.of(), Map.of()))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        assertThatThrownBy(m::unload)
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
    }

    @Test
    void aTensorOfAnEarlierRuntimeIsRefusedByTheNextOne() {
        RuntimeBackend first = backend();
        TensorHandle stale = first.allocate(TensorPlacement.DEVICE, 0, 4, "stale");
        stale.free();
        first.close();
        RuntimeBackend second = backend();
        try {
            ModelHandle m = second.load(
                    ModelSource.of(TestNeffs.write(dir, "c.neff", TestNeffs.copy(1))), LoadOptions.anyCore());
            TensorHandle out = second.allocate(TensorPlacement.DEVICE, 0, 4, "out");
            assertThatThrownBy(() -> m.execute(Map.of("input0", stale), Map.of("output0", out)))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage()).contains("does not belong to this native runtime");
                    });
            out.free();
            m.unload();
        } finally {
            second.close();
        }
    }

    @Test
    void useAfterCloseThroughTheApiIsAnIllegalStateAndCloseIsIdempotent() {
        Tensor t;
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            t = rt.allocate("t", 8, 0);
            t.close();
            t.close();
            assertThatThrownBy(() -> t.write(new byte[8])).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(t::readBytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void executeWithMissingOrWrongSizedTensorsIsInvalidAsLibnrtDocuments() {
        RuntimeBackend b = backend();
        try {
            ModelHandle m =
                    b.load(ModelSource.of(TestNeffs.write(dir, "add.neff", TestNeffs.add())), LoadOptions.onCore(0));
            TensorHandle a = b.allocate(TensorPlacement.DEVICE, 0, 24, "a");
            TensorHandle small = b.allocate(TensorPlacement.DEVICE, 0, 20, "small");
            TensorHandle out = b.allocate(TensorPlacement.DEVICE, 0, 24, "out");
            // nrt_status.h: NRT_INVALID is "input tensor name/size does not match the model".
            assertThatThrownBy(() -> m.execute(Map.of("input0", a), Map.of("output0", out)))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.operation()).isEqualTo("nrt_execute");
                        assertThat(e.getMessage())
                                .contains("input tensor name/size does not match the model")
                                .contains("input1 (24 bytes) is missing");
                    });
            assertThatThrownBy(() -> m.execute(Map.of("input0", a, "input1", small), Map.of("output0", out)))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage()).contains("input1 is 20 bytes, the model's 24");
                    });
            a.free();
            assertThatThrownBy(() -> m.execute(Map.of("input0", a, "input1", out), Map.of("output0", out)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID_HANDLE));
            small.free();
            out.free();
            m.unload();
            assertThatThrownBy(m::unload)
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID_HANDLE));
        } finally {
            b.close();
        }
    }

    @Test
    void executeThroughTheApiWithAMissingInputIsBadInput() {
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(TestNeffs.write(dir, "add.neff", TestNeffs.add()));
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs();
                TensorSet partial = rt.newTensorSet()) {
            partial.put("input0", in.get("input0"));
            assertThatThrownBy(() -> m.execute(partial, out))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT));
        }
    }

    @Test
    void garbageAndUnsupportedFilesAreRefusedByLibnrt() {
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            byte[] garbage = new byte[4096];
            new java.util.Random(7).nextBytes(garbage);
            assertThatThrownBy(() -> rt.load(TestNeffs.write(dir, "garbage.neff", garbage)))
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage()).contains("nrt_load").contains("the file:");
                    });
            assertThatThrownBy(() -> rt.load(TestNeffs.write(dir, "tiny.neff", new byte[3])))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            assertThatThrownBy(() -> rt.load(TestNeffs.write(dir, "v3.neff", TestNeffs.withMajorVersion(3))))
                    .isInstanceOfSatisfying(
                            NeuronException.class,
                            e -> assertThat(e.status()).isEqualTo(Status.UNSUPPORTED_NEFF_VERSION));
            assertThatThrownBy(() -> rt.load(TestNeffs.write(
                            dir, "wide.neff", TestNeffs.needingCores(rt.cores().size() + 1))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.LOAD_NOT_ENOUGH_NC));
        }
    }

    @Test
    void aSecondRuntimeInTheProcessIsRefusedWhileOneIsOpen() {
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThatThrownBy(LibnrtDouble::open)
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
            assertThat(rt.isOpen()).isTrue();
        }
        try (NeuronRuntime again = LibnrtDouble.open()) {
            assertThat(again.cores()).hasSize(4);
        }
    }

    @Test
    void coreSetsLibnrtRefusesFailTheOpenWithItsStatusAndLeaveNothingBehind() {
        assertThatThrownBy(() -> LibnrtDouble.open(RuntimeOptions.builder().visibleCores("0,2")))
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.INVALID);
                    assertThat(e.operation()).isEqualTo("nrt_init");
                });
        assertThatThrownBy(() -> LibnrtDouble.open(RuntimeOptions.builder().visibleCores("1-4")))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.cores())
                    .as("the failed opens put the environment back and released the runtime slot")
                    .hasSize(4);
        }
    }

    @Test
    void outOfBoundsAndCrossCoreCopiesAreInvalid() {
        RuntimeBackend b = backend();
        try {
            TensorHandle t0 = b.allocate(TensorPlacement.DEVICE, 0, 16, "t0");
            TensorHandle t1 = b.allocate(TensorPlacement.DEVICE, 1, 16, "t1");
            NativeTensor n0 = (NativeTensor) t0;
            assertThatThrownBy(() -> n0.runtime().lib().tensorWrite(n0.address("w"), new byte[8], 0, 12, 8))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            assertThatThrownBy(() -> t0.copyTo(0, t1, 0, 16))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            t0.free();
            t1.free();
        } finally {
            b.close();
        }
    }

    @Test
    void deviceMemoryRunsOutWithResource() {
        RuntimeBackend b = backend();
        try {
            assertThatThrownBy(() -> b.allocate(TensorPlacement.DEVICE, 0, 2L << 30, "huge"))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
        } finally {
            b.close();
        }
    }
}
