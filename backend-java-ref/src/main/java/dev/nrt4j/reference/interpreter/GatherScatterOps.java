package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.ScatterDimensions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gather} and {@code scatter}. Both walk the batch ("scatter") index space of the indices in
 * row-major order; per index vector they work out the operand window's start once and move the
 * whole window as a strided block (gather: a {@link BlockCopy}; scatter: a {@link ScatterCombiner}
 * run per contiguous row).
 *
 * <p>Gather clamps each start so the slice fits, as XLA does; scatter skips a window entirely when
 * any part of it would fall outside the operand, and applies updates in index order.
 */
final class GatherScatterOps {
    private GatherScatterOps() {}

    static void registerAll(OpRegistry r) {
        r.register(GatherScatterOps::gather, HloOpcode.GATHER);
        r.register(GatherScatterOps::scatter, HloOpcode.SCATTER);
    }

    private static int[] ints(List<Integer> v) {
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static void checkDims(int[] dims, int rank, String what) {
        boolean[] seen = new boolean[rank];
        for (int d : dims) {
            if (d < 0 || d >= rank || seen[d]) {
                throw new IllegalArgumentException(
                        what + " " + java.util.Arrays.toString(dims) + " are not distinct dimensions below " + rank);
            }
            seen[d] = true;
        }
    }

    /**
     * Where the index vectors are: the batch dimensions of the indices (all but
     * {@code index_vector_dim}, in order), the vector's length and the stride between its components
     * ({@code index_vector_dim == rank} means scalar indices, a vector of length 1).
     */
    private record IndexLayout(int[] batchDims, int length, int componentStride) {
        static IndexLayout of(Array indices, int indexVectorDim) {
            int rank = indices.rank();
            if (indexVectorDim < 0 || indexVectorDim > rank) {
                throw new IllegalArgumentException(
                        "index_vector_dim " + indexVectorDim + " does not fit indices " + indices);
            }
            int[] batch = new int[indexVectorDim == rank ? rank : rank - 1];
            int j = 0;
            for (int d = 0; d < rank; d++) {
                if (d != indexVectorDim) {
                    batch[j++] = d;
                }
            }
            boolean scalar = indexVectorDim == rank;
            return new IndexLayout(
                    batch,
                    scalar ? 1 : (int) indices.dim(indexVectorDim),
                    scalar ? 0 : indices.strides()[indexVectorDim]);
        }
    }

    static Value gather(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        Array indices = ops.get(1).asArray();
        GatherDimensions g = ins.gatherDimensions()
                .orElseThrow(() -> new IllegalArgumentException("gather without dimension numbers"));
        HloShape s = ins.shape();
        if (!s.isArray() || s.elementType() != a.type()) {
            throw new IllegalArgumentException("gather result " + s + " does not fit operand " + a);
        }
        int rank = a.rank();
        long[] sliceSizes =
                ins.gatherSliceSizes().stream().mapToLong(Long::longValue).toArray();
        if (sliceSizes.length != rank) {
            throw new IllegalArgumentException("slice_sizes " + ins.gatherSliceSizes() + " do not fit " + a);
        }
        for (int d = 0; d < rank; d++) {
            if (sliceSizes[d] < 0 || sliceSizes[d] > a.dim(d)) {
                throw new IllegalArgumentException(
                        "slice size " + sliceSizes[d] + " does not fit dimension " + d + " of " + a);
            }
        }
        int[] offsetDims = ints(g.offsetDims());
        int[] collapsed = ints(g.collapsedSliceDims());
        int[] startIndexMap = ints(g.startIndexMap());
        int[] operandBatching = ints(g.operandBatchingDims());
        int[] indicesBatching = ints(g.startIndicesBatchingDims());
        IndexLayout il = IndexLayout.of(indices, g.indexVectorDim());
        checkDims(offsetDims, s.rank(), "offset_dims");
        checkDims(collapsed, rank, "collapsed_slice_dims");
        checkDims(startIndexMap, rank, "start_index_map");
        checkDims(operandBatching, rank, "operand_batching_dims");
        checkDims(indicesBatching, indices.rank(), "start_indices_batching_dims");
        if (startIndexMap.length != il.length() || operandBatching.length != indicesBatching.length) {
            throw new IllegalArgumentException(
                    "start_index_map " + g.startIndexMap() + " does not fit index vectors of length " + il.length()
                            + ", or the batching dimensions do not pair up");
        }
        // Operand dimensions that stay in the output, in order, one per offset dimension.
        int[] windowDims = new int[offsetDims.length];
        int w = 0;
        for (int d = 0; d < rank; d++) {
            boolean dropped = contains(collapsed, d) || contains(operandBatching, d);
            if (dropped && sliceSizes[d] > 1) {
                throw new IllegalArgumentException(
                        "collapsed or batching dimension " + d + " has slice size " + sliceSizes[d]);
            }
            if (!dropped) {
                if (w == windowDims.length) {
                    throw new IllegalArgumentException("offset_dims " + g.offsetDims() + " do not cover the slice");
                }
                windowDims[w++] = d;
            }
        }
        if (w != windowDims.length) {
            throw new IllegalArgumentException("offset_dims " + g.offsetDims() + " do not match the slice");
        }
        int[] sortedOffset = offsetDims.clone();
        java.util.Arrays.sort(sortedOffset);
        int batchRank = s.rank() - offsetDims.length;
        if (batchRank != il.batchDims().length) {
            throw new IllegalArgumentException("gather result " + s + " does not fit indices " + indices);
        }
        int[] batchOutDims = new int[batchRank];
        int b = 0;
        for (int d = 0; d < s.rank(); d++) {
            if (!contains(offsetDims, d)) {
                batchOutDims[b] = d;
                if (s.dim(d) != indices.dim(il.batchDims()[b])) {
                    throw new IllegalArgumentException("gather result " + s + " does not fit indices " + indices);
                }
                b++;
            }
        }
        int[] outStrides = Array.rowMajorStrides(s.dims());
        int[] aStrides = a.strides();
        int[] counts = new int[windowDims.length];
        int[] srcStrides = new int[windowDims.length];
        int[] dstStrides = new int[windowDims.length];
        for (int j = 0; j < windowDims.length; j++) {
            int od = sortedOffset[j];
            counts[j] = (int) sliceSizes[windowDims[j]];
            srcStrides[j] = aStrides[windowDims[j]];
            dstStrides[j] = outStrides[od];
            if (s.dim(od) != sliceSizes[windowDims[j]]) {
                throw new IllegalArgumentException("gather result dimension " + od + " is " + s.dim(od)
                        + ", the slice has " + sliceSizes[windowDims[j]]);
            }
        }
        // Batch position (among the index batch dimensions) paired with each operand batching dimension.
        int[] batchingPos = new int[operandBatching.length];
        for (int i = 0; i < operandBatching.length; i++) {
            batchingPos[i] = indexOf(il.batchDims(), indicesBatching[i]);
            if (batchingPos[i] < 0 || a.dim(operandBatching[i]) != indices.dim(indicesBatching[i])) {
                throw new IllegalArgumentException("batching dimension " + indicesBatching[i] + " does not fit");
            }
        }
        Array out = Array.allocate(s);
        int lanes = Array.lanes(a.type());
        Object src = a.data();
        Object dst = out.data();
        BlockCopy.Run copy = (sp, ss, dp, ds, n) -> BlockCopy.row(src, sp, ss, dst, dp, ds, n, lanes);
        long[] start = new long[rank];
        walkBatches(indices, il, (coord, indexPos, step) -> {
            if ((step & 0xFFF) == 0) {
                ctx.checkDeadline();
            }
            java.util.Arrays.fill(start, 0);
            for (int k = 0; k < startIndexMap.length; k++) {
                start[startIndexMap[k]] = BlockCopy.index(indices, indexPos + k * il.componentStride());
            }
            for (int i = 0; i < operandBatching.length; i++) {
                start[operandBatching[i]] = coord[batchingPos[i]];
            }
            int srcBase = 0;
            for (int d = 0; d < rank; d++) {
                long c = Math.max(0, Math.min(start[d], a.dim(d) - sliceSizes[d]));
                srcBase += (int) c * aStrides[d];
            }
            int dstBase = 0;
            for (int j = 0; j < batchRank; j++) {
                dstBase += coord[j] * outStrides[batchOutDims[j]];
            }
            BlockCopy.forEachRun(srcBase, srcStrides, dstBase, dstStrides, counts, copy);
        });
        return out;
    }

    /** Receives one index vector: its batch coordinates, the position of its first component, and a counter. */
    @FunctionalInterface
    private interface BatchVisitor {
        void visit(int[] coord, int indexPos, long step);
    }

    /** Visits every index vector in row-major order of the batch dimensions. */
    private static void walkBatches(Array indices, IndexLayout il, BatchVisitor v) {
        int[] bd = il.batchDims();
        int[] strides = indices.strides();
        int[] coord = new int[bd.length];
        for (int d : bd) {
            if (indices.dim(d) == 0) {
                return;
            }
        }
        int pos = 0;
        long step = 0;
        while (true) {
            v.visit(coord, pos, step++);
            int j = bd.length - 1;
            for (; j >= 0; j--) {
                coord[j]++;
                pos += strides[bd[j]];
                if (coord[j] < indices.dim(bd[j])) {
                    break;
                }
                pos -= strides[bd[j]] * coord[j];
                coord[j] = 0;
            }
            if (j < 0) {
                return;
            }
        }
    }

    static Value scatter(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        if (ops.size() < 3 || ops.size() % 2 == 0) {
            throw new IllegalArgumentException(
                    "scatter takes N operands, the indices and N updates; got " + ops.size() + " operands");
        }
        int count = (ops.size() - 1) / 2;
        ScatterDimensions sd = ins.scatterDimensions()
                .orElseThrow(() -> new IllegalArgumentException("scatter without dimension numbers"));
        if (ins.calledComputations().size() != 1) {
            throw new IllegalArgumentException("scatter needs one to_apply computation");
        }
        HloComputation toApply = ins.calledComputations().get(0);
        Array a = ops.get(0).asArray();
        Array indices = ops.get(count).asArray();
        Array u0 = ops.get(count + 1).asArray();
        List<Array> results = new ArrayList<>(count);
        List<Array> updates = new ArrayList<>(count);
        HloShape s = ins.shape();
        for (int k = 0; k < count; k++) {
            Array op = ops.get(k).asArray();
            Array up = ops.get(count + 1 + k).asArray();
            HloShape rs = count == 1 && s.isArray()
                    ? s
                    : s.isTuple() && s.tupleShapes().size() == count
                            ? s.tupleShapes().get(k)
                            : null;
            if (rs == null
                    || !rs.isArray()
                    || rs.elementType() != op.type()
                    || !java.util.Arrays.equals(rs.dims(), a.dims())
                    || !java.util.Arrays.equals(op.dims(), a.dims())
                    || up.type() != op.type()
                    || !java.util.Arrays.equals(up.dims(), u0.dims())) {
                throw new IllegalArgumentException(
                        "scatter operand " + op + " / update " + up + " do not fit result " + s);
            }
            Array r = Array.allocate(op.type(), op.dims());
            Array.copy(op, 0, r, 0, op.size());
            results.add(r);
            updates.add(up);
        }
        int rank = a.rank();
        int[] updateWindowDims = ints(sd.updateWindowDims());
        int[] inserted = ints(sd.insertedWindowDims());
        int[] toOperand = ints(sd.scatterDimsToOperandDims());
        int[] inputBatching = ints(sd.inputBatchingDims());
        int[] indicesBatching = ints(sd.scatterIndicesBatchingDims());
        IndexLayout il = IndexLayout.of(indices, sd.indexVectorDim());
        checkDims(updateWindowDims, u0.rank(), "update_window_dims");
        checkDims(inserted, rank, "inserted_window_dims");
        checkDims(toOperand, rank, "scatter_dims_to_operand_dims");
        checkDims(inputBatching, rank, "input_batching_dims");
        checkDims(indicesBatching, indices.rank(), "scatter_indices_batching_dims");
        if (toOperand.length != il.length() || inputBatching.length != indicesBatching.length) {
            throw new IllegalArgumentException("scatter_dims_to_operand_dims " + sd.scatterDimsToOperandDims()
                    + " does not fit index vectors of length " + il.length()
                    + ", or the batching dimensions do not pair up");
        }
        int[] sortedWindow = updateWindowDims.clone();
        java.util.Arrays.sort(sortedWindow);
        int[] windowOperandDims = new int[updateWindowDims.length];
        long[] windowSize = new long[rank];
        int w = 0;
        for (int d = 0; d < rank; d++) {
            windowSize[d] = 1;
            if (!contains(inserted, d) && !contains(inputBatching, d)) {
                if (w == windowOperandDims.length) {
                    throw new IllegalArgumentException(
                            "update_window_dims " + sd.updateWindowDims() + " do not cover the operand");
                }
                windowOperandDims[w] = d;
                windowSize[d] = u0.dim(sortedWindow[w]);
                if (windowSize[d] > a.dim(d)) {
                    throw new IllegalArgumentException(
                            "update window dimension " + sortedWindow[w] + " is larger than operand dimension " + d);
                }
                w++;
            }
        }
        if (w != windowOperandDims.length) {
            throw new IllegalArgumentException(
                    "update_window_dims " + sd.updateWindowDims() + " do not match the operand");
        }
        int scatterRank = u0.rank() - updateWindowDims.length;
        if (scatterRank != il.batchDims().length) {
            throw new IllegalArgumentException("updates " + u0 + " do not fit indices " + indices);
        }
        int[] updScatterDims = new int[scatterRank];
        int b = 0;
        for (int d = 0; d < u0.rank(); d++) {
            if (!contains(updateWindowDims, d)) {
                updScatterDims[b] = d;
                if (u0.dim(d) != indices.dim(il.batchDims()[b])) {
                    throw new IllegalArgumentException("updates " + u0 + " do not fit indices " + indices);
                }
                b++;
            }
        }
        int[] batchingPos = new int[inputBatching.length];
        for (int i = 0; i < inputBatching.length; i++) {
            batchingPos[i] = indexOf(il.batchDims(), indicesBatching[i]);
            if (batchingPos[i] < 0) {
                throw new IllegalArgumentException(
                        "scatter_indices_batching_dims " + sd.scatterIndicesBatchingDims() + " do not fit");
            }
        }
        int[] aStrides = a.strides();
        int[] uStrides = u0.strides();
        int[] counts = new int[windowOperandDims.length];
        int[] opStrides = new int[windowOperandDims.length];
        int[] upStrides = new int[windowOperandDims.length];
        for (int j = 0; j < windowOperandDims.length; j++) {
            counts[j] = (int) windowSize[windowOperandDims[j]];
            opStrides[j] = aStrides[windowOperandDims[j]];
            upStrides[j] = uStrides[sortedWindow[j]];
        }
        BlockCopy.Run combine = ScatterCombiner.of(toApply, results, updates, ctx);
        long[] start = new long[rank];
        walkBatches(indices, il, (coord, indexPos, step) -> {
            if ((step & 0xFFF) == 0) {
                ctx.checkDeadline();
            }
            java.util.Arrays.fill(start, 0);
            for (int k = 0; k < toOperand.length; k++) {
                start[toOperand[k]] = BlockCopy.index(indices, indexPos + k * il.componentStride());
            }
            for (int i = 0; i < inputBatching.length; i++) {
                start[inputBatching[i]] = coord[batchingPos[i]];
            }
            int opBase = 0;
            for (int d = 0; d < rank; d++) {
                if (start[d] < 0 || start[d] > a.dim(d) - windowSize[d]) {
                    return;
                }
                opBase += (int) start[d] * aStrides[d];
            }
            int upBase = 0;
            for (int j = 0; j < scatterRank; j++) {
                upBase += coord[j] * uStrides[updScatterDims[j]];
            }
            BlockCopy.forEachRun(opBase, opStrides, upBase, upStrides, counts, combine);
        });
        return count == 1 && s.isArray() ? results.get(0) : new TupleValue(new ArrayList<>(results));
    }
}
