package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise unary operations: sign and rounding, transcendental functions, bit counting, and the
 * complex-number accessors {@code real} and {@code imag}.
 *
 * <p>Transcendental functions of f32 (and of f16, bf16 and 8-bit floats, which compute in f32) are
 * evaluated in double and rounded once, so the f32 result is the correctly rounded one except in
 * astronomically rare cases; the expected results of the conformance corpus come from the same
 * compute-in-double scheme. log1p is the exception: XLA writes its own formula for it, which runs in
 * f32 (f16 in f16 arithmetic) as on XLA CPU ({@link XlaCpuMath}). Double functions use {@link StrictMath} (fdlibm, under one ulp) rather than
 * {@link Math}, whose intrinsics may differ between JVMs and CPUs: a reference device must give the same
 * bits everywhere. Where XLA CPU computes an f64 function otherwise, f64 follows it ({@link XlaCpuMath}):
 * exp, log and tanh as glibc computes them, expm1 and log1p by XLA's own formulas. {@code erf},
 * which Java lacks, is {@link ErrorFunction}.
 */
final class UnaryOps {
    private UnaryOps() {}

    /** The unary operations. */
    enum Un {
        NEG,
        ABS,
        SIGN,
        NOT,
        FLOOR,
        CEIL,
        ROUND_AFZ,
        ROUND_EVEN,
        EXP,
        EXPM1,
        LOG,
        LOG1P,
        SQRT,
        RSQRT,
        CBRT,
        SIN,
        COS,
        TAN,
        TANH,
        LOGISTIC,
        ERF,
        IS_FINITE,
        POPCNT,
        CLZ,
        REAL,
        IMAG,
        ACOS,
        ASIN,
        ATAN,
        COSH,
        SINH,
        ACOSH,
        ASINH,
        ATANH
    }

    /** The opcode of each unary operation: the one place that says which HLO opcode each {@link Un} is. */
    static final Map<HloOpcode, Un> UNARY = unaryOpcodes();

    private static Map<HloOpcode, Un> unaryOpcodes() {
        Map<HloOpcode, Un> m = new EnumMap<>(HloOpcode.class);
        m.put(HloOpcode.NEGATE, Un.NEG);
        m.put(HloOpcode.ABS, Un.ABS);
        m.put(HloOpcode.SIGN, Un.SIGN);
        m.put(HloOpcode.NOT, Un.NOT);
        m.put(HloOpcode.FLOOR, Un.FLOOR);
        m.put(HloOpcode.CEIL, Un.CEIL);
        m.put(HloOpcode.ROUND_NEAREST_AFZ, Un.ROUND_AFZ);
        m.put(HloOpcode.ROUND_NEAREST_EVEN, Un.ROUND_EVEN);
        m.put(HloOpcode.EXPONENTIAL, Un.EXP);
        m.put(HloOpcode.EXPONENTIAL_MINUS_ONE, Un.EXPM1);
        m.put(HloOpcode.LOG, Un.LOG);
        m.put(HloOpcode.LOG_PLUS_ONE, Un.LOG1P);
        m.put(HloOpcode.SQRT, Un.SQRT);
        m.put(HloOpcode.RSQRT, Un.RSQRT);
        m.put(HloOpcode.CBRT, Un.CBRT);
        m.put(HloOpcode.SINE, Un.SIN);
        m.put(HloOpcode.COSINE, Un.COS);
        m.put(HloOpcode.TAN, Un.TAN);
        m.put(HloOpcode.TANH, Un.TANH);
        m.put(HloOpcode.ACOS, Un.ACOS);
        m.put(HloOpcode.ASIN, Un.ASIN);
        m.put(HloOpcode.ATAN, Un.ATAN);
        m.put(HloOpcode.COSH, Un.COSH);
        m.put(HloOpcode.SINH, Un.SINH);
        m.put(HloOpcode.ACOSH, Un.ACOSH);
        m.put(HloOpcode.ASINH, Un.ASINH);
        m.put(HloOpcode.ATANH, Un.ATANH);
        m.put(HloOpcode.LOGISTIC, Un.LOGISTIC);
        m.put(HloOpcode.ERF, Un.ERF);
        m.put(HloOpcode.IS_FINITE, Un.IS_FINITE);
        m.put(HloOpcode.POPCNT, Un.POPCNT);
        m.put(HloOpcode.COUNT_LEADING_ZEROS, Un.CLZ);
        m.put(HloOpcode.REAL, Un.REAL);
        m.put(HloOpcode.IMAG, Un.IMAG);
        return Collections.unmodifiableMap(m);
    }

