package dev.nrt4j;

/**
 * Conversions between {@code float} and IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits),
 * held in a {@code short} as its bit pattern.
 */
public final class Float16 {
    private Float16() {
    }

    /**
     * The binary16 nearest to {@code value}, ties to even, with subnormals produced exactly. NaN stays
     * NaN (quiet, sign kept), infinities stay infinite, and values past the largest finite binary16
     * (65504) round to infinity as IEEE rounding says.
     */
    public static short fromFloat(float value) {
        throw new UnsupportedOperationException("written in the next step");
    }

    /** The exact float value of the binary16 bit pattern {@code bits}, subnormals included. */
    public static float toFloat(short bits) {
        throw new UnsupportedOperationException("written in the next step");
    }
}
