package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code convolution}: N spatial dimensions with window size, stride, low/high padding (negative
 * crops), base dilation ({@code lhs_dilate}), window dilation ({@code rhs_dilate}) and window reversal;
 * any {@code dim_labels}; {@code feature_group_count} and {@code batch_group_count}.
 *
 * <p>Numerics follow {@code HloEvaluator} (see {@link Accumulation}): operands converted to the result
 * type, one accumulator per output element starting from zero, each float step a fused multiply-add as
 * in {@link DotOps}, rounded once at the end for bf16/f16.
 * The order of the sum for one output element is HloEvaluator's: the <em>outer</em> loop walks the
 * kernel's spatial window positions in row-major order of the window dimensions (the last spatial
 * dimension fastest; with window reversal the walk is over window positions and the kernel element
 * read is the mirrored one), the <em>inner</em> loop walks the input features of the element's group
 * in ascending order. Window positions that fall into padding or between dilated base elements are
 * skipped, not added as zero (which matters for {@code -0.0} and for {@code 0 * inf}).
 *
 * <p>Groups: with {@code feature_group_count = G}, output feature {@code z} belongs to group
 * {@code g = z / (outFeatures / G)} and reads input features {@code [g * inFeatures / G, (g + 1) * inFeatures / G)}.
 * With {@code batch_group_count = G}, it reads input batch {@code b + g * inBatch / G} for output batch
 * {@code b} (the StableHLO specification's definition; it coincides with XLA's evaluator for the depthwise
 * case {@code G = inBatch} that frameworks emit).
 *
 * <p>The kernel packs the input as {@code [batch][spatial…][feature]} and the kernel as
 * {@code [spatial…][inFeature][outFeature]}, so for one output position the innermost loop runs over the
 * group's output features (independent sums, vectorizable) and the per-output order above is kept.
 * For float and double results the kernel is further cut into one array per group and (window position,
 * input feature), and each position's accumulators into one array per group, so that inner loop uses
 * {@link BlockedGemm}'s vectorizable steps (four input features per pass, in order).
 * Output positions are spread over threads.
 *
 * <p>When the active {@link GemmKernel} has a {@link GatheredGemm} (the vector kernel), float and double
 * convolutions run on it instead, as a few matrix products over classes of output positions (see
 * {@link ConvolutionGemms}): the same steps in the same order for every output element, so the same bits.
 */
final class ConvolutionOps {
    private ConvolutionOps() {}

    static void registerAll(OpRegistry r) {
        r.register(
                (ins, ops, ctx) ->
                        convolution(ins, ops, ctx, GemmKernels.active().gathered()),
                HloOpcode.CONVOLUTION);
    }

    /** Everything about one convolution that does not depend on the element type. */
    static final class Geometry {
        final int spatialRank;
        final int groups;
        final boolean batchGroups;
        final int outBatch;
        final int outFeatures;
        final int groupOutFeatures;
        final int inFeatures;
        final int kernelInFeatures;
        final int[] inSpatial;
        final int[] kernelSpatial;
        final int[] outSpatial;
        /** Per spatial dimension, per output coordinate: the kernel elements to read and the input coordinates. */
        final int[][][] validKernel;

        final int[][][] validInput;
        final int[] lhsPermutation;
        final int[] rhsPermutation;
        final long[] resultStrides;
        final int outBatchDim;
        final int outFeatureDim;
        final List<Integer> outSpatialDims;
        final int positions;

