package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloComputation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a scatter's {@code to_apply} to runs of (result, update) elements, in place in the result
 * arrays. A single-operand combiner that {@link BinaryCombiner} recognizes runs as its typed loop;
 * anything else calls the computation on scalars through the evaluation context.
 */
final class ScatterCombiner {
    private ScatterCombiner() {}

    /**
     * The run combiner for these result and update arrays (parallel lists, one per scatter operand).
     *
     * @param results the fresh result arrays, changed in place
     */
    static BlockCopy.Run of(HloComputation toApply, List<Array> results, List<Array> updates, EvaluationContext ctx) {
        if (results.size() == 1) {
            Array out = results.get(0);
            Optional<BinaryCombiner> fast = BinaryCombiner.recognize(toApply, out.type());
            if (fast.isPresent() && updates.get(0).type() == out.type()) {
                return fast.get().inPlace(out, updates.get(0));
            }
        }
        return generic(toApply, results, updates, ctx);
    }

    /** Calls the computation once per element: (results…, updates…) → result or tuple of results. */
    private static BlockCopy.Run generic(
            HloComputation c, List<Array> results, List<Array> updates, EvaluationContext ctx) {
        int count = results.size();
        if (c.parameters().size() != 2 * count) {
            throw new IllegalArgumentException("scatter combiner " + c.name() + " takes "
                    + c.parameters().size() + " parameters, not " + 2 * count);
        }
        return (op, os, up, us, n) -> {
            for (int i = 0; i < n; i++, op += os, up += us) {
                List<Value> args = new ArrayList<>(2 * count);
                for (Array a : results) {
                    args.add(ScalarCalls.scalarAt(a, op));
                }
                for (Array a : updates) {
                    args.add(ScalarCalls.scalarAt(a, up));
                }
                Value r = ctx.evaluate(c, args);
                for (int k = 0; k < count; k++) {
                    Array v = r.isTuple() ? r.asTuple().get(k).asArray() : r.asArray();
                    if (v.type() != results.get(k).type() || v.size() != 1 || (!r.isTuple() && count != 1)) {
                        throw new IllegalArgumentException("scatter combiner " + c.name() + " returns " + r + ", not "
                                + count + " scalars of the operands' types");
                    }
                    Array.copy(v, 0, results.get(k), op, 1);
                }
            }
        };
    }
}
