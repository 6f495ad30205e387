package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.TriangularSolveOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearAlgebraOpsTest {
    private static HloInstruction.Builder solve(HloShape shape, boolean left, boolean lower, boolean unit, String t) {
        return HloInstruction.builder("s", "s", HloOpcode.TRIANGULAR_SOLVE, shape)
                .triangularSolveOptions(new TriangularSolveOptions(left, lower, unit, t));
    }

    /**
     * Every combination of side, triangle, transpose and unit diagonal on f64 data chosen so all arithmetic is
     * exact: integer entries, diagonal 2 or 4, a known integer solution x; b is op(a) x (or x op(a)) computed here.
     */
    @Test
    void everyVariantRecoversAKnownSolution() {
        SplittableRandom rnd = new SplittableRandom(7);
        int m = 5;
        int other = 3;
        for (boolean left : new boolean[] {true, false}) {
            for (boolean lower : new boolean[] {true, false}) {
                for (boolean unit : new boolean[] {true, false}) {
                    for (String t : new String[] {"NO_TRANSPOSE", "TRANSPOSE", "ADJOINT"}) {
                        double[] a = new double[m * m];
                        for (int i = 0; i < a.length; i++) {
                            a[i] = rnd.nextInt(-3, 4);
                        }
                        for (int i = 0; i < m; i++) {
                            a[i * m + i] = rnd.nextBoolean() ? 2 : 4;
                        }
                        // The triangle the solve may read; the rest of a is garbage it must ignore.
                        double[][] eff = new double[m][m];
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < m; j++) {
                                boolean inTriangle = lower ? i >= j : i <= j;
                                eff[i][j] = i == j && unit ? 1 : inTriangle ? a[i * m + j] : 0;
                            }
                        }
                        boolean tr = !t.equals("NO_TRANSPOSE");
                        int rows = left ? m : other;
                        int cols = left ? other : m;
                        double[] x = new double[rows * cols];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = rnd.nextInt(-5, 6);
                        }
                        double[] b = new double[rows * cols];
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < cols; c++) {
                                double s = 0;
                                for (int k = 0; k < m; k++) {
                                    s += left
                                            ? op(eff, tr, r, k) * x[k * cols + c]
                                            : x[r * cols + k] * op(eff, tr, k, c);
                                }
                                b[r * cols + c] = s;
                            }
                        }
                        Array out = DotConvPrograms.run(
                                solve(HloShape.array(ElementType.F64, rows, cols), left, lower, unit, t),
                                Array.wrap(ElementType.F64, new long[] {m, m}, a),
                                Array.wrap(ElementType.F64, new long[] {rows, cols}, b));
                        assertThat(out.doubles())
                                .as("left=%s lower=%s unit=%s %s", left, lower, unit, t)
                                .containsExactly(x);
                    }
                }
            }
        }
    }

    private static double op(double[][] eff, boolean transposed, int i, int j) {
        return transposed ? eff[j][i] : eff[i][j];
    }

    @Test
    void adjointConjugatesComplexEntries() {
        // a = [[2, 0], [i, 1]] lower; adjoint: [[2, -i], [0, 1]]. Solve a^H x = b with x = (1, 1+i):
        // b0 = 2*1 + (-i)(1+i) = 2 - i + 1 = 3 - i; b1 = 1 + i.
        Array a = Array.wrap(ElementType.C128, new long[] {2, 2}, new double[] {2, 0, 9, 9, 0, 1, 1, 0});
        Array b = Array.wrap(ElementType.C128, new long[] {2, 1}, new double[] {3, -1, 1, 1});
        Array x =
                DotConvPrograms.run(solve(HloShape.array(ElementType.C128, 2, 1), true, true, false, "ADJOINT"), a, b);
        assertThat(x.doubles()).containsExactly(1, 0, 1, 1);
    }

    @Test
    void batchedF32Solve() {
        // Two batches of 1x1 systems: 4x = 2 and 2x = -3.
        Array a = DotConvPrograms.f32(new long[] {2, 1, 1}, 4f, 2f);
        Array b = DotConvPrograms.f32(new long[] {2, 1, 1}, 2f, -3f);
        Array x = DotConvPrograms.run(
                solve(HloShape.array(ElementType.F32, 2, 1, 1), true, true, false, "NO_TRANSPOSE"), a, b);
        assertThat(x.floats()).containsExactly(0.5f, -1.5f);
    }

    private static HloInstruction.Builder cholesky(HloShape shape, boolean lower) {
        return HloInstruction.builder("c", "c", HloOpcode.CHOLESKY, shape).choleskyLower(lower);
    }

    @Test
    void choleskyFactorsExactly() {
        double[][] l = {{2, 0, 0}, {1, 3, 0}, {-1, 2, 1}};
        double[] a = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    a[i * 3 + j] += l[i][k] * l[j][k];
                }
            }
        }
        Array in = Array.wrap(ElementType.F64, new long[] {3, 3}, a);
        Array lo = DotConvPrograms.run(cholesky(HloShape.array(ElementType.F64, 3, 3), true), in);
        assertThat(lo.doubles()).containsExactly(2, 0, 0, 1, 3, 0, -1, 2, 1);
        Array up = DotConvPrograms.run(cholesky(HloShape.array(ElementType.F64, 3, 3), false), in);
        assertThat(up.doubles()).containsExactly(2, 1, -1, 0, 3, 2, 0, 0, 1);
    }

    @Test
    void notPositiveDefiniteGivesNaN() {
        Array in = DotConvPrograms.f32(new long[] {2, 2}, 1f, 2f, 2f, 1f); // 1 - 4 < 0 at the second pivot
        Array out = DotConvPrograms.run(cholesky(HloShape.array(ElementType.F32, 2, 2), true), in);
        assertThat(out.floats()[0]).isEqualTo(1f);
        assertThat(out.floats()[3]).isNaN();
    }

    @Test
    void malformedSolveIsInvalid() {
        Array a = Array.allocate(ElementType.F32, 3, 3);
        Array b = Array.allocate(ElementType.F32, 2, 4);
        assertThatThrownBy(() -> DotConvPrograms.run(
                        solve(HloShape.array(ElementType.F32, 2, 4), true, true, false, "NO_TRANSPOSE"), a, b))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("operand 1 is f32[2,4]; with left_side=true");
    }
}
