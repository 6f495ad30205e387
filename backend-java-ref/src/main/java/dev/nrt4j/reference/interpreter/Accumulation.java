package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;

/**
 * How dot and convolution accumulate for a result element type, the way XLA's {@code HloEvaluator}
 * does: both operands are first converted to the <em>result</em> element type, then products are
 * summed in the result's elementwise type — f32 for bf16/f16 results (rounded once at the end), the
 * type itself otherwise. Integer sums are kept in a {@code long} and truncated to the result's width
 * at the end, which is the same as wrapping after every step since two's-complement add and multiply
 * commute with truncation.
 *
 * <p>The conversions here run once per operand element, outside the kernels' hot loops.
 */
final class Accumulation {
    private Accumulation() {}

    /** The representation a kernel accumulates in. */
    enum Kind {
        /** f32, bf16, f16 results: {@code float}. */
        FLOAT,
        /** f64 results: {@code double}. */
        DOUBLE,
        /** integer and pred results: {@code long}. */
        LONG,
        /** c64 results: interleaved {@code float} pairs. */
        COMPLEX_FLOAT,
        /** c128 results: interleaved {@code double} pairs. */
        COMPLEX_DOUBLE
    }

    /**
     * The accumulator kind of a result type.
     *
     * @throws IllegalArgumentException for 8-bit and 4-bit float results, which the reference device does not decode
     */
    static Kind kind(ElementType result) {
        switch (result) {
            case F32:
            case BF16:
            case F16:
                return Kind.FLOAT;
            case F64:
                return Kind.DOUBLE;
            case C64:
                return Kind.COMPLEX_FLOAT;
            case C128:
                return Kind.COMPLEX_DOUBLE;
            case PRED:
            case S8:
            case S16:
            case S32:
            case S64:
            case U8:
            case U16:
            case U32:
            case U64:
            case S4:
            case U4:
            case S2:
            case U2:
            case S1:
            case U1:
                return Kind.LONG;
            default:
                throw new IllegalArgumentException("result element type " + result.textName() + " is not supported");
        }
    }

    private static void checkOperandType(ElementType t) {
        if (!t.isArrayType()
                || (t.isFloatingPoint()
                        && t != ElementType.F32
                        && t != ElementType.F64
                        && t != ElementType.BF16
                        && t != ElementType.F16)) {
            throw new IllegalArgumentException("operand element type " + t.textName() + " is not supported");
        }
    }

    /** Element {@code i} as a float, as C++ {@code static_cast<float>} gives it (complex: the real part). */
    private static float asFloat(Array a, int i) {
        Object d = a.data();
        switch (a.type()) {
            case F32:
                return ((float[]) d)[i];
            case F64:
                return (float) ((double[]) d)[i];
            case BF16:
                return BFloat16.toFloat(((short[]) d)[i]);
            case F16:
                return Float16.toFloat(((short[]) d)[i]);
            case C64:
                return ((float[]) d)[2 * i];
            case C128:
                return (float) ((double[]) d)[2 * i];
            case U64:
                return unsignedToFloat(((long[]) d)[i]);
            default:
                return (float) a.getLong(i);
        }
    }

    /** Element {@code i} as a double, exactly where the type allows (complex: the real part). */
    private static double asDouble(Array a, int i) {
        Object d = a.data();
        switch (a.type()) {
            case F32:
                return ((float[]) d)[i];
            case F64:
                return ((double[]) d)[i];
            case BF16:
                return BFloat16.toFloat(((short[]) d)[i]);
            case F16:
                return Float16.toFloat(((short[]) d)[i]);
            case C64:
                return ((float[]) d)[2 * i];
            case C128:
                return ((double[]) d)[2 * i];
            case U64:
                return unsignedToDouble(((long[]) d)[i]);
            default:
                return (double) a.getLong(i);
        }
    }

