package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Arrays;
import java.util.List;

/**
 * {@code compare}, {@code select} and {@code clamp}.
 *
 * <p>compare: FLOAT comparisons are IEEE (NaN is unordered: only NE holds); TOTALORDER orders
 * -NaN &lt; -inf &lt; … &lt; -0 &lt; +0 &lt; … &lt; +inf &lt; +NaN by the bit patterns; integers compare
 * SIGNED or UNSIGNED, by default as their type is; complex numbers compare only for (in)equality.
 * clamp is {@code min(max(x, lo), hi)} with NaN-propagating max/min; lo and hi may be scalars.
 */
final class SelectionOps {
    private SelectionOps() {}

    /** The comparison directions, also {@link ElementwiseKernels}'. */
    static final int EQ = 0;

    static final int NE = 1;
    static final int LT = 2;
    static final int LE = 3;
    static final int GT = 4;
    static final int GE = 5;

    static void registerAll(OpRegistry r) {
        r.register(SelectionOps::compare, HloOpcode.COMPARE);
        r.register(SelectionOps::select, HloOpcode.SELECT);
        r.register(SelectionOps::clamp, HloOpcode.CLAMP);
    }

    private static int direction(HloInstruction ins) {
        String d =
                ins.comparisonDirection().orElseThrow(() -> new IllegalArgumentException("compare has no direction"));
        switch (d.toUpperCase()) {
            case "EQ":
                return EQ;
            case "NE":
                return NE;
            case "LT":
                return LT;
            case "LE":
                return LE;
            case "GT":
                return GT;
            case "GE":
                return GE;
            default:
                throw new IllegalArgumentException("unknown comparison direction " + d);
        }
    }

