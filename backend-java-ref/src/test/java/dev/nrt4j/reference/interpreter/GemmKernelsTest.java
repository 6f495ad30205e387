package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector dot kernel against the scalar one, bit for bit, and which of them a JVM picks. The scalar kernel
 * is itself checked against the textbook sum by {@link DotKernelBitExactTest}; here the two kernels run on the
 * same packed operands over many random shapes that hit every remainder of the vector kernel: rows not a
 * multiple of its 6-row tile, columns not a multiple of its two-vector tile or of a column block, {@code k}
 * of 0, 1 and around its 256-step pieces, batches, and outputs that already hold values (the kernel adds to
 * them, which is also how a tile's sum crosses from one {@code k} piece to the next).
 */
class GemmKernelsTest {
    private static final int MAX_PARALLELISM = 3;

    static EvaluationContext context(int parallelism, Cancellation cancellation) {
        Evaluator e = new Evaluator(
                HloTextParser.parse("HloModule m\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n", "m"),
                OpRegistry.standard(),
                parallelism);
        return new EvaluationContext(e, Long.MAX_VALUE, 0, 1, Rendezvous.SINGLE, Long.MAX_VALUE, cancellation);
    }

    /** The vector kernel, which this JVM has when started with the module (the build's tests add it). */
    private static GemmKernel vectorKernel() {
        Needs.that(
                ModuleLayer.boot().findModule(GemmKernels.VECTOR_MODULE).isPresent(),
                "the JVM option --add-modules " + GemmKernels.VECTOR_MODULE + " (the build's test argLine adds it)");
        assertThat(GemmKernels.vector())
                .as("the vector kernel, with the module present")
                .isPresent();
        return GemmKernels.vector().get();
    }

    /** Active: the vector kernel, or the scalar one in the build's second test run, which forces it. */
    @Test
    void theVectorKernelIsTheActiveOneUnlessTheScalarOneIsForced() {
        GemmKernel vector = vectorKernel();
        if ("scalar".equals(System.getProperty(GemmKernels.PROPERTY))) {
            assertThat(GemmKernels.active()).isSameAs(GemmKernels.SCALAR);
            assertThat(GemmKernels.description())
                    .startsWith("dot kernel scalar")
                    .contains("forced");
        } else {
            assertThat(GemmKernels.active()).isSameAs(vector);
            assertThat(GemmKernels.description())
                    .startsWith("dot kernel vector")
                    .contains("FMA");
        }
    }

    /** A shape: batch, m, n, k. */
    private record Shape(int batch, int m, int n, int k) {}

    private static List<Shape> shapes(SplittableRandom rnd) {
        List<Shape> out = new ArrayList<>(List.of(
                new Shape(1, 1, 1, 1),
                new Shape(1, 6, 32, 1),
                new Shape(1, 7, 33, 0),
                new Shape(1, 0, 5, 4),
                new Shape(1, 5, 0, 4),
                new Shape(1, 12, 64, 256),
                new Shape(1, 13, 65, 257),
                new Shape(2, 18, 515, 513),
                new Shape(3, 1, 300, 70),
                new Shape(1, 300, 1, 70),
                new Shape(4, 5, 17, 255),
                new Shape(1, 97, 600, 31),
                // An MLP's few rows: blocks split over columns only.
                new Shape(1, 64, 1024, 300),
                new Shape(1, 64, 130, 513)));
        int[] ks = {0, 1, 2, 3, 5, 16, 255, 256, 257, 300, 512, 513};
        for (int i = 0; i < 40; i++) {
            out.add(new Shape(
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(40), 1 + rnd.nextInt(150), ks[rnd.nextInt(ks.length)]));
        }
        return out;
    }

    @Test
    void vectorAndScalarKernelsGiveTheSameBitsOverManyShapes() {
        GemmKernel vector = vectorKernel();
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (Shape s : shapes(rnd)) {
            EvaluationContext ctx = context(1 + rnd.nextInt(MAX_PARALLELISM), new Cancellation());
            float[] l = floats(rnd, s.batch() * s.m() * s.k());
            float[] r = floats(rnd, s.batch() * s.k() * s.n());
            float[] start = floats(rnd, s.batch() * s.m() * s.n());
            float[] want = start.clone();
            float[] got = start.clone();
            GemmKernels.SCALAR.gemm(l, r, want, s.batch(), s.m(), s.n(), s.k(), ctx);
            vector.gemm(l, r, got, s.batch(), s.m(), s.n(), s.k(), ctx);
            assertThat(bits(got)).as("f32 %s", s).containsExactly(bits(want));

            double[] dl = doubles(rnd, l.length);
            double[] dr = doubles(rnd, r.length);
            double[] dstart = doubles(rnd, start.length);
            double[] dwant = dstart.clone();
            double[] dgot = dstart.clone();
            GemmKernels.SCALAR.gemm(dl, dr, dwant, s.batch(), s.m(), s.n(), s.k(), ctx);
            vector.gemm(dl, dr, dgot, s.batch(), s.m(), s.n(), s.k(), ctx);
            assertThat(bits(dgot)).as("f64 %s", s).containsExactly(bits(dwant));
        }
    }

    @Test
    void aCancelledExecutionStopsEitherKernel() {
        List<GemmKernel> kernels = new ArrayList<>(List.of(GemmKernels.SCALAR));
        GemmKernels.vector().ifPresent(kernels::add);
        for (GemmKernel kernel : kernels) {
            Cancellation closing = new Cancellation();
            closing.cancel();
            float[] c = new float[64 * 64];
            assertThatThrownBy(() ->
                            kernel.gemm(new float[64 * 64], new float[64 * 64], c, 1, 64, 64, 64, context(2, closing)))
                    .as(kernel.describe())
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        }
    }

    /** Without the module, or with the scalar kernel forced, a JVM runs the scalar kernel and says why. */
    @Test
    void aJvmWithoutTheModuleOrForcedToScalarSaysSoAndHowToEnableTheVectorKernel() throws Exception {
        vectorKernel();
        assertThat(childDescription(List.of()))
                .startsWith("dot kernel scalar")
                .contains("--add-modules " + GemmKernels.VECTOR_MODULE);
        assertThat(childDescription(
                        List.of("--add-modules", GemmKernels.VECTOR_MODULE, "-D" + GemmKernels.PROPERTY + "=scalar")))
                .startsWith("dot kernel scalar")
                .contains("forced by -D" + GemmKernels.PROPERTY + "=scalar");
        assertThat(childDescription(List.of("--add-modules", GemmKernels.VECTOR_MODULE)))
                .startsWith("dot kernel vector");
    }

    /** What {@link GemmKernels#description()} says in a fresh JVM with these options. */
    private static String childDescription(List<String> options) throws IOException, InterruptedException {
        return ChildJvm.output(GemmKernelsDescription.class, options);
    }

    /** Values that matter for bits: signed zeros, infinities, subnormals, exact small integers and random ones. */
    static float[] floats(SplittableRandom rnd, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            out[i] = kind == 0
                    ? 0f
                    : kind == 1
                            ? -0f
                            : kind == 2
                                    ? (rnd.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)
                                    : kind == 3
                                            ? Float.MIN_VALUE * rnd.nextInt(1, 1000)
                                            : kind < 10 ? rnd.nextInt(-4, 5) : (float) (rnd.nextDouble() * 8 - 4);
        }
        return out;
    }

    static double[] doubles(SplittableRandom rnd, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            out[i] = kind == 0
                    ? 0.0
                    : kind == 1
                            ? -0.0
                            : kind == 2
                                    ? (rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY)
                                    : kind == 3
                                            ? Double.MIN_VALUE * rnd.nextInt(1, 1000)
                                            : kind < 10 ? rnd.nextInt(-4, 5) : rnd.nextDouble() * 8 - 4;
        }
        return out;
    }

    /**
     * Raw bits, so {@code -0.0} and {@code 0.0} differ; NaNs (from {@code inf - inf} and {@code 0 * inf}) as the
     * canonical NaN, since their payload is the CPU's, not the kernel's (the JDK's software {@link Math#fma},
     * used before the JIT compiles a loop, already gives a different one than the FMA instruction).
     */
    static long[] bits(float[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToIntBits(a[i]);
        }
        return out;
    }

    static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToLongBits(a[i]);
        }
        return out;
    }
}
