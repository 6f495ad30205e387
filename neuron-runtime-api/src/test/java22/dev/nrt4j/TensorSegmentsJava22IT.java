package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TensorSegments} from the packaged multi-release jar (compiled from src/test/java22 on a JDK 22+
 * build only, and left out of the JDK 17 leg): every kind of segment in and out of a tensor, in more
 * than one chunk, with the tensor's bounds and lifecycle.
 */
class TensorSegmentsJava22IT {
    /** Two chunks and a remainder. */
    private static final int BYTES = 2 * TensorSegments.CHUNK + 12_345;

    private static final long AT = 100;

    private NeuronRuntime rt;
    private Tensor tensor;

    @BeforeEach
    void open() {
        rt = TestRuntimes.memory();
        // Host memory: the test backend's cores hold 1 MiB, less than two chunks.
        tensor = rt.allocateHost("t", AT + BYTES + 7);
    }

    @AfterEach
    void close() {
        rt.close();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }

    private byte[] tensorBytes(long offset, int n) {
        byte[] b = new byte[n];
        tensor.read(offset, ByteBuffer.wrap(b));
        return b;
    }

    @Test
    void theClassComesFromTheVersionedPartOfThePackagedJar() {
        String location = TensorSegments.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();
        assertThat(location).endsWith(".jar");
        assertThat(TensorSegments.class.getResource("TensorSegments.class").toString())
                .contains("META-INF/versions/22/");
    }

    @Test
    void aNativeSegmentGoesInAndOut() {
        byte[] data = random(BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(BYTES).copyFrom(MemorySegment.ofArray(data));
            TensorSegments.write(tensor, AT, src);
            assertThat(tensorBytes(AT, BYTES)).isEqualTo(data);
            assertThat(tensorBytes(0, (int) AT)).containsOnly(0);
            MemorySegment dst = arena.allocate(BYTES);
            TensorSegments.read(tensor, AT, dst);
            assertThat(dst.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(data);
        }
    }

    @Test
    void heapSegmentsOverBytesAndOverOtherArraysGoInAndOut() {
        byte[] data = random(BYTES);
        TensorSegments.write(tensor, AT, MemorySegment.ofArray(data).asReadOnly());
        byte[] back = new byte[BYTES];
        TensorSegments.read(tensor, AT, MemorySegment.ofArray(back));
        assertThat(back).isEqualTo(data);

        // A float[] segment cannot be viewed as a ByteBuffer: it goes through the bounce buffer.
        float[] floats = new float[BYTES / 4];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) r.nextDouble();
        }
        TensorSegments.write(tensor, AT, MemorySegment.ofArray(floats));
        float[] floatsBack = new float[floats.length];
        TensorSegments.read(tensor, AT, MemorySegment.ofArray(floatsBack));
        assertThat(floatsBack).isEqualTo(floats);
        ByteBuffer expected = ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.nativeOrder())
                .putFloat(floats[0])
                .putFloat(floats[1]);
        assertThat(tensorBytes(AT, 8)).isEqualTo(expected.array());
    }

    @Test
    void aRegionOutsideTheTensorIsInvalidAndMovesNothing() {
        byte[] data = random(64);
        MemorySegment src = MemorySegment.ofArray(data);
        long size = tensor.size();
        assertThatThrownBy(() -> TensorSegments.write(tensor, size - 10, src))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("[" + (size - 10) + ", " + (size + 54) + ")");
        assertThat(tensorBytes(size - 10, 10)).containsOnly(0);
        // A negative offset is the calling code's mistake (the dev.nrt4j error rule), not a status.
        assertThatThrownBy(() -> TensorSegments.read(tensor, -1, MemorySegment.ofArray(new byte[4])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TensorSegments.read(tensor, Long.MAX_VALUE, MemorySegment.ofArray(new byte[4])))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
    }

    @Test
    void aReadOnlyTargetAndAClosedTensorAreRefused() {
        assertThatThrownBy(() -> TensorSegments.read(
                        tensor, 0, MemorySegment.ofArray(new byte[4]).asReadOnly()))
                .isInstanceOf(IllegalArgumentException.class);
        tensor.close();
        assertThatThrownBy(() -> TensorSegments.write(tensor, 0, MemorySegment.ofArray(new byte[4])))
                .isInstanceOf(IllegalStateException.class);
    }
}
