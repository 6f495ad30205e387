package dev.nrt4j.npy;

import static dev.nrt4j.npy.HandMadeNpy.doubles;
import static dev.nrt4j.npy.HandMadeNpy.file;
import static dev.nrt4j.npy.HandMadeNpy.floats;
import static dev.nrt4j.npy.HandMadeNpy.header;
import static dev.nrt4j.npy.HandMadeNpy.ints;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyReadTest {

    /** Every descr body the reader supports, with the type it maps to. */
    static Stream<Arguments> supportedTypes() {
        return Stream.of(
                Arguments.of("f2", DType.FLOAT16),
                Arguments.of("f4", DType.FLOAT32),
                Arguments.of("f8", DType.FLOAT64),
                Arguments.of("i1", DType.INT8),
                Arguments.of("i2", DType.INT16),
                Arguments.of("i4", DType.INT32),
                Arguments.of("i8", DType.INT64),
                Arguments.of("u1", DType.UINT8),
                Arguments.of("u2", DType.UINT16),
                Arguments.of("u4", DType.UINT32),
                Arguments.of("u8", DType.UINT64),
                Arguments.of("b1", DType.PRED));
    }

    static Stream<Arguments> everyVersionOrderAndType() {
        List<Arguments> all = new ArrayList<>();
        for (int major = 1; major <= 3; major++) {
            for (Arguments t : supportedTypes().toList()) {
                DType type = (DType) t.get()[1];
                String orders = type.byteSize() == 1 ? "<>|=" : "<>=";
                for (char order : orders.toCharArray()) {
                    all.add(Arguments.of(major, order + (String) t.get()[0], type));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "v{0}.0 {1}")
    @MethodSource("everyVersionOrderAndType")
    void readsEverySupportedDescrInEveryVersionAndByteOrder(int major, String descr, DType type) {
        // Distinct bytes in every element, so that a missing or wrong byte swap shows.
        long[] values = type == DType.PRED
                ? new long[] {1, 0, 0, 1}
                : new long[] {0x0102030405060708L, 0x1112131415161718L, -2, 0x7F};
        boolean big = descr.charAt(0) == '>';
        byte[] data = ints(type.byteSize(), big ? BIG_ENDIAN : LITTLE_ENDIAN, values);

        HostTensor t = Npy.read(file(major, header(descr, false, "(2, 2)"), 64, data));

        assertThat(t.dtype()).isEqualTo(type);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 2));
        assertThat(t.toByteArray()).isEqualTo(ints(type.byteSize(), LITTLE_ENDIAN, values));
    }

    @Test
    void bigEndianFloatsReadAsTheirValues() {
        HostTensor f = Npy.read(file(header(">f4", false, "(3,)"), floats(BIG_ENDIAN, 1.5f, -2.25f, Float.NaN)));
        HostTensor d = Npy.read(file(2, header(">f8", false, "(2,)"), 64, doubles(BIG_ENDIAN, Math.PI, -0.0)));

        assertThat(f.toFloatArray()).containsExactly(1.5f, -2.25f, Float.NaN);
        assertThat(d.toDoubleArray()).containsExactly(Math.PI, -0.0);
        assertThat(Double.doubleToRawLongBits(d.toDoubleArray()[1])).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void fortranOrderMatrixIsTransposedIntoCOrder() {
        // A 2x3 matrix [[1, 2, 3], [4, 5, 6]] in column-major order: columns (1, 4), (2, 5), (3, 6).
        byte[] data = floats(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6);

        HostTensor t = Npy.read(file(header("<f4", true, "(2, 3)"), data));

        assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<i4", ">i4"})
    void fortranOrderRank3EveryElementLandsWhereItsIndexSays(String descr) {
        int d0 = 2, d1 = 3, d2 = 4;
        // Element (i, j, k) holds 100i + 10j + k, stored with i varying fastest.
        long[] colMajor = new long[d0 * d1 * d2];
        for (int k = 0; k < d2; k++) {
            for (int j = 0; j < d1; j++) {
                for (int i = 0; i < d0; i++) {
                    colMajor[i + d0 * (j + d1 * k)] = 100 * i + 10 * j + k;
                }
            }
        }
        byte[] data = ints(4, descr.startsWith(">") ? BIG_ENDIAN : LITTLE_ENDIAN, colMajor);

        HostTensor t = Npy.read(file(header(descr, true, "(2, 3, 4)"), data));

        int[] c = t.toIntArray();
        for (int i = 0; i < d0; i++) {
            for (int j = 0; j < d1; j++) {
                for (int k = 0; k < d2; k++) {
                    assertThat(c[(i * d1 + j) * d2 + k])
                            .as("element (%d, %d, %d)", i, j, k)
                            .isEqualTo(100 * i + 10 * j + k);
                }
            }
        }
    }

    @Test
    void fortranOrderOfRankOneAndEmptyArraysChangesNothing() {
        HostTensor vector = Npy.read(file(header("<i2", true, "(3,)"), ints(2, LITTLE_ENDIAN, 7, 8, 9)));
        HostTensor empty = Npy.read(file(header("<i2", true, "(3, 0)"), new byte[0]));

        assertThat(vector.toLongArray()).containsExactly(7, 8, 9);
        assertThat(empty.shape()).isEqualTo(Shape.of(3, 0));
        assertThat(empty.byteSize()).isZero();
    }

    @Test
    void zeroDimensionalArrayIsAScalar() {
        HostTensor t = Npy.read(file(header("<f8", false, "()"), doubles(LITTLE_ENDIAN, 2.5)));

        assertThat(t.shape()).isEqualTo(Shape.scalar());
        assertThat(t.shape().rank()).isZero();
        assertThat(t.toDoubleArray()).containsExactly(2.5);
    }

    @Test
    void boolsAreZeroOrOneWhateverNonZeroByteTheFileHolds() {
        HostTensor b1 = Npy.read(file(header("|b1", false, "(4,)"), new byte[] {0, 1, 2, (byte) 0xFF}));
        HostTensor q = Npy.read(file(header("?", false, "(2,)"), new byte[] {1, 0}));

        assertThat(b1.dtype()).isEqualTo(DType.PRED);
        assertThat(b1.toByteArray()).containsExactly(0, 1, 1, 1);
        assertThat(q.dtype()).isEqualTo(DType.PRED);
        assertThat(q.toByteArray()).containsExactly(1, 0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                "{'shape': (2,), 'descr': '<i4', 'fortran_order': False}",
                "{\"fortran_order\":False,\"shape\":(2,),\"descr\":\"<i4\"}",
                "{ 'descr' : '<i4' ,\n 'fortran_order' : False ,\t'shape' : ( 2 , ) , }",
                "{'descr': '<i4', 'fortran_order': False, 'shape': (2L,)}",
            })
    void acceptsHeaderDialects(String header) {
        HostTensor t = Npy.read(file(header, ints(4, LITTLE_ENDIAN, 5, -6)));

        assertThat(t.shape()).isEqualTo(Shape.of(2));
        assertThat(t.toIntArray()).containsExactly(5, -6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 64, 4096})
    void acceptsAnyPaddingAlignment(int align) {
        HostTensor t = Npy.read(file(1, header("<u2", false, "(1,)"), align, ints(2, LITTLE_ENDIAN, 0xBEEF)));

        assertThat(t.toLongArray()).containsExactly(0xBEEF);
    }

    @Test
    void version3HeaderIsUtf8() {
        // A non-ASCII character can only sit in a string, and the only free string is the descr; the
        // message must show it decoded, which proves the UTF-8 reading.
        byte[] f = file(3, header("<f4\u00e9", false, "(1,)"), 64, new byte[4]);

        assertThat(NpyBadInputTest.failure(() -> Npy.read(f))).hasMessageContaining("'<f4\u00e9'");
    }

    @Test
    void readsFromFileAndReadsHeaderAlone(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("x.npy");
        byte[] f = file(2, header(">u4", false, "(2, 1)"), 64, ints(4, BIG_ENDIAN, 1, 0xFFFFFFFFL));
        Files.write(p, f);

        HostTensor t = Npy.read(p);
        NpyHeader h = Npy.readHeader(p);

        assertThat(t.dtype()).isEqualTo(DType.UINT32);
        assertThat(t.toLongArray()).containsExactly(1, 0xFFFFFFFFL);
        assertThat(h.majorVersion()).isEqualTo(2);
        assertThat(h.descr()).isEqualTo(">u4");
        assertThat(h.bigEndian()).isTrue();
        assertThat(h.shape()).isEqualTo(Shape.of(2, 1));
        assertThat(h.dataOffset()).isEqualTo(f.length - 8).isEqualTo(128);
        assertThat(h.dataByteSize()).isEqualTo(8);
    }

    @Test
    void namedPipeIsReadAsAStreamNotAsAnEmptyFile(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.npy");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (java.io.IOException noMkfifo) {
            made = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(made, "mkfifo is not available here");
        byte[] f = file(header("<i4", false, "(2,)"), ints(4, LITTLE_ENDIAN, 3, 4));
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, f);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();

        HostTensor t = Npy.read(fifo);

        writer.join();
        assertThat(t.toIntArray()).containsExactly(3, 4);
    }

    @Test
    void streamReadsArraysOneAfterAnother() {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(file(header("|i1", false, "(3,)"), new byte[] {1, -2, 3}));
        both.writeBytes(file(3, header("<i8", false, "()"), 64, ints(8, LITTLE_ENDIAN, 42)));
        InputStream in = new ByteArrayInputStream(both.toByteArray());

        HostTensor first = Npy.read(in, "two.npy");
        HostTensor second = Npy.read(in, "two.npy");

        assertThat(first.toLongArray()).containsExactly(1, -2, 3);
        assertThat(second.toLongArray()).containsExactly(42);
    }

    @Test
    void streamLargerThanFirstChunkIsReadCompletely() {
        int n = NpyInput.FIRST_CHUNK * 3 / 4 + 7; // f4 elements: three growth steps past the first chunk
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * 0.5f;
        }
        byte[] f = file(header("<f4", false, "(" + n + ",)"), floats(LITTLE_ENDIAN, values));

        HostTensor t = Npy.read(new ByteArrayInputStream(f), "big.npy");

        assertThat(t.toFloatArray()).containsExactly(values);
    }

    @Test
    void byteBufferIsReadFromItsPositionAndLeftUnmoved() {
        byte[] f = file(header("<i2", false, "(1,)"), ints(2, LITTLE_ENDIAN, -300));
        ByteBuffer b = ByteBuffer.allocate(f.length + 5);
        b.position(5);
        b.put(f);
        b.position(5);

        HostTensor t = Npy.read(b);

        assertThat(t.toLongArray()).containsExactly(-300);
        assertThat(b.position()).isEqualTo(5);
    }

    @Test
    void headerParseExposesTheFieldsOfTheFile() {
        byte[] f = file(1, header("<f2", true, "(4, 5)"), 16, new byte[40]);

        NpyHeader h = NpyHeader.parse(f);

        assertThat(h.majorVersion()).isEqualTo(1);
        assertThat(h.dtype()).isEqualTo(DType.FLOAT16);
        assertThat(h.fortranOrder()).isTrue();
        assertThat(h.bigEndian()).isFalse();
        assertThat(h.dataOffset()).isEqualTo(f.length - 40);
        assertThat(h.dataOffset() % 16).isZero();
        assertThat(h).isEqualTo(NpyHeader.parse(f)).hasSameHashCodeAs(NpyHeader.parse(f));
        assertThat(h.toString()).contains("<f2", "[4, 5]", "fortran_order");
    }
}
