package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {
    private static Array binary(String op, String type, int n, Array a, Array b) {
        String s = type + "[" + n + "]";
        return Hlo.run(
                "  a = " + s + " parameter(0)\n  b = " + s + " parameter(1)\n  ROOT r = " + s + " " + op + "(a, b)",
                a,
                b);
    }

    @Test
    void signedDivisionAndRemainderEdgeCases() {
        Array a = Hlo.s32(7, -7, 5, Integer.MIN_VALUE, Integer.MIN_VALUE, -5);
        Array b = Hlo.s32(2, 2, 0, -1, 0, 0);
        assertThat(binary("divide", "s32", 6, a, b).ints()).containsExactly(3, -3, -1, Integer.MIN_VALUE, -1, -1);
        assertThat(binary("remainder", "s32", 6, a, b).ints()).containsExactly(1, -1, 5, 0, Integer.MIN_VALUE, -5);
    }

    @Test
    void narrowSignedTypesWrapLikeTheirWidth() {
        Array a = Hlo.bytes(ElementType.S8, 127, -128, 100, -128);
        Array b = Hlo.bytes(ElementType.S8, 1, -1, 100, -1);
        assertThat(binary("add", "s8", 4, a, b).bytes())
                .containsExactly((byte) -128, (byte) 127, (byte) -56, (byte) 127);
        assertThat(binary("divide", "s8", 4, a, b).bytes())
                .containsExactly((byte) 127, (byte) -128, (byte) 1, (byte) -128);
        assertThat(binary("multiply", "s8", 4, a, b).bytes())
                .containsExactly((byte) 127, (byte) -128, (byte) 16, (byte) -128);
    }

    @Test
    void unsignedDivisionByZeroIsAllOnesAndComparisonsAreUnsigned() {
        Array a = Hlo.u64(-1L, 10, 10, 1L << 63);
        Array b = Hlo.u64(2, 0, 3, 1);
        assertThat(binary("divide", "u64", 4, a, b).longs()).containsExactly(Long.MAX_VALUE, -1L, 3, 1L << 63);
        assertThat(binary("remainder", "u64", 4, a, b).longs()).containsExactly(1, 10, 1, 0);
        assertThat(binary("maximum", "u64", 4, a, b).longs()).containsExactly(-1L, 10, 10, 1L << 63);
        Array c = Hlo.bytes(ElementType.U8, 200, 7);
        Array d = Hlo.bytes(ElementType.U8, 3, 0);
        assertThat(binary("divide", "u8", 2, c, d).bytes()).containsExactly((byte) 66, (byte) 255);
        assertThat(binary("minimum", "u8", 2, c, d).bytes()).containsExactly((byte) 3, (byte) 0);
    }

    @Test
    void shiftsPastTheWidthGiveZeroOrTheSign() {
        Array a = Hlo.bytes(ElementType.S8, -128, -128, 64, 1, -1);
        Array b = Hlo.bytes(ElementType.S8, 1, 8, 9, -1, 3);
        assertThat(binary("shift-left", "s8", 5, a, b).bytes())
                .containsExactly((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) -8);
        assertThat(binary("shift-right-arithmetic", "s8", 5, a, b).bytes())
                .containsExactly((byte) -64, (byte) -1, (byte) 0, (byte) 0, (byte) -1);
        assertThat(binary("shift-right-logical", "s8", 5, a, b).bytes())
                .containsExactly((byte) 64, (byte) 0, (byte) 0, (byte) 0, (byte) 31);
        Array u = Hlo.u32(0x8000_0000, 0x8000_0000, 1);
        Array v = Hlo.u32(31, 32, -1);
        assertThat(binary("shift-right-logical", "u32", 3, u, v).ints()).containsExactly(1, 0, 0);
        assertThat(binary("shift-right-arithmetic", "u32", 3, u, v).ints()).containsExactly(-1, -1, 0);
    }

    @Test
    void bitwiseOpsOnPredAreLogical() {
        Array a = Hlo.bytes(ElementType.PRED, 1, 1, 0, 0);
        Array b = Hlo.bytes(ElementType.PRED, 1, 0, 1, 0);
        assertThat(binary("and", "pred", 4, a, b).bytes()).containsExactly(1, 0, 0, 0);
        assertThat(binary("or", "pred", 4, a, b).bytes()).containsExactly(1, 1, 1, 0);
        assertThat(binary("xor", "pred", 4, a, b).bytes()).containsExactly(0, 1, 1, 0);
    }

    @Test
    void maxAndMinPropagateNaNAndKeepTheFirstZero() {
        Array a = Hlo.f32(Float.NaN, 1f, -0f, 2f);
        Array b = Hlo.f32(1f, Float.NaN, 0f, -3f);
        float[] max = binary("maximum", "f32", 4, a, b).floats();
        float[] min = binary("minimum", "f32", 4, a, b).floats();
        assertThat(max[0]).isNaN();
        assertThat(max[1]).isNaN();
        assertThat(Float.floatToRawIntBits(max[2])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(max[3]).isEqualTo(2f);
        assertThat(min[0]).isNaN();
        assertThat(min[1]).isNaN();
        assertThat(min[3]).isEqualTo(-3f);
    }

    @Test
    void bf16AddRoundsTheF32SumOnceToNearestEven() {
        // 1 + 2^-8: exactly halfway between bf16 1 and 1 + 2^-7, ties to even (1); 1 + 3*2^-9 rounds up.
        Array a = Hlo.shorts(ElementType.BF16, BFloat16.fromFloat(1f), BFloat16.fromFloat(1f));
        Array b = Hlo.shorts(ElementType.BF16, BFloat16.fromFloat(0x1p-8f), BFloat16.fromFloat(0x1.8p-8f));
        short[] r = binary("add", "bf16", 2, a, b).shorts();
        assertThat(BFloat16.toFloat(r[0])).isEqualTo(1f);
        assertThat(BFloat16.toFloat(r[1])).isEqualTo(1f + 0x1p-7f);
    }

    @Test
    void powerFollowsCSpecialCasesAndIntegerPowerWraps() {
        Array a = Hlo.f64(1, -1, 2, Double.NaN, -8);
        Array b = Hlo.f64(Double.NaN, Double.POSITIVE_INFINITY, 10, 0, 1.0 / 3);
        double[] r = binary("power", "f64", 5, a, b).doubles();
        assertThat(r[0]).isEqualTo(1);
        assertThat(r[1]).isEqualTo(1);
        assertThat(r[2]).isEqualTo(1024);
        assertThat(r[3]).isEqualTo(1);
        assertThat(r[4]).isNaN();
        Array x = Hlo.s32(3, 2, 1, -1, -1, 5, 0);
        Array y = Hlo.s32(4, 31, -5, -3, -2, -1, 0);
        assertThat(binary("power", "s32", 7, x, y).ints()).containsExactly(81, Integer.MIN_VALUE, 1, -1, 1, 0, 1);
    }

    @Test
    void floatRemainderIsFmodAndAtan2UsesQuadrants() {
        Array a = Hlo.f32(5.5f, -5.5f, 1f);
        Array b = Hlo.f32(2f, 2f, 0f);
        float[] r = binary("remainder", "f32", 3, a, b).floats();
        assertThat(r[0]).isEqualTo(1.5f);
        assertThat(r[1]).isEqualTo(-1.5f);
        assertThat(r[2]).isNaN();
        float[] t =
                binary("atan2", "f32", 2, Hlo.f32(1f, -1f), Hlo.f32(-1f, -1f)).floats();
        assertThat(t[0]).isEqualTo((float) (3 * Math.PI / 4));
        assertThat(t[1]).isEqualTo((float) (-3 * Math.PI / 4));
    }

    @Test
    void largeArraysSplitOverThreadsGiveTheSameResult() {
        int n = 300_000;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * 0.5f;
            b[i] = (n - i) * 0.25f;
        }
        Array r = Hlo.run(
                "  a = f32[300000] parameter(0)\n  b = f32[300000] parameter(1)\n  ROOT r = f32[300000] multiply(a, b)",
                Array.wrap(ElementType.F32, new long[] {n}, a),
                Array.wrap(ElementType.F32, new long[] {n}, b));
        for (int i = 0; i < n; i += 997) {
            assertThat(r.floats()[i]).isEqualTo(a[i] * b[i]);
        }
        assertThat(r.floats()[n - 1]).isEqualTo(a[n - 1] * b[n - 1]);
    }

    @Test
    void complexArithmetic() {
        Array a = Array.wrap(ElementType.C64, new long[] {1}, new float[] {1, 2});
        Array b = Array.wrap(ElementType.C64, new long[] {1}, new float[] {3, -1});
        assertThat(binary("multiply", "c64", 1, a, b).floats()).containsExactly(5f, 5f);
        assertThat(binary("divide", "c64", 1, a, b).floats()).containsExactly(0.1f, 0.7f);
        Array c = Hlo.run(
                "  a = f32[2] parameter(0)\n  b = f32[2] parameter(1)\n  ROOT r = c64[2] complex(a, b)",
                Hlo.f32(1, 2),
                Hlo.f32(3, 4));
        assertThat(c.floats()).containsExactly(1f, 3f, 2f, 4f);
    }

    @Test
    void mismatchedOperandsAreInvalid() {
        assertThatThrownBy(() -> Hlo.run(
                        "  a = f32[2] parameter(0)\n  b = f32[2] parameter(1)\n  ROOT r = f32[2] and(a, b)",
                        Hlo.f32(1, 2),
                        Hlo.f32(3, 4)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("and");
    }
}
