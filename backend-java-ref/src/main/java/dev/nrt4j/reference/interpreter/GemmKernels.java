package dev.nrt4j.reference.interpreter;

import java.util.Locale;
import java.util.Optional;

/**
 * Which {@link GemmKernel} the interpreter's dot uses, chosen once per JVM.
 *
 * <p>The vector kernel ({@code VectorGemm}, Java 22 code in the multi-release jar, built on
 * {@code jdk.incubator.vector}) runs when the JVM resolved that module, i.e. was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code nrt4j} launcher does that). Otherwise, on JDK 17 or
 * when the module was not added, the scalar {@link BlockedGemm} runs: the same bits, slower. The system
 * property {@value #PROPERTY}{@code =scalar} forces the scalar kernel (for comparing the two).
 * Thread-safe: the choice is made in the class initialiser and never changes.
 */
public final class GemmKernels {
    /** The system property that forces a kernel: {@code scalar}, or {@code auto} (the default). */
    public static final String PROPERTY = "nrt4j.reference.gemm";
    /** The module the vector kernel needs at run time. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Where the vector kernel's class lives in the multi-release jar (Java 22 and newer). */
    private static final String VECTOR_CLASS = "dev.nrt4j.reference.interpreter.VectorGemm";
    /** The first Java release whose classes in the multi-release jar include the vector kernel. */
    private static final int VECTOR_RELEASE = 22;

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
        String why = null;
        GemmKernel vector = null;
        if (Runtime.version().feature() < VECTOR_RELEASE) {
            why = "the vector kernel needs Java " + VECTOR_RELEASE + " or newer with --add-modules " + VECTOR_MODULE;
        } else if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            why = "start the JVM with --add-modules " + VECTOR_MODULE + " for the vector kernel";
        } else {
            try {
                vector = (GemmKernel) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                why = "this build of nrt4j has no vector kernel (built on a JDK older than " + VECTOR_RELEASE + ")";
            }
        }
        VECTOR = vector;
        boolean forced = "scalar".equals(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT));
        if (forced && vector != null) {
            why = "forced by -D" + PROPERTY + "=scalar";
        }
        ACTIVE = vector != null && !forced ? vector : SCALAR;
        WHY_NOT_VECTOR = why;
    }

    private GemmKernels() {
    }

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
