package dev.nrt4j.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NpyWriteTest {

    @Test
    void writesExactlyWhatNumPyWrites() {
        byte[] f = Npy.toBytes(HostTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));

        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertThat(f).hasSize(128 + 24);
        assertThat(Arrays.copyOf(f, 10)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0);
        assertThat(new String(f, 10, 118, StandardCharsets.ISO_8859_1))
                .isEqualTo(dict + " ".repeat(118 - dict.length() - 1) + "\n");
        assertThat(Arrays.copyOfRange(f, 128, 132)).containsExactly(0, 0, (byte) 0x80, 0x3F); // 1.0f, little-endian
    }

    @Test
    void shapesOfRankZeroAndOneUsePythonTupleSyntax() {
        assertThat(headerText(HostTensor.of(DType.INT32, Shape.scalar(), new byte[4])))
                .contains("'shape': (), }");
        assertThat(headerText(HostTensor.of(new int[] {7, 8, 9}, 3))).contains("'shape': (3,), }");
        assertThat(headerText(HostTensor.zeros(DType.INT8, Shape.of(0, 4)))).contains("'shape': (0, 4), }");
    }

    /** The descr written for each type, and the type it reads back as. */
    static Stream<org.junit.jupiter.params.provider.Arguments> descrs() {
        return Stream.of(
                args(DType.FLOAT32, "<f4", DType.FLOAT32),
                args(DType.FLOAT16, "<f2", DType.FLOAT16),
                args(DType.BFLOAT16, "<u2", DType.UINT16),
                args(DType.FP8_E4M3, "|u1", DType.UINT8),
                args(DType.FP8_E5M2, "|u1", DType.UINT8),
                args(DType.FP8_E3M4, "|u1", DType.UINT8),
                args(DType.INT8, "|i1", DType.INT8),
                args(DType.UINT8, "|u1", DType.UINT8),
                args(DType.INT16, "<i2", DType.INT16),
                args(DType.UINT16, "<u2", DType.UINT16),
                args(DType.INT32, "<i4", DType.INT32),
                args(DType.UINT32, "<u4", DType.UINT32),
                args(DType.INT64, "<i8", DType.INT64),
                args(DType.UINT64, "<u8", DType.UINT64),
                args(DType.FP32R, "<f4", DType.FLOAT32),
                args(DType.PRED, "|b1", DType.PRED),
                args(DType.FLOAT64, "<f8", DType.FLOAT64));
    }

    private static org.junit.jupiter.params.provider.Arguments args(Object... a) {
        return org.junit.jupiter.params.provider.Arguments.of(a);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("descrs")
    void everyTypeRoundTripsWithItsDescr(DType type, String descr, DType readBack) {
        HostTensor t = random(new Random(type.ordinal()), type, Shape.of(3, 5));

        byte[] f = Npy.toBytes(t);
        HostTensor back = Npy.read(f);

        assertThat(headerText(t)).contains("'descr': '" + descr + "'");
        assertThat(back.dtype()).isEqualTo(readBack);
        assertThat(back.reinterpret(type)).isEqualTo(t);
    }

    @Test
    void descrsCoverEveryDType() {
        assertThat(descrs().map(a -> a.get()[0])).containsExactlyInAnyOrder((Object[]) DType.values());
    }

    static IntStream seeds() {
        return IntStream.rangeClosed(1, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomTensorsRoundTripThroughPathStreamAndBytes(int seed, @TempDir Path dir) throws Exception {
        Random r = new Random(seed);
        DType type = DType.values()[r.nextInt(DType.values().length)];
        long[] dims = new long[r.nextInt(6)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = r.nextInt(7);
        }
        HostTensor t = random(r, type, Shape.of(dims));
        DType stored = Npy.read(Npy.toBytes(t)).dtype();

        Path p = dir.resolve("t.npy");
        Npy.write(t, p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(t, out);
        out.write(Npy.toBytes(t)); // a second copy, to check the stream reader stops at the first's end

        assertThat(Npy.read(p).reinterpret(type)).isEqualTo(t);
        assertThat(Files.readAllBytes(p)).isEqualTo(Npy.toBytes(t));
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(Npy.read(in, "twice").reinterpret(type)).isEqualTo(t);
        assertThat(Npy.read(in, "twice").reinterpret(type)).isEqualTo(t);
        assertThat(in.available()).isZero();
        NpyHeader h = Npy.readHeader(p);
        assertThat(h.dataOffset() % 64).isZero();
        assertThat(h.dtype()).isEqualTo(stored);
        assertThat(h.shape()).isEqualTo(t.shape());
        assertThat(h.fortranOrder()).isFalse();
        assertThat(h.majorVersion()).isEqualTo(1);
    }

    @Test
    void headerBeyond64KiBSwitchesToVersion2() {
        long[] ones = new long[30_000];
        Arrays.fill(ones, 1);

        byte[] h = NpyWriter.header(DType.FLOAT32, Shape.of(ones));

        int length = (h[8] & 0xFF) | (h[9] & 0xFF) << 8 | (h[10] & 0xFF) << 16 | (h[11] & 0xFF) << 24;
        assertThat(h[6]).isEqualTo((byte) 2);
        assertThat(length).isGreaterThan(0xFFFF).isEqualTo(h.length - 12);
        assertThat(h.length % 64).isZero();
        assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
    }

    @Test
    void refusesToWriteMoreDimensionsThanAnyReaderAccepts() {
        long[] ones = new long[65];
        Arrays.fill(ones, 1);
        HostTensor t = HostTensor.zeros(DType.INT8, Shape.of(ones));

        NeuronException e = catchThrowableOfType(NeuronException.class, () -> Npy.toBytes(t));

        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e.getMessage()).contains("rank 65", "at most 64");
    }

    @Test
    void unwritablePathFailsNamingIt(@TempDir Path dir) {
        NeuronException e =
                catchThrowableOfType(NeuronException.class, () -> Npy.write(HostTensor.of(new int[] {1}), dir));

        assertThat(e.status()).isEqualTo(Status.FAILURE);
        assertThat(e.operation()).isEqualTo("write " + dir);
    }

    private static String headerText(HostTensor t) {
        byte[] f = Npy.toBytes(t);
        int length = (f[8] & 0xFF) | (f[9] & 0xFF) << 8;
        return new String(f, 10, length, StandardCharsets.ISO_8859_1);
    }

    /** Random bytes of the right size; pred elements are 0 or 1, as a pred tensor holds. */
    static HostTensor random(Random r, DType type, Shape shape) {
        byte[] data = new byte[(int) shape.byteSize(type)];
        r.nextBytes(data);
        if (type == DType.PRED) {
            for (int i = 0; i < data.length; i++) {
                data[i] &= 1;
            }
        }
        return HostTensor.of(type, shape, data);
    }
}
