package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sort} and {@code topk}. Every sort is stable (XLA's evaluator uses a stable sort when
 * {@code is_stable} is set and an unspecified order of equal elements otherwise; stable is one such
 * order). A comparator recognized by {@link SortComparator} sorts integer keys derived from the key
 * operand — for floats the IEEE total order of their bits — without calling the computation; any
 * other comparator is evaluated on scalars for each comparison.
 *
 * <p>{@code topk} returns the k largest elements along the last dimension in descending total order
 * and their s32 indices, equal elements by lower index first (as XLA's CPU runtime does). The IR
 * has no {@code k}/{@code largest} attributes: k is the result's last dimension and largest is
 * assumed.
 */
final class SortOps {
    private SortOps() {}

    static void registerAll(OpRegistry r) {
        r.register(SortOps::sort, HloOpcode.SORT);
        r.register(SortOps::topk, HloOpcode.TOPK);
    }

    static Value sort(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.isEmpty()
                || ins.dimensions().size() != 1
                || ins.calledComputations().size() != 1) {
            throw new IllegalArgumentException("sort needs operands, one dimension and one comparator");
        }
        Array first = ops.get(0).asArray();
        long axisL = ins.dimensions().get(0);
        if (axisL < 0 || axisL >= first.rank()) {
            throw new IllegalArgumentException("sort dimension " + axisL + " does not fit " + first);
        }
        int axis = (int) axisL;
        HloShape s = ins.shape();
        List<Array> inputs = new ArrayList<>();
        List<ElementType> types = new ArrayList<>();
        for (int k = 0; k < ops.size(); k++) {
            Array a = ops.get(k).asArray();
            HloShape rs = s.isTuple()
                    ? (k < s.tupleShapes().size() ? s.tupleShapes().get(k) : null)
                    : (ops.size() == 1 ? s : null);
            if (rs == null
                    || !rs.isArray()
                    || rs.elementType() != a.type()
                    || !Arrays.equals(rs.dims(), first.dims())
                    || !Arrays.equals(a.dims(), first.dims())) {
                throw new IllegalArgumentException("sort operand " + a + " does not fit result " + s);
            }
            inputs.add(a);
            types.add(a.type());
        }
        if (s.isTuple() && s.tupleShapes().size() != ops.size()) {
            throw new IllegalArgumentException("sort result " + s + " does not have " + ops.size() + " elements");
        }
        HloComputation cmp = ins.calledComputations().get(0);
        SortComparator spec = SortComparator.recognize(cmp, types);
        int n = (int) first.dim(axis);
        int inner = first.strides()[axis];
        int outer = n == 0 ? 0 : first.size() / (n * inner);
        List<Array> outs = new ArrayList<>();
        for (Array a : inputs) {
            outs.add(Array.allocate(a.type(), a.dims()));
        }
        int[] perm = new int[n];
        int[] buf = new int[n];
        long[] keys = new long[n];
        for (int o = 0; o < outer; o++) {
            ctx.checkDeadline();
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                for (int j = 0; j < n; j++) {
                    perm[j] = j;
                }
                boolean done = spec != null
                        && orderByKey(
                                inputs.get(spec.operand()),
                                base,
                                inner,
                                n,
                                spec.descending(),
                                spec.canonical(),
                                spec.totalOrder(),
                                perm,
                                buf,
                                keys);
                if (!done) {
                    StableSort.sort(perm, buf, n, generic(cmp, inputs, base, inner, ctx));
                }
                for (int k = 0; k < inputs.size(); k++) {
                    permute(inputs.get(k), outs.get(k), base, inner, perm, n);
                }
            }
        }
        return s.isTuple() ? new TupleValue(new ArrayList<>(outs)) : outs.get(0);
    }

    /** Calls the comparator with (op0[a], op0[b], op1[a], op1[b], …). */
    private static StableSort.Less generic(
            HloComputation cmp, List<Array> inputs, int base, int stride, EvaluationContext ctx) {
        return (a, b) -> {
            List<Value> args = new ArrayList<>(2 * inputs.size());
            for (Array in : inputs) {
                args.add(ScalarCalls.scalarAt(in, base + a * stride));
                args.add(ScalarCalls.scalarAt(in, base + b * stride));
            }
            Value r = ctx.evaluate(cmp, args);
            Array p = r.asArray();
            if (p.type() != ElementType.PRED || p.size() != 1) {
                throw new IllegalArgumentException(
                        "sort comparator " + cmp.name() + " returns " + p + ", not a pred scalar");
            }
            return p.getLong(0) != 0;
        };
    }

    /**
     * Orders one row (n elements from {@code base} every {@code stride}) by integer keys, stably.
     * Returns false, leaving {@code perm} untouched, when the comparison is IEEE (not total order) and
     * the row holds a NaN: that is no strict weak order, so it is left to a direct comparison.
     */
    static boolean orderByKey(
            Array key,
            int base,
            int stride,
            int n,
            boolean descending,
            boolean canonical,
            boolean totalOrder,
            int[] perm,
            int[] buf,
            long[] keys) {
        ElementType t = key.type();
        boolean ieee = t.isFloatingPoint() && !totalOrder;
        // IEEE comparison sees -0 == +0: merge them as canonicalization does.
        boolean canon = canonical || ieee;
        switch (t) {
            case PRED:
            case U8: {
                byte[] v = key.bytes();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride] & 0xFF;
                }
                break;
            }
            case S8: {
                byte[] v = key.bytes();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride];
                }
                break;
            }
            case S16: {
                short[] v = key.shorts();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride];
                }
                break;
            }
            case U16: {
                short[] v = key.shorts();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride] & 0xFFFF;
                }
                break;
            }
            case S32: {
                int[] v = key.ints();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride];
                }
                break;
            }
            case U32: {
                int[] v = key.ints();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride] ^ Integer.MIN_VALUE;
                }
                break;
            }
            case S64: {
                long[] v = key.longs();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride];
                }
                break;
            }
            case U64: {
                long[] v = key.longs();
                for (int j = 0; j < n; j++) {
                    keys[j] = v[base + j * stride] ^ Long.MIN_VALUE;
                }
                break;
            }
            case F32: {
                float[] v = key.floats();
                for (int j = 0; j < n; j++) {
                    float x = v[base + j * stride];
                    if (x != x && ieee) {
                        return orderDirect(key, base, stride, n, descending, perm, buf);
                    }
                    int b = canon
                            ? (x != x ? 0x7fc00000 : x == 0 ? 0 : Float.floatToRawIntBits(x))
                            : Float.floatToRawIntBits(x);
                    keys[j] = b ^ ((b >> 31) & 0x7fffffff);
                }
                break;
            }
            case F64: {
                double[] v = key.doubles();
                for (int j = 0; j < n; j++) {
                    double x = v[base + j * stride];
                    if (x != x && ieee) {
                        return orderDirect(key, base, stride, n, descending, perm, buf);
                    }
                    long b = canon
                            ? (x != x ? 0x7ff8000000000000L : x == 0 ? 0 : Double.doubleToRawLongBits(x))
                            : Double.doubleToRawLongBits(x);
                    keys[j] = b ^ ((b >> 63) & 0x7fffffffffffffffL);
                }
                break;
            }
            case BF16:
            case F16: {
                short[] v = key.shorts();
                int inf = t == ElementType.BF16 ? 0x7f80 : 0x7c00;
                int qnan = t == ElementType.BF16 ? 0x7fc0 : 0x7e00;
                for (int j = 0; j < n; j++) {
                    int b = v[base + j * stride];
                    boolean nan = (b & 0x7fff) > inf;
                    if (nan && ieee) {
                        return orderDirect(key, base, stride, n, descending, perm, buf);
                    }
                    if (canon) {
                        b = nan ? qnan : (b & 0x7fff) == 0 ? 0 : b;
                    }
                    keys[j] = b ^ ((b >> 31) & 0x7fff);
                }
                break;
            }
            default:
                return false;
        }
        boolean wide = t == ElementType.S64 || t == ElementType.U64 || t == ElementType.F64;
        if (wide) {
            StableSort.sort(perm, buf, n, descending ? (a, b) -> keys[a] > keys[b] : (a, b) -> keys[a] < keys[b]);
            return true;
        }
        // Keys fit in 32 bits: sort (key, position) pairs packed in longs, which is stable by construction.
        long[] packed = new long[n];
        for (int j = 0; j < n; j++) {
            long k = descending ? ~keys[j] : keys[j];
            packed[j] = (k << 32) | j;
        }
        Arrays.sort(packed);
        for (int j = 0; j < n; j++) {
            perm[j] = (int) packed[j];
        }
        return true;
    }

    /** IEEE comparison with NaNs present: compare the values themselves, as the comparator would. */
    private static boolean orderDirect(
            Array key, int base, int stride, int n, boolean descending, int[] perm, int[] buf) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = key.getDouble(base + j * stride);
        }
        StableSort.sort(perm, buf, n, descending ? (a, b) -> v[a] > v[b] : (a, b) -> v[a] < v[b]);
        return true;
    }

    /** {@code dst[base + j·stride] = src[base + perm[j]·stride]}. */
    private static void permute(Array src, Array dst, int base, int stride, int[] perm, int n) {
        Object s = src.data();
        Object d = dst.data();
        int lanes = Array.lanes(src.type());
        if (lanes != 1 || s instanceof byte[] || s instanceof long[] || s instanceof double[]) {
            for (int j = 0; j < n; j++) {
                Array.copy(src, base + perm[j] * stride, dst, base + j * stride, 1);
            }
        } else if (s instanceof float[]) {
            float[] a = (float[]) s;
            float[] b = (float[]) d;
            for (int j = 0; j < n; j++) {
                b[base + j * stride] = a[base + perm[j] * stride];
            }
        } else if (s instanceof int[]) {
            int[] a = (int[]) s;
            int[] b = (int[]) d;
            for (int j = 0; j < n; j++) {
                b[base + j * stride] = a[base + perm[j] * stride];
            }
        } else {
            short[] a = (short[]) s;
            short[] b = (short[]) d;
            for (int j = 0; j < n; j++) {
                b[base + j * stride] = a[base + perm[j] * stride];
            }
        }
    }

    static Value topk(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        HloShape s = ins.shape();
        if (a.rank() < 1 || !s.isTuple() || s.tupleShapes().size() != 2) {
            throw new IllegalArgumentException("topk of " + a + " cannot give " + s);
        }
        HloShape vs = s.tupleShapes().get(0);
        HloShape is = s.tupleShapes().get(1);
        int last = a.rank() - 1;
        long[] expect = a.dims();
        if (!vs.isArray() || vs.rank() != a.rank()) {
            throw new IllegalArgumentException("topk of " + a + " cannot give " + s);
        }
        long k = vs.dim(last);
        expect[last] = k;
        if (vs.elementType() != a.type()
                || !Arrays.equals(vs.dims(), expect)
                || !is.isArray()
                || is.elementType() != ElementType.S32
                || !Arrays.equals(is.dims(), expect)
                || k > a.dim(last)) {
            throw new IllegalArgumentException("topk of " + a + " cannot give " + s);
        }
        int n = (int) a.dim(last);
        int kk = (int) k;
        int rows = n == 0 ? 0 : a.size() / n;
        Array values = Array.allocate(vs);
        Array indices = Array.allocate(is);
        int[] perm = new int[n];
        int[] buf = new int[n];
        long[] keys = new long[n];
        int[] idx = indices.ints();
        for (int r = 0; r < rows; r++) {
            if ((r & 0xFF) == 0) {
                ctx.checkDeadline();
            }
            for (int j = 0; j < n; j++) {
                perm[j] = j;
            }
            if (!orderByKey(a, r * n, 1, n, true, false, true, perm, buf, keys)) {
                throw new IllegalArgumentException("topk of " + a.type().textName() + " is not supported");
            }
            for (int j = 0; j < kk; j++) {
                Array.copy(a, r * n + perm[j], values, r * kk + j, 1);
                idx[r * kk + j] = perm[j];
            }
        }
        return new TupleValue(List.of(values, indices));
    }
}
