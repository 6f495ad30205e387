package dev.nrt4j.testsupport;

/**
 * HLO text programs that attack the reader, the type checker or the interpreter (issue 12), for the tests
 * of every module that must refuse them: one definition, so the reference device's tests and the command
 * line's refuse the same programs. Stateless.
 */
public final class HostileHlo {
    private HostileHlo() {}

    /**
     * A chain {@code entry -> c1 -> c2 -> ... -> c<depth>} of {@code call}s, each passing its {@code s32[]}
     * through; the last adds 1, so a chain that runs returns its input plus one.
     *
     * @param depth how many computations the entry's call leads through, 1 or more
     * @return the module's text
     */
    public static String callChain(int depth) {
        StringBuilder b = new StringBuilder("HloModule chain\n");
        b.append("c")
                .append(depth)
                .append(" {\n  p = s32[] parameter(0)\n  one = s32[] constant(1)\n  ROOT r = s32[] add(p, one)\n}\n");
        for (int i = depth - 1; i >= 1; i--) {
            b.append("c")
                    .append(i)
                    .append(" {\n  p = s32[] parameter(0)\n  ROOT r = s32[] call(p), to_apply=c")
                    .append(i + 1)
                    .append("\n}\n");
        }
        b.append("ENTRY e {\n  p = s32[] parameter(0)\n  ROOT r = s32[] call(p), to_apply=c1\n}\n");
        return b.toString();
    }

    /** {@return {@code add(f32[4], f32[5]) -> f32[4]}, which the issue saw {@code inspect} accept; its error names {@code add s}} */
    public static String illTypedAdd() {
        return String.join(
                "\n",
                "HloModule illtyped",
                "ENTRY e {",
                "  a = f32[4] parameter(0)",
                "  b = f32[5] parameter(1)",
                "  ROOT s = f32[4] add(a, b)",
                "}");
    }

    /**
     * {@return an intermediate {@code s32[1000000000] iota} (4 GB, under the device's element cap), of which
     * one element is the output: the program that once ran the JVM out of heap after 37 s}
     */
    public static String hugeIota() {
        return "HloModule huge\nENTRY e {\n  i = s32[1000000000] iota(), iota_dimension=0\n"
                + "  ROOT s = s32[1] slice(i), slice={[0:1]}\n}\n";
    }

    /**
     * A program whose one input is {@code f32[elements]} and whose output is that input: with 600,000,000
     * elements (2.4 GB) more than one Java array holds.
     *
     * @param elements the input's element count
     * @return the module's text
     */
    public static String identity(long elements) {
        return "HloModule big\nENTRY e {\n  ROOT x = f32[" + elements + "] parameter(0)\n}\n";
    }
}