        Geometry(long[] lhs, long[] rhs, long[] out, ConvolutionDimensions cd, Window window, long fgc, long bgc) {
            spatialRank = cd.inputSpatial().size();
            int rank = spatialRank + 2;
            if (lhs.length != rank
                    || rhs.length != rank
                    || out.length != rank
                    || cd.kernelSpatial().size() != spatialRank
                    || cd.outputSpatial().size() != spatialRank) {
                throw new IllegalArgumentException(
                        "dim_labels name " + spatialRank + " spatial dimensions, but the input has rank " + lhs.length
                                + ", the kernel " + rhs.length + " and the result " + out.length);
            }
            if (window.dimensions().size() != spatialRank) {
                throw new IllegalArgumentException(
                        "the window has " + window.dimensions().size() + " dimensions, not " + spatialRank);
            }
            lhsPermutation = permutation("input", rank, cd.inputBatch(), cd.inputSpatial(), cd.inputFeature(), -1);
            rhsPermutation = permutation(
                    "kernel", rank, -1, cd.kernelSpatial(), cd.kernelInputFeature(), cd.kernelOutputFeature());
            permutation("output", rank, cd.outputBatch(), cd.outputSpatial(), cd.outputFeature(), -1);
            if (fgc < 1 || bgc < 1 || (fgc > 1 && bgc > 1)) {
                throw new IllegalArgumentException("feature_group_count " + fgc + " and batch_group_count " + bgc
                        + " must be at least 1 and not both above 1");
            }
            long inBatch = lhs[cd.inputBatch()];
            long inF = lhs[cd.inputFeature()];
            long kIn = rhs[cd.kernelInputFeature()];
            long kOut = rhs[cd.kernelOutputFeature()];
            if (inF % fgc != 0 || inF / fgc != kIn) {
                throw new IllegalArgumentException("input features " + inF + " / feature_group_count " + fgc
                        + " must equal the kernel's input features " + kIn);
            }
            if (kOut % fgc != 0 || kOut % bgc != 0) {
                throw new IllegalArgumentException(
                        "kernel output features " + kOut + " must be a multiple of the group count");
            }
            if (inBatch % bgc != 0) {
                throw new IllegalArgumentException(
                        "input batch " + inBatch + " must be a multiple of batch_group_count " + bgc);
            }
            groups = (int) Math.max(fgc, bgc);
            batchGroups = bgc > 1;
            outBatch = (int) (inBatch / bgc);
            outFeatures = (int) kOut;
            groupOutFeatures = (int) (kOut / groups);
            inFeatures = (int) inF;
            kernelInFeatures = (int) kIn;
            if (out[cd.outputBatch()] != outBatch || out[cd.outputFeature()] != outFeatures) {
                throw new IllegalArgumentException("the result's batch and feature sizes must be " + outBatch + " and "
                        + outFeatures + ", got " + Arrays.toString(out));
            }
            inSpatial = new int[spatialRank];
            kernelSpatial = new int[spatialRank];
            outSpatial = new int[spatialRank];
            validKernel = new int[spatialRank][][];
            validInput = new int[spatialRank][][];
            long count = outBatch;
            for (int d = 0; d < spatialRank; d++) {
                WindowDimension w = window.dimensions().get(d);
                inSpatial[d] = (int) lhs[cd.inputSpatial().get(d)];
                kernelSpatial[d] = (int) rhs[cd.kernelSpatial().get(d)];
                outSpatial[d] = (int) out[cd.outputSpatial().get(d)];
                if (w.size() != kernelSpatial[d]) {
                    throw new IllegalArgumentException("window size " + w.size() + " of spatial dimension " + d
                            + " differs from the kernel's " + kernelSpatial[d]);
                }
                if (w.stride() < 1 || w.windowDilation() < 1 || w.baseDilation() < 1) {
                    throw new IllegalArgumentException(
                            "stride and dilations must be at least 1 in spatial dimension " + d);
                }
                long dilatedBase = inSpatial[d] == 0 ? 0 : (inSpatial[d] - 1) * w.baseDilation() + 1;
                long padded = dilatedBase + w.paddingLow() + w.paddingHigh();
                long dilatedWindow = kernelSpatial[d] == 0 ? 0 : (kernelSpatial[d] - 1) * w.windowDilation() + 1;
                long expected = padded < dilatedWindow ? 0 : (padded - dilatedWindow) / w.stride() + 1;
                if (expected != outSpatial[d]) {
                    throw new IllegalArgumentException("spatial dimension " + d + " of the result must have size "
                            + expected + ", got " + outSpatial[d]);
                }
                validKernel[d] = new int[outSpatial[d]][];
                validInput[d] = new int[outSpatial[d]][];
                int[] ks = new int[kernelSpatial[d]];
                int[] is = new int[kernelSpatial[d]];
                for (int o = 0; o < outSpatial[d]; o++) {
                    int valid = 0;
                    for (int k = 0; k < kernelSpatial[d]; k++) {
                        long pos = o * w.stride() - w.paddingLow() + k * w.windowDilation();
                        if (pos < 0 || pos % w.baseDilation() != 0 || pos / w.baseDilation() >= inSpatial[d]) {
                            continue;
                        }
                        ks[valid] = w.windowReversal() ? kernelSpatial[d] - 1 - k : k;
                        is[valid] = (int) (pos / w.baseDilation());
                        valid++;
                    }
                    validKernel[d][o] = Arrays.copyOf(ks, valid);
                    validInput[d][o] = Arrays.copyOf(is, valid);
                }
                count *= outSpatial[d];
            }
            positions = (int) count;
            resultStrides = new long[rank];
            long s = 1;
            for (int i = rank - 1; i >= 0; i--) {
                resultStrides[i] = s;
                s *= out[i];
            }
            outBatchDim = cd.outputBatch();
            outFeatureDim = cd.outputFeature();
            outSpatialDims = cd.outputSpatial();
        }

