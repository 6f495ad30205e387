package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Whose fault a kernel's exception is: its own operand checks (what the type checker does not cover)
 * blame the program with INVALID; anything else on a program the type checker accepted is the
 * interpreter's bug, reported as FAILURE and "internal error", naming the instruction.
 */
class InterpreterFaultTest {
    private static final HloModule NEGATE = HloTextParser.parse(
            String.join(
                    "\n", "HloModule m", "ENTRY e {", "  a = f32[2] parameter(0)", "  ROOT n = f32[2] negate(a)", "}"),
            "negate");

    private static NeuronException failureOf(Supplier<RuntimeException> thrown) {
        OpRegistry r = new OpRegistry();
        r.register(
                (ins, ops, ctx) -> {
                    throw thrown.get();
                },
                HloOpcode.NEGATE);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> TestModules.run(NEGATE, r, TestModules.f32(TestModules.dims(2), 1, 2)));
        assertThat(t).isInstanceOf(NeuronException.class);
        return (NeuronException) t;
    }

    @Test
    void aBugInAKernelIsAnInternalFailureNotTheUsersError() {
        for (Supplier<RuntimeException> bug : java.util.List.<Supplier<RuntimeException>>of(
                () -> new ArrayIndexOutOfBoundsException(7),
                () -> new ClassCastException("Array to TupleValue"),
                () -> new IllegalStateException("broken invariant"),
                NullPointerException::new)) {
            NeuronException e = failureOf(bug);
            assertThat(e.status()).isEqualTo(Status.FAILURE);
            assertThat(e)
                    .hasMessageContaining("execute n (negate)")
                    .hasMessageContaining("internal error")
                    .hasMessageContaining("report it with the model");
        }
    }

    @Test
    void aKernelsOwnOperandCheckBlamesTheProgram() {
        NeuronException e = failureOf(() -> new IllegalArgumentException("negate of pred is not defined"));
        assertThat(e.status()).isEqualTo(Status.INVALID);
        assertThat(e).hasMessageContaining("does not fit its operands: negate of pred is not defined");
    }

    @Test
    void aNeuronExceptionFromAKernelPassesUnchanged() {
        NeuronException e = failureOf(() -> new NeuronException(Status.TIMEOUT, "execute", "deadline passed"));
        assertThat(e.status()).isEqualTo(Status.TIMEOUT);
        assertThatThrownBy(() -> {
                    throw e;
                })
                .hasMessageContaining("deadline passed");
    }
}
