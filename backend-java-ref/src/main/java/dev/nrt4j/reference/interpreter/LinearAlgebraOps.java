package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.TriangularSolveOptions;
import java.util.Arrays;
import java.util.List;

/**
 * {@code triangular-solve} and {@code cholesky} over batches of matrices (the last two dimensions).
 *
 * <p>XLA's {@code HloEvaluator} does not implement these (the interpreter backend rewrites them into
 * loops of other ops first, and XLA on CPU into blocked algorithms), so there is no evaluator order to
 * copy. Here both are the textbook algorithms — substitution and Cholesky–Banachiewicz — computed in
 * double precision (complex types as double pairs) and rounded once to the result type, which keeps the
 * results within rounding of the exact answer for well-conditioned inputs. Sums run in ascending index
 * order. Real f32/bf16/f16 inputs are therefore slightly <em>more</em> accurate than XLA-on-CPU, whose f32
 * blocked solve can differ from them by a few ULPs.
 */
final class LinearAlgebraOps {
    private LinearAlgebraOps() {}

    static void registerAll(OpRegistry r) {
        r.register(LinearAlgebraOps::triangularSolve, HloOpcode.TRIANGULAR_SOLVE);
        r.register(LinearAlgebraOps::cholesky, HloOpcode.CHOLESKY);
    }

    private static void checkFloating(ElementType t) {
        if (!(t == ElementType.F32
                || t == ElementType.F64
                || t == ElementType.BF16
                || t == ElementType.F16
                || t == ElementType.C64
                || t == ElementType.C128)) {
            throw new IllegalArgumentException(
                    "element type " + t.textName() + " is not a floating-point or complex type");
        }
    }

