package dev.nrt4j.hlo.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;

/**
 * Arbitrary bytes either read as a module or fail with {@code NeuronException(INVALID)}; any other
 * exception, an OutOfMemoryError, a stack overflow or a hang is a finding. Without {@code JAZZER_FUZZ}
 * this runs once per file in {@code HloProtoReaderFuzzTestInputs/readAcceptsOrRejectsCleanly/}.
 */
class HloProtoReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readAcceptsOrRejectsCleanly(byte[] input) {
        HloModule m;
        try {
            m = HloProtoReader.read(input, "fuzz input");
        } catch (NeuronException e) {
            assertThat(e.status()).isEqualTo(Status.INVALID);
            assertThat(e.getMessage()).startsWith("read HLO fuzz input failed [INVALID]: ");
            return;
        }
        // What reads must be a well-formed graph: operands before users, callees before callers.
        assertThat(m.computations()).contains(m.entry());
        for (HloComputation c : m.computations()) {
            assertThat(c.instructions()).contains(c.root());
            for (HloInstruction i : c.instructions()) {
                for (HloInstruction o : i.operands()) {
                    assertThat(o.index()).isLessThan(i.index());
                    assertThat(c.instructions().get(o.index())).isSameAs(o);
                }
                for (HloComputation callee : i.calledComputations()) {
                    assertThat(m.computations().indexOf(callee))
                            .isLessThan(m.computations().indexOf(c));
                }
                i.literal()
                        .ifPresent(l -> assertThat(l.shape().sameDimensionsAndType(i.shape()))
                                .isTrue());
            }
        }
    }
}
