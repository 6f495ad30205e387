package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Elementwise binary arithmetic and bitwise operations, and the registration of the whole elementwise
 * family (unary math in {@link UnaryOps}, compare/select/clamp in {@link SelectionOps}, conversions in
 * {@link ConversionOps}).
 *
 * <p>Numerics follow XLA's HloEvaluator: f16, bf16 and 8-bit floats compute in f32 and round once;
 * integers wrap around; integer division by zero gives -1 (all ones), remainder by zero the dividend;
 * shifts by the bit width or more give 0 (or the sign for arithmetic right shifts); maximum/minimum
 * propagate NaN and otherwise return the first operand on ties. f32 {@code power} and {@code atan2}
 * are computed in double and rounded once, which is within half an ulp of the true result and so
 * within one ulp of any faithful libm.
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    /** The binary operations; each kernel switches on it once per block. */
    enum Bin {
        ADD,
        SUB,
        MUL,
        DIV,
        REM,
        MAX,
        MIN,
        POW,
        ATAN2,
        AND,
        OR,
        XOR,
        SHL,
        SRA,
        SRL
    }

    /** The opcode of each binary operation: the one place that says which HLO opcode each {@link Bin} is. */
    static final Map<HloOpcode, Bin> BINARY = binaryOpcodes();

    private static Map<HloOpcode, Bin> binaryOpcodes() {
        Map<HloOpcode, Bin> m = new EnumMap<>(HloOpcode.class);
        m.put(HloOpcode.ADD, Bin.ADD);
        m.put(HloOpcode.SUBTRACT, Bin.SUB);
        m.put(HloOpcode.MULTIPLY, Bin.MUL);
        m.put(HloOpcode.DIVIDE, Bin.DIV);
        m.put(HloOpcode.REMAINDER, Bin.REM);
        m.put(HloOpcode.MAXIMUM, Bin.MAX);
        m.put(HloOpcode.MINIMUM, Bin.MIN);
        m.put(HloOpcode.POWER, Bin.POW);
        m.put(HloOpcode.ATAN2, Bin.ATAN2);
        m.put(HloOpcode.AND, Bin.AND);
        m.put(HloOpcode.OR, Bin.OR);
        m.put(HloOpcode.XOR, Bin.XOR);
        m.put(HloOpcode.SHIFT_LEFT, Bin.SHL);
        m.put(HloOpcode.SHIFT_RIGHT_ARITHMETIC, Bin.SRA);
        m.put(HloOpcode.SHIFT_RIGHT_LOGICAL, Bin.SRL);
        return Collections.unmodifiableMap(m);
    }

    static void registerAll(OpRegistry r) {
        BINARY.forEach((name, op) -> r.register((ins, ops, ctx) -> binary(ins, ops, ctx, op), name));
        r.register(ElementwiseOps::complex, HloOpcode.COMPLEX);
        UnaryOps.registerAll(r);
        SelectionOps.registerAll(r);
        ConversionOps.registerAll(r);
    }

    /** Whether {@link #f32} computes {@code op} (the arithmetic ones; the bitwise ones are integer-only). */
    static boolean onFloats(Bin op) {
        return op.compareTo(Bin.ATAN2) <= 0;
    }

    static Value binary(HloInstruction ins, List<Value> ops, EvaluationContext ctx, Bin op) {
        HloShape shape = ins.shape();
        ElementType t = shape.elementType();
        long[] dims = shape.dims();
        if (ops.size() != 2) {
            throw new IllegalArgumentException(ins.opcode() + " takes 2 operands, got " + ops.size());
        }
        Array a = Elements.operand(ops, 0, t, dims, ins.opcode().text());
        Array b = Elements.operand(ops, 1, t, dims, ins.opcode().text());
        checkApplies(op, t, ins.opcode().text());
        Array r = Array.allocate(t, dims);
        int n = r.size();
        switch (t) {
            case F32: {
                float[] x = a.floats();
                float[] y = b.floats();
                float[] z = r.floats();
                Parallel.forRange(ctx, n, (from, to) -> f32(op, x, y, z, from, to));
                return r;
            }
            case F64: {
                double[] x = a.doubles();
                double[] y = b.doubles();
                double[] z = r.doubles();
                Parallel.forRange(ctx, n, (from, to) -> f64(op, x, y, z, from, to));
                return r;
            }
            case C64:
            case C128:
                Parallel.forRange(ctx, n, (from, to) -> ComplexMath.binary(op, a, b, r, from, to));
                return r;
            default:
                break;
        }
        if (Elements.computesInFloat(t)) {
            Parallel.forRange(ctx, n, (from, to) -> {
                float[] x = new float[Elements.BLOCK];
                float[] y = new float[Elements.BLOCK];
                float[] z = new float[Elements.BLOCK];
                for (int s = from; s < to; s += Elements.BLOCK) {
                    int len = Math.min(Elements.BLOCK, to - s);
                    Elements.readFloats(a, s, x, len);
                    Elements.readFloats(b, s, y, len);
                    f32(op, x, y, z, 0, len);
                    Elements.writeFloats(r, s, z, len);
                }
            });
            return r;
        }
        int bits = Elements.bits(t);
        boolean signed = t.isSignedInteger();
        Parallel.forRange(ctx, n, (from, to) -> {
            long[] x = new long[Elements.BLOCK];
            long[] y = new long[Elements.BLOCK];
            long[] z = new long[Elements.BLOCK];
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                Elements.readLongs(a, s, x, len);
                Elements.readLongs(b, s, y, len);
                ints(op, bits, signed, x, y, z, len);
                Elements.writeLongs(r, s, z, len);
            }
        });
        return r;
    }

    private static void checkApplies(Bin op, ElementType t, String name) {
        boolean fp = t.isFloatingPoint();
        boolean cx = t.isComplex();
        boolean integral = Elements.isIntegral(t);
        boolean ok;
        switch (op) {
            case ADD:
            case SUB:
            case MUL:
            case DIV:
            case POW:
                ok = fp || cx || integral;
                break;
            case REM:
            case MAX:
            case MIN:
                ok = fp || integral;
                break;
            case ATAN2:
                ok = fp;
                break;
            default:
                ok = integral;
        }
        if (!ok) {
            throw new IllegalArgumentException(name + " is not defined on " + t.textName());
        }
    }

    /** C's pow on doubles; Java's differs for pow(1, NaN) and pow(-1, ±inf), which C defines as 1. */
    static double pow(double x, double y) {
        if (x == 1 || y == 0) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return StrictMath.pow(x, y);
    }

    static float max(float x, float y) {
        if (x != x) {
            return x;
        }
        if (y != y) {
            return y;
        }
        return x >= y ? x : y;
    }

    static float min(float x, float y) {
        if (x != x) {
            return x;
        }
        if (y != y) {
            return y;
        }
        return x <= y ? x : y;
    }

    static double max(double x, double y) {
        if (x != x) {
            return x;
        }
        if (y != y) {
            return y;
        }
        return x >= y ? x : y;
    }

    static double min(double x, double y) {
        if (x != x) {
            return x;
        }
        if (y != y) {
            return y;
        }
        return x <= y ? x : y;
    }

    static void f32(Bin op, float[] a, float[] b, float[] r, int from, int to) {
        switch (op) {
            case ADD:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] + b[i];
                }
                return;
            case SUB:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] - b[i];
                }
                return;
            case MUL:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] * b[i];
                }
                return;
            case DIV:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] / b[i];
                }
                return;
            case REM:
                // Java's % on floats is C's fmod: exact, with the sign of the dividend.
                for (int i = from; i < to; i++) {
                    r[i] = a[i] % b[i];
                }
                return;
            case MAX:
                MinMaxKernels.active().max(a, b, r, from, to);
                return;
            case MIN:
                MinMaxKernels.active().min(a, b, r, from, to);
                return;
            case POW:
                for (int i = from; i < to; i++) {
                    r[i] = (float) pow(a[i], b[i]);
                }
                return;
            case ATAN2:
                for (int i = from; i < to; i++) {
                    r[i] = (float) StrictMath.atan2(a[i], b[i]);
                }
                return;
            default:
                throw new IllegalArgumentException(op + " is not defined on floats");
        }
    }

    static void f64(Bin op, double[] a, double[] b, double[] r, int from, int to) {
        switch (op) {
            case ADD:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] + b[i];
                }
                return;
            case SUB:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] - b[i];
                }
                return;
            case MUL:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] * b[i];
                }
                return;
            case DIV:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] / b[i];
                }
                return;
            case REM:
                for (int i = from; i < to; i++) {
                    r[i] = a[i] % b[i];
                }
                return;
            case MAX:
                MinMaxKernels.active().max(a, b, r, from, to);
                return;
            case MIN:
                MinMaxKernels.active().min(a, b, r, from, to);
                return;
            case POW:
                for (int i = from; i < to; i++) {
                    r[i] = pow(a[i], b[i]);
                }
                return;
            case ATAN2:
                for (int i = from; i < to; i++) {
                    r[i] = StrictMath.atan2(a[i], b[i]);
                }
                return;
            default:
                throw new IllegalArgumentException(op + " is not defined on floats");
        }
    }

    /** Integer kernel over canonical values (see {@link Elements#canonical}); results are wrapped on store. */
    static void ints(Bin op, int bits, boolean signed, long[] a, long[] b, long[] r, int n) {
        boolean u64 = bits == 64 && !signed;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] + b[i];
                }
                return;
            case SUB:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] - b[i];
                }
                return;
            case MUL:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] * b[i];
                }
                return;
            case DIV:
                for (int i = 0; i < n; i++) {
                    long y = b[i];
                    // x / 0 is all ones (-1 signed, the maximum unsigned); MIN / -1 wraps back to MIN on store.
                    r[i] = y == 0 ? -1 : u64 ? Long.divideUnsigned(a[i], y) : a[i] / y;
                }
                return;
            case REM:
                for (int i = 0; i < n; i++) {
                    long y = b[i];
                    r[i] = y == 0 ? a[i] : u64 ? Long.remainderUnsigned(a[i], y) : a[i] % y;
                }
                return;
            case MAX:
                for (int i = 0; i < n; i++) {
                    long x = a[i];
                    long y = b[i];
                    r[i] = (u64 ? Long.compareUnsigned(x, y) >= 0 : x >= y) ? x : y;
                }
                return;
            case MIN:
                for (int i = 0; i < n; i++) {
                    long x = a[i];
                    long y = b[i];
                    r[i] = (u64 ? Long.compareUnsigned(x, y) <= 0 : x <= y) ? x : y;
                }
                return;
            case POW:
                for (int i = 0; i < n; i++) {
                    r[i] = intPow(a[i], b[i], signed);
                }
                return;
            case AND:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] & b[i];
                }
                return;
            case OR:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] | b[i];
                }
                return;
            case XOR:
                for (int i = 0; i < n; i++) {
                    r[i] = a[i] ^ b[i];
                }
                return;
            case SHL:
                // A negative signed amount reads as a huge unsigned one: out of range like any amount >= bits.
                for (int i = 0; i < n; i++) {
                    r[i] = Long.compareUnsigned(b[i], bits) >= 0 ? 0 : a[i] << b[i];
                }
                return;
            case SRL:
                for (int i = 0; i < n; i++) {
                    r[i] = Long.compareUnsigned(b[i], bits) >= 0 ? 0 : (a[i] & mask) >>> b[i];
                }
                return;
            case SRA:
                for (int i = 0; i < n; i++) {
                    long x = Elements.canonical(a[i], bits, true);
                    r[i] = Long.compareUnsigned(b[i], bits) >= 0 ? (x < 0 ? -1 : 0) : x >> b[i];
                }
                return;
            default:
                throw new IllegalArgumentException(op + " is not defined on integers");
        }
    }

    /**
     * Integer power by repeated squaring, wrapping around. A negative exponent gives the exact result
     * where it is an integer (base 1 → 1, base -1 → ±1) and 0 otherwise.
     */
    static long intPow(long base, long exponent, boolean signed) {
        if (signed && exponent < 0) {
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exponent & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long result = 1;
        long b = base;
        long e = exponent;
        while (e != 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>>= 1;
        }
        return result;
    }

    private static Value complex(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        HloShape shape = ins.shape();
        ElementType t = shape.elementType();
        if (!t.isComplex() || ops.size() != 2) {
            throw new IllegalArgumentException("complex takes two real operands and gives c64 or c128");
        }
        ElementType part = t == ElementType.C64 ? ElementType.F32 : ElementType.F64;
        long[] dims = shape.dims();
        Array re = Elements.operand(ops, 0, part, dims, "complex");
        Array im = Elements.operand(ops, 1, part, dims, "complex");
        Array r = Array.allocate(t, dims);
        int n = r.size();
        if (t == ElementType.C64) {
            float[] x = re.floats();
            float[] y = im.floats();
            float[] z = r.floats();
            Parallel.forRange(ctx, n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[2 * i] = x[i];
                    z[2 * i + 1] = y[i];
                }
            });
        } else {
            double[] x = re.doubles();
            double[] y = im.doubles();
            double[] z = r.doubles();
            Parallel.forRange(ctx, n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[2 * i] = x[i];
                    z[2 * i + 1] = y[i];
                }
            });
        }
        return r;
    }
}
