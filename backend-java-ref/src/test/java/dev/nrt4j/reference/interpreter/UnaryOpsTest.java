package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class UnaryOpsTest {
    private static Array unary(String op, String type, String resultType, Array a) {
        int n = a.size();
        return Hlo.run(
                "  a = " + type + "[" + n + "] parameter(0)\n  ROOT r = " + resultType + "[" + n + "] " + op + "(a)",
                a);
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
        BigDecimal sqrtPi =
                new BigDecimal("1.772453850905516027298167483341145182797549456122387128213807789852911284591025");
        return sum.multiply(BigDecimal.valueOf(2), mc).divide(sqrtPi, mc).doubleValue();
    }

    @Test
    void erfIsCorrectlyRoundedAtKnownPoints() {
        double[] x = {1e-10, 0.1, 0.5, 0.6, 0.7, 1, 1.3, 2, 3.1, 4.5, 5.5, 5.9, 7, -0.5, -2};
        double[] expected = {
            1.1283791670955126e-10,
            0.1124629160182849,
            0.5204998778130465,
            0.6038560908479259,
            0.6778011938374184,
            0.8427007929497149,
            0.9340079449406524,
            0.9953222650189527,
            0.9999883513426328,
            0.9999999998033839,
            0.9999999999999927,
            0.9999999999999999,
            1.0,
            -0.5204998778130465,
            -0.9953222650189527
        };
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
        assertThat(unary("round-nearest-even", "f32", "f32", a).floats())
                .containsExactly(0f, 2f, 2f, -0f, -2f, 0f, -0f);
        assertThat(unary("floor", "f32", "f32", a).floats()).containsExactly(0f, 1f, 2f, -1f, -3f, 0f, -1f);
        assertThat(unary("ceil", "f32", "f32", a).floats()).containsExactly(1f, 2f, 3f, -0f, -2f, 1f, -0f);
    }

    @Test
    void signKeepsZeroesAndNaN() {
        float[] r = unary("sign", "f32", "f32", Hlo.f32(-3f, -0f, 0f, 7f, Float.NaN))
                .floats();
        assertThat(r).containsExactly(-1f, -0f, 0f, 1f, Float.NaN);
        assertThat(unary("sign", "s32", "s32", Hlo.s32(-9, 0, 4)).ints()).containsExactly(-1, 0, 1);
    }

    @Test
    void integerUnaryOps() {
        assertThat(unary("abs", "s8", "s8", Hlo.bytes(ElementType.S8, -128, -5, 5))
                        .bytes())
                .containsExactly((byte) -128, (byte) 5, (byte) 5);
        assertThat(unary("negate", "u8", "u8", Hlo.bytes(ElementType.U8, 1, 0)).bytes())
                .containsExactly((byte) 255, (byte) 0);
        assertThat(unary("not", "pred", "pred", Hlo.bytes(ElementType.PRED, 1, 0))
                        .bytes())
                .containsExactly(0, 1);
        assertThat(unary("not", "s8", "s8", Hlo.bytes(ElementType.S8, 0, 5)).bytes())
                .containsExactly((byte) -1, (byte) -6);
        assertThat(unary("popcnt", "s8", "s8", Hlo.bytes(ElementType.S8, -1, 5, 0))
                        .bytes())
                .containsExactly((byte) 8, (byte) 2, (byte) 0);
        assertThat(unary("count-leading-zeros", "s16", "s16", Hlo.shorts(ElementType.S16, 0, 1, -1, 0x100))
                        .shorts())
                .containsExactly((short) 16, (short) 15, (short) 0, (short) 7);
        assertThat(unary("count-leading-zeros", "u64", "u64", Hlo.u64(0, 1)).longs())
                .containsExactly(64, 63);
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
        assertThat(unary("rsqrt", "f32", "f32", Hlo.f32(4f, 0f)).floats())
                .containsExactly(0.5f, Float.POSITIVE_INFINITY);
        assertThat(unary("cbrt", "f64", "f64", Hlo.f64(-27)).doubles()).containsExactly(-3.0);
        assertThat(unary("log-plus-one", "f64", "f64", Hlo.f64(1e-20)).doubles())
                .containsExactly(1e-20);
        assertThat(unary("exponential-minus-one", "f64", "f64", Hlo.f64(1e-20)).doubles())
                .containsExactly(1e-20);
    }

    @Test
    void bf16SqrtRoundsFromF32() {
        Array a = Hlo.shorts(ElementType.BF16, BFloat16.fromFloat(2f));
        short r = unary("sqrt", "bf16", "bf16", a).shorts()[0];
        assertThat(r).isEqualTo(BFloat16.fromFloat((float) Math.sqrt(2)));
    }

    @Test
    void isFiniteAndComplexParts() {
        assertThat(unary("is-finite", "f32", "pred", Hlo.f32(1f, Float.NaN, Float.NEGATIVE_INFINITY))
                        .bytes())
                .containsExactly(1, 0, 0);
        Array c = Array.wrap(ElementType.C64, new long[] {2}, new float[] {3, -4, 0.5f, 2});
        assertThat(unary("real", "c64", "f32", c).floats()).containsExactly(3f, 0.5f);
        assertThat(unary("imag", "c64", "f32", c).floats()).containsExactly(-4f, 2f);
        assertThat(unary("abs", "c64", "f32", c).floats()[0]).isEqualTo(5f);
        assertThat(unary("imag", "f32", "f32", Hlo.f32(3f)).floats()).containsExactly(0f);
        double[] e = unary("exponential", "c128", "c128", Array.wrap(ElementType.C128, new long[] {1}, new double[] {
                    0, Math.PI
                }))
                .doubles();
        assertThat(e[0]).isEqualTo(-1.0);
        assertThat(Math.abs(e[1])).isLessThan(1e-15);
    }

    @Test
    void complexAbsIsXlasScaledFormulaWithTheSumFused() {
        // Inputs from the StableHLO corpus (abs_complex128_20_20, abs_complex64_20_20) where a correctly
        // rounded hypot lands 1-2 ulp from XLA's max * sqrt(fma(q, q, 1)), q = min / max.
        Array c128 = Array.wrap(ElementType.C128, new long[] {2}, new double[] {
            7.25507283827343, 2.3719394959430775, -1.6555618938119898, 0.49959285910214074
        });
        double[] r = unary("abs", "c128", "f64", c128).doubles();
        assertThat(r).containsExactly(7.632966583253697, 1.729299918784533);
        assertThat(r[0]).isNotEqualTo(StrictMath.hypot(7.25507283827343, 2.3719394959430775));
        Array c64 = Array.wrap(ElementType.C64, new long[] {1}, new float[] {-1.5462743043899536f, 3.565974712371826f});
        assertThat(unary("abs", "c64", "f32", c64).floats()).containsExactly(3.8867900371551514f);
        // Where max * sqrt(...) is NaN (0/0, inf/inf, a NaN part), XLA takes min.
        Array special = Array.wrap(ElementType.C128, new long[] {4}, new double[] {
            0, -0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 1, 3, Double.NEGATIVE_INFINITY
        });
        assertThat(unary("abs", "c128", "f64", special).doubles())
                .containsExactly(0.0, Double.POSITIVE_INFINITY, Double.NaN, Double.POSITIVE_INFINITY);
    }

    // ------------------------------------------------ inverse trigonometric and hyperbolic functions
    // References from their defining identities, in 60-digit decimal arithmetic: ln and exp by series,
    // atan by argument halving and its series. Slow and independent of the fdlibm-style code under test.

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private static BigDecimal exp(BigDecimal x) {
        BigDecimal term = ONE;
        BigDecimal sum = ONE;
        for (int n = 1; n < 400 && term.signum() != 0 && term.abs().compareTo(new BigDecimal("1e-70")) > 0; n++) {
            term = term.multiply(x, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** ln y = 2·atanh((y - 1)/(y + 1)), the series in z = (y - 1)/(y + 1), after halving y into [1, 2). */
    private static BigDecimal ln(BigDecimal y) {
        int twos = 0;
        while (y.compareTo(TWO) >= 0) {
            y = y.divide(TWO, MC);
            twos++;
        }
        while (y.compareTo(ONE) < 0) {
            y = y.multiply(TWO, MC);
            twos--;
        }
        BigDecimal ln = twoAtanh(y.subtract(ONE).divide(y.add(ONE), MC));
        // ln 2 = 2·atanh(1/3)
        BigDecimal ln2 = twos == 0 ? BigDecimal.ZERO : twoAtanh(ONE.divide(BigDecimal.valueOf(3), MC));
        return ln.add(ln2.multiply(BigDecimal.valueOf(twos), MC), MC);
    }

    /** 2·atanh(z) = 2·Σ z^(2k+1)/(2k+1), for |z| ≤ 1/3. */
    private static BigDecimal twoAtanh(BigDecimal z) {
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 200; k++) {
            sum = sum.add(power.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
            power = power.multiply(z2, MC);
        }
        return sum.multiply(TWO, MC);
    }

    /** atan x = 2·atan(x / (1 + sqrt(1 + x²))), applied until |x| < 0.1, then the alternating series. */
    private static BigDecimal atan(BigDecimal x) {
        int halvings = 0;
        while (x.abs().compareTo(new BigDecimal("0.1")) > 0) {
            x = x.divide(ONE.add(ONE.add(x.multiply(x, MC)).sqrt(MC)), MC);
            halvings++;
        }
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal power = x;
        BigDecimal sum = BigDecimal.ZERO;
        for (int k = 0; k < 80; k++) {
            BigDecimal t = power.divide(BigDecimal.valueOf(2L * k + 1), MC);
            sum = (k % 2 == 0 ? sum.add(t, MC) : sum.subtract(t, MC));
            power = power.multiply(x2, MC);
        }
        return sum.multiply(TWO.pow(halvings), MC);
    }

    /** asin x = 2·atan(x / (1 + sqrt(1 - x²))), defined up to |x| = 1. */
    private static BigDecimal asin(BigDecimal x) {
        return atan(x.divide(ONE.add(ONE.subtract(x.multiply(x, MC)).sqrt(MC)), MC))
                .multiply(TWO, MC);
    }

    private static double reference(String op, double v) {
        BigDecimal x = new BigDecimal(v);
        switch (op) {
            case "atan":
                return atan(x).doubleValue();
            case "asin":
                return asin(x).doubleValue();
            case "acos":
                return atan(ONE).multiply(TWO, MC).subtract(asin(x), MC).doubleValue();
            case "cosh":
                return exp(x).add(exp(x.negate()), MC).divide(TWO, MC).doubleValue();
            case "sinh":
                return exp(x).subtract(exp(x.negate()), MC).divide(TWO, MC).doubleValue();
            case "acosh":
                return ln(x.add(x.multiply(x, MC).subtract(ONE).sqrt(MC), MC)).doubleValue();
            case "asinh": {
                BigDecimal a = x.abs();
                BigDecimal r = ln(a.add(a.multiply(a, MC).add(ONE).sqrt(MC), MC));
                return (x.signum() < 0 ? r.negate() : r).doubleValue();
            }
            case "atanh":
                return ln(ONE.add(x).divide(ONE.subtract(x), MC))
                        .divide(TWO, MC)
                        .doubleValue();
            default:
                throw new IllegalArgumentException(op);
        }
    }

    /** Points across each function's domain, including small arguments and the neighbourhood of its edges. */
    private static double[] domain(String op) {
        switch (op) {
            case "acos":
            case "asin":
                return new double[] {-1, -0.999, -0.75, -0.5, -0.3, -1e-9, 0.1, 0.25, 0.5, 0.7, 0.9, 0.9999, 1};
            case "atanh":
                return new double[] {-0.999999, -0.75, -0.5, -0.3, -1e-9, 0.1, 0.25, 0.4999, 0.5, 0.7, 0.9, 0.9999};
            case "acosh":
                return new double[] {1, 1 + 1e-12, 1.0001, 1.1, 1.5, 2, 2.5, 3.7, 10, 123.456, 1e6, 1e12, 1e300};
            case "asinh":
                return new double[] {-1e300, -1e9, -7.5, -2.5, -1, -0.3, -1e-9, 0.1, 0.5, 0.75, 1, 2, 2.5, 3.7, 1e20};
            default:
                return new double[] {-40, -7.5, -2.5, -1, -0.3, -1e-9, 0.1, 0.5, 0.75, 1, 2, 2.5, 3.7, 10, 30};
        }
    }

    private static final String[] INVERSE_AND_HYPERBOLIC = {"acos", "asin", "cosh", "sinh", "acosh", "asinh", "atanh"};

    @Test
    void inverseAndHyperbolicF64StayWithinOneUlpOfTheDefinitions() {
        for (String op : INVERSE_AND_HYPERBOLIC) {
            double[] x = domain(op);
            double[] r = unary(op, "f64", "f64", Hlo.f64(x)).doubles();
            for (int i = 0; i < x.length; i++) {
                double want = reference(op, x[i]);
                assertThat(Math.abs(r[i] - want))
                        .as("%s(%s) = %s, want %s", op, x[i], r[i], want)
                        .isLessThanOrEqualTo(Math.ulp(want));
            }
        }
    }

    @Test
    void inverseAndHyperbolicF32AreTheDefinitionRoundedOnce() {
        for (String op : INVERSE_AND_HYPERBOLIC) {
            double[] x = domain(op);
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = (float) x[i];
            }
            float[] r = unary(op, "f32", "f32", Hlo.f32(f)).floats();
            for (int i = 0; i < f.length; i++) {
                if (Float.isFinite(f[i])) {
                    assertThat(r[i]).as("%s(%sf)", op, f[i]).isEqualTo((float) reference(op, f[i]));
                }
            }
        }
    }

    @Test
    void inverseAndHyperbolicEdges() {
        double inf = Double.POSITIVE_INFINITY;
        assertThat(unary("acos", "f64", "f64", Hlo.f64(1.5, -1, 1)).doubles()).containsExactly(Double.NaN, Math.PI, 0);
        assertThat(unary("asin", "f64", "f64", Hlo.f64(-1.5, -0.0)).doubles()).containsExactly(Double.NaN, -0.0);
        assertThat(unary("acosh", "f64", "f64", Hlo.f64(0.5, 1, inf)).doubles()).containsExactly(Double.NaN, 0, inf);
        assertThat(unary("asinh", "f64", "f64", Hlo.f64(-inf, -0.0, Double.NaN)).doubles())
                .containsExactly(-inf, -0.0, Double.NaN);
        assertThat(unary("atanh", "f64", "f64", Hlo.f64(1, -1, 1.5, -0.0)).doubles())
                .containsExactly(inf, -inf, Double.NaN, -0.0);
        assertThat(unary("cosh", "f64", "f64", Hlo.f64(-inf, 0, 1000)).doubles())
                .containsExactly(inf, 1, inf);
        assertThat(unary("sinh", "f64", "f64", Hlo.f64(-inf, -0.0)).doubles()).containsExactly(-inf, -0.0);
        // Odd functions with slope 1 at 0 return a tiny argument itself: the x³ term is far below half an ulp.
        for (String op : new String[] {"asin", "sinh", "asinh", "atanh"}) {
            assertThat(unary(op, "f64", "f64", Hlo.f64(1e-300, -3e-200)).doubles())
                    .as(op)
                    .containsExactly(1e-300, -3e-200);
        }
        // cosh² - sinh² = 1 in f32 at a moderate argument, where both round to nearby floats.
        float[] c = unary("cosh", "f32", "f32", Hlo.f32(0.75f)).floats();
        float[] s = unary("sinh", "f32", "f32", Hlo.f32(0.75f)).floats();
        assertThat((double) c[0] * c[0] - (double) s[0] * s[0]).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void inverseAndHyperbolicHalvesRoundFromF32() {
        Array a = Hlo.shorts(ElementType.BF16, BFloat16.fromFloat(0.5f), BFloat16.fromFloat(3f));
        short[] r = unary("asinh", "bf16", "bf16", a).shorts();
        assertThat(r).containsExactly(BFloat16.fromFloat((float) reference("asinh", 0.5)), BFloat16.fromFloat((float)
                reference("asinh", 3)));
        Array h = Hlo.shorts(ElementType.F16, dev.nrt4j.Float16.fromFloat(0.25f));
        assertThat(unary("acos", "f16", "f16", h).shorts())
                .containsExactly(dev.nrt4j.Float16.fromFloat((float) reference("acos", 0.25)));
    }

    @Test
    void atanMatchesItsSeries() {
        double[] x = domain("atan");
        Array out = unary("atan", "f64", "f64", Hlo.f64(x));
        for (int i = 0; i < x.length; i++) {
            double want = reference("atan", x[i]);
            assertThat(Math.abs(out.doubles()[i] - want)).as("atan(%s)", x[i]).isLessThanOrEqualTo(Math.ulp(want));
        }
    }

    @Test
    void inverseAndHyperbolicOfComplexAreRefused() {
        Array c = Array.wrap(ElementType.C64, new long[] {1}, new float[] {0.5f, 1});
        assertThatThrownBy(() -> unary("acosh", "c64", "c64", c))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("acosh of complex numbers");
    }
}
