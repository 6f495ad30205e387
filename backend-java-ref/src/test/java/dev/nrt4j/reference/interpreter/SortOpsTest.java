package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.ShapeTestModules.dims;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.f32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.ins;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.longs;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.param;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.s32;
import static dev.nrt4j.reference.interpreter.ShapeTestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sort and topk. The recognized comparators run with stand-in compare/select handlers that fail if
 * called, so these tests also prove the fast path was taken.
 */
class SortOpsTest {
    private static final ElementType F32 = ElementType.F32;
    private static final ElementType PRED = ElementType.PRED;

    private static HloLiteral scalarF32(float v) {
        return HloLiteral.array(
                shape(F32),
                ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(v)
                        .array());
    }

    /** JAX's canonicalizing comparator: select(p != p, nan, select(p == 0, 0, p)) for each side, then LT TOTALORDER. */
    private static void jaxComparator(HloModuleAssembler.ComputationDraft c) {
        HloShape f = shape(F32);
        HloShape p = shape(PRED);
        c.add(param(0, f))
                .add(param(1, f))
                .add(HloInstruction("nan", HloOpcode.CONSTANT, f).literal(scalarF32(Float.NaN)))
                .add(HloInstruction("zero", HloOpcode.CONSTANT, f).literal(scalarF32(0f)));
        for (int i = 0; i < 2; i++) {
            c.add(ins("ne" + i, HloOpcode.COMPARE, p, "p" + i, "p" + i).comparisonDirection("NE"))
                    .add(ins("eq" + i, HloOpcode.COMPARE, p, "p" + i, "zero").comparisonDirection("EQ"))
                    .add(ins("z" + i, HloOpcode.SELECT, f, "eq" + i, "zero", "p" + i))
                    .add(ins("c" + i, HloOpcode.SELECT, f, "ne" + i, "nan", "z" + i));
        }
        c.add(ins("lt", HloOpcode.COMPARE, p, "c0", "c1")
                .comparisonDirection("LT")
                .comparisonType("TOTALORDER"));
    }

    private static dev.nrt4j.hlo.HloInstruction.Builder HloInstruction(String name, HloOpcode opcode, HloShape shape) {
        return dev.nrt4j.hlo.HloInstruction.builder(name, name, opcode, shape);
    }

    @Test
    void jaxFloatSortCanonicalizesNaNAndZeroAndIsStable() {
        float negNaN = Float.intBitsToFloat(0xffc00001);
        Array in = f32(dims(7), 3f, Float.NaN, -0f, 1f, 0f, Float.NEGATIVE_INFINITY, negNaN);
        ShapeTestModules m = new ShapeTestModules();
        jaxComparator(m.computation("cmp"));
        m.computation("main")
                .add(param(0, in.shape()))
                .add(ins("s", HloOpcode.SORT, in.shape(), "p0")
                        .dimensions(longs(0))
                        .isStable(true)
                        .calledComputations(List.of("cmp")));
        float[] out = m.run(in).asArray().floats();
        assertThat(out[0]).isEqualTo(Float.NEGATIVE_INFINITY);
        // -0 and +0 are equal after canonicalization: they keep their input order.
        assertThat(Float.floatToRawIntBits(out[1])).isEqualTo(0x80000000);
        assertThat(Float.floatToRawIntBits(out[2])).isEqualTo(0);
        assertThat(out[3]).isEqualTo(1f);
        assertThat(out[4]).isEqualTo(3f);
        // Both NaNs are +NaN after canonicalization (largest), in input order, with their own bits.
        assertThat(Float.floatToRawIntBits(out[5])).isEqualTo(Float.floatToRawIntBits(Float.NaN));
        assertThat(Float.floatToRawIntBits(out[6])).isEqualTo(0xffc00001);
    }

    /** A comparator {@code compare(p[a], p[b]), direction=dir} over {@code params} scalars of these types. */
    private static void simpleComparator(
            HloModuleAssembler.ComputationDraft c, List<ElementType> types, String a, String b, String dir) {
        for (int i = 0; i < types.size(); i++) {
            c.add(param(i, shape(types.get(i))));
        }
        c.add(ins("r", HloOpcode.COMPARE, shape(PRED), a, b).comparisonDirection(dir));
    }

    @Test
    void argsortAlongDimensionZeroWithGreaterThanDescendsStably() {
        // Sort dimension 0 of a [4,2] s32 array together with an iota payload.
        Array keys = s32(dims(4, 2), 5, 1, 7, 1, 5, 0, -2, 1);
        Array payload = s32(dims(4, 2), 0, 0, 1, 1, 2, 2, 3, 3);
        ShapeTestModules m = new ShapeTestModules();
        ElementType s = ElementType.S32;
        simpleComparator(m.computation("cmp"), List.of(s, s, s, s), "p0", "p1", "GT");
        HloShape t = HloShape.tuple(List.of(keys.shape(), payload.shape()));
        m.computation("main")
                .add(param(0, keys.shape()))
                .add(param(1, payload.shape()))
                .add(ins("s", HloOpcode.SORT, t, "p0", "p1")
                        .dimensions(longs(0))
                        .calledComputations(List.of("cmp")));
        TupleValue r = m.run(keys, payload).asTuple();
        assertThat(r.get(0).asArray().ints()).containsExactly(7, 1, 5, 1, 5, 1, -2, 0);
        assertThat(r.get(1).asArray().ints()).containsExactly(1, 0, 0, 1, 2, 3, 3, 2);
    }

