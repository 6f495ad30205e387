package dev.nrt4j.reference.interpreter;

import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;

/**
 * Block moves between an array's storage and a working buffer of {@code long}, {@code float} or
 * {@code double}, so that one tight kernel per working type serves every element type: s8 … u32 and
 * pred work in canonical longs (sign- or zero-extended), f16/bf16/8-bit floats in floats (the
 * compute type HloEvaluator uses for them), f32 in floats and f64 in doubles. Each move switches on
 * the element type once per block, not per element.
 */
final class Elements {
    /** Working-buffer length for blocked kernels. */
    static final int BLOCK = 2048;

    private Elements() {}

    /** The bit width of an integer or pred type as kernels see it. */
    static int bits(ElementType t) {
        switch (t) {
            case PRED:
                return 1;
            case S8:
            case U8:
                return 8;
            case S16:
            case U16:
                return 16;
            case S32:
            case U32:
                return 32;
            case S64:
            case U64:
                return 64;
            case S4:
            case U4:
                return 4;
            case S2:
            case U2:
                return 2;
            case S1:
            case U1:
                return 1;
            default:
                throw new IllegalArgumentException(t.textName() + " is not an integer type");
        }
    }

    /** Whether the type is pred or an integer type. */
    static boolean isIntegral(ElementType t) {
        return t == ElementType.PRED || t.isSignedInteger() || t.isUnsignedInteger();
    }

    /** Whether kernels compute this float type in {@code float} (everything but f64). */
    static boolean computesInFloat(ElementType t) {
        return t.isFloatingPoint() && t != ElementType.F64;
    }

    /** The canonical long of a w-bit value: sign-extended when signed, zero-extended otherwise. */
    static long canonical(long v, int bits, boolean signed) {
        if (bits == 64) {
            return v;
        }
        return signed ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
    }

