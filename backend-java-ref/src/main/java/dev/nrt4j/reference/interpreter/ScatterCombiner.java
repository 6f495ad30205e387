package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a scatter's {@code to_apply} to runs of (result, update) elements, in place in the result
 * arrays. A combiner that is just {@code ROOT = add/multiply/maximum/minimum/and/or(p0, p1)} (either
 * parameter order), {@code ROOT = p1} (overwrite) or {@code ROOT = p0} (keep) runs as a typed loop;
 * anything else calls the computation on scalars through the evaluation context.
 *
 * <p>Numerics follow the evaluator: bf16/f16 combine in f32 and round once (RNE); integers wrap
 * around; maximum/minimum propagate NaN (the first NaN operand), otherwise {@code std::max/min} of
 * the operands in the order the computation names them; unsigned types compare unsigned.
 */
final class ScatterCombiner {
    enum Kind { ADD, MUL, MAX, MIN, AND, OR, OVERWRITE, KEEP }

    private ScatterCombiner() {
    }

    /**
     * The run combiner for these result and update arrays (parallel lists, one per scatter operand).
     *
     * @param results the fresh result arrays, changed in place
     */
    static BlockCopy.Run of(HloComputation toApply, List<Array> results, List<Array> updates, EvaluationContext ctx) {
        if (results.size() == 1) {
            BlockCopy.Run fast = fast(toApply, results.get(0), updates.get(0));
            if (fast != null) {
                return fast;
            }
        }
        return generic(toApply, results, updates, ctx);
    }

    /** The kind and parameter order (true when the root names the update first), or null. */
    static Object[] recognize(HloComputation c, ElementType type) {
        if (c.parameters().size() != 2) {
            return null;
        }
        for (HloInstruction p : c.parameters()) {
            if (!p.shape().isArray() || p.shape().rank() != 0 || p.shape().elementType() != type) {
                return null;
            }
        }
        HloInstruction root = c.root();
        if (!root.shape().isArray() || root.shape().rank() != 0 || root.shape().elementType() != type) {
            return null;
        }
        if (root.opcode().equals("parameter")) {
            return new Object[] {root.parameterNumber() == 1 ? Kind.OVERWRITE : Kind.KEEP, false};
        }
        if (root.operands().size() != 2) {
            return null;
        }
        HloInstruction x = root.operand(0);
        HloInstruction y = root.operand(1);
        if (!x.opcode().equals("parameter") || !y.opcode().equals("parameter") || x.parameterNumber() == y.parameterNumber()) {
            return null;
        }
        Kind k;
        switch (root.opcode()) {
            case "add": k = type == ElementType.PRED ? null : Kind.ADD; break;
            case "multiply": k = type == ElementType.PRED ? null : Kind.MUL; break;
            case "maximum": k = type == ElementType.PRED ? Kind.OR : Kind.MAX; break;
            case "minimum": k = type == ElementType.PRED ? Kind.AND : Kind.MIN; break;
            case "and": k = type.isFloatingPoint() ? null : Kind.AND; break;
            case "or": k = type.isFloatingPoint() ? null : Kind.OR; break;
            default: k = null;
        }
        return k == null ? null : new Object[] {k, x.parameterNumber() == 1};
    }

