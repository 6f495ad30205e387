package dev.nrt4j.benchmarks;

import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;

/**
 * The floating-point operations of a module's {@code dot}s: 2 per multiply-add, i.e. twice the
 * product of the result's dimensions and the contracted dimensions. What a GFLOP/s figure counts.
 */
final class DotFlops {
    private DotFlops() {}

    static long of(HloModule module) {
        long total = 0;
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                if (i.opcode() != HloOpcode.DOT) {
                    continue;
                }
                long contracted = 1;
                for (int d : i.dotDimensions().orElseThrow().lhsContracting()) {
                    contracted *= i.operand(0).shape().dim(d);
                }
                total += 2 * i.shape().elementCount() * contracted;
            }
        }
        return total;
    }
}
