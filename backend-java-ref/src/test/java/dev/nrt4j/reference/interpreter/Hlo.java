package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.List;

/** Test helper: runs a one-instruction HLO program written as text. */
final class Hlo {
    private Hlo() {}

    /** Runs a module whose entry computation is {@code body} (parameters then a ROOT). */
    static Array run(String body, Array... args) {
        String text = "HloModule t\n\nENTRY main {\n" + body + "\n}\n";
        return new Evaluator(HloTextParser.parse(text, "test"), OpRegistry.standard(), 4)
                .run(List.of((Value[]) args), Long.MAX_VALUE, 0, 1)
                .asArray();
    }

    /** Runs a whole module written as text with this registry. */
    static Value runModule(OpRegistry registry, String module, Value... args) {
        return new Evaluator(HloTextParser.parse(module, "test"), registry, 2).run(List.of(args), Long.MAX_VALUE, 0, 1);
    }

    /** A computation {@code name} over two {@code type} scalars whose root is {@code opcode(p0, p1)}, or (p1, p0). */
    static String binary(String name, String opcode, ElementType type, boolean swapped) {
        String t = type.textName() + "[]";
        return name + " {\n  p0 = " + t + " parameter(0)\n  p1 = " + t + " parameter(1)\n  ROOT r = " + t + " " + opcode
                + (swapped ? "(p1, p0)" : "(p0, p1)") + "\n}\n\n";
    }

    static Array f32(float... v) {
        return Array.wrap(ElementType.F32, new long[] {v.length}, v.clone());
    }

    static Array f64(double... v) {
        return Array.wrap(ElementType.F64, new long[] {v.length}, v.clone());
    }

    static Array s32(int... v) {
        return Array.wrap(ElementType.S32, new long[] {v.length}, v.clone());
    }

    static Array s64(long... v) {
        return Array.wrap(ElementType.S64, new long[] {v.length}, v.clone());
    }

    static Array u64(long... v) {
        return Array.wrap(ElementType.U64, new long[] {v.length}, v.clone());
    }

    static Array bytes(ElementType t, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return Array.wrap(t, new long[] {v.length}, b);
    }

    static Array shorts(ElementType t, int... v) {
        short[] b = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (short) v[i];
        }
        return Array.wrap(t, new long[] {v.length}, b);
    }

    static Array u32(int... v) {
        return Array.wrap(ElementType.U32, new long[] {v.length}, v.clone());
    }
}
