package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModuleAssembler;
import dev.nrt4j.hlo.HloOpcode;
import java.util.ArrayList;
import java.util.List;

/** Runs one instruction over parameters, for the dot/convolution/linear-algebra tests. */
final class DotConvPrograms {
    private DotConvPrograms() {}

    /** Evaluates {@code op} (operands filled in as parameters p0, p1, …) on these arguments. */
    static Array run(HloInstruction.Builder op, Array... args) {
        HloModuleAssembler a = new HloModuleAssembler("test");
        HloModuleAssembler.ComputationDraft c = a.computation("main", "main");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            keys.add("p" + i);
            c.add(HloInstruction.builder("p" + i, "p" + i, HloOpcode.PARAMETER, args[i].shape())
                    .parameterNumber(i));
        }
        c.add(op.operands(keys));
        Evaluator e = new Evaluator(a.assemble(), OpRegistry.standard(), 2);
        return e.run(List.of(args), Long.MAX_VALUE, 0, 1).asArray();
    }

    /** A deterministic pseudo-random f32 array with values in [-1, 1). */
    static Array randomF32(long seed, long... dims) {
        Array a = Array.allocate(dev.nrt4j.hlo.ElementType.F32, dims);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] f = a.floats();
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    static Array f32(long[] dims, float... values) {
        return Array.wrap(dev.nrt4j.hlo.ElementType.F32, dims, values);
    }
}
