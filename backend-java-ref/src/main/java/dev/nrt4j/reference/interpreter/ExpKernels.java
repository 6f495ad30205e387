package dev.nrt4j.reference.interpreter;

import java.util.Optional;

/**
 * The loop of f32 {@code exponential} (also bf16 and f16, which compute in f32), chosen once per JVM: the scalar one
 * ({@link CheckedFastMath#exp} per element), or the vector one ({@code VectorExp}, on {@code jdk.incubator.vector}),
 * which computes the double exponentials a vector at a time and settles each with {@link CheckedFastMath#settle}, so
 * that both give {@code (float) StrictMath.exp(x)} bit for bit. The vector loop runs when {@link VectorModule} can load
 * it (the JVM resolved the module). Stateless and thread-safe.
 */
final class ExpKernels {
    /** A loop over {@code [from, to)} of {@code r[i] = exp(a[i])}. */
    interface Kernel {
        void exp(float[] a, float[] r, int from, int to);
    }

    /** Element by element. */
    static final Kernel SCALAR = (a, r, from, to) -> {
        for (int i = from; i < to; i++) {
            r[i] = CheckedFastMath.exp(a[i]);
        }
    };

    private static final Kernel VECTOR = VectorModule.load(Kernel.class, "VectorExp", "the vector loop")
            .kernel()
            .orElse(null);

    private ExpKernels() {}

    /** The loop unary ops use. */
    static Kernel active() {
        return VECTOR != null ? VECTOR : SCALAR;
    }

    /** The vector loop, if this JVM can run it. */
    static Optional<Kernel> vector() {
        return Optional.ofNullable(VECTOR);
    }
}
