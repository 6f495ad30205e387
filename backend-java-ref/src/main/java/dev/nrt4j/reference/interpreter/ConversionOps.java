package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * {@code convert}, {@code bitcast-convert} and {@code reduce-precision}. ({@code stochastic-convert}
 * is not implemented: its rounding depends on random bits whose use XLA does not pin down.)
 *
 * <p>convert follows XLA's literal conversion: float → integer truncates toward zero, saturates at
 * the integer range and maps NaN to 0; integer → float rounds to nearest even (u64 included); f16,
 * bf16 and 8-bit-float results from integers or f64 go through f32 first, as Eigen's and XLA's
 * conversions do; anything → pred is "not zero"; integer → integer wraps; complex → real keeps the
 * real part.
 */
final class ConversionOps {
    private ConversionOps() {}

    static void registerAll(OpRegistry r) {
        r.register(ConversionOps::convert, HloOpcode.CONVERT);
        r.register(ConversionOps::bitcastConvert, HloOpcode.BITCAST_CONVERT);
        r.register(ConversionOps::reducePrecision, HloOpcode.REDUCE_PRECISION);
    }

    static Value convert(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException("convert takes 1 operand, got " + ops.size());
        }
        HloShape shape = ins.shape();
        ElementType t = shape.elementType();
        Array a = Elements.operand(ops, 0, null, shape.dims(), "convert");
        return convert(a, t, ctx);
    }

    /** The array converted elementwise to type {@code t}. */
    static Array convert(Array a, ElementType t, EvaluationContext ctx) {
        ElementType s = a.type();
        if (s == t) {
            return a;
        }
        if (!t.isArrayType() || !(Elements.isIntegral(t) || t.isFloatingPoint() || t.isComplex())) {
            throw new IllegalArgumentException("cannot convert to " + t.textName());
        }
        Array r = Array.allocate(t, a.dims());
        int n = r.size();
        if (s == ElementType.F32 && (t == ElementType.BF16 || t == ElementType.S32)
                || s == ElementType.BF16 && t == ElementType.F32) {
            convertInOnePass(a, r, ctx);
            return r;
        }
        if (s.isComplex()) {
            Parallel.forRange(ctx, n, (from, to) -> fromComplex(a, r, from, to));
            return r;
        }
        if (Elements.isIntegral(s)) {
            boolean u64 = s == ElementType.U64;
            Parallel.forRange(ctx, n, (from, to) -> {
                long[] x = new long[Elements.BLOCK];
                double[] d = new double[Elements.BLOCK];
                float[] f = new float[Elements.BLOCK];
                for (int b = from; b < to; b += Elements.BLOCK) {
                    int len = Math.min(Elements.BLOCK, to - b);
                    Elements.readLongs(a, b, x, len);
                    if (Elements.isIntegral(t)) {
                        Elements.writeLongs(r, b, x, len);
                    } else if (t == ElementType.F64 || t == ElementType.C128) {
                        for (int i = 0; i < len; i++) {
                            d[i] = u64 ? unsignedToDouble(x[i]) : (double) x[i];
                        }
                        writeReal(r, b, d, len);
                    } else {
                        for (int i = 0; i < len; i++) {
                            f[i] = u64 ? unsignedToFloat(x[i]) : (float) x[i];
                        }
                        if (t == ElementType.C64) {
                            for (int i = 0; i < len; i++) {
                                r.floats()[2 * (b + i)] = f[i];
                            }
                        } else {
                            Elements.writeFloats(r, b, f, len);
                        }
                    }
                }
            });
            return r;
        }
        if (!s.isFloatingPoint()) {
            throw new IllegalArgumentException("cannot convert from " + s.textName());
        }
        Parallel.forRange(ctx, n, (from, to) -> {
            double[] d = new double[Elements.BLOCK];
            long[] x = new long[Elements.BLOCK];
            for (int b = from; b < to; b += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - b);
                Elements.readDoubles(a, b, d, len);
                if (t == ElementType.PRED) {
                    for (int i = 0; i < len; i++) {
                        x[i] = d[i] != 0 ? 1 : 0;
                    }
                    Elements.writeLongs(r, b, x, len);
                } else if (Elements.isIntegral(t)) {
                    int bits = Elements.bits(t);
                    boolean signed = t.isSignedInteger();
                    for (int i = 0; i < len; i++) {
                        x[i] = saturate(d[i], bits, signed);
                    }
                    Elements.writeLongs(r, b, x, len);
                } else {
                    writeReal(r, b, d, len);
                }
            }
        });
        return r;
    }

    /**
     * f32 to bf16 or s32 and bf16 to f32 in one pass (to and from bf16 with {@link ElementwiseKernels}' loops)
     * rather than through f64 blocks: the same bits as that path. Rounding to bf16 from the f32 or from its f64
     * widening is the same; {@code (int)} of an f32 is {@link #saturate} of it; and the f64 round trip quiets a bf16
     * signaling NaN (x86 and AArch64 both set the quiet bit, keeping the payload), which the loop does too.
     */
    private static void convertInOnePass(Array a, Array r, EvaluationContext ctx) {
        ElementwiseKernels.Kernel k = ElementwiseKernels.active();
        int n = r.size();
        if (r.type() == ElementType.BF16) {
            float[] x = a.floats();
            short[] z = r.shorts();
            Parallel.forRange(ctx, n, (from, to) -> k.toBf16(x, from, z, from, to - from));
        } else if (r.type() == ElementType.S32) {
            float[] x = a.floats();
            int[] z = r.ints();
            // C2 vectorizes this loop itself (a Vector API one measured no faster).
            Parallel.forRange(ctx, n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[i] = (int) x[i];
                }
            });
        } else {
            short[] x = a.shorts();
            float[] z = r.floats();
            Parallel.forRange(ctx, n, (from, to) -> k.fromBf16(x, from, z, from, to - from, true));
        }
    }

    /** Stores real values into a float or complex array (imaginary parts stay zero). */
    private static void writeReal(Array r, int from, double[] d, int n) {
        if (r.type() == ElementType.C128) {
            double[] z = r.doubles();
            for (int i = 0; i < n; i++) {
                z[2 * (from + i)] = d[i];
            }
        } else if (r.type() == ElementType.C64) {
            float[] z = r.floats();
            for (int i = 0; i < n; i++) {
                z[2 * (from + i)] = (float) d[i];
            }
        } else {
            Elements.writeDoubles(r, from, d, n);
        }
    }

    private static void fromComplex(Array a, Array r, int from, int to) {
        boolean c64 = a.type() == ElementType.C64;
        if (r.type().isComplex()) {
            for (int i = from; i < to; i++) {
                ComplexMath.set(r, i, ComplexMath.re(a, i), ComplexMath.im(a, i));
            }
            return;
        }
        // Complex to real keeps the real part (pred: either part non-zero).
        int n = to - from;
        double[] re = new double[n];
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            int k = 2 * (from + i);
            re[i] = c64 ? a.floats()[k] : a.doubles()[k];
            double im = c64 ? a.floats()[k + 1] : a.doubles()[k + 1];
            x[i] = re[i] != 0 || im != 0 ? 1 : 0;
        }
        ElementType t = r.type();
        if (t == ElementType.PRED) {
            Elements.writeLongs(r, from, x, n);
        } else if (Elements.isIntegral(t)) {
            for (int i = 0; i < n; i++) {
                x[i] = saturate(re[i], Elements.bits(t), t.isSignedInteger());
            }
            Elements.writeLongs(r, from, x, n);
        } else {
            Elements.writeDoubles(r, from, re, n);
        }
    }

    /** Truncation toward zero, saturating at the w-bit range; NaN → 0. The result is canonical for the width. */
    static long saturate(double d, int bits, boolean signed) {
        if (d != d) {
            return 0;
        }
        if (signed) {
            double limit = Math.scalb(1.0, bits - 1);
            if (d >= limit) {
                return bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
            }
            if (d <= -limit) {
                return bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
            }
            return (long) d;
        }
        if (d <= 0) {
            return 0;
        }
        if (d >= Math.scalb(1.0, bits)) {
            return bits == 64 ? -1L : (1L << bits) - 1;
        }
        if (d >= 0x1p63) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** u64 → f64, rounded to nearest even: halve with a sticky bit so that one rounding happens. */
    static double unsignedToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        return (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** u64 → f32, rounded to nearest even. */
    static float unsignedToFloat(long v) {
        if (v >= 0) {
            return (float) v;
        }
        return (float) ((v >>> 1) | (v & 1)) * 2.0f;
    }

    /**
     * Reinterprets the bits. With equal element sizes the dimensions stay; a wider input gains a last
     * dimension of (input size / output size); a narrower input loses its last dimension, which must be
     * (output size / input size). Bytes are little-endian, as on the CPUs XLA runs on.
     */
    static Value bitcastConvert(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException("bitcast-convert takes 1 operand, got " + ops.size());
        }
        Array a = ops.get(0).asArray();
        HloShape shape = ins.shape();
        ElementType t = shape.elementType();
        long[] outDims = shape.dims();
        long[] inDims = a.dims();
        int inSize = a.type().byteSize();
        int outSize = t.byteSize();
        if (subByte(a.type()) || subByte(t)) {
            throw new IllegalArgumentException("bitcast-convert of sub-byte types is not supported");
        }
        long[] expected;
        if (inSize == outSize) {
            expected = inDims;
        } else if (inSize > outSize) {
            if (inSize % outSize != 0) {
                throw new IllegalArgumentException(
                        "bitcast-convert from " + inSize + "-byte to " + outSize + "-byte elements");
            }
            expected = Arrays.copyOf(inDims, inDims.length + 1);
            expected[inDims.length] = inSize / outSize;
        } else {
            if (outSize % inSize != 0 || inDims.length == 0 || inDims[inDims.length - 1] != outSize / inSize) {
                throw new IllegalArgumentException("bitcast-convert to wider elements needs a last dimension of "
                        + (outSize / Math.max(1, inSize)) + ", operand is " + a);
            }
            expected = Arrays.copyOf(inDims, inDims.length - 1);
        }
        if (!Arrays.equals(expected, outDims)) {
            throw new IllegalArgumentException("bitcast-convert of " + a + " to " + t.textName() + " gives dimensions "
                    + Arrays.toString(expected) + ", not " + Arrays.toString(outDims));
        }
        return Array.fromBytes(t, outDims, ByteBuffer.wrap(a.toBytes()));
    }

    private static boolean subByte(ElementType t) {
        switch (t) {
            case S4:
            case U4:
            case S2:
            case U2:
            case S1:
            case U1:
            case F4E2M1FN:
                return true;
            default:
                return false;
        }
    }

    /**
     * Rounds to a float format with fewer exponent and mantissa bits, keeping the type: the mantissa
     * rounds to nearest even, then values past the reduced range become infinity and values at or below
     * its smallest normal exponent become zero (the reduced format has no subnormals). NaN stays NaN
     * when mantissa bits remain, and becomes infinity otherwise. f16, bf16 and 8-bit floats work in f32.
     */
    static Value reducePrecision(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException("reduce-precision takes 1 operand, got " + ops.size());
        }
        HloShape shape = ins.shape();
        ElementType t = shape.elementType();
        Array a = Elements.operand(ops, 0, t, shape.dims(), "reduce-precision");
        int eb = ins.exponentBits();
        int mb = ins.mantissaBits();
        if (!t.isFloatingPoint() || eb < 1 || mb < 0) {
            throw new IllegalArgumentException(
                    "reduce-precision needs a float operand, exponent_bits >= 1 and mantissa_bits >= 0; got "
                            + t.textName() + ", " + eb + ", " + mb);
        }
        Array r = Array.allocate(t, shape.dims());
        switch (t) {
            case F64: {
                double[] x = a.doubles();
                double[] z = r.doubles();
                Parallel.forRange(ctx, r.size(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        z[i] = Double.longBitsToDouble(reduceBits(Double.doubleToRawLongBits(x[i]), 11, 52, eb, mb));
                    }
                });
                return r;
            }
            case F32: {
                float[] x = a.floats();
                float[] z = r.floats();
                Parallel.forRange(ctx, r.size(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        z[i] = Float.intBitsToFloat((int) reduceBits(Float.floatToRawIntBits(x[i]), 8, 23, eb, mb));
                    }
                });
                return r;
            }
            case F16:
            case BF16: {
                // In the type's own bits: reducing f16 to (5, 10) must keep its subnormals, which an f32 detour would
                // flush.
                int e = t == ElementType.F16 ? 5 : 8;
                int m = t == ElementType.F16 ? 10 : 7;
                short[] x = a.shorts();
                short[] z = r.shorts();
                Parallel.forRange(ctx, r.size(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        z[i] = (short) reduceBits(x[i] & 0xFFFF, e, m, eb, mb);
                    }
                });
                return r;
            }
            default: {
                Parallel.forRange(ctx, r.size(), (from, to) -> {
                    float[] x = new float[Elements.BLOCK];
                    for (int s = from; s < to; s += Elements.BLOCK) {
                        int len = Math.min(Elements.BLOCK, to - s);
                        Elements.readFloats(a, s, x, len);
                        for (int i = 0; i < len; i++) {
                            x[i] = Float.intBitsToFloat((int) reduceBits(Float.floatToRawIntBits(x[i]), 8, 23, eb, mb));
                        }
                        Elements.writeFloats(r, s, x, len);
                    }
                });
                return r;
            }
        }
    }

    /**
     * reduce-precision on the bit pattern of a float with {@code srcE} exponent and {@code srcM} mantissa
     * bits (sign above them).
     */
    static long reduceBits(long bits, int srcE, int srcM, int eb, int mb) {
        long expMask = ((1L << srcE) - 1) << srcM;
        long manMask = (1L << srcM) - 1;
        long signBit = 1L << (srcE + srcM);
        boolean nan = (bits & expMask) == expMask && (bits & manMask) != 0;
        if (nan) {
            return mb > 0 ? bits : expMask;
        }
        if (mb < srcM) {
            long last = 1L << (srcM - mb);
            long bias = (last >>> 1) - 1 + ((bits & last) != 0 ? 1 : 0);
            // A carry out of the mantissa moves into the exponent, which is the right rounding (up to infinity).
            bits = (bits + bias) & ~(last - 1);
        }
        if (eb < srcE) {
            long srcBias = (1L << (srcE - 1)) - 1;
            long reducedBias = (1L << (eb - 1)) - 1;
            long exp = bits & expMask;
            long sign = bits & signBit;
            if (exp > (srcBias + reducedBias) << srcM) {
                bits = sign | expMask;
            } else if (exp <= (srcBias - reducedBias) << srcM) {
                bits = sign;
            }
        }
        return bits;
    }
}
