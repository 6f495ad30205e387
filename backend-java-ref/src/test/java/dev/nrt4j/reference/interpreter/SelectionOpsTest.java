package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import org.junit.jupiter.api.Test;

class SelectionOpsTest {
    private static byte[] compare(String type, String attrs, Array a, Array b) {
        int n = a.size();
        String s = type + "[" + n + "]";
        return Hlo.run(
                        "  a = " + s + " parameter(0)\n  b = " + s + " parameter(1)\n  ROOT r = pred[" + n
                                + "] compare(a, b), " + attrs,
                        a,
                        b)
                .bytes();
    }

    @Test
    void floatComparisonsAreUnorderedWithNaN() {
        Array a = Hlo.f32(Float.NaN, 1f, -0f, 2f);
        Array b = Hlo.f32(Float.NaN, Float.NaN, 0f, 1f);
        assertThat(compare("f32", "direction=EQ", a, b)).containsExactly(0, 0, 1, 0);
        assertThat(compare("f32", "direction=NE", a, b)).containsExactly(1, 1, 0, 1);
        assertThat(compare("f32", "direction=GE", a, b)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void totalOrderSeparatesZeroesAndPlacesNaNs() {
        Array a = Hlo.f32(-0f, Float.NaN, Float.intBitsToFloat(0xFFC00000), Float.POSITIVE_INFINITY);
        Array b = Hlo.f32(0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN);
        assertThat(compare("f32", "direction=LT, type=TOTALORDER", a, b)).containsExactly(1, 0, 1, 1);
        assertThat(compare("f32", "direction=EQ, type=TOTALORDER", Hlo.f32(-0f), Hlo.f32(0f)))
                .containsExactly(0);
        Array c = Hlo.f64(-0.0, Double.NaN);
        Array d = Hlo.f64(0.0, 1.0);
        assertThat(compare("f64", "direction=GT, type=TOTALORDER", c, d)).containsExactly(0, 1);
    }

    @Test
    void integerComparisonsFollowSignedness() {
        assertThat(compare("u32", "direction=LT", Hlo.u32(-1, 1), Hlo.u32(1, -1)))
                .containsExactly(0, 1);
        assertThat(compare("s32", "direction=LT", Hlo.s32(-1, 1), Hlo.s32(1, -1)))
                .containsExactly(1, 0);
        assertThat(compare("u64", "direction=GT", Hlo.u64(-1L, 0), Hlo.u64(1, 0)))
                .containsExactly(1, 0);
        assertThat(compare("u8", "direction=GE", Hlo.bytes(ElementType.U8, 200), Hlo.bytes(ElementType.U8, 100)))
                .containsExactly(1);
    }

    @Test
    void complexComparesForEqualityOnly() {
        Array a = Array.wrap(ElementType.C64, new long[] {2}, new float[] {1, 2, 1, 2});
        Array b = Array.wrap(ElementType.C64, new long[] {2}, new float[] {1, 2, 1, 3});
        assertThat(compare("c64", "direction=EQ", a, b)).containsExactly(1, 0);
        assertThatThrownBy(() -> compare("c64", "direction=LT", a, b)).isInstanceOf(NeuronException.class);
    }

    @Test
    void selectWithArrayAndScalarPredicates() {
        Array p = Hlo.bytes(ElementType.PRED, 1, 0, 1);
        Array r = Hlo.run(
                "  p = pred[3] parameter(0)\n  a = s64[3] parameter(1)\n  b = s64[3] parameter(2)\n"
                        + "  ROOT r = s64[3] select(p, a, b)",
                p,
                Hlo.s64(1, 2, 3),
                Hlo.s64(-1, -2, -3));
        assertThat(r.longs()).containsExactly(1, -2, 3);
        Array q = Array.wrap(ElementType.PRED, new long[0], new byte[] {0});
        Array s = Hlo.run(
                "  p = pred[] parameter(0)\n  a = f32[2] parameter(1)\n  b = f32[2] parameter(2)\n"
                        + "  ROOT r = f32[2] select(p, a, b)",
                q,
                Hlo.f32(1, 2),
                Hlo.f32(3, 4));
        assertThat(s.floats()).containsExactly(3f, 4f);
    }

    @Test
    void clampBroadcastsScalarBoundsAndPropagatesNaN() {
        Array lo = Array.wrap(ElementType.F32, new long[0], new float[] {-1f});
        Array hi = Hlo.f32(1f, 1f, 0.5f, 1f);
        Array r = Hlo.run(
                "  lo = f32[] parameter(0)\n  x = f32[4] parameter(1)\n  hi = f32[4] parameter(2)\n"
                        + "  ROOT r = f32[4] clamp(lo, x, hi)",
                lo,
                Hlo.f32(-5f, 0.25f, 3f, Float.NaN),
                hi);
        assertThat(r.floats()).containsExactly(-1f, 0.25f, 0.5f, Float.NaN);
        Array ulo = Array.wrap(ElementType.U32, new long[0], new int[] {5});
        Array uhi = Array.wrap(ElementType.U32, new long[0], new int[] {-2});
        Array u = Hlo.run(
                "  lo = u32[] parameter(0)\n  x = u32[3] parameter(1)\n  hi = u32[] parameter(2)\n"
                        + "  ROOT r = u32[3] clamp(lo, x, hi)",
                ulo,
                Hlo.u32(1, -1, 100),
                uhi);
        assertThat(u.ints()).containsExactly(5, -2, 100);
    }
}
