package dev.nrt4j.reference.interpreter;

/**
 * A matrix product whose lhs rows are gathered from an array and whose output rows are scattered into one: a
 * convolution, once its output positions are grouped by the window positions they read (see
 * {@link ConvolutionGemms}). For every row {@code i} and column {@code j} of a {@link Job}, it stores
 *
 * <pre>{@code out[outBase + outRows[i] + j * outStride] = sum over p ascending of
 *         l[lhsBase + lhsRows[i] + steps[p]] * r[rhsBase + rhsRows[p] + j]}</pre>
 *
 * with one accumulator per output element starting from {@code +0.0} and one fused multiply-add per step, in
 * ascending {@code p} (the order of {@link GemmKernel}), so every implementation gives the same bits. With no
 * steps the output elements are {@code +0.0}.
 *
 * <p>Implementations are stateless and thread-safe; a call may run on several threads of the execution and
 * checks its deadline between tiles, so it can throw what {@link EvaluationContext#checkDeadline()} throws.
 */
interface GatheredGemm {
    /** The f32 product (also bf16 and f16, which the caller widens to f32 and rounds back). */
    void run(float[] l, float[] r, float[] out, Job job, EvaluationContext ctx);

    /** The f64 product. */
    void run(double[] l, double[] r, double[] out, Job job, EvaluationContext ctx);

    /**
     * Where one product's operands and result are; see {@link GatheredGemm} for how they combine. The arrays are
     * not copied and must not change while the product runs.
     *
     * @param lhsRows per output row, where its lhs row starts (before {@code lhsBase})
     * @param lhsBase added to every lhs offset
     * @param steps per step, its lhs element's offset from the row's start
     * @param rhsRows per step, where its rhs row starts (before {@code rhsBase})
     * @param rhsBase added to every rhs offset
     * @param columns the number of output columns, consecutive in every rhs row
     * @param outRows per output row, where its column 0 is in the output (before {@code outBase})
     * @param outBase added to every output offset
     * @param outStride the distance between consecutive columns in the output
     */
    record Job(
            int[] lhsRows,
            int lhsBase,
            int[] steps,
            int[] rhsRows,
            int rhsBase,
            int columns,
            int[] outRows,
            int outBase,
            int outStride) {
        /** The number of output rows. */
        int rows() {
            return lhsRows.length;
        }

        /** The number of steps each output element takes. */
        int depth() {
            return steps.length;
        }
    }
}
