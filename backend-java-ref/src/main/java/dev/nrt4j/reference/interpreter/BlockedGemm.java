package dev.nrt4j.reference.interpreter;

/**
 * The dot kernel for float and double accumulators: {@code c[b][m][n] += l[b][m][k] * r[b][k][n]} with every
 * output element summed on its own, {@code k} ascending, one {@link Math#fma} per step — the numerics of
 * {@link DotOps} — but arranged so HotSpot's C2 turns the work into vector fused multiply-adds.
 *
 * <p>Vectorization runs <em>across</em> output columns, never along {@code k}, so no sum is reassociated. C2's
 * auto-vectorizer gives up on a loop when a store to one array might feed a later load from another array at
 * a different offset (it cannot rule out that they are the same array), which is why the obvious loop over a
 * flat output row and a flat rhs row stays scalar. Here every array in the inner loops is indexed by the loop
 * variable alone: the rhs block is copied into a panel of separate rows ({@code panel[p]} is row {@code kb + p}
 * of the rhs, restricted to the tile's columns), and four output rows are accumulated in four separate scratch
 * rows, copied in from and back to the output around each panel, so partial sums still live in the output
 * between panels.
 *
 * <p>One pass of the inner loop does four output rows times four {@code k} steps: sixteen fused multiply-adds
 * for eight loads and four stores, with the sixteen lhs values held in registers. Wider blocks (eight steps, or
 * the same loop inlined into its caller) were measured to fall back to scalar code on some JDKs, so the
 * kernels are small methods of their own. Rows and steps that do not fill a block use narrower kernels in the
 * same order.
 */
final class BlockedGemm {
    private BlockedGemm() {}

    /** Output columns per tile: with four scratch rows this stays in L1. */
    static final int PANEL_COLS = 256;
    /** {@code k} steps per panel: a {@code PANEL_K x PANEL_COLS} panel stays in L2. */
    static final int PANEL_K = 256;
    /** Rows per tile when there is enough work to keep every thread busy; the panel copy is shared by them. */
    private static final int MAX_BLOCK_ROWS = 64;

    /** How a dot's output is cut into tiles of rows and columns, per batch. */
    static final class Tiling {
        final int blockRows;
        final int rowBlocks;
        final int colBlocks;
        final int count;

