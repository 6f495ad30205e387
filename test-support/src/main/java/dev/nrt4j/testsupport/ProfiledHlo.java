package dev.nrt4j.testsupport;

import java.util.List;

/**
 * A small program for the tests of profiling (the reference device's trace, {@code --profile}): one
 * definition, so every module counts trace events against the same instructions. Stateless.
 */
public final class ProfiledHlo {
    private ProfiledHlo() {}

    /** Six instructions, one {@code dot} of 2 x 2 x 4 x 3 = 48 FLOPs; inputs {@code f32[2,3]} and {@code f32[3,4]}. */
    public static final String PROGRAM = String.join(
            "\n",
            "HloModule small",
            "ENTRY e {",
            "  a = f32[2,3] parameter(0)",
            "  b = f32[3,4] parameter(1)",
            "  d = f32[2,4] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
            "  c = f32[] constant(1)",
            "  k = f32[2,4] broadcast(c), dimensions={}",
            "  ROOT s = f32[2,4] add(d, k)",
            "}");

    /** The opcodes of {@link #PROGRAM}'s instructions in the order one execution runs them. */
    public static final List<String> OPCODES = List.of("parameter", "parameter", "dot", "constant", "broadcast", "add");
}