    @Test
    void swappedParametersMeanTheOppositeOrderAndUnsignedComparesUnsigned() {
        Array in = Array.wrap(ElementType.U32, dims(4), new int[] {3, -1, 0, 7});
        ShapeTestModules m = new ShapeTestModules();
        ElementType u = ElementType.U32;
        // compare(p1, p0) LT: less(a, b) = b < a, i.e. descending.
        simpleComparator(m.computation("cmp"), List.of(u, u), "p1", "p0", "LT");
        m.computation("main")
                .add(param(0, in.shape()))
                .add(ins("s", HloOpcode.SORT, in.shape(), "p0")
                        .dimensions(longs(0))
                        .calledComputations(List.of("cmp")));
        assertThat(m.run(in).asArray().ints()).containsExactly(-1, 7, 3, 0);
    }

    @Test
    void lexicographicComparatorIsEvaluatedAndMatchesNaiveSort() {
        int n = 40;
        int[] k0 = new int[n];
        int[] k1 = new int[n];
        for (int i = 0; i < n; i++) {
            k0[i] = (i * 7) % 5;
            k1[i] = (i * 13) % 11 - 5;
        }
        ShapeTestModules m = new ShapeTestModules();
        ElementType s = ElementType.S32;
        HloShape p = shape(PRED);
        m.computation("cmp")
                .add(param(0, shape(s)))
                .add(param(1, shape(s)))
                .add(param(2, shape(s)))
                .add(param(3, shape(s)))
                .add(ins("lt0", HloOpcode.COMPARE, p, "p0", "p1").comparisonDirection("LT"))
                .add(ins("eq0", HloOpcode.COMPARE, p, "p0", "p1").comparisonDirection("EQ"))
                .add(ins("lt1", HloOpcode.COMPARE, p, "p2", "p3").comparisonDirection("LT"))
                .add(ins("and", HloOpcode.AND, p, "eq0", "lt1"))
                .add(ins("or", HloOpcode.OR, p, "lt0", "and"));
        Array a0 = s32(dims(n), k0);
        Array a1 = s32(dims(n), k1);
        m.computation("main")
                .add(param(0, a0.shape()))
                .add(param(1, a1.shape()))
                .add(ins("s", HloOpcode.SORT, HloShape.tuple(List.of(a0.shape(), a1.shape())), "p0", "p1")
                        .dimensions(longs(0))
                        .isStable(true)
                        .calledComputations(List.of("cmp")));
        TupleValue r = m.run(scalarOpsRegistry(), a0, a1).asTuple();
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new int[] {k0[i], k1[i]});
        }
        pairs.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
        for (int i = 0; i < n; i++) {
            assertThat(r.get(0).asArray().ints()[i]).isEqualTo(pairs.get(i)[0]);
            assertThat(r.get(1).asArray().ints()[i]).isEqualTo(pairs.get(i)[1]);
        }
    }

    /** Real s32 compare and pred and/or, for comparators that must be evaluated. */
    private static OpRegistry scalarOpsRegistry() {
        OpRegistry r = OpRegistry.standard();
        if (!r.supports(HloOpcode.COMPARE)) {
            r.register(
                    (ins, ops, ctx) -> {
                        long a = ops.get(0).asArray().getLong(0);
                        long b = ops.get(1).asArray().getLong(0);
                        boolean v;
                        switch (ins.comparisonDirection().orElseThrow()) {
                            case "LT":
                                v = a < b;
                                break;
                            case "GT":
                                v = a > b;
                                break;
                            case "EQ":
                                v = a == b;
                                break;
                            default:
                                throw new AssertionError(ins.comparisonDirection());
                        }
                        return Array.wrap(PRED, new long[0], new byte[] {(byte) (v ? 1 : 0)});
                    },
                    HloOpcode.COMPARE);
        }
        if (!r.supports(HloOpcode.AND)) {
            r.register(
                    (ins, ops, ctx) -> Array.wrap(PRED, new long[0], new byte[] {
                        (byte) (ops.get(0).asArray().getLong(0)
                                & ops.get(1).asArray().getLong(0))
                    }),
                    HloOpcode.AND);
            r.register(
                    (ins, ops, ctx) -> Array.wrap(PRED, new long[0], new byte[] {
                        (byte) (ops.get(0).asArray().getLong(0)
                                | ops.get(1).asArray().getLong(0))
                    }),
                    HloOpcode.OR);
        }
        return r;
    }

    @Test
    void topkTakesLargestInTotalOrderWithTiesByLowerIndex() {
        Array in = f32(dims(2, 6), 1, 5, 5, Float.NaN, -0f, 0f, -1, -3, 0f, -0f, -2, 4);
        HloShape t = HloShape.tuple(List.of(shape(F32, 2, 3), shape(ElementType.S32, 2, 3)));
        TupleValue r =
                ShapeTestModules.one(ins("t", HloOpcode.TOPK, t, "p0"), in).asTuple();
        float[] v = r.get(0).asArray().floats();
        assertThat(r.get(1).asArray().ints()).containsExactly(3, 1, 2, 5, 2, 3);
        assertThat(v[0]).isNaN();
        assertThat(v[1]).isEqualTo(5f);
        assertThat(Float.floatToRawIntBits(v[4])).isEqualTo(0);
        assertThat(Float.floatToRawIntBits(v[5])).isEqualTo(0x80000000);
        Array ints = Array.wrap(ElementType.S8, dims(5), new byte[] {-1, 9, -128, 9, 0});
        HloShape ti = HloShape.tuple(List.of(shape(ElementType.S8, 2), shape(ElementType.S32, 2)));
        TupleValue ri =
                ShapeTestModules.one(ins("t", HloOpcode.TOPK, ti, "p0"), ints).asTuple();
        assertThat(ri.get(0).asArray().bytes()).containsExactly(9, 9);
        assertThat(ri.get(1).asArray().ints()).containsExactly(1, 3);
    }
}