        /** Major-to-minor order {@code first, spatial…, second, third}; checks that the labels are a permutation. */
        private static int[] permutation(String what, int rank, int batch, List<Integer> spatial, int f1, int f2) {
            int[] p = new int[rank];
            int n = 0;
            if (batch >= 0) {
                p[n++] = batch;
            }
            for (int s : spatial) {
                p[n++] = s;
            }
            p[n++] = f1;
            if (f2 >= 0) {
                p[n++] = f2;
            }
            boolean[] seen = new boolean[rank];
            for (int d : p) {
                if (d < 0 || d >= rank || seen[d]) {
                    throw new IllegalArgumentException(
                            "the " + what + " dimension labels are not a permutation of 0.." + (rank - 1));
                }
                seen[d] = true;
            }
            return p;
        }

        /** Output positions (batch and spatial, features excluded) per tile: a few dozen tiles per thread. */
        int tileSize(EvaluationContext ctx) {
            return Math.max(1, positions / (ctx.parallelism() * 16));
        }

        long work() {
            long w = (long) positions * outFeatures * kernelInFeatures;
            for (int k : kernelSpatial) {
                w *= k;
            }
            return w;
        }
    }

    /**
     * The convolution; float and double ones on {@code gemm} when given (see {@link ConvolutionGemms}), else on
     * the loops below. Both give the same bits.
     */
    static Value convolution(HloInstruction ins, List<Value> ops, EvaluationContext ctx, Optional<GatheredGemm> gemm) {
        if (ops.size() != 2) {
            throw new IllegalArgumentException("convolution takes 2 operands, got " + ops.size());
        }
        Array lhs = ops.get(0).asArray();
        Array rhs = ops.get(1).asArray();
        HloShape shape = ins.shape();
        if (!shape.isArray()) {
            throw new IllegalArgumentException("convolution must produce an array, not " + shape);
        }
        ConvolutionDimensions cd = ins.convolutionDimensions()
                .orElseThrow(() -> new IllegalArgumentException("convolution has no dim_labels"));
        Window window = ins.window().orElseGet(() -> new Window(List.of()));
        Geometry g = new Geometry(
                lhs.dims(), rhs.dims(), shape.dims(), cd, window, ins.featureGroupCount(), ins.batchGroupCount());
        ElementType type = shape.elementType();
        long[] dims = shape.dims();
        int[] lIdx = Packing.gatherIndex(lhs.dims(), g.lhsPermutation);
        int[] rIdx = Packing.gatherIndex(rhs.dims(), g.rhsPermutation);
        int n = (int) shape.elementCount();
        int tile = g.tileSize(ctx);
        int tiles = (g.positions + tile - 1) / tile;
        switch (Accumulation.kind(type)) {
            case FLOAT: {
                float[] l = Packing.gather(Accumulation.toFloats(lhs, type), lIdx);
                if (gemm.isPresent()) {
                    float[] out = new float[n];
                    ConvolutionGemms.run(
                            g, l, Packing.gather(Accumulation.toFloats(rhs, type), rIdx), out, gemm.get(), ctx);
                    return Accumulation.fromFloats(out, type, dims);
                }
                float[][][] k = kernelRows(Packing.gather(Accumulation.toFloats(rhs, type), rIdx), g);
                float[] out = new float[n];
                int zStride = (int) g.resultStrides[g.outFeatureDim];
                ParallelTiles.run(ctx, tiles, g.work(), t -> {
                    float[][] acc = new float[g.groups][g.groupOutFeatures];
                    Cursor c = new Cursor(g);
                    for (int p = t * tile, e = Math.min(g.positions, p + tile); p < e; p++) {
                        c.moveTo(p);
                        for (float[] a : acc) {
                            Arrays.fill(a, 0f);
                        }
                        accumulate(g, c, l, k, acc);
                        int base = c.outputOffset;
                        for (int grp = 0; grp < g.groups; grp++) {
                            float[] a = acc[grp];
                            int z0 = grp * g.groupOutFeatures;
                            for (int z = 0; z < a.length; z++) {
                                out[base + (z0 + z) * zStride] = a[z];
                            }
                        }
                    }
                });
                return Accumulation.fromFloats(out, type, dims);
            }
            case DOUBLE: {
                double[] l = Packing.gather(Accumulation.toDoubles(lhs), lIdx);
                if (gemm.isPresent()) {
                    double[] out = new double[n];
                    ConvolutionGemms.run(g, l, Packing.gather(Accumulation.toDoubles(rhs), rIdx), out, gemm.get(), ctx);
                    return Array.wrap(type, dims, out);
                }
                double[][][] k = kernelRows(Packing.gather(Accumulation.toDoubles(rhs), rIdx), g);
                double[] out = new double[n];
                int zStride = (int) g.resultStrides[g.outFeatureDim];
                ParallelTiles.run(ctx, tiles, g.work(), t -> {
                    double[][] acc = new double[g.groups][g.groupOutFeatures];
                    Cursor c = new Cursor(g);
                    for (int p = t * tile, e = Math.min(g.positions, p + tile); p < e; p++) {
                        c.moveTo(p);
                        for (double[] a : acc) {
                            Arrays.fill(a, 0.0);
                        }
                        accumulate(g, c, l, k, acc);
                        int base = c.outputOffset;
                        for (int grp = 0; grp < g.groups; grp++) {
                            double[] a = acc[grp];
                            int z0 = grp * g.groupOutFeatures;
                            for (int z = 0; z < a.length; z++) {
                                out[base + (z0 + z) * zStride] = a[z];
                            }
                        }
                    }
                });
                return Array.wrap(type, dims, out);
            }
            case LONG: {
                long[] l = Packing.gather(Accumulation.toLongs(lhs, type), lIdx);
                long[] k = Packing.gather(Accumulation.toLongs(rhs, type), rIdx);
                long[] out = new long[n];
                ParallelTiles.run(ctx, tiles, g.work(), t -> {
                    long[] acc = new long[g.outFeatures];
                    Cursor c = new Cursor(g);
                    for (int p = t * tile, e = Math.min(g.positions, p + tile); p < e; p++) {
                        c.moveTo(p);
                        Arrays.fill(acc, 0L);
                        accumulate(g, c, l, k, acc);
                        int base = c.outputOffset;
                        for (int z = 0; z < acc.length; z++) {
                            out[base + z * (int) g.resultStrides[g.outFeatureDim]] = acc[z];
                        }
                    }
                });
                return Accumulation.fromLongs(out, type, dims);
            }
            default:
                throw new IllegalArgumentException(
                        "convolution of complex type " + type.textName() + " is not supported by the reference device");
        }
    }