    static Value compare(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        HloShape shape = ins.shape();
        if (shape.elementType() != ElementType.PRED || ops.size() != 2) {
            throw new IllegalArgumentException("compare takes 2 operands and gives pred");
        }
        long[] dims = shape.dims();
        Array a = Elements.operand(ops, 0, null, dims, "compare");
        Array b = Elements.operand(ops, 1, a.type(), dims, "compare");
        int dir = direction(ins);
        String kind = ins.comparisonType().map(String::toUpperCase).orElse("");
        ElementType t = a.type();
        Array r = Array.allocate(ElementType.PRED, dims);
        byte[] z = r.bytes();
        int n = r.size();
        if (t.isComplex()) {
            if (dir != EQ && dir != NE) {
                throw new IllegalArgumentException("complex numbers compare only for EQ and NE");
            }
            Parallel.forRange(ctx, n, (from, to) -> complexEquals(a, b, z, from, to, dir == NE));
            return r;
        }
        boolean totalOrder = kind.equals("TOTALORDER");
        if (t.isFloatingPoint() && !totalOrder) {
            if (t == ElementType.F64) {
                double[] x = a.doubles();
                double[] y = b.doubles();
                Parallel.forRange(ctx, n, (from, to) -> doubles(dir, x, y, z, from, to, from));
            } else if (t == ElementType.F32) {
                float[] x = a.floats();
                float[] y = b.floats();
                Parallel.forRange(ctx, n, (from, to) -> floats(dir, x, y, z, from, to, from));
            } else {
                Parallel.forRange(ctx, n, (from, to) -> {
                    float[] x = new float[Elements.BLOCK];
                    float[] y = new float[Elements.BLOCK];
                    for (int s = from; s < to; s += Elements.BLOCK) {
                        int len = Math.min(Elements.BLOCK, to - s);
                        Elements.readFloats(a, s, x, len);
                        Elements.readFloats(b, s, y, len);
                        floats(dir, x, y, z, 0, len, s);
                    }
                });
            }
            return r;
        }
        if (!t.isFloatingPoint() && !Elements.isIntegral(t)) {
            throw new IllegalArgumentException("compare is not defined on " + t.textName());
        }
        boolean unsigned = kind.equals("UNSIGNED") || (!kind.equals("SIGNED") && !t.isSignedInteger());
        int bits = t.isFloatingPoint() ? 64 : Elements.bits(t);
        Parallel.forRange(ctx, n, (from, to) -> {
            long[] x = new long[Elements.BLOCK];
            long[] y = new long[Elements.BLOCK];
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                if (t.isFloatingPoint()) {
                    totalOrderKeys(a, s, x, len);
                    totalOrderKeys(b, s, y, len);
                    longs(dir, x, y, z, len, s, false);
                } else {
                    Elements.readLongs(a, s, x, len);
                    Elements.readLongs(b, s, y, len);
                    if (kind.equals("SIGNED") || kind.equals("UNSIGNED")) {
                        // An explicit type reinterprets the bits the other way if it differs from the element type.
                        for (int i = 0; i < len; i++) {
                            x[i] = Elements.canonical(x[i], bits, !unsigned);
                            y[i] = Elements.canonical(y[i], bits, !unsigned);
                        }
                    }
                    longs(dir, x, y, z, len, s, unsigned && bits == 64);
                }
            }
        });
        return r;
    }

    /** Keys whose signed order is the total order of the floats: negative values get their magnitude bits flipped. */
    private static void totalOrderKeys(Array a, int from, long[] keys, int n) {
        if (a.type() == ElementType.F64) {
            double[] d = a.doubles();
            for (int i = 0; i < n; i++) {
                long bits = Double.doubleToRawLongBits(d[from + i]);
                keys[i] = bits ^ ((bits >> 63) & Long.MAX_VALUE);
            }
            return;
        }
        // Every narrower float widens to f32 exactly, NaN payloads keeping their order.
        float[] f = new float[n];
        Elements.readFloats(a, from, f, n);
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(f[i]);
            keys[i] = bits ^ ((bits >> 31) & Integer.MAX_VALUE);
        }
    }

    private static void floats(int dir, float[] x, float[] y, byte[] z, int from, int to, int zFrom) {
        ElementwiseKernels.active().compare(dir, x, y, from, z, zFrom, to - from);
    }

    private static void doubles(int dir, double[] x, double[] y, byte[] z, int from, int to, int zFrom) {
        int o = zFrom - from;
        switch (dir) {
            case EQ:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] == y[i] ? 1 : 0);
                }
                return;
            case NE:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] != y[i] ? 1 : 0);
                }
                return;
            case LT:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] < y[i] ? 1 : 0);
                }
                return;
            case LE:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] <= y[i] ? 1 : 0);
                }
                return;
            case GT:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] > y[i] ? 1 : 0);
                }
                return;
            default:
                for (int i = from; i < to; i++) {
                    z[o + i] = (byte) (x[i] >= y[i] ? 1 : 0);
                }
        }
    }

    private static void longs(int dir, long[] x, long[] y, byte[] z, int n, int zFrom, boolean unsigned64) {
        if (unsigned64) {
            // Flipping the sign bit maps unsigned order onto signed order.
            for (int i = 0; i < n; i++) {
                x[i] ^= Long.MIN_VALUE;
                y[i] ^= Long.MIN_VALUE;
            }
        }
        switch (dir) {
            case EQ:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] == y[i] ? 1 : 0);
                }
                return;
            case NE:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] != y[i] ? 1 : 0);
                }
                return;
            case LT:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] < y[i] ? 1 : 0);
                }
                return;
            case LE:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] <= y[i] ? 1 : 0);
                }
                return;
            case GT:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] > y[i] ? 1 : 0);
                }
                return;
            default:
                for (int i = 0; i < n; i++) {
                    z[zFrom + i] = (byte) (x[i] >= y[i] ? 1 : 0);
                }
        }
    }

    private static void complexEquals(Array a, Array b, byte[] z, int from, int to, boolean negate) {
        for (int i = from; i < to; i++) {
            boolean eq;
            if (a.type() == ElementType.C64) {
                float[] x = a.floats();
                float[] y = b.floats();
                eq = x[2 * i] == y[2 * i] && x[2 * i + 1] == y[2 * i + 1];
            } else {
                double[] x = a.doubles();
                double[] y = b.doubles();
                eq = x[2 * i] == y[2 * i] && x[2 * i + 1] == y[2 * i + 1];
            }
            z[i] = (byte) (eq != negate ? 1 : 0);
        }
    }

    static Value select(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 3) {
            throw new IllegalArgumentException("select takes 3 operands, got " + ops.size());
        }
        HloShape shape = ins.shape();
        long[] dims = shape.dims();
        ElementType t = shape.elementType();
        Array p = ops.get(0).asArray();
        if (p.type() != ElementType.PRED || (p.rank() != 0 && !Arrays.equals(p.dims(), dims))) {
            throw new IllegalArgumentException(
                    "select needs a pred of the result's dimensions or a scalar pred, got " + p);
        }
        Array a = Elements.operand(ops, 1, t, dims, "select");
        Array b = Elements.operand(ops, 2, t, dims, "select");
        if (p.rank() == 0 && dims.length != 0) {
            return p.bytes()[0] != 0 ? a : b;
        }
        Array r = Array.allocate(t, dims);
        byte[] c = p.bytes();
        Object x = a.data();
        Object y = b.data();
        Object z = r.data();
        int lanes = Array.lanes(t);
        Parallel.forRange(ctx, r.size(), (from, to) -> {
            if (lanes == 2) {
                for (int i = from; i < to; i++) {
                    System.arraycopy(c[i] != 0 ? x : y, 2 * i, z, 2 * i, 2);
                }
            } else if (z instanceof byte[]) {
                byte[] u = (byte[]) x;
                byte[] v = (byte[]) y;
                byte[] w = (byte[]) z;
                for (int i = from; i < to; i++) {
                    w[i] = c[i] != 0 ? u[i] : v[i];
                }
            } else if (z instanceof short[]) {
                short[] u = (short[]) x;
                short[] v = (short[]) y;
                short[] w = (short[]) z;
                for (int i = from; i < to; i++) {
                    w[i] = c[i] != 0 ? u[i] : v[i];
                }
            } else if (z instanceof int[]) {
                ElementwiseKernels.active().select(c, (int[]) x, (int[]) y, (int[]) z, from, to - from);
            } else if (z instanceof long[]) {
                long[] u = (long[]) x;
                long[] v = (long[]) y;
                long[] w = (long[]) z;
                for (int i = from; i < to; i++) {
                    w[i] = c[i] != 0 ? u[i] : v[i];
                }
            } else if (z instanceof float[]) {
                ElementwiseKernels.active().select(c, (float[]) x, (float[]) y, (float[]) z, from, to - from);
            } else {
                double[] u = (double[]) x;
                double[] v = (double[]) y;
                double[] w = (double[]) z;
                for (int i = from; i < to; i++) {
                    w[i] = c[i] != 0 ? u[i] : v[i];
                }
            }
        });
        return r;
    }

    static Value clamp(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 3) {
            throw new IllegalArgumentException("clamp takes 3 operands (min, x, max), got " + ops.size());
        }
        HloShape shape = ins.shape();
        long[] dims = shape.dims();
        ElementType t = shape.elementType();
        Array x = Elements.operand(ops, 1, t, dims, "clamp");
        Array lo = ops.get(0).asArray();
        Array hi = ops.get(2).asArray();
        for (Array bound : new Array[] {lo, hi}) {
            if (bound.type() != t || (bound.rank() != 0 && !Arrays.equals(bound.dims(), dims))) {
                throw new IllegalArgumentException("clamp bounds must be " + t.textName()
                        + " scalars or of the operand's dimensions, got " + bound);
            }
        }
        if (t.isComplex()) {
            throw new IllegalArgumentException("clamp is not defined on complex numbers");
        }
        Array r = Array.allocate(t, dims);
        boolean loScalar = lo.rank() == 0;
        boolean hiScalar = hi.rank() == 0;
        if (t == ElementType.F64) {
            double[] l = lo.doubles();
            double[] v = x.doubles();
            double[] h = hi.doubles();
            double[] z = r.doubles();
            Parallel.forRange(ctx, r.size(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    z[i] = ElementwiseOps.min(ElementwiseOps.max(v[i], l[loScalar ? 0 : i]), h[hiScalar ? 0 : i]);
                }
            });
            return r;
        }
        if (t.isFloatingPoint()) {
            Parallel.forRange(ctx, r.size(), (from, to) -> {
                float[] l = new float[Elements.BLOCK];
                float[] v = new float[Elements.BLOCK];
                float[] h = new float[Elements.BLOCK];
                if (loScalar) {
                    Elements.readFloats(lo, 0, l, 1);
                    Arrays.fill(l, l[0]);
                }
                if (hiScalar) {
                    Elements.readFloats(hi, 0, h, 1);
                    Arrays.fill(h, h[0]);
                }
                for (int s = from; s < to; s += Elements.BLOCK) {
                    int len = Math.min(Elements.BLOCK, to - s);
                    Elements.readFloats(x, s, v, len);
                    if (!loScalar) {
                        Elements.readFloats(lo, s, l, len);
                    }
                    if (!hiScalar) {
                        Elements.readFloats(hi, s, h, len);
                    }
                    for (int i = 0; i < len; i++) {
                        v[i] = ElementwiseOps.min(ElementwiseOps.max(v[i], l[i]), h[i]);
                    }
                    Elements.writeFloats(r, s, v, len);
                }
            });
            return r;
        }
        boolean u64 = t == ElementType.U64;
        Parallel.forRange(ctx, r.size(), (from, to) -> {
            long[] l = new long[Elements.BLOCK];
            long[] v = new long[Elements.BLOCK];
            long[] h = new long[Elements.BLOCK];
            if (loScalar) {
                Elements.readLongs(lo, 0, l, 1);
                Arrays.fill(l, l[0]);
            }
            if (hiScalar) {
                Elements.readLongs(hi, 0, h, 1);
                Arrays.fill(h, h[0]);
            }
            for (int s = from; s < to; s += Elements.BLOCK) {
                int len = Math.min(Elements.BLOCK, to - s);
                Elements.readLongs(x, s, v, len);
                if (!loScalar) {
                    Elements.readLongs(lo, s, l, len);
                }
                if (!hiScalar) {
                    Elements.readLongs(hi, s, h, len);
                }
                for (int i = 0; i < len; i++) {
                    long m = (u64 ? Long.compareUnsigned(v[i], l[i]) >= 0 : v[i] >= l[i]) ? v[i] : l[i];
                    v[i] = (u64 ? Long.compareUnsigned(m, h[i]) <= 0 : m <= h[i]) ? m : h[i];
                }
                Elements.writeLongs(r, s, v, len);
            }
        });
        return r;
    }
}
