package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Arrays;
import java.util.List;

/**
 * {@code dot}: XLA's general dot with any number of batch and contracting dimensions. The result's
 * dimensions are the batch dimensions (in the order listed), then the lhs free dimensions, then the rhs
 * free dimensions, each in operand order.
 *
 * <p>Numerics follow {@code HloEvaluator}'s default path (see {@link Accumulation}): operands are
 * converted to the result type, and every output element is one accumulator that starts from zero and
 * adds {@code lhs * rhs} over the contracting index space in row-major order of the listed contracting
 * dimensions (the last listed one fastest), rounding once at the end for bf16/f16. The float and double
 * kernels ({@link GemmKernels}: the vector one or {@link BlockedGemm}) block and vectorize only <em>across</em>
 * output elements — each output keeps its own sequential {@code k}-ascending sum — so the result is
 * bit-identical to the naive loop whatever the kernel, blocking or thread count.
 *
 * <p>Each float step is {@code acc = fma(lhs, rhs, acc)} ({@link Math#fma}), one rounding per step: the
 * evaluator's C++ {@code acc += a * b} is contracted into a fused multiply-add when XLA is built for
 * x86-64 with FMA, and the corpus shows it — the stablehlo {@code dot_general} cases with f32/f64 results
 * from f16/f32 operands match fused sequential sums in every element, unfused ones in only 60–75% (some
 * 2 ULP away, beyond their 1-ULP check). On a CPU without FMA instructions {@code Math.fma} is still exact
 * but slow.
 */
final class DotOps {
    private DotOps() {}

    /** Rows of the output one integer tile covers. */
    private static final int TILE_ROWS = 32;
    /** Output columns one integer tile covers: one row segment stays in L1. */
    private static final int TILE_COLS = 256;

    static void registerAll(OpRegistry r) {
        r.register(DotOps::dot, HloOpcode.DOT);
    }

    /**
     * The shape of a dot once its operands are packed as {@code lhs[b][m][k]} and {@code rhs[b][k][n]}:
     * batch, lhs free, rhs free and contracting element counts, and the permutations that pack them.
     */
    static final class Layout {
        final int batch;
        final int m;
        final int n;
        final int k;
        final int[] lhsPermutation;
        final int[] rhsPermutation;
        final long[] resultDims;

        Layout(long[] lhsDims, long[] rhsDims, DotDimensions d) {
            List<Integer> lb = d.lhsBatch();
            List<Integer> rb = d.rhsBatch();
            List<Integer> lc = d.lhsContracting();
            List<Integer> rc = d.rhsContracting();
            if (lb.size() != rb.size()) {
                throw new IllegalArgumentException("lhs has " + lb.size() + " batch dimensions, rhs " + rb.size());
            }
            if (lc.size() != rc.size()) {
                throw new IllegalArgumentException(
                        "lhs has " + lc.size() + " contracting dimensions, rhs " + rc.size());
            }
            boolean[] lUsed = mark("lhs", lhsDims.length, lb, lc);
            boolean[] rUsed = mark("rhs", rhsDims.length, rb, rc);
            long b = 1;
            long kk = 1;
            for (int i = 0; i < lb.size(); i++) {
                if (lhsDims[lb.get(i)] != rhsDims[rb.get(i)]) {
                    throw new IllegalArgumentException(
                            "batch dimension " + lb.get(i) + " of lhs has size " + lhsDims[lb.get(i)]
                                    + " but batch dimension " + rb.get(i) + " of rhs has size " + rhsDims[rb.get(i)]);
                }
                b *= lhsDims[lb.get(i)];
            }
            for (int i = 0; i < lc.size(); i++) {
                if (lhsDims[lc.get(i)] != rhsDims[rc.get(i)]) {
                    throw new IllegalArgumentException("contracting dimension " + lc.get(i) + " of lhs has size "
                            + lhsDims[lc.get(i)] + " but contracting dimension " + rc.get(i) + " of rhs has size "
                            + rhsDims[rc.get(i)]);
                }
                kk *= lhsDims[lc.get(i)];
            }
            int lFree = lhsDims.length - lb.size() - lc.size();
            int rFree = rhsDims.length - rb.size() - rc.size();
            resultDims = new long[lb.size() + lFree + rFree];
            lhsPermutation = new int[lhsDims.length];
            rhsPermutation = new int[rhsDims.length];
            int r = 0;
            int lp = 0;
            int rp = 0;
            for (int i = 0; i < lb.size(); i++) {
                resultDims[r++] = lhsDims[lb.get(i)];
                lhsPermutation[lp++] = lb.get(i);
                rhsPermutation[rp++] = rb.get(i);
            }
            long mm = 1;
            for (int i = 0; i < lhsDims.length; i++) {
                if (!lUsed[i]) {
                    resultDims[r++] = lhsDims[i];
                    lhsPermutation[lp++] = i;
                    mm *= lhsDims[i];
                }
            }
            for (int i = 0; i < rc.size(); i++) {
                lhsPermutation[lp++] = lc.get(i);
                rhsPermutation[rp++] = rc.get(i);
            }
            long nn = 1;
            for (int i = 0; i < rhsDims.length; i++) {
                if (!rUsed[i]) {
                    resultDims[r++] = rhsDims[i];
                    rhsPermutation[rp++] = i;
                    nn *= rhsDims[i];
                }
            }
            // Operands are Arrays, so b*m*k and b*k*n already fit; the result must fit as well.
            if (b * mm * nn > Array.MAX_ELEMENTS) {
                throw new IllegalArgumentException("the result " + Arrays.toString(resultDims) + " is too large");
            }
            batch = (int) b;
            m = (int) mm;
            n = (int) nn;
            k = (int) kk;
        }

