package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.testsupport.Needs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector kernel's {@link GatheredGemm} against its contract, bit for bit, on offsets no convolution would
 * make: steps out of order and repeated, rhs rows anywhere, output columns strided and rows in any order.
 * Shapes cross the kernel's remainders (rows not a multiple of its 6-row tile, more rows than one block, columns
 * past one 512-column block, steps around its 256-step pieces, no steps at all). The output starts as garbage,
 * so a product that adds to it instead of starting from {@code +0.0}, or writes where it should not, shows.
 */
class GatheredGemmTest {
    private static GatheredGemm vector() {
        Needs.that(
                ModuleLayer.boot().findModule(GemmKernels.VECTOR_MODULE).isPresent(),
                "the JVM option --add-modules " + GemmKernels.VECTOR_MODULE + " (the build's test argLine adds it)");
        assertThat(GemmKernels.vector()).isPresent();
        return GemmKernels.vector().get().gathered().orElseThrow();
    }

    /** A job with random offsets into operands of the returned sizes: {lhs, rhs, out}. */
    private record Sized(GatheredGemm.Job job, int lhs, int rhs, int out) {}

    private static Sized job(SplittableRandom rnd, int m, int n, int k) {
        int lhsBase = rnd.nextInt(5);
        int[] steps = new int[k];
        for (int p = 0; p < k; p++) {
            steps[p] = rnd.nextInt(60);
        }
        int[] lhsRows = new int[m];
        for (int i = 0; i < m; i++) {
            lhsRows[i] = rnd.nextInt(300);
        }
        int rhsBase = rnd.nextInt(5);
        int rhsSpace = 1 + rnd.nextInt(4 * n + 10);
        int[] rhsRows = new int[k];
        for (int p = 0; p < k; p++) {
            rhsRows[p] = rnd.nextInt(rhsSpace);
        }
        int outStride = 1 + rnd.nextInt(3);
        int outBase = rnd.nextInt(5);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(rnd.nextLong()));
        int[] outRows = new int[m];
        for (int i = 0; i < m; i++) {
            outRows[i] = order.get(i) * n * outStride;
        }
        GatheredGemm.Job job =
                new GatheredGemm.Job(lhsRows, lhsBase, steps, rhsRows, rhsBase, n, outRows, outBase, outStride);
        return new Sized(job, lhsBase + 300 + 60, rhsBase + rhsSpace + n, outBase + m * n * outStride + 3);
    }

    /** The contract, one output element at a time. */
    private static void definition(float[] l, float[] r, float[] out, GatheredGemm.Job j) {
        for (int i = 0; i < j.rows(); i++) {
            for (int c = 0; c < j.columns(); c++) {
                float acc = 0f;
                for (int p = 0; p < j.depth(); p++) {
                    acc = Math.fma(
                            l[j.lhsBase() + j.lhsRows()[i] + j.steps()[p]], r[j.rhsBase() + j.rhsRows()[p] + c], acc);
                }
                out[j.outBase() + j.outRows()[i] + c * j.outStride()] = acc;
            }
        }
    }

    private static void definition(double[] l, double[] r, double[] out, GatheredGemm.Job j) {
        for (int i = 0; i < j.rows(); i++) {
            for (int c = 0; c < j.columns(); c++) {
                double acc = 0.0;
                for (int p = 0; p < j.depth(); p++) {
                    acc = Math.fma(
                            l[j.lhsBase() + j.lhsRows()[i] + j.steps()[p]], r[j.rhsBase() + j.rhsRows()[p] + c], acc);
                }
                out[j.outBase() + j.outRows()[i] + c * j.outStride()] = acc;
            }
        }
    }

    @Test
    void theVectorProductKeepsItsContractBitForBit() {
        GatheredGemm gemm = vector();
        SplittableRandom rnd = new SplittableRandom(14);
        int[][] shapes = {{1, 1, 1}, {6, 32, 0}, {7, 33, 1}, {97, 20, 257}, {13, 600, 30}, {150, 70, 520}, {5, 1, 256}};
        int[] ks = {0, 1, 2, 5, 255, 256, 257, 300};
        List<int[]> all = new ArrayList<>(Arrays.asList(shapes));
        for (int i = 0; i < 30; i++) {
            all.add(new int[] {1 + rnd.nextInt(120), 1 + rnd.nextInt(100), ks[rnd.nextInt(ks.length)]});
        }
        for (int[] s : all) {
            Sized sized = job(rnd, s[0], s[1], s[2]);
            EvaluationContext ctx = GemmKernelsTest.context(1 + rnd.nextInt(3), new Cancellation());
            String what = Arrays.toString(s);

            float[] l = GemmKernelsTest.floats(rnd, sized.lhs());
            float[] r = GemmKernelsTest.floats(rnd, sized.rhs());
            float[] want = GemmKernelsTest.floats(rnd, sized.out());
            float[] got = want.clone();
            definition(l, r, want, sized.job());
            gemm.run(l, r, got, sized.job(), ctx);
            assertThat(GemmKernelsTest.bits(got)).as("f32 %s", what).containsExactly(GemmKernelsTest.bits(want));

            double[] dl = GemmKernelsTest.doubles(rnd, sized.lhs());
            double[] dr = GemmKernelsTest.doubles(rnd, sized.rhs());
            double[] dwant = GemmKernelsTest.doubles(rnd, sized.out());
            double[] dgot = dwant.clone();
            definition(dl, dr, dwant, sized.job());
            gemm.run(dl, dr, dgot, sized.job(), ctx);
            assertThat(GemmKernelsTest.bits(dgot)).as("f64 %s", what).containsExactly(GemmKernelsTest.bits(dwant));
        }
    }

    @Test
    void aCancelledExecutionStopsTheProduct() {
        GatheredGemm gemm = vector();
        Cancellation closing = new Cancellation();
        closing.cancel();
        Sized sized = job(new SplittableRandom(1), 64, 64, 64);
        assertThatThrownBy(() -> gemm.run(
                        new float[sized.lhs()],
                        new float[sized.rhs()],
                        new float[sized.out()],
                        sized.job(),
                        GemmKernelsTest.context(2, closing)))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
    }
}
