package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HostTensorTest {

    // ---- factories and the little-endian layout; expected bytes are written out by hand

    @Test
    void floatsAreStoredLittleEndian() {
        HostTensor t = HostTensor.of(new float[] {1.0f, -2.5f}, 2);
        assertThat(t.dtype()).isSameAs(DType.FLOAT32);
        assertThat(t.shape()).isEqualTo(Shape.of(2));
        // 1.0f = 0x3F800000, -2.5f = 0xC0200000
        assertThat(t.toByteArray()).containsExactly(bytes(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0));
    }

    @Test
    void doublesAreStoredLittleEndian() {
        HostTensor t = HostTensor.of(new double[] {1.0, -0.5}, 1, 2);
        assertThat(t.dtype()).isSameAs(DType.FLOAT64);
        // 1.0 = 0x3FF0000000000000, -0.5 = 0xBFE0000000000000
        assertThat(t.toByteArray()).containsExactly(bytes(0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0xE0, 0xBF));
    }

    @Test
    void intsAreStoredLittleEndian() {
        HostTensor t = HostTensor.of(new int[] {0x01020304, -2}, 2, 1);
        assertThat(t.dtype()).isSameAs(DType.INT32);
        assertThat(t.toByteArray()).containsExactly(bytes(0x04, 0x03, 0x02, 0x01, 0xFE, 0xFF, 0xFF, 0xFF));
        assertThat(t.toIntArray()).containsExactly(0x01020304, -2);
    }

    @Test
    void longsAreStoredLittleEndian() {
        HostTensor t = HostTensor.of(new long[] {0x0102030405060708L}, 1);
        assertThat(t.dtype()).isSameAs(DType.INT64);
        assertThat(t.toByteArray()).containsExactly(bytes(0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01));
    }

    @Test
    void booleansAreOneByteEach() {
        HostTensor t = HostTensor.of(new boolean[] {true, false, true}, 3);
        assertThat(t.dtype()).isSameAs(DType.PRED);
        assertThat(t.toByteArray()).containsExactly(bytes(1, 0, 1));
        assertThat(t.toLongArray()).containsExactly(1, 0, 1);
        assertThat(t.toFloatArray()).containsExactly(1f, 0f, 1f);
    }

    @Test
    void rawBytesAreCopiedAsGiven() {
        byte[] raw = bytes(0x80, 0x3F, 0x40, 0xC0);
        HostTensor t = HostTensor.of(DType.BFLOAT16, Shape.of(2), raw);
        assertThat(t.toByteArray()).containsExactly(raw);
        assertThat(t.toFloatArray()).containsExactly(1.0f, -3.0f);
    }

    @Test
    void aByteBufferContributesItsRemainingBytesAndKeepsItsPosition() {
        ByteBuffer source = ByteBuffer.wrap(bytes(9, 9, 1, 0, 2, 0));
        source.position(2);
        HostTensor t = HostTensor.of(DType.UINT16, Shape.of(2), source);
        assertThat(t.toLongArray()).containsExactly(1, 2);
        assertThat(source.position()).isEqualTo(2);
    }

    @Test
    void roundedBfloat16UsesNearestEven() {
        // 1.00390625f = 0x3F808000 ties to the even 0x3F80; 1.01171875f = 0x3F818000 ties up to 0x3F82.
        HostTensor t = HostTensor.ofRounded(DType.BFLOAT16, new float[] {1.00390625f, 1.01171875f, -3f}, 3);
        assertThat(t.dtype()).isSameAs(DType.BFLOAT16);
        assertThat(t.toByteArray()).containsExactly(bytes(0x80, 0x3F, 0x82, 0x3F, 0x40, 0xC0));
    }

    @Test
    void roundedFloat16UsesNearestEvenAndOverflowsToInfinity() {
        HostTensor t = HostTensor.ofRounded(DType.FLOAT16, new float[] {1f, 65520f, 0x1p-25f, -0x1p-24f}, 2, 2);
        assertThat(t.dtype()).isSameAs(DType.FLOAT16);
        assertThat(t.toByteArray()).containsExactly(bytes(0x00, 0x3C, 0x00, 0x7C, 0x00, 0x00, 0x01, 0x80));
        assertThat(t.toFloatArray()).containsExactly(1f, Float.POSITIVE_INFINITY, 0f, -0x1p-24f);
    }

    @Test
    void roundedOnlyMakesHalfTypes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostTensor.ofRounded(DType.FLOAT32, new float[] {1f}, 1))
                .withMessageContaining("f32");
    }

    @Test
    void zerosHasTheRightSize() {
        HostTensor t = HostTensor.zeros(DType.UINT64, Shape.of(2, 3));
        assertThat(t.byteSize()).isEqualTo(48);
        assertThat(t.elementCount()).isEqualTo(6);
        assertThat(t.toByteArray()).containsOnly(0);
    }

    @Test
    void noDimensionsMeansOneDimension() {
        HostTensor t = HostTensor.of(new float[] {7f, 8f, 9f});
        assertThat(t.shape()).isEqualTo(Shape.of(3));
        assertThat(HostTensor.of(new int[] {1}).shape()).isEqualTo(Shape.of(1));
        assertThat(HostTensor.of(new boolean[0]).shape()).isEqualTo(Shape.of(0));
        HostTensor scalar = HostTensor.of(DType.FLOAT32, Shape.scalar(), new byte[4]);
        assertThat(scalar.shape().rank()).isZero();
        assertThat(scalar.elementCount()).isEqualTo(1);
    }

    // ---- size errors

    @Test
    void arrayLengthMustMatchTheShape() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostTensor.of(new float[5], 2, 3))
                .withMessageContaining("[2, 3]")
                .withMessageContaining("6")
                .withMessageContaining("5");
        assertThatIllegalArgumentException().isThrownBy(() -> HostTensor.of(new long[2], 3));
        assertThatIllegalArgumentException().isThrownBy(() -> HostTensor.of(new boolean[2], 1));
        assertThatIllegalArgumentException().isThrownBy(() -> HostTensor.ofRounded(DType.FLOAT16, new float[2], 3));
    }

    @Test
    void byteCountMustMatchTheShape() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostTensor.of(DType.FLOAT32, Shape.of(2, 3), new byte[23]))
                .withMessageContaining("24")
                .withMessageContaining("23");
    }

    @Test
    void tensorsPastTwoGigabytesAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostTensor.zeros(DType.FLOAT32, Shape.of(1L << 29)))
                .withMessageContaining(String.valueOf(Integer.MAX_VALUE));
    }

    // ---- reinterpret

    @Test
    void reinterpretSeesBitPatternsAsAnotherTypeOfTheSameSize() {
        HostTensor bits = HostTensor.of(DType.UINT16, Shape.of(2), bytes(0x80, 0x3F, 0x00, 0x3C));
        assertThat(bits.reinterpret(DType.BFLOAT16).toFloatArray()).containsExactly(1f, 0x1p-7f);
        assertThat(bits.reinterpret(DType.FLOAT16).toFloatArray()).containsExactly(1.875f, 1f);
        assertThat(bits.reinterpret(DType.BFLOAT16).shape()).isEqualTo(bits.shape());
        assertThat(bits.reinterpret(DType.UINT16)).isSameAs(bits);
    }

    @Test
    void reinterpretRefusesADifferentElementSize() {
        HostTensor t = HostTensor.of(new int[] {1}, 1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> t.reinterpret(DType.INT64))
                .withMessageContaining("s32")
                .withMessageContaining("s64");
    }

    // ---- reading numbers back

    @Test
    void unsignedTypesReadUnsigned() {
        assertThat(tensor(DType.UINT8, 0xFF).toLongArray()).containsExactly(255);
        assertThat(tensor(DType.INT8, 0xFF).toLongArray()).containsExactly(-1);
        assertThat(tensor(DType.UINT16, 0xFF, 0xFF).toLongArray()).containsExactly(65535);
        assertThat(tensor(DType.INT16, 0xFF, 0xFF).toLongArray()).containsExactly(-1);
        assertThat(tensor(DType.UINT32, 0xFF, 0xFF, 0xFF, 0xFF).toLongArray()).containsExactly(4294967295L);
        assertThat(tensor(DType.UINT32, 0xFF, 0xFF, 0xFF, 0xFF).toDoubleArray()).containsExactly(4294967295.0);
        assertThat(tensor(DType.UINT8, 0xFF).toFloatArray()).containsExactly(255f);
    }

    @Test
    void u64AboveLongMaxComesOutAsTheSameBits() {
        HostTensor t = tensor(DType.UINT64, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        long[] longs = t.toLongArray();
        assertThat(Long.toUnsignedString(longs[0])).isEqualTo("18446744073709551615");
        assertThat(t.toDoubleArray()).containsExactly(0x1p64);
        assertThat(t.toFloatArray()).containsExactly(0x1p64f);
    }

    @Test
    void u64ToDoubleAndFloatRoundOnceToNearest() {
        // 2^63 + 2^10 + 1 lies just above the midpoint between the doubles 2^63 and 2^63 + 2^11; rounding
        // the halved value first and doubling it would wrongly land on 2^63.
        HostTensor t = HostTensor.of(new long[] {0x8000_0000_0000_0401L}, 1).reinterpret(DType.UINT64);
        assertThat(t.toDoubleArray()).containsExactly(0x1p63 + 0x1p11);

        SplittableRandom random = new SplittableRandom(64);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            long r = random.nextLong();
            int lowBit = random.nextInt(2);
            switch (i % 4) {
                case 0:
                    values[i] = r;
                    break;
                // At or just above a midpoint between two doubles (rounding bit 2^10 of a value >= 2^63).
                case 1:
                    values[i] = Long.MIN_VALUE | (r & ~0x7FFL) | 0x400L | lowBit;
                    break;
                // The same for floats, whose rounding bit there is 2^39.
                case 2:
                    values[i] = Long.MIN_VALUE | (r & -(1L << 40)) | (1L << 39) | lowBit;
                    break;
                default:
                    values[i] = r | Long.MIN_VALUE;
                    break;
            }
        }
        HostTensor u64 = HostTensor.of(values, values.length).reinterpret(DType.UINT64);
        double[] doubles = u64.toDoubleArray();
        float[] floats = u64.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            BigInteger exact = new BigInteger(Long.toUnsignedString(values[i]));
            assertThat(doubles[i]).as("u64 %s as double", exact).isEqualTo(exact.doubleValue());
            assertThat(floats[i]).as("u64 %s as float", exact).isEqualTo(exact.floatValue());
        }
    }

    @Test
    void s64ToFloatRoundsAsTheJavaCast() {
        // 2^60 + 2^36 + 1 is just above a float midpoint; going through double first loses the +1 and
        // then ties to even, i.e. down to 2^60, where the direct cast goes up.
        long tricky = (1L << 60) + (1L << 36) + 1;
        SplittableRandom random = new SplittableRandom(60);
        long[] values = new long[10_001];
        values[0] = tricky;
        for (int i = 1; i < values.length; i++) {
            values[i] = random.nextLong() >> random.nextInt(40);
        }
        float[] floats = HostTensor.of(values, values.length).toFloatArray();
        assertThat(floats[0]).isEqualTo(0x1p60f + 0x1p37f);
        for (int i = 0; i < values.length; i++) {
            assertThat(floats[i]).as("s64 %d", values[i]).isEqualTo((float) values[i]);
        }
    }

    @Test
    void halfTypesWidenExactly() {
        HostTensor f16 = tensor(DType.FLOAT16, 0xFF, 0x7B, 0x01, 0x00);
        assertThat(f16.toDoubleArray()).containsExactly(65504.0, 0x1p-24);
        HostTensor bf16 = tensor(DType.BFLOAT16, 0x7F, 0x7F);
        assertThat(bf16.toDoubleArray()).containsExactly(0x1.FEp127);
    }

    @Test
    void f64ToFloatNarrowsAsTheJavaCast() {
        HostTensor t = HostTensor.of(new double[] {0.1, 1e300}, 2);
        assertThat(t.toFloatArray()).containsExactly(0.1f, Float.POSITIVE_INFINITY);
        assertThat(t.toDoubleArray()).containsExactly(0.1, 1e300);
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FLOAT32", "FLOAT16", "BFLOAT16", "FP32R", "FLOAT64", "FP8_E4M3"})
    void toLongArrayRefusesFloatingPoint(DType type) {
        HostTensor t = HostTensor.zeros(type, Shape.of(1));
        assertThatIllegalStateException().isThrownBy(t::toLongArray).withMessageContaining(type.hloName());
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FP8_E4M3", "FP8_E5M2", "FP8_E3M4"})
    void fp8IsNotReadAsNumbers(DType type) {
        HostTensor t = HostTensor.zeros(type, Shape.of(1));
        assertThatIllegalStateException().isThrownBy(t::toFloatArray);
        assertThatIllegalStateException().isThrownBy(t::toDoubleArray);
    }

    @Test
    void toIntArrayOnlyReadsInt32() {
        assertThatIllegalStateException()
                .isThrownBy(() -> HostTensor.zeros(DType.UINT32, Shape.of(1)).toIntArray())
                .withMessageContaining("u32");
    }

    // ---- immutability

    @Test
    void changingTheSourceArrayDoesNotChangeTheTensor() {
        float[] floats = {1f, 2f};
        HostTensor f = HostTensor.of(floats, 2);
        floats[0] = 99f;
        assertThat(f.toFloatArray()).containsExactly(1f, 2f);

        byte[] raw = bytes(1, 2);
        HostTensor b = HostTensor.of(DType.UINT8, Shape.of(2), raw);
        raw[0] = 7;
        assertThat(b.toLongArray()).containsExactly(1, 2);

        ByteBuffer buffer = ByteBuffer.wrap(bytes(1, 2));
        HostTensor fromBuffer = HostTensor.of(DType.UINT8, Shape.of(2), buffer);
        buffer.put(0, (byte) 7);
        assertThat(fromBuffer.toLongArray()).containsExactly(1, 2);
    }

    @Test
    void theDataViewIsReadOnlyLittleEndianAndIndependent() {
        HostTensor t = HostTensor.of(new int[] {1, 2}, 2);
        ByteBuffer view = t.data();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(view.position()).isZero();
        assertThat(view.remaining()).isEqualTo(8);
        assertThatThrownBy(() -> view.putInt(0, 5)).isInstanceOf(ReadOnlyBufferException.class);
        view.getInt();
        view.order(ByteOrder.BIG_ENDIAN);
        assertThat(t.data().position()).isZero();
        assertThat(t.data().getInt()).isEqualTo(1);
        assertThat(t.toIntArray()).containsExactly(1, 2);
    }

    @Test
    void theByteArrayIsACopy() {
        HostTensor t = HostTensor.of(new int[] {1}, 1);
        t.toByteArray()[0] = 9;
        assertThat(t.toIntArray()).containsExactly(1);
    }

    @Test
    void equalityIsTypeShapeAndBytes() {
        HostTensor a = HostTensor.of(new int[] {1, 2}, 2);
        assertThat(a)
                .isEqualTo(HostTensor.of(new int[] {1, 2}, 2))
                .hasSameHashCodeAs(HostTensor.of(new int[] {1, 2}, 2));
        assertThat(a).isNotEqualTo(HostTensor.of(new int[] {1, 2}, 1, 2));
        assertThat(a).isNotEqualTo(a.reinterpret(DType.FLOAT32));
        assertThat(a).isNotEqualTo(HostTensor.of(new int[] {1, 3}, 2));
    }

    private static HostTensor tensor(DType type, int... rawBytes) {
        return HostTensor.of(type, Shape.of(rawBytes.length / type.byteSize()), bytes(rawBytes));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
