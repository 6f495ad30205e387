package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors of 2 GiB + 4 KiB through the API, the binding of this JVM (FFM on 22+, JNA on the JDK 17 leg)
 * and libnrt's {@code size_t} offsets and sizes: every offset past 2^31 reaches its own bytes, and a
 * program whose input and output pass 2 GiB runs. Each test touches a few GiB of native memory in the
 * double (its allocations are filled with garbage, then zeroed by the API).
 */
class PastTwoGibibytesIT {
    private static final long SIZE = (2L << 30) + 4096;
    private static final long PAST = 2L << 30;

    @TempDir
    Path dir;

    @BeforeEach
    void roomForTwoBigTensors() {
        // The double's HBM stacks hold 1 GiB unless told otherwise.
        LibnrtDouble.setenv("NRT4J_DOUBLE_STACK_BYTES", Long.toString(5L << 30));
    }

    @AfterEach
    void defaultsBack() {
        LibnrtDouble.setenv("NRT4J_DOUBLE_STACK_BYTES", null);
        LibnrtDouble.assertNothingLeaked();
    }

    private static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void readsWritesCopiesAndFillsPastTwoToTheThirtyFirst() {
        int chunk = 2048;
        byte[] data = random(4 * chunk, 3);
        try (NeuronRuntime rt = LibnrtDouble.open();
                Tensor t = rt.allocate("big", SIZE, 0);
                Tensor small = rt.allocate("small", 4096, 0)) {
            assertThat(t.size()).isEqualTo(SIZE);
            long start = PAST - 3 * chunk;
            for (int i = 0; i < 4; i++) {
                // Heap and direct buffers take different paths through the binding.
                ByteBuffer src = i % 2 == 0
                        ? ByteBuffer.wrap(data, i * chunk, chunk).slice()
                        : ByteBuffer.allocateDirect(chunk)
                                .put(data, i * chunk, chunk)
                                .flip();
                t.write(start + (long) i * chunk, src);
            }
            byte[] back = new byte[data.length];
            for (int i = 0; i < 4; i++) {
                ByteBuffer dst =
                        i % 2 == 0 ? ByteBuffer.wrap(back, i * chunk, chunk).slice() : ByteBuffer.allocateDirect(chunk);
                t.read(start + (long) i * chunk, dst);
                if (dst.isDirect()) {
                    dst.flip().get(back, i * chunk, chunk);
                }
            }
            assertThat(back).isEqualTo(data);
            byte[] head = new byte[64];
            t.read(0, ByteBuffer.wrap(head));
            assertThat(head)
                    .as("nothing landed at offset 0 (an int-wrapped offset would)")
                    .containsOnly(0);

            t.copyTo(PAST, small, 0, 4096);
            assertThat(Arrays.copyOf(small.readBytes(), chunk))
                    .isEqualTo(Arrays.copyOfRange(data, 3 * chunk, 4 * chunk));
            t.copyTo(PAST - chunk, t, 4096, chunk);
            byte[] copied = new byte[chunk];
            t.read(4096, ByteBuffer.wrap(copied));
            assertThat(copied).isEqualTo(Arrays.copyOfRange(data, 2 * chunk, 3 * chunk));
            t.fill(PAST + 100, 200, (byte) 7);
            byte[] filled = new byte[400];
            t.read(PAST, ByteBuffer.wrap(filled));
            assertThat(Arrays.copyOfRange(filled, 100, 300)).containsOnly(7);
            assertThat(Arrays.copyOf(filled, 100)).isEqualTo(Arrays.copyOfRange(data, 3 * chunk, 3 * chunk + 100));

            assertThatThrownBy(() -> t.read(SIZE - 10, ByteBuffer.allocate(20)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining(
                            "[" + (SIZE - 10) + ", " + (SIZE + 10) + ") are outside its " + SIZE + " bytes");
        }
    }

    @Test
    void aProgramWhoseInputAndOutputPassTwoGibibytesRuns() {
        long floats = SIZE / 4;
        byte[] neff = TestNeffs.neff(
                TestNeffs.program("%0 = input input0 f32 " + floats, "output output0 %0"),
                "input0",
                "input",
                0,
                SIZE,
                "output0",
                "output",
                1,
                SIZE);
        byte[] tail = random(4096, 9);
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(ModelSource.of(TestNeffs.write(dir, "big.neff", neff)), LoadOptions.onCore(0));
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs()) {
            assertThat(m.signature().inputs().get(0).byteSize()).isEqualTo(SIZE);
            in.get("input0").write(SIZE - 4096, ByteBuffer.wrap(tail));
            in.get("input0").fill(0, 16, (byte) 5);
            m.execute(in, out);
            byte[] back = new byte[4096];
            out.get("output0").read(SIZE - 4096, ByteBuffer.wrap(back));
            assertThat(back).isEqualTo(tail);
            byte[] head = new byte[32];
            out.get("output0").read(0, ByteBuffer.wrap(head));
            assertThat(Arrays.copyOf(head, 16)).containsOnly(5);
            assertThat(Arrays.copyOfRange(head, 16, 32)).containsOnly(0);
        }
    }
}
