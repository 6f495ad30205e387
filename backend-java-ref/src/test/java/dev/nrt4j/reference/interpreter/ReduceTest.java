package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.TestModules.dims;
import static dev.nrt4j.reference.interpreter.TestModules.f32;
import static dev.nrt4j.reference.interpreter.TestModules.s32;
import static dev.nrt4j.reference.interpreter.TestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloShape;
import org.junit.jupiter.api.Test;

class ReduceTest {
    private static final OpRegistry REGISTRY = TestModules.registryWithScalarStubs();

    /** {@code reduce(input, init)} over {@code dims} with the reducer {@code opcode(p0, p1)}. */
    private static Array reduce(Array input, Array init, String opcode, boolean swapped, HloShape out, long... dims) {
        String module = "HloModule t\n\n" + Hlo.binary("r", opcode, input.type(), swapped)
                + "ENTRY main {\n  x = " + input.shape() + " parameter(0)\n  i = " + init.shape() + " parameter(1)\n"
                + "  ROOT o = " + out + " reduce(x, i), dimensions={"
                + java.util.Arrays.stream(dims)
                        .mapToObj(Long::toString)
                        .collect(java.util.stream.Collectors.joining(","))
                + "}, to_apply=r\n}\n";
        return Hlo.runModule(REGISTRY, module, input, init).asArray();
    }

    private static Array scalar(ElementType t, long bits) {
        Array a = Array.allocate(t);
        switch (t) {
            case PRED:
            case S8:
            case U8:
                a.bytes()[0] = (byte) bits;
                break;
            case S16:
            case U16:
            case F16:
            case BF16:
                a.shorts()[0] = (short) bits;
                break;
            case S32:
            case U32:
                a.ints()[0] = (int) bits;
                break;
            case F32:
                a.floats()[0] = Float.intBitsToFloat((int) bits);
                break;
            case F64:
                a.doubles()[0] = Double.longBitsToDouble(bits);
                break;
            default:
                a.longs()[0] = bits;
        }
        return a;
    }

    private static Array f32Scalar(float v) {
        return f32(dims(), v);
    }

    @Test
    void sumsRowsSequentiallyInF32() {
        // ((0 + 1e8) + 1) - 1e8 is 0 in f32: 1e8 + 1 rounds back to 1e8. A pairwise or f64 sum would give 1.
        Array in = f32(dims(2, 3), 1e8f, 1f, -1e8f, 1f, 2f, 3f);
        Array out = reduce(in, f32Scalar(0f), "add", false, shape(ElementType.F32, 2), 1);
        assertThat(out.floats()).containsExactly(0f, 6f);
    }

