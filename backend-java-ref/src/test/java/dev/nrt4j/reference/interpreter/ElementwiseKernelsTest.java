package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BFloat16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.testsupport.Needs;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector compare, select and bf16 conversion loops against the scalar ones, bit for bit, and the scalar ones
 * (and convert's f32 to s32 loop) against the paths the handlers took before them. Inputs: every special f32 (NaNs
 * of both signs, quiet and signaling, with payloads in high or only low bits; zeros; subnormals; infinities), the
 * edges of each operation (bf16 rounding ties with an even and an odd kept part, the largest finite values that
 * round to infinity, s32's limits and the floats beside them, for convert), any bit pattern, and ordinary values;
 * every bf16; lengths and start offsets that leave every tail after whole vectors, and outputs that must keep what
 * lies outside the range; and calls enough to be compiled by C2.
 */
class ElementwiseKernelsTest {
    private static final int[] DIRECTIONS = {
        SelectionOps.EQ, SelectionOps.NE, SelectionOps.LT, SelectionOps.LE, SelectionOps.GT, SelectionOps.GE
    };

    private static final float[] EDGES = {
        0x1p31f,
        -0x1p31f,
        Math.nextDown(0x1p31f),
        Math.nextUp(-0x1p31f),
        0x1p32f,
        -0x1p40f,
        0.5f,
        -0.5f,
        0.99999994f,
        -0.99999994f,
        1.5f,
        -2.5f,
        Float.intBitsToFloat(0x3f808000), // a bf16 tie, kept part even: stays
        Float.intBitsToFloat(0x3f818000), // a tie, kept part odd: rounds up
        Float.intBitsToFloat(0x3f807fff),
        Float.intBitsToFloat(0x3f808001),
        Float.intBitsToFloat(0xbf818000),
        Float.intBitsToFloat(0x7f7f8000), // the largest bf16 tie: rounds to infinity
        Float.intBitsToFloat(0x7f7f7fff),
        Float.intBitsToFloat(0x007f8000), // a subnormal tie
        Float.intBitsToFloat(0x80008000),
        Float.intBitsToFloat(0x7f800001), // signaling NaNs with payload only in the bits bf16 drops
        Float.intBitsToFloat(0xff800001),
        Float.intBitsToFloat(0x7fbfffff),
        Float.intBitsToFloat(0xffffffff),
        Float.intBitsToFloat(0x7fc0ffff)
    };

    private static ElementwiseKernels.Kernel vectorKernel() {
        Needs.that(
                VectorModule.resolved(),
                "the JVM option --add-modules " + VectorModule.NAME + " (the build's test argLine adds it)");
        assertThat(ElementwiseKernels.vector())
                .as("the vector loops, with the module present")
                .isPresent();
        assertThat(ElementwiseKernels.active())
                .isSameAs(ElementwiseKernels.vector().get());
        return ElementwiseKernels.vector().get();
    }

    private static float value(SplittableRandom rnd) {
        switch (rnd.nextInt(6)) {
            case 0:
                return FloatArrays.SPECIAL_F32[rnd.nextInt(FloatArrays.SPECIAL_F32.length)];
            case 1:
                return EDGES[rnd.nextInt(EDGES.length)];
            case 2:
            case 3:
                return Float.intBitsToFloat(rnd.nextInt());
            default:
                return (float) (rnd.nextGaussian() * (rnd.nextBoolean() ? 4 : 3e9));
        }
    }

    private static float[] floats(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = value(rnd);
        }
        return a;
    }

    /** A second operand: often the first's value, or one of the same special kind, so ties and NaN pairs occur. */
    private static float[] partner(SplittableRandom rnd, float[] a) {
        float[] b = floats(rnd, a.length);
        for (int i = 0; i < a.length; i++) {
            if (rnd.nextInt(3) == 0) {
                b[i] = a[i];
            }
        }
        return b;
    }

    private static short[] bf16s(SplittableRandom rnd, int n) {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextBoolean() ? (short) rnd.nextInt() : BFloat16.fromFloat(value(rnd));
        }
        return a;
    }

    /** A range: {@code n} elements from {@code pos} in arrays of {@code size}, output from {@code rPos}. */
    private record Range(int size, int pos, int rPos, int n) {}

    private static Range range(SplittableRandom rnd, int round) {
        int n = round < 80 ? round : rnd.nextInt(3000);
        int pos = rnd.nextInt(40);
        int rPos = rnd.nextBoolean() ? pos : rnd.nextInt(40);
        return new Range(Math.max(pos, rPos) + n + rnd.nextInt(3), pos, rPos, n);
    }

    @Test
    void vectorLoopsGiveTheScalarBits() {
        ElementwiseKernels.Kernel vector = vectorKernel();
        ElementwiseKernels.Kernel scalar = ElementwiseKernels.SCALAR;
        SplittableRandom rnd = new SplittableRandom(20261207);
        for (int round = 0; round < 400; round++) {
            Range g = range(rnd, round);
            float[] a = floats(rnd, g.size());
            float[] b = partner(rnd, a);
            String where = "n=" + g.n() + " from " + g.pos() + " to " + g.rPos();

            for (int op : DIRECTIONS) {
                byte[] want = marked(new byte[g.size()]);
                byte[] got = marked(new byte[g.size()]);
                scalar.compare(op, a, b, g.pos(), want, g.rPos(), g.n());
                vector.compare(op, a, b, g.pos(), got, g.rPos(), g.n());
                assertThat(got).as("compare %d, %s", op, where).containsExactly(want);
            }

            byte[] p = new byte[g.size()];
            for (int i = 0; i < p.length; i++) {
                // Any non-zero byte selects the first operand, not just 1.
                p[i] = (byte) (rnd.nextBoolean() ? 0 : rnd.nextInt(4) == 0 ? rnd.nextInt() : 1);
            }
            float[] wantF = marked(new float[g.size()]);
            float[] gotF = marked(new float[g.size()]);
            scalar.select(p, a, b, wantF, g.pos(), g.n());
            vector.select(p, a, b, gotF, g.pos(), g.n());
            assertThat(bits(gotF)).as("select f32, %s", where).containsExactly(bits(wantF));
            int[] ia = bits(a);
            int[] ib = bits(b);
            int[] wantI = marked(new int[g.size()]);
            int[] gotI = marked(new int[g.size()]);
            scalar.select(p, ia, ib, wantI, g.pos(), g.n());
            vector.select(p, ia, ib, gotI, g.pos(), g.n());
            assertThat(gotI).as("select s32, %s", where).containsExactly(wantI);

            short[] wantH = marked(new short[g.size()]);
            short[] gotH = marked(new short[g.size()]);
            scalar.toBf16(a, g.pos(), wantH, g.rPos(), g.n());
            vector.toBf16(a, g.pos(), gotH, g.rPos(), g.n());
            assertThat(gotH).as("f32 to bf16, %s", where).containsExactly(wantH);

            float[] wantR = Arrays.copyOf(a, a.length);
            float[] gotR = Arrays.copyOf(a, a.length);
            scalar.roundToBf16(wantR, g.pos(), g.n());
            vector.roundToBf16(gotR, g.pos(), g.n());
            assertThat(bits(gotR)).as("f32 rounded to bf16, %s", where).containsExactly(bits(wantR));

            short[] h = bf16s(rnd, g.size());
            for (boolean quiet : new boolean[] {false, true}) {
                wantF = marked(new float[g.size()]);
                gotF = marked(new float[g.size()]);
                scalar.fromBf16(h, g.pos(), wantF, g.rPos(), g.n(), quiet);
                vector.fromBf16(h, g.pos(), gotF, g.rPos(), g.n(), quiet);
                assertThat(bits(gotF))
                        .as("bf16 to f32 quiet=%s, %s", quiet, where)
                        .containsExactly(bits(wantF));
            }
        }
    }

    /**
     * The same once C2 has compiled the vector loops into vector instructions (what runs in earnest; before, the
     * Vector API's Java fallback runs): many calls on short arrays, checked now and then.
     */
    @Test
    void compiledVectorLoopsGiveTheScalarBits() {
        ElementwiseKernels.Kernel vector = vectorKernel();
        ElementwiseKernels.Kernel scalar = ElementwiseKernels.SCALAR;
        SplittableRandom rnd = new SplittableRandom(25);
        int n = 100;
        float[] a = floats(rnd, n);
        float[] b = partner(rnd, a);
        short[] h = bf16s(rnd, n);
        byte[] p = new byte[n];
        byte[] z = new byte[n];
        float[] f = new float[n];
        short[] s = new short[n];
        float[] rounded = new float[n];
        for (int call = 1; call <= 30_000; call++) {
            if (call % 3000 == 0) {
                a = floats(rnd, n);
                b = partner(rnd, a);
                h = bf16s(rnd, n);
                for (int i = 0; i < n; i++) {
                    p[i] = (byte) rnd.nextInt(3);
                }
            }
            int op = DIRECTIONS[call % DIRECTIONS.length];
            vector.compare(op, a, b, 0, z, 0, n);
            vector.select(p, a, b, f, 0, n);
            vector.toBf16(a, 0, s, 0, n);
            System.arraycopy(a, 0, rounded, 0, n);
            vector.roundToBf16(rounded, 0, n);
            if (call % 3000 == 0) {
                float[] wantR = Arrays.copyOf(a, n);
                scalar.roundToBf16(wantR, 0, n);
                assertThat(bits(rounded)).as("rounded to bf16, call %d", call).containsExactly(bits(wantR));
                byte[] wantZ = new byte[n];
                float[] wantF = new float[n];
                short[] wantS = new short[n];
                scalar.compare(op, a, b, 0, wantZ, 0, n);
                scalar.select(p, a, b, wantF, 0, n);
                scalar.toBf16(a, 0, wantS, 0, n);
                assertThat(z).as("compare %d, call %d", op, call).containsExactly(wantZ);
                assertThat(bits(f)).as("select, call %d", call).containsExactly(bits(wantF));
                assertThat(s).as("to bf16, call %d", call).containsExactly(wantS);
            }
            boolean quiet = call % 2 == 0;
            vector.fromBf16(h, 0, f, 0, n, quiet);
            if (call % 3000 == 0 || call % 3000 == 1) {
                float[] want = new float[n];
                scalar.fromBf16(h, 0, want, 0, n, quiet);
                assertThat(bits(f)).as("from bf16, call %d", call).containsExactly(bits(want));
            }
        }
        int[] ia = bits(a);
        int[] want = new int[n];
        int[] got = new int[n];
        for (int call = 0; call < 30_000; call++) {
            vector.select(p, ia, bits(b), got, 0, n);
        }
        scalar.select(p, ia, bits(b), want, 0, n);
        assertThat(got).as("select s32").containsExactly(want);
    }

    @Test
    void vectorLoopsWidenEveryBf16AsTheScalarOne() {
        ElementwiseKernels.Kernel vector = vectorKernel();
        short[] all = new short[1 << 16];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        for (boolean quiet : new boolean[] {false, true}) {
            float[] want = new float[all.length];
            float[] got = new float[all.length];
            ElementwiseKernels.SCALAR.fromBf16(all, 0, want, 0, all.length, quiet);
            vector.fromBf16(all, 0, got, 0, all.length, quiet);
            assertThat(bits(got)).as("quiet=%s", quiet).containsExactly(bits(want));
        }
    }

    /**
     * The scalar loops are the handlers' earlier paths: convert read each f32 or bf16 into an f64 block
     * ({@link Elements#readDoubles}), then saturated it to s32, or stored it to f32 ({@link Elements#writeDoubles}),
     * or narrowed it to f32 and rounded that to bf16; compare and select were the same loops inline. (Through arrays,
     * as those paths went: C2 folds an f32 to f64 to f32 round trip in registers away, and with it the quieting.)
     */
    @Test
    void scalarLoopsGiveTheBitsOfTheEarlierPaths() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] a = floats(rnd, 20_000);
        double[] wide = new double[a.length];
        Elements.readDoubles(Array.wrap(ElementType.F32, new long[] {a.length}, a), 0, wide, a.length);
        int[] s32 = ConversionOps.convert(Array.wrap(ElementType.F32, new long[] {a.length}, a), ElementType.S32, null)
                .ints();
        short[] h = new short[a.length];
        ElementwiseKernels.SCALAR.toBf16(a, 0, h, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            assertThat(s32[i]).as("s32 of %s", a[i]).isEqualTo((int) ConversionOps.saturate(wide[i], 32, true));
            assertThat(h[i]).as("bf16 of %s", a[i]).isEqualTo(BFloat16.fromFloat((float) wide[i]));
        }
        short[] all = new short[1 << 16];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        double[] allWide = new double[all.length];
        Elements.readDoubles(Array.wrap(ElementType.BF16, new long[] {all.length}, all), 0, allWide, all.length);
        Array earlier = Array.allocate(ElementType.F32, new long[] {all.length});
        Elements.writeDoubles(earlier, 0, allWide, all.length);
        float[] exact = new float[all.length];
        float[] quieted = new float[all.length];
        ElementwiseKernels.SCALAR.fromBf16(all, 0, exact, 0, all.length, false);
        ElementwiseKernels.SCALAR.fromBf16(all, 0, quieted, 0, all.length, true);
        assertThat(bits(exact)).containsExactly(bits(bf16Widened(all)));
        assertThat(bits(quieted)).containsExactly(bits(earlier.floats()));
    }

    private static float[] bf16Widened(short[] h) {
        float[] out = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            out[i] = BFloat16.toFloat(h[i]);
        }
        return out;
    }

    /** XLA's convert, which is Java's cast: NaN to 0, past the range to its limits, toward zero inside it. */
    @Test
    void convertToS32SaturatesAndMapsNanToZero() {
        float[] a = new float[64];
        for (int i = 0; i < a.length; i += 8) {
            a[i] = Float.NaN;
            a[i + 1] = Float.intBitsToFloat(0xff800001);
            a[i + 2] = 0x1p31f;
            a[i + 3] = Float.POSITIVE_INFINITY;
            a[i + 4] = -0x1p31f;
            a[i + 5] = Float.NEGATIVE_INFINITY;
            a[i + 6] = -2.9f;
            a[i + 7] = Math.nextDown(0x1p31f);
        }
        int[] want = {0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, -2, 2147483520};
        int[] r = ConversionOps.convert(Array.wrap(ElementType.F32, new long[] {a.length}, a), ElementType.S32, null)
                .ints();
        for (int i = 0; i < a.length; i++) {
            assertThat(r[i]).as("%s at %d", a[i], i).isEqualTo(want[i % 8]);
        }
    }

    private static byte[] marked(byte[] a) {
        Arrays.fill(a, (byte) 7);
        return a;
    }

    private static short[] marked(short[] a) {
        Arrays.fill(a, (short) 0x7777);
        return a;
    }

    private static int[] marked(int[] a) {
        Arrays.fill(a, 0x77777777);
        return a;
    }

    private static float[] marked(float[] a) {
        Arrays.fill(a, 7.5f);
        return a;
    }

    /** Raw bits: NaN payloads and zero signs count. */
    private static int[] bits(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Float.floatToRawIntBits(a[i]);
        }
        return out;
    }
}
