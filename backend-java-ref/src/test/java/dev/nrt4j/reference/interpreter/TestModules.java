package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/** Builds small HLO modules for interpreter tests through the public IR builder API. */
final class TestModules {
    private final HloModuleAssembler assembler = new HloModuleAssembler("test");

    static HloShape shape(ElementType t, long... dims) {
        return HloShape.array(t, dims);
    }

    static HloShape tuple(HloShape... parts) {
        return HloShape.tuple(List.of(parts));
    }

    /** Adds a computation; the last one added is the entry. */
    Comp computation(String name) {
        return new Comp(name);
    }

    HloModule build() {
        return assembler.assemble();
    }

    /** A registry with control flow, this family, and tiny test-only scalar handlers for the ops reducers use. */
    static OpRegistry registryWithScalarStubs() {
        OpRegistry r = new OpRegistry();
        ControlFlowOps.registerAll(r);
        ReduceOps.registerAll(r);
        r.register(TestModules::scalarArith, HloOpcode.ADD, HloOpcode.SUBTRACT, HloOpcode.MULTIPLY, HloOpcode.MAXIMUM);
        r.register(TestModules::scalarCompare, HloOpcode.COMPARE);
        r.register(TestModules::scalarSelect, HloOpcode.SELECT);
        // Reducers of these ops must take the typed path; evaluating one is a test failure.
        r.register(
                (ins, ops, ctx) -> {
                    throw new AssertionError(ins.opcode() + " reducer was evaluated instead of folded");
                },
                HloOpcode.MINIMUM,
                HloOpcode.AND,
                HloOpcode.OR,
                HloOpcode.XOR);
        return r;
    }

    static Value run(HloModule m, OpRegistry r, Value... args) {
        return new Evaluator(m, r, 2).run(List.of(args), Long.MAX_VALUE, 0, 1);
    }

    static Array f32(long[] dims, float... v) {
        return Array.wrap(ElementType.F32, dims, v);
    }

    static Array s32(long[] dims, int... v) {
        return Array.wrap(ElementType.S32, dims, v);
    }

    static long[] dims(long... d) {
        return d;
    }

    /** A scalar f32 or s32 stub: enough for the reducer bodies of these tests, checked only there. */
    private static Value scalarArith(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array a = ops.get(0).asArray();
        Array b = ops.get(1).asArray();
        Array out = Array.allocate(ins.shape());
        if (a.type() == ElementType.F32) {
            float x = a.floats()[0];
            float y = b.floats()[0];
            out.floats()[0] = switch (ins.opcode()) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
                default -> Math.max(x, y);
            };
        } else {
            int x = a.ints()[0];
            int y = b.ints()[0];
            out.ints()[0] = switch (ins.opcode()) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
                default -> Math.max(x, y);
            };
        }
        return out;
    }

    private static Value scalarCompare(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        double x = ops.get(0).asArray().getDouble(0);
        double y = ops.get(1).asArray().getDouble(0);
        boolean r = switch (ins.comparisonDirection().orElseThrow()) {
            case "GE" -> x >= y;
            case "GT" -> x > y;
            case "LE" -> x <= y;
            case "LT" -> x < y;
            case "EQ" -> x == y;
            default -> x != y;
        };
        Array out = Array.allocate(ElementType.PRED);
        out.bytes()[0] = (byte) (r ? 1 : 0);
        return out;
    }

    private static Value scalarSelect(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        return ops.get(0).asArray().bytes()[0] != 0 ? ops.get(1) : ops.get(2);
    }

    /** One computation under construction; instruction keys double as names. */
    final class Comp {
        private final String name;
        private final HloModuleAssembler.ComputationDraft draft;
        private int params;
        private int counter;

        private Comp(String name) {
            this.name = name;
            this.draft = assembler.computation(name, name);
        }

        String name() {
            return name;
        }

        String param(HloShape s) {
            String key = name + ".p" + params;
            draft.add(HloInstruction.builder(key, key, HloOpcode.PARAMETER, s).parameterNumber(params++));
            return key;
        }

        String constant(Array value) {
            String key = name + ".c" + counter++;
            HloLiteral lit = HloLiteral.array(value.shape(), value.toBytes());
            draft.add(HloInstruction.builder(key, key, HloOpcode.CONSTANT, value.shape())
                    .literal(lit));
            return key;
        }

        String op(HloOpcode opcode, HloShape s, List<String> operands) {
            return op(opcode, s, operands, b -> b);
        }

        String op(HloOpcode opcode, HloShape s, List<String> operands, UnaryOperator<HloInstruction.Builder> attrs) {
            String key = name + "." + opcode + counter++;
            draft.add(attrs.apply(HloInstruction.builder(key, key, opcode, s).operands(operands)));
            return key;
        }

        /** Marks the root (otherwise the last instruction added). */
        Comp root(String key) {
            draft.root(key);
            return this;
        }
    }

    /** A scalar reducer computation {@code opcode(p0, p1)} (or {@code opcode(p1, p0)} when swapped). */
    String binaryReducer(String name, HloOpcode opcode, ElementType t, boolean swapped) {
        Comp c = computation(name);
        String p0 = c.param(shape(t));
        String p1 = c.param(shape(t));
        c.op(opcode, shape(t), swapped ? List.of(p1, p0) : List.of(p0, p1));
        return name;
    }

    static String str(Array a) {
        return a + Arrays.toString(new Object[] {a.data()});
    }
}
