package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.ShapeTestModules.dims;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.f32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.ins;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.longs;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.one;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.scalarS32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.seqF32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.PaddingDimension;
import dev.nrt4j.hlo.SliceDimension;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape ops against naive per-element reference loops written out here. */
class ShapeOpsTest {
    private static final ElementType F32 = ElementType.F32;

    private static float[] run(ShapeTestModulesOp op) {
        return op.get().asArray().floats();
    }

    private interface ShapeTestModulesOp {
        Value get();
    }

    @Test
    void transposeMatchesNaiveIndexing() {
        Array in = seqF32(2, 3, 4);
        float[] out = run(() ->
                one(ins("t", HloOpcode.TRANSPOSE, shape(F32, 4, 2, 3), "p0").dimensions(longs(2, 0, 1)), in));
        float[] expected = new float[24];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < 3; k++) {
                    expected[(i * 2 + j) * 3 + k] = in.floats()[(j * 3 + k) * 4 + i];
                }
            }
        }
        assertThat(out).containsExactly(expected);
    }

    @Test
    void transposeOfComplexMovesBothParts() {
        Array in = Array.wrap(ElementType.C64, dims(2, 2), new float[] {1, -1, 2, -2, 3, -3, 4, -4});
        Value v = one(
                ins("t", HloOpcode.TRANSPOSE, shape(ElementType.C64, 2, 2), "p0")
                        .dimensions(longs(1, 0)),
                in);
        assertThat(v.asArray().floats()).containsExactly(1, -1, 3, -3, 2, -2, 4, -4);
    }

    @Test
    void broadcastMapsOperandDimensions() {
        Array in = f32(dims(3), 7, 8, 9);
        float[] out = run(() ->
                one(ins("b", HloOpcode.BROADCAST, shape(F32, 2, 3, 2), "p0").dimensions(longs(1)), in));
        assertThat(out).containsExactly(7, 7, 8, 8, 9, 9, 7, 7, 8, 8, 9, 9);
        Array m = seqF32(2, 3);
        float[] t = run(() ->
                one(ins("b", HloOpcode.BROADCAST, shape(F32, 3, 4, 2), "p0").dimensions(longs(2, 0)), m));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 2; k++) {
                    assertThat(t[(i * 4 + j) * 2 + k]).isEqualTo(m.floats()[k * 3 + i]);
                }
            }
        }
        float[] s = run(() -> one(ins("b", HloOpcode.BROADCAST, shape(F32, 2, 2), "p0"), f32(dims(), 5)));
        assertThat(s).containsExactly(5, 5, 5, 5);
    }

    @Test
    void sliceWithStrides() {
        Array in = seqF32(4, 5);
        float[] out = run(() -> one(
                ins("s", HloOpcode.SLICE, shape(F32, 2, 2), "p0")
                        .slice(List.of(new SliceDimension(1, 4, 2), new SliceDimension(0, 5, 3))),
                in));
        assertThat(out).containsExactly(5, 8, 15, 18);
    }

    @Test
    void dynamicSliceClampsStartsOfAnyIntegerType() {
        Array in = seqF32(4, 5);
        Array big = Array.wrap(ElementType.U8, dims(), new byte[] {(byte) 200});
        float[] out = run(() -> one(
                ins("d", HloOpcode.DYNAMIC_SLICE, shape(F32, 2, 3), "p0", "p1", "p2")
                        .dynamicSliceSizes(longs(2, 3)),
                in,
                scalarS32(-7),
                big));
        // Row start -7 clamps to 0; column start 200 (unsigned) clamps to 5 - 3 = 2.
        assertThat(out).containsExactly(2, 3, 4, 7, 8, 9);
    }

    @Test
    void dynamicUpdateSliceClampsAndLeavesOperandUnchanged() {
        Array in = seqF32(3, 3);
        Array upd = f32(dims(2, 2), -1, -2, -3, -4);
        float[] out = run(() -> one(
                ins("d", HloOpcode.DYNAMIC_UPDATE_SLICE, shape(F32, 3, 3), "p0", "p1", "p2", "p3"),
                in,
                upd,
                scalarS32(5),
                scalarS32(0)));
        assertThat(out).containsExactly(0, 1, 2, -1, -2, 5, -3, -4, 8);
        assertThat(in.floats()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void padWithNegativeEdgesAndInteriorMatchesNaive() {
        Array in = seqF32(3, 4);
        long[][] p = {{-1, 2, 1}, {2, -3, 2}};
        long r0 = p[0][0] + p[0][1] + 3 + 2 * p[0][2];
        long r1 = p[1][0] + p[1][1] + 4 + 3 * p[1][2];
        float[] out = run(() -> one(
                ins("p", HloOpcode.PAD, shape(F32, r0, r1), "p0", "p1")
                        .padding(List.of(
                                new PaddingDimension(p[0][0], p[0][1], p[0][2]),
                                new PaddingDimension(p[1][0], p[1][1], p[1][2]))),
                in,
                f32(dims(), -9)));
        float[] expected = new float[(int) (r0 * r1)];
        java.util.Arrays.fill(expected, -9);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                long oi = p[0][0] + i * (p[0][2] + 1);
                long oj = p[1][0] + j * (p[1][2] + 1);
                if (oi >= 0 && oi < r0 && oj >= 0 && oj < r1) {
                    expected[(int) (oi * r1 + oj)] = in.floats()[i * 4 + j];
                }
            }
        }
        assertThat(out).containsExactly(expected);
    }

    @Test
    void concatenateAlongInnerDimension() {
        Array a = seqF32(2, 2);
        Array b = f32(dims(2, 1), 10, 11);
        float[] out = run(() -> one(
                ins("c", HloOpcode.CONCATENATE, shape(F32, 2, 3), "p0", "p1").dimensions(longs(1)), a, b));
        assertThat(out).containsExactly(0, 1, 10, 2, 3, 11);
    }

    @Test
    void reverseSelectedDimensions() {
        Array in = seqF32(2, 3);
        float[] out = run(() ->
                one(ins("r", HloOpcode.REVERSE, shape(F32, 2, 3), "p0").dimensions(longs(1)), in));
        assertThat(out).containsExactly(2, 1, 0, 5, 4, 3);
        float[] both = run(() ->
                one(ins("r", HloOpcode.REVERSE, shape(F32, 2, 3), "p0").dimensions(longs(0, 1)), in));
        assertThat(both).containsExactly(5, 4, 3, 2, 1, 0);
    }

    @Test
    void iotaConvertsTheIndexToTheElementType() {
        Value v = one(ins("i", HloOpcode.IOTA, shape(F32, 2, 3)).dimensions(longs(0)));
        assertThat(v.asArray().floats()).containsExactly(0, 0, 0, 1, 1, 1);
        Value b = one(ins("i", HloOpcode.IOTA, shape(ElementType.BF16, 300)).dimensions(longs(0)));
        // bf16 has 8 significant bits: 257 rounds to 256 (tie to even), 259 to 260.
        assertThat(BFloat16.toFloat(b.asArray().shorts()[257])).isEqualTo(256f);
        assertThat(BFloat16.toFloat(b.asArray().shorts()[259])).isEqualTo(260f);
        Value s = one(ins("i", HloOpcode.IOTA, shape(ElementType.S8, 2, 200)).dimensions(longs(1)));
        assertThat(s.asArray().bytes()[200 + 130]).isEqualTo((byte) 130);
    }

    @Test
    void reshapeAndGetDimensionSize() {
        Array in = seqF32(2, 3);
        float[] out = run(() -> one(ins("r", HloOpcode.RESHAPE, shape(F32, 3, 2), "p0"), in));
        assertThat(out).containsExactly(0, 1, 2, 3, 4, 5);
        Value n = one(
                ins("g", HloOpcode.GET_DIMENSION_SIZE, shape(ElementType.S32), "p0")
                        .dimensions(longs(1)),
                in);
        assertThat(n.asArray().ints()).containsExactly(3);
    }

    @Test
    void bitcastReinterpretsThePhysicalLayout() {
        // f32[2,3]{0,1} is stored column-major: physical order is in[0][0], in[1][0], in[0][1], ...
        Array in = seqF32(2, 3);
        ShapeTestModules m = new ShapeTestModules();
        HloShape colMajor = HloShape.array(F32, new long[] {2, 3}, new int[] {0, 1});
        m.computation("main")
                .add(ShapeTestModules.param(0, shape(F32, 2, 3)))
                .add(ins("c", HloOpcode.COPY, colMajor, "p0"))
                .add(ins("b", HloOpcode.BITCAST, shape(F32, 6), "c"));
        float[] out = m.run(in).asArray().floats();
        assertThat(out).containsExactly(0, 3, 1, 4, 2, 5);
        // Default layouts: same as reshape.
        float[] plain = run(() -> one(ins("b", HloOpcode.BITCAST, shape(F32, 3, 2), "p0"), in));
        assertThat(plain).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void malformedInstructionsAreInvalid() {
        Array in = seqF32(2, 3);
        assertThatThrownBy(() -> one(
                        ins("t", HloOpcode.TRANSPOSE, shape(F32, 3, 2), "p0").dimensions(longs(0, 0)), in))
                .isInstanceOf(NeuronException.class)
                .satisfies(e -> assertThat(((NeuronException) e).status()).isEqualTo(Status.INVALID));
        assertThatThrownBy(() -> one(
                        ins("s", HloOpcode.SLICE, shape(F32, 2, 4), "p0")
                                .slice(List.of(new SliceDimension(0, 2, 1), new SliceDimension(0, 4, 1))),
                        in))
                .isInstanceOf(NeuronException.class);
        assertThatThrownBy(() -> one(ins("r", HloOpcode.RESHAPE, shape(F32, 7), "p0"), in))
                .isInstanceOf(NeuronException.class);
    }
}