    /**
     * Where one output position (batch and spatial coordinates) is, and an odometer over its valid window
     * positions that yields the packed input and kernel offsets.
     */
    static final class Cursor {
        private final Geometry g;
        final int[] outCoord;
        int outBatch;
        int outputOffset;
        private final int[] counter;
        private final int[] limit;

        Cursor(Geometry g) {
            this.g = g;
            outCoord = new int[g.spatialRank];
            counter = new int[g.spatialRank];
            limit = new int[g.spatialRank];
        }

        void moveTo(int position) {
            int rest = position;
            long offset = 0;
            for (int d = g.spatialRank - 1; d >= 0; d--) {
                outCoord[d] = rest % g.outSpatial[d];
                rest /= g.outSpatial[d];
                offset += outCoord[d] * g.resultStrides[g.outSpatialDims.get(d)];
                limit[d] = g.validKernel[d][outCoord[d]].length;
            }
            outBatch = rest;
            offset += rest * g.resultStrides[g.outBatchDim];
            outputOffset = (int) offset;
        }

        /** Starts the window walk; false when no window position is valid. */
        boolean first() {
            for (int d = 0; d < g.spatialRank; d++) {
                if (limit[d] == 0) {
                    return false;
                }
                counter[d] = 0;
            }
            return true;
        }

