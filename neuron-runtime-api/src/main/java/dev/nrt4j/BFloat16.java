package dev.nrt4j;

/**
 * Conversions between {@code float} and bfloat16 (1 sign, 8 exponent, 7 mantissa bits: the upper
 * half of an IEEE binary32), held in a {@code short} as its bit pattern.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /**
     * The bfloat16 nearest to {@code value}, ties to even. NaN stays NaN (quiet, sign kept),
     * infinities stay infinite, and values past the largest bfloat16 round to infinity.
     */
    public static short fromFloat(float value) {
        throw new UnsupportedOperationException("written in the next step");
    }

    /** The exact float value of the bfloat16 bit pattern {@code bits}. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
