package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The f64 functions XLA CPU computes by C library calls or by its own formulas. Expected values come
 * from outside this code: correctly rounded values (300-bit arithmetic), glibc's results on x86-64 with
 * FMA, and the StableHLO corpus. Every point is one where fdlibm ({@link StrictMath}) gives another
 * double, so the tests tell the two apart.
 */
class XlaCpuMathTest {
    @Test
    void expIsCorrectlyRounded() {
        double[][] points = {
            {-27.053380282358603, 1.7818298351821208E-12},
            {28.87610959197741, 3.473242084479315E12},
            {45.45739149619078, 5.519430746316645E19},
            {21.876941931432384, 3.16982409079275E9},
        };
        for (double[] p : points) {
            assertThat(XlaCpuMath.exp(p[0])).as("exp(%s)", p[0]).isEqualTo(p[1]).isNotEqualTo(StrictMath.exp(p[0]));
        }
        assertThat(XlaCpuMath.exp(0)).isEqualTo(1.0);
        assertThat(XlaCpuMath.exp(1)).isEqualTo(Math.E);
        // Subnormal results round once, at their own precision.
        assertThat(XlaCpuMath.exp(-712.0102857606338)).isEqualTo(5.9960029217317E-310);
        assertThat(XlaCpuMath.exp(-745.1332191019411)).isEqualTo(Double.MIN_VALUE);
        assertThat(XlaCpuMath.exp(-746)).isZero();
        assertThat(XlaCpuMath.exp(709.782712893384)).isEqualTo(1.7976931348622732E308);
        assertThat(XlaCpuMath.exp(709.7827128933841)).isInfinite();
        assertThat(XlaCpuMath.exp(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(XlaCpuMath.exp(Double.NaN)).isNaN();
    }

    @Test
    void logIsCorrectlyRounded() {
        double[][] points = {
            {2.8107229106835535E-42, -95.67513219190242},
            {0.19423962960169544, -1.6386626780233684},
            {5.337182140156138, 1.6746978245858692},
            {1.099468960055619E-43, -98.9163316990933},
        };
        for (double[] p : points) {
            assertThat(XlaCpuMath.log(p[0])).as("log(%s)", p[0]).isEqualTo(p[1]).isNotEqualTo(StrictMath.log(p[0]));
        }
        assertThat(XlaCpuMath.log(1)).isZero();
        assertThat(XlaCpuMath.log(Math.E)).isEqualTo(1.0);
        assertThat(XlaCpuMath.log(Double.MIN_VALUE)).isEqualTo(-744.4400719213812);
        assertThat(XlaCpuMath.log(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(XlaCpuMath.log(-0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(XlaCpuMath.log(-1)).isNaN();
        assertThat(XlaCpuMath.log(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(XlaCpuMath.log(Double.NaN)).isNaN();
    }

    @Test
    void tanhIsGlibcsFmaBuildOfFdlibm() {
        double[][] points = {
            {0.09465643802310864, 0.09437474532916343},
            {-0.16414591038171356, -0.16268738513404596},
            {0.13969568403164911, 0.13879400679939108},
            {-0.2074855575202542, -0.20455851567221242},
        };
        for (double[] p : points) {
            assertThat(XlaCpuMath.tanh(p[0]))
                    .as("tanh(%s)", p[0])
                    .isEqualTo(p[1])
                    .isNotEqualTo(StrictMath.tanh(p[0]));
        }
        assertThat(XlaCpuMath.tanh(-0.0)).isEqualTo(-0.0);
        assertThat(XlaCpuMath.tanh(30)).isEqualTo(1.0);
        assertThat(XlaCpuMath.tanh(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(XlaCpuMath.tanh(Double.NaN)).isNaN();
    }

    @Test
    void expm1IsXlasTanhFormulaUpToOneHalf() {
        // tanh(x/2) (exp(x) + 1): an ulp from the libm expm1 here.
        assertThat(XlaCpuMath.expm1(0.1)).isEqualTo(0.10517091807564764).isNotEqualTo(StrictMath.expm1(0.1));
        assertThat(XlaCpuMath.expm1(-0.2795726654730757)).isEqualTo(-0.2438932170381839);
        // Beyond |x| = 0.5, exp(x) - 1; where x/2 underflows, x.
        assertThat(XlaCpuMath.expm1(0.75)).isEqualTo(XlaCpuMath.exp(0.75) - 1);
        assertThat(XlaCpuMath.expm1(Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        assertThat(XlaCpuMath.expm1(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    }

    @Test
    void log1pIsXlasCephesApproximationWithFusedSteps() {
        // From the corpus (asinh_float64_20_20_chlo): the fused result, an ulp from the unfused one and libm's.
        assertThat(XlaCpuMath.log1p(0.34333532985574106))
                .isEqualTo(0.295155573534346)
                .isNotEqualTo(StrictMath.log1p(0.34333532985574106));
        assertThat(XlaCpuMath.log1p(-0.3)).isEqualTo(-0.3566749439387324).isNotEqualTo(StrictMath.log1p(-0.3));
        // From sqrt(2) - 1 on, log(x + 1).
        assertThat(XlaCpuMath.log1p(0.5)).isEqualTo(XlaCpuMath.log(1.5));
        assertThat(XlaCpuMath.log1p(-1)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(XlaCpuMath.log1p(-2)).isNaN();
        assertThat(XlaCpuMath.log1p(-0.0)).isEqualTo(-0.0);
    }

    @Test
    void log1pRunsTheSameFormulaInF32AndF16() {
        // From the corpus (log1p_float32_20_20, log1p_float16_20_20): XLA's results, not the correctly
        // rounded ones (-0.53066319f, -0.36058351f; 0xb511 in f16).
        assertThat(XlaCpuMath.log1pF32(-0.4117852449417114f)).isEqualTo(-0.5306631326675415f);
        assertThat(XlaCpuMath.log1pF32(-0.30273064970970154f)).isEqualTo(-0.36058348417282104f);
        assertThat(XlaCpuMath.log1pF16(-0.271484375f)).isEqualTo(-0.31689453125f);
        // Beyond sqrt(2) - 1 f16 rounds x + 1 before the log.
        assertThat(XlaCpuMath.log1pF16(-0.479736328125f)).isEqualTo(-0.65283203125f);
        assertThat(XlaCpuMath.log1pF16(1.1982421875f)).isEqualTo(0.7880859375f);
    }
}
