package dev.nrt4j.hlo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@link HloTypeChecker} rules for the ops that read or write at run-time indices: {@code gather},
 * {@code scatter}, {@code dynamic-slice} and {@code dynamic-update-slice}. Index values are clamped
 * or skipped at run time, so only shapes are checked: which dimensions the dimension numbers name,
 * the slice and window sizes against the operand, and the result.
 */
final class IndexingRules {
    private IndexingRules() {}

    static void register(Map<HloOpcode, BiConsumer<CheckSite, HloInstruction>> r) {
        r.put(HloOpcode.GATHER, IndexingRules::gather);
        r.put(HloOpcode.SCATTER, IndexingRules::scatter);
        r.put(HloOpcode.DYNAMIC_SLICE, IndexingRules::dynamicSlice);
        r.put(HloOpcode.DYNAMIC_UPDATE_SLICE, IndexingRules::dynamicUpdateSlice);
    }

    /**
     * The indices with {@code index_vector_dim} made explicit: when it equals the rank, each index
     * vector has one component, a trailing dimension of size 1.
     */
    private static long[] expandedIndices(CheckSite x, HloShape indices, int indexVectorDim, int operand) {
        if (!CheckSite.isInteger(indices.elementType())) {
            throw x.invalid("operand " + operand + " is " + indices + ", expected integer indices");
        }
        if (indexVectorDim < 0 || indexVectorDim > indices.rank()) {
            throw x.invalid(
                    "index_vector_dim=" + indexVectorDim + " is out of range for operand " + operand + " " + indices);
        }
        long[] dims = indices.dims();
        if (indexVectorDim < dims.length) {
            return dims;
        }
        long[] expanded = Arrays.copyOf(dims, dims.length + 1);
        expanded[dims.length] = 1;
        return expanded;
    }

    /** Named dimensions must be distinct and in {@code [0, bound)}; {@code sorted} when XLA requires order. */
    private static boolean[] distinct(CheckSite x, String what, List<Integer> dims, int bound, boolean sorted) {
        boolean[] seen = new boolean[Math.max(bound, 0)];
        int last = -1;
        for (int d : dims) {
            if (d < 0 || d >= bound || seen[d] || (sorted && d < last)) {
                throw x.invalid(what + "=" + dims + " must name distinct" + (sorted ? ", sorted" : "")
                        + " dimensions in [0, " + bound + ")");
            }
            seen[d] = true;
            last = d;
        }
        return seen;
    }

    /** Operand and indices batching dimensions pair up with equal sizes. */
    private static void batching(
            CheckSite x,
            List<Integer> operandDims,
            HloShape operand,
            List<Integer> indexDims,
            HloShape indices,
            int indexVectorDim) {
        if (operandDims.size() != indexDims.size()) {
            throw x.invalid("pairs " + operandDims.size() + " operand with " + indexDims.size()
                    + " indices batching dimensions");
        }
        distinct(x, "indices batching dims", indexDims, indices.rank(), false);
        for (int k = 0; k < operandDims.size(); k++) {
            int o = operandDims.get(k);
            int d = indexDims.get(k);
            if (d == indexVectorDim || operand.dim(o) != indices.dim(d)) {
                throw x.invalid("batching dimension " + o + " of " + operand + " and " + d + " of " + indices
                        + " must have one size and not be the index vector dimension");
            }
        }
    }

