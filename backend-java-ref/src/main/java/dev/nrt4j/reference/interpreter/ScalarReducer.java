package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloShape;
import java.util.Optional;

/**
 * A reducer computation recognized as one scalar binary operation of its two parameters
 * ({@code add}, {@code multiply}, {@code maximum}, {@code minimum}, {@code and}, {@code or},
 * {@code xor}), folded in typed loops instead of evaluating the computation once per element.
 *
 * <p>The fold is exactly the evaluator's: it starts from the init value and combines one element
 * at a time in the order given, each step in the reducer's own element type — so a bf16 or f16
 * reducer computes each step in f32 and rounds to bf16/f16 (RNE) before the next, and integers
 * wrap around. {@code maximum}/{@code minimum} propagate NaN and otherwise behave like
 * {@code std::max}/{@code std::min} on the operands in the order the computation names them (which
 * decides the sign of a zero result when {@code +0} meets {@code -0}).
 */
final class ScalarReducer {
    enum Kind { ADD, MUL, MAX, MIN, AND, OR, XOR }

    /** Elements folded per scratch chunk; bounds the scratch memory for long reductions. */
    private static final int CHUNK = 4096;

    private final Kind kind;
    /** Whether the root names the parameters as (element, accumulator) rather than (accumulator, element). */
    private final boolean swapped;
    private final ElementType type;
    /** Scratch for one fold at a time: an instance serves one instruction on one thread. */
    private float[] floatScratch;
    private double[] doubleScratch;
    private long[] longScratch;

    private ScalarReducer(Kind kind, boolean swapped, ElementType type) {
        this.kind = kind;
        this.swapped = swapped;
        this.type = type;
    }

    /** The reducer of {@code computation} over {@code type} elements, if it is one the typed loops cover. */
    static Optional<ScalarReducer> recognize(HloComputation computation, ElementType type) {
        if (computation.parameters().size() != 2 || computation.instructions().size() != 3) {
            return Optional.empty();
        }
        HloInstruction root = computation.root();
        HloInstruction p0 = computation.parameters().get(0);
        HloInstruction p1 = computation.parameters().get(1);
        HloShape scalar = HloShape.array(type);
        if (!isScalarOf(root.shape(), type) || !isScalarOf(p0.shape(), type) || !isScalarOf(p1.shape(), type)
                || root.operands().size() != 2 || !scalar.sameDimensionsAndType(root.shape())) {
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
            case "add": kind = Kind.ADD; break;
            case "multiply": kind = Kind.MUL; break;
            case "maximum": kind = Kind.MAX; break;
            case "minimum": kind = Kind.MIN; break;
            case "and": kind = Kind.AND; break;
            case "or": kind = Kind.OR; break;
            case "xor": kind = Kind.XOR; break;
            default: return Optional.empty();
        }
        switch (type) {
            case F32: case F64: case BF16: case F16:
                if (kind == Kind.AND || kind == Kind.OR || kind == Kind.XOR) {
                    return Optional.empty();
                }
                break;
            case PRED:
                // C++ bool arithmetic converted back to bool: a sum is true when either is, a product when both are.
                if (kind == Kind.ADD || kind == Kind.MAX) {
                    kind = Kind.OR;
                } else if (kind == Kind.MUL || kind == Kind.MIN) {
                    kind = Kind.AND;
                }
                break;
            case S8: case S16: case S32: case S64: case U8: case U16: case U32: case U64:
                break;
            default:
                return Optional.empty();
        }
        return Optional.of(new ScalarReducer(kind, swapped, type));
    }

    private static boolean isScalarOf(HloShape s, ElementType type) {
        return s.isArray() && s.rank() == 0 && s.elementType() == type;
    }

    ElementType type() {
        return type;
    }

