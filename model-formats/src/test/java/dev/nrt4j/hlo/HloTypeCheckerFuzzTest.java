package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.text.HloTextParser;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link HloTypeChecker} through the text parser, which runs it on every graph it accepts.
 * Without {@code JAZZER_FUZZ} the target runs once per file in
 * {@code HloTypeCheckerFuzzTestInputs/checkerRefusesOnlyWithInvalid/}; with it, Jazzer mutates
 * from those well-typed seeds, so the mutants are mostly graphs that parse but are ill-typed.
 */
class HloTypeCheckerFuzzTest {

    /**
     * A program is accepted, or refused with {@code NeuronException(INVALID)}; any other exception
     * (an index out of bounds in a rule, an arithmetic overflow) is a finding.
     */
    @FuzzTest(maxDuration = "10m")
    @DictionaryEntries({"f32[4]", "f32[5]", "s32[]", "pred[]", "(f32[], s32[2])", "f32[2,3]", "f32[0]", "f32[-1]",
        "9223372036854775807", "add(", "compare(", "select(", "clamp(", "convert(", "reshape(", "broadcast(",
        "transpose(", "slice(", "concatenate(", "dot(", "tuple(", "get-tuple-element(", "while(", "conditional(",
        "call(", ", dimensions={", ", slice={[0:2:1]}", ", index=", ", lhs_contracting_dims={", ", rhs_contracting_dims={",
        ", lhs_batch_dims={", ", rhs_batch_dims={", ", to_apply=", ", condition=", ", body=", ", branch_computations={",
        ", direction=LT", "parameter(0)", "parameter(1)", "constant("})
    void checkerRefusesOnlyWithInvalid(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        HloModule m;
        try {
            m = HloTextParser.parse(text, "fuzz");
        } catch (NeuronException e) {
            assertThat(e.status()).isEqualTo(Status.INVALID);
            return;
        }
        // What the parser accepted has passed the checker; checking again must agree.
        HloTypeChecker.check(m);
    }
}
