package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fused elementwise chains against the same program run instruction by instruction, bit for bit (every NaN counted
 * as one, see {@link FloatArrays#bitsNanAsOne}), on inputs full of the values where rounding and the operations' rules
 * differ: NaNs with payloads, infinities, signed zeros, subnormals, the largest finite values. Shapes cross block and
 * parallel-piece boundaries mid-row, and the broadcasts repeat along inner, middle and outer dimensions.
 */
class ElementwiseFusionTest {
    /**
     * One chain with every member form: scalar, row and column broadcasts, unary and binary ops, a value used twice
     * inside the group, and the silu and softmax-like patterns of a llama block.
     */
    private static final String CHAIN = String.join(
            "\n",
            "HloModule chain",
            "ENTRY e {",
            "  x = T[4,300,130] parameter(0)",
            "  y = T[4,300,130] parameter(1)",
            "  inner = T[4,130] parameter(2)",
            "  middle = T[300] parameter(3)",
            "  one = T[] constant(1)",
            "  ones = T[4,300,130] broadcast(one), dimensions={}",
            "  n = T[4,300,130] negate(x)",
            "  ex = T[4,300,130] exponential(n)",
            "  a = T[4,300,130] add(ex, ones)",
            "  d = T[4,300,130] divide(ones, a)",
            "  silu = T[4,300,130] multiply(x, d)",
            "  ib = T[4,300,130] broadcast(inner), dimensions={0,2}",
            "  mb = T[4,300,130] broadcast(middle), dimensions={1}",
            "  mx = T[4,300,130] maximum(silu, ib)",
            "  mn = T[4,300,130] minimum(mb, mx)",
            "  sub = T[4,300,130] subtract(mn, y)",
            "  lg = T[4,300,130] log(sub)",
            "  rs = T[4,300,130] rsqrt(y)",
            "  sq = T[4,300,130] sqrt(x)",
            "  pw = T[4,300,130] power(lg, rs)",
            "  t = T[4,300,130] tanh(sq)",
            "  ab = T[4,300,130] abs(t)",
            "  q = T[4,300,130] multiply(pw, ab)",
            "  ROOT out = T[4,300,130] add(q, lg)",
            "}");

    /** A chain whose middle value is also used outside it, by the root tuple and by a reduction. */
    private static final String SHARED = String.join(
            "\n",
            "HloModule shared",
            "sum {",
            "  p = T[] parameter(0)",
            "  q = T[] parameter(1)",
            "  ROOT s = T[] add(p, q)",
            "}",
            "ENTRY e {",
            "  x = T[64,48] parameter(0)",
            "  m = T[64] parameter(1)",
            "  mb = T[64,48] broadcast(m), dimensions={0}",
            "  s = T[64,48] subtract(x, mb)",
            "  ex = T[64,48] exponential(s)",
            "  zero = T[] constant(0)",
            "  r = T[64] reduce(ex, zero), dimensions={1}, to_apply=sum",
            "  rb = T[64,48] broadcast(r), dimensions={0}",
            "  dv = T[64,48] divide(ex, rb)",
            "  ng = T[64,48] negate(dv)",
            "  ROOT out = (T[64,48], T[64,48]) tuple(ex, ng)",
            "}");

    enum FloatType {
        F32(ElementType.F32),
        BF16(ElementType.BF16),
        F16(ElementType.F16);

        final ElementType type;

        FloatType(ElementType type) {
            this.type = type;
        }
    }

    @ParameterizedTest
    @EnumSource(FloatType.class)
    void aLongChainGivesTheBitsOfRunningItInstructionByInstruction(FloatType t) {
        HloModule m = module(CHAIN, t.type);
        assertThat(groups(m.entry()))
                .as("everything from the negate to the root is one group (its broadcasts included)")
                .containsExactly(19);
        SplittableRandom rnd = new SplittableRandom(14);
        List<Value> args = List.of(
                random(t.type, rnd, 4, 300, 130),
                random(t.type, rnd, 4, 300, 130),
                random(t.type, rnd, 4, 130),
                random(t.type, rnd, 300));
        assertSameBits(m, args);
    }

    @ParameterizedTest
    @EnumSource(FloatType.class)
    void aValueUsedOutsideTheChainEndsAGroupAndIsKept(FloatType t) {
        HloModule m = module(SHARED, t.type);
        // {mb, s, ex} ends at ex, used by the reduce and the tuple; {rb, dv, ng} after the reduce.
        assertThat(groups(m.entry())).containsExactlyInAnyOrder(3, 3);
        SplittableRandom rnd = new SplittableRandom(15);
        assertSameBits(m, List.of(random(t.type, rnd, 64, 48), random(t.type, rnd, 64)));
    }

    @Test
    void smallArraysAndOtherTypesRunInstructionByInstruction() {
        HloModule small = module(
                CHAIN.replace("4,300,130", "2,3,5").replace("4,130", "2,5").replace("[300]", "[3]"), ElementType.F32);
        assertThat(groups(small.entry())).isEmpty();
        HloModule f64 = module(SHARED, ElementType.F64);
        assertThat(groups(f64.entry())).isEmpty();
    }

    private static HloModule module(String text, ElementType t) {
        return HloTextParser.parse(text.replace("T[", t.textName() + "["), "fusion test");
    }

    /** The member counts of the groups the plan makes. */
    private static List<Integer> groups(HloComputation c) {
        List<Integer> sizes = new ArrayList<>();
        for (ElementwiseFusion.Group g : ElementwiseFusion.plan(c).rootOf) {
            if (g != null) {
                sizes.add(g.members.length);
            }
        }
        return sizes;
    }

    private static void assertSameBits(HloModule m, List<Value> args) {
        Value fused = new Evaluator(m, OpRegistry.standard(), 2, MemoryGuard.HEAP_ONLY, null, null, true)
                .run(args, Long.MAX_VALUE, 0, 1);
        Value oneByOne = new Evaluator(m, OpRegistry.standard(), 2, MemoryGuard.HEAP_ONLY, null, null, false)
                .run(args, Long.MAX_VALUE, 0, 1);
        List<Array> a = arrays(fused);
        List<Array> b = arrays(oneByOne);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            long[] got = FloatArrays.bitsNanAsOne(a.get(i));
            long[] want = FloatArrays.bitsNanAsOne(b.get(i));
            int first = Arrays.mismatch(got, want);
            assertThat(first)
                    .as(
                            "first differing element of output %d: fused %s, one by one %s",
                            i, hex(got, first), hex(want, first))
                    .isEqualTo(-1);
        }
    }

    private static String hex(long[] bits, int i) {
        return i < 0 ? "-" : Long.toHexString(bits[i]);
    }

    private static List<Array> arrays(Value v) {
        if (!v.isTuple()) {
            return List.of(v.asArray());
        }
        List<Array> out = new ArrayList<>();
        for (Value e : ((TupleValue) v).elements()) {
            out.add(e.asArray());
        }
        return out;
    }

    /** The shared specials, and exp's overflow and underflow edges. */
    private static final float[] SPECIAL = concat(FloatArrays.SPECIAL_F32, 88.7f, -103.9f, 0x1p-140f, -0x1p-130f);

    private static float[] concat(float[] a, float... b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** One element in six special, one in six of any bit pattern, the rest uniform in [-4, 4). */
    private static Array random(ElementType t, SplittableRandom rnd, long... dims) {
        Array a = Array.allocate(t, dims);
        for (int i = 0; i < a.size(); i++) {
            int pick = rnd.nextInt(6);
            float v = pick == 0
                    ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                    : pick == 1 ? Float.intBitsToFloat(rnd.nextInt()) : (float) (rnd.nextDouble() * 8 - 4);
            if (t == ElementType.F32) {
                a.floats()[i] = v;
            } else if (t == ElementType.BF16) {
                a.shorts()[i] = BFloat16.fromFloat(v);
            } else {
                a.shorts()[i] = Float16.fromFloat(v);
            }
        }
        return a;
    }
}
