package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class DotOpsTest {
    private static HloInstruction.Builder dot(
            ElementType type, long[] dims, List<Integer> lc, List<Integer> rc, List<Integer> lb, List<Integer> rb) {
        return HloInstruction.builder("d", "d", HloOpcode.DOT, HloShape.array(type, dims))
                .dotDimensions(new DotDimensions(lc, rc, lb, rb));
    }

    private static HloInstruction.Builder matmul(ElementType type, long m, long n) {
        return dot(type, new long[] {m, n}, List.of(1), List.of(0), List.of(), List.of());
    }

    /** The textbook loop: one float accumulator per output, k ascending, one fused multiply-add per step. */
    private static float[] naive(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[i * k + p], b[p * n + j], acc);
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }

    @Test
    void smallMatmulIsBitIdenticalToTheSequentialLoop() {
        Array a = DotConvPrograms.randomF32(1, 7, 13);
        Array b = DotConvPrograms.randomF32(2, 13, 5);
        Array c = DotConvPrograms.run(matmul(ElementType.F32, 7, 5), a, b);
        assertThat(c.floats()).containsExactly(naive(a.floats(), b.floats(), 7, 13, 5));
    }

    @Test
    void largeMatmulAcrossTilesAndThreadsIsBitIdenticalToTheSequentialLoop() {
        // Spans several row, column and k tiles, with remainders in each, and runs on two threads.
        Array a = DotConvPrograms.randomF32(3, 70, 523);
        Array b = DotConvPrograms.randomF32(4, 523, 301);
        Array c = DotConvPrograms.run(matmul(ElementType.F32, 70, 301), a, b);
        assertThat(c.floats()).containsExactly(naive(a.floats(), b.floats(), 70, 523, 301));
    }

    @Test
    void generalDimensionsOrderResultAsBatchThenLhsFreeThenRhsFree() {
        // lhs [2,3,4,5]: batch 0, contracting {3,1}; rhs [5,2,6,3]: batch 1, contracting {0,3}. Result [2,4,6].
        long[] ld = {2, 3, 4, 5};
        long[] rd = {5, 2, 6, 3};
        Array l = Array.allocate(ElementType.S32, ld);
        Array r = Array.allocate(ElementType.S32, rd);
        for (int i = 0; i < l.size(); i++) {
            l.ints()[i] = (i * 7) % 11 - 5;
        }
        for (int i = 0; i < r.size(); i++) {
            r.ints()[i] = (i * 5) % 13 - 6;
        }
        Array c = DotConvPrograms.run(
                dot(ElementType.S32, new long[] {2, 4, 6}, List.of(3, 1), List.of(0, 3), List.of(0), List.of(1)), l, r);
        assertThat(c.dims()).containsExactly(2, 4, 6);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    long sum = 0;
                    for (int p = 0; p < 5; p++) {
                        for (int q = 0; q < 3; q++) {
                            long lv = l.ints()[((b * 3 + q) * 4 + i) * 5 + p];
                            long rv = r.ints()[((p * 2 + b) * 6 + j) * 3 + q];
                            sum += lv * rv;
                        }
                    }
                    assertThat(c.ints()[(b * 4 + i) * 6 + j])
                            .as("[%d,%d,%d]", b, i, j)
                            .isEqualTo((int) sum);
                }
            }
        }
    }

    @Test
    void contractingOrderIsRowMajorOverTheListedDimensions() {
        // Contracting dims listed {1,0}: the sum visits lhs[0][0], lhs[1][0], lhs[0][1], lhs[1][1] (the last
        // listed dim fastest). In f32, 1e8 + 1 loses the 1, so the visiting order shows in the result.
        Array l = DotConvPrograms.f32(new long[] {2, 2}, 1e8f, 1f, -1e8f, 0f);
        Array r = DotConvPrograms.f32(new long[] {2, 2}, 1f, 1f, 1f, 1f);
        Array c = DotConvPrograms.run(
                dot(ElementType.F32, new long[] {}, List.of(1, 0), List.of(1, 0), List.of(), List.of()), l, r);
        // Visiting order (dim1, dim0) with dim0 fastest: l[0][0]=1e8, l[1][0]=-1e8, l[0][1]=1, l[1][1]=0 → 1.
        assertThat(c.floats()).containsExactly(1f);
        Array rowMajor = DotConvPrograms.run(
                dot(ElementType.F32, new long[] {}, List.of(0, 1), List.of(0, 1), List.of(), List.of()), l, r);
        // Order (dim0, dim1): 1e8 + 1 = 1e8 (lost), - 1e8 = 0, + 0 → 0.
        assertThat(rowMajor.floats()).containsExactly(0f);
    }

    @Test
    void eachStepIsAFusedMultiplyAdd() {
        float a = 1f + 0x1p-23f; // a * a = 1 + 2^-22 + 2^-46, which f32 cannot hold
        Array l = DotConvPrograms.f32(new long[] {1, 2}, -1f, a);
        Array r = DotConvPrograms.f32(new long[] {2, 1}, 1f, a);
        // Fused: -1 + (1 + 2^-22 + 2^-46) exactly; rounding the product first would lose the 2^-46.
        assertThat(DotConvPrograms.run(matmul(ElementType.F32, 1, 1), l, r).floats())
                .containsExactly(0x1p-22f + 0x1p-46f);
        Array dl = Array.wrap(ElementType.F64, new long[] {1, 2}, new double[] {-1, 1 + 0x1p-52});
        Array dr = Array.wrap(ElementType.F64, new long[] {2, 1}, new double[] {1, 1 + 0x1p-52});
        assertThat(DotConvPrograms.run(matmul(ElementType.F64, 1, 1), dl, dr).doubles())
                .containsExactly(0x1p-51 + 0x1p-104);
    }

    @Test
    void bf16ResultAccumulatesInF32AndRoundsOnce() {
        Array l = bf16(new long[] {1, 3}, 256f, 1f, 1f);
        Array r = bf16(new long[] {3, 1}, 1f, 1f, 1f);
        Array c = DotConvPrograms.run(matmul(ElementType.BF16, 1, 1), l, r);
        // Rounding to bf16 after every step would give 256 (257 is not a bf16); f32 accumulation keeps 258.
        assertThat(BFloat16.toFloat(c.shorts()[0])).isEqualTo(258f);
    }

    @Test
    void operandsAreConvertedToTheResultTypeFirst() {
        float x = 1f + 0x1p-8f; // rounds (ties to even) to 1 in bf16
        Array l = DotConvPrograms.f32(new long[] {1, 3}, x, x, x);
        Array r = bf16(new long[] {3, 1}, 1f, 1f, 1f);
        Array c = DotConvPrograms.run(matmul(ElementType.BF16, 1, 1), l, r);
        // Converted first: 1 + 1 + 1 = 3. Summing the f32 values would give 3.0117 → bf16 3.015625.
        assertThat(BFloat16.toFloat(c.shorts()[0])).isEqualTo(3f);
    }

    @Test
    void bf16OperandsWithF32Result() {
        Array l = bf16(new long[] {1, 2}, 1.5f, -2f);
        Array r = bf16(new long[] {2, 2}, 2f, 0.5f, 3f, 0.25f);
        Array c = DotConvPrograms.run(matmul(ElementType.F32, 1, 2), l, r);
        assertThat(c.floats()).containsExactly(1.5f * 2 - 2f * 3, 1.5f * 0.5f - 2f * 0.25f);
    }

    @Test
    void integerResultsWrapAround() {
        Array l = Array.wrap(ElementType.S8, new long[] {1, 2}, new byte[] {100, 100});
        Array r = Array.wrap(ElementType.S8, new long[] {2, 1}, new byte[] {2, 1});
        assertThat(DotConvPrograms.run(matmul(ElementType.S8, 1, 1), l, r).bytes())
                .containsExactly((byte) 44);
        // s8 -1 becomes u8 255 before multiplying: 255 * 2 = 510 → 254 in u8.
        Array nl = Array.wrap(ElementType.S8, new long[] {1, 1}, new byte[] {-1});
        Array nr = Array.wrap(ElementType.S8, new long[] {1, 1}, new byte[] {2});
        assertThat(DotConvPrograms.run(matmul(ElementType.U8, 1, 1), nl, nr).bytes())
                .containsExactly((byte) 254);
        // s32 overflow wraps: 2^30 * 4 = 2^32 → 0, plus 3.
        Array il = Array.wrap(ElementType.S32, new long[] {1, 2}, new int[] {1 << 30, 3});
        Array ir = Array.wrap(ElementType.S32, new long[] {2, 1}, new int[] {4, 1});
        assertThat(DotConvPrograms.run(matmul(ElementType.S32, 1, 1), il, ir).ints())
                .containsExactly(3);
    }

    @Test
    void floatOperandsSaturateIntoAnIntegerResult() {
        Array l = DotConvPrograms.f32(new long[] {3, 1}, 300.7f, Float.NaN, -2.9f);
        Array r = Array.wrap(ElementType.S8, new long[] {1, 1}, new byte[] {1});
        // 300.7 → 127, NaN → 0, -2.9 → -2 (truncation).
        assertThat(DotConvPrograms.run(matmul(ElementType.S8, 3, 1), l, r).bytes())
                .containsExactly((byte) 127, (byte) 0, (byte) -2);
    }

    @Test
    void predResultIsAnyOfTheProducts() {
        Array l = Array.wrap(ElementType.PRED, new long[] {2, 2}, new byte[] {1, 0, 0, 0});
        Array r = Array.wrap(ElementType.PRED, new long[] {2, 1}, new byte[] {1, 1});
        assertThat(DotConvPrograms.run(matmul(ElementType.PRED, 2, 1), l, r).bytes())
                .containsExactly((byte) 1, (byte) 0);
    }

    @Test
    void f64AndUnsigned64() {
        Array l = Array.wrap(ElementType.F64, new long[] {1, 2}, new double[] {0.1, 0.2});
        Array r = Array.wrap(ElementType.F64, new long[] {2, 1}, new double[] {3, 4});
        assertThat(DotConvPrograms.run(matmul(ElementType.F64, 1, 1), l, r).doubles())
                .containsExactly(0.1 * 3 + 0.2 * 4);
        Array ul = Array.wrap(ElementType.U64, new long[] {1, 1}, new long[] {-1L}); // 2^64 - 1
        Array ur = Array.wrap(ElementType.U64, new long[] {1, 1}, new long[] {1L});
        assertThat(DotConvPrograms.run(matmul(ElementType.F32, 1, 1), ul, ur).floats())
                .containsExactly(0x1p64f);
    }

    @Test
    void complexProducts() {
        Array l = Array.wrap(ElementType.C64, new long[] {1, 2}, new float[] {1, 2, 0, 1});
        Array r = Array.wrap(ElementType.C64, new long[] {2, 1}, new float[] {3, 4, 0, 1});
        // (1+2i)(3+4i) + i*i = (-5+10i) + (-1) = -6+10i
        assertThat(DotConvPrograms.run(matmul(ElementType.C64, 1, 1), l, r).floats())
                .containsExactly(-6f, 10f);
    }

    @Test
    void emptyContractionGivesZeros() {
        Array l = Array.allocate(ElementType.F32, 2, 0);
        Array r = Array.allocate(ElementType.F32, 0, 3);
        assertThat(DotConvPrograms.run(matmul(ElementType.F32, 2, 3), l, r).floats())
                .containsOnly(0f)
                .hasSize(6);
    }

    @Test
    void malformedDotsAreInvalid() {
        Array l = Array.allocate(ElementType.F32, 2, 3);
        Array r = Array.allocate(ElementType.F32, 4, 5);
        assertThatThrownBy(() -> DotConvPrograms.run(matmul(ElementType.F32, 2, 5), l, r))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("contracting dimension")
                .satisfies(e -> assertThat(((NeuronException) e).status()).isEqualTo(Status.INVALID));
        Array r2 = Array.allocate(ElementType.F32, 3, 5);
        assertThatThrownBy(() -> DotConvPrograms.run(matmul(ElementType.F32, 2, 4), l, r2))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("dot d: declares f32[2,4], inferred f32[2,5]");
        assertThatThrownBy(() -> DotConvPrograms.run(
                        dot(ElementType.F32, new long[] {3, 5}, List.of(0), List.of(0), List.of(0), List.of(1)), l, r2))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("do not name distinct dimensions");
    }

    static Array bf16(long[] dims, float... values) {
        short[] s = new short[values.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = BFloat16.fromFloat(values[i]);
        }
        return Array.wrap(ElementType.BF16, dims, s);
    }
}
