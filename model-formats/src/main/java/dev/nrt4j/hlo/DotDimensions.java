package dev.nrt4j.hlo;

import java.util.List;

/**
 * The contracting and batch dimensions of a {@code dot} (XLA's {@code DotDimensionNumbers}).
 *
 * @param lhsContracting contracting dimensions of the left operand
 * @param rhsContracting contracting dimensions of the right operand, paired with the left's
 * @param lhsBatch batch dimensions of the left operand
 * @param rhsBatch batch dimensions of the right operand, paired with the left's
 */
public record DotDimensions(
        List<Integer> lhsContracting, List<Integer> rhsContracting, List<Integer> lhsBatch, List<Integer> rhsBatch) {
    /** Copies the lists. */
    public DotDimensions {
        lhsContracting = List.copyOf(lhsContracting);
        rhsContracting = List.copyOf(rhsContracting);
        lhsBatch = List.copyOf(lhsBatch);
        rhsBatch = List.copyOf(rhsBatch);
    }
}
