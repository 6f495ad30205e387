package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.TestModules.dims;
import static dev.nrt4j.reference.interpreter.TestModules.f32;
import static dev.nrt4j.reference.interpreter.TestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.WindowDimension;
import org.junit.jupiter.api.Test;

class WindowOpsTest {
    private static final OpRegistry REGISTRY = TestModules.registryWithScalarStubs();
    private static final HloShape F32 = shape(ElementType.F32);

    private static WindowDimension dim(
            long size, long stride, long lo, long hi, long windowDilation, long baseDilation) {
        return new WindowDimension(size, stride, lo, hi, windowDilation, baseDilation, false);
    }

    /** HLO text of a window attribute: {@code window={size=.. stride=.. pad=lo_hi.. rhs_dilate=.. lhs_dilate=..}}. */
    private static String window(WindowDimension... w) {
        java.util.function.Function<java.util.function.Function<WindowDimension, String>, String> join =
                f -> java.util.Arrays.stream(w).map(f).collect(java.util.stream.Collectors.joining("x"));
        return "window={size=" + join.apply(d -> Long.toString(d.size())) + " stride="
                + join.apply(d -> Long.toString(d.stride()))
                + " pad=" + join.apply(d -> d.paddingLow() + "_" + d.paddingHigh())
                + " rhs_dilate=" + join.apply(d -> Long.toString(d.windowDilation()))
                + " lhs_dilate=" + join.apply(d -> Long.toString(d.baseDilation())) + "}";
    }

    private static Array reduceWindow(Array in, float init, String opcode, HloShape out, WindowDimension... window) {
        String module = "HloModule t\n\n" + Hlo.binary("r", opcode, ElementType.F32, false)
                + "ENTRY main {\n  x = " + in.shape() + " parameter(0)\n  i = f32[] parameter(1)\n"
                + "  ROOT o = " + out + " reduce-window(x, i), " + window(window) + ", to_apply=r\n}\n";
        return Hlo.runModule(REGISTRY, module, in, f32(dims(), init)).asArray();
    }

    @Test
    void cumulativeSumThroughLowPadding() {
        Array in = f32(dims(5), 1, 2, 3, 4, 5);
        Array out = reduceWindow(in, 0f, "add", shape(ElementType.F32, 5), dim(5, 1, 4, 0, 1, 1));
        assertThat(out.floats()).containsExactly(1f, 3f, 6f, 10f, 15f);
    }

    /** The last output of a cumulative reduce-window (window of the whole input, padded low) over {@code in}. */
    private static Array cumulative(Array in, String opcode, double init) {
        ElementType t = in.type();
        int n = in.size();
        String module = "HloModule t\n\n" + Hlo.binary("r", opcode, t, false)
                + "ENTRY main {\n  x = " + in.shape() + " parameter(0)\n  i = " + t.textName() + "[] parameter(1)\n"
                + "  ROOT o = " + in.shape() + " reduce-window(x, i), window={size=" + n + " pad=" + (n - 1)
                + "_0}, to_apply=r\n}\n";
        Array i = t == ElementType.F64 ? Array.wrap(t, dims(), new double[] {init}) : f32(dims(), (float) init);
        return Hlo.runModule(REGISTRY, module, in, i).asArray();
    }

    @Test
    void f64WindowSumsAndProductsFollowXlaCpusEightPartialAccumulators() {
        // Sequentially 1e16 swallows each 1 (a tie, rounded to even); in XLA CPU's eight lanes the ones meet
        // each other first: lanes (1e16+1, 1+1, 1+1, 1+1) -> (1e16 + 2) + (2 + 2).
        double[] x = {1e16, 1, 1, 1, 1, 1, 1, 1};
        assertThat(cumulative(Hlo.f64(x), "add", 0).doubles()[7]).isEqualTo(1e16 + 6);
        // Past the last multiple of 8 positions, the rest are added in order after the lanes combine.
        double[] nine = {1e16, 1, 1, 1, 1, 1, 1, 1, 2};
        assertThat(cumulative(Hlo.f64(nine), "add", 0).doubles()[8]).isEqualTo(1e16 + 8);
        // Products: position p to lane p mod 8, lanes l and l+4 multiplied, then (m0 m2)(m1 m3).
        double[] p = {1.238, 1.544, 1.37, 1.604, 1.626, 1.066, 1.013, 1.837};
        double lanes = ((p[0] * p[4]) * (p[2] * p[6])) * ((p[1] * p[5]) * (p[3] * p[7]));
        double sequential = p[0] * p[1] * p[2] * p[3] * p[4] * p[5] * p[6] * p[7];
        assertThat(lanes).isNotEqualTo(sequential);
        assertThat(cumulative(Hlo.f64(p), "multiply", 1).doubles()[7]).isEqualTo(lanes);
    }

    @Test
    void f32WindowSumsStaySequential() {
        // 2^25 swallows each 1 in f32 (ulp 4); lanes would have kept 6 of them (rounded to 8).
        float[] x = {0x1p25f, 1, 1, 1, 1, 1, 1, 1};
        assertThat(cumulative(Hlo.f32(x), "add", 0).floats()[7]).isEqualTo(0x1p25f);
    }

    @Test
    void paddingAndBaseDilationHolesAreSkippedNotFilledWithTheInit() {
        // Base dilation 2 spreads [1..5] over 9 positions, padding 1 on each side makes 11; windows of 3 at
        // stride 2 each cover exactly one element. Were holes and padding the init value (10), the sums would differ.
        Array in = f32(dims(5), 1, 2, 3, 4, 5);
        Array out = reduceWindow(in, 10f, "add", shape(ElementType.F32, 5), dim(3, 2, 1, 1, 1, 2));
        assertThat(out.floats()).containsExactly(11f, 12f, 13f, 14f, 15f);
    }