    @Test
    void keepsTheOtherDimensionsInOrder() {
        Array in = f32(dims(2, 3, 2), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        // Reducing dimension 1 leaves [2, 2]: out[i][k] = sum_j in[i][j][k].
        Array out = reduce(in, f32Scalar(100f), "add", false, shape(ElementType.F32, 2, 2), 1);
        assertThat(out.floats()).containsExactly(109f, 112f, 127f, 130f);
        Array all = reduce(in, f32Scalar(0f), "add", false, shape(ElementType.F32), 0, 1, 2);
        assertThat(all.floats()).containsExactly(78f);
        Array outer = reduce(in, f32Scalar(0f), "add", false, shape(ElementType.F32, 3, 2), 0);
        assertThat(outer.floats()).containsExactly(8f, 10f, 12f, 14f, 16f, 18f);
    }

    @Test
    void roundsBf16AfterEveryStep() {
        // 1 + 2^-8 is a tie between bf16 1 and 1 + 2^-7 and rounds to even (1), so sixteen 2^-8 steps never
        // move the sum; accumulating in f32 and rounding once would give 1.0625.
        short[] v = new short[17];
        v[0] = BFloat16.fromFloat(1f);
        for (int i = 1; i < v.length; i++) {
            v[i] = BFloat16.fromFloat(0x1p-8f);
        }
        Array in = Array.wrap(ElementType.BF16, dims(17), v);
        Array out = reduce(in, scalar(ElementType.BF16, 0), "add", false, shape(ElementType.BF16), 0);
        assertThat(out.shorts()[0]).isEqualTo((short) 0x3F80);
    }

    @Test
    void roundsF16AfterEveryStep() {
        // f16 has 11 significant bits: 1024 + 0.5 is a tie that rounds to 1024 each time.
        short[] v = {Float16.fromFloat(1024f), Float16.fromFloat(0.5f), Float16.fromFloat(0.5f), Float16.fromFloat(0.5f)
        };
        Array in = Array.wrap(ElementType.F16, dims(4), v);
        Array out = reduce(in, scalar(ElementType.F16, 0), "add", false, shape(ElementType.F16), 0);
        assertThat(Float16.toFloat(out.shorts()[0])).isEqualTo(1024f);
    }

    @Test
    void maximumPropagatesNanAndKeepsTheFirstOfEqualZeros() {
        Array in = f32(dims(2, 3), 1f, Float.NaN, 3f, -0f, -0f, -0f);
        Array out = reduce(in, f32Scalar(Float.NEGATIVE_INFINITY), "maximum", false, shape(ElementType.F32, 2), 1);
        assertThat(out.floats()[0]).isNaN();
        // max(-inf, -0) = -0, then max(-0, -0) keeps the accumulator.
        assertThat(Float.floatToRawIntBits(out.floats()[1])).isEqualTo(0x80000000);
        // With +0 as the init, std::max(acc, x) keeps +0 for every -0 element; swapped operands keep the element.
        Array zeros = f32(dims(2), -0f, -0f);
        assertThat(Float.floatToRawIntBits(reduce(zeros, f32Scalar(0f), "maximum", false, shape(ElementType.F32), 0)
                        .floats()[0]))
                .isEqualTo(0);
        assertThat(Float.floatToRawIntBits(reduce(zeros, f32Scalar(0f), "maximum", true, shape(ElementType.F32), 0)
                        .floats()[0]))
                .isEqualTo(0x80000000);
    }

    @Test
    void minimumOfF64() {
        Array in = Array.wrap(ElementType.F64, dims(3), new double[] {2.5, -7.25, 3});
        Array out = reduce(
                in,
                scalar(ElementType.F64, Double.doubleToLongBits(Double.POSITIVE_INFINITY)),
                "minimum",
                false,
                shape(ElementType.F64),
                0);
        assertThat(out.doubles()).containsExactly(-7.25);
    }

    @Test
    void integersWrapAndUnsignedTypesCompareUnsigned() {
        Array in = s32(dims(2), Integer.MAX_VALUE, 1);
        assertThat(reduce(in, scalar(ElementType.S32, 0), "add", false, shape(ElementType.S32), 0)
                        .ints())
                .containsExactly(Integer.MIN_VALUE);
        Array s8 = Array.wrap(ElementType.S8, dims(3), new byte[] {100, 100, 7});
        assertThat(reduce(s8, scalar(ElementType.S8, 0), "add", false, shape(ElementType.S8), 0)
                        .bytes())
                .containsExactly((byte) (207 - 256));
        Array u8 = Array.wrap(ElementType.U8, dims(3), new byte[] {100, (byte) 200, 7});
        assertThat(reduce(u8, scalar(ElementType.U8, 0), "maximum", false, shape(ElementType.U8), 0)
                        .bytes())
                .containsExactly((byte) 200);
        Array u64 = Array.wrap(ElementType.U64, dims(2), new long[] {5, -1L});
        assertThat(reduce(u64, scalar(ElementType.U64, -2L), "minimum", false, shape(ElementType.U64), 0)
                        .longs())
                .containsExactly(5L);
        Array s64 = Array.wrap(ElementType.S64, dims(3), new long[] {3, -4, 5});
        assertThat(reduce(s64, scalar(ElementType.S64, 1), "multiply", false, shape(ElementType.S64), 0)
                        .longs())
                .containsExactly(-60L);
        Array u32 = Array.wrap(ElementType.U32, dims(2), new int[] {0xF0F0F0F0, 0x0FF00FF0});
        assertThat(reduce(u32, scalar(ElementType.U32, 0), "xor", false, shape(ElementType.U32), 0)
                        .ints())
                .containsExactly(0xFF00FF00);
    }

    @Test
    void predicatesReduceLogically() {
        Array in = Array.wrap(ElementType.PRED, dims(2, 2), new byte[] {0, 1, 1, 1});
        assertThat(reduce(in, scalar(ElementType.PRED, 0), "or", false, shape(ElementType.PRED, 2), 1)
                        .bytes())
                .containsExactly(1, 1);
        assertThat(reduce(in, scalar(ElementType.PRED, 1), "and", false, shape(ElementType.PRED, 2), 1)
                        .bytes())
                .containsExactly(0, 1);
        assertThat(reduce(in, scalar(ElementType.PRED, 0), "add", false, shape(ElementType.PRED, 2), 1)
                        .bytes())
                .containsExactly(1, 1);
    }

    @Test
    void emptyReductionGivesTheInitValue() {
        Array in = f32(dims(2, 0));
        assertThat(reduce(in, f32Scalar(-3f), "add", false, shape(ElementType.F32, 2), 1)
                        .floats())
                .containsExactly(-3f, -3f);
    }

    @Test
    void otherReducersAreEvaluatedWithTheAccumulatorFirst() {
        // subtract is not a recognized reducer: ((100 - 1) - 2) - 3 = 94 only if the accumulator is the first argument
        // and the elements come in order.
        Array in = f32(dims(3), 1f, 2f, 3f);
        assertThat(reduce(in, f32Scalar(100f), "subtract", false, shape(ElementType.F32), 0)
                        .floats())
                .containsExactly(94f);
        assertThat(reduce(in, f32Scalar(100f), "subtract", true, shape(ElementType.F32), 0)
                        .floats())
                .containsExactly(3f - (2f - (1f - 100f)));
    }

    @Test
    void variadicArgmax() {
        // Reducer over (value, index) pairs: keep the accumulator unless the element is strictly greater.
        String module = """
                HloModule t

                argmax {
                  av = f32[] parameter(0)
                  ai = s32[] parameter(1)
                  xv = f32[] parameter(2)
                  xi = s32[] parameter(3)
                  gt = pred[] compare(xv, av), direction=GT
                  v = f32[] select(gt, xv, av)
                  i = s32[] select(gt, xi, ai)
                  ROOT t = (f32[], s32[]) tuple(v, i)
                }

                ENTRY main {
                  x = f32[2,4] parameter(0)
                  idx = s32[2,4] parameter(1)
                  iv = f32[] parameter(2)
                  ii = s32[] parameter(3)
                  ROOT r = (f32[2], s32[2]) reduce(x, idx, iv, ii), dimensions={1}, to_apply=argmax
                }
                """;
        Value out = Hlo.runModule(
                REGISTRY,
                module,
                f32(dims(2, 4), 1, 9, 3, 9, -5, -1, -7, -2),
                s32(dims(2, 4), 0, 1, 2, 3, 0, 1, 2, 3),
                f32(dims(), Float.NEGATIVE_INFINITY),
                s32(dims(), -1));
        assertThat(out.asTuple().get(0).asArray().floats()).containsExactly(9f, -1f);
        assertThat(out.asTuple().get(1).asArray().ints()).containsExactly(1, 1);
    }

    @Test
    void badDimensionsAreInvalid() {
        Array in = f32(dims(2, 3), 1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> reduce(in, f32Scalar(0f), "add", false, shape(ElementType.F32, 2), 2))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> reduce(in, f32Scalar(0f), "add", false, shape(ElementType.F32, 3), 1))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("dimensions");
    }
}