    /**
     * Folds {@code in[base + offsets[k]]} for {@code k < n}, in that order, into {@code start[startIndex]}
     * and stores the result at {@code out[outIndex]}. All arrays have this reducer's element type;
     * {@code start} may be {@code out} itself.
     */
    void fold(Array in, int base, int[] offsets, int n, Array start, int startIndex, Array out, int outIndex) {
        switch (type) {
            case F32: {
                float[] d = in.floats();
                float acc = start.floats()[startIndex];
                float[] scratch = floatScratch(n);
                for (int from = 0; from < n; from += CHUNK) {
                    int m = Math.min(CHUNK, n - from);
                    for (int k = 0; k < m; k++) {
                        scratch[k] = d[base + offsets[from + k]];
                    }
                    acc = foldFloat(acc, scratch, m, 0);
                }
                out.floats()[outIndex] = acc;
                return;
            }
            case BF16: case F16: {
                boolean bf = type == ElementType.BF16;
                short[] d = in.shorts();
                short s0 = start.shorts()[startIndex];
                float acc = bf ? BFloat16.toFloat(s0) : Float16.toFloat(s0);
                float[] scratch = floatScratch(n);
                for (int from = 0; from < n; from += CHUNK) {
                    int m = Math.min(CHUNK, n - from);
                    for (int k = 0; k < m; k++) {
                        short b = d[base + offsets[from + k]];
                        scratch[k] = bf ? BFloat16.toFloat(b) : Float16.toFloat(b);
                    }
                    acc = foldFloat(acc, scratch, m, bf ? 1 : 2);
                }
                out.shorts()[outIndex] = bf ? BFloat16.fromFloat(acc) : Float16.fromFloat(acc);
                return;
            }
            case F64: {
                double[] d = in.doubles();
                double acc = start.doubles()[startIndex];
                double[] scratch = doubleScratch(n);
                for (int from = 0; from < n; from += CHUNK) {
                    int m = Math.min(CHUNK, n - from);
                    for (int k = 0; k < m; k++) {
                        scratch[k] = d[base + offsets[from + k]];
                    }
                    acc = foldDouble(acc, scratch, m);
                }
                out.doubles()[outIndex] = acc;
                return;
            }
            default: {
                long acc = load(start, startIndex);
                long[] scratch = longScratch(n);
                for (int from = 0; from < n; from += CHUNK) {
                    int m = Math.min(CHUNK, n - from);
                    loadLongs(in, base, offsets, from, m, scratch);
                    acc = foldLong(acc, scratch, m);
                }
                store(out, outIndex, acc);
            }
        }
    }

    private float[] floatScratch(int n) {
        int want = Math.min(n, CHUNK);
        if (floatScratch == null || floatScratch.length < want) {
            floatScratch = new float[Math.max(want, 16)];
        }
        return floatScratch;
    }

    private double[] doubleScratch(int n) {
        int want = Math.min(n, CHUNK);
        if (doubleScratch == null || doubleScratch.length < want) {
            doubleScratch = new double[Math.max(want, 16)];
        }
        return doubleScratch;
    }

    private long[] longScratch(int n) {
        int want = Math.min(n, CHUNK);
        if (longScratch == null || longScratch.length < want) {
            longScratch = new long[Math.max(want, 16)];
        }
        return longScratch;
    }

    /** One step: {@code out[outIndex] = reducer(acc[accIndex], x[xIndex])}. */
    void combine(Array acc, int accIndex, Array x, int xIndex, Array out, int outIndex) {
        fold(x, xIndex, ZERO_OFFSET, 1, acc, accIndex, out, outIndex);
    }

    private static final int[] ZERO_OFFSET = {0};

