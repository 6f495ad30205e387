package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.testsupport.Needs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector {@code maximum}/{@code minimum} loops against the scalar ones, bit for bit, on values chosen to hit
 * every case of the rule: NaNs with different payloads and signs on either side, {@code -0} against {@code +0}
 * both ways, equal values, subnormals, infinities; over lengths and start offsets that leave every possible tail
 * after whole vectors. The scalar loops apply {@link ElementwiseOps}' per-element rule, which
 * {@code ElementwiseOpsTest} checks against XLA's definition.
 */
class MinMaxKernelsTest {
    private static final float[] SPECIAL_F = FloatArrays.SPECIAL_F32;
    private static final double[] SPECIAL_D = {
        Double.NaN,
        Double.longBitsToDouble(0x7ff8000000000001L),
        Double.longBitsToDouble(0xfff8000000000000L),
        Double.longBitsToDouble(0x7ff0000000000001L),
        0d,
        -0d,
        Double.MIN_VALUE,
        -Double.MIN_VALUE,
        Double.MIN_NORMAL,
        0x1p-1050,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MAX_VALUE,
        1d,
        -1d
    };

    private static MinMaxKernels.Kernel vectorKernel() {
        Needs.that(
                ModuleLayer.boot().findModule(GemmKernels.VECTOR_MODULE).isPresent(),
                "the JVM option --add-modules " + GemmKernels.VECTOR_MODULE + " (the build's test argLine adds it)");
        assertThat(MinMaxKernels.vector())
                .as("the vector loops, with the module present")
                .isPresent();
        return MinMaxKernels.vector().get();
    }

    /** Half special values, half ordinary ones; often the same value on both sides, so ties are common. */
    private static float[][] floatPair(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextBoolean() ? SPECIAL_F[rnd.nextInt(SPECIAL_F.length)] : (float) rnd.nextGaussian();
            int pick = rnd.nextInt(3);
            b[i] = pick == 0 ? a[i] : pick == 1 ? SPECIAL_F[rnd.nextInt(SPECIAL_F.length)] : (float) rnd.nextGaussian();
        }
        return new float[][] {a, b};
    }

    private static double[][] doublePair(SplittableRandom rnd, int n) {
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextBoolean() ? SPECIAL_D[rnd.nextInt(SPECIAL_D.length)] : rnd.nextGaussian();
            int pick = rnd.nextInt(3);
            b[i] = pick == 0 ? a[i] : pick == 1 ? SPECIAL_D[rnd.nextInt(SPECIAL_D.length)] : rnd.nextGaussian();
        }
        return new double[][] {a, b};
    }

    @Test
    void vectorAndScalarLoopsGiveTheSameBitsOnEverySpecialCase() {
        MinMaxKernels.Kernel vector = vectorKernel();
        MinMaxKernels.Kernel scalar = MinMaxKernels.SCALAR;
        SplittableRandom rnd = new SplittableRandom(1412);
        for (int round = 0; round < 300; round++) {
            int n = round < 100 ? round : 100 + rnd.nextInt(2000);
            int from = n == 0 ? 0 : rnd.nextInt(Math.min(n, 40) + 1);
            int to = from + rnd.nextInt(n - from + 1);
            float[][] f = floatPair(rnd, n);
            for (boolean max : new boolean[] {true, false}) {
                // Outside [from, to) both outputs keep their marker: a loop must not write past its range.
                float[] want = new float[n];
                float[] got = new float[n];
                java.util.Arrays.fill(want, 7f);
                java.util.Arrays.fill(got, 7f);
                if (max) {
                    scalar.max(f[0], f[1], want, from, to);
                    vector.max(f[0], f[1], got, from, to);
                } else {
                    scalar.min(f[0], f[1], want, from, to);
                    vector.min(f[0], f[1], got, from, to);
                }
                assertThat(bits(got))
                        .as("f32 %s, n=%d [%d, %d)", max ? "max" : "min", n, from, to)
                        .isEqualTo(bits(want));
            }
            double[][] d = doublePair(rnd, n);
            for (boolean max : new boolean[] {true, false}) {
                double[] want = new double[n];
                double[] got = new double[n];
                java.util.Arrays.fill(want, 7d);
                java.util.Arrays.fill(got, 7d);
                if (max) {
                    scalar.max(d[0], d[1], want, from, to);
                    vector.max(d[0], d[1], got, from, to);
                } else {
                    scalar.min(d[0], d[1], want, from, to);
                    vector.min(d[0], d[1], got, from, to);
                }
                assertThat(bits(got))
                        .as("f64 %s, n=%d [%d, %d)", max ? "max" : "min", n, from, to)
                        .isEqualTo(bits(want));
            }
        }
    }

    /** The rule's cases spelled out, in full vectors, so a wrong mask fails with a readable message. */
    @Test
    void vectorLoopsKeepNanPayloadsAndTheFirstOfTwoZeros() {
        MinMaxKernels.Kernel vector = vectorKernel();
        int n = 64;
        float nan = Float.intBitsToFloat(0x7fc00123);
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i += 4) {
            a[i] = nan;
            b[i] = 1f;
            a[i + 1] = 1f;
            b[i + 1] = nan;
            a[i + 2] = -0f;
            b[i + 2] = 0f;
            a[i + 3] = 0f;
            b[i + 3] = -0f;
        }
        float[] max = new float[n];
        float[] min = new float[n];
        vector.max(a, b, max, 0, n);
        vector.min(a, b, min, 0, n);
        for (int i = 0; i < n; i += 4) {
            assertThat(Float.floatToRawIntBits(max[i]))
                    .as("max(NaN, 1) at %d", i)
                    .isEqualTo(0x7fc00123);
            assertThat(Float.floatToRawIntBits(max[i + 1]))
                    .as("max(1, NaN) at %d", i + 1)
                    .isEqualTo(0x7fc00123);
            assertThat(Float.floatToRawIntBits(max[i + 2]))
                    .as("max(-0, +0) at %d", i + 2)
                    .isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(Float.floatToRawIntBits(max[i + 3]))
                    .as("max(+0, -0) at %d", i + 3)
                    .isZero();
            assertThat(Float.floatToRawIntBits(min[i]))
                    .as("min(NaN, 1) at %d", i)
                    .isEqualTo(0x7fc00123);
            assertThat(Float.floatToRawIntBits(min[i + 1]))
                    .as("min(1, NaN) at %d", i + 1)
                    .isEqualTo(0x7fc00123);
            assertThat(Float.floatToRawIntBits(min[i + 2]))
                    .as("min(-0, +0) at %d", i + 2)
                    .isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(Float.floatToRawIntBits(min[i + 3]))
                    .as("min(+0, -0) at %d", i + 3)
                    .isZero();
        }
    }

    /** Raw bits (NaN payloads and zero signs count), through the shared test helper. */
    private static long[] bits(float[] f) {
        return FloatArrays.bits(Array.wrap(ElementType.F32, new long[] {f.length}, f));
    }

    private static long[] bits(double[] d) {
        return FloatArrays.bits(Array.wrap(ElementType.F64, new long[] {d.length}, d));
    }
}
