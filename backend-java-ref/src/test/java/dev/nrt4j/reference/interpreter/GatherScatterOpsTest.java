package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.ShapeTestModules.dims;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.ins;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.param;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.s32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.seqF32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.GatherDimensions;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.ScatterDimensions;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gather and scatter against a naive per-element transcription of XLA's semantics (full index
 * arithmetic for every element, written independently of the kernels).
 */
class GatherScatterOpsTest {
    private static final ElementType F32 = ElementType.F32;

    private static long[] unravel(long flat, long[] dims) {
        long[] idx = new long[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    private static long ravel(long[] idx, long[] dims) {
        long f = 0;
        for (int d = 0; d < dims.length; d++) {
            f = f * dims[d] + idx[d];
        }
        return f;
    }

    private static boolean in(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    /** The index vector component k for these batch coordinates (index_vector_dim inserted). */
    private static long component(Array indices, int ivd, long[] batch, int k) {
        long[] pos = new long[indices.rank()];
        int j = 0;
        for (int d = 0; d < pos.length; d++) {
            pos[d] = d == ivd ? k : batch[j++];
        }
        return indices.getLong((int) ravel(pos, indices.dims()));
    }

    private static float[] naiveGather(
            Array a,
            Array indices,
            long[] outDims,
            int[] offsetDims,
            int[] collapsed,
            int[] startIndexMap,
            int ivd,
            int[] opBatch,
            int[] idxBatch,
            long[] sliceSizes) {
        float[] out = new float[(int) java.util.Arrays.stream(outDims).reduce(1, (x, y) -> x * y)];
        for (int f = 0; f < out.length; f++) {
            long[] o = unravel(f, outDims);
            long[] batch = new long[outDims.length - offsetDims.length];
            long[] offset = new long[offsetDims.length];
            int nb = 0;
            int no = 0;
            for (int d = 0; d < outDims.length; d++) {
                if (in(offsetDims, d)) {
                    offset[no++] = o[d];
                } else {
                    batch[nb++] = o[d];
                }
            }
            long[] start = new long[a.rank()];
            for (int k = 0; k < startIndexMap.length; k++) {
                start[startIndexMap[k]] = component(indices, ivd, batch, k);
            }
            for (int i = 0; i < opBatch.length; i++) {
                // the batch coordinate of the indices dimension idxBatch[i]
                int pos = 0;
                for (int d = 0; d < idxBatch[i]; d++) {
                    pos += d == ivd ? 0 : 1;
                }
                start[opBatch[i]] = batch[pos];
            }
            long[] full = new long[a.rank()];
            int w = 0;
            for (int d = 0; d < a.rank(); d++) {
                long s = Math.max(0, Math.min(start[d], a.dim(d) - sliceSizes[d]));
                long win = in(collapsed, d) || in(opBatch, d) ? 0 : offset[w++];
                full[d] = s + win;
            }
            out[f] = a.floats()[(int) ravel(full, a.dims())];
        }
        return out;
    }

    private static Value gather(
            Array a,
            Array indices,
            long[] outDims,
            int[] offsetDims,
            int[] collapsed,
            int[] startIndexMap,
            int ivd,
            int[] opBatch,
            int[] idxBatch,
            long[] sliceSizes) {
        return ShapeTestModules.one(
                ins("g", HloOpcode.GATHER, shape(F32, outDims), "p0", "p1")
                        .gatherDimensions(new GatherDimensions(
                                boxed(offsetDims),
                                boxed(collapsed),
                                boxed(startIndexMap),
                                ivd,
                                boxed(opBatch),
                                boxed(idxBatch)))
                        .gatherSliceSizes(ShapeTestModules.longs(sliceSizes)),
                a,
                indices);
    }

    private static List<Integer> boxed(int[] v) {
        return java.util.Arrays.stream(v).boxed().toList();
    }

    private static int[] i(int... v) {
        return v;
    }

    @Test
    void embeddingLookupWithScalarIndicesClampsOutOfRange() {
        Array table = seqF32(5, 3);
        Array ids = s32(dims(4), 1, 7, -2, 4);
        Value v = gather(table, ids, dims(4, 3), i(1), i(0), i(0), 1, i(), i(), dims(1, 3));
        assertThat(v.asArray().floats()).containsExactly(3, 4, 5, 12, 13, 14, 0, 1, 2, 12, 13, 14);
    }

    @Test
    void gatherWithInterleavedOffsetDimsMatchesNaive() {
        Array a = seqF32(4, 5, 6);
        int[] idx = new int[2 * 3 * 2];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = (k * 7) % 9 - 2;
        }
        Array indices = s32(dims(2, 3, 2), idx);
        long[] outDims = dims(2, 2, 3, 3);
        Value v = gather(a, indices, outDims, i(1, 3), i(1), i(2, 0), 2, i(), i(), dims(2, 1, 3));
        assertThat(v.asArray().floats())
                .containsExactly(naiveGather(a, indices, outDims, i(1, 3), i(1), i(2, 0), 2, i(), i(), dims(2, 1, 3)));
    }

    @Test
    void gatherWithBatchingDimsMatchesNaive() {
        Array a = seqF32(2, 5, 3);
        Array indices = s32(dims(2, 4, 1), 0, 4, 2, 9, 1, 3, -1, 2);
        long[] outDims = dims(2, 4, 3);
        Value v = gather(a, indices, outDims, i(2), i(1), i(1), 2, i(0), i(0), dims(1, 1, 3));
        assertThat(v.asArray().floats())
                .containsExactly(naiveGather(a, indices, outDims, i(2), i(1), i(1), 2, i(0), i(0), dims(1, 1, 3)));
        assertThat(v.asArray().floats()[0]).isEqualTo(0f);
        assertThat(v.asArray().floats()[12]).isEqualTo(18f);
    }

    /** The scatter of XLA's semantics, one update element at a time in row-major order of the updates. */
    private static float[] naiveScatter(
            Array a,
            Array indices,
            Array upd,
            int[] windowDims,
            int[] inserted,
            int[] toOperand,
            int ivd,
            int[] opBatch,
            int[] idxBatch,
            DoubleBinaryOperator f) {
        float[] out = a.floats().clone();
        long[] ud = upd.dims();
        for (int e = 0; e < upd.size(); e++) {
            long[] u = unravel(e, ud);
            long[] scatter = new long[ud.length - windowDims.length];
            long[] window = new long[windowDims.length];
            int ns = 0;
            int nw = 0;
            for (int d = 0; d < ud.length; d++) {
                if (in(windowDims, d)) {
                    window[nw++] = u[d];
                } else {
                    scatter[ns++] = u[d];
                }
            }
            long[] start = new long[a.rank()];
            for (int k = 0; k < toOperand.length; k++) {
                start[toOperand[k]] = component(indices, ivd, scatter, k);
            }
            for (int i = 0; i < opBatch.length; i++) {
                int pos = 0;
                for (int d = 0; d < idxBatch[i]; d++) {
                    pos += d == ivd ? 0 : 1;
                }
                start[opBatch[i]] = scatter[pos];
            }
            long[] full = new long[a.rank()];
            boolean inside = true;
            int w = 0;
            for (int d = 0; d < a.rank(); d++) {
                boolean dropped = in(inserted, d) || in(opBatch, d);
                long size = dropped ? 1 : ud[windowDims[w]];
                if (start[d] < 0 || start[d] + size > a.dim(d)) {
                    inside = false;
                }
                full[d] = start[d] + (dropped ? 0 : window[w++]);
            }
            if (inside) {
                int p = (int) ravel(full, a.dims());
                out[p] = (float) f.applyAsDouble(out[p], upd.floats()[e]);
            }
        }
        return out;
    }

    /** A module with a two-parameter scalar combiner whose root is {@code opcode(p0, p1)}, or p1 (overwrite) for null. */
    private static Value scatter(
            ElementType t,
            HloOpcode opcode,
            Array a,
            Array indices,
            Array upd,
            int[] windowDims,
            int[] inserted,
            int[] toOperand,
            int ivd,
            int[] opBatch,
            int[] idxBatch) {
        ShapeTestModules m = new ShapeTestModules();
        HloShape scalar = shape(t);
        var c = m.computation("combine").add(param(0, scalar)).add(param(1, scalar));
        if (opcode != null) {
            c.add(ins("r", opcode, scalar, "p0", "p1"));
        } else {
            c.root("p1");
        }
        m.computation("main")
                .add(param(0, a.shape()))
                .add(param(1, indices.shape()))
                .add(param(2, upd.shape()))
                .add(ins("s", HloOpcode.SCATTER, a.shape(), "p0", "p1", "p2")
                        .scatterDimensions(new ScatterDimensions(
                                boxed(windowDims),
                                boxed(inserted),
                                boxed(toOperand),
                                ivd,
                                boxed(opBatch),
                                boxed(idxBatch)))
                        .calledComputations(List.of("combine")));
        // Combiners the typed loops recognize must not reach the evaluator: their opcodes have no real handler.
        return m.run(
                opcode == HloOpcode.SUBTRACT ? ShapeTestModules.registry() : TYPED_COMBINERS_ONLY, a, indices, upd);
    }

    private static final OpRegistry TYPED_COMBINERS_ONLY = new OpRegistry();

    static {
        GatherScatterOps.registerAll(TYPED_COMBINERS_ONLY);
        TYPED_COMBINERS_ONLY.register(
                (ins, ops, ctx) -> {
                    throw new AssertionError(ins.opcode() + " combiner was evaluated instead of run as a typed loop");
                },
                HloOpcode.ADD,
                HloOpcode.MULTIPLY,
                HloOpcode.MAXIMUM,
                HloOpcode.MINIMUM,
                HloOpcode.AND,
                HloOpcode.OR,
                HloOpcode.XOR);
    }

    @Test
    void scatterAddWithDuplicatesAndOutOfBoundsWindowsMatchesNaive() {
        Array a = seqF32(4, 5);
        // (row, column) index vectors; each window is 2 wide along dimension 1; (0, 4) does not fit.
        Array indices = s32(dims(3, 2, 2), 0, 1, 3, 3, 0, 4, 2, 0, 0, 0, 3, 3);
        Value v = scatter(F32, HloOpcode.ADD, a, indices, upd3(), i(2), i(0), i(0, 1), 2, i(), i());
        assertThat(v.asArray().floats())
                .containsExactly(naiveScatter(a, indices, upd3(), i(2), i(0), i(0, 1), 2, i(), i(), Double::sum));
        assertThat(v.asArray().floats()[4]).isEqualTo(4f);
        assertThat(v.asArray().floats()[3 * 5 + 3]).isEqualTo(18f + 30 + 110);
        assertThat(a.floats()[0]).isEqualTo(0f);
    }

    private static Array upd3() {
        float[] v = new float[3 * 2 * 2];
        for (int k = 0; k < v.length; k++) {
            v[k] = 10 * (k + 1);
        }
        return f32(dims(3, 2, 2), v);
    }

    private static Array f32(long[] d, float... v) {
        return ShapeTestModules.f32(d, v);
    }

    @Test
    void scatterWithWindowBeforeScatterDimsMatchesNaive() {
        Array a = seqF32(3, 6);
        // Updates [3 (window over operand dim 0), 2 (scatter), 2 (window over operand dim 1)].
        float[] u = new float[12];
        for (int k = 0; k < 12; k++) {
            u[k] = k + 1;
        }
        Array upd = f32(dims(3, 2, 2), u);
        Value v = scatter(F32, HloOpcode.MULTIPLY, a, s32(dims(2, 1), 1, 4), upd, i(0, 2), i(), i(1), 1, i(), i());
        assertThat(v.asArray().floats())
                .containsExactly(
                        naiveScatter(a, s32(dims(2, 1), 1, 4), upd, i(0, 2), i(), i(1), 1, i(), i(), (p, q) -> p * q));
    }

    @Test
    void overwriteAppliesUpdatesInIndexOrder() {
        Array a = seqF32(4);
        Array indices = s32(dims(3, 1), 2, 0, 2);
        Value v = scatter(F32, null, a, indices, f32(dims(3), 10, 20, 30), i(), i(0), i(0), 1, i(), i());
        assertThat(v.asArray().floats()).containsExactly(20, 1, 30, 3);
    }

    @Test
    void unrecognizedCombinerRunsTheComputation() {
        Array a = seqF32(4);
        Array indices = s32(dims(3, 1), 2, 0, 2);
        Value v = scatter(F32, HloOpcode.SUBTRACT, a, indices, f32(dims(3), 10, 20, 30), i(), i(0), i(0), 1, i(), i());
        assertThat(v.asArray().floats()).containsExactly(-20, 1, 2 - 10 - 30, 3);
    }

    @Test
    void scatterWithBatchingDimsMatchesNaive() {
        Array a = seqF32(2, 5);
        Array indices = s32(dims(2, 3), 0, 4, 4, 1, 2, 7);
        Array upd = f32(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Value v = scatter(F32, HloOpcode.ADD, a, indices, upd, i(), i(1), i(1), 2, i(0), i(0));
        assertThat(v.asArray().floats())
                .containsExactly(naiveScatter(a, indices, upd, i(), i(1), i(1), 2, i(0), i(0), Double::sum));
        assertThat(v.asArray().floats()[4]).isEqualTo(4 + 2 + 3);
    }

    @Test
    void bf16AddRoundsAfterEveryUpdate() {
        short one = BFloat16.fromFloat(1f);
        Array a = Array.wrap(ElementType.BF16, dims(1), new short[] {BFloat16.fromFloat(256f)});
        Array upd = Array.wrap(ElementType.BF16, dims(2), new short[] {one, one});
        Value v = scatter(ElementType.BF16, HloOpcode.ADD, a, s32(dims(2, 1), 0, 0), upd, i(), i(0), i(0), 1, i(), i());
        // 256 + 1 = 257 rounds back to 256 (ties to even) each time; one rounding of 258 would give 258.
        assertThat(BFloat16.toFloat(v.asArray().shorts()[0])).isEqualTo(256f);
    }

    @Test
    void unsignedMaximumComparesUnsigned() {
        Array a = Array.wrap(ElementType.U32, dims(2), new int[] {5, 5});
        Array upd = Array.wrap(ElementType.U32, dims(2), new int[] {-1, 3});
        Value v = scatter(
                ElementType.U32, HloOpcode.MAXIMUM, a, s32(dims(2, 1), 0, 1), upd, i(), i(0), i(0), 1, i(), i());
        assertThat(v.asArray().ints()).containsExactly(-1, 5);
        Array s = s32(dims(2), 5, 5);
        Value w = scatter(
                ElementType.S32,
                HloOpcode.MAXIMUM,
                s,
                s32(dims(2, 1), 0, 1),
                s32(dims(2), -1, 9),
                i(),
                i(0),
                i(0),
                1,
                i(),
                i());
        assertThat(w.asArray().ints()).containsExactly(5, 9);
    }

    @Test
    void variadicScatterRunsATupleCombiner() {
        ShapeTestModules m = new ShapeTestModules();
        HloShape f = shape(F32);
        HloShape si = shape(ElementType.S32);
        // (value, tag) pairs: take the update's value and keep the current tag.
        m.computation("combine")
                .add(param(0, f))
                .add(param(1, si))
                .add(param(2, f))
                .add(param(3, si))
                .add(ins("t", HloOpcode.TUPLE, HloShape.tuple(List.of(f, si)), "p2", "p1"));
        HloShape vs = shape(F32, 2);
        HloShape is = shape(ElementType.S32, 2);
        m.computation("main")
                .add(param(0, vs))
                .add(param(1, is))
                .add(param(2, shape(ElementType.S32, 3, 1)))
                .add(param(3, shape(F32, 3)))
                .add(param(4, shape(ElementType.S32, 3)))
                .add(ins("s", HloOpcode.SCATTER, HloShape.tuple(List.of(vs, is)), "p0", "p1", "p2", "p3", "p4")
                        .scatterDimensions(
                                new ScatterDimensions(List.of(), List.of(0), List.of(0), 1, List.of(), List.of()))
                        .calledComputations(List.of("combine")));
        Value r = m.run(
                f32(dims(2), 0, 0),
                s32(dims(2), -1, -2),
                s32(dims(3, 1), 1, 0, 1),
                f32(dims(3), 5, 2, 7),
                s32(dims(3), 10, 11, 12));
        assertThat(r.asTuple().get(0).asArray().floats()).containsExactly(2, 7);
        assertThat(r.asTuple().get(1).asArray().ints()).containsExactly(-1, -2);
    }

    @Test
    void malformedScatterIsInvalid() {
        Array a = seqF32(4);
        assertThatThrownBy(() -> scatter(
                        F32,
                        HloOpcode.ADD,
                        a,
                        s32(dims(3, 1), 2, 0, 2),
                        f32(dims(3, 2), 1, 2, 3, 4, 5, 6),
                        i(),
                        i(0),
                        i(0),
                        1,
                        i(),
                        i()))
                .isInstanceOf(NeuronException.class);
    }
}
