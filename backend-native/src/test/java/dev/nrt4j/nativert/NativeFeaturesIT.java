package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.DType;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorPlacement;
import dev.nrt4j.TensorSet;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.nativert.binding.MemoryStats;
import dev.nrt4j.spi.TensorHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The less travelled parts: dtype numbering chosen from the runtime version, dtypes no numbering
 * knows, execute_repeat, the optional functions (memory stats, model info, output completion,
 * allocate_empty + attach_buffer), tensor sets and collective loads at the binding level, concurrent
 * executes, and tensors freed by the garbage collector.
 */
class NativeFeaturesIT {
    @TempDir
    Path dir;

    @AfterEach
    void noLeakNoDeadHandle() {
        LibnrtDouble.assertNothingLeaked();
    }

    private static LibNrt lib() {
        LibnrtDouble.use();
        return LibraryLocator.locate(System.getenv(), System.getProperties()).lib;
    }

    @Test
    void aRuntimeBefore230ReportsSequentialDtypesAndTheyAreReadAsSuch() {
        LibNrt lib = lib();
        lib.setenv("NRT4J_DOUBLE_RT_VERSION", "2.29.40.0");
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(TestNeffs.write(dir, "mm16.neff", TestNeffs.matmul("bf16")))) {
            assertThat(rt.backend().version()).isEqualTo("2.29.40.0");
            // Sequential BFLOAT16 is 3, which in the current numbering would be UINT8.
            assertThat(m.signature().inputs().get(0).dtype()).isEqualTo(DType.BFLOAT16);
            assertThat(m.signature().outputs().get(0).shape()).isEqualTo(Shape.of(2, 2));
        } finally {
            lib.unsetenv("NRT4J_DOUBLE_RT_VERSION");
        }
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(TestNeffs.write(dir, "mm16.neff", TestNeffs.matmul("bf16")))) {
            assertThat(rt.backend().version()).isEqualTo("2.34.10.0");
            assertThat(m.signature().inputs().get(0).dtype()).isEqualTo(DType.BFLOAT16);
        }
    }

    @Test
    void aDtypeNoNumberingKnowsIsKeptRawAndShownAsBytesOfTheReportedSize() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            NativeModel m = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "p.neff", TestNeffs.packedOutput())), LoadOptions.anyCore());
            assertThat(m.rawTensorInfo().get(1).dtype()).isEqualTo(0x2A);
            assertThat(m.signature().outputs().get(0).dtype()).isEqualTo(DType.UINT8);
            assertThat(m.signature().outputs().get(0).byteSize()).isEqualTo(16);
            assertThat(m.signature().outputs().get(0).shape()).isEqualTo(Shape.of(4, 4));
            m.unload();
        } finally {
            rt.close();
        }
    }

    @Test
    void executeRepeatFeedsOutputsBackAsInputs() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            NativeModel m = (NativeModel)
                    rt.load(ModelSource.of(TestNeffs.write(dir, "add.neff", TestNeffs.add())), LoadOptions.onCore(1));
            assertThat(m.core()).isEqualTo(1);
            assertThat(m.coreCount()).isEqualTo(1);
            TensorHandle a = rt.allocate(TensorPlacement.DEVICE, 1, 24, "a");
            TensorHandle b = rt.allocate(TensorPlacement.DEVICE, 1, 24, "b");
            TensorHandle out = rt.allocate(TensorPlacement.DEVICE, 1, 24, "out");
            a.write(0, floats(1, 2, 3, 4, 5, 6));
            b.write(0, floats(1, 1, 1, 1, 1, 1));
            m.executeRepeat(Map.of("input0", a, "input1", b), Map.of("output0", out), 3);
            ByteBuffer r = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            out.read(0, r);
            r.flip();
            assertThat(r.getFloat(0)).isEqualTo(4f);
            assertThat(r.getFloat(20)).isEqualTo(9f);
            NativeTensor o = (NativeTensor) out;
            assertThat(rt.lib().tensorCheckOutputCompletion(o.address("check"), 0, 1))
                    .isTrue();
            assertThat(rt.lib().tensorCheckOutputCompletion(o.address("check"), 0, 2))
                    .as("times out")
                    .isFalse();
            a.free();
            b.free();
            out.free();
            m.unload();
        } finally {
            rt.close();
        }
    }

    private static ByteBuffer floats(float... v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.flip();
    }

    @Test
    void optionalFunctionsArePresentInTheDoubleAndWork() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            LibNrt lib = rt.lib();
            assertThat(lib.missingOptionalFunctions()).isEmpty();
            MemoryStats before = lib.memoryStats(0).orElseThrow();
            TensorHandle t = rt.allocate(TensorPlacement.DEVICE, 0, 1 << 20, "t");
            assertThat(lib.memoryStats(0).orElseThrow().bytesUsed()).isEqualTo(before.bytesUsed() + (1 << 20));
            assertThat(lib.instanceInfo().orElseThrow().archName()).isEqualTo("trn2");
            t.free();
            assertThat(lib.memoryStats(0).orElseThrow().bytesUsed()).isEqualTo(before.bytesUsed());

            // A caller-owned buffer as a tensor's storage: writes through the tensor land in the buffer.
            ByteBuffer storage = ByteBuffer.allocateDirect(8);
            long empty = lib.tensorAllocateEmpty("attached").orElseThrow();
            try {
                lib.tensorAttachBuffer(empty, lib.directBufferAddress(storage), 8);
                assertThat(lib.tensorSize(empty)).isEqualTo(8);
                assertThat(lib.tensorVa(empty)).isEqualTo(lib.directBufferAddress(storage));
                lib.tensorWrite(empty, new byte[] {5, 6, 7}, 0, 2, 3);
                assertThat(storage.get(2)).isEqualTo((byte) 5);
                assertThat(storage.get(4)).isEqualTo((byte) 7);
            } finally {
                lib.tensorFree(empty);
                java.lang.ref.Reference.reachabilityFence(storage);
            }
        } finally {
            rt.close();
        }
    }

    @Test
    void tensorSetsReplaceByNameFailOnMissingNamesAndNeverFreeTheirTensors() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            LibNrt lib = rt.lib();
            long a = lib.tensorAllocate(LibNrt.PLACEMENT_HOST, -1, 4, "a");
            long b = lib.tensorAllocate(LibNrt.PLACEMENT_HOST, -1, 4, "b");
            long set = lib.allocateTensorSet();
            lib.addTensorToTensorSet(set, "x", a);
            assertThat(lib.getTensorFromTensorSet(set, "x")).isEqualTo(a);
            lib.addTensorToTensorSet(set, "x", b);
            assertThat(lib.getTensorFromTensorSet(set, "x")).isEqualTo(b);
            assertThatThrownBy(() -> lib.getTensorFromTensorSet(set, "y"))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE));
            lib.destroyTensorSet(set);
            assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).isEqualTo(2);
            lib.tensorFree(a);
            lib.tensorFree(b);
        } finally {
            rt.close();
        }
    }

    @Test
    void collectiveLoadsCheckTheirRankAndLoadAsRanks() {
        LibnrtDouble.use();
        NativeRuntime rt = (NativeRuntime)
                new NativeBackendProvider().open(RuntimeOptions.builder().build());
        try {
            byte[] neff = TestNeffs.allReduce(2, 1);
            assertThatThrownBy(() -> rt.lib().loadCollectives(neff, 0, -1, 2, 2))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            NativeModel rank1 = (NativeModel) rt.load(
                    ModelSource.of(TestNeffs.write(dir, "c.neff", neff)),
                    LoadOptions.onCore(1).asRank(1, 2));
            assertThat(rank1.core()).isEqualTo(1);
            rank1.unload();
        } finally {
            rt.close();
        }
    }

    @Test
    void manyThreadsExecuteOneModelAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(TestNeffs.write(dir, "add.neff", TestNeffs.add()))) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                float k = t;
                results.add(pool.submit(() -> {
                    try (TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        in.get("input1").write(new float[] {k, k, k, k, k, k});
                        boolean ok = true;
                        for (int i = 0; i < 200; i++) {
                            in.get("input0").write(new float[] {i, i, i, i, i, i});
                            m.execute(in, out);
                            ok &= out.get("output0").readFloats()[5] == i + k;
                        }
                        return ok;
                    }
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTensorTheProgramDropsIsFreedInLibnrtByTheGarbageCollector() throws InterruptedException {
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().leakDetection(true))) {
            allocateAndDrop(rt);
            assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).isEqualTo(1);
            for (int i = 0; i < 100 && LibnrtDouble.live(LibnrtDouble.TENSORS) > 0; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS))
                    .as("freed while the runtime is still open")
                    .isZero();
        }
    }

    private static void allocateAndDrop(NeuronRuntime rt) {
        rt.allocate("dropped", 64, 0);
    }
}
