package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution on random data against its definition, bit for bit: per output element one accumulator from
 * zero, window positions outer (row-major, skipping padding and base-dilation holes), the group's input
 * features inner, one {@link Math#fma} per step, rounded once to bf16/f16. Random non-integer data makes any
 * change of summation order visible, which the integer-valued {@link ConvolutionOpsTest} cannot see.
 */
class ConvolutionKernelBitExactTest {
    /** b01f_01io->b01f */
    private static final ConvolutionDimensions NHWC =
            new ConvolutionDimensions(0, 3, List.of(1, 2), 2, 3, List.of(0, 1), 0, 3, List.of(1, 2));

    /** Input [b, h, w, f], kernel [kh, kw, in, out], window, feature and batch group counts. */
    record Case(String name, long[] in, long[] ker, Window w, int fgc, int bgc) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Window same3 = new Window(
                List.of(new WindowDimension(3, 1, 1, 1, 1, 1, false), new WindowDimension(3, 1, 1, 1, 1, 1, false)));
        Window odd = new Window(
                List.of(new WindowDimension(3, 2, 2, -1, 2, 1, true), new WindowDimension(2, 1, 1, 2, 1, 2, false)));
        Window ones = new Window(List.of(WindowDimension.ofSize(1), WindowDimension.ofSize(1)));
        Window inputDilated = new Window(
                List.of(new WindowDimension(3, 1, 2, 2, 1, 3, false), new WindowDimension(4, 2, 3, 2, 1, 2, true)));
        List<Case> cases = List.of(
                new Case("3x3 same, 13 in, 37 out", new long[] {2, 6, 5, 13}, new long[] {3, 3, 13, 37}, same3, 1, 1),
                new Case(
                        "stride, padding, dilations, reversal",
                        new long[] {1, 9, 7, 6},
                        new long[] {3, 2, 6, 19},
                        odd,
                        1,
                        1),
                new Case("1x1, 70 in, 300 out", new long[] {1, 3, 4, 70}, new long[] {1, 1, 70, 300}, ones, 1, 1),
                new Case("feature groups", new long[] {2, 5, 5, 12}, new long[] {3, 3, 4, 18}, same3, 3, 1),
                new Case("depthwise", new long[] {1, 6, 6, 8}, new long[] {3, 3, 1, 8}, same3, 8, 1),
                new Case("batch groups", new long[] {4, 5, 4, 7}, new long[] {3, 3, 7, 10}, same3, 1, 2),
                // More steps than one 256-step piece of the vector kernel, more columns than one of its blocks.
                new Case("3x3 same, 70 in, 530 out", new long[] {1, 4, 5, 70}, new long[] {3, 3, 70, 530}, same3, 1, 1),
                new Case(
                        "input dilation, wide padding",
                        new long[] {2, 5, 4, 9},
                        new long[] {3, 4, 9, 21},
                        inputDilated,
                        1,
                        1));
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
    void kernelMatchesTheDefinitionBitForBit(ElementType type, Case c) {
        SplittableRandom rnd = new SplittableRandom(c.name().hashCode() * 31L + type.ordinal());
        Array in = FloatArrays.random(type, c.in(), rnd, false);
        Array ker = FloatArrays.random(type, c.ker(), rnd, false);
        long[] outDims = {
            c.in()[0] / c.bgc(),
            outSize(c.in()[1], c.w().dimensions().get(0)),
            outSize(c.in()[2], c.w().dimensions().get(1)),
            c.ker()[3]
        };
        HloInstruction.Builder op = HloInstruction.builder(
                        "c", "c", HloOpcode.CONVOLUTION, HloShape.array(type, outDims))
                .convolutionDimensions(NHWC)
                .window(c.w())
                .featureGroupCount(c.fgc())
                .batchGroupCount(c.bgc());
        Array got = DotConvPrograms.run(op, in, ker);
        assertThat(got.dims()).containsExactly(outDims);
        assertThat(FloatArrays.bits(got)).containsExactly(FloatArrays.bits(reference(type, in, ker, c, outDims)));
    }

    private static long outSize(long in, WindowDimension w) {
        long dilated = (in - 1) * w.baseDilation() + 1 + w.paddingLow() + w.paddingHigh();
        long win = (w.size() - 1) * w.windowDilation() + 1;
        return (dilated - win) / w.stride() + 1;
    }

    private static Array reference(ElementType type, Array in, Array ker, Case c, long[] od) {
        Array out = Array.allocate(type, od);
        int ih = (int) in.dim(1);
        int iw = (int) in.dim(2);
        int inf = (int) in.dim(3);
        int kh = (int) ker.dim(0);
        int kw = (int) ker.dim(1);
        int kin = (int) ker.dim(2);
        int kout = (int) ker.dim(3);
        int groups = Math.max(c.fgc(), c.bgc());
        int ozg = kout / groups;
        WindowDimension wy = c.w().dimensions().get(0);
        WindowDimension wx = c.w().dimensions().get(1);
        int o = 0;
        for (int b = 0; b < od[0]; b++) {
            for (int oy = 0; oy < od[1]; oy++) {
                for (int ox = 0; ox < od[2]; ox++) {
                    for (int z = 0; z < kout; z++, o++) {
                        int grp = z / ozg;
                        int batch = c.bgc() > 1 ? b + grp * (int) od[0] : b;
                        int f0 = c.bgc() > 1 ? 0 : grp * kin;
                        float accF = 0f;
                        double accD = 0.0;
                        for (int ky = 0; ky < kh; ky++) {
                            long py = oy * wy.stride() - wy.paddingLow() + ky * wy.windowDilation();
                            if (py < 0 || py % wy.baseDilation() != 0 || py / wy.baseDilation() >= ih) {
                                continue;
                            }
                            int y = (int) (py / wy.baseDilation());
                            int kyr = wy.windowReversal() ? kh - 1 - ky : ky;
                            for (int kx = 0; kx < kw; kx++) {
                                long px = ox * wx.stride() - wx.paddingLow() + kx * wx.windowDilation();
                                if (px < 0 || px % wx.baseDilation() != 0 || px / wx.baseDilation() >= iw) {
                                    continue;
                                }
                                int x = (int) (px / wx.baseDilation());
                                int kxr = wx.windowReversal() ? kw - 1 - kx : kx;
                                for (int iz = 0; iz < kin; iz++) {
                                    double a = FloatArrays.element(in, ((batch * ih + y) * iw + x) * inf + f0 + iz);
                                    double k = FloatArrays.element(ker, ((kyr * kw + kxr) * kin + iz) * kout + z);
                                    if (type == ElementType.F64) {
                                        accD = Math.fma(a, k, accD);
                                    } else {
                                        accF = Math.fma((float) a, (float) k, accF);
                                    }
                                }
                            }
                        }
                        FloatArrays.store(out, o, accF, accD);
                    }
                }
            }
        }
        return out;
    }
}