    private static void gather(CheckSite x, HloInstruction i) {
        x.operands(2);
        HloShape operand = x.array(0);
        HloShape indices = x.array(1);
        GatherDimensions g = i.gatherDimensions().orElseThrow(() -> x.invalid("has no gather dimension numbers"));
        long[] expanded = expandedIndices(x, indices, g.indexVectorDim(), 1);
        List<Long> sizes = i.gatherSliceSizes();
        if (sizes.size() != operand.rank()) {
            throw x.invalid("slice_sizes=" + sizes + " must have one size per dimension of operand 0 " + operand);
        }
        for (int k = 0; k < sizes.size(); k++) {
            if (sizes.get(k) < 0 || sizes.get(k) > operand.dim(k)) {
                throw x.invalid("slice_sizes=" + sizes + " exceeds dimension " + k + " of operand 0 " + operand);
            }
        }
        boolean[] collapsed = distinct(x, "collapsed_slice_dims", g.collapsedSliceDims(), operand.rank(), true);
        boolean[] batch = distinct(x, "operand_batching_dims", g.operandBatchingDims(), operand.rank(), true);
        for (int k = 0; k < operand.rank(); k++) {
            if (collapsed[k] && batch[k]) {
                throw x.invalid("dimension " + k + " of operand 0 is both collapsed and batching");
            }
            if ((collapsed[k] || batch[k]) && sizes.get(k) > 1) {
                throw x.invalid("slice_sizes=" + sizes + " must be 0 or 1 in collapsed or batching dimension " + k);
            }
        }
        batching(x, g.operandBatchingDims(), operand, g.startIndicesBatchingDims(), indices, g.indexVectorDim());
        boolean[] mapped = distinct(x, "start_index_map", g.startIndexMap(), operand.rank(), false);
        for (int k = 0; k < operand.rank(); k++) {
            if (mapped[k] && batch[k]) {
                throw x.invalid("start_index_map=" + g.startIndexMap() + " names batching dimension " + k);
            }
        }
        if (g.startIndexMap().size() != expanded[g.indexVectorDim()]) {
            throw x.invalid("start_index_map=" + g.startIndexMap() + " must have one entry per index vector component ("
                    + expanded[g.indexVectorDim()] + " in operand 1 " + indices + ")");
        }
        int offsets = operand.rank()
                - g.collapsedSliceDims().size()
                - g.operandBatchingDims().size();
        if (g.offsetDims().size() != offsets) {
            throw x.invalid("offset_dims=" + g.offsetDims() + " must name the " + offsets
                    + " uncollapsed dimensions of the slice");
        }
        int rank = offsets + expanded.length - 1;
        boolean[] offset = distinct(x, "offset_dims", g.offsetDims(), rank, true);
        long[] dims = new long[rank];
        for (int k = 0, s = 0, b = 0; k < rank; k++) {
            if (offset[k]) {
                while (collapsed[s] || batch[s]) {
                    s++;
                }
                dims[k] = sizes.get(s++);
            } else {
                b += b == g.indexVectorDim() ? 1 : 0;
                dims[k] = expanded[b++];
            }
        }
        // Many index vectors times a large slice can describe more elements than any array holds.
        x.result(HloTypeChecker.inferred(x, operand.elementType(), dims));
    }

