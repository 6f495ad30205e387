package dev.nrt4j.reference.interpreter;

import java.util.Optional;

/**
 * The loops of elementwise {@code maximum} and {@code minimum} on f32 and f64, chosen once per JVM. Their
 * per-element rule ({@link ElementwiseOps#max(float, float)}: NaN propagates, the first operand wins ties, so
 * {@code max(-0, +0)} is {@code -0}) has branches the JIT cannot vectorize, and on data like a ReLU's, half
 * of them mispredicted. The vector loops ({@code VectorMinMax}, on {@code jdk.incubator.vector}) compute the same
 * rule with a lane mask and a blend, so every result is the same operand, bit for bit; they run when
 * {@link VectorModule} can load them (the JVM resolved the module), else the scalar loops run.
 * Stateless and thread-safe.
 */
final class MinMaxKernels {
    /** Loops over {@code [from, to)} of {@code r[i] = op(a[i], b[i])}. */
    interface Kernel {
        void max(float[] a, float[] b, float[] r, int from, int to);

        void min(float[] a, float[] b, float[] r, int from, int to);

        void max(double[] a, double[] b, double[] r, int from, int to);

        void min(double[] a, double[] b, double[] r, int from, int to);
    }

    /** Element by element with {@link ElementwiseOps}'s rule. */
    static final Kernel SCALAR = new Kernel() {
        @Override
        public void max(float[] a, float[] b, float[] r, int from, int to) {
            for (int i = from; i < to; i++) {
                r[i] = ElementwiseOps.max(a[i], b[i]);
            }
        }

        @Override
        public void min(float[] a, float[] b, float[] r, int from, int to) {
            for (int i = from; i < to; i++) {
                r[i] = ElementwiseOps.min(a[i], b[i]);
            }
        }

        @Override
        public void max(double[] a, double[] b, double[] r, int from, int to) {
            for (int i = from; i < to; i++) {
                r[i] = ElementwiseOps.max(a[i], b[i]);
            }
        }

        @Override
        public void min(double[] a, double[] b, double[] r, int from, int to) {
            for (int i = from; i < to; i++) {
                r[i] = ElementwiseOps.min(a[i], b[i]);
            }
        }
    };

    private static final Kernel VECTOR = VectorModule.load(Kernel.class, "VectorMinMax", "the vector loop")
            .kernel()
            .orElse(null);

    private MinMaxKernels() {}

    /** The loops elementwise ops use. */
    static Kernel active() {
        return VECTOR != null ? VECTOR : SCALAR;
    }

    /** The vector loops, if this JVM can run them. */
    static Optional<Kernel> vector() {
        return Optional.ofNullable(VECTOR);
    }
}