    /** Rounding after each step: 0 none (f32), 1 to bf16, 2 to f16. */
    private float foldFloat(float acc, float[] x, int n, int rounding) {
        switch (kind) {
            case ADD:
                for (int k = 0; k < n; k++) {
                    acc = round(acc + x[k], rounding);
                }
                return acc;
            case MUL:
                for (int k = 0; k < n; k++) {
                    acc = round(acc * x[k], rounding);
                }
                return acc;
            case MAX:
                for (int k = 0; k < n; k++) {
                    acc = swapped ? maxF(x[k], acc) : maxF(acc, x[k]);
                }
                return acc;
            case MIN:
                for (int k = 0; k < n; k++) {
                    acc = swapped ? minF(x[k], acc) : minF(acc, x[k]);
                }
                return acc;
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    private static float round(float v, int rounding) {
        switch (rounding) {
            case 1: return BFloat16.toFloat(BFloat16.fromFloat(v));
            case 2: return Float16.toFloat(Float16.fromFloat(v));
            default: return v;
        }
    }

    /** NaN-propagating, else {@code std::max(a, b)}: {@code a} unless {@code a < b}. */
    static float maxF(float a, float b) {
        if (a != a) {
            return a;
        }
        if (b != b) {
            return b;
        }
        return a < b ? b : a;
    }

    /** NaN-propagating, else {@code std::min(a, b)}: {@code a} unless {@code b < a}. */
    static float minF(float a, float b) {
        if (a != a) {
            return a;
        }
        if (b != b) {
            return b;
        }
        return b < a ? b : a;
    }

    private double foldDouble(double acc, double[] x, int n) {
        switch (kind) {
            case ADD:
                for (int k = 0; k < n; k++) {
                    acc += x[k];
                }
                return acc;
            case MUL:
                for (int k = 0; k < n; k++) {
                    acc *= x[k];
                }
                return acc;
            case MAX:
                for (int k = 0; k < n; k++) {
                    acc = swapped ? maxD(x[k], acc) : maxD(acc, x[k]);
                }
                return acc;
            case MIN:
                for (int k = 0; k < n; k++) {
                    acc = swapped ? minD(x[k], acc) : minD(acc, x[k]);
                }
                return acc;
            default:
                throw new IllegalStateException(kind + " on floats");
        }
    }

    private static double maxD(double a, double b) {
        if (a != a) {
            return a;
        }
        if (b != b) {
            return b;
        }
        return a < b ? b : a;
    }

    private static double minD(double a, double b) {
        if (a != a) {
            return a;
        }
        if (b != b) {
            return b;
        }
        return b < a ? b : a;
    }

    /**
     * Integers are held sign- or zero-extended in a long. Wrap-around of add, multiply and the
     * bitwise operations commutes with truncation, so truncating once at the store equals truncating
     * after every step; max/min never leave the type's range.
     */
    private long foldLong(long acc, long[] x, int n) {
        switch (kind) {
            case ADD:
                for (int k = 0; k < n; k++) {
                    acc += x[k];
                }
                return acc;
            case MUL:
                for (int k = 0; k < n; k++) {
                    acc *= x[k];
                }
                return acc;
            case AND:
                for (int k = 0; k < n; k++) {
                    acc &= x[k];
                }
                return acc;
            case OR:
                for (int k = 0; k < n; k++) {
                    acc |= x[k];
                }
                return acc;
            case XOR:
                for (int k = 0; k < n; k++) {
                    acc ^= x[k];
                }
                return acc;
            case MAX:
                if (type == ElementType.U64) {
                    for (int k = 0; k < n; k++) {
                        long a = swapped ? x[k] : acc;
                        long b = swapped ? acc : x[k];
                        acc = Long.compareUnsigned(a, b) < 0 ? b : a;
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = Math.max(acc, x[k]);
                    }
                }
                return acc;
            case MIN:
                if (type == ElementType.U64) {
                    for (int k = 0; k < n; k++) {
                        long a = swapped ? x[k] : acc;
                        long b = swapped ? acc : x[k];
                        acc = Long.compareUnsigned(b, a) < 0 ? b : a;
                    }
                } else {
                    for (int k = 0; k < n; k++) {
                        acc = Math.min(acc, x[k]);
                    }
                }
                return acc;
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    private void loadLongs(Array in, int base, int[] offsets, int from, int m, long[] out) {
        switch (type) {
            case PRED: {
                byte[] d = in.bytes();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]] != 0 ? 1 : 0;
                }
                return;
            }
            case U8: {
                byte[] d = in.bytes();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]] & 0xFFL;
                }
                return;
            }
            case S8: {
                byte[] d = in.bytes();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]];
                }
                return;
            }
            case U16: {
                short[] d = in.shorts();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]] & 0xFFFFL;
                }
                return;
            }
            case S16: {
                short[] d = in.shorts();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]];
                }
                return;
            }
            case U32: {
                int[] d = in.ints();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]] & 0xFFFFFFFFL;
                }
                return;
            }
            case S32: {
                int[] d = in.ints();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]];
                }
                return;
            }
            default: {
                long[] d = in.longs();
                for (int k = 0; k < m; k++) {
                    out[k] = d[base + offsets[from + k]];
                }
            }
        }
    }

    private long load(Array a, int i) {
        return type == ElementType.PRED ? (a.bytes()[i] != 0 ? 1 : 0) : a.getLong(i);
    }

    private void store(Array out, int i, long v) {
        switch (type) {
            case PRED: out.bytes()[i] = (byte) (v != 0 ? 1 : 0); return;
            case S8: case U8: out.bytes()[i] = (byte) v; return;
            case S16: case U16: out.shorts()[i] = (short) v; return;
            case S32: case U32: out.ints()[i] = (int) v; return;
            default: out.longs()[i] = v;
        }
    }
}