    /**
     * N inputs of one set of dimensions, indices, N updates: each update has the scatter dimensions of
     * the indices and window dimensions no larger than the operand's; the combiner takes 2N scalars;
     * the result has the inputs' shapes.
     */
    private static void scatter(CheckSite x, HloInstruction i) {
        int n = (i.operands().size() - 1) / 2;
        if (n < 1 || i.operands().size() != 2 * n + 1) {
            throw x.invalid("takes inputs, indices and as many updates as inputs, has "
                    + i.operands().size() + " operands");
        }
        x.calledCount(1);
        ScatterDimensions s = i.scatterDimensions().orElseThrow(() -> x.invalid("has no scatter dimension numbers"));
        HloShape operand = x.array(0);
        HloShape indices = x.array(n);
        long[] expanded = expandedIndices(x, indices, s.indexVectorDim(), n);
        HloShape update = x.array(n + 1);
        int window = s.updateWindowDims().size();
        boolean[] windowDims = distinct(x, "update_window_dims", s.updateWindowDims(), update.rank(), true);
        boolean[] inserted = distinct(x, "inserted_window_dims", s.insertedWindowDims(), operand.rank(), true);
        boolean[] batch = distinct(x, "input_batching_dims", s.inputBatchingDims(), operand.rank(), true);
        for (int k = 0; k < operand.rank(); k++) {
            if (inserted[k] && batch[k]) {
                throw x.invalid("dimension " + k + " of operand 0 is both inserted and batching");
            }
        }
        if (operand.rank()
                != window
                        + s.insertedWindowDims().size()
                        + s.inputBatchingDims().size()) {
            throw x.invalid("operand 0 " + operand + " must have rank update_window_dims + inserted_window_dims"
                    + " + input_batching_dims = "
                    + (window
                            + s.insertedWindowDims().size()
                            + s.inputBatchingDims().size()));
        }
        batching(x, s.inputBatchingDims(), operand, s.scatterIndicesBatchingDims(), indices, s.indexVectorDim());
        boolean[] mapped =
                distinct(x, "scatter_dims_to_operand_dims", s.scatterDimsToOperandDims(), operand.rank(), false);
        for (int k = 0; k < operand.rank(); k++) {
            if (mapped[k] && batch[k]) {
                throw x.invalid("scatter_dims_to_operand_dims=" + s.scatterDimsToOperandDims()
                        + " names batching dimension " + k);
            }
        }
        if (s.scatterDimsToOperandDims().size() != expanded[s.indexVectorDim()]) {
            throw x.invalid("scatter_dims_to_operand_dims=" + s.scatterDimsToOperandDims()
                    + " must have one entry per index vector component (" + expanded[s.indexVectorDim()]
                    + " in operand " + n + " " + indices + ")");
        }
        List<Long> scatterDims = new ArrayList<>();
        for (int k = 0; k < expanded.length; k++) {
            if (k != s.indexVectorDim()) {
                scatterDims.add(expanded[k]);
            }
        }
        for (int k = 0; k < n; k++) {
            HloShape o = x.array(k);
            if (!Arrays.equals(o.dims(), operand.dims())) {
                throw x.invalid("operand " + k + " is " + o + ", expected the dimensions of operand 0 " + operand);
            }
            HloShape u = x.array(n + 1 + k);
            boolean types = u.elementType() == o.elementType()
                    || (u.elementType().isFloatingPoint() && o.elementType().isFloatingPoint());
            if (!types || u.rank() != window + scatterDims.size()) {
                throw x.invalid("operand " + (n + 1 + k) + " is " + u + ", expected "
                        + o.elementType().textName() + " updates of rank " + (window + scatterDims.size())
                        + " for operand " + k + " " + o);
            }
            for (int d = 0, od = 0, sd = 0; d < u.rank(); d++) {
                if (windowDims[d]) {
                    while (inserted[od] || batch[od]) {
                        od++;
                    }
                    if (u.dim(d) > o.dim(od)) {
                        throw x.invalid("window dimension " + d + " of update " + u + " is larger than dimension " + od
                                + " of operand " + k + " " + o);
                    }
                    od++;
                } else if (u.dim(d) != scatterDims.get(sd++)) {
                    throw x.invalid("scatter dimension " + d + " of update " + u + " differs from the indices "
                            + indices + " (scatter dimensions " + scatterDims + ")");
                }
            }
        }
        x.scalarParameters("to_apply", i.calledComputations().get(0), 2 * n);
        List<HloShape> outs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            outs.add(i.operand(k).shape());
        }
        x.result(n == 1 ? outs.get(0) : HloShape.tuple(outs));
    }

    /**
     * The start indices of a dynamic slice or update: one integer scalar per dimension of the operand,
     * or (XLA's older form) one rank-1 integer vector holding them all.
     */
    private static void startIndices(CheckSite x, HloInstruction i, int first, HloShape operand) {
        int count = i.operands().size() - first;
        if (count == 1 && x.array(first).rank() == 1) {
            HloShape v = x.array(first);
            if (v.dim(0) != operand.rank() || !CheckSite.isInteger(v.elementType())) {
                throw x.invalid("operand " + first + " is " + v + ", expected " + operand.rank()
                        + " integer start indices for operand 0 " + operand);
            }
            return;
        }
        if (count != operand.rank()) {
            throw x.invalid("has " + count + " start indices, expected one per dimension of operand 0 " + operand);
        }
        for (int k = first; k < i.operands().size(); k++) {
            x.integerScalar(k);
        }
    }

    private static void dynamicSlice(CheckSite x, HloInstruction i) {
        if (i.operands().isEmpty()) {
            throw x.invalid("takes an operand and start indices, has no operands");
        }
        HloShape operand = x.array(0);
        startIndices(x, i, 1, operand);
        List<Long> sizes = i.dynamicSliceSizes();
        if (sizes.size() != operand.rank()) {
            throw x.invalid(
                    "dynamic_slice_sizes=" + sizes + " must have one size per dimension of operand 0 " + operand);
        }
        long[] dims = new long[sizes.size()];
        for (int k = 0; k < dims.length; k++) {
            dims[k] = sizes.get(k);
            if (dims[k] < 0 || dims[k] > operand.dim(k)) {
                throw x.invalid(
                        "dynamic_slice_sizes=" + sizes + " exceeds dimension " + k + " of operand 0 " + operand);
            }
        }
        x.result(HloShape.array(operand.elementType(), dims));
    }

    private static void dynamicUpdateSlice(CheckSite x, HloInstruction i) {
        if (i.operands().size() < 2) {
            throw x.invalid("takes an operand, an update and start indices, has "
                    + i.operands().size() + " operands");
        }
        HloShape operand = x.array(0);
        HloShape update = x.array(1);
        boolean types = update.elementType() == operand.elementType()
                || (update.elementType().isFloatingPoint()
                        && operand.elementType().isFloatingPoint());
        boolean fits = update.rank() == operand.rank();
        for (int k = 0; fits && k < update.rank(); k++) {
            fits = update.dim(k) <= operand.dim(k);
        }
        if (!types || !fits) {
            throw x.invalid("operand 1 is " + update + ", expected an update of "
                    + operand.elementType().textName() + " no larger than operand 0 " + operand + " in any dimension");
        }
        startIndices(x, i, 2, operand);
        x.result(operand);
    }
}
