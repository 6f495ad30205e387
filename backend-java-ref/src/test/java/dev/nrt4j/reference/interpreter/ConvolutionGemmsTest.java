package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ConvolutionDimensions;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.Window;
import dev.nrt4j.hlo.WindowDimension;
import dev.nrt4j.testsupport.Needs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Convolution on the vector kernel ({@link ConvolutionGemms} over {@link GatheredGemm}) against the scalar loops
 * of {@link ConvolutionOps}, bit for bit, in one JVM. The scalar loops are checked against the definition by
 * {@link ConvolutionKernelBitExactTest}. Shapes hit what the split into classes of output positions and the
 * vector tile must get right: every border of padding (negative too), strides, input and window dilation, window
 * reversal, feature and batch groups, 1x1 windows, 0 to 3 spatial dimensions, any dimension order, sizes not a
 * multiple of the tile's 6 rows or its two vectors of columns, more steps than one 256-step piece and more
 * columns or rows than one block. The data has signed zeros, subnormals, infinities and NaNs, so a window
 * position taken as a zero instead of skipped ({@code 0 * inf}, {@code -0.0 + 0.0}) shows.
 */
class ConvolutionGemmsTest {
    private static final List<ElementType> TYPES =
            List.of(ElementType.F32, ElementType.F64, ElementType.BF16, ElementType.F16);

    /** A convolution: operand dims, result dims, dimension numbers, window, group counts. */
    private record Conv(
            String name, long[] in, long[] ker, long[] out, ConvolutionDimensions cd, Window window, int fgc, int bgc) {
        @Override
        public String toString() {
            return name + " in " + Arrays.toString(in) + " kernel " + Arrays.toString(ker) + " out "
                    + Arrays.toString(out) + " " + cd + " " + window + " fgc " + fgc + " bgc " + bgc;
        }
    }

    private static GatheredGemm vectorGemm() {
        Needs.that(
                ModuleLayer.boot().findModule(GemmKernels.VECTOR_MODULE).isPresent(),
                "the JVM option --add-modules " + GemmKernels.VECTOR_MODULE + " (the build's test argLine adds it)");
        Optional<GatheredGemm> gemm = GemmKernels.vector().flatMap(GemmKernel::gathered);
        assertThat(gemm).as("the vector kernel's gathered product").isPresent();
        return gemm.get();
    }

    @Test
    void theActiveKernelGivesConvolutionTheGatheredProductUnlessTheScalarOneIsForced() {
        GatheredGemm vector = vectorGemm();
        if ("scalar".equals(System.getProperty(GemmKernels.PROPERTY))) {
            assertThat(GemmKernels.active().gathered()).isEmpty();
        } else {
            assertThat(GemmKernels.active().gathered()).containsSame(vector);
        }
    }

    @Test
    void namedEdgeShapesGiveTheScalarLoopsBits() {
        GatheredGemm vector = vectorGemm();
        SplittableRandom rnd = new SplittableRandom(7);
        for (Conv c : named()) {
            for (ElementType type : TYPES) {
                compare(vector, c, type, 2, rnd);
            }
        }
    }

    @Test
    void randomShapesGiveTheScalarLoopsBits() {
        GatheredGemm vector = vectorGemm();
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (int i = 0; i < 300; i++) {
            Conv c = random(rnd, i);
            compare(vector, c, TYPES.get(i % TYPES.size()), 1 + rnd.nextInt(3), rnd);
        }
    }

    private static void compare(GatheredGemm vector, Conv c, ElementType type, int parallelism, SplittableRandom rnd) {
        Array in = data(type, c.in(), rnd);
        Array ker = data(type, c.ker(), rnd);
        Array want = run(c, type, in, ker, Optional.empty(), parallelism);
        Array got = run(c, type, in, ker, Optional.of(vector), parallelism);
        assertThat(got.dims()).as("%s %s", type, c).containsExactly(c.out());
        assertThat(FloatArrays.bitsNanAsOne(got)).as("%s %s", type, c).containsExactly(FloatArrays.bitsNanAsOne(want));
    }