        private static boolean[] mark(String side, int rank, List<Integer> batchDims, List<Integer> contracting) {
            boolean[] used = new boolean[rank];
            for (List<Integer> list : List.of(batchDims, contracting)) {
                for (int d : list) {
                    if (d < 0 || d >= rank) {
                        throw new IllegalArgumentException(
                                side + " dimension " + d + " is out of range for rank " + rank);
                    }
                    if (used[d]) {
                        throw new IllegalArgumentException(side + " dimension " + d + " is listed twice");
                    }
                    used[d] = true;
                }
            }
            return used;
        }
    }

    private static Value dot(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() != 2) {
            throw new IllegalArgumentException("dot takes 2 operands, got " + ops.size());
        }
        Array lhs = ops.get(0).asArray();
        Array rhs = ops.get(1).asArray();
        DotDimensions dn =
                ins.dotDimensions().orElseThrow(() -> new IllegalArgumentException("dot has no dimension numbers"));
        HloShape shape = ins.shape();
        if (!shape.isArray()) {
            throw new IllegalArgumentException("dot must produce an array, not " + shape);
        }
        Layout p = new Layout(lhs.dims(), rhs.dims(), dn);
        if (!Arrays.equals(p.resultDims, shape.dims())) {
            throw new IllegalArgumentException("dot of " + lhs + " and " + rhs + " gives dimensions "
                    + Arrays.toString(p.resultDims) + ", but the instruction's shape is " + shape);
        }
        ElementType type = shape.elementType();
        long[] dims = p.resultDims;
        int[] lIdx = Packing.gatherIndex(lhs.dims(), p.lhsPermutation);
        int[] rIdx = Packing.gatherIndex(rhs.dims(), p.rhsPermutation);
        switch (Accumulation.kind(type)) {
            case FLOAT: {
                float[] c = new float[p.batch * p.m * p.n];
                GemmKernels.active()
                        .gemm(
                                Packing.gather(Accumulation.toFloats(lhs, type), lIdx),
                                Packing.gather(Accumulation.toFloats(rhs, type), rIdx),
                                c,
                                p.batch,
                                p.m,
                                p.n,
                                p.k,
                                ctx);
                return Accumulation.fromFloats(c, type, dims);
            }
            case DOUBLE: {
                double[] c = new double[p.batch * p.m * p.n];
                GemmKernels.active()
                        .gemm(
                                Packing.gather(Accumulation.toDoubles(lhs), lIdx),
                                Packing.gather(Accumulation.toDoubles(rhs), rIdx),
                                c,
                                p.batch,
                                p.m,
                                p.n,
                                p.k,
                                ctx);
                return Array.wrap(type, dims, c);
            }
            case LONG: {
                long[] c = new long[p.batch * p.m * p.n];
                gemm(
                        Packing.gather(Accumulation.toLongs(lhs, type), lIdx),
                        Packing.gather(Accumulation.toLongs(rhs, type), rIdx),
                        c,
                        p,
                        ctx);
                return Accumulation.fromLongs(c, type, dims);
            }
            case COMPLEX_FLOAT: {
                float[] c = new float[2 * p.batch * p.m * p.n];
                complexGemm(
                        Packing.gatherPairs(Accumulation.toComplexFloats(lhs), lIdx),
                        Packing.gatherPairs(Accumulation.toComplexFloats(rhs), rIdx),
                        c,
                        p,
                        ctx);
                return Array.wrap(type, dims, c);
            }
            default: {
                double[] c = new double[2 * p.batch * p.m * p.n];
                complexGemm(
                        Packing.gatherPairs(Accumulation.toComplexDoubles(lhs), lIdx),
                        Packing.gatherPairs(Accumulation.toComplexDoubles(rhs), rIdx),
                        c,
                        p,
                        ctx);
                return Array.wrap(type, dims, c);
            }
        }
    }

    private static int tiles(Layout p) {
        return ceilDiv(p.batch * p.m, TILE_ROWS) * ceilDiv(p.n, TILE_COLS);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Integer dot: wrap-around sums in 64 bits, truncated by the caller. The order of integer sums does not
     * change the result, so this stays a plain tiled loop rather than {@link BlockedGemm}'s kernel.
     */
    static void gemm(long[] l, long[] r, long[] c, Layout p, EvaluationContext ctx) {
        final int rows = p.batch * p.m;
        final int m = p.m;
        final int n = p.n;
        final int k = p.k;
        final int colTiles = ceilDiv(n, TILE_COLS);
        ParallelTiles.run(ctx, tiles(p), (long) rows * n * k, t -> {
            int r0 = (t / colTiles) * TILE_ROWS;
            int r1 = Math.min(rows, r0 + TILE_ROWS);
            int n0 = (t % colTiles) * TILE_COLS;
            int n1 = Math.min(n, n0 + TILE_COLS);
            for (int row = r0; row < r1; row++) {
                int lOff = row * k;
                int cOff = row * n;
                int rBase = (row / m) * k * n;
                for (int kk = 0; kk < k; kk++) {
                    long a = l[lOff + kk];
                    int o = rBase + kk * n;
                    for (int j = n0; j < n1; j++) {
                        c[cOff + j] += a * r[o + j];
                    }
                }
            }
        });
    }

    /**
     * Complex dot: per output element, {@code acc += l * r} in ascending {@code k} with the textbook complex
     * product {@code (ac - bd, ad + bc)}, each part rounded in the component type.
     */
    static void complexGemm(float[] l, float[] r, float[] c, Layout p, EvaluationContext ctx) {
        final int rows = p.batch * p.m;
        final int m = p.m;
        final int n = p.n;
        final int k = p.k;
        ParallelTiles.run(ctx, rows, (long) rows * n * k * 4, row -> {
            int rBase = (row / m) * k * n;
            for (int j = 0; j < n; j++) {
                float re = 0f;
                float im = 0f;
                for (int kk = 0; kk < k; kk++) {
                    int li = 2 * (row * k + kk);
                    int ri = 2 * (rBase + kk * n + j);
                    float a = l[li];
                    float b = l[li + 1];
                    float x = r[ri];
                    float y = r[ri + 1];
                    re += a * x - b * y;
                    im += a * y + b * x;
                }
                c[2 * (row * n + j)] = re;
                c[2 * (row * n + j) + 1] = im;
            }
        });
    }

    /** The c128 twin of {@link #complexGemm(float[], float[], float[], Layout, EvaluationContext)}. */
    static void complexGemm(double[] l, double[] r, double[] c, Layout p, EvaluationContext ctx) {
        final int rows = p.batch * p.m;
        final int m = p.m;
        final int n = p.n;
        final int k = p.k;
        ParallelTiles.run(ctx, rows, (long) rows * n * k * 4, row -> {
            int rBase = (row / m) * k * n;
            for (int j = 0; j < n; j++) {
                double re = 0;
                double im = 0;
                for (int kk = 0; kk < k; kk++) {
                    int li = 2 * (row * k + kk);
                    int ri = 2 * (rBase + kk * n + j);
                    double a = l[li];
                    double b = l[li + 1];
                    double x = r[ri];
                    double y = r[ri + 1];
                    re += a * x - b * y;
                    im += a * y + b * x;
                }
                c[2 * (row * n + j)] = re;
                c[2 * (row * n + j) + 1] = im;
            }
        });
    }
}
