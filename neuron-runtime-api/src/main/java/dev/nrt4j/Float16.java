package dev.nrt4j;

/**
 * Conversions between {@code float} and IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits),
 * held in a {@code short} as its bit pattern.
 *
 * <p>Written for Java 17, which lacks {@code Float.floatToFloat16}; the results equal that method's
 * for every non-NaN input. Stateless and thread-safe; the conversions allocate nothing.
 */
public final class Float16 {
    /** Float bits of 2^-14, the smallest normal binary16. */
    private static final int MIN_NORMAL_AS_FLOAT = 0x3880_0000;
    /** Float bits of 65520: the midpoint between 65504 (largest finite) and 65536, which ties to infinity. */
    private static final int OVERFLOW_AS_FLOAT = 0x477F_F000;
    /** The exponent rebias from binary32 (127) to binary16 (15), in float bit position. */
    private static final int REBIAS = (127 - 15) << 23;
    /**
     * 0.5f: a float whose ulp is 2^-24, the binary16 subnormal quantum. Adding it to a magnitude below
     * 2^-14 makes the float adder round that magnitude to a multiple of 2^-24, ties to even.
     */
    private static final float SUBNORMAL_MAGIC = 0.5f;

    private static final int SUBNORMAL_MAGIC_BITS = 0x3F00_0000;
    private static final int INFINITY = 0x7C00;
    private static final int QUIET = 0x0200;

    private Float16() {}

    /**
     * The binary16 nearest to {@code value}, ties to even, with subnormals produced exactly. NaN stays
     * NaN (quiet, sign kept), infinities stay infinite, and values past the largest finite binary16
     * (65504) round to infinity as IEEE rounding says, i.e. from 65520 up. Float subnormals are far
     * below the smallest binary16 subnormal and become zero of the same sign.
     *
     * @param value any float, including NaN, infinities and subnormals
     * @return the binary16 bit pattern
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= MIN_NORMAL_AS_FLOAT) {
            if (abs < OVERFLOW_AS_FLOAT) {
                // Rebias, then round to nearest even on the 13 dropped bits; a carry out of the mantissa
                // moves to the next exponent, which is the correctly rounded result.
                int rebiased = abs - REBIAS;
                int lsb = (rebiased >>> 13) & 1;
                return (short) (sign | ((rebiased + 0x0FFF + lsb) >>> 13));
            }
            if (abs > 0x7F80_0000) {
                // Keep the top ten payload bits; the quiet bit stops a payload in only the low bits
                // from turning into infinity.
                return (short) (sign | INFINITY | QUIET | ((abs >>> 13) & 0x03FF));
            }
            return (short) (sign | INFINITY);
        }
        // Below 2^-14 the result is k * 2^-24 with k in [0, 1024]; k == 1024 is the smallest normal,
        // whose bit pattern is exactly 1024, so no special case is needed.
        float aligned = Float.intBitsToFloat(abs) + SUBNORMAL_MAGIC;
        return (short) (sign | (Float.floatToRawIntBits(aligned) - SUBNORMAL_MAGIC_BITS));
    }

    /**
     * The exact float value of the binary16 bit pattern {@code bits}, subnormals included. A NaN keeps
     * its sign and payload bits (shifted into the top of the float mantissa).
     *
     * @param bits the binary16 bit pattern
     * @return the same value as a float
     */
    public static float toFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int magnitude = bits & 0x7FFF;
        if (magnitude >= 0x0400) {
            // Normal numbers rebias; infinity and NaN instead take the float's all-ones exponent.
            int exponentFix = magnitude >= INFINITY ? (0xFF - 0x1F) << 23 : REBIAS;
            return Float.intBitsToFloat(sign | ((magnitude << 13) + exponentFix));
        }
        // A subnormal (or zero) is magnitude * 2^-24: both factors and the product are exact floats.
        float value = magnitude * 0x1p-24f;
        return Float.intBitsToFloat(sign | Float.floatToRawIntBits(value));
    }
}