        Tiling(int batch, int m, int n, EvaluationContext ctx) {
            int cols = ceilDiv(Math.max(n, 1), PANEL_COLS);
            // Fewer rows per tile when the problem has few tiles, so every thread gets some (in multiples of 4).
            int wanted = 4 * ctx.parallelism();
            int perBatchCol = ceilDiv(wanted, Math.max(1, batch * cols));
            int rowsPerTile =
                    Math.max(4, Math.min(MAX_BLOCK_ROWS, ceilDiv(ceilDiv(Math.max(m, 1), perBatchCol), 4) * 4));
            blockRows = rowsPerTile;
            rowBlocks = ceilDiv(Math.max(m, 1), rowsPerTile);
            colBlocks = cols;
            count = m == 0 || n == 0 ? 0 : batch * rowBlocks * colBlocks;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Four outputs rows times four steps of {@code k}: each output takes its four steps in order. */
    private static void step4x4(
            float[] c0,
            float[] c1,
            float[] c2,
            float[] c3,
            float[] b0,
            float[] b1,
            float[] b2,
            float[] b3,
            float a00,
            float a01,
            float a02,
            float a03,
            float a10,
            float a11,
            float a12,
            float a13,
            float a20,
            float a21,
            float a22,
            float a23,
            float a30,
            float a31,
            float a32,
            float a33,
            int cols) {
        for (int j = 0; j < cols; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            float x2 = b2[j];
            float x3 = b3[j];
            c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
            c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
            c2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j]))));
            c3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j]))));
        }
    }

    private static void step4x1(
            float[] c0,
            float[] c1,
            float[] c2,
            float[] c3,
            float[] b0,
            float a0,
            float a1,
            float a2,
            float a3,
            int cols) {
        for (int j = 0; j < cols; j++) {
            float x0 = b0[j];
            c0[j] = Math.fma(a0, x0, c0[j]);
            c1[j] = Math.fma(a1, x0, c1[j]);
            c2[j] = Math.fma(a2, x0, c2[j]);
            c3[j] = Math.fma(a3, x0, c3[j]);
        }
    }

    static void step1x4(
            float[] c0,
            float[] b0,
            float[] b1,
            float[] b2,
            float[] b3,
            float a0,
            float a1,
            float a2,
            float a3,
            int cols) {
        for (int j = 0; j < cols; j++) {
            c0[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c0[j]))));
        }
    }

    static void step1x1(float[] c0, float[] b0, float a0, int cols) {
        for (int j = 0; j < cols; j++) {
            c0[j] = Math.fma(a0, b0[j], c0[j]);
        }
    }

    /** One tile: rows {@code [r0, r1)} of batch {@code b}, columns {@code [n0, n0 + cols)}, all of {@code k}. */
    private static void tile(
            float[] l, float[] r, float[] c, int m, int n, int k, int b, int r0, int r1, int n0, int cols) {
        float[][] panel = new float[Math.min(PANEL_K, k)][cols];
        float[] c0 = new float[cols];
        float[] c1 = new float[cols];
        float[] c2 = new float[cols];
        float[] c3 = new float[cols];
        int rBase = b * k * n + n0;
        for (int kb = 0; kb < k; kb += PANEL_K) {
            int kc = Math.min(PANEL_K, k - kb);
            for (int p = 0; p < kc; p++) {
                System.arraycopy(r, rBase + (kb + p) * n, panel[p], 0, cols);
            }
            int row = r0;
            for (; row + 4 <= r1; row += 4) {
                int l0 = (b * m + row) * k + kb;
                int l1 = l0 + k;
                int l2 = l1 + k;
                int l3 = l2 + k;
                int o0 = (b * m + row) * n + n0;
                System.arraycopy(c, o0, c0, 0, cols);
                System.arraycopy(c, o0 + n, c1, 0, cols);
                System.arraycopy(c, o0 + 2 * n, c2, 0, cols);
                System.arraycopy(c, o0 + 3 * n, c3, 0, cols);
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    step4x4(
                            c0,
                            c1,
                            c2,
                            c3,
                            panel[p],
                            panel[p + 1],
                            panel[p + 2],
                            panel[p + 3],
                            l[l0 + p],
                            l[l0 + p + 1],
                            l[l0 + p + 2],
                            l[l0 + p + 3],
                            l[l1 + p],
                            l[l1 + p + 1],
                            l[l1 + p + 2],
                            l[l1 + p + 3],
                            l[l2 + p],
                            l[l2 + p + 1],
                            l[l2 + p + 2],
                            l[l2 + p + 3],
                            l[l3 + p],
                            l[l3 + p + 1],
                            l[l3 + p + 2],
                            l[l3 + p + 3],
                            cols);
                }
                for (; p < kc; p++) {
                    step4x1(c0, c1, c2, c3, panel[p], l[l0 + p], l[l1 + p], l[l2 + p], l[l3 + p], cols);
                }
                System.arraycopy(c0, 0, c, o0, cols);
                System.arraycopy(c1, 0, c, o0 + n, cols);
                System.arraycopy(c2, 0, c, o0 + 2 * n, cols);
                System.arraycopy(c3, 0, c, o0 + 3 * n, cols);
            }
            for (; row < r1; row++) {
                int l0 = (b * m + row) * k + kb;
                int o0 = (b * m + row) * n + n0;
                System.arraycopy(c, o0, c0, 0, cols);
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    step1x4(
                            c0,
                            panel[p],
                            panel[p + 1],
                            panel[p + 2],
                            panel[p + 3],
                            l[l0 + p],
                            l[l0 + p + 1],
                            l[l0 + p + 2],
                            l[l0 + p + 3],
                            cols);
                }
                for (; p < kc; p++) {
                    step1x1(c0, panel[p], l[l0 + p], cols);
                }
                System.arraycopy(c0, 0, c, o0, cols);
            }
        }
    }

    /**
     * {@code c[b][m][n] += sum_k l[b][m][k] * r[b][k][n]}, per output element in ascending {@code k}, each step a
     * fused multiply-add.
     */
    static void gemm(float[] l, float[] r, float[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
        Tiling t = new Tiling(batch, m, n, ctx);
        ParallelTiles.run(ctx, t.count, (long) batch * m * n * k, i -> {
            int rb = i % t.rowBlocks;
            int cb = (i / t.rowBlocks) % t.colBlocks;
            int b = i / (t.rowBlocks * t.colBlocks);
            int r0 = rb * t.blockRows;
            int n0 = cb * PANEL_COLS;
            tile(l, r, c, m, n, k, b, r0, Math.min(m, r0 + t.blockRows), n0, Math.min(PANEL_COLS, n - n0));
        });
    }

    // The f64 twins of the kernels above.

    private static void step4x4(
            double[] c0,
            double[] c1,
            double[] c2,
            double[] c3,
            double[] b0,
            double[] b1,
            double[] b2,
            double[] b3,
            double a00,
            double a01,
            double a02,
            double a03,
            double a10,
            double a11,
            double a12,
            double a13,
            double a20,
            double a21,
            double a22,
            double a23,
            double a30,
            double a31,
            double a32,
            double a33,
            int cols) {
        for (int j = 0; j < cols; j++) {
            double x0 = b0[j];
            double x1 = b1[j];
            double x2 = b2[j];
            double x3 = b3[j];
            c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
            c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
            c2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j]))));
            c3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j]))));
        }
    }

    private static void step4x1(
            double[] c0,
            double[] c1,
            double[] c2,
            double[] c3,
            double[] b0,
            double a0,
            double a1,
            double a2,
            double a3,
            int cols) {
        for (int j = 0; j < cols; j++) {
            double x0 = b0[j];
            c0[j] = Math.fma(a0, x0, c0[j]);
            c1[j] = Math.fma(a1, x0, c1[j]);
            c2[j] = Math.fma(a2, x0, c2[j]);
            c3[j] = Math.fma(a3, x0, c3[j]);
        }
    }

    static void step1x4(
            double[] c0,
            double[] b0,
            double[] b1,
            double[] b2,
            double[] b3,
            double a0,
            double a1,
            double a2,
            double a3,
            int cols) {
        for (int j = 0; j < cols; j++) {
            c0[j] = Math.fma(a3, b3[j], Math.fma(a2, b2[j], Math.fma(a1, b1[j], Math.fma(a0, b0[j], c0[j]))));
        }
    }

    static void step1x1(double[] c0, double[] b0, double a0, int cols) {
        for (int j = 0; j < cols; j++) {
            c0[j] = Math.fma(a0, b0[j], c0[j]);
        }
    }

    private static void tile(
            double[] l, double[] r, double[] c, int m, int n, int k, int b, int r0, int r1, int n0, int cols) {
        double[][] panel = new double[Math.min(PANEL_K, k)][cols];
        double[] c0 = new double[cols];
        double[] c1 = new double[cols];
        double[] c2 = new double[cols];
        double[] c3 = new double[cols];
        int rBase = b * k * n + n0;
        for (int kb = 0; kb < k; kb += PANEL_K) {
            int kc = Math.min(PANEL_K, k - kb);
            for (int p = 0; p < kc; p++) {
                System.arraycopy(r, rBase + (kb + p) * n, panel[p], 0, cols);
            }
            int row = r0;
            for (; row + 4 <= r1; row += 4) {
                int l0 = (b * m + row) * k + kb;
                int l1 = l0 + k;
                int l2 = l1 + k;
                int l3 = l2 + k;
                int o0 = (b * m + row) * n + n0;
                System.arraycopy(c, o0, c0, 0, cols);
                System.arraycopy(c, o0 + n, c1, 0, cols);
                System.arraycopy(c, o0 + 2 * n, c2, 0, cols);
                System.arraycopy(c, o0 + 3 * n, c3, 0, cols);
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    step4x4(
                            c0,
                            c1,
                            c2,
                            c3,
                            panel[p],
                            panel[p + 1],
                            panel[p + 2],
                            panel[p + 3],
                            l[l0 + p],
                            l[l0 + p + 1],
                            l[l0 + p + 2],
                            l[l0 + p + 3],
                            l[l1 + p],
                            l[l1 + p + 1],
                            l[l1 + p + 2],
                            l[l1 + p + 3],
                            l[l2 + p],
                            l[l2 + p + 1],
                            l[l2 + p + 2],
                            l[l2 + p + 3],
                            l[l3 + p],
                            l[l3 + p + 1],
                            l[l3 + p + 2],
                            l[l3 + p + 3],
                            cols);
                }
                for (; p < kc; p++) {
                    step4x1(c0, c1, c2, c3, panel[p], l[l0 + p], l[l1 + p], l[l2 + p], l[l3 + p], cols);
                }
                System.arraycopy(c0, 0, c, o0, cols);
                System.arraycopy(c1, 0, c, o0 + n, cols);
                System.arraycopy(c2, 0, c, o0 + 2 * n, cols);
                System.arraycopy(c3, 0, c, o0 + 3 * n, cols);
            }
            for (; row < r1; row++) {
                int l0 = (b * m + row) * k + kb;
                int o0 = (b * m + row) * n + n0;
                System.arraycopy(c, o0, c0, 0, cols);
                int p = 0;
                for (; p + 4 <= kc; p += 4) {
                    step1x4(
                            c0,
                            panel[p],
                            panel[p + 1],
                            panel[p + 2],
                            panel[p + 3],
                            l[l0 + p],
                            l[l0 + p + 1],
                            l[l0 + p + 2],
                            l[l0 + p + 3],
                            cols);
                }
                for (; p < kc; p++) {
                    step1x1(c0, panel[p], l[l0 + p], cols);
                }
                System.arraycopy(c0, 0, c, o0, cols);
            }
        }
    }

    static void gemm(double[] l, double[] r, double[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
        Tiling t = new Tiling(batch, m, n, ctx);
        ParallelTiles.run(ctx, t.count, (long) batch * m * n * k, i -> {
            int rb = i % t.rowBlocks;
            int cb = (i / t.rowBlocks) % t.colBlocks;
            int b = i / (t.rowBlocks * t.colBlocks);
            int r0 = rb * t.blockRows;
            int n0 = cb * PANEL_COLS;
            tile(l, r, c, m, n, k, b, r0, Math.min(m, r0 + t.blockRows), n0, Math.min(PANEL_COLS, n - n0));
        });
    }
}
