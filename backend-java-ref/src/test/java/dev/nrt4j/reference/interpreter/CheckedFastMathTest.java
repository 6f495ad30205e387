package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link CheckedFastMath} gives {@code (float) StrictMath.f(x)} bit for bit: on every kind of input of exp and log,
 * and, for the check itself, against fast values deliberately off by up to a thousand ulps around float rounding
 * midpoints, where taking the fast value unchecked would round the other way.
 */
class CheckedFastMathTest {
    /** exp's overflow and underflow edges, where the result crosses to infinity, subnormals and zero. */
    private static final float[] EDGES = {88.72283f, 88.72284f, -87.33655f, -103.27893f, -103.97208f, -103.9721f, -1e9f
    };

    @Test
    void expAndLogGiveTheStrictBitsOnEveryKindOfInput() {
        SplittableRandom rnd = new SplittableRandom(40);
        for (float x : FloatArrays.SPECIAL_F32) {
            assertSame(x);
        }
        for (float x : EDGES) {
            assertSame(x);
        }
        for (int i = 0; i < 2_000_000; i++) {
            // Any bit pattern, and values where exp is finite and not zero, densely.
            assertSame(Float.intBitsToFloat(rnd.nextInt()));
            assertSame((float) (rnd.nextDouble() * 210 - 105));
        }
        // Every float from 1 to 1 + 2^-8 (2^15 of them), where log's results are tiny.
        for (int bits = Float.floatToRawIntBits(1f); bits <= Float.floatToRawIntBits(1 + 0x1p-8f); bits++) {
            assertSame(Float.intBitsToFloat(bits));
        }
    }

    private static void assertSame(float x) {
        assertThat(Float.floatToRawIntBits(CheckedFastMath.exp(x)))
                .as("exp(%s)", x)
                .isEqualTo(Float.floatToRawIntBits((float) StrictMath.exp(x)));
        assertThat(Float.floatToRawIntBits(CheckedFastMath.log(x)))
                .as("log(%s)", x)
                .isEqualTo(Float.floatToRawIntBits((float) StrictMath.log(x)));
    }

    /**
     * A "strict" function whose result is the rounding midpoint between {@code x} and the next float up (so it
     * rounds to whichever is even), and fast values up to 1000 ulps either side of it: each must settle to the
     * strict rounding, though half of them alone would round the other way.
     */
    @Test
    void aFastValueOnTheOtherSideOfARoundingMidpointIsNotTaken() {
        SplittableRandom rnd = new SplittableRandom(41);
        DoubleUnaryOperator midpoint = v -> v + Math.ulp((float) v) / 2.0;
        int roundedOtherWay = 0;
        for (int i = 0; i < 20_000; i++) {
            float x = Float.intBitsToFloat(rnd.nextInt(0x7f000000)) * (rnd.nextBoolean() ? 1 : -1);
            double strict = midpoint.applyAsDouble(x);
            float want = (float) strict;
            double fast = strict;
            int steps = 1 + rnd.nextInt(1000);
            for (int s = 0; s < steps; s++) {
                fast = rnd.nextBoolean() ? Math.nextUp(fast) : Math.nextDown(fast);
            }
            if ((float) fast != want) {
                roundedOtherWay++;
            }
            assertThat(Float.floatToRawIntBits(CheckedFastMath.settle(fast, x, midpoint)))
                    .as("fast %s around the midpoint %s of %s", fast, strict, x)
                    .isEqualTo(Float.floatToRawIntBits(want));
        }
        assertThat(roundedOtherWay)
                .as("fast values that alone round the wrong way")
                .isGreaterThan(1000);
    }
}
