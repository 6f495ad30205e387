package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.VectorGemm.DNR;
import static dev.nrt4j.reference.interpreter.VectorGemm.FNR;
import static dev.nrt4j.reference.interpreter.VectorGemm.KC;
import static dev.nrt4j.reference.interpreter.VectorGemm.MR;

/**
 * {@link GatheredGemm} on {@link VectorGemm}'s blocks and register tile, so each output element gets the same
 * fused multiply-adds in the same order as there: one chain per output lane, steps ascending.
 *
 * <p>What differs from the dot is where the panels come from. Both sides are packed per block and per piece of
 * {@link VectorGemm#KC} steps: the lhs rows are gathered from their scattered offsets into row panels
 * ({@code [kc][MR]}, the im2col of just this block's rows and steps, so a convolution never builds the whole
 * im2col matrix), the rhs rows into column panels. The block's results collect in a scratch of whole tiles,
 * starting from {@code +0.0}, whose rows and columns past the real ones only take lanes that are never stored;
 * after the last piece the real ones are scattered to the output.
 */
final class VectorGatheredGemm implements GatheredGemm {
    static final VectorGatheredGemm INSTANCE = new VectorGatheredGemm();

    private VectorGatheredGemm() {}

    @Override
    public void run(float[] l, float[] r, float[] out, Job job, EvaluationContext ctx) {
        int m = job.rows();
        int n = job.columns();
        int k = job.depth();
        if (m == 0 || n == 0) {
            return;
        }
        VectorGemm.Blocks t = new VectorGemm.Blocks(1, m, n, FNR, ctx);
        int kcMax = Math.max(1, Math.min(KC, k));
        int ldc = t.colPanelsPerBlock * FNR;
        VectorGemm.forEachTile(ctx, t, 1, m, n, k, () -> new VectorGemm.BlockRun() {
            private final float[] pa = new float[t.rowPanelsPerBlock * kcMax * MR];
            private final float[] pb = new float[t.colPanelsPerBlock * kcMax * FNR];
            private final float[] c = new float[t.rowPanelsPerBlock * MR * ldc];
            private int ip0;
            private int ip1;
            private int jp0;
            private int jp1;

            @Override
            public void begin(int b, int ip0, int ip1, int jp0, int jp1) {
                this.ip0 = ip0;
                this.ip1 = ip1;
                this.jp0 = jp0;
                this.jp1 = jp1;
            }

            @Override
            public void pack(int kb, int kc) {
                int[] steps = job.steps();
                for (int i = ip0 * MR, e = Math.min(m, ip1 * MR); i < e; i++) {
                    int in = job.lhsBase() + job.lhsRows()[i];
                    int o = (i / MR - ip0) * kc * MR + i % MR;
                    for (int p = 0; p < kc; p++) {
                        pa[o + p * MR] = l[in + steps[kb + p]];
                    }
                }
                for (int p = 0; p < kc; p++) {
                    VectorGemm.packRow(r, job.rhsBase() + job.rhsRows()[kb + p], n, pb, jp0, jp1, p, kc);
                }
            }

            @Override
            public void tile(int ip, int jp, int kb, int kc) {
                VectorGemm.tile(
                        pa,
                        (ip - ip0) * kc * MR,
                        pb,
                        (jp - jp0) * kc * FNR,
                        kc,
                        c,
                        (ip - ip0) * MR * ldc + (jp - jp0) * FNR,
                        ldc);
            }

            @Override
            public void end() {
                int col0 = jp0 * FNR;
                int cols = Math.min(n, jp1 * FNR) - col0;
                int stride = job.outStride();
                for (int i = ip0 * MR, e = Math.min(m, ip1 * MR); i < e; i++) {
                    int o = job.outBase() + job.outRows()[i] + col0 * stride;
                    int from = (i - ip0 * MR) * ldc;
                    for (int j = 0; j < cols; j++) {
                        out[o + j * stride] = c[from + j];
                    }
                }
            }
        });
    }

    // The f64 twin of the product above.

    @Override
    public void run(double[] l, double[] r, double[] out, Job job, EvaluationContext ctx) {
        int m = job.rows();
        int n = job.columns();
        int k = job.depth();
        if (m == 0 || n == 0) {
            return;
        }
        VectorGemm.Blocks t = new VectorGemm.Blocks(1, m, n, DNR, ctx);
        int kcMax = Math.max(1, Math.min(KC, k));
        int ldc = t.colPanelsPerBlock * DNR;
        VectorGemm.forEachTile(ctx, t, 1, m, n, k, () -> new VectorGemm.BlockRun() {
            private final double[] pa = new double[t.rowPanelsPerBlock * kcMax * MR];
            private final double[] pb = new double[t.colPanelsPerBlock * kcMax * DNR];
            private final double[] c = new double[t.rowPanelsPerBlock * MR * ldc];
            private int ip0;
            private int ip1;
            private int jp0;
            private int jp1;

            @Override
            public void begin(int b, int ip0, int ip1, int jp0, int jp1) {
                this.ip0 = ip0;
                this.ip1 = ip1;
                this.jp0 = jp0;
                this.jp1 = jp1;
            }

            @Override
            public void pack(int kb, int kc) {
                int[] steps = job.steps();
                for (int i = ip0 * MR, e = Math.min(m, ip1 * MR); i < e; i++) {
                    int in = job.lhsBase() + job.lhsRows()[i];
                    int o = (i / MR - ip0) * kc * MR + i % MR;
                    for (int p = 0; p < kc; p++) {
                        pa[o + p * MR] = l[in + steps[kb + p]];
                    }
                }
                for (int p = 0; p < kc; p++) {
                    VectorGemm.packRow(r, job.rhsBase() + job.rhsRows()[kb + p], n, pb, jp0, jp1, p, kc);
                }
            }

            @Override
            public void tile(int ip, int jp, int kb, int kc) {
                VectorGemm.tile(
                        pa,
                        (ip - ip0) * kc * MR,
                        pb,
                        (jp - jp0) * kc * DNR,
                        kc,
                        c,
                        (ip - ip0) * MR * ldc + (jp - jp0) * DNR,
                        ldc);
            }

            @Override
            public void end() {
                int col0 = jp0 * DNR;
                int cols = Math.min(n, jp1 * DNR) - col0;
                int stride = job.outStride();
                for (int i = ip0 * MR, e = Math.min(m, ip1 * MR); i < e; i++) {
                    int o = job.outBase() + job.outRows()[i] + col0 * stride;
                    int from = (i - ip0 * MR) * ldc;
                    for (int j = 0; j < cols; j++) {
                        out[o + j * stride] = c[from + j];
                    }
                }
            }
        });
    }
}