        /** Next window position, last spatial dimension fastest; false after the last. */
        boolean next() {
            for (int d = g.spatialRank - 1; d >= 0; d--) {
                if (++counter[d] < limit[d]) {
                    return true;
                }
                counter[d] = 0;
            }
            return false;
        }

        /** Offset in the packed input {@code [batch][spatial…][feature]} of feature 0 at this window position. */
        int inputOffset(int batch) {
            int off = batch;
            for (int d = 0; d < g.spatialRank; d++) {
                off = off * g.inSpatial[d] + g.validInput[d][outCoord[d]][counter[d]];
            }
            return off * g.inFeatures;
        }

        /** Row-major index of this window position's kernel element among the kernel's spatial positions. */
        int kernelPosition() {
            int off = 0;
            for (int d = 0; d < g.spatialRank; d++) {
                off = off * g.kernelSpatial[d] + g.validKernel[d][outCoord[d]][counter[d]];
            }
            return off;
        }

        /** Offset in the packed kernel {@code [spatial…][inFeature][outFeature]} of this window position. */
        int kernelOffset() {
            return kernelPosition() * g.kernelInFeatures * g.outFeatures;
        }
    }

    /**
     * The packed kernel {@code [spatial…][inFeature][outFeature]} cut into one array per group and
     * {@code (spatial position, input feature)}, holding that group's output features. Separate arrays indexed
     * from zero are what lets C2 vectorize the update of a position's accumulators (see {@link BlockedGemm}).
     */
    static float[][][] kernelRows(float[] k, Geometry g) {
        int rows = kernelRowCount(g);
        float[][][] out = new float[g.groups][rows][];
        for (int grp = 0; grp < g.groups; grp++) {
            for (int row = 0; row < rows; row++) {
                int from = row * g.outFeatures + grp * g.groupOutFeatures;
                out[grp][row] = Arrays.copyOfRange(k, from, from + g.groupOutFeatures);
            }
        }
        return out;
    }

    static double[][][] kernelRows(double[] k, Geometry g) {
        int rows = kernelRowCount(g);
        double[][][] out = new double[g.groups][rows][];
        for (int grp = 0; grp < g.groups; grp++) {
            for (int row = 0; row < rows; row++) {
                int from = row * g.outFeatures + grp * g.groupOutFeatures;
                out[grp][row] = Arrays.copyOfRange(k, from, from + g.groupOutFeatures);
            }
        }
        return out;
    }

