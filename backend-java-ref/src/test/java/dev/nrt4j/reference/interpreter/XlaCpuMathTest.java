package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The f64 functions XLA CPU computes by C library calls. Expected values come from outside this code:
 * correctly rounded values (300-bit arithmetic). Every point is one where fdlibm ({@link StrictMath})
 * gives another double, so the tests tell the two apart.
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
}
