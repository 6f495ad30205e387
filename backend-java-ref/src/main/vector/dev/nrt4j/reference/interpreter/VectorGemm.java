package dev.nrt4j.reference.interpreter;

import java.util.Optional;
import java.util.function.Supplier;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot kernel on {@code jdk.incubator.vector}: a register-blocked GEMM that gives, for every output element,
 * the same fused multiply-adds in the same order as {@link BlockedGemm} (see {@link GemmKernel}), so the bits
 * are the same. Only the work across output elements is rearranged.
 *
 * <p>The lhs is packed once per call into panels of {@code MR} rows ({@code [k][MR]}, zero-padded); the rhs
 * is packed block by block into panels of {@code NR} columns ({@code [kc][NR]}, two vectors of the preferred
 * species wide), just before the block's tiles read it, so the copy is still in L2 (packing all of it up front
 * cost as much as the arithmetic when the lhs has few rows). The micro-kernel holds an {@code MR x NR} tile of
 * the output in twelve vector registers and walks {@code k} in order: per step two rhs vector loads, six lhs
 * broadcasts and twelve vector FMAs, each output lane its own chain. Padding rows and columns only feed output
 * lanes that are never stored, so they cannot change a real one. The walk over {@code k} is cut into
 * {@link #KC} steps so a rhs panel stays in L1 and a block of lhs panels in L2; between pieces the tile goes
 * back to the output, where the next piece reloads exactly the value it left, so each chain stays one sequence
 * in ascending {@code k}. Tiles are grouped into blocks over rows and columns, and the blocks spread over
 * threads by {@link ParallelTiles}, which checks the deadline between blocks. Convolution's
 * {@link VectorGatheredGemm} runs on the same blocks, panel packing and register tile.
 */
final class VectorGemm implements GemmKernel {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** Output rows per register tile: with two vectors per row, twelve accumulators. */
    static final int MR = 6;

    private static final int FL = FS.length();
    private static final int DL = DS.length();
    /** Output columns per register tile, f32 and f64: two vectors of the species. */
    static final int FNR = 2 * FL;

    static final int DNR = 2 * DL;
    /** Steps of {@code k} per piece: a {@code KC x NR} rhs panel fits in L1. */
    static final int KC = 256;
    /** Row panels per block at most: the block's lhs panels, {@code KC x MR} each, stay in L2. */
    private static final int MAX_ROW_PANELS = 16;
    /** Output columns per block: a block's rhs panels are reused across all its row panels. */
    private static final int BLOCK_COLS = 512;

    VectorGemm() {}

    @Override
    public String describe() {
        return "vector (jdk.incubator.vector, " + FS.vectorBitSize() + "-bit FMA, " + MR + "x" + FNR + " f32 tile)";
    }

    @Override
    public Optional<GatheredGemm> gathered() {
        return Optional.of(VectorGatheredGemm.INSTANCE);
    }

    /** How the output is cut into blocks of row panels and column panels, per batch. */
    static final class Blocks {
        final int rowPanels;
        final int colPanels;
        final int rowPanelsPerBlock;
        final int colPanelsPerBlock;
        final int rowBlocks;
        final int colBlocks;
        final int count;

        Blocks(int batch, int m, int n, int nr, EvaluationContext ctx) {
            rowPanels = ceilDiv(m, MR);
            colPanels = ceilDiv(n, nr);
            // Every thread should get several blocks (uneven ones balance). Narrower column blocks come first:
            // each row block packs its columns of the rhs again, and with few rows (an MLP's batch) that packing,
            // a pass over the whole rhs from memory, costs as much as the arithmetic.
            int wanted = 4 * ctx.parallelism();
            int rowPanelsMax = Math.min(MAX_ROW_PANELS, rowPanels);
            int fullRowBlocks = ceilDiv(rowPanels, rowPanelsMax);
            int perBatchRow = ceilDiv(wanted, Math.max(1, batch * fullRowBlocks));
            colPanelsPerBlock = Math.max(1, Math.min(BLOCK_COLS / nr, ceilDiv(colPanels, perBatchRow)));
            colBlocks = ceilDiv(colPanels, colPanelsPerBlock);
            // Smaller row blocks only when the columns alone cannot give enough blocks.
            int perBatchCol = ceilDiv(wanted, Math.max(1, batch * colBlocks));
            rowPanelsPerBlock = Math.max(1, Math.min(rowPanelsMax, ceilDiv(rowPanels, perBatchCol)));
            rowBlocks = ceilDiv(rowPanels, rowPanelsPerBlock);
            count = batch * rowBlocks * colBlocks;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Whether the packed lhs, padded to whole panels, fits in a Java array. */
    private static boolean packable(int batch, int m, int k) {
        return (long) batch * ceilDiv(m, MR) * MR * k <= Array.MAX_ELEMENTS;
    }

    /**
     * One block's work, with buffers of its own; made per block so threads share nothing but the output. Called
     * as: {@code begin}, then per piece of {@code k} one {@code pack} and the block's tiles, then {@code end}.
     */
    interface BlockRun {
        /** The block: row panels {@code [ip0, ip1)} and column panels {@code [jp0, jp1)} of batch {@code b}. */
        void begin(int b, int ip0, int ip1, int jp0, int jp1);

        /** Packs what the block's tiles read of steps {@code [kb, kb + kc)}. */
        void pack(int kb, int kc);

        /** The register tile of row panel {@code ip} and column panel {@code jp}, steps {@code [kb, kb + kc)}. */
        void tile(int ip, int jp, int kb, int kc);

        /** After the last piece of {@code k}. */
        void end();
    }

    /**
     * Every block of the output on {@link ParallelTiles}: per piece of {@code k}, the block's panels are packed
     * (into L2, where its tiles read them) and then every tile runs.
     */
    static void forEachTile(
            EvaluationContext ctx, Blocks t, int batch, int m, int n, int k, Supplier<BlockRun> perBlock) {
        ParallelTiles.run(ctx, t.count, (long) batch * m * n * k, i -> {
            int rb = i % t.rowBlocks;
            int cb = (i / t.rowBlocks) % t.colBlocks;
            int b = i / (t.rowBlocks * t.colBlocks);
            int ip0 = rb * t.rowPanelsPerBlock;
            int ip1 = Math.min(t.rowPanels, ip0 + t.rowPanelsPerBlock);
            int jp0 = cb * t.colPanelsPerBlock;
            int jp1 = Math.min(t.colPanels, jp0 + t.colPanelsPerBlock);
            BlockRun run = perBlock.get();
            run.begin(b, ip0, ip1, jp0, jp1);
            for (int kb = 0; kb < k; kb += KC) {
                int kc = Math.min(KC, k - kb);
                run.pack(kb, kc);
                for (int jp = jp0; jp < jp1; jp++) {
                    for (int ip = ip0; ip < ip1; ip++) {
                        run.tile(ip, jp, kb, kc);
                    }
                }
            }
            run.end();
        });
    }

    /**
     * Step {@code p} of the column panels {@code [jp0, jp1)}, packed as {@code [jp][kc][FNR]}: the rhs row that
     * starts at {@code r[in]}, {@code n} columns. Whole panels by two vector moves, not a call each; columns past
     * {@code n} in the last panel are never set, as they only feed output lanes that are not stored.
     */
    static void packRow(float[] r, int in, int n, float[] pb, int jp0, int jp1, int p, int kc) {
        for (int jp = jp0; jp < jp1; jp++) {
            int col0 = jp * FNR;
            int out = ((jp - jp0) * kc + p) * FNR;
            if (col0 + FNR <= n) {
                FloatVector.fromArray(FS, r, in + col0).intoArray(pb, out);
                FloatVector.fromArray(FS, r, in + col0 + FL).intoArray(pb, out + FL);
            } else {
                System.arraycopy(r, in + col0, pb, out, n - col0);
            }
        }
    }

    /** The f64 twin of {@link #packRow(float[], int, int, float[], int, int, int, int)}, {@code [jp][kc][DNR]}. */
    static void packRow(double[] r, int in, int n, double[] pb, int jp0, int jp1, int p, int kc) {
        for (int jp = jp0; jp < jp1; jp++) {
            int col0 = jp * DNR;
            int out = ((jp - jp0) * kc + p) * DNR;
            if (col0 + DNR <= n) {
                DoubleVector.fromArray(DS, r, in + col0).intoArray(pb, out);
                DoubleVector.fromArray(DS, r, in + col0 + DL).intoArray(pb, out + DL);
            } else {
                System.arraycopy(r, in + col0, pb, out, n - col0);
            }
        }
    }

    /** The lhs {@code l[b][m][k]} as row panels {@code [k][MR]}, over all batches. */
    private static void packRows(EvaluationContext ctx, float[] l, float[] pa, int batch, int m, int k) {
        int rowPanels = ceilDiv(m, MR);
        ParallelTiles.run(ctx, batch * rowPanels, (long) batch * m * k / 8, i -> {
            int row0 = (i % rowPanels) * MR;
            for (int q = 0; q < Math.min(MR, m - row0); q++) {
                int in = ((i / rowPanels) * m + row0 + q) * k;
                int out = i * MR * k + q;
                for (int p = 0; p < k; p++) {
                    pa[out + p * MR] = l[in + p];
                }
            }
        });
    }

    private static void packRows(EvaluationContext ctx, double[] l, double[] pa, int batch, int m, int k) {
        int rowPanels = ceilDiv(m, MR);
        ParallelTiles.run(ctx, batch * rowPanels, (long) batch * m * k / 8, i -> {
            int row0 = (i % rowPanels) * MR;
            for (int q = 0; q < Math.min(MR, m - row0); q++) {
                int in = ((i / rowPanels) * m + row0 + q) * k;
                int out = i * MR * k + q;
                for (int p = 0; p < k; p++) {
                    pa[out + p * MR] = l[in + p];
                }
            }
        });
    }

    @Override
    public void gemm(float[] l, float[] r, float[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
        if (batch == 0 || m == 0 || n == 0 || k == 0) {
            return;
        }
        if (!packable(batch, m, k)) {
            BlockedGemm.gemm(l, r, c, batch, m, n, k, ctx);
            return;
        }
        Blocks t = new Blocks(batch, m, n, FNR, ctx);
        float[] pa = new float[batch * t.rowPanels * MR * k];
        packRows(ctx, l, pa, batch, m, k);
        int kcMax = Math.min(KC, k);
        forEachTile(ctx, t, batch, m, n, k, () -> new BlockRun() {
            private final float[] pb = new float[t.colPanelsPerBlock * kcMax * FNR];
            private final float[] edge = new float[MR * FNR];
            private int b;
            private int jp0;
            private int jp1;

            @Override
            public void begin(int b, int ip0, int ip1, int jp0, int jp1) {
                this.b = b;
                this.jp0 = jp0;
                this.jp1 = jp1;
            }

            @Override
            public void pack(int kb, int kc) {
                // Row by row, so the rhs is read in order.
                for (int p = 0; p < kc; p++) {
                    packRow(r, (b * k + kb + p) * n, n, pb, jp0, jp1, p, kc);
                }
            }

            @Override
            public void tile(int ip, int jp, int kb, int kc) {
                int row0 = ip * MR;
                int col0 = jp * FNR;
                int ao = ((b * t.rowPanels + ip) * k + kb) * MR;
                int bo = (jp - jp0) * kc * FNR;
                int co = (b * m + row0) * n + col0;
                int rows = Math.min(MR, m - row0);
                int cols = Math.min(FNR, n - col0);
                if (rows == MR && cols == FNR) {
                    VectorGemm.tile(pa, ao, pb, bo, kc, c, co, n);
                    return;
                }
                // A tile that sticks out of the output runs on a scratch copy of its real part.
                for (int q = 0; q < rows; q++) {
                    System.arraycopy(c, co + q * n, edge, q * FNR, cols);
                }
                VectorGemm.tile(pa, ao, pb, bo, kc, edge, 0, FNR);
                for (int q = 0; q < rows; q++) {
                    System.arraycopy(edge, q * FNR, c, co + q * n, cols);
                }
            }

            @Override
            public void end() {}
        });
    }

    @Override
    public void gemm(double[] l, double[] r, double[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
        if (batch == 0 || m == 0 || n == 0 || k == 0) {
            return;
        }
        if (!packable(batch, m, k)) {
            BlockedGemm.gemm(l, r, c, batch, m, n, k, ctx);
            return;
        }
        Blocks t = new Blocks(batch, m, n, DNR, ctx);
        double[] pa = new double[batch * t.rowPanels * MR * k];
        packRows(ctx, l, pa, batch, m, k);
        int kcMax = Math.min(KC, k);
        forEachTile(ctx, t, batch, m, n, k, () -> new BlockRun() {
            private final double[] pb = new double[t.colPanelsPerBlock * kcMax * DNR];
            private final double[] edge = new double[MR * DNR];
            private int b;
            private int jp0;
            private int jp1;

            @Override
            public void begin(int b, int ip0, int ip1, int jp0, int jp1) {
                this.b = b;
                this.jp0 = jp0;
                this.jp1 = jp1;
            }

            @Override
            public void pack(int kb, int kc) {
                // Row by row, so the rhs is read in order.
                for (int p = 0; p < kc; p++) {
                    packRow(r, (b * k + kb + p) * n, n, pb, jp0, jp1, p, kc);
                }
            }

            @Override
            public void tile(int ip, int jp, int kb, int kc) {
                int row0 = ip * MR;
                int col0 = jp * DNR;
                int ao = ((b * t.rowPanels + ip) * k + kb) * MR;
                int bo = (jp - jp0) * kc * DNR;
                int co = (b * m + row0) * n + col0;
                int rows = Math.min(MR, m - row0);
                int cols = Math.min(DNR, n - col0);
                if (rows == MR && cols == DNR) {
                    VectorGemm.tile(pa, ao, pb, bo, kc, c, co, n);
                    return;
                }
                // A tile that sticks out of the output runs on a scratch copy of its real part.
                for (int q = 0; q < rows; q++) {
                    System.arraycopy(c, co + q * n, edge, q * DNR, cols);
                }
                VectorGemm.tile(pa, ao, pb, bo, kc, edge, 0, DNR);
                for (int q = 0; q < rows; q++) {
                    System.arraycopy(edge, q * DNR, c, co + q * n, cols);
                }
            }

            @Override
            public void end() {}
        });
    }

    /** The register tile: {@code MR x FNR} outputs at {@code c[co]} (row stride {@code ldc}), {@code kc} steps. */
    static void tile(float[] a, int ao, float[] bp, int bo, int kc, float[] c, int co, int ldc) {
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector x00 = FloatVector.fromArray(FS, c, co);
        FloatVector x01 = FloatVector.fromArray(FS, c, co + FL);
        FloatVector x10 = FloatVector.fromArray(FS, c, c1);
        FloatVector x11 = FloatVector.fromArray(FS, c, c1 + FL);
        FloatVector x20 = FloatVector.fromArray(FS, c, c2);
        FloatVector x21 = FloatVector.fromArray(FS, c, c2 + FL);
        FloatVector x30 = FloatVector.fromArray(FS, c, c3);
        FloatVector x31 = FloatVector.fromArray(FS, c, c3 + FL);
        FloatVector x40 = FloatVector.fromArray(FS, c, c4);
        FloatVector x41 = FloatVector.fromArray(FS, c, c4 + FL);
        FloatVector x50 = FloatVector.fromArray(FS, c, c5);
        FloatVector x51 = FloatVector.fromArray(FS, c, c5 + FL);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * FNR;
            int ai = ao + p * MR;
            FloatVector b0 = FloatVector.fromArray(FS, bp, bi);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bi + FL);
            FloatVector a0 = FloatVector.broadcast(FS, a[ai]);
            x00 = a0.fma(b0, x00);
            x01 = a0.fma(b1, x01);
            FloatVector a1 = FloatVector.broadcast(FS, a[ai + 1]);
            x10 = a1.fma(b0, x10);
            x11 = a1.fma(b1, x11);
            FloatVector a2 = FloatVector.broadcast(FS, a[ai + 2]);
            x20 = a2.fma(b0, x20);
            x21 = a2.fma(b1, x21);
            FloatVector a3 = FloatVector.broadcast(FS, a[ai + 3]);
            x30 = a3.fma(b0, x30);
            x31 = a3.fma(b1, x31);
            FloatVector a4 = FloatVector.broadcast(FS, a[ai + 4]);
            x40 = a4.fma(b0, x40);
            x41 = a4.fma(b1, x41);
            FloatVector a5 = FloatVector.broadcast(FS, a[ai + 5]);
            x50 = a5.fma(b0, x50);
            x51 = a5.fma(b1, x51);
        }
        x00.intoArray(c, co);
        x01.intoArray(c, co + FL);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + FL);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + FL);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + FL);
        x40.intoArray(c, c4);
        x41.intoArray(c, c4 + FL);
        x50.intoArray(c, c5);
        x51.intoArray(c, c5 + FL);
    }

    // The f64 twin of the register tile.

    /** The register tile: {@code MR x DNR} outputs at {@code c[co]} (row stride {@code ldc}), {@code kc} steps. */
    static void tile(double[] a, int ao, double[] bp, int bo, int kc, double[] c, int co, int ldc) {
        int c1 = co + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        DoubleVector x00 = DoubleVector.fromArray(DS, c, co);
        DoubleVector x01 = DoubleVector.fromArray(DS, c, co + DL);
        DoubleVector x10 = DoubleVector.fromArray(DS, c, c1);
        DoubleVector x11 = DoubleVector.fromArray(DS, c, c1 + DL);
        DoubleVector x20 = DoubleVector.fromArray(DS, c, c2);
        DoubleVector x21 = DoubleVector.fromArray(DS, c, c2 + DL);
        DoubleVector x30 = DoubleVector.fromArray(DS, c, c3);
        DoubleVector x31 = DoubleVector.fromArray(DS, c, c3 + DL);
        DoubleVector x40 = DoubleVector.fromArray(DS, c, c4);
        DoubleVector x41 = DoubleVector.fromArray(DS, c, c4 + DL);
        DoubleVector x50 = DoubleVector.fromArray(DS, c, c5);
        DoubleVector x51 = DoubleVector.fromArray(DS, c, c5 + DL);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * DNR;
            int ai = ao + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bi + DL);
            DoubleVector a0 = DoubleVector.broadcast(DS, a[ai]);
            x00 = a0.fma(b0, x00);
            x01 = a0.fma(b1, x01);
            DoubleVector a1 = DoubleVector.broadcast(DS, a[ai + 1]);
            x10 = a1.fma(b0, x10);
            x11 = a1.fma(b1, x11);
            DoubleVector a2 = DoubleVector.broadcast(DS, a[ai + 2]);
            x20 = a2.fma(b0, x20);
            x21 = a2.fma(b1, x21);
            DoubleVector a3 = DoubleVector.broadcast(DS, a[ai + 3]);
            x30 = a3.fma(b0, x30);
            x31 = a3.fma(b1, x31);
            DoubleVector a4 = DoubleVector.broadcast(DS, a[ai + 4]);
            x40 = a4.fma(b0, x40);
            x41 = a4.fma(b1, x41);
            DoubleVector a5 = DoubleVector.broadcast(DS, a[ai + 5]);
            x50 = a5.fma(b0, x50);
            x51 = a5.fma(b1, x51);
        }
        x00.intoArray(c, co);
        x01.intoArray(c, co + DL);
        x10.intoArray(c, c1);
        x11.intoArray(c, c1 + DL);
        x20.intoArray(c, c2);
        x21.intoArray(c, c2 + DL);
        x30.intoArray(c, c3);
        x31.intoArray(c, c3 + DL);
        x40.intoArray(c, c4);
        x41.intoArray(c, c4 + DL);
        x50.intoArray(c, c5);
        x51.intoArray(c, c5 + DL);
    }
}