    private static int kernelRowCount(Geometry g) {
        int rows = g.kernelInFeatures;
        for (int s : g.kernelSpatial) {
            rows *= s;
        }
        return rows;
    }

    /**
     * One output position: window positions outer, the group's input features inner (see the class comment),
     * four input features per pass over the group's output features, in order.
     */
    private static void accumulate(Geometry g, Cursor c, float[] l, float[][][] k, float[][] acc) {
        int ki = g.kernelInFeatures;
        int ozg = g.groupOutFeatures;
        for (int grp = 0; grp < g.groups; grp++) {
            int batch = g.batchGroups ? c.outBatch + grp * g.outBatch : c.outBatch;
            int feature0 = g.batchGroups ? 0 : grp * ki;
            float[][] rows = k[grp];
            float[] a = acc[grp];
            for (boolean more = c.first(); more; more = c.next()) {
                int lo = c.inputOffset(batch) + feature0;
                int kr = c.kernelPosition() * ki;
                int iz = 0;
                for (; iz + 4 <= ki; iz += 4) {
                    BlockedGemm.step1x4(
                            a,
                            rows[kr + iz],
                            rows[kr + iz + 1],
                            rows[kr + iz + 2],
                            rows[kr + iz + 3],
                            l[lo + iz],
                            l[lo + iz + 1],
                            l[lo + iz + 2],
                            l[lo + iz + 3],
                            ozg);
                }
                for (; iz < ki; iz++) {
                    BlockedGemm.step1x1(a, rows[kr + iz], l[lo + iz], ozg);
                }
            }
        }
    }

    private static void accumulate(Geometry g, Cursor c, double[] l, double[][][] k, double[][] acc) {
        int ki = g.kernelInFeatures;
        int ozg = g.groupOutFeatures;
        for (int grp = 0; grp < g.groups; grp++) {
            int batch = g.batchGroups ? c.outBatch + grp * g.outBatch : c.outBatch;
            int feature0 = g.batchGroups ? 0 : grp * ki;
            double[][] rows = k[grp];
            double[] a = acc[grp];
            for (boolean more = c.first(); more; more = c.next()) {
                int lo = c.inputOffset(batch) + feature0;
                int kr = c.kernelPosition() * ki;
                int iz = 0;
                for (; iz + 4 <= ki; iz += 4) {
                    BlockedGemm.step1x4(
                            a,
                            rows[kr + iz],
                            rows[kr + iz + 1],
                            rows[kr + iz + 2],
                            rows[kr + iz + 3],
                            l[lo + iz],
                            l[lo + iz + 1],
                            l[lo + iz + 2],
                            l[lo + iz + 3],
                            ozg);
                }
                for (; iz < ki; iz++) {
                    BlockedGemm.step1x1(a, rows[kr + iz], l[lo + iz], ozg);
                }
            }
        }
    }

    private static void accumulate(Geometry g, Cursor c, long[] l, long[] k, long[] acc) {
        int ozg = g.groupOutFeatures;
        int ki = g.kernelInFeatures;
        int oz = g.outFeatures;
        for (int grp = 0; grp < g.groups; grp++) {
            int batch = g.batchGroups ? c.outBatch + grp * g.outBatch : c.outBatch;
            int feature0 = g.batchGroups ? 0 : grp * ki;
            int z0 = grp * ozg;
            for (boolean more = c.first(); more; more = c.next()) {
                int lo = c.inputOffset(batch) + feature0;
                int ko = c.kernelOffset() + z0;
                for (int iz = 0; iz < ki; iz++) {
                    long a = l[lo + iz];
                    int kr = ko + iz * oz;
                    for (int z = 0; z < ozg; z++) {
                        acc[z0 + z] += a * k[kr + z];
                    }
                }
            }
        }
    }
}
