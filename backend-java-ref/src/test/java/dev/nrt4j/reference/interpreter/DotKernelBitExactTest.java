package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.DotDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocked, vectorized dot kernel against the textbook definition, bit for bit: for every output element
 * one accumulator from zero, the contracting index space walked in row-major order of the listed contracting
 * dimensions, one {@link Math#fma} per step, rounded once to bf16/f16 at the end. The reference here works
 * straight from the dimension numbers on the unpacked operands, sharing nothing with the kernel's packing.
 * Shapes are chosen to hit every remainder of the kernel: rows not a multiple of 4, {@code k} not a multiple
 * of 4 or of the 256-step panel, columns beyond one 256-wide tile, batches, and transposed operands.
 */
class DotKernelBitExactTest {
    /** lhs dims, rhs dims, lhs contracting, rhs contracting, lhs batch, rhs batch. */
    record Case(
            String name, long[] l, long[] r, List<Integer> lc, List<Integer> rc, List<Integer> lb, List<Integer> rb) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case matmul(int m, int k, int n) {
        return new Case(
                m + "x" + k + "x" + n,
                new long[] {m, k},
                new long[] {k, n},
                List.of(1),
                List.of(0),
                List.of(),
                List.of());
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                matmul(1, 1, 1),
                matmul(7, 13, 5),
                matmul(65, 129, 33),
                matmul(9, 517, 300),
                matmul(4, 256, 256),
                matmul(130, 3, 600),
                // Empty contraction: every output is the accumulator's starting zero.
                matmul(3, 0, 5),
                // lhs stored [k, m] and rhs [n, k]: both operands transposed by the dimension numbers.
                new Case(
                        "transposed 37x70x19",
                        new long[] {70, 37},
                        new long[] {19, 70},
                        List.of(0),
                        List.of(1),
                        List.of(),
                        List.of()),
                // Batch dimension in the middle of both operands.
                new Case(
                        "batch in the middle",
                        new long[] {5, 3, 41},
                        new long[] {41, 3, 11},
                        List.of(2),
                        List.of(0),
                        List.of(1),
                        List.of(1)),
                // Two batch dimensions, attention-like [b, h, s, d] x [b, h, d, s].
                new Case(
                        "two batch dims",
                        new long[] {2, 3, 17, 8},
                        new long[] {2, 3, 8, 21},
                        List.of(3),
                        List.of(2),
                        List.of(0, 1),
                        List.of(0, 1)),
                // Two contracting dimensions listed out of operand order, the last listed one fastest.
                new Case(
                        "two contracting dims",
                        new long[] {6, 9, 5},
                        new long[] {5, 7, 6},
                        List.of(2, 0),
                        List.of(0, 2),
                        List.of(),
                        List.of()),
                // A vector times a matrix (no lhs free dims) and a batched dot with scalar outputs.
                new Case(
                        "vector x matrix",
                        new long[] {300},
                        new long[] {300, 270},
                        List.of(0),
                        List.of(0),
                        List.of(),
                        List.of()),
                new Case(
                        "batched inner products",
                        new long[] {13, 33},
                        new long[] {13, 33},
                        List.of(1),
                        List.of(1),
                        List.of(0),
                        List.of(0)));
        List<Arguments> out = new ArrayList<>();
        for (ElementType t : List.of(ElementType.F32, ElementType.BF16, ElementType.F16, ElementType.F64)) {
            for (Case c : cases) {
                out.add(Arguments.of(t, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void kernelMatchesTheSequentialFusedSumBitForBit(ElementType type, Case c) {
        SplittableRandom rnd = new SplittableRandom(c.name().hashCode() * 31L + type.ordinal());
        Array l = FloatArrays.random(type, c.l(), rnd, true);
        Array r = FloatArrays.random(type, c.r(), rnd, true);
        DotDimensions dn = new DotDimensions(c.lc(), c.rc(), c.lb(), c.rb());
        DotOps.Layout layout = new DotOps.Layout(c.l(), c.r(), dn);
        HloInstruction.Builder op = HloInstruction.builder(
                        "d", "d", HloOpcode.DOT, HloShape.array(type, layout.resultDims))
                .dotDimensions(dn);
        Array got = DotConvPrograms.run(op, l, r);
        Array want = reference(type, l, r, c, layout.resultDims);
        assertThat(got.dims()).containsExactly(want.dims());
        assertThat(FloatArrays.bits(got)).containsExactly(FloatArrays.bits(want));
    }

    /** The definition, one output element at a time. */
    private static Array reference(ElementType type, Array l, Array r, Case c, long[] resultDims) {
        Array out = Array.allocate(type, resultDims);
        int nb = c.lb().size();
        List<Integer> lFree = free(c.l().length, c.lb(), c.lc());
        List<Integer> rFree = free(c.r().length, c.rb(), c.rc());
        long[] contractingDims = new long[c.lc().size()];
        for (int i = 0; i < contractingDims.length; i++) {
            contractingDims[i] = c.l()[c.lc().get(i)];
        }
        int[] lIdx = new int[c.l().length];
        int[] rIdx = new int[c.r().length];
        for (int o = 0; o < out.size(); o++) {
            int[] oi = unravel(o, resultDims);
            for (int i = 0; i < nb; i++) {
                lIdx[c.lb().get(i)] = oi[i];
                rIdx[c.rb().get(i)] = oi[i];
            }
            for (int i = 0; i < lFree.size(); i++) {
                lIdx[lFree.get(i)] = oi[nb + i];
            }
            for (int i = 0; i < rFree.size(); i++) {
                rIdx[rFree.get(i)] = oi[nb + lFree.size() + i];
            }
            long kTotal = 1;
            for (long d : contractingDims) {
                kTotal *= d;
            }
            float accF = 0f;
            double accD = 0.0;
            for (int kk = 0; kk < kTotal; kk++) {
                int[] ki = unravel(kk, contractingDims);
                for (int i = 0; i < ki.length; i++) {
                    lIdx[c.lc().get(i)] = ki[i];
                    rIdx[c.rc().get(i)] = ki[i];
                }
                double a = FloatArrays.element(l, ravel(lIdx, c.l()));
                double b = FloatArrays.element(r, ravel(rIdx, c.r()));
                if (type == ElementType.F64) {
                    accD = Math.fma(a, b, accD);
                } else {
                    accF = Math.fma((float) a, (float) b, accF);
                }
            }
            FloatArrays.store(out, o, accF, accD);
        }
        return out;
    }

    private static List<Integer> free(int rank, List<Integer> batch, List<Integer> contracting) {
        List<Integer> f = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (!batch.contains(d) && !contracting.contains(d)) {
                f.add(d);
            }
        }
        return f;
    }

    private static int[] unravel(long index, long[] dims) {
        int[] out = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            out[d] = (int) (index % dims[d]);
            index /= dims[d];
        }
        return out;
    }

    private static int ravel(int[] idx, long[] dims) {
        long off = 0;
        for (int d = 0; d < dims.length; d++) {
            off = off * dims[d] + idx[d];
        }
        return (int) off;
    }

    /** Raw bit patterns, so -0.0 vs 0.0 and NaN payloads count as differences. */
}
