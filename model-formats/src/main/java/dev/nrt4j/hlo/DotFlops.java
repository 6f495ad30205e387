package dev.nrt4j.hlo;

/**
 * The floating-point operations of {@code dot}s and {@code convolution}s, 2 per multiply-add: for a dot,
 * twice the product of the result's dimensions and the contracted dimensions; for a convolution, twice the
 * result's elements times the kernel's elements per output feature (its input features, per group, times
 * its window), every window position counted, padded ones too. What a GFLOP/s figure counts (the
 * benchmarks), what a profile's trace events report per instruction and what the reference device adds to
 * a core's FLOP counter. Other instructions count 0. Stateless.
 */
public final class DotFlops {
    private DotFlops() {}

    /**
     * {@return the FLOPs of one execution of {@code instruction} if it is a {@code dot} or a
     * {@code convolution}, else 0}
     *
     * @param instruction any instruction of a well-typed module
     */
    public static long of(HloInstruction instruction) {
        if (instruction.opcode() == HloOpcode.CONVOLUTION) {
            ConvolutionDimensions d = instruction.convolutionDimensions().orElseThrow();
            HloShape kernel = instruction.operand(1).shape();
            long outputFeatures = kernel.dim(d.kernelOutputFeature());
            // Each output element sums the kernel's elements of one output feature.
            return outputFeatures == 0
                    ? 0
                    : 2 * instruction.shape().elementCount() * (kernel.elementCount() / outputFeatures);
        }
        if (instruction.opcode() != HloOpcode.DOT) {
            return 0;
        }
        long contracted = 1;
        for (int d : instruction.dotDimensions().orElseThrow().lhsContracting()) {
            contracted *= instruction.operand(0).shape().dim(d);
        }
        return 2 * instruction.shape().elementCount() * contracted;
    }

    /** {@return the FLOPs of every {@code dot} and {@code convolution} of {@code module}, each counted once} */
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
