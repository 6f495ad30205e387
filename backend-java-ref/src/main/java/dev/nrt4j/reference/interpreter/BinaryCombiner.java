package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloShape;
import java.util.Optional;

/**
 * A scalar computation of two parameters (accumulator or current value first, element or update
 * second) recognized as one operation the typed loops cover: {@code add}, {@code multiply},
 * {@code maximum}, {@code minimum}, {@code and}, {@code or} or {@code xor} of both parameters in
 * either order, or a root that is just one of them. Reduce, reduce-window, select-and-scatter and
 * scatter run such computations here instead of calling the evaluator once per element.
 *
 * <p>Each step is the evaluator's: bf16/f16 compute in f32 and round to their own type (RNE) after
 * every step; integers wrap around; unsigned types compare unsigned; {@code maximum}/{@code minimum}
 * propagate NaN and otherwise behave like {@code std::max}/{@code std::min} of the operands in the
 * order the computation names them (which decides the sign of a zero result when {@code +0} meets
 * {@code -0}). On pred, C++ bool arithmetic converted back to bool makes a sum or maximum true when
 * either operand is, a product or minimum when both are. A root that is a parameter passes that
 * value's bits through. Instances are immutable.
 */
final class BinaryCombiner {
    /** The recognized operation; {@code FIRST}/{@code SECOND} are roots that return a parameter. */
    enum Kind {
        ADD,
        MUL,
        MAX,
        MIN,
        AND,
        OR,
        XOR,
        FIRST,
        SECOND
    }

    private final Kind kind;
    /** Whether the root names the parameters as (second, first); only max/min of floats can tell. */
    private final boolean swapped;

    private final ElementType type;
    /** Rounding after each float step: 0 none (f32), 1 to bf16, 2 to f16. */
    private final int rounding;
    /** Clears the sign extension Java adds when widening a stored unsigned integer. */
    private final long unsignedMask;

    private BinaryCombiner(Kind kind, boolean swapped, ElementType type) {
        this.kind = kind;
        this.swapped = swapped;
        this.type = type;
        this.rounding = type == ElementType.BF16 ? 1 : type == ElementType.F16 ? 2 : 0;
        switch (type) {
            case U8:
                unsignedMask = 0xFFL;
                break;
            case U16:
                unsignedMask = 0xFFFFL;
                break;
            case U32:
                unsignedMask = 0xFFFF_FFFFL;
                break;
            default:
                unsignedMask = -1L;
        }
    }

    /** The combiner {@code computation} is over {@code type} scalars, if the typed loops cover it. */
    static Optional<BinaryCombiner> recognize(HloComputation computation, ElementType type) {
        if (computation.parameters().size() != 2) {
            return Optional.empty();
        }
        HloInstruction root = computation.root();
        HloInstruction p0 = computation.parameters().get(0);
        HloInstruction p1 = computation.parameters().get(1);
        if (!isScalarOf(root.shape(), type) || !isScalarOf(p0.shape(), type) || !isScalarOf(p1.shape(), type)) {
            return Optional.empty();
        }
        if (root == p0 || root == p1) {
            return computation.instructions().size() == 2 && supported(type)
                    ? Optional.of(new BinaryCombiner(root == p0 ? Kind.FIRST : Kind.SECOND, false, type))
                    : Optional.empty();
        }
        if (computation.instructions().size() != 3 || root.operands().size() != 2) {
            return Optional.empty();
        }
        boolean swapped;
        if (root.operand(0) == p0 && root.operand(1) == p1) {
            swapped = false;
        } else if (root.operand(0) == p1 && root.operand(1) == p0) {
            swapped = true;
        } else {
            return Optional.empty();
        }
        Kind kind;
        switch (root.opcode()) {
            case ADD:
                kind = Kind.ADD;
                break;
            case MULTIPLY:
                kind = Kind.MUL;
                break;
            case MAXIMUM:
                kind = Kind.MAX;
                break;
            case MINIMUM:
                kind = Kind.MIN;
                break;
            case AND:
                kind = Kind.AND;
                break;
            case OR:
                kind = Kind.OR;
                break;
            case XOR:
                kind = Kind.XOR;
                break;
            default:
                return Optional.empty();
        }
        if (!supported(type) || (isFloat(type) && kind.compareTo(Kind.AND) >= 0)) {
            return Optional.empty();
        }
        if (type == ElementType.PRED) {
            if (kind == Kind.ADD || kind == Kind.MAX) {
                kind = Kind.OR;
            } else if (kind == Kind.MUL || kind == Kind.MIN) {
                kind = Kind.AND;
            }
        }
        return Optional.of(new BinaryCombiner(kind, swapped, type));
    }

