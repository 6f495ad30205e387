package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import java.util.SplittableRandom;

/**
 * The floating-point arrays the bit-exact kernel tests feed and compare: random f32/f64/bf16/f16
 * data, element reads as double, the accumulators' single rounding into the result type, and raw
 * bit patterns to compare.
 */
final class FloatArrays {
    private FloatArrays() {}

    /**
     * f32 values where the operations' rules and rounding differ: NaNs with other payloads and signs (a signalling
     * one too), both zeros, subnormals, the smallest normal, infinities, the largest finite values, and ±1.
     * Shared by the tests' generators; do not change its elements.
     */
    static final float[] SPECIAL_F32 = {
        Float.NaN,
        Float.intBitsToFloat(0x7fc00001),
        Float.intBitsToFloat(0xffc00000),
        Float.intBitsToFloat(0x7f800001),
        0f,
        -0f,
        Float.MIN_VALUE,
        -Float.MIN_VALUE,
        Float.MIN_NORMAL,
        0x1p-140f,
        -0x1p-140f,
        Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE,
        -Float.MAX_VALUE,
        1f,
        -1f
    };

    /** Uniform in [-4, 4); with {@code signedZeros}, one element in 16 is +0 or -0. */
    static Array random(ElementType type, long[] dims, SplittableRandom rnd, boolean signedZeros) {
        Array a = Array.allocate(type, dims);
        for (int i = 0; i < a.size(); i++) {
            double v =
                    signedZeros && rnd.nextInt(16) == 0 ? (rnd.nextBoolean() ? 0.0 : -0.0) : rnd.nextDouble() * 8 - 4;
            switch (type) {
                case F32:
                    a.floats()[i] = (float) v;
                    break;
                case F64:
                    a.doubles()[i] = v;
                    break;
                case BF16:
                    a.shorts()[i] = BFloat16.fromFloat((float) v);
                    break;
                default:
                    a.shorts()[i] = Float16.fromFloat((float) v);
                    break;
            }
        }
        return a;
    }

    static double element(Array a, int i) {
        switch (a.type()) {
            case F32:
                return a.floats()[i];
            case F64:
                return a.doubles()[i];
            case BF16:
                return BFloat16.toFloat(a.shorts()[i]);
            default:
                return Float16.toFloat(a.shorts()[i]);
        }
    }

    /** Stores an output: the f64 accumulator for f64, else the f32 one, rounded once for bf16/f16. */
    static void store(Array out, int o, float accF, double accD) {
        switch (out.type()) {
            case F32:
                out.floats()[o] = accF;
                break;
            case F64:
                out.doubles()[o] = accD;
                break;
            case BF16:
                out.shorts()[o] = BFloat16.fromFloat(accF);
                break;
            default:
                out.shorts()[o] = Float16.fromFloat(accF);
                break;
        }
    }

    static long[] bits(Array a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            switch (a.type()) {
                case F32:
                    out[i] = Float.floatToRawIntBits(a.floats()[i]);
                    break;
                case F64:
                    out[i] = Double.doubleToRawLongBits(a.doubles()[i]);
                    break;
                default:
                    out[i] = a.shorts()[i];
                    break;
            }
        }
        return out;
    }

    /**
     * {@link #bits}, with every NaN as one pattern: Java leaves which NaN arithmetic returns to the hardware and the
     * JIT (which may swap a commutative operation's operands), so no evaluation order fixes a NaN's sign or payload;
     * everything else, NaN-ness and zero signs included, must match.
     */
    static long[] bitsNanAsOne(Array a) {
        long[] out = bits(a);
        for (int i = 0; i < out.length; i++) {
            if (Double.isNaN(element(a, i))) {
                out[i] = 0x7ff8_0000_0000_0000L;
            }
        }
        return out;
    }
}
