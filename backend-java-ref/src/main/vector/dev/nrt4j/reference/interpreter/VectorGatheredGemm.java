package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.VectorGemm.DNR;
import static dev.nrt4j.reference.interpreter.VectorGemm.FNR;
import static dev.nrt4j.reference.interpreter.VectorGemm.KC;
import static dev.nrt4j.reference.interpreter.VectorGemm.MR;

import java.util.function.Function;

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

    /** The sizes of a product's blocks and their buffers, for tiles {@code nr} columns wide. */
    private static final class Shape {
        final VectorGemm.Blocks blocks;
        /** Steps per piece at most; at least 1, so buffers are never empty. */
        final int kcMax;
        /** The row length of a block's scratch of results: whole column panels. */
        final int ldc;

        Shape(Job job, int nr, EvaluationContext ctx) {
            blocks = new VectorGemm.Blocks(1, job.rows(), job.columns(), nr, ctx);
            kcMax = Math.max(1, Math.min(KC, job.depth()));
            ldc = blocks.colPanelsPerBlock * nr;
        }

        int lhsPanels() {
            return blocks.rowPanelsPerBlock * kcMax * MR;
        }

        int rhsPanels(int nr) {
            return blocks.colPanelsPerBlock * kcMax * nr;
        }

        int results() {
            return blocks.rowPanelsPerBlock * MR * ldc;
        }
    }

    /** Runs every block of {@code job}, each on a fresh {@link Block}. */
    private static void run(Job job, int nr, EvaluationContext ctx, Function<Shape, Block> perBlock) {
        if (job.rows() == 0 || job.columns() == 0) {
            return;
        }
        Shape s = new Shape(job, nr, ctx);
        VectorGemm.forEachTile(ctx, s.blocks, 1, job.rows(), job.columns(), job.depth(), () -> perBlock.apply(s));
    }

    /**
     * Where one block reads and writes, whatever the element type; the typed subclasses move whole rows and run
     * the tile, so no element goes through a virtual call.
     */
    private abstract static class Block implements VectorGemm.BlockRun {
        final Job job;
        private final int nr;
        final int ldc;
        private int ip0;
        private int ip1;
        private int jp0;
        private int jp1;

        Block(Job job, int nr, Shape s) {
            this.job = job;
            this.nr = nr;
            this.ldc = s.ldc;
        }

        @Override
        public void begin(int b, int ip0, int ip1, int jp0, int jp1) {
            this.ip0 = ip0;
            this.ip1 = ip1;
            this.jp0 = jp0;
            this.jp1 = jp1;
        }

        @Override
        public void pack(int kb, int kc) {
            for (int i = ip0 * MR, e = Math.min(job.rows(), ip1 * MR); i < e; i++) {
                gatherLhs(job.lhsBase() + job.lhsRows()[i], (i / MR - ip0) * kc * MR + i % MR, kb, kc);
            }
            for (int p = 0; p < kc; p++) {
                packRhs(job.rhsBase() + job.rhsRows()[kb + p], jp0, jp1, p, kc);
            }
        }

        @Override
        public void tile(int ip, int jp, int kb, int kc) {
            registerTile((ip - ip0) * kc * MR, (jp - jp0) * kc * nr, kc, (ip - ip0) * MR * ldc + (jp - jp0) * nr);
        }

        @Override
        public void end() {
            int col0 = jp0 * nr;
            int cols = Math.min(job.columns(), jp1 * nr) - col0;
            for (int i = ip0 * MR, e = Math.min(job.rows(), ip1 * MR); i < e; i++) {
                scatter(job.outBase() + job.outRows()[i] + col0 * job.outStride(), (i - ip0 * MR) * ldc, cols);
            }
        }

        /** Steps {@code [kb, kb + kc)} of the lhs row starting at {@code in}, into the row panels from {@code o}. */
        abstract void gatherLhs(int in, int o, int kb, int kc);

        /** Step {@code p} of the piece: the rhs row starting at {@code in}, into column panels {@code [jp0, jp1)}. */
        abstract void packRhs(int in, int jp0, int jp1, int p, int kc);

        /** The register tile on the block's panels and results. */
        abstract void registerTile(int ao, int bo, int kc, int co);

        /** {@code cols} results of one row, from {@code from} in the scratch, to the output from {@code o}. */
        abstract void scatter(int o, int from, int cols);
    }

    @Override
    public void run(float[] l, float[] r, float[] out, Job job, EvaluationContext ctx) {
        run(job, FNR, ctx, s -> new Block(job, FNR, s) {
            private final float[] pa = new float[s.lhsPanels()];
            private final float[] pb = new float[s.rhsPanels(FNR)];
            private final float[] c = new float[s.results()];

            @Override
            void gatherLhs(int in, int o, int kb, int kc) {
                int[] steps = job.steps();
                for (int p = 0; p < kc; p++) {
                    pa[o + p * MR] = l[in + steps[kb + p]];
                }
            }

            @Override
            void packRhs(int in, int jp0, int jp1, int p, int kc) {
                VectorGemm.packRow(r, in, job.columns(), pb, jp0, jp1, p, kc);
            }

            @Override
            void registerTile(int ao, int bo, int kc, int co) {
                VectorGemm.tile(pa, ao, pb, bo, kc, c, co, ldc);
            }

            @Override
            void scatter(int o, int from, int cols) {
                int stride = job.outStride();
                for (int j = 0; j < cols; j++) {
                    out[o + j * stride] = c[from + j];
                }
            }
        });
    }

    // The f64 twin of the block above.

    @Override
    public void run(double[] l, double[] r, double[] out, Job job, EvaluationContext ctx) {
        run(job, DNR, ctx, s -> new Block(job, DNR, s) {
            private final double[] pa = new double[s.lhsPanels()];
            private final double[] pb = new double[s.rhsPanels(DNR)];
            private final double[] c = new double[s.results()];

            @Override
            void gatherLhs(int in, int o, int kb, int kc) {
                int[] steps = job.steps();
                for (int p = 0; p < kc; p++) {
                    pa[o + p * MR] = l[in + steps[kb + p]];
                }
            }

            @Override
            void packRhs(int in, int jp0, int jp1, int p, int kc) {
                VectorGemm.packRow(r, in, job.columns(), pb, jp0, jp1, p, kc);
            }

            @Override
            void registerTile(int ao, int bo, int kc, int co) {
                VectorGemm.tile(pa, ao, pb, bo, kc, c, co, ldc);
            }

            @Override
            void scatter(int o, int from, int cols) {
                int stride = job.outStride();
                for (int j = 0; j < cols; j++) {
                    out[o + j * stride] = c[from + j];
                }
            }
        });
    }
}
