package dev.nrt4j.hlo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.hlo.text.HloTextParser;
import org.junit.jupiter.api.Test;

/** FLOPs of dots and convolutions, worked out by hand from their shapes: 2 per multiply-add. */
class DotFlopsTest {
    private static HloInstruction root(String body) {
        return HloTextParser.parse("HloModule m\nENTRY e {\n" + body + "\n}\n", "m")
                .entry()
                .root();
    }

    @Test
    void aDotIsTwiceItsResultTimesItsContractedDimensions() {
        HloInstruction dot = root("  a = f32[2,4,8] parameter(0)\n  b = f32[2,8,3] parameter(1)\n"
                + "  ROOT d = f32[2,4,3] dot(a, b), lhs_batch_dims={0}, rhs_batch_dims={0},"
                + " lhs_contracting_dims={2}, rhs_contracting_dims={1}");
        assertThat(DotFlops.of(dot)).isEqualTo(2L * (2 * 4 * 3) * 8);
    }

    @Test
    void aConvolutionIsTwiceItsResultTimesTheKernelOfOneOutputFeature() {
        // 3x3 window over 3 input features: 27 multiply-adds for each of the 1x3x3x8 outputs.
        HloInstruction conv = root("  x = f32[1,5,5,3] parameter(0)\n  k = f32[3,3,3,8] parameter(1)\n"
                + "  ROOT c = f32[1,3,3,8] convolution(x, k), window={size=3x3}, dim_labels=b01f_01io->b01f");
        assertThat(DotFlops.of(conv)).isEqualTo(2L * (3 * 3 * 8) * (3 * 3 * 3));
        // Three groups of 2 input features: each output sums 2 features of a 3x3 window.
        HloInstruction grouped = root("  x = f32[1,5,5,6] parameter(0)\n  k = f32[3,3,2,6] parameter(1)\n"
                + "  ROOT c = f32[1,3,3,6] convolution(x, k), window={size=3x3}, dim_labels=b01f_01io->b01f,"
                + " feature_group_count=3");
        assertThat(DotFlops.of(grouped)).isEqualTo(2L * (3 * 3 * 6) * (3 * 3 * 2));
    }

    @Test
    void otherInstructionsCountNoFlops() {
        assertThat(DotFlops.of(root("  a = f32[4] parameter(0)\n  ROOT s = f32[4] add(a, a)")))
                .isZero();
    }
}
