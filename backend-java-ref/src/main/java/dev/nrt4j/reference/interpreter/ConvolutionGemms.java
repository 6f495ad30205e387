package dev.nrt4j.reference.interpreter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A float convolution as {@link GatheredGemm} products, with {@link ConvolutionOps}' order of the sum for
 * every output element.
 *
 * <p>Output positions are grouped into classes by which window positions are valid for them (not in padding,
 * not between dilated base elements): per spatial dimension, output coordinates with the same list of valid
 * kernel indices form a class, and a class of the convolution is one class per dimension. Within a class every
 * output element takes the same steps, in {@link ConvolutionOps}' order (window positions outer, row-major,
 * the group's input features inner), and the input offset of each step differs from that of the element's
 * first step by an amount that depends on the step only: the valid input coordinates of one output
 * coordinate are {@code (o * stride - padLow + k * windowDilation) / baseDilation} for the same {@code k}s, so
 * their differences do not depend on {@code o}. So a class and a group make one product: a row per output
 * position (and batch), a step per (window position, input feature), a column per output feature of the
 * group. A class with no valid window position keeps its outputs at {@code +0.0}, as the scalar loops leave
 * them. There are few classes in practice: per dimension, the coordinates whose windows overlap a border, and
 * up to {@code baseDilation} patterns between them.
 *
 * <p>Operands are packed as in {@link ConvolutionOps}: the input {@code [batch][spatial…][feature]}, the kernel
 * {@code [spatial…][inFeature][outFeature]}; the output is the result in its own layout. Stateless.
 */
final class ConvolutionGemms {
    private ConvolutionGemms() {}

    /** Fills {@code out} (all {@code +0.0}) with the convolution of {@code l} and {@code k}. */
    static void run(
            ConvolutionOps.Geometry g, float[] l, float[] k, float[] out, GatheredGemm gemm, EvaluationContext ctx) {
        forEachJob(g, job -> gemm.run(l, k, out, job, ctx));
    }

    static void run(
            ConvolutionOps.Geometry g, double[] l, double[] k, double[] out, GatheredGemm gemm, EvaluationContext ctx) {
        forEachJob(g, job -> gemm.run(l, k, out, job, ctx));
    }

    /** One output coordinate per class of one spatial dimension, and all of the class's coordinates. */
    private static final class DimensionClass {
        final int first;
        final List<Integer> coordinates = new ArrayList<>();

        DimensionClass(int first) {
            this.first = first;
        }
    }

    /** The classes of each spatial dimension: coordinates with equal lists of valid kernel indices. */
    private static List<List<DimensionClass>> dimensionClasses(ConvolutionOps.Geometry g) {
        List<List<DimensionClass>> out = new ArrayList<>();
        for (int d = 0; d < g.spatialRank; d++) {
            List<DimensionClass> classes = new ArrayList<>();
            int[][] valid = g.validKernel[d];
            for (int o = 0; o < g.outSpatial[d]; o++) {
                DimensionClass match = null;
                for (DimensionClass c : classes) {
                    if (Arrays.equals(valid[c.first], valid[o])) {
                        match = c;
                        break;
                    }
                }
                if (match == null) {
                    match = new DimensionClass(o);
                    classes.add(match);
                }
                match.coordinates.add(o);
            }
            out.add(classes);
        }
        return out;
    }

    /** Every (class, group) product; classes without a valid window position are left out. */
    static void forEachJob(ConvolutionOps.Geometry g, Consumer<GatheredGemm.Job> body) {
        int rank = g.spatialRank;
        int ki = g.kernelInFeatures;
        if (g.positions == 0 || g.outFeatures == 0 || ki == 0) {
            return;
        }
        List<List<DimensionClass>> classes = dimensionClasses(g);
        int[] inStride = new int[rank];
        int stride = g.inFeatures;
        for (int d = rank - 1; d >= 0; d--) {
            inStride[d] = stride;
            stride *= g.inSpatial[d];
        }
        int batchStride = stride;
        int zStride = (int) g.resultStrides[g.outFeatureDim];
        DimensionClass[] pick = new DimensionClass[rank];
        int[] which = new int[rank];
        do {
            for (int d = 0; d < rank; d++) {
                pick[d] = classes.get(d).get(which[d]);
            }
            int[] steps = steps(g, pick, inStride);
            if (steps.length > 0) {
                int[] rhsRows = rhsRows(g, pick);
                int[] lhsRows = new int[rowCount(g, pick)];
                int[] outRows = new int[lhsRows.length];
                rows(g, pick, lhsRows, outRows);
                for (int grp = 0; grp < g.groups; grp++) {
                    int lhsBase = g.batchGroups ? grp * g.outBatch * batchStride : grp * ki;
                    int z0 = grp * g.groupOutFeatures;
                    body.accept(new GatheredGemm.Job(
                            lhsRows, lhsBase, steps, rhsRows, z0, g.groupOutFeatures, outRows, z0 * zStride, zStride));
                }
            }
        } while (nextClass(classes, which));
    }

