package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import java.util.Arrays;

/**
 * An f64 {@code add} or {@code multiply} reduce-window along a single axis, summed in the order XLA CPU's
 * vectorized loop sums it.
 *
 * <p>XLA CPU emits the window as a loop over its positions that LLVM vectorizes: two vectors of four
 * f64 lanes, the first lane of the first starting from the init value and the others from the
 * operation's identity (-0 for add, 1 for multiply), position p going to lane p mod 8. After the
 * vector loop the two vectors are combined lane by lane and the four lanes by halves,
 * (l0 + l2) + (l1 + l3); positions past the last multiple of 8 are then folded in order. The StableHLO
 * corpus's f64 cumulative sums and products (windows of 8) match this exactly, where the evaluator's
 * single sequential accumulator is up to 4 ulp away; its f32 ones are sequential, and stay so here.
 * Windows shorter than 8, or spanning more than one axis, are folded sequentially too.
 */
final class VectorizedWindowFold {
    /** Partial accumulators: two vectors of four lanes. */
    private static final int LANES = 8;

    private VectorizedWindowFold() {}

    /** Whether {@code reducer} over windows of {@code g} is folded in lanes. */
    static boolean applies(BinaryCombiner reducer, WindowGeometry g) {
        BinaryCombiner.Kind k = reducer.kind();
        return reducer.type() == ElementType.F64
                && (k == BinaryCombiner.Kind.ADD || k == BinaryCombiner.Kind.MUL)
                && g.singleAxis() >= 0
                && g.windowSize() >= LANES;
    }

    /**
     * Folds the {@code n} covered elements {@code in[offsets[i]]}, at window positions
     * {@code positions[i]} (ascending) of a window of {@code windowSize} positions, with
     * {@code init[0]}, and stores the result at {@code out[outIndex]}.
     */
    static void fold(
            BinaryCombiner.Kind kind,
            Array in,
            int[] offsets,
            int[] positions,
            int n,
            int windowSize,
            Array init,
            Array out,
            int outIndex) {
        boolean add = kind == BinaryCombiner.Kind.ADD;
        double[] d = in.doubles();
        double[] lane = new double[LANES];
        Arrays.fill(lane, add ? -0.0 : 1.0);
        lane[0] = init.doubles()[0];
        int vectorized = windowSize - windowSize % LANES;
        int i = 0;
        for (; i < n && positions[i] < vectorized; i++) {
            int l = positions[i] % LANES;
            lane[l] = op(add, lane[l], d[offsets[i]]);
        }
        for (int l = 0; l < 4; l++) {
            lane[l] = op(add, lane[l], lane[l + 4]);
        }
        double acc = op(add, op(add, lane[0], lane[2]), op(add, lane[1], lane[3]));
        for (; i < n; i++) {
            acc = op(add, acc, d[offsets[i]]);
        }
        out.doubles()[outIndex] = acc;
    }

    private static double op(boolean add, double a, double b) {
        return add ? a + b : a * b;
    }
}