    /** The result as an array of its type: complex as is, real from the real parts, rounded once. */
    private static Array toResult(double[] z, HloShape shape) {
        ElementType t = shape.elementType();
        int n = z.length / 2;
        switch (t) {
            case C128:
                return Array.wrap(t, shape.dims(), z);
            case C64: {
                float[] f = new float[2 * n];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) z[i];
                }
                return Array.wrap(t, shape.dims(), f);
            }
            case F64: {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = z[2 * i];
                }
                return Array.wrap(t, shape.dims(), d);
            }
            default: {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) z[2 * i];
                }
                return Accumulation.fromFloats(f, t, shape.dims());
            }
        }
    }

    private static Value triangularSolve(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 2) {
            throw new IllegalArgumentException("triangular-solve takes 2 operands, got " + ops.size());
        }
        Array a = ops.get(0).asArray();
        Array b = ops.get(1).asArray();
        TriangularSolveOptions o =
                ins.triangularSolveOptions().orElse(new TriangularSolveOptions(false, false, false, "NO_TRANSPOSE"));
        HloShape shape = ins.shape();
        checkFloating(a.type());
        checkFloating(b.type());
        if (a.type() != b.type() || shape.elementType() != b.type() || !Arrays.equals(shape.dims(), b.dims())) {
            throw new IllegalArgumentException("triangular-solve needs a and b of one type and a result shaped like b");
        }
        int rank = a.rank();
        if (rank < 2 || b.rank() != rank || a.dim(rank - 1) != a.dim(rank - 2)) {
            throw new IllegalArgumentException(
                    "a must be a batch of square matrices and b of the same rank, got " + a + " and " + b);
        }
        for (int i = 0; i < rank - 2; i++) {
            if (a.dim(i) != b.dim(i)) {
                throw new IllegalArgumentException("batch dimensions of a " + a + " and b " + b + " differ");
            }
        }
        int m = (int) a.dim(rank - 1);
        boolean left = o.leftSide();
        if ((left ? b.dim(rank - 2) : b.dim(rank - 1)) != m) {
            throw new IllegalArgumentException(
                    "b " + b + " does not fit a " + a + " on the " + (left ? "left" : "right"));
        }
        String transpose = o.transposeA() == null ? "NO_TRANSPOSE" : o.transposeA();
        boolean transposed;
        boolean conjugate;
        switch (transpose) {
            case "NO_TRANSPOSE":
                transposed = false;
                conjugate = false;
                break;
            case "TRANSPOSE":
                transposed = true;
                conjugate = false;
                break;
            case "ADJOINT":
                transposed = true;
                conjugate = true;
                break;
            default:
                throw new IllegalArgumentException(
                        "transpose_a " + transpose + " is not NO_TRANSPOSE, TRANSPOSE or ADJOINT");
        }
        // op(a) is lower triangular when a's lower triangle is used and not transposed, or the upper one transposed.
        boolean lower = o.lower() != transposed;
        boolean unit = o.unitDiagonal();
        int rows = (int) b.dim(rank - 2);
        int cols = (int) b.dim(rank - 1);
        int batches = m == 0 ? 0 : a.size() / (m * m);
        double[] az = Accumulation.toComplexDoubles(a);
        double[] x = Accumulation.toComplexDoubles(b);
        ParallelTiles.run(ctx, batches, (long) batches * m * m * (left ? cols : rows), batch -> {
            int aBase = batch * m * m;
            int xBase = batch * rows * cols;
            // T(i,j) of op(a), read from the triangle a actually supplies.
            double[] t = new double[2 * m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    int src = transposed ? aBase + j * m + i : aBase + i * m + j;
                    t[2 * (i * m + j)] = az[2 * src];
                    t[2 * (i * m + j) + 1] = conjugate ? -az[2 * src + 1] : az[2 * src + 1];
                }
            }
            int lines = left ? cols : rows;
            for (int line = 0; line < lines; line++) {
                // Element k of the line being solved: x[k][line] (left) or x[line][k] (right).
                int start = left ? xBase + line : xBase + line * cols;
                int step = left ? cols : 1;
                // Left, T lower, or right, T upper: unknowns in ascending order; otherwise descending.
                boolean ascending = left == lower;
                for (int s = 0; s < m; s++) {
                    int i = ascending ? s : m - 1 - s;
                    double re = x[2 * (start + i * step)];
                    double im = x[2 * (start + i * step) + 1];
                    int jFrom = ascending ? 0 : i + 1;
                    int jTo = ascending ? i : m;
                    for (int j = jFrom; j < jTo; j++) {
                        // left: T(i,j) x_j; right: x_j T(j,i)
                        int ti = 2 * (left ? i * m + j : j * m + i);
                        double tr = t[ti];
                        double tim = t[ti + 1];
                        double xr = x[2 * (start + j * step)];
                        double xi = x[2 * (start + j * step) + 1];
                        re -= tr * xr - tim * xi;
                        im -= tr * xi + tim * xr;
                    }
                    if (!unit) {
                        double dr = t[2 * (i * m + i)];
                        double di = t[2 * (i * m + i) + 1];
                        if (di == 0) {
                            re /= dr;
                            im /= dr;
                        } else {
                            double den = dr * dr + di * di;
                            double nr = (re * dr + im * di) / den;
                            im = (im * dr - re * di) / den;
                            re = nr;
                        }
                    }
                    x[2 * (start + i * step)] = re;
                    x[2 * (start + i * step) + 1] = im;
                }
            }
        });
        return toResult(x, shape);
    }

    private static Value cholesky(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 1) {
            throw new IllegalArgumentException("cholesky takes 1 operand, got " + ops.size());
        }
        Array a = ops.get(0).asArray();
        checkFloating(a.type());
        HloShape shape = ins.shape();
        int rank = a.rank();
        if (rank < 2
                || a.dim(rank - 1) != a.dim(rank - 2)
                || shape.elementType() != a.type()
                || !Arrays.equals(shape.dims(), a.dims())) {
            throw new IllegalArgumentException(
                    "cholesky needs a batch of square matrices and a result of the same shape, got " + a + " -> "
                            + shape);
        }
        boolean lower = ins.choleskyLower().orElse(false);
        int n = (int) a.dim(rank - 1);
        int batches = n == 0 ? 0 : a.size() / (n * n);
        double[] az = Accumulation.toComplexDoubles(a);
        double[] out = new double[az.length];
        ParallelTiles.run(ctx, batches, (long) batches * n * n * n, batch -> {
            int base = batch * n * n;
            // L[i][j] (i >= j) with a = L L^H; for an upper factor, L = U^H is built from a's upper triangle
            // (a[i][j] = conj(a[j][i])) and written back conjugate-transposed.
            double[] l = new double[2 * n * n];
            for (int j = 0; j < n; j++) {
                for (int i = j; i < n; i++) {
                    int src = lower ? base + i * n + j : base + j * n + i;
                    double re = az[2 * src];
                    double im = lower ? az[2 * src + 1] : -az[2 * src + 1];
                    for (int k = 0; k < j; k++) {
                        // L[i][k] * conj(L[j][k])
                        double pr = l[2 * (i * n + k)];
                        double pi = l[2 * (i * n + k) + 1];
                        double qr = l[2 * (j * n + k)];
                        double qi = -l[2 * (j * n + k) + 1];
                        re -= pr * qr - pi * qi;
                        im -= pr * qi + pi * qr;
                    }
                    if (i == j) {
                        // The diagonal of a Hermitian matrix is real; a non-positive pivot gives NaN, as XLA does.
                        l[2 * (j * n + j)] = Math.sqrt(re);
                    } else {
                        double d = l[2 * (j * n + j)];
                        l[2 * (i * n + j)] = re / d;
                        l[2 * (i * n + j) + 1] = im / d;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    int dst = lower ? base + i * n + j : base + j * n + i;
                    out[2 * dst] = l[2 * (i * n + j)];
                    out[2 * dst + 1] = lower ? l[2 * (i * n + j) + 1] : -l[2 * (i * n + j) + 1];
                }
            }
        });
        return toResult(out, shape);
    }
}