    @Test
    void windowDilation() {
        Array in = f32(dims(5), 1, 2, 3, 4, 5);
        Array out = reduceWindow(in, 0f, "add", shape(ElementType.F32, 3), dim(2, 1, 0, 0, 2, 1));
        assertThat(out.floats()).containsExactly(4f, 6f, 8f);
    }

    @Test
    void maxPool2x2Stride2() {
        Array in = f32(dims(4, 4), 1, 2, 3, 4, 8, 7, 6, 5, 9, 10, 11, 12, 16, 15, 14, 13);
        Array out = reduceWindow(
                in,
                Float.NEGATIVE_INFINITY,
                "maximum",
                shape(ElementType.F32, 2, 2),
                dim(2, 2, 0, 0, 1, 1),
                dim(2, 2, 0, 0, 1, 1));
        assertThat(out.floats()).containsExactly(8f, 6f, 16f, 14f);
    }

    @Test
    void orderOfAGeneralReducerIsRowMajorOverTheWindow() {
        // subtract folds acc - x: 0 - 1 - 2 - 5 - 6 = -14 for the first 2x2 window of a 2x3 input.
        Array in = f32(dims(2, 3), 1, 2, 3, 5, 6, 7);
        Array out = reduceWindow(
                in, 0f, "subtract", shape(ElementType.F32, 1, 2), dim(2, 1, 0, 0, 1, 1), dim(2, 1, 0, 0, 1, 1));
        assertThat(out.floats()).containsExactly(-14f, -18f);
    }

    @Test
    void wrongOutputShapeIsInvalid() {
        Array in = f32(dims(5), 1, 2, 3, 4, 5);
        assertThatThrownBy(() -> reduceWindow(in, 0f, "add", shape(ElementType.F32, 3), dim(2, 1, 0, 0, 1, 1)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("dimensions [4]");
    }

    private static Array selectAndScatter(Array operand, Array source, String direction, WindowDimension... window) {
        String module = "HloModule t\n\nselect {\n  a = f32[] parameter(0)\n  b = f32[] parameter(1)\n"
                + "  ROOT c = pred[] compare(a, b), direction=" + direction + "\n}\n\n"
                + Hlo.binary("scatter", "add", ElementType.F32, false)
                + "ENTRY main {\n  o = " + operand.shape() + " parameter(0)\n  s = " + source.shape()
                + " parameter(1)\n"
                + "  i = f32[] parameter(2)\n  ROOT r = " + operand.shape() + " select-and-scatter(o, s, i), "
                + window(window)
                + ", select=select, scatter=scatter\n}\n";
        return Hlo.runModule(REGISTRY, module, operand, source, f32(dims(), 0f)).asArray();
    }

    @Test
    void scattersToTheSelectedMaximumAndAccumulatesOverlaps() {
        // Windows of 2 at stride 1 over [1,5,3,5,2]: selected 5 (idx 1), 5 (idx 1), 5 (idx 3), 5 (idx 3).
        Array out = selectAndScatter(
                f32(dims(5), 1, 5, 3, 5, 2), f32(dims(4), 10, 20, 30, 40), "GE", dim(2, 1, 0, 0, 1, 1));
        assertThat(out.floats()).containsExactly(0f, 30f, 0f, 70f, 0f);
    }

    @Test
    void tiesKeepTheFirstUnderGeAndTheLastUnderGt() {
        Array operand = f32(dims(3), 4, 4, 4);
        assertThat(selectAndScatter(operand, f32(dims(1), 7), "GE", dim(3, 1, 0, 0, 1, 1))
                        .floats())
                .containsExactly(7f, 0f, 0f);
        assertThat(selectAndScatter(operand, f32(dims(1), 7), "GT", dim(3, 1, 0, 0, 1, 1))
                        .floats())
                .containsExactly(0f, 0f, 7f);
    }

    @Test
    void paddedWindowsSelectAmongRealElements() {
        // 2x2 operand, windows of 2 at stride 2 with one padding row/column after: four windows, the last ones partial.
        Array out = selectAndScatter(
                f32(dims(3, 3), 1, 9, 2, 3, 4, 8, 7, 6, 5),
                f32(dims(2, 2), 1, 2, 3, 4),
                "GE",
                dim(2, 2, 0, 1, 1, 1),
                dim(2, 2, 0, 1, 1, 1));
        // windows: {1,9,3,4} -> 9 at (0,1); {2,8} -> 8 at (1,2); {7,6} -> 7 at (2,0); {5} -> (2,2)
        assertThat(out.floats()).containsExactly(0f, 1f, 0f, 0f, 0f, 2f, 3f, 0f, 4f);
    }

    @Test
    void mapAppliesTheComputationPerElement() {
        String module = "HloModule t\n\n" + Hlo.binary("f", "subtract", ElementType.F32, false)
                + "ENTRY main {\n  x = f32[3] parameter(0)\n  y = f32[3] parameter(1)\n"
                + "  ROOT m = f32[3] map(x, y), dimensions={0}, to_apply=f\n}\n";
        Array out = Hlo.runModule(REGISTRY, module, f32(dims(3), 5, 7, 9), f32(dims(3), 1, 2, 3))
                .asArray();
        assertThat(out.floats()).containsExactly(4f, 5f, 6f);
    }
}