    private static Array run(
            Conv c, ElementType type, Array in, Array ker, Optional<GatheredGemm> gemm, int parallelism) {
        HloModuleAssembler a = new HloModuleAssembler("conv");
        HloModuleAssembler.ComputationDraft main = a.computation("main", "main");
        main.add(HloInstruction.builder("p0", "p0", HloOpcode.PARAMETER, in.shape())
                .parameterNumber(0));
        main.add(HloInstruction.builder("p1", "p1", HloOpcode.PARAMETER, ker.shape())
                .parameterNumber(1));
        main.add(HloInstruction.builder("c", "c", HloOpcode.CONVOLUTION, HloShape.array(type, c.out()))
                .convolutionDimensions(c.cd())
                .window(c.window())
                .featureGroupCount(c.fgc())
                .batchGroupCount(c.bgc())
                .operands(List.of("p0", "p1")));
        HloModule module = a.assemble();
        OpRegistry registry = new OpRegistry()
                .register((ins, ops, ctx) -> ConvolutionOps.convolution(ins, ops, ctx, gemm), HloOpcode.CONVOLUTION);
        return new Evaluator(module, registry, parallelism)
                .run(List.of(in, ker), Long.MAX_VALUE, 0, 1)
                .asArray();
    }

    /** Random values in [-4, 4), signed zeros, and one element in 40 one of {@link FloatArrays#SPECIAL_F32}. */
    private static Array data(ElementType type, long[] dims, SplittableRandom rnd) {
        Array a = FloatArrays.random(type, dims, rnd, true);
        for (int i = 0; i < a.size(); i++) {
            if (rnd.nextInt(40) == 0) {
                float v = FloatArrays.SPECIAL_F32[rnd.nextInt(FloatArrays.SPECIAL_F32.length)];
                FloatArrays.store(a, i, v, v);
            }
        }
        return a;
    }

    private static List<Conv> named() {
        WindowDimension same3 = new WindowDimension(3, 1, 1, 1, 1, 1, false);
        WindowDimension one = WindowDimension.ofSize(1);
        return List.of(
                nhwc(
                        "3x3 same, 70 in, 600 out: steps past one piece, columns past one block",
                        1,
                        7,
                        5,
                        70,
                        600,
                        1,
                        1,
                        same3,
                        same3),
                nhwc("3x3 same, rows past one block", 2, 23, 19, 5, 37, 1, 1, same3, same3),
                nhwc("1x1, 300 in, 33 out", 2, 7, 9, 300, 33, 1, 1, one, one),
                nhwc(
                        "stride 2, negative padding, both dilations, reversal",
                        1,
                        11,
                        9,
                        6,
                        19,
                        1,
                        1,
                        new WindowDimension(3, 2, 2, -1, 2, 1, true),
                        new WindowDimension(2, 1, 1, 2, 1, 2, false)),
                nhwc(
                        "transposed-convolution shape: input dilation 3, padding 2",
                        2,
                        5,
                        6,
                        7,
                        17,
                        1,
                        1,
                        new WindowDimension(3, 1, 2, 2, 1, 3, false),
                        new WindowDimension(4, 1, 3, 3, 1, 2, true)),
                nhwc(
                        "window larger than the input",
                        1,
                        3,
                        2,
                        4,
                        9,
                        1,
                        1,
                        new WindowDimension(5, 1, 2, 2, 1, 1, false),
                        new WindowDimension(4, 1, 3, 1, 1, 1, false)),
                nhwc("feature groups 3", 2, 6, 5, 12, 18, 3, 1, same3, same3),
                nhwc("depthwise", 1, 6, 7, 8, 16, 8, 1, same3, same3),
                nhwc("batch groups 2", 4, 5, 4, 7, 10, 1, 2, same3, same3),
                nhwc("batch groups 3, 1x1", 3, 4, 5, 6, 9, 1, 3, one, one));
    }