    static void readLongs(Array a, int from, long[] buf, int n) {
        Object d = a.data();
        switch (a.type()) {
            case PRED:
            case U8: {
                byte[] s = (byte[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i] & 0xFFL;
                }
                return;
            }
            case U4:
            case U2:
            case U1: {
                byte[] s = (byte[]) d;
                long mask = (1L << bits(a.type())) - 1;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i] & mask;
                }
                return;
            }
            case S8: {
                byte[] s = (byte[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i];
                }
                return;
            }
            case S4:
            case S2:
            case S1: {
                byte[] s = (byte[]) d;
                int w = bits(a.type());
                for (int i = 0; i < n; i++) {
                    buf[i] = canonical(s[from + i], w, true);
                }
                return;
            }
            case S16: {
                short[] s = (short[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i];
                }
                return;
            }
            case U16: {
                short[] s = (short[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i] & 0xFFFFL;
                }
                return;
            }
            case S32: {
                int[] s = (int[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i];
                }
                return;
            }
            case U32: {
                int[] s = (int[]) d;
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i] & 0xFFFFFFFFL;
                }
                return;
            }
            case S64:
            case U64:
                System.arraycopy((long[]) d, from, buf, 0, n);
                return;
            default:
                throw new IllegalArgumentException(a.type().textName() + " is not an integer type");
        }
    }

    /** Stores longs, wrapping to the type's width; pred stores 1 for any non-zero value. */
    static void writeLongs(Array r, int from, long[] buf, int n) {
        Object d = r.data();
        switch (r.type()) {
            case PRED: {
                byte[] t = (byte[]) d;
                for (int i = 0; i < n; i++) {
                    t[from + i] = (byte) (buf[i] != 0 ? 1 : 0);
                }
                return;
            }
            case S8:
            case U8: {
                byte[] t = (byte[]) d;
                for (int i = 0; i < n; i++) {
                    t[from + i] = (byte) buf[i];
                }
                return;
            }
            case S4:
            case U4:
            case S2:
            case U2:
            case S1:
            case U1: {
                // Sub-byte types keep their value in the low bits of a byte, canonical as read back.
                byte[] t = (byte[]) d;
                int w = bits(r.type());
                boolean signed = r.type().isSignedInteger();
                for (int i = 0; i < n; i++) {
                    t[from + i] = (byte) canonical(buf[i], w, signed);
                }
                return;
            }
            case S16:
            case U16: {
                short[] t = (short[]) d;
                for (int i = 0; i < n; i++) {
                    t[from + i] = (short) buf[i];
                }
                return;
            }
            case S32:
            case U32: {
                int[] t = (int[]) d;
                for (int i = 0; i < n; i++) {
                    t[from + i] = (int) buf[i];
                }
                return;
            }
            case S64:
            case U64:
                System.arraycopy(buf, 0, (long[]) d, from, n);
                return;
            default:
                throw new IllegalArgumentException(r.type().textName() + " is not an integer type");
        }
    }

    /** Reads a float type other than f64 as floats (exact). */
    static void readFloats(Array a, int from, float[] buf, int n) {
        switch (a.type()) {
            case F32:
                System.arraycopy(a.floats(), from, buf, 0, n);
                return;
            case BF16:
                ElementwiseKernels.active().fromBf16(a.shorts(), from, buf, 0, n, false);
                return;
            case F16: {
                short[] s = a.shorts();
                for (int i = 0; i < n; i++) {
                    buf[i] = Float16.toFloat(s[from + i]);
                }
                return;
            }
            default: {
                MiniFloat f = MiniFloat.of(a.type());
                byte[] s = a.bytes();
                for (int i = 0; i < n; i++) {
                    buf[i] = f.decode(s[from + i]);
                }
            }
        }
    }

    /** Stores floats into a float type other than f64, rounding to nearest even. */
    static void writeFloats(Array r, int from, float[] buf, int n) {
        switch (r.type()) {
            case F32:
                System.arraycopy(buf, 0, r.floats(), from, n);
                return;
            case BF16:
                ElementwiseKernels.active().toBf16(buf, 0, r.shorts(), from, n);
                return;
            case F16: {
                short[] t = r.shorts();
                for (int i = 0; i < n; i++) {
                    t[from + i] = Float16.fromFloat(buf[i]);
                }
                return;
            }
            default: {
                MiniFloat f = MiniFloat.of(r.type());
                byte[] t = r.bytes();
                for (int i = 0; i < n; i++) {
                    t[from + i] = f.encode(buf[i]);
                }
            }
        }
    }

    /** Reads any real float type as doubles (exact). */
    static void readDoubles(Array a, int from, double[] buf, int n) {
        switch (a.type()) {
            case F64:
                System.arraycopy(a.doubles(), from, buf, 0, n);
                return;
            case F32: {
                float[] s = a.floats();
                for (int i = 0; i < n; i++) {
                    buf[i] = s[from + i];
                }
                return;
            }
            default: {
                float[] tmp = new float[n];
                readFloats(a, from, tmp, n);
                for (int i = 0; i < n; i++) {
                    buf[i] = tmp[i];
                }
            }
        }
    }

    /**
     * Stores doubles into any real float type. Narrow types go through f32 first, as XLA's conversions
     * do (so f64 → bf16 may round twice); 8-bit floats round once from the double.
     */
    static void writeDoubles(Array r, int from, double[] buf, int n) {
        switch (r.type()) {
            case F64:
                System.arraycopy(buf, 0, r.doubles(), from, n);
                return;
            case F32: {
                float[] t = r.floats();
                for (int i = 0; i < n; i++) {
                    t[from + i] = (float) buf[i];
                }
                return;
            }
            case BF16:
            case F16: {
                float[] tmp = new float[n];
                for (int i = 0; i < n; i++) {
                    tmp[i] = (float) buf[i];
                }
                writeFloats(r, from, tmp, n);
                return;
            }
            default: {
                MiniFloat f = MiniFloat.of(r.type());
                byte[] t = r.bytes();
                for (int i = 0; i < n; i++) {
                    t[from + i] = f.encode(buf[i]);
                }
            }
        }
    }

    /** Checks that an operand is an array of the expected type and dimensions. */
    static Array operand(java.util.List<Value> ops, int i, ElementType type, long[] dims, String op) {
        if (i >= ops.size()) {
            throw new IllegalArgumentException(op + " needs operand " + i);
        }
        Array a = ops.get(i).asArray();
        if (type != null && a.type() != type) {
            throw new IllegalArgumentException(
                    op + " operand " + i + " is " + a.type().textName() + ", expected " + type.textName());
        }
        if (dims != null && !java.util.Arrays.equals(a.dims(), dims)) {
            throw new IllegalArgumentException(op + " operand " + i + " has dimensions "
                    + java.util.Arrays.toString(a.dims()) + ", expected " + java.util.Arrays.toString(dims));
        }
        return a;
    }
}