    /** The next combination of per-dimension classes, the last dimension fastest; false after the last. */
    private static boolean nextClass(List<List<DimensionClass>> classes, int[] which) {
        for (int d = which.length - 1; d >= 0; d--) {
            if (++which[d] < classes.get(d).size()) {
                return true;
            }
            which[d] = 0;
        }
        return false;
    }

    /**
     * The input offset of every step from the element's first one: window positions row-major (the last
     * dimension fastest), the group's input features inner, as in {@link ConvolutionOps.Cursor}.
     */
    private static int[] steps(ConvolutionOps.Geometry g, DimensionClass[] pick, int[] inStride) {
        int rank = g.spatialRank;
        int windows = 1;
        for (int d = 0; d < rank; d++) {
            windows *= g.validInput[d][pick[d].first].length;
        }
        int ki = g.kernelInFeatures;
        int[] steps = new int[windows * ki];
        int[] counter = new int[rank];
        for (int s = 0; s < windows; s++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                int[] valid = g.validInput[d][pick[d].first];
                offset += (valid[counter[d]] - valid[0]) * inStride[d];
            }
            for (int t = 0; t < ki; t++) {
                steps[s * ki + t] = offset + t;
            }
            advance(g, pick, counter);
        }
        return steps;
    }

    /** The packed kernel's row of every step: the kernel element the window position reads, the input feature. */
    private static int[] rhsRows(ConvolutionOps.Geometry g, DimensionClass[] pick) {
        int rank = g.spatialRank;
        int ki = g.kernelInFeatures;
        int windows = 1;
        for (int d = 0; d < rank; d++) {
            windows *= g.validKernel[d][pick[d].first].length;
        }
        int[] rows = new int[windows * ki];
        int[] counter = new int[rank];
        for (int s = 0; s < windows; s++) {
            int position = 0;
            for (int d = 0; d < rank; d++) {
                position = position * g.kernelSpatial[d] + g.validKernel[d][pick[d].first][counter[d]];
            }
            for (int t = 0; t < ki; t++) {
                rows[s * ki + t] = (position * ki + t) * g.outFeatures;
            }
            advance(g, pick, counter);
        }
        return rows;
    }

    /** Odometer over the valid window positions of a class, the last dimension fastest. */
    private static void advance(ConvolutionOps.Geometry g, DimensionClass[] pick, int[] counter) {
        for (int d = g.spatialRank - 1; d >= 0; d--) {
            if (++counter[d] < g.validKernel[d][pick[d].first].length) {
                return;
            }
            counter[d] = 0;
        }
    }

    private static int rowCount(ConvolutionOps.Geometry g, DimensionClass[] pick) {
        int rows = g.outBatch;
        for (DimensionClass c : pick) {
            rows *= c.coordinates.size();
        }
        return rows;
    }

    /**
     * Per output element of the class (batch outer, positions row-major): the input offset of its first step
     * (batch group 0, feature 0) and the output offset of its feature 0.
     */
    private static void rows(ConvolutionOps.Geometry g, DimensionClass[] pick, int[] lhsRows, int[] outRows) {
        int rank = g.spatialRank;
        int[] counter = new int[rank];
        int i = 0;
        for (int b = 0; b < g.outBatch; b++) {
            do {
                long in = b;
                long out = b * g.resultStrides[g.outBatchDim];
                for (int d = 0; d < rank; d++) {
                    int o = pick[d].coordinates.get(counter[d]);
                    in = in * g.inSpatial[d] + g.validInput[d][o][0];
                    out += o * g.resultStrides[g.outSpatialDims.get(d)];
                }
                lhsRows[i] = (int) (in * g.inFeatures);
                outRows[i] = (int) out;
                i++;
            } while (nextCoordinate(pick, counter));
        }
    }

    private static boolean nextCoordinate(DimensionClass[] pick, int[] counter) {
        for (int d = counter.length - 1; d >= 0; d--) {
            if (++counter[d] < pick[d].coordinates.size()) {
                return true;
            }
            counter[d] = 0;
        }
        return false;
    }
}