    private static BlockCopy.Run fast(HloComputation c, Array out, Array upd) {
        ElementType type = out.type();
        Object[] r = recognize(c, type);
        if (r == null) {
            return null;
        }
        Kind k = (Kind) r[0];
        boolean swapped = (Boolean) r[1];
        if (k == Kind.KEEP) {
            return (op, os, up, us, n) -> { };
        }
        if (k == Kind.OVERWRITE) {
            int lanes = Array.lanes(type);
            Object o = out.data();
            Object u = upd.data();
            return (op, os, up, us, n) -> BlockCopy.row(u, up, us, o, op, os, n, lanes);
        }
        switch (type) {
            case F32: return f32(k, swapped, out.floats(), upd.floats());
            case F64: return f64(k, swapped, out.doubles(), upd.doubles());
            case BF16: case F16: return half(k, swapped, type == ElementType.BF16, out.shorts(), upd.shorts());
            case S32: case U32: return i32(k, swapped, type == ElementType.U32, out.ints(), upd.ints());
            case S64: case U64: return i64(k, swapped, type == ElementType.U64, out.longs(), upd.longs());
            case S16: case U16: {
                short[] o = out.shorts();
                short[] u = upd.shorts();
                int mask = type == ElementType.U16 ? 0xFFFF : 0;
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = (short) narrow(k, swapped, o[op], u[up], mask);
                    }
                };
            }
            case S8: case U8: case PRED: {
                byte[] o = out.bytes();
                byte[] u = upd.bytes();
                int mask = type == ElementType.S8 ? 0 : 0xFF;
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = (byte) narrow(k, swapped, o[op], u[up], mask);
                    }
                };
            }
            default:
                return null;
        }
    }

    /** One step on a sub-32-bit integer; {@code mask} non-zero means unsigned. */
    private static int narrow(Kind k, boolean swapped, int cur, int upd, int mask) {
        int a = swapped ? upd : cur;
        int b = swapped ? cur : upd;
        switch (k) {
            case ADD: return a + b;
            case MUL: return a * b;
            case AND: return a & b;
            case OR: return a | b;
            case MAX: return mask != 0 ? ((a & mask) < (b & mask) ? b : a) : (a < b ? b : a);
            default: return mask != 0 ? ((b & mask) < (a & mask) ? b : a) : (b < a ? b : a);
        }
    }

    static float maxF(float a, float b) {
        return a != a ? a : b != b ? b : a < b ? b : a;
    }

    static float minF(float a, float b) {
        return a != a ? a : b != b ? b : b < a ? b : a;
    }

    static double maxD(double a, double b) {
        return a != a ? a : b != b ? b : a < b ? b : a;
    }

    static double minD(double a, double b) {
        return a != a ? a : b != b ? b : b < a ? b : a;
    }

    private static BlockCopy.Run f32(Kind k, boolean sw, float[] o, float[] u) {
        switch (k) {
            case ADD:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? u[up] + o[op] : o[op] + u[up];
                    }
                };
            case MUL:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? u[up] * o[op] : o[op] * u[up];
                    }
                };
            case MAX:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? maxF(u[up], o[op]) : maxF(o[op], u[up]);
                    }
                };
            case MIN:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? minF(u[up], o[op]) : minF(o[op], u[up]);
                    }
                };
            default:
                return null;
        }
    }

    private static BlockCopy.Run f64(Kind k, boolean sw, double[] o, double[] u) {
        switch (k) {
            case ADD:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? u[up] + o[op] : o[op] + u[up];
                    }
                };
            case MUL:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? u[up] * o[op] : o[op] * u[up];
                    }
                };
            case MAX:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? maxD(u[up], o[op]) : maxD(o[op], u[up]);
                    }
                };
            case MIN:
                return (op, os, up, us, n) -> {
                    for (int i = 0; i < n; i++, op += os, up += us) {
                        o[op] = sw ? minD(u[up], o[op]) : minD(o[op], u[up]);
                    }
                };
            default:
                return null;
        }
    }

    /** bf16/f16: each step in f32, rounded once to the storage type. */
    private static BlockCopy.Run half(Kind k, boolean sw, boolean bf16, short[] o, short[] u) {
        if (k != Kind.ADD && k != Kind.MUL && k != Kind.MAX && k != Kind.MIN) {
            return null;
        }
        return (op, os, up, us, n) -> {
            for (int i = 0; i < n; i++, op += os, up += us) {
                short bitsA = sw ? u[up] : o[op];
                short bitsB = sw ? o[op] : u[up];
                float a = bf16 ? BFloat16.toFloat(bitsA) : Float16.toFloat(bitsA);
                float b = bf16 ? BFloat16.toFloat(bitsB) : Float16.toFloat(bitsB);
                switch (k) {
                    case ADD:
                        o[op] = bf16 ? BFloat16.fromFloat(a + b) : Float16.fromFloat(a + b);
                        break;
                    case MUL:
                        o[op] = bf16 ? BFloat16.fromFloat(a * b) : Float16.fromFloat(a * b);
                        break;
                    case MAX:
                        // max/min return one operand unchanged: keep its bits (NaN payload included).
                        o[op] = a != a || (b == b && !(a < b)) ? bitsA : bitsB;
                        break;
                    default:
                        o[op] = a != a || (b == b && !(b < a)) ? bitsA : bitsB;
                        break;
                }
            }
        };
    }

    private static BlockCopy.Run i32(Kind k, boolean sw, boolean unsigned, int[] o, int[] u) {
        return (op, os, up, us, n) -> {
            for (int i = 0; i < n; i++, op += os, up += us) {
                int a = sw ? u[up] : o[op];
                int b = sw ? o[op] : u[up];
                int r;
                switch (k) {
                    case ADD: r = a + b; break;
                    case MUL: r = a * b; break;
                    case AND: r = a & b; break;
                    case OR: r = a | b; break;
                    case MAX: r = (unsigned ? Integer.compareUnsigned(a, b) < 0 : a < b) ? b : a; break;
                    default: r = (unsigned ? Integer.compareUnsigned(b, a) < 0 : b < a) ? b : a; break;
                }
                o[op] = r;
            }
        };
    }

    private static BlockCopy.Run i64(Kind k, boolean sw, boolean unsigned, long[] o, long[] u) {
        return (op, os, up, us, n) -> {
            for (int i = 0; i < n; i++, op += os, up += us) {
                long a = sw ? u[up] : o[op];
                long b = sw ? o[op] : u[up];
                long r;
                switch (k) {
                    case ADD: r = a + b; break;
                    case MUL: r = a * b; break;
                    case AND: r = a & b; break;
                    case OR: r = a | b; break;
                    case MAX: r = (unsigned ? Long.compareUnsigned(a, b) < 0 : a < b) ? b : a; break;
                    default: r = (unsigned ? Long.compareUnsigned(b, a) < 0 : b < a) ? b : a; break;
                }
                o[op] = r;
            }
        };
    }

    /** Calls the computation once per element: (results…, updates…) → result or tuple of results. */
    private static BlockCopy.Run generic(HloComputation c, List<Array> results, List<Array> updates, EvaluationContext ctx) {
        int count = results.size();
        if (c.parameters().size() != 2 * count) {
            throw new IllegalArgumentException("scatter combiner " + c.name() + " takes " + c.parameters().size()
                    + " parameters, not " + 2 * count);
        }
        return (op, os, up, us, n) -> {
            for (int i = 0; i < n; i++, op += os, up += us) {
                List<Value> args = new ArrayList<>(2 * count);
                for (Array a : results) {
                    args.add(scalar(a, op));
                }
                for (Array a : updates) {
                    args.add(scalar(a, up));
                }
                Value r = ctx.evaluate(c, args);
                for (int k = 0; k < count; k++) {
                    Array v = r.isTuple() ? r.asTuple().get(k).asArray() : r.asArray();
                    if (v.type() != results.get(k).type() || v.size() != 1 || (!r.isTuple() && count != 1)) {
                        throw new IllegalArgumentException("scatter combiner " + c.name() + " returns " + r
                                + ", not " + count + " scalars of the operands' types");
                    }
                    Array.copy(v, 0, results.get(k), op, 1);
                }
            }
        };
    }

    /** Element {@code i} as a scalar array. */
    static Array scalar(Array a, int i) {
        Array s = Array.allocate(a.type());
        Array.copy(a, i, s, 0, 1);
        return s;
    }
}