    private static boolean isScalarOf(HloShape s, ElementType type) {
        return s.isArray() && s.rank() == 0 && s.elementType() == type;
    }

    private static boolean isFloat(ElementType t) {
        return t == ElementType.F32 || t == ElementType.F64 || t == ElementType.BF16 || t == ElementType.F16;
    }

    private static boolean supported(ElementType t) {
        switch (t) {
            case F32:
            case F64:
            case BF16:
            case F16:
            case PRED:
            case S8:
            case S16:
            case S32:
            case S64:
            case U8:
            case U16:
            case U32:
            case U64:
                return true;
            default:
                return false;
        }
    }

    Kind kind() {
        return kind;
    }

    ElementType type() {
        return type;
    }

    // ---------------------------------------------------------------- steps

    /** One step on f32 values (bf16/f16 widened), rounded to this combiner's type. */
    private float step(float acc, float x) {
        switch (kind) {
            case ADD:
                return round(acc + x);
            case MUL:
                return round(acc * x);
            case MAX:
                return swapped ? maxF(x, acc) : maxF(acc, x);
            case MIN:
                return swapped ? minF(x, acc) : minF(acc, x);
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    private float round(float v) {
        switch (rounding) {
            case 1:
                return BFloat16.toFloat(BFloat16.fromFloat(v));
            case 2:
                return Float16.toFloat(Float16.fromFloat(v));
            default:
                return v;
        }
    }

    private double step(double acc, double x) {
        switch (kind) {
            case ADD:
                return acc + x;
            case MUL:
                return acc * x;
            case MAX:
                return swapped ? maxD(x, acc) : maxD(acc, x);
            case MIN:
                return swapped ? minD(x, acc) : minD(acc, x);
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    /**
     * One step on integers held sign- or zero-extended in a long. Wrap-around of add, multiply and
     * the bitwise operations commutes with truncation, so truncating once at the store is exact;
     * max/min never leave the type's range, and equal integers are indistinguishable, so the
     * parameter order does not matter.
     */
    private long step(long acc, long x) {
        switch (kind) {
            case ADD:
                return acc + x;
            case MUL:
                return acc * x;
            case AND:
                return acc & x;
            case OR:
                return acc | x;
            case XOR:
                return acc ^ x;
            case MAX:
                return type == ElementType.U64 ? (Long.compareUnsigned(acc, x) < 0 ? x : acc) : Math.max(acc, x);
            case MIN:
                return type == ElementType.U64 ? (Long.compareUnsigned(x, acc) < 0 ? x : acc) : Math.min(acc, x);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** A stored integer (as Java widened it) zero-extended where unsigned; pred as 0 or 1. */
    private long widen(long stored) {
        return type == ElementType.PRED ? (stored != 0 ? 1 : 0) : stored & unsignedMask;
    }

    private float toFloat(short bits) {
        return rounding == 1 ? BFloat16.toFloat(bits) : Float16.toFloat(bits);
    }

    private short toHalf(float v) {
        return rounding == 1 ? BFloat16.fromFloat(v) : Float16.fromFloat(v);
    }

    /** NaN-propagating, else {@code std::max(a, b)}: {@code a} unless {@code a < b}. */
    static float maxF(float a, float b) {
        return a != a ? a : b != b ? b : a < b ? b : a;
    }

    /** NaN-propagating, else {@code std::min(a, b)}: {@code a} unless {@code b < a}. */
    static float minF(float a, float b) {
        return a != a ? a : b != b ? b : b < a ? b : a;
    }

    static double maxD(double a, double b) {
        return a != a ? a : b != b ? b : a < b ? b : a;
    }

    static double minD(double a, double b) {
        return a != a ? a : b != b ? b : b < a ? b : a;
    }

    // ---------------------------------------------------------------- folds (reductions)

    /**
     * Folds {@code in[base + offsets[k]]} for {@code k < n}, in that order, into {@code start[startIndex]}
     * and stores the result at {@code out[outIndex]}. All arrays have this combiner's element type;
     * {@code start} may be {@code out} itself.
     */
    void fold(Array in, int base, int[] offsets, int n, Array start, int startIndex, Array out, int outIndex) {
        if (kind == Kind.FIRST || kind == Kind.SECOND) {
            // Copying bits keeps a NaN's payload, as passing the parameter through does.
            boolean last = kind == Kind.SECOND && n > 0;
            Array.copy(last ? in : start, last ? base + offsets[n - 1] : startIndex, out, outIndex, 1);
            return;
        }
        switch (type) {
            case F32:
                out.floats()[outIndex] = foldF32(in.floats(), base, offsets, n, start.floats()[startIndex]);
                return;
            case BF16:
            case F16: {
                short[] d = in.shorts();
                float acc = toFloat(start.shorts()[startIndex]);
                for (int k = 0; k < n; k++) {
                    acc = step(acc, toFloat(d[base + offsets[k]]));
                }
                out.shorts()[outIndex] = toHalf(acc);
                return;
            }
            case F64:
                out.doubles()[outIndex] = foldF64(in.doubles(), base, offsets, n, start.doubles()[startIndex]);
                return;
            default: {
                long acc = widen(start.getLong(startIndex));
                switch (type) {
                    case PRED:
                    case S8:
                    case U8: {
                        byte[] d = in.bytes();
                        for (int k = 0; k < n; k++) {
                            acc = step(acc, widen(d[base + offsets[k]]));
                        }
                        out.bytes()[outIndex] = (byte) acc;
                        return;
                    }
                    case S16:
                    case U16: {
                        short[] d = in.shorts();
                        for (int k = 0; k < n; k++) {
                            acc = step(acc, widen(d[base + offsets[k]]));
                        }
                        out.shorts()[outIndex] = (short) acc;
                        return;
                    }
                    case S32:
                    case U32: {
                        int[] d = in.ints();
                        for (int k = 0; k < n; k++) {
                            acc = step(acc, widen(d[base + offsets[k]]));
                        }
                        out.ints()[outIndex] = (int) acc;
                        return;
                    }
                    default: {
                        long[] d = in.longs();
                        for (int k = 0; k < n; k++) {
                            acc = step(acc, d[base + offsets[k]]);
                        }
                        out.longs()[outIndex] = acc;
                    }
                }
            }
        }
    }

    /**
     * {@link #fold} of f32 with the operation chosen once, outside the loop: the same steps in the same order,
     * without a switch per element.
     */
    private float foldF32(float[] d, int base, int[] offsets, int n, float start) {
        float acc = start;
        switch (kind) {
            case ADD:
                for (int k = 0; k < n; k++) {
                    acc += d[base + offsets[k]];
                }
                return acc;
            case MUL:
                for (int k = 0; k < n; k++) {
                    acc *= d[base + offsets[k]];
                }
                return acc;
            case MAX:
                if (swapped) {
                    for (int k = 0; k < n; k++) {
                        acc = maxF(d[base + offsets[k]], acc);
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = maxF(acc, d[base + offsets[k]]);
                    }
                }
                return acc;
            case MIN:
                if (swapped) {
                    for (int k = 0; k < n; k++) {
                        acc = minF(d[base + offsets[k]], acc);
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = minF(acc, d[base + offsets[k]]);
                    }
                }
                return acc;
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    /** {@link #foldF32} for f64. */
    private double foldF64(double[] d, int base, int[] offsets, int n, double start) {
        double acc = start;
        switch (kind) {
            case ADD:
                for (int k = 0; k < n; k++) {
                    acc += d[base + offsets[k]];
                }
                return acc;
            case MUL:
                for (int k = 0; k < n; k++) {
                    acc *= d[base + offsets[k]];
                }
                return acc;
            case MAX:
                if (swapped) {
                    for (int k = 0; k < n; k++) {
                        acc = maxD(d[base + offsets[k]], acc);
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = maxD(acc, d[base + offsets[k]]);
                    }
                }
                return acc;
            case MIN:
                if (swapped) {
                    for (int k = 0; k < n; k++) {
                        acc = minD(d[base + offsets[k]], acc);
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = minD(acc, d[base + offsets[k]]);
                    }
                }
                return acc;
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    /**
     * Folds the outputs {@code out[j]}, {@code j} in {@code [from, to)}: each {@code in[bases[j] + offsets[k]]} for
     * {@code k < offsets.length}, in that order, from {@code start[0]}, exactly as {@link #fold} does one by one.
     * An f32 or f64 sum runs four outputs side by side: four independent chains keep the adder busy where one
     * waits out each add's latency, and every chain is still its output's own sequence in ascending {@code k}.
     */
    void foldEach(Array in, int[] bases, int[] offsets, Array start, Array out, int from, int to) {
        int n = offsets.length;
        int j = from;
        if (kind == Kind.ADD && type == ElementType.F32) {
            float[] d = in.floats();
            float[] o = out.floats();
            float s = start.floats()[0];
            for (; j + 4 <= to; j += 4) {
                int b0 = bases[j];
                int b1 = bases[j + 1];
                int b2 = bases[j + 2];
                int b3 = bases[j + 3];
                float a0 = s;
                float a1 = s;
                float a2 = s;
                float a3 = s;
                for (int k = 0; k < n; k++) {
                    int off = offsets[k];
                    a0 += d[b0 + off];
                    a1 += d[b1 + off];
                    a2 += d[b2 + off];
                    a3 += d[b3 + off];
                }
                o[j] = a0;
                o[j + 1] = a1;
                o[j + 2] = a2;
                o[j + 3] = a3;
            }
        } else if (kind == Kind.ADD && type == ElementType.F64) {
            double[] d = in.doubles();
            double[] o = out.doubles();
            double s = start.doubles()[0];
            for (; j + 4 <= to; j += 4) {
                int b0 = bases[j];
                int b1 = bases[j + 1];
                int b2 = bases[j + 2];
                int b3 = bases[j + 3];
                double a0 = s;
                double a1 = s;
                double a2 = s;
                double a3 = s;
                for (int k = 0; k < n; k++) {
                    int off = offsets[k];
                    a0 += d[b0 + off];
                    a1 += d[b1 + off];
                    a2 += d[b2 + off];
                    a3 += d[b3 + off];
                }
                o[j] = a0;
                o[j + 1] = a1;
                o[j + 2] = a2;
                o[j + 3] = a3;
            }
        }
        for (; j < to; j++) {
            fold(in, bases[j], offsets, n, start, 0, out, j);
        }
    }

    private static final int[] ZERO_OFFSET = {0};

    /** One step: {@code out[outIndex] = combiner(acc[accIndex], x[xIndex])}. */
    void combine(Array acc, int accIndex, Array x, int xIndex, Array out, int outIndex) {
        fold(x, xIndex, ZERO_OFFSET, 1, acc, accIndex, out, outIndex);
    }

    // ---------------------------------------------------------------- runs (scatter)

    /**
     * Combines runs of {@code upd} elements into {@code out} in place: for each pair of positions
     * {@code out[p] = combiner(out[p], upd[q])}. Both arrays have this combiner's element type.
     */
    BlockCopy.Run inPlace(Array out, Array upd) {
        if (kind == Kind.FIRST) {
            return (op, os, up, us, n) -> {};
        }
        if (kind == Kind.SECOND) {
            int lanes = Array.lanes(type);
            Object o = out.data();
            Object u = upd.data();
            return (op, os, up, us, n) -> BlockCopy.row(u, up, us, o, op, os, n, lanes);
        }
        switch (type) {
            case F32: {
                float[] o = out.floats();
                float[] u = upd.floats();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = step(o[op], u[up]);
                    }
                };
            }
            case BF16:
            case F16: {
                short[] o = out.shorts();
                short[] u = upd.shorts();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = toHalf(step(toFloat(o[op]), toFloat(u[up])));
                    }
                };
            }
            case F64: {
                double[] o = out.doubles();
                double[] u = upd.doubles();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = step(o[op], u[up]);
                    }
                };
            }
            case PRED:
            case S8:
            case U8: {
                byte[] o = out.bytes();
                byte[] u = upd.bytes();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = (byte) step(widen(o[op]), widen(u[up]));
                    }
                };
            }
            case S16:
            case U16: {
                short[] o = out.shorts();
                short[] u = upd.shorts();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = (short) step(widen(o[op]), widen(u[up]));
                    }
                };
            }
            case S32:
            case U32: {
                int[] o = out.ints();
                int[] u = upd.ints();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = (int) step(widen(o[op]), widen(u[up]));
                    }
                };
            }
            default: {
                long[] o = out.longs();
                long[] u = upd.longs();
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = step(o[op], u[up]);
                    }
                };
            }
        }
    }
}
