package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;

/**
 * Builds small test modules through the public IR API (until HLO text can be parsed in tests):
 * computations are added in order, the last one is the entry.
 */
final class ShapeTestModules {
    private final HloModuleAssembler assembler = new HloModuleAssembler("test");

    /** A new computation. */
    HloModuleAssembler.ComputationDraft computation(String name) {
        return assembler.computation(name, name);
    }

    /** Runs the module's entry computation on these arguments. */
    Value run(Value... args) {
        return run(registry(), args);
    }

    /** Runs the module with this registry. */
    Value run(OpRegistry registry, Value... args) {
        return new Evaluator(assembler.assemble(), registry, 2).run(List.of(args), Long.MAX_VALUE, 0, 1);
    }

    /** The registry these tests run with: every family the reference device has. */
    static OpRegistry registry() {
        return OpRegistry.standard();
    }

    static HloInstruction.Builder ins(String name, HloOpcode opcode, HloShape shape, String... operands) {
        return HloInstruction.builder(name, name, opcode, shape).operands(List.of(operands));
    }

    static HloInstruction.Builder param(int n, HloShape shape) {
        return HloInstruction.builder("p" + n, "p" + n, HloOpcode.PARAMETER, shape)
                .parameterNumber(n);
    }

    static HloShape shape(ElementType t, long... dims) {
        return HloShape.array(t, dims);
    }

    /** Runs one instruction on parameters p0..pn-1 (with the arguments' shapes). */
    static Value one(HloInstruction.Builder op, Array... args) {
        ShapeTestModules m = new ShapeTestModules();
        HloModuleAssembler.ComputationDraft c = m.computation("main");
        for (int i = 0; i < args.length; i++) {
            c.add(param(i, args[i].shape()));
        }
        c.add(op);
        return m.run(args);
    }

    static List<Long> longs(long... v) {
        return java.util.Arrays.stream(v).boxed().toList();
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

    static Array scalarS32(int v) {
        return s32(new long[0], v);
    }

    /** 0, 1, 2 … as f32 in the given dims. */
    static Array seqF32(long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return f32(dims, v);
    }
}
