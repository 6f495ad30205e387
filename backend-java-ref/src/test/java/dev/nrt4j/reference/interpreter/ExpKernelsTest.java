package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector {@code exponential} loop against {@code (float) StrictMath.exp}, bit for bit, on the special values
 * (NaNs, zeros, subnormals, infinities), exp's overflow and underflow edges, any bit pattern and dense values where
 * exp is finite; over lengths and start offsets that leave every tail after whole vectors and cross its chunks.
 */
class ExpKernelsTest {
    private static final float[] EDGES = {88.72283f, 88.72284f, -87.33655f, -103.27893f, -103.97208f, -1e9f};

    @Test
    void theVectorLoopGivesTheStrictBits() {
        Needs.that(
                ModuleLayer.boot().findModule(GemmKernels.VECTOR_MODULE).isPresent(),
                "the JVM option --add-modules " + GemmKernels.VECTOR_MODULE + " (the build's test argLine adds it)");
        assertThat(ExpKernels.vector())
                .as("the vector loop, with the module present")
                .isPresent();
        check(ExpKernels.vector().get());
    }

    @Test
    void theScalarLoopGivesTheStrictBits() {
        check(ExpKernels.SCALAR);
    }

    private static void check(ExpKernels.Kernel k) {
        SplittableRandom rnd = new SplittableRandom(61);
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(1500);
            int from = rnd.nextInt(20);
            float[] a = new float[from + n];
            for (int i = 0; i < a.length; i++) {
                int pick = rnd.nextInt(8);
                a[i] = pick == 0
                        ? FloatArrays.SPECIAL_F32[rnd.nextInt(FloatArrays.SPECIAL_F32.length)]
                        : pick == 1
                                ? EDGES[rnd.nextInt(EDGES.length)]
                                : pick == 2
                                        ? Float.intBitsToFloat(rnd.nextInt())
                                        : (float) (rnd.nextDouble() * 210 - 105);
            }
            float[] r = new float[a.length];
            r[0] = 42;
            k.exp(a, r, from, a.length);
            for (int i = 0; i < a.length; i++) {
                int want = i < from
                        ? (i == 0 ? Float.floatToRawIntBits(42) : 0)
                        : Float.floatToRawIntBits((float) StrictMath.exp(a[i]));
                assertThat(Float.floatToRawIntBits(r[i]))
                        .as("exp(%s) at %d of [%d, %d)", a[i], i, from, a.length)
                        .isEqualTo(want);
            }
        }
    }
}
