package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.TestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the registry holds is what the reference device reports it can run, opcode by opcode. */
class OpRegistryTest {
    private static final OpRegistry STANDARD = OpRegistry.standard();

    /** A module whose entry is one instruction of {@code op} without operands (no type rule applies to these). */
    private static HloModule lone(HloOpcode op) {
        TestModules m = new TestModules();
        m.computation("entry").op(op, shape(ElementType.F32), List.of());
        return m.build();
    }

    @Test
    void everyOpcodeWithoutAHandlerIsReportedUnsupported() {
        Set<HloOpcode> missing = EnumSet.complementOf(EnumSet.copyOf(STANDARD.opcodes()));
        // Not vacuous: XLA has opcodes the reference device does not run (host transfers, batch norm, ...).
        assertThat(missing).contains(HloOpcode.INFEED, HloOpcode.BATCH_NORM_TRAINING, HloOpcode.RNG);
        for (HloOpcode op : missing) {
            assertThat(STANDARD.supports(op)).as(op.text()).isFalse();
            assertThat(Evaluator.unsupportedOperations(lone(op), STANDARD))
                    .as(op.text())
                    .containsExactly(op.text());
        }
    }

    @Test
    void supportIsWhatIsRegistered() {
        OpRegistry onlyNegate = new OpRegistry().register((ins, ops, ctx) -> ops.get(0), HloOpcode.NEGATE);
        for (HloOpcode op : HloOpcode.values()) {
            boolean expected = op == HloOpcode.NEGATE || op == HloOpcode.PARAMETER || op == HloOpcode.CONSTANT;
            assertThat(onlyNegate.supports(op)).as(op.text()).isEqualTo(expected);
        }
        assertThat(onlyNegate.opcodes()).containsExactly(HloOpcode.CONSTANT, HloOpcode.NEGATE, HloOpcode.PARAMETER);

        TestModules m = new TestModules();
        TestModules.Comp e = m.computation("entry");
        String x = e.param(shape(ElementType.F32, 2));
        e.op(HloOpcode.NEGATE, shape(ElementType.F32, 2), List.of(x));
        e.op(HloOpcode.INFEED, shape(ElementType.F32, 2), List.of());
        // Without a custom-call handler the opcode itself is missing, whatever the target.
        e.op(HloOpcode.CUSTOM_CALL, shape(ElementType.F32, 2), List.of(x), b -> b.customCallTarget("AwsNeuronErf"));
        assertThat(Evaluator.unsupportedOperations(m.build(), onlyNegate)).containsExactly("custom-call", "infeed");
    }

    @Test
    void customCallTargetsOutsideTheVocabularyAreNamed() {
        TestModules m = new TestModules();
        TestModules.Comp e = m.computation("entry");
        String x = e.param(shape(ElementType.F32, 2));
        e.op(HloOpcode.CUSTOM_CALL, shape(ElementType.F32, 2), List.of(x), b -> b.customCallTarget("AwsNeuronErf"));
        e.op(HloOpcode.CUSTOM_CALL, shape(ElementType.F32, 2), List.of(x), b -> b.customCallTarget("MyFusedKernel"));
        e.op(HloOpcode.CUSTOM_CALL, shape(ElementType.F32, 2), List.of(x), b -> b);
        assertThat(Evaluator.unsupportedOperations(m.build(), STANDARD))
                .containsExactly("custom-call target \"\"", "custom-call target \"MyFusedKernel\"");
    }

    @Test
    void anOpcodeHasOneOwner() {
        OpRegistry r = new OpRegistry().register((ins, ops, ctx) -> ops.get(0), HloOpcode.NEGATE);
        assertThatThrownBy(() -> r.register((ins, ops, ctx) -> ops.get(0), HloOpcode.NEGATE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("negate");
        assertThatThrownBy(() -> r.register((ins, ops, ctx) -> ops.get(0), HloOpcode.PARAMETER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parameter");
    }
}
