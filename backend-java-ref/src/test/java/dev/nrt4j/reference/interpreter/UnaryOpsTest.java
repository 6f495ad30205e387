package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BFloat16;
import dev.nrt4j.hlo.ElementType;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {
    private static Array unary(String op, String type, String resultType, Array a) {
        int n = a.size();
        return Hlo.run("  a = " + type + "[" + n + "] parameter(0)\n  ROOT r = " + resultType + "[" + n + "] " + op + "(a)", a);
    }

    /** erf by its Maclaurin series in 60-digit decimal arithmetic: slow, obviously right. */
    private static double referenceErf(double x) {
        MathContext mc = new MathContext(60);
        BigDecimal bx = new BigDecimal(x);
        BigDecimal z = bx.multiply(bx, mc);
        BigDecimal term = bx;
        BigDecimal sum = bx;
        for (int n = 1; n < 400; n++) {
            term = term.multiply(z, mc).negate().divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * n + 1), mc), mc);
        }
        BigDecimal sqrtPi = new BigDecimal("1.772453850905516027298167483341145182797549456122387128213807789852911284591025");
        return sum.multiply(BigDecimal.valueOf(2), mc).divide(sqrtPi, mc).doubleValue();
    }

    @Test
    void erfIsCorrectlyRoundedAtKnownPoints() {
        double[] x = {1e-10, 0.1, 0.5, 0.6, 0.7, 1, 1.3, 2, 3.1, 4.5, 5.5, 5.9, 7, -0.5, -2};
        double[] expected = {1.1283791670955126e-10, 0.1124629160182849, 0.5204998778130465, 0.6038560908479259,
            0.6778011938374184, 0.8427007929497149, 0.9340079449406524, 0.9953222650189527, 0.9999883513426328,
            0.9999999998033839, 0.9999999999999927, 0.9999999999999999, 1.0, -0.5204998778130465, -0.9953222650189527};
        assertThat(unary("erf", "f64", "f64", Hlo.f64(x)).doubles()).containsExactly(expected);
    }

    @Test
    void erfStaysWithinOneUlpOfASeriesReferenceAcrossTheRange() {
        int n = 120;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -0.013 + i * 0.0517;
        }
        double[] r = unary("erf", "f64", "f64", Hlo.f64(x)).doubles();
        for (int i = 0; i < n; i++) {
            double want = referenceErf(x[i]);
            assertThat(Math.abs(r[i] - want)).as("erf(%s)", x[i]).isLessThanOrEqualTo(Math.ulp(want));
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) x[i];
        }
        float[] rf = unary("erf", "f32", "f32", Hlo.f32(f)).floats();
        for (int i = 0; i < n; i++) {
            assertThat(rf[i]).as("erf(%sf)", f[i]).isEqualTo((float) referenceErf(f[i]));
        }
    }

    @Test
    void roundingOps() {
        Array a = Hlo.f32(0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 0.49999997f, -0.2f);
        assertThat(unary("round-nearest-afz", "f32", "f32", a).floats()).containsExactly(1f, 2f, 3f, -1f, -3f, 0f, -0f);
        assertThat(unary("round-nearest-even", "f32", "f32", a).floats()).containsExactly(0f, 2f, 2f, -0f, -2f, 0f, -0f);
        assertThat(unary("floor", "f32", "f32", a).floats()).containsExactly(0f, 1f, 2f, -1f, -3f, 0f, -1f);
        assertThat(unary("ceil", "f32", "f32", a).floats()).containsExactly(1f, 2f, 3f, -0f, -2f, 1f, -0f);
    }

    @Test
    void signKeepsZeroesAndNaN() {
        float[] r = unary("sign", "f32", "f32", Hlo.f32(-3f, -0f, 0f, 7f, Float.NaN)).floats();
        assertThat(r).containsExactly(-1f, -0f, 0f, 1f, Float.NaN);
        assertThat(unary("sign", "s32", "s32", Hlo.s32(-9, 0, 4)).ints()).containsExactly(-1, 0, 1);
    }

    @Test
    void integerUnaryOps() {
        assertThat(unary("abs", "s8", "s8", Hlo.bytes(ElementType.S8, -128, -5, 5)).bytes()).containsExactly((byte) -128, (byte) 5, (byte) 5);
        assertThat(unary("negate", "u8", "u8", Hlo.bytes(ElementType.U8, 1, 0)).bytes()).containsExactly((byte) 255, (byte) 0);
        assertThat(unary("not", "pred", "pred", Hlo.bytes(ElementType.PRED, 1, 0)).bytes()).containsExactly(0, 1);
        assertThat(unary("not", "s8", "s8", Hlo.bytes(ElementType.S8, 0, 5)).bytes()).containsExactly((byte) -1, (byte) -6);
        assertThat(unary("popcnt", "s8", "s8", Hlo.bytes(ElementType.S8, -1, 5, 0)).bytes()).containsExactly((byte) 8, (byte) 2, (byte) 0);
        assertThat(unary("count-leading-zeros", "s16", "s16", Hlo.shorts(ElementType.S16, 0, 1, -1, 0x100)).shorts())
                .containsExactly((short) 16, (short) 15, (short) 0, (short) 7);
        assertThat(unary("count-leading-zeros", "u64", "u64", Hlo.u64(0, 1)).longs()).containsExactly(64, 63);
    }

    @Test
    void transcendentalF32IsTheDoubleResultRoundedOnce() {
        float[] x = {0.3f, 1.7f, -2.2f, 10f};
        float[] exp = unary("exponential", "f32", "f32", Hlo.f32(x)).floats();
        float[] tanh = unary("tanh", "f32", "f32", Hlo.f32(x)).floats();
        float[] logistic = unary("logistic", "f32", "f32", Hlo.f32(x)).floats();
        for (int i = 0; i < x.length; i++) {
            assertThat(exp[i]).isEqualTo((float) Math.exp(x[i]));
            assertThat(tanh[i]).isEqualTo((float) Math.tanh(x[i]));
            assertThat(logistic[i]).isEqualTo((float) (1 / (1 + Math.exp(-x[i]))));
        }
        assertThat(unary("rsqrt", "f32", "f32", Hlo.f32(4f, 0f)).floats()).containsExactly(0.5f, Float.POSITIVE_INFINITY);
        assertThat(unary("cbrt", "f64", "f64", Hlo.f64(-27)).doubles()).containsExactly(-3.0);
        assertThat(unary("log-plus-one", "f64", "f64", Hlo.f64(1e-20)).doubles()).containsExactly(1e-20);
        assertThat(unary("exponential-minus-one", "f64", "f64", Hlo.f64(1e-20)).doubles()).containsExactly(1e-20);
    }

    @Test
    void bf16SqrtRoundsFromF32() {
        Array a = Hlo.shorts(ElementType.BF16, BFloat16.fromFloat(2f));
        short r = unary("sqrt", "bf16", "bf16", a).shorts()[0];
        assertThat(r).isEqualTo(BFloat16.fromFloat((float) Math.sqrt(2)));
    }

    @Test
    void isFiniteAndComplexParts() {
        assertThat(unary("is-finite", "f32", "pred", Hlo.f32(1f, Float.NaN, Float.NEGATIVE_INFINITY)).bytes()).containsExactly(1, 0, 0);
        Array c = Array.wrap(ElementType.C64, new long[] {2}, new float[] {3, -4, 0.5f, 2});
        assertThat(unary("real", "c64", "f32", c).floats()).containsExactly(3f, 0.5f);
        assertThat(unary("imag", "c64", "f32", c).floats()).containsExactly(-4f, 2f);
        assertThat(unary("abs", "c64", "f32", c).floats()[0]).isEqualTo(5f);
        assertThat(unary("imag", "f32", "f32", Hlo.f32(3f)).floats()).containsExactly(0f);
        double[] e = unary("exponential", "c128", "c128",
                Array.wrap(ElementType.C128, new long[] {1}, new double[] {0, Math.PI})).doubles();
        assertThat(e[0]).isEqualTo(-1.0);
        assertThat(Math.abs(e[1])).isLessThan(1e-15);
    }
}