    /** Correctly rounded u64 → f32: halve with a sticky bit so the one rounding happens in the cast. */
    static float unsignedToFloat(long v) {
        return v >= 0 ? (float) v : ((float) ((v >>> 1) | (v & 1))) * 2f;
    }

    /** Correctly rounded u64 → f64. */
    static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }

    /**
     * The operand converted to a float-accumulated result type ({@code f32}, {@code bf16} or {@code f16})
     * and widened to f32. Sources other than f32 go through {@code static_cast<float>} first, as Eigen's
     * bf16/f16 constructors do, then round once (RNE) to the result type. Callers only read it: an f32
     * operand of an f32 result comes back as its own storage, saving the copy (dot and convolution pack their
     * operands again).
     */
    static float[] toFloats(Array a, ElementType result) {
        checkOperandType(a.type());
        if (a.type() == ElementType.F32 && result == ElementType.F32) {
            return a.floats();
        }
        int n = a.size();
        float[] out = new float[n];
        if (a.type() == ElementType.F32) {
            System.arraycopy(a.floats(), 0, out, 0, n);
        } else if (a.type() == result && (result == ElementType.BF16 || result == ElementType.F16)) {
            short[] s = a.shorts();
            if (result == ElementType.BF16) {
                for (int i = 0; i < n; i++) {
                    out[i] = BFloat16.toFloat(s[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(s[i]);
                }
            }
            return out;
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = asFloat(a, i);
            }
        }
        if (result == ElementType.BF16) {
            for (int i = 0; i < n; i++) {
                out[i] = BFloat16.toFloat(BFloat16.fromFloat(out[i]));
            }
        } else if (result == ElementType.F16) {
            for (int i = 0; i < n; i++) {
                out[i] = Float16.toFloat(Float16.fromFloat(out[i]));
            }
        }
        return out;
    }

    /** The operand converted to f64; read-only, like {@link #toFloats} (an f64 operand is its own storage). */
    static double[] toDoubles(Array a) {
        checkOperandType(a.type());
        if (a.type() == ElementType.F64) {
            return a.doubles();
        }
        int n = a.size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = asDouble(a, i);
        }
        return out;
    }

    /**
     * The operand converted to an integer (or pred) result type, held in longs: integers keep their value
     * (wrapping happens at the end), floats convert as XLA's literal conversion does — NaN to 0, out-of-range
     * values saturate to the result type's range, otherwise truncation toward zero; anything to pred is
     * {@code value != 0}.
     */
    static long[] toLongs(Array a, ElementType result) {
        checkOperandType(a.type());
        int n = a.size();
        long[] out = new long[n];
        ElementType t = a.type();
        boolean floating = t.isFloatingPoint() || t.isComplex();
        if (result == ElementType.PRED) {
            for (int i = 0; i < n; i++) {
                out[i] = (floating ? asDouble(a, i) != 0 : a.getLong(i) != 0) ? 1 : 0;
            }
            return out;
        }
        if (!floating) {
            if (t == ElementType.S64 || t == ElementType.U64) {
                System.arraycopy(a.longs(), 0, out, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = a.getLong(i);
                }
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = saturatingToInteger(asDouble(a, i), result);
        }
        return out;
    }

    /** XLA's float → integer conversion: NaN → 0, saturate at the type's bounds, truncate toward zero. */
    static long saturatingToInteger(double d, ElementType result) {
        if (Double.isNaN(d)) {
            return 0;
        }
        switch (result) {
            case S64:
                return (long) d; // Java's cast already saturates
            case U64:
                if (d <= 0) {
                    return 0;
                }
                if (d >= 0x1p64) {
                    return -1L;
                }
                return d >= 0x1p63 ? ((long) (d - 0x1p63)) ^ Long.MIN_VALUE : (long) d;
            default:
                long lo = minValue(result);
                long hi = maxValue(result);
                return Math.max(lo, Math.min(hi, (long) d));
        }
    }

    private static long minValue(ElementType t) {
        if (t.isUnsignedInteger()) {
            return 0;
        }
        return -(1L << (bits(t) - 1));
    }

    private static long maxValue(ElementType t) {
        return t.isUnsignedInteger() ? (1L << bits(t)) - 1 : (1L << (bits(t) - 1)) - 1;
    }

    private static int bits(ElementType t) {
        switch (t) {
            case S1:
            case U1:
                return 1;
            case S2:
            case U2:
                return 2;
            case S4:
            case U4:
                return 4;
            case S8:
            case U8:
                return 8;
            case S16:
            case U16:
                return 16;
            case S32:
            case U32:
                return 32;
            default:
                return 64;
        }
    }

    /** The operand converted to c64 (interleaved): real operands get a zero imaginary part. */
    static float[] toComplexFloats(Array a) {
        checkOperandType(a.type());
        int n = a.size();
        float[] out = new float[2 * n];
        if (a.type() == ElementType.C64) {
            System.arraycopy(a.floats(), 0, out, 0, 2 * n);
        } else if (a.type() == ElementType.C128) {
            double[] d = a.doubles();
            for (int i = 0; i < 2 * n; i++) {
                out[i] = (float) d[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[2 * i] = asFloat(a, i);
            }
        }
        return out;
    }

    /** The operand converted to c128 (interleaved). */
    static double[] toComplexDoubles(Array a) {
        checkOperandType(a.type());
        int n = a.size();
        double[] out = new double[2 * n];
        if (a.type() == ElementType.C128) {
            System.arraycopy(a.doubles(), 0, out, 0, 2 * n);
        } else if (a.type() == ElementType.C64) {
            float[] f = a.floats();
            for (int i = 0; i < 2 * n; i++) {
                out[i] = f[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[2 * i] = asDouble(a, i);
            }
        }
        return out;
    }

    /** Float sums as a result array: f32 as is (no copy), bf16/f16 rounded once (RNE). */
    static Array fromFloats(float[] acc, ElementType result, long[] dims) {
        switch (result) {
            case F32:
                return Array.wrap(result, dims, acc);
            case BF16: {
                short[] s = new short[acc.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = BFloat16.fromFloat(acc[i]);
                }
                return Array.wrap(result, dims, s);
            }
            case F16: {
                short[] s = new short[acc.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = Float16.fromFloat(acc[i]);
                }
                return Array.wrap(result, dims, s);
            }
            default:
                throw new IllegalStateException("not a float-accumulated type: " + result.textName());
        }
    }

    /** Integer sums truncated to the result's width (pred: any non-zero sum is true). */
    static Array fromLongs(long[] acc, ElementType result, long[] dims) {
        Array out = Array.allocate(result, dims);
        int n = acc.length;
        switch (result) {
            case S64:
            case U64:
                System.arraycopy(acc, 0, out.longs(), 0, n);
                break;
            case S32:
            case U32: {
                int[] o = out.ints();
                for (int i = 0; i < n; i++) {
                    o[i] = (int) acc[i];
                }
                break;
            }
            case S16:
            case U16: {
                short[] o = out.shorts();
                for (int i = 0; i < n; i++) {
                    o[i] = (short) acc[i];
                }
                break;
            }
            case PRED: {
                byte[] o = out.bytes();
                for (int i = 0; i < n; i++) {
                    o[i] = (byte) (acc[i] != 0 ? 1 : 0);
                }
                break;
            }
            default: {
                byte[] o = out.bytes();
                int b = bits(result);
                for (int i = 0; i < n; i++) {
                    long v = acc[i];
                    if (b < 8) {
                        // Sub-byte types are one element per byte: signed ones sign-extended, unsigned ones masked.
                        v = result.isSignedInteger() ? (v << (64 - b)) >> (64 - b) : v & ((1L << b) - 1);
                    }
                    o[i] = (byte) v;
                }
                break;
            }
        }
        return out;
    }
}
