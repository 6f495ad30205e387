package dev.nrt4j.hlo;

import java.util.List;

/**
 * How a {@code scatter} writes updates (XLA's {@code ScatterDimensionNumbers}).
 *
 * @param updateWindowDims update dimensions that hold the window
 * @param insertedWindowDims operand dimensions of size-1 windows not present in the updates
 * @param scatterDimsToOperandDims which operand dimension each index component addresses
 * @param indexVectorDim the dimension of the scatter indices that holds the index vectors
 * @param inputBatchingDims operand batching dimensions
 * @param scatterIndicesBatchingDims scatter-indices batching dimensions, paired with the operand's
 */
public record ScatterDimensions(
        List<Integer> updateWindowDims,
        List<Integer> insertedWindowDims,
        List<Integer> scatterDimsToOperandDims,
        int indexVectorDim,
        List<Integer> inputBatchingDims,
        List<Integer> scatterIndicesBatchingDims) {
    /** Copies the lists. */
    public ScatterDimensions {
        updateWindowDims = List.copyOf(updateWindowDims);
        insertedWindowDims = List.copyOf(insertedWindowDims);
        scatterDimsToOperandDims = List.copyOf(scatterDimsToOperandDims);
        inputBatchingDims = List.copyOf(inputBatchingDims);
        scatterIndicesBatchingDims = List.copyOf(scatterIndicesBatchingDims);
    }
}
