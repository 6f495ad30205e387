package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConvolutionOpsTest {
    /** b01f_01io->b01f */
    private static final ConvolutionDimensions NHWC =
            new ConvolutionDimensions(0, 3, List.of(1, 2), 2, 3, List.of(0, 1), 0, 3, List.of(1, 2));
    /** bf01_oi01->bf01 */
    private static final ConvolutionDimensions NCHW =
            new ConvolutionDimensions(0, 1, List.of(2, 3), 1, 0, List.of(2, 3), 0, 1, List.of(2, 3));

    private static HloInstruction.Builder conv(
            ElementType type, long[] outDims, ConvolutionDimensions cd, Window w, long fgc, long bgc) {
        return HloInstruction.builder("c", "c", HloOpcode.CONVOLUTION, HloShape.array(type, outDims))
                .convolutionDimensions(cd)
                .window(w)
                .featureGroupCount(fgc)
                .batchGroupCount(bgc);
    }

    /** Small integers as f32, so every order of summation gives the exact result. */
    private static Array ints(long seed, long... dims) {
        Array a = Array.allocate(ElementType.F32, dims);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < a.size(); i++) {
            a.floats()[i] = r.nextInt(-4, 5);
        }
        return a;
    }

    private static int outSize(long in, WindowDimension w) {
        long dilated = (in - 1) * w.baseDilation() + 1 + w.paddingLow() + w.paddingHigh();
        long win = (w.size() - 1) * w.windowDilation() + 1;
        return (int) ((dilated - win) / w.stride() + 1);
    }

    /**
     * Reference for two spatial dims in NHWC / HWIO: materializes the padded, base-dilated input (holes and
     * padding as zeros, fine for integer data), then slides the dilated (possibly reversed) kernel over it.
     */
    private static float[] referenceNhwc(Array in, Array ker, Window w, int fgc, int bgc) {
        int nb = (int) in.dim(0);
        int ih = (int) in.dim(1);
        int iw = (int) in.dim(2);
        int inf = (int) in.dim(3);
        int kh = (int) ker.dim(0);
        int kw = (int) ker.dim(1);
        int kin = (int) ker.dim(2);
        int kout = (int) ker.dim(3);
        WindowDimension w0 = w.dimensions().get(0);
        WindowDimension w1 = w.dimensions().get(1);
        int ph = (int) ((ih - 1) * w0.baseDilation() + 1 + w0.paddingLow() + w0.paddingHigh());
        int pw = (int) ((iw - 1) * w1.baseDilation() + 1 + w1.paddingLow() + w1.paddingHigh());
        double[][][][] padded = new double[nb][ph][pw][inf];
        for (int b = 0; b < nb; b++) {
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    long by = y - w0.paddingLow();
                    long bx = x - w1.paddingLow();
                    if (by < 0
                            || bx < 0
                            || by % w0.baseDilation() != 0
                            || bx % w1.baseDilation() != 0
                            || by / w0.baseDilation() >= ih
                            || bx / w1.baseDilation() >= iw) {
                        continue;
                    }
                    for (int f = 0; f < inf; f++) {
                        padded[b][y][x][f] = in.floats()[
                                (int) (((b * ih + by / w0.baseDilation()) * iw + bx / w1.baseDilation()) * inf + f)];
                    }
                }
            }
        }
        int oh = outSize(ih, w0);
        int ow = outSize(iw, w1);
        int ob = nb / bgc;
        int groups = Math.max(fgc, bgc);
        float[] out = new float[ob * oh * ow * kout];
        for (int b = 0; b < ob; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int z = 0; z < kout; z++) {
                        int g = z / (kout / groups);
                        int lb = bgc > 1 ? b + g * ob : b;
                        int f0 = fgc > 1 ? g * kin : 0;
                        double sum = 0;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int ki = w0.windowReversal() ? kh - 1 - i : i;
                                int kj = w1.windowReversal() ? kw - 1 - j : j;
                                for (int c = 0; c < kin; c++) {
                                    double v = padded[lb][(int) (y * w0.stride() + i * w0.windowDilation())][
                                            (int) (x * w1.stride() + j * w1.windowDilation())][f0 + c];
                                    sum += v * ker.floats()[((ki * kw + kj) * kin + c) * kout + z];
                                }
                            }
                        }
                        out[((b * oh + y) * ow + x) * kout + z] = (float) sum;
                    }
                }
            }
        }
        return out;
    }

    private static Array runNhwc(Array in, Array ker, Window w, int fgc, int bgc) {
        long[] out = {
            in.dim(0) / bgc,
            outSize(in.dim(1), w.dimensions().get(0)),
            outSize(in.dim(2), w.dimensions().get(1)),
            ker.dim(3)
        };
        return DotConvPrograms.run(conv(ElementType.F32, out, NHWC, w, fgc, bgc), in, ker);
    }

    @Test
    void stridePaddingDilationsAndReversal() {
        Window w = new Window(
                List.of(new WindowDimension(3, 1, 1, -1, 1, 2, true), new WindowDimension(2, 1, 2, 0, 2, 1, false)));
        Array in = ints(1, 2, 7, 6, 3);
        Array ker = ints(2, 3, 2, 3, 4);
        Array out = runNhwc(in, ker, w, 1, 1);
        assertThat(out.dims()).containsExactly(2, 11, 6, 4);
        assertThat(out.floats()).containsExactly(referenceNhwc(in, ker, w, 1, 1));
    }

    @Test
    void plainConvolutionWithSamePadding() {
        Window w = new Window(
                List.of(new WindowDimension(3, 1, 1, 1, 1, 1, false), new WindowDimension(3, 1, 1, 1, 1, 1, false)));
        Array in = ints(3, 3, 9, 8, 5);
        Array ker = ints(4, 3, 3, 5, 7);
        assertThat(runNhwc(in, ker, w, 1, 1).floats()).containsExactly(referenceNhwc(in, ker, w, 1, 1));
    }

    @Test
    void featureGroups() {
        Window w = new Window(List.of(WindowDimension.ofSize(2), new WindowDimension(2, 2, 0, 1, 1, 1, false)));
        Array in = ints(5, 2, 5, 5, 6); // 6 input features in 3 groups of 2
        Array ker = ints(6, 2, 2, 2, 9); // 9 output features, 3 per group
        assertThat(runNhwc(in, ker, w, 3, 1).floats()).containsExactly(referenceNhwc(in, ker, w, 3, 1));
    }

    @Test
    void batchGroups() {
        Window w = new Window(List.of(WindowDimension.ofSize(2), WindowDimension.ofSize(3)));
        Array in = ints(7, 4, 4, 5, 3); // batch 4 in 2 groups of 2
        Array ker = ints(8, 2, 3, 3, 6); // 6 output features, 3 per group
        Array out = runNhwc(in, ker, w, 1, 2);
        assertThat(out.dims()).containsExactly(2, 3, 3, 6);
        assertThat(out.floats()).containsExactly(referenceNhwc(in, ker, w, 1, 2));
    }

    @Test
    void dimensionLabelsOnlyPermuteTheData() {
        Window w = new Window(List.of(new WindowDimension(2, 1, 1, 0, 1, 1, false), WindowDimension.ofSize(3)));
        Array in = ints(9, 2, 4, 5, 3);
        Array ker = ints(10, 2, 3, 3, 4);
        float[] expected = referenceNhwc(in, ker, w, 1, 1); // [2,4,3,4] NHWC
        // The same data as NCHW input and OIHW kernel, result requested as NCHW.
        Array inNchw = transpose(in, 0, 3, 1, 2);
        Array kerOihw = transpose(ker, 3, 2, 0, 1);
        Array out = DotConvPrograms.run(conv(ElementType.F32, new long[] {2, 4, 4, 3}, NCHW, w, 1, 1), inNchw, kerOihw);
        assertThat(out.floats())
                .containsExactly(transpose(Array.wrap(ElementType.F32, new long[] {2, 4, 3, 4}, expected), 0, 3, 1, 2)
                        .floats());
    }

    /** Transposes a rank-4 f32 array: result dim i is source dim p[i]. */
    private static Array transpose(Array a, int... p) {
        long[] d = a.dims();
        long[] nd = {d[p[0]], d[p[1]], d[p[2]], d[p[3]]};
        Array out = Array.allocate(ElementType.F32, nd);
        int[] s = a.strides();
        int o = 0;
        for (int i = 0; i < nd[0]; i++) {
            for (int j = 0; j < nd[1]; j++) {
                for (int k = 0; k < nd[2]; k++) {
                    for (int l = 0; l < nd[3]; l++) {
                        out.floats()[o++] = a.floats()[i * s[p[0]] + j * s[p[1]] + k * s[p[2]] + l * s[p[3]]];
                    }
                }
            }
        }
        return out;
    }

    private static final ConvolutionDimensions NWC =
            new ConvolutionDimensions(0, 2, List.of(1), 1, 2, List.of(0), 0, 2, List.of(1));

    @Test
    void windowPositionsAreOuterAndInputFeaturesInner() {
        // One output of a 1-D conv over 2 positions x 2 features: input (pos0: 1e8, 1), (pos1: -1e8, 0).
        // Window outer: ((1e8 + 1) - 1e8) + 0 = 0 in f32; features outer would give 1.
        Array in = DotConvPrograms.f32(new long[] {1, 2, 2}, 1e8f, 1f, -1e8f, 0f);
        Array ker = DotConvPrograms.f32(new long[] {2, 2, 1}, 1f, 1f, 1f, 1f);
        Window w = new Window(List.of(WindowDimension.ofSize(2)));
        Array out = DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 1, 1}, NWC, w, 1, 1), in, ker);
        assertThat(out.floats()).containsExactly(0f);
    }

    @Test
    void paddingIsSkippedRatherThanMultiplied() {
        // Window position 0 lies in the padding; multiplying a zero by the kernel's inf would give NaN.
        Array in = DotConvPrograms.f32(new long[] {1, 1, 1}, 1f);
        Array ker = DotConvPrograms.f32(new long[] {2, 1, 1}, Float.POSITIVE_INFINITY, 1f);
        Window w = new Window(List.of(new WindowDimension(2, 1, 1, 0, 1, 1, false)));
        Array out = DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 1, 1}, NWC, w, 1, 1), in, ker);
        assertThat(out.floats()).containsExactly(1f);
    }

    @Test
    void eachStepIsAFusedMultiplyAdd() {
        float a = 1f + 0x1p-23f;
        Array in = DotConvPrograms.f32(new long[] {1, 2, 1}, -1f, a);
        Array ker = DotConvPrograms.f32(new long[] {2, 1, 1}, 1f, a);
        Window w = new Window(List.of(WindowDimension.ofSize(2)));
        Array out = DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 1, 1}, NWC, w, 1, 1), in, ker);
        assertThat(out.floats()).containsExactly(0x1p-22f + 0x1p-46f);
    }

    @Test
    void bf16AccumulatesInF32() {
        Array in = DotOpsTest.bf16(new long[] {1, 3, 1}, 256f, 1f, 1f);
        Array ker = DotOpsTest.bf16(new long[] {3, 1, 1}, 1f, 1f, 1f);
        Window w = new Window(List.of(WindowDimension.ofSize(3)));
        Array out = DotConvPrograms.run(conv(ElementType.BF16, new long[] {1, 1, 1}, NWC, w, 1, 1), in, ker);
        assertThat(BFloat16.toFloat(out.shorts()[0])).isEqualTo(258f);
    }

    @Test
    void integerConvolutionWraps() {
        Array in = Array.wrap(ElementType.S8, new long[] {1, 2, 1}, new byte[] {100, 100});
        Array ker = Array.wrap(ElementType.S8, new long[] {2, 1, 1}, new byte[] {1, 2});
        Window w = new Window(List.of(WindowDimension.ofSize(2)));
        Array out = DotConvPrograms.run(conv(ElementType.S8, new long[] {1, 1, 1}, NWC, w, 1, 1), in, ker);
        assertThat(out.bytes()).containsExactly((byte) 44);
    }

    @Test
    void malformedConvolutionsAreInvalid() {
        Array in = Array.allocate(ElementType.F32, 1, 5, 2);
        Array ker = Array.allocate(ElementType.F32, 3, 2, 4);
        Window w3 = new Window(List.of(WindowDimension.ofSize(3)));
        Window w2 = new Window(List.of(WindowDimension.ofSize(2)));
        assertThatThrownBy(() ->
                        DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 3, 4}, NWC, w2, 1, 1), in, ker))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("window size 2 of spatial dimension 0 differs");
        assertThatThrownBy(() ->
                        DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 4, 4}, NWC, w3, 1, 1), in, ker))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("declares f32[1,4,4], inferred f32[1,3,4]");
        assertThatThrownBy(() ->
                        DotConvPrograms.run(conv(ElementType.F32, new long[] {1, 3, 4}, NWC, w3, 2, 1), in, ker))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("divided into 2 feature groups");
    }
}
