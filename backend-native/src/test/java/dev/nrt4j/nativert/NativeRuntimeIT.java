package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native backend end to end through the public API, against the libnrt double, with whichever
 * binding this JVM gets (FFM on 22+ from the multi-release jar, JNA on 17).
 */
class NativeRuntimeIT {
    @TempDir
    Path dir;

    @AfterEach
    void nothingLeaks() {
        LibnrtDouble.assertNothingLeaked();
    }

    @Test
    void opensOnTheDoubleWithItsVersionInstanceAndCores() {
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.backend().name()).isEqualTo("native");
            assertThat(rt.backend().version()).isEqualTo("2.34.10.0");
            // Unset, the double poses as a trn2.3xlarge: one Trainium2, 8 physical cores, 4 logical at LNC 2.
            assertThat(rt.backend().instanceType()).isEqualTo("trn2.3xlarge");
            assertThat(rt.backend().lnc()).isEqualTo(2);
            assertThat(rt.backend().detail()).contains(LibnrtDouble.path().toString());
            assertThat(rt.cores()).hasSize(4);
            assertThat(rt.cores().get(1).globalId()).isEqualTo(1);
            assertThat(rt.cores().get(1).physicalCores()).containsExactly(2, 3);
            assertThat(rt.devices()).hasSize(1);
            assertThat(LibnrtDouble.state()).isEqualTo(1);
        }
        assertThat(LibnrtDouble.state()).as("nrt_close was called").isEqualTo(2);
    }

    @Test
    void devicesComeFromTheDriversSysfsWhenItHasThem() throws Exception {
        // Two linked Trainium devices, written in the driver's formats, where libnrt's codes say trn1.2xlarge (one).
        for (int d = 0; d < 2; d++) {
            Path dev =
                    java.nio.file.Files.createDirectories(dir.resolve("sys/devices/virtual/neuron_device/neuron" + d));
            java.nio.file.Files.writeString(dev.resolve("core_count"), "2");
            java.nio.file.Files.writeString(dev.resolve("connected_devices"), (1 - d) + "\n");
            java.nio.file.Files.createDirectories(dev.resolve("info/architecture"));
            java.nio.file.Files.writeString(dev.resolve("info/architecture/device_name"), "Trainium1\n");
        }
        System.setProperty(NativeDriverView.ROOT_PROPERTY, dir.toString());
        try (LibnrtDouble.AutoCloseableInstance trn1 = LibnrtDouble.posingAs("trn1.2xlarge");
                NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.devices()).hasSize(2);
            assertThat(rt.devices().get(1).chip()).isEqualTo("Trainium");
            assertThat(rt.devices().get(1).logicalCoreIds()).containsExactly(2, 3);
            assertThat(rt.devices().get(1).connectedDevices()).containsExactly(0);
            assertThat(rt.devices().get(1).memoryBytes()).isEqualTo(32L << 30);
            assertThat(dev.nrt4j.spi.DriverViews.of(
                                    RuntimeOptions.builder().backend("native").build())
                            .sys())
                    .isEqualTo(dir.resolve("sys"));
        } finally {
            System.clearProperty(NativeDriverView.ROOT_PROPERTY);
        }
    }

    @Test
    void anLncTheDriversChipLacksIsInvalidBeforeLibnrtSeesIt() throws Exception {
        // The driver shows a Trainium1 (LNC 1 only) while libnrt, posing as a trn2.3xlarge, would take LNC 2:
        // the refusal comes from the chip the driver shows, not from whatever libnrt answers.
        Path dev = java.nio.file.Files.createDirectories(dir.resolve("sys/devices/virtual/neuron_device/neuron0"));
        java.nio.file.Files.writeString(dev.resolve("core_count"), "2");
        java.nio.file.Files.createDirectories(dev.resolve("info/architecture"));
        java.nio.file.Files.writeString(dev.resolve("info/architecture/device_name"), "Trainium1\n");
        System.setProperty(NativeDriverView.ROOT_PROPERTY, dir.toString());
        try {
            assertThatThrownBy(() ->
                            LibnrtDouble.open(RuntimeOptions.builder().lnc(2)).close())
                    .isInstanceOfSatisfying(NeuronException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.INVALID);
                        assertThat(e.getMessage())
                                .contains("NEURON_LOGICAL_NC_CONFIG=2")
                                .contains("[1]");
                    });
            assertThat(LibnrtDouble.state())
                    .as("libnrt was never initialised for it")
                    .isNotEqualTo(1);
            try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().lnc(1))) {
                assertThat(rt.backend().lnc()).isEqualTo(1);
            }
        } finally {
            System.clearProperty(NativeDriverView.ROOT_PROPERTY);
        }
    }

    @Test
    void runtimeOptionsReachLibnrtThroughTheEnvironmentBeforeInit() {
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().visibleCores("1"))) {
            assertThat(rt.cores()).hasSize(1);
            assertThat(rt.cores().get(0).index()).isZero();
            assertThat(rt.cores().get(0).globalId()).isEqualTo(1);
        }
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder())) {
            assertThat(rt.cores())
                    .as("the variable set for the previous runtime was put back")
                    .hasSize(4);
        }
    }

    @Test
    void directBuffersRoundTripAndHeapArraysToo() {
        try (NeuronRuntime rt = LibnrtDouble.open();
                Tensor t = rt.allocate("t", 64, 1);
                Tensor h = rt.allocateHost("h", 16)) {
            assertThat(t.readBytes()).as("allocated zeroed").containsOnly(0);
            ByteBuffer src = ByteBuffer.allocateDirect(32);
            for (int i = 0; i < 32; i++) {
                src.put((byte) (i + 1));
            }
            src.position(8);
            t.write(16, src);
            assertThat(src.remaining()).isZero();
            ByteBuffer dst = ByteBuffer.allocateDirect(24);
            t.read(16, dst);
            dst.flip();
            assertThat(dst.get(0)).isEqualTo((byte) 9);
            assertThat(dst.get(23)).isEqualTo((byte) 32);

            t.write(new float[] {1.5f, -2f});
            assertThat(t.readFloats()).startsWith(1.5f, -2f);

            t.copyTo(0, h, 8, 8);
            h.fill(0, 4, (byte) 7);
            byte[] host = h.readBytes();
            assertThat(host[0]).isEqualTo((byte) 7);
            assertThat(ByteBuffer.wrap(host, 8, 4)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getFloat())
                    .isEqualTo(1.5f);
        }
    }

    @Test
    void directWritesAndReadsMakeNoHeapCopy() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int size = 64 << 20;
        ByteBuffer big = ByteBuffer.allocateDirect(size);
        big.put(size - 1, (byte) 42);
        try (NeuronRuntime rt = LibnrtDouble.open();
                Tensor t = rt.allocate("big", size, 0)) {
            t.write(big.duplicate());
            t.read(big.duplicate());
            long before = mx.getCurrentThreadAllocatedBytes();
            t.write(big.duplicate());
            ByteBuffer back = ByteBuffer.allocateDirect(size);
            long beforeRead = mx.getCurrentThreadAllocatedBytes();
            t.read(back);
            long after = mx.getCurrentThreadAllocatedBytes();
            assertThat(beforeRead - before)
                    .as("heap bytes allocated by a 64 MiB direct write")
                    .isLessThan(1 << 20);
            assertThat(after - beforeRead)
                    .as("heap bytes allocated by a 64 MiB direct read")
                    .isLessThan(1 << 20);
            assertThat(back.get(size - 1)).isEqualTo((byte) 42);
        }
    }

    @Test
    void largeWritesAndReadsLandEveryByteAtAnyAlignment() {
        // Past 1 MiB the double copies in two parts (a head up to a 64-byte boundary, then the string copy):
        // every split of the head, and odd sizes, must still move exactly the bytes asked for.
        int size = (1 << 20) + 77;
        byte[] data = new byte[size];
        new java.util.SplittableRandom(11).nextBytes(data);
        ByteBuffer src = ByteBuffer.allocateDirect(size + 64);
        ByteBuffer back = ByteBuffer.allocateDirect(size + 64);
        try (NeuronRuntime rt = LibnrtDouble.open();
                Tensor t = rt.allocate("t", size + 128, 0)) {
            for (int shift : new int[] {0, 1, 17, 48, 63}) {
                t.fill(0, size + 128, (byte) 0x5a);
                src.clear().position(shift);
                src.put(data).flip().position(shift);
                t.write(shift + 1, src);
                back.clear().position(63 - shift).limit(63 - shift + size);
                t.read(shift + 1, back);
                byte[] got = new byte[size];
                back.position(63 - shift);
                back.get(got);
                assertThat(got).as("bytes back, head shift %d", shift).isEqualTo(data);
                byte[] whole = t.readBytes();
                assertThat(whole[shift]).as("the byte before the write").isEqualTo((byte) 0x5a);
                assertThat(whole[shift + 1 + size])
                        .as("the byte after the write")
                        .isEqualTo((byte) 0x5a);
            }
        }
    }

    @Test
    void loadsANeffAndReportsItsSignatureFromTheRuntime() {
        Path neff = TestNeffs.write(dir, "add.neff", TestNeffs.add());
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(neff)) {
            assertThat(m.signature().inputs())
                    .containsExactly(
                            new TensorInfo("input0", DType.FLOAT32, Shape.of(2, 3)),
                            new TensorInfo("input1", DType.FLOAT32, Shape.of(2, 3)));
            assertThat(m.signature().outputs())
                    .containsExactly(new TensorInfo("output0", DType.FLOAT32, Shape.of(2, 3)));
            assertThat(m.core()).isZero();
        }
    }

    @Test
    void executesCopyAddAndMatmul() {
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            try (Model m = rt.load(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(3)))) {
                Map<String, dev.nrt4j.HostTensor> out =
                        m.run(Map.of("input0", dev.nrt4j.HostTensor.of(new float[] {1, 2, 3}, 3)));
                assertThat(out.get("output0").toFloatArray()).containsExactly(1, 2, 3);
            }
            try (Model m = rt.load(TestNeffs.write(dir, "add.neff", TestNeffs.add()));
                    TensorSet in = m.allocateInputs();
                    TensorSet out = m.allocateOutputs()) {
                in.get("input0").write(new float[] {1, 2, 3, 4, 5, 6});
                in.get("input1").write(new float[] {10, 20, 30, 40, 50, 60});
                m.execute(in, out);
                assertThat(out.get("output0").readFloats()).containsExactly(11, 22, 33, 44, 55, 66);
            }
            try (Model m = rt.load(TestNeffs.write(dir, "mm.neff", TestNeffs.matmul("f32")));
                    TensorSet in = m.allocateInputs();
                    TensorSet out = m.allocateOutputs()) {
                in.get("input0").write(new float[] {1, 2, 3, 4, 5, 6});
                in.get("input1").write(new float[] {1, 0, 0, 1, 1, 1});
                m.execute(in, out);
                assertThat(out.get("output0").readFloats()).containsExactly(4, 5, 10, 11);
            }
            try (Model m = rt.load(TestNeffs.write(dir, "mm16.neff", TestNeffs.matmul("bf16")));
                    TensorSet in = m.allocateInputs();
                    TensorSet out = m.allocateOutputs()) {
                assertThat(m.signature().inputs().get(0).dtype()).isEqualTo(DType.BFLOAT16);
                in.get("input0").write(bf16(0.5f, 1, 2, 3, 4, 5));
                in.get("input1").write(bf16(2, 0, 0, 2, 1, 1));
                m.execute(in, out);
                ByteBuffer r = ByteBuffer.wrap(out.get("output0").readBytes()).order(ByteOrder.LITTLE_ENDIAN);
                float[] got = new float[4];
                for (int i = 0; i < 4; i++) {
                    got[i] = BFloat16.toFloat(r.getShort());
                }
                assertThat(got[0]).isCloseTo(3f, within(0.01f));
                assertThat(got[1]).isCloseTo(4f, within(0.01f));
                assertThat(got[2]).isCloseTo(11f, within(0.01f));
                assertThat(got[3]).isCloseTo(13f, within(0.01f));
            }
        }
    }

    private static byte[] bf16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(BFloat16.fromFloat(f));
        }
        return b.array();
    }

    @Test
    void unclosedTensorsAndModelsAreFreedWhenTheRuntimeCloses() {
        NeuronRuntime rt = LibnrtDouble.open();
        Tensor forgotten = rt.allocate("forgotten", 128, 0);
        Model model = rt.load(TestNeffs.write(dir, "copy.neff", TestNeffs.copy(2)));
        TensorSet inputs = model.allocateInputs();
        try {
            assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).isEqualTo(2);
            assertThat(LibnrtDouble.live(LibnrtDouble.MODELS)).isEqualTo(1);
        } finally {
            // Reachable until here: otherwise a collection may let the Cleaner free them before the count.
            java.lang.ref.Reference.reachabilityFence(forgotten);
            java.lang.ref.Reference.reachabilityFence(model);
            java.lang.ref.Reference.reachabilityFence(inputs);
            rt.close();
        }
        // nothingLeaks() checks that all of it reached libnrt's free functions before nrt_close.
    }

    @Test
    void theProfileSwitchReachesLibnrtAsItsInspectVariables() throws Exception {
        Path profile = dir.resolve("profile");
        try (NeuronRuntime rt = LibnrtDouble.open(RuntimeOptions.builder().profileOutput(profile))) {
            assertThat(rt.cores()).isNotEmpty();
        }
        // The double records what it saw at nrt_init where libnrt would write its NTFF profiles.
        assertThat(Files.readAllLines(profile.resolve("nrt4j-double-inspect.txt")))
                .containsExactly(
                        "NEURON_RT_INSPECT_ENABLE=1", "NEURON_RT_INSPECT_OUTPUT_DIR=" + profile.toAbsolutePath());
        // And only when asked: a runtime without the switch leaves no record.
        Path other = dir.resolve("unprofiled");
        Files.createDirectories(other);
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.cores()).isNotEmpty();
        }
        assertThat(other).isEmptyDirectory();
    }

    @Test
    void aProfileDirectoryThatCannotBeMadeIsInvalidBeforeLibnrtStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> LibnrtDouble.open(RuntimeOptions.builder().profileOutput(file.resolve("sub")))
                        .close())
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining(file.resolve("sub").toString())
                .satisfies(e -> assertThat(((NeuronException) e).status()).isEqualTo(Status.INVALID));
        assertThat(LibnrtDouble.state()).as("nrt_init was never called").isNotEqualTo(1);
    }
}
