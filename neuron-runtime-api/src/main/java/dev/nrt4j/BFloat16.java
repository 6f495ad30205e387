package dev.nrt4j;

/**
 * Conversions between {@code float} and bfloat16 (1 sign, 8 exponent, 7 mantissa bits: the upper
 * half of an IEEE binary32), held in a {@code short} as its bit pattern.
 *
 * <p>Stateless and thread-safe; the conversions allocate nothing.
 */
public final class BFloat16 {
    /** The bfloat16 quiet bit: the top mantissa bit. */
    private static final int QUIET = 0x0040;

    private BFloat16() {}

    /**
     * The bfloat16 nearest to {@code value}, ties to even. NaN stays NaN (quiet, sign kept),
     * infinities stay infinite, and values past the largest bfloat16 round to infinity.
     *
     * @param value any float, including NaN, infinities and subnormals
     * @return the bfloat16 bit pattern
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            // Truncating could leave an all-zero mantissa, i.e. infinity; setting the quiet bit keeps
            // the value a NaN and keeps the top seven payload bits.
            return (short) ((bits >>> 16) | QUIET);
        }
        // Round to nearest even on the dropped half: add just under half an ulp, plus one when the
        // kept part is odd. A carry out of the mantissa bumps the exponent, which is the correct
        // result, including the step from the largest finite value to infinity. The sign bit never
        // receives a carry because the magnitude stays below 0x7F80_8000.
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    /**
     * The exact float value of the bfloat16 bit pattern {@code bits}. A NaN keeps its sign and
     * payload bits.
     *
     * @param bits the bfloat16 bit pattern
     * @return the same value as a float
     */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
