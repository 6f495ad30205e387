package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.DType;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** Tensors in the reference device's simulated HBM: capacity per stack, data, copies. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ReferenceTensorMemoryTest {
    private static final long GIB = 1L << 30;

    @Test
    void aTrn1RefusesA40GibTensorAndAFullStackRefusesMore() {
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            assertThatThrownBy(() -> rt.allocate("huge", 40 * GIB, 0))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                    .hasMessageContaining("HBM stack 0 of neuron0");
            // The whole 16 GiB stack of core 0 can be had (nothing is resident until written) ...
            Tensor all = rt.allocate("all", 16 * GIB, 0);
            assertThatThrownBy(() -> rt.allocate("one more byte", 1, 0))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
            // ... core 1 has its own stack ...
            rt.allocate("other core", 8 * GIB, 1).close();
            // ... and freeing gives the capacity back.
            all.close();
            rt.allocate("again", 16 * GIB, 0).close();
        }
    }

    @Test
    void coresThatShareAStackShareItsCapacity() {
        try (NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options()
                .instanceType("trn2.3xlarge")
                .lnc(1)
                .build())) {
            try (Tensor t = rt.allocate("fills stack 0", 24 * GIB, 0)) {
                assertThatThrownBy(() -> rt.allocate("same stack", 1, 1))
                        .isInstanceOfSatisfying(
                                NeuronException.class,
                                e -> assertThat(e.status()).isEqualTo(Status.RESOURCE));
                rt.allocate("next stack", 24 * GIB, 2).close();
            }
        }
    }

    @Test
    void aTensorPastTwoGibibytesIsAddressedPastTwoGibibytesInChunks() {
        // 2 GiB + 4 KiB: every offset past 2^31 must reach its own bytes, not wrap into the first 2 GiB.
        long size = (2 * GIB) + 4096;
        long past = 2 * GIB;
        int chunk = 2048;
        byte[] data = new byte[4 * chunk];
        new SplittableRandom(5).nextBytes(data);
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Tensor t = rt.allocate("big", size, 0);
                Tensor small = rt.allocate("small", 4096, 0)) {
            assertThat(t.size()).isEqualTo(size);
            // Written in chunks across the 2^31 boundary, from heap and direct buffers alike.
            long start = past - 3 * chunk;
            for (int i = 0; i < 4; i++) {
                ByteBuffer src = i % 2 == 0
                        ? ByteBuffer.wrap(data, i * chunk, chunk).slice()
                        : ByteBuffer.allocateDirect(chunk)
                                .put(data, i * chunk, chunk)
                                .flip();
                t.write(start + (long) i * chunk, src);
                assertThat(src.hasRemaining()).isFalse();
            }
            byte[] back = new byte[data.length];
            for (int i = 0; i < 4; i++) {
                t.read(start + (long) i * chunk, ByteBuffer.wrap(back, i * chunk, chunk));
            }
            assertThat(back).isEqualTo(data);
            byte[] head = new byte[64];
            t.read(0, ByteBuffer.wrap(head));
            assertThat(head)
                    .as("nothing landed at offset 0 (an int-wrapped offset would)")
                    .containsOnly(0);

            // The last 4 KiB (from 2^31 on), copies from there to another tensor and within the tensor, a fill past
            // 2^31.
            t.write(size - 4096, ByteBuffer.wrap(data, 0, 4096));
            t.copyTo(size - 4096, small, 0, 4096);
            assertThat(small.readBytes()).isEqualTo(Arrays.copyOf(data, 4096));
            t.copyTo(size - 4096, t, 4096, 4096);
            byte[] copied = new byte[4096];
            t.read(4096, ByteBuffer.wrap(copied));
            assertThat(copied).isEqualTo(Arrays.copyOf(data, 4096));
            t.fill(past + 100, 200, (byte) 7);
            byte[] filled = new byte[400];
            t.read(past, ByteBuffer.wrap(filled));
            assertThat(Arrays.copyOfRange(filled, 100, 300)).containsOnly(7);
            assertThat(Arrays.copyOfRange(filled, 0, 100)).isEqualTo(Arrays.copyOf(data, 100));
            assertThat(Arrays.copyOfRange(filled, 300, 400)).isEqualTo(Arrays.copyOfRange(data, 300, 400));

            assertThatThrownBy(() -> t.read(size - 10, ByteBuffer.allocate(20)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining(
                            "[" + (size - 10) + ", " + (size + 10) + ") are outside its " + size + " bytes");
        }
    }

    @Test
    void dataSurvivesPageBoundariesAndUnwrittenBytesAreZero() {
        int size = 3 * SparseMemory.PAGE_SIZE + 123;
        byte[] data = new byte[size];
        new SplittableRandom(7).nextBytes(data);
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Tensor t = rt.allocate("t", size, 0)) {
            assertThat(t.readBytes()).containsOnly(0);
            long straddle = SparseMemory.PAGE_SIZE - 5;
            t.write(straddle, ByteBuffer.wrap(data, 0, 10));
            byte[] back = new byte[10];
            t.read(straddle, ByteBuffer.wrap(back));
            assertThat(back).containsExactly(Arrays.copyOf(data, 10));
            t.write(data);
            assertThat(t.readBytes()).isEqualTo(data);
            t.fill(SparseMemory.PAGE_SIZE, 5, (byte) 0x7f);
            byte[] filled = t.readBytes();
            assertThat(Arrays.copyOfRange(filled, SparseMemory.PAGE_SIZE, SparseMemory.PAGE_SIZE + 5))
                    .containsOnly(0x7f);
            assertThat(filled[SparseMemory.PAGE_SIZE + 5]).isEqualTo(data[SparseMemory.PAGE_SIZE + 5]);
        }
    }

    @Test
    void copiesWithinATensorBehaveAsMemmove() {
        int n = 2 * SparseMemory.PAGE_SIZE + 77;
        byte[] data = new byte[n + 1000];
        new SplittableRandom(11).nextBytes(data);
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Tensor t = rt.allocate("t", data.length, 0)) {
            t.write(data);
            t.copyTo(0, t, 1000, n); // forward overlap
            byte[] expected = data.clone();
            System.arraycopy(data, 0, expected, 1000, n);
            assertThat(t.readBytes()).isEqualTo(expected);

            t.write(data);
            t.copyTo(1000, t, 0, n); // backward overlap
            expected = data.clone();
            System.arraycopy(data, 1000, expected, 0, n);
            assertThat(t.readBytes()).isEqualTo(expected);
        }
    }

    @Test
    void deviceTensorsOnDifferentCoresCannotBeCopiedButHostOnesCan() {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Tensor a = rt.allocate("a", 16, 0);
                Tensor b = rt.allocate("b", 16, 1);
                Tensor h = rt.allocateHost("h", 16)) {
            a.write(new float[] {1, 2, 3, 4});
            assertThatThrownBy(() -> a.copyTo(b))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
            a.copyTo(h);
            h.copyTo(b);
            assertThat(b.read(DType.FLOAT32, Shape.of(4)).toFloatArray()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void sparseMemoryOnlyHoldsWrittenPages() {
        SparseMemory m = new SparseMemory(10L * SparseMemory.PAGE_SIZE);
        assertThat(m.residentBytes()).isZero();
        m.write(5L * SparseMemory.PAGE_SIZE + 1, ByteBuffer.wrap(new byte[] {1, 2}));
        assertThat(m.residentBytes()).isEqualTo(SparseMemory.PAGE_SIZE);
        m.fill(0, 4L * SparseMemory.PAGE_SIZE, (byte) 0);
        assertThat(m.residentBytes())
                .as("zero-filling unwritten pages leaves them unwritten")
                .isEqualTo(SparseMemory.PAGE_SIZE);
        m.clear();
        assertThat(m.residentBytes()).isZero();
    }
}
