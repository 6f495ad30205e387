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
    @DictionaryEntries({
        "f32[4]",
        "f32[5]",
        "s32[]",
        "pred[]",
        "(f32[], s32[2])",
        "f32[2,3]",
        "f32[0]",
        "f32[-1]",
        "9223372036854775807",
        "add(",
        "compare(",
        "select(",
        "clamp(",
        "convert(",
        "reshape(",
        "broadcast(",
        "transpose(",
        "slice(",
        "concatenate(",
        "dot(",
        "tuple(",
        "get-tuple-element(",
        "while(",
        "conditional(",
        "call(",
        ", dimensions={",
        ", slice={[0:2:1]}",
        ", index=",
        ", lhs_contracting_dims={",
        ", rhs_contracting_dims={",
        ", lhs_batch_dims={",
        ", rhs_batch_dims={",
        ", to_apply=",
        ", condition=",
        ", body=",
        ", branch_computations={",
        ", direction=LT",
        "parameter(0)",
        "parameter(1)",
        "constant(",
        "reduce-window(",
        "select-and-scatter(",
        "convolution(",
        "gather(",
        "scatter(",
        "dynamic-slice(",
        "dynamic-update-slice(",
        "all-reduce(",
        "all-gather(",
        "reduce-scatter(",
        "all-to-all(",
        "collective-permute(",
        "pad(",
        "iota(",
        "reverse(",
        "sort(",
        "map(",
        "bitcast-convert(",
        "reduce-precision(",
        "get-dimension-size(",
        "fft(",
        "cholesky(",
        "triangular-solve(",
        ", window={size=2x2 stride=2x2 pad=1_1x0_-1 lhs_dilate=1x2 rhs_dilate=2x1}",
        ", dim_labels=b01f_01io->b01f",
        ", feature_group_count=2",
        ", batch_group_count=2",
        ", offset_dims={",
        ", collapsed_slice_dims={",
        ", start_index_map={",
        ", index_vector_dim=",
        ", slice_sizes={",
        ", update_window_dims={",
        ", inserted_window_dims={",
        ", scatter_dims_to_operand_dims={",
        ", dynamic_slice_sizes={",
        ", replica_groups={{0,1}}",
        ", source_target_pairs={{0,1}}",
        ", padding=1_2_1x0_0",
        ", iota_dimension=",
        ", fft_type=RFFT",
        ", fft_length={",
        ", left_side=true",
        ", exponent_bits=5",
        "c64[4,4]",
        "u8[3,4]"
    })
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