    /** An NHWC convolution: input [b, h, w, f], kernel [kh, kw, f / fgc, out], result by the window. */
    private static Conv nhwc(
            String name,
            int b,
            int h,
            int w,
            int f,
            int out,
            int fgc,
            int bgc,
            WindowDimension wy,
            WindowDimension wx) {
        ConvolutionDimensions cd =
                new ConvolutionDimensions(0, 3, List.of(1, 2), 2, 3, List.of(0, 1), 0, 3, List.of(1, 2));
        return new Conv(
                name,
                new long[] {b, h, w, f},
                new long[] {wy.size(), wx.size(), f / fgc, out},
                new long[] {b / bgc, outSize(h, wy), outSize(w, wx), out},
                cd,
                new Window(List.of(wy, wx)),
                fgc,
                bgc);
    }

    /** Any rank of 0 to 3 spatial dimensions, any dimension order, window, groups and sizes. */
    private static Conv random(SplittableRandom rnd, int i) {
        int spatial = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(3);
        int rank = spatial + 2;
        List<WindowDimension> window = new ArrayList<>();
        long[] inSpatial = new long[spatial];
        long[] outSpatial = new long[spatial];
        for (int d = 0; d < spatial; d++) {
            long out;
            WindowDimension w;
            do {
                inSpatial[d] = 1 + rnd.nextInt(spatial == 3 ? 5 : 9);
                w = new WindowDimension(
                        1 + rnd.nextInt(4),
                        1 + rnd.nextInt(3),
                        rnd.nextInt(5) - 1,
                        rnd.nextInt(5) - 1,
                        1 + rnd.nextInt(3),
                        1 + rnd.nextInt(3),
                        rnd.nextBoolean());
                out = outSize(inSpatial[d], w);
            } while (out < 1);
            window.add(w);
            outSpatial[d] = out;
        }
        int groups = 1 + rnd.nextInt(3);
        boolean batchGroups = rnd.nextBoolean();
        int fgc = batchGroups ? 1 : groups;
        int bgc = batchGroups ? groups : 1;
        int kin = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 90 : 9);
        int outFeatures = groups * (1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 70 : 20));
        int outBatch = 1 + rnd.nextInt(3);
        List<Integer> inDims = shuffled(rank, rnd);
        List<Integer> kerDims = shuffled(rank, rnd);
        List<Integer> outDims = shuffled(rank, rnd);
        ConvolutionDimensions cd = new ConvolutionDimensions(
                inDims.get(0),
                inDims.get(1),
                inDims.subList(2, rank),
                kerDims.get(0),
                kerDims.get(1),
                kerDims.subList(2, rank),
                outDims.get(0),
                outDims.get(1),
                outDims.subList(2, rank));
        long[] in = new long[rank];
        long[] ker = new long[rank];
        long[] out = new long[rank];
        in[cd.inputBatch()] = (long) outBatch * bgc;
        in[cd.inputFeature()] = (long) kin * fgc;
        ker[cd.kernelInputFeature()] = kin;
        ker[cd.kernelOutputFeature()] = outFeatures;
        out[cd.outputBatch()] = outBatch;
        out[cd.outputFeature()] = outFeatures;
        for (int d = 0; d < spatial; d++) {
            in[cd.inputSpatial().get(d)] = inSpatial[d];
            ker[cd.kernelSpatial().get(d)] = window.get(d).size();
            out[cd.outputSpatial().get(d)] = outSpatial[d];
        }
        return new Conv("random " + i, in, ker, out, cd, new Window(window), fgc, bgc);
    }

    private static List<Integer> shuffled(int rank, SplittableRandom rnd) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            dims.add(d);
        }
        Collections.shuffle(dims, new Random(rnd.nextLong()));
        return dims;
    }

    private static long outSize(long in, WindowDimension w) {
        long padded = (in - 1) * w.baseDilation() + 1 + w.paddingLow() + w.paddingHigh();
        long window = (w.size() - 1) * w.windowDilation() + 1;
        return padded < window ? 0 : (padded - window) / w.stride() + 1;
    }
}
