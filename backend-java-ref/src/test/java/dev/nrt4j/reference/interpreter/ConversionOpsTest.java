package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ConversionOpsTest {
    private static Array convert(String from, String to, Array a) {
        int n = a.size();
        return Hlo.run("  a = " + from + "[" + n + "] parameter(0)\n  ROOT r = " + to + "[" + n + "] convert(a)", a);
    }

    @Test
    void floatToIntTruncatesSaturatesAndMapsNaNToZero() {
        Array a = Hlo.f32(1.9f, -1.9f, 300f, -300f, Float.NaN, Float.POSITIVE_INFINITY);
        assertThat(convert("f32", "s8", a).bytes())
                .containsExactly((byte) 1, (byte) -1, (byte) 127, (byte) -128, (byte) 0, (byte) 127);
        assertThat(convert("f32", "u8", a).bytes())
                .containsExactly((byte) 1, (byte) 0, (byte) 255, (byte) 0, (byte) 0, (byte) 255);
        Array b = Hlo.f64(1e19, 1.5e19, -1, 1e30, 9e18);
        assertThat(convert("f64", "u64", b).longs())
                .containsExactly(
                        new BigDecimal("1e19").longValue(),
                        new BigDecimal("1.5e19").longValue(),
                        0,
                        -1L,
                        9_000_000_000_000_000_000L);
        assertThat(convert("f64", "s64", b).longs())
                .containsExactly(Long.MAX_VALUE, Long.MAX_VALUE, -1, Long.MAX_VALUE, 9_000_000_000_000_000_000L);
    }

    @Test
    void intToFloatRoundsToNearestEvenIncludingU64() {
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2: even mantissa wins; 2^24 + 3 rounds up.
        assertThat(convert("s32", "f32", Hlo.s32(16_777_217, 16_777_219)).floats())
                .containsExactly(16_777_216f, 16_777_220f);
        // 2^64 - 1 rounds up to 2^64; 2^63 + 2^40 + 1 rounds above the tie.
        Array u = Hlo.u64(-1L, (1L << 63) | (1L << 39) | 1);
        float[] f = convert("u64", "f32", u).floats();
        assertThat(f[0]).isEqualTo(0x1p64f);
        assertThat(f[1]).isEqualTo(0x1p63f + 0x1p40f);
        assertThat(convert("u64", "f64", Hlo.u64(-1L)).doubles()).containsExactly(0x1p64);
    }

    @Test
    void predConversions() {
        assertThat(convert("f32", "pred", Hlo.f32(0f, -0f, 0.1f, Float.NaN)).bytes())
                .containsExactly(0, 0, 1, 1);
        assertThat(convert("pred", "f32", Hlo.bytes(ElementType.PRED, 1, 0)).floats())
                .containsExactly(1f, 0f);
        assertThat(convert("s32", "pred", Hlo.s32(256, 0)).bytes()).containsExactly(1, 0);
        assertThat(convert("s32", "u8", Hlo.s32(257, -1)).bytes()).containsExactly((byte) 1, (byte) 255);
    }

    @Test
    void f64ToBf16RoundsThroughF32() {
        // 1 + 2^-8 + 2^-30: rounding straight to bf16 goes up (past the tie); through f32 the 2^-30 is lost
        // first, leaving an exact tie that rounds to even (1).
        double x = 1 + 0x1p-8 + 0x1p-30;
        short bf = convert("f64", "bf16", Hlo.f64(x)).shorts()[0];
        assertThat(BFloat16.toFloat(bf)).isEqualTo(1f);
        short h = convert("f32", "f16", Hlo.f32(65520f)).shorts()[0];
        assertThat(Float16.toFloat(h)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(convert("bf16", "f32", Hlo.shorts(ElementType.BF16, 0x3FC0)).floats())
                .containsExactly(1.5f);
    }

    @Test
    void eightBitFloats() {
        // e4m3fn: 448 is the largest value, 464 is the tie between 448 and the (absent) 480 → NaN; 0.3 → 0.3125.
        byte[] e4 = convert("f32", "f8e4m3fn", Hlo.f32(448f, 470f, 0.3f, -1f, Float.NaN))
                .bytes();
        assertThat(e4).containsExactly((byte) 0x7E, (byte) 0x7F, (byte) 0x2A, (byte) 0xB8, (byte) 0x7F);
        // e5m2 overflows to infinity; smallest subnormal 2^-16.
        byte[] e5 = convert("f32", "f8e5m2", Hlo.f32(1e6f, 0x1p-16f, 1.25f)).bytes();
        assertThat(e5).containsExactly((byte) 0x7C, (byte) 0x01, (byte) 0x3D);
        float[] back = convert("f8e5m2", "f32", Array.wrap(ElementType.F8E5M2, new long[] {3}, e5))
                .floats();
        assertThat(back).containsExactly(Float.POSITIVE_INFINITY, 0x1p-16f, 1.25f);
        // fnuz: no negative zero, 0x80 is NaN.
        byte[] fnuz = convert("f32", "f8e4m3fnuz", Hlo.f32(-0f, Float.NaN, 1f)).bytes();
        assertThat(fnuz).containsExactly((byte) 0, (byte) 0x80, (byte) 0x40);
    }

    @Test
    void bitcastConvertKeepsBitsAndReshapesTheLastDimension() {
        Array same = Hlo.run("  a = f32[2] parameter(0)\n  ROOT r = s32[2] bitcast-convert(a)", Hlo.f32(1f, -2f));
        assertThat(same.ints()).containsExactly(0x3F800000, 0xC0000000);
        Array split = Hlo.run("  a = u32[1] parameter(0)\n  ROOT r = u8[1,4] bitcast-convert(a)", Hlo.u32(0x11223344));
        assertThat(split.bytes()).containsExactly((byte) 0x44, (byte) 0x33, (byte) 0x22, (byte) 0x11);
        Array join = Hlo.run(
                "  a = u16[2,2] parameter(0)\n  ROOT r = f32[2] bitcast-convert(a)",
                Array.wrap(ElementType.U16, new long[] {2, 2}, new short[] {0, 0x3F80, 0, (short) 0xC000}));
        assertThat(join.floats()).containsExactly(1f, -2f);
        assertThatThrownBy(() -> Hlo.run("  a = u32[1] parameter(0)\n  ROOT r = u8[4] bitcast-convert(a)", Hlo.u32(1)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("bitcast-convert");
    }

    @Test
    void reducePrecisionRoundsMantissaAndClampsExponent() {
        String body =
                "  a = f32[6] parameter(0)\n  ROOT r = f32[6] reduce-precision(a), exponent_bits=5, mantissa_bits=10";
        Array r = Hlo.run(body, Hlo.f32(1f + 0x1p-11f, 1f + 0x1.8p-11f, 70000f, 0x1p-15f, Float.NaN, -65504f));
        // Same results as an f16 round trip, except f16 subnormals flush to zero.
        assertThat(r.floats()).containsExactly(1f, 1f + 0x1p-10f, Float.POSITIVE_INFINITY, 0f, Float.NaN, -65504f);
        Array bf = Hlo.run(
                "  a = f32[1] parameter(0)\n  ROOT r = f32[1] reduce-precision(a), exponent_bits=8, mantissa_bits=7",
                Hlo.f32(1.00390625f + 0x1p-20f));
        assertThat(bf.floats()).containsExactly(BFloat16.toFloat(BFloat16.fromFloat(1.00390625f + 0x1p-20f)));
        Array nan = Hlo.run(
                "  a = f32[1] parameter(0)\n  ROOT r = f32[1] reduce-precision(a), exponent_bits=5, mantissa_bits=0",
                Hlo.f32(Float.NaN));
        assertThat(nan.floats()).containsExactly(Float.POSITIVE_INFINITY);
    }
}
