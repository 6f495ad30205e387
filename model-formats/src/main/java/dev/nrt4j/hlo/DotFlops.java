package dev.nrt4j.hlo;

/**
 * The floating-point operations of {@code dot}s: 2 per multiply-add, i.e. twice the product of the
 * result's dimensions and the contracted dimensions. What a GFLOP/s figure counts (the benchmarks) and
 * what a profile's trace events report per instruction. Stateless.
 */
public final class DotFlops {
    private DotFlops() {}

    /**
     * {@return the FLOPs of one execution of {@code instruction} if it is a {@code dot}, else 0}
     *
     * @param instruction any instruction of a well-typed module
     */
    public static long of(HloInstruction instruction) {
        if (instruction.opcode() != HloOpcode.DOT) {
            return 0;
        }
        long contracted = 1;
        for (int d : instruction.dotDimensions().orElseThrow().lhsContracting()) {
            contracted *= instruction.operand(0).shape().dim(d);
        }
        return 2 * instruction.shape().elementCount() * contracted;
    }

    /** {@return the FLOPs of every {@code dot} of {@code module}, each counted once} */
    public static long of(HloModule module) {
        long total = 0;
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                total += of(i);
            }
        }
        return total;
    }
}
