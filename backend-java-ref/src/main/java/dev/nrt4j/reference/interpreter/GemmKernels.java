package dev.nrt4j.reference.interpreter;

import java.util.Locale;
import java.util.Optional;

/**
 * Which {@link GemmKernel} the interpreter's dot uses, chosen once per JVM.
 *
 * <p>The vector kernel ({@code VectorGemm}, built on the incubator module {@code jdk.incubator.vector}, in a
 * source root of its own so nothing else depends on the module) runs when the JVM resolved that module, i.e.
 * was started with {@code --add-modules jdk.incubator.vector} (the {@code nrt4j} launcher does that). Without
 * it the scalar {@link BlockedGemm} runs: the same bits, several times slower (most on JDK 17, whose C2 does
 * not vectorize its loops). The system property {@value #PROPERTY}{@code =scalar} forces the scalar kernel.
 * Thread-safe: the choice is made in the class initialiser and never changes.
 */
public final class GemmKernels {
    /** The system property that forces a kernel: {@code scalar}, or {@code auto} (the default). */
    public static final String PROPERTY = "nrt4j.reference.gemm";
    /** The module the vector kernel needs at run time. */
    public static final String VECTOR_MODULE = VectorModule.NAME;

    /** {@link BlockedGemm}: Math.fma loops that C2 vectorizes across output columns. */
    static final GemmKernel SCALAR = new GemmKernel() {
        @Override
        public void gemm(float[] l, float[] r, float[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
            BlockedGemm.gemm(l, r, c, batch, m, n, k, ctx);
        }

        @Override
        public void gemm(double[] l, double[] r, double[] c, int batch, int m, int n, int k, EvaluationContext ctx) {
            BlockedGemm.gemm(l, r, c, batch, m, n, k, ctx);
        }

        @Override
        public String describe() {
            return "scalar (Math.fma loops)";
        }
    };

    private static final String WHY_NOT_VECTOR;
    private static final GemmKernel VECTOR;
    private static final GemmKernel ACTIVE;

    static {
        VectorModule.Loaded<GemmKernel> loaded = VectorModule.load(GemmKernel.class, "VectorGemm", "the vector kernel");
        String why = loaded.whyNot();
        GemmKernel vector = loaded.kernel().orElse(null);
        VECTOR = vector;
        boolean forced =
                "scalar".equals(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT));
        if (forced && vector != null) {
            why = "forced by -D" + PROPERTY + "=scalar";
        }
        ACTIVE = vector != null && !forced ? vector : SCALAR;
        WHY_NOT_VECTOR = why;
    }

    private GemmKernels() {}

    /** The kernel dots use. */
    static GemmKernel active() {
        return ACTIVE;
    }

    /** The vector kernel, if this JVM can run it (whether or not it is forced off). */
    static Optional<GemmKernel> vector() {
        return Optional.ofNullable(VECTOR);
    }

    /**
     * One phrase for the backend's description: which dot kernel is active and, when it is the scalar one,
     * why and how to get the vector one.
     */
    public static String description() {
        String active = "dot kernel " + ACTIVE.describe();
        return ACTIVE == SCALAR ? active + "; " + WHY_NOT_VECTOR : active;
    }
}
