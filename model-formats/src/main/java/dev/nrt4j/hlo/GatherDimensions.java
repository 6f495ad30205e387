package dev.nrt4j.hlo;

import java.util.List;

/**
 * How a {@code gather} reads slices (XLA's {@code GatherDimensionNumbers}).
 *
 * @param offsetDims output dimensions that hold the slice's (uncollapsed) dimensions
 * @param collapsedSliceDims operand dimensions of size-1 slices that are dropped
 * @param startIndexMap which operand dimension each index component addresses
 * @param indexVectorDim the dimension of the start indices that holds the index vectors
 * @param operandBatchingDims operand batching dimensions
 * @param startIndicesBatchingDims start-indices batching dimensions, paired with the operand's
 */
public record GatherDimensions(
        List<Integer> offsetDims,
        List<Integer> collapsedSliceDims,
        List<Integer> startIndexMap,
        int indexVectorDim,
        List<Integer> operandBatchingDims,
        List<Integer> startIndicesBatchingDims) {
    /** Copies the lists. */
    public GatherDimensions {
        offsetDims = List.copyOf(offsetDims);
        collapsedSliceDims = List.copyOf(collapsedSliceDims);
        startIndexMap = List.copyOf(startIndexMap);
        operandBatchingDims = List.copyOf(operandBatchingDims);
        startIndicesBatchingDims = List.copyOf(startIndicesBatchingDims);
    }
}