    static void registerAll(OpRegistry r) {
        UNARY.forEach((name, op) -> r.register((ins, ops, ctx) -> unary(ins, ops, ctx, op), name));
    }

    /**
     * Whether {@link #f32} alone computes {@code op} on type {@code t} (f32, bf16 or f16 widened to f32, the result
     * rounded to {@code t}): not the complex accessors, is-finite, the integer-only ops, or f16 log1p.
     */
    static boolean onFloats(Un op, ElementType t) {
        switch (op) {
            case IS_FINITE:
            case REAL:
            case IMAG:
            case NOT:
            case POPCNT:
            case CLZ:
                return false;
            case LOG1P:
                return t != ElementType.F16;
            default:
                return true;
        }
    }

    static Value unary(HloInstruction ins, List<Value> ops, EvaluationContext ctx, Un op) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException(ins.opcode() + " takes 1 operand, got " + ops.size());
        }
        HloShape shape = ins.shape();
        ElementType rt = shape.elementType();
        long[] dims = shape.dims();
        Array a = Elements.operand(ops, 0, null, dims, ins.opcode().text());
        ElementType t = a.type();
        if (op == Un.IS_FINITE) {
            return isFinite(a, rt, ctx);
        }
        if (op == Un.REAL || op == Un.IMAG || (op == Un.ABS && t.isComplex())) {
            return complexToReal(op, a, rt, ctx);
        }
        if (rt != t) {
            throw new IllegalArgumentException(ins.opcode() + " of " + t.textName() + " cannot give " + rt.textName());
        }
        checkApplies(op, t, ins.opcode().text());
        Array r = Array.allocate(t, dims);
        int n = r.size();
        switch (t) {
            case F32: {
                float[] x = a.floats();
                float[] z = r.floats();
                Parallel.forRange(ctx, n, (from, to) -> f32(op, x, z, from, to));
                return r;
            }
            case F64: {
                double[] x = a.doubles();
                double[] z = r.doubles();
                Parallel.forRange(ctx, n, (from, to) -> f64(op, x, z, from, to));
                return r;
            }
            case C64:
            case C128:
                Parallel.forRange(ctx, n, (from, to) -> ComplexMath.unary(op, a, r, from, to));
                return r;
            default:
                break;
        }
        if (op == Un.LOG1P && t == ElementType.F16) {
            // XLA's own log1p formula runs in f16 arithmetic, rounding after every step.
            mapFloats(ctx, a, r, n, (x, z, len) -> {
                for (int i = 0; i < len; i++) {
                    z[i] = XlaCpuMath.log1pF16(x[i]);
                }
            });
            return r;
        }
        if (Elements.computesInFloat(t)) {
            mapFloats(ctx, a, r, n, (x, z, len) -> f32(op, x, z, 0, len));
            return r;
        }
        int bits = Elements.bits(t);
        boolean signed = t.isSignedInteger();
        Parallel.forRange(ctx, n, (from, to) -> {
            long[] x = new long[Elements.BLOCK];
            long[] z = new long[Elements.BLOCK];
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                Elements.readLongs(a, s, x, len);
                ints(op, bits, signed, x, z, len);
                Elements.writeLongs(r, s, z, len);
            }
        });
        return r;
    }

    /** Computes {@code len} results {@code z} from operands {@code x}, both blocks of floats. */
    private interface FloatBlock {
        void apply(float[] x, float[] z, int len);
    }

    /** {@code r} = {@code f} applied to {@code a}, element by element in blocks of floats, over the parallel ranges. */
    private static void mapFloats(EvaluationContext ctx, Array a, Array r, int n, FloatBlock f) {
        Parallel.forRange(ctx, n, (from, to) -> {
            float[] x = new float[Elements.BLOCK];
            float[] z = new float[Elements.BLOCK];
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                Elements.readFloats(a, s, x, len);
                f.apply(x, z, len);
                Elements.writeFloats(r, s, z, len);
            }
        });
    }

    private static void checkApplies(Un op, ElementType t, String name) {
        boolean ok;
        switch (op) {
            case NEG:
            case ABS:
            case SIGN:
                ok = true;
                break;
            case NOT:
            case POPCNT:
            case CLZ:
                ok = Elements.isIntegral(t);
                break;
            case FLOOR:
            case CEIL:
            case ROUND_AFZ:
            case ROUND_EVEN:
            case CBRT:
            case ERF:
                ok = t.isFloatingPoint();
                break;
            case ACOS:
            case ASIN:
            case ATAN:
            case COSH:
            case SINH:
            case ACOSH:
            case ASINH:
            case ATANH:
                if (t.isComplex()) {
                    // Their complex branch cuts are not implemented; refuse rather than give a wrong branch.
                    throw new IllegalArgumentException(name + " of complex numbers (" + t.textName()
                            + ") is not supported by the reference device");
                }
                ok = t.isFloatingPoint();
                break;
            default:
                ok = t.isFloatingPoint() || t.isComplex();
        }
        if (!ok) {
            throw new IllegalArgumentException(name + " is not defined on " + t.textName());
        }
    }

    /** C's round(): halfway cases away from zero, sign of zero kept. */
    static double roundAfz(double x) {
        double t = x < 0 ? Math.ceil(x) : Math.floor(x);
        return Math.abs(x - t) >= 0.5 ? t + Math.copySign(1.0, x) : t;
    }

    static double sign(double x) {
        return x == 0 || x != x ? x : Math.copySign(1.0, x);
    }

    /**
     * logistic as XLA's logistic expander rewrites it on CPU, 1 / (1 + exp(-x)), with the correctly
     * rounded exp XLA CPU gets from the C library (fdlibm's can be an ulp away, and the division doubles it).
     */
    static double logistic(double x) {
        return 1 / (1 + XlaCpuMath.exp(-x));
    }

    private static final double LN2 = 0.6931471805599453;
    /** Above this, x and sqrt(x^2 ± 1) are the same double, and squaring could overflow. */
    private static final double HUGE = 0x1p28;

    /*
     * StrictMath has no inverse hyperbolic functions. The textbook logarithm forms lose accuracy near
     * the points where their argument is 1 (and overflow for huge x), so each is rewritten to feed
     * log1p a small exact-ish increment there, and log(x) + ln 2 where x dominates.
     */

    static double acosh(double x) {
        if (!(x >= 1)) {
            return Double.NaN;
        }
        if (x >= HUGE) {
            return StrictMath.log(x) + LN2;
        }
        if (x > 2) {
            return StrictMath.log(2 * x - 1 / (x + StrictMath.sqrt(x * x - 1)));
        }
        double t = x - 1;
        return StrictMath.log1p(t + StrictMath.sqrt(2 * t + t * t));
    }

    static double asinh(double x) {
        double a = Math.abs(x);
        double r;
        if (!(a < HUGE)) {
            r = a != a || a == Double.POSITIVE_INFINITY ? a : StrictMath.log(a) + LN2;
        } else if (a > 2) {
            r = StrictMath.log(2 * a + 1 / (StrictMath.sqrt(a * a + 1) + a));
        } else {
            double a2 = a * a;
            r = StrictMath.log1p(a + a2 / (1 + StrictMath.sqrt(1 + a2)));
        }
        return Math.copySign(r, x);
    }

    static double atanh(double x) {
        double a = Math.abs(x);
        if (!(a <= 1)) {
            return Double.NaN;
        }
        // 0.5·log((1+a)/(1-a)) = 0.5·log1p(2a/(1-a)); for small a the 2a² term is split off so 2a stays exact.
        double r =
                a < 0.5 ? 0.5 * StrictMath.log1p(2 * a + 2 * a * a / (1 - a)) : 0.5 * StrictMath.log1p(2 * a / (1 - a));
        return Math.copySign(r, x);
    }

    /** The double function behind a transcendental op. */
    static DoubleUnaryOperator function(Un op) {
        switch (op) {
            case EXP:
                return StrictMath::exp;
            case EXPM1:
                return StrictMath::expm1;
            case LOG:
                return StrictMath::log;
            case LOG1P:
                return StrictMath::log1p;
            case CBRT:
                return StrictMath::cbrt;
            case SIN:
                return StrictMath::sin;
            case COS:
                return StrictMath::cos;
            case TAN:
                return StrictMath::tan;
            case TANH:
                return StrictMath::tanh;
            case ACOS:
                return StrictMath::acos;
            case ASIN:
                return StrictMath::asin;
            case ATAN:
                return StrictMath::atan;
            case COSH:
                return StrictMath::cosh;
            case SINH:
                return StrictMath::sinh;
            case ACOSH:
                return UnaryOps::acosh;
            case ASINH:
                return UnaryOps::asinh;
            case ATANH:
                return UnaryOps::atanh;
            case LOGISTIC:
                return UnaryOps::logistic;
            case ERF:
                return ErrorFunction::erf;
            case RSQRT:
                return x -> 1 / Math.sqrt(x);
            default:
                throw new IllegalArgumentException(op + " is not defined on floats");
        }
    }

    static void f32(Un op, float[] a, float[] r, int from, int to) {
        switch (op) {
            case NEG:
                for (int i = from; i < to; i++) {
                    r[i] = -a[i];
                }
                return;
            case ABS:
                for (int i = from; i < to; i++) {
                    r[i] = Math.abs(a[i]);
                }
                return;
            case SIGN:
                for (int i = from; i < to; i++) {
                    r[i] = (float) sign(a[i]);
                }
                return;
            case FLOOR:
                for (int i = from; i < to; i++) {
                    r[i] = (float) Math.floor(a[i]);
                }
                return;
            case CEIL:
                for (int i = from; i < to; i++) {
                    r[i] = (float) Math.ceil(a[i]);
                }
                return;
            case ROUND_AFZ:
                for (int i = from; i < to; i++) {
                    r[i] = (float) roundAfz(a[i]);
                }
                return;
            case ROUND_EVEN:
                for (int i = from; i < to; i++) {
                    r[i] = (float) Math.rint(a[i]);
                }
                return;
            case LOG1P:
                // XLA's own formula, in f32 (bf16 and 8-bit floats compute in f32 too).
                for (int i = from; i < to; i++) {
                    r[i] = XlaCpuMath.log1pF32(a[i]);
                }
                return;
            case SQRT:
                // The double square root rounded to float is the correctly rounded float square root.
                for (int i = from; i < to; i++) {
                    r[i] = (float) Math.sqrt(a[i]);
                }
                return;
            case EXP:
                // The same bits as function(EXP), faster (see ExpKernels).
                ExpKernels.active().exp(a, r, from, to);
                return;
            case LOG:
                for (int i = from; i < to; i++) {
                    r[i] = CheckedFastMath.log(a[i]);
                }
                return;
            case RSQRT:
                // function(RSQRT) written out: a loop per common function rather than one interface call per element.
                for (int i = from; i < to; i++) {
                    r[i] = (float) (1 / Math.sqrt(a[i]));
                }
                return;
            case SIN:
                for (int i = from; i < to; i++) {
                    r[i] = (float) StrictMath.sin(a[i]);
                }
                return;
            case COS:
                for (int i = from; i < to; i++) {
                    r[i] = (float) StrictMath.cos(a[i]);
                }
                return;
            case TANH:
                for (int i = from; i < to; i++) {
                    r[i] = (float) StrictMath.tanh(a[i]);
                }
                return;
            case LOGISTIC:
                for (int i = from; i < to; i++) {
                    r[i] = (float) logistic(a[i]);
                }
                return;
            default: {
                DoubleUnaryOperator f = function(op);
                for (int i = from; i < to; i++) {
                    r[i] = (float) f.applyAsDouble(a[i]);
                }
            }
        }
    }

    /**
     * The double function behind a transcendental op on f64: where XLA CPU calls the C library (exp,
     * log, tanh) what glibc gives, and XLA's own formulas for expm1 and log1p; the rest as on f32.
     */
    static DoubleUnaryOperator function64(Un op) {
        switch (op) {
            case EXP:
                return XlaCpuMath::exp;
            case LOG:
                return XlaCpuMath::log;
            case EXPM1:
                return XlaCpuMath::expm1;
            case LOG1P:
                return XlaCpuMath::log1p;
            case TANH:
                return XlaCpuMath::tanh;
            default:
                return function(op);
        }
    }

    static void f64(Un op, double[] a, double[] r, int from, int to) {
        switch (op) {
            case NEG:
                for (int i = from; i < to; i++) {
                    r[i] = -a[i];
                }
                return;
            case ABS:
                for (int i = from; i < to; i++) {
                    r[i] = Math.abs(a[i]);
                }
                return;
            case SIGN:
                for (int i = from; i < to; i++) {
                    r[i] = sign(a[i]);
                }
                return;
            case FLOOR:
                for (int i = from; i < to; i++) {
                    r[i] = Math.floor(a[i]);
                }
                return;
            case CEIL:
                for (int i = from; i < to; i++) {
                    r[i] = Math.ceil(a[i]);
                }
                return;
            case ROUND_AFZ:
                for (int i = from; i < to; i++) {
                    r[i] = roundAfz(a[i]);
                }
                return;
            case ROUND_EVEN:
                for (int i = from; i < to; i++) {
                    r[i] = Math.rint(a[i]);
                }
                return;
            case SQRT:
                for (int i = from; i < to; i++) {
                    r[i] = Math.sqrt(a[i]);
                }
                return;
            default: {
                DoubleUnaryOperator f = function64(op);
                for (int i = from; i < to; i++) {
                    r[i] = f.applyAsDouble(a[i]);
                }
            }
        }
    }

    static void ints(Un op, int bits, boolean signed, long[] a, long[] r, int n) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        switch (op) {
            case NEG:
                for (int i = 0; i < n; i++) {
                    r[i] = -a[i];
                }
                return;
            case ABS:
                // |MIN| wraps back to MIN, as in two's complement.
                for (int i = 0; i < n; i++) {
                    r[i] = signed ? Math.abs(a[i]) : a[i];
                }
                return;
            case SIGN:
                for (int i = 0; i < n; i++) {
                    r[i] = signed ? Long.signum(a[i]) : (a[i] != 0 ? 1 : 0);
                }
                return;
            case NOT:
                // On pred (1 bit) this is logical not.
                for (int i = 0; i < n; i++) {
                    r[i] = ~a[i] & mask;
                }
                return;
            case POPCNT:
                for (int i = 0; i < n; i++) {
                    r[i] = Long.bitCount(a[i] & mask);
                }
                return;
            case CLZ:
                for (int i = 0; i < n; i++) {
                    r[i] = Long.numberOfLeadingZeros(a[i] & mask) - (64 - bits);
                }
                return;
            default:
                throw new IllegalArgumentException(op + " is not defined on integers");
        }
    }

    private static Value isFinite(Array a, ElementType rt, EvaluationContext ctx) {
        if (rt != ElementType.PRED || !a.type().isFloatingPoint()) {
            throw new IllegalArgumentException("is-finite takes a float array and gives pred, not "
                    + a.type().textName() + " -> " + rt.textName());
        }
        Array r = Array.allocate(ElementType.PRED, a.dims());
        byte[] z = r.bytes();
        Parallel.forRange(ctx, a.size(), (from, to) -> {
            double[] x = new double[Elements.BLOCK];
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                Elements.readDoubles(a, s, x, len);
                for (int i = 0; i < len; i++) {
                    z[s + i] = (byte) (Double.isFinite(x[i]) ? 1 : 0);
                }
            }
        });
        return r;
    }

    /** real, imag, and abs of a complex array, which give the part type (f32 for c64, f64 for c128). */
    private static Value complexToReal(Un op, Array a, ElementType rt, EvaluationContext ctx) {
        ElementType t = a.type();
        if (!t.isComplex()) {
            // real of a real array is itself; imag of a real array is zero.
            if (rt != t || !t.isFloatingPoint()) {
                throw new IllegalArgumentException(
                        op.name().toLowerCase() + " of " + t.textName() + " cannot give " + rt.textName());
            }
            return op == Un.REAL ? a : Array.allocate(t, a.dims());
        }
        ElementType part = t == ElementType.C64 ? ElementType.F32 : ElementType.F64;
        if (rt != part) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " of " + t.textName() + " gives "
                    + part.textName() + ", not " + rt.textName());
        }
        Array r = Array.allocate(part, a.dims());
        int lane = op == Un.IMAG ? 1 : 0;
        if (t == ElementType.C64) {
            float[] x = a.floats();
            float[] z = r.floats();
            Parallel.forRange(ctx, r.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[i] = op == Un.ABS ? ComplexMath.abs(x[2 * i], x[2 * i + 1]) : x[2 * i + lane];
                }
            });
        } else {
            double[] x = a.doubles();
            double[] z = r.doubles();
            Parallel.forRange(ctx, r.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[i] = op == Un.ABS ? ComplexMath.abs(x[2 * i], x[2 * i + 1]) : x[2 * i + lane];
                }
            });
        }
        return r;
    }
}
