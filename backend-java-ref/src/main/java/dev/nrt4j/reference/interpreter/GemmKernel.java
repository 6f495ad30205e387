package dev.nrt4j.reference.interpreter;

import java.util.Optional;

/**
 * A float and double dot kernel: {@code c[b][m][n] += l[b][m][k] * r[b][k][n]} on packed row-major operands,
 * where every output element is its own accumulator (starting from its value in {@code c}) that takes one
 * fused multiply-add per {@code k}, {@code k} ascending: {@code c = fma(l, r, c)}. That order is XLA's
 * (see {@link DotOps}), so every implementation gives the same bits; they differ only in speed.
 *
 * <p>Implementations are stateless and thread-safe; a call may run on several threads of the execution
 * (up to {@link EvaluationContext#parallelism()}) and checks the execution's deadline between its tiles,
 * so it can throw what {@link EvaluationContext#checkDeadline()} throws.
 */
interface GemmKernel {
    /** The f32 kernel (also bf16 and f16, which the caller widens to f32 and rounds back). */
    void gemm(float[] l, float[] r, float[] c, int batch, int m, int n, int k, EvaluationContext ctx);

    /** The f64 kernel. */
    void gemm(double[] l, double[] r, double[] c, int batch, int m, int n, int k, EvaluationContext ctx);

    /** A few words on how this kernel works, for the backend's description. */
    String describe();

    /**
     * The same kernel for products with gathered lhs rows (convolution), if it has one; without it, convolution
     * keeps its own loops.
     */
    default Optional<GatheredGemm> gathered() {
        return Optional.empty();
    }
}
