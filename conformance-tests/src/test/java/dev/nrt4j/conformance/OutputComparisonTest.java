package dev.nrt4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The corpus README's matching rules, each checked at its boundary. */
class OutputComparisonTest {
    private static final OutputCheck EQ = OutputCheck.named("expect_eq");
    private static final OutputCheck CLOSE = OutputCheck.named("expect_close");
    private static final OutputCheck ALMOST = OutputCheck.named("expect_almost_eq");

    private static HostTensor f32(float... v) {
        return HostTensor.of(v, v.length);
    }

    private static HostTensor bf16Bits(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) {
            b.putShort((short) x);
        }
        return HostTensor.of(DType.BFLOAT16, Shape.of(bits.length), b.flip());
    }

    @Test
    void expectEqIsBitwiseButAnyNanMatchesAnyNan() {
        assertThat(OutputComparison.mismatch(f32(1f, -0f), f32(1f, -0f), EQ)).isEmpty();
        assertThat(OutputComparison.mismatch(f32(0f), f32(-0f), EQ)).isPresent();
        assertThat(OutputComparison.mismatch(f32(Float.intBitsToFloat(0x7fc00001)), f32(Float.NaN), EQ))
                .isEmpty();
        assertThat(OutputComparison.mismatch(f32(Math.nextUp(1f)), f32(1f), EQ)).isPresent();
    }

    @Test
    void expectCloseAllowsOneUlpInTheElementsOwnWidth() {
        assertThat(OutputComparison.mismatch(f32(Math.nextUp(1f)), f32(1f), CLOSE))
                .isEmpty();
        assertThat(OutputComparison.mismatch(f32(Math.nextUp(Math.nextUp(1f))), f32(1f), CLOSE))
                .isPresent();
        // +0 and -0 are 0 apart; the smallest subnormals of opposite sign are 2 apart.
        assertThat(OutputComparison.mismatch(f32(0f), f32(-0f), CLOSE)).isEmpty();
        assertThat(OutputComparison.mismatch(f32(Float.MIN_VALUE), f32(-Float.MIN_VALUE), CLOSE))
                .isPresent();
        assertThat(OutputComparison.mismatch(f32(Float.MIN_VALUE), f32(-0f), CLOSE))
                .isEmpty();
        // bf16: 0x3f80 (1.0) and 0x3f81 are one bf16 ULP apart, though far more in f32.
        assertThat(OutputComparison.mismatch(bf16Bits(0x3f81), bf16Bits(0x3f80), CLOSE))
                .isEmpty();
        assertThat(OutputComparison.mismatch(bf16Bits(0x3f82), bf16Bits(0x3f80), CLOSE))
                .isPresent();
        // Non-finite values must be bitwise equal.
        assertThat(OutputComparison.mismatch(f32(Float.POSITIVE_INFINITY), f32(Float.MAX_VALUE), CLOSE))
                .isPresent();
        assertThat(OutputComparison.mismatch(f32(Float.NEGATIVE_INFINITY), f32(Float.NEGATIVE_INFINITY), CLOSE))
                .isEmpty();
    }

    @Test
    void expectAlmostEqIsAnAbsoluteBound() {
        assertThat(OutputComparison.mismatch(f32(1.00009f), f32(1f), ALMOST)).isEmpty();
        assertThat(OutputComparison.mismatch(f32(1.0002f), f32(1f), ALMOST)).isPresent();
        assertThat(OutputComparison.mismatch(f32(Float.POSITIVE_INFINITY), f32(Float.POSITIVE_INFINITY), ALMOST))
                .isEmpty();
    }

    @Test
    void toleranceIsAbsolutePlusRelative() {
        OutputCheck t = OutputCheck.tolerance(1e-2, 1e-3);
        assertThat(OutputComparison.mismatch(f32(100.9f), f32(100f), t))
                .as("0.9 <= 0.001 + 1.0")
                .isEmpty();
        assertThat(OutputComparison.mismatch(f32(101.1f), f32(100f), t)).isPresent();
        assertThat(OutputComparison.mismatch(f32(Float.NaN), f32(Float.NaN), t)).isEmpty();
        assertThat(OutputComparison.mismatch(f32(Float.NaN), f32(1f), t)).isPresent();
    }

    @Test
    void integersAndPredMustBeEqualWhateverTheRule() {
        OutputCheck loose = OutputCheck.tolerance(1, 1);
        assertThat(OutputComparison.mismatch(HostTensor.of(new int[] {3}), HostTensor.of(new int[] {4}), loose))
                .isPresent();
        assertThat(OutputComparison.mismatch(
                        HostTensor.of(new boolean[] {true}), HostTensor.of(new boolean[] {true}), EQ))
                .isEmpty();
    }

    @Test
    void typeShapeAndCountAreReported() {
        assertThat(OutputComparison.mismatch(HostTensor.of(new int[] {1}), f32(1f), EQ))
                .hasValueSatisfying(m -> assertThat(m).contains("s32").contains("f32"));
        assertThat(OutputComparison.mismatch(f32(1f, 2f), HostTensor.of(new float[] {1f, 2f}, 2, 1), EQ))
                .hasValueSatisfying(m -> assertThat(m).contains("[2]").contains("[2, 1]"));
        assertThat(OutputComparison.mismatch(f32(1f, 5f, 7f), f32(1f, 2f, 3f), EQ))
                .hasValueSatisfying(
                        m -> assertThat(m).startsWith("2 of 3 elements differ").contains("[1] 5.0 vs expected 2.0"));
    }

    @Test
    void ulpDistanceAddsMagnitudesAcrossSigns() {
        assertThat(OutputComparison.ulpDistance(0x3f800001L, 0x3f800000L, 32)).isEqualTo(1);
        assertThat(OutputComparison.ulpDistance(0x80000001L, 0x00000001L, 32)).isEqualTo(2);
        assertThat(OutputComparison.ulpDistance(0x8000L, 0x0000L, 16)).isZero();
        assertThat(OutputComparison.ulpDistance(0x8000000000000001L, 0x0000000000000002L, 64))
                .isEqualTo(3);
    }

    private static WorstError worst(HostTensor actual, HostTensor expected, OutputCheck check) {
        return OutputComparison.compare(actual, expected, check).worst();
    }

    @Test
    void theWorstErrorIsInUlpsForEqAndCloseAndAbsoluteOtherwise() {
        float threeUp = Math.nextUp(Math.nextUp(Math.nextUp(1f)));
        assertThat(worst(f32(threeUp, 2f), f32(1f, 2f), CLOSE)).isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 3));
        assertThat(worst(f32(threeUp, 2f), f32(1f, 2f), EQ)).isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 3));
        assertThat(worst(f32(1.5f, 2f), f32(1f, 2.25f), ALMOST))
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ABS, 0.5));
        assertThat(worst(f32(1f), f32(1f), OutputCheck.tolerance(0.1, 0)))
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ABS, 0));
        assertThat(OutputComparison.compare(f32(threeUp), f32(1f), CLOSE).mismatch())
                .hasValueSatisfying(m -> assertThat(m).contains("(expect_close; max_ulp=3)"));
        // bf16 counts its own ulps.
        assertThat(worst(bf16Bits(0x3f83), bf16Bits(0x3f80), CLOSE))
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 3));
        // Integers: the difference of the values.
        assertThat(worst(HostTensor.of(new int[] {3, -5}), HostTensor.of(new int[] {3, 2}), EQ))
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 7));
    }

    @Test
    void whatNoDistanceDescribesIsInfinitelyFar() {
        WorstError inf = WorstError.of(WorstError.Measure.MAX_ULP, Double.POSITIVE_INFINITY);
        assertThat(worst(f32(Float.NaN), f32(1f), CLOSE)).isEqualTo(inf);
        assertThat(worst(f32(Float.POSITIVE_INFINITY), f32(Float.MAX_VALUE), CLOSE))
                .isEqualTo(inf);
        assertThat(worst(f32(1f, 2f), HostTensor.of(new float[] {1f, 2f}, 2, 1), CLOSE))
                .isEqualTo(inf);
        assertThat(worst(f32(Float.NaN, Float.NEGATIVE_INFINITY), f32(Float.NaN, Float.NEGATIVE_INFINITY), CLOSE))
                .as("NaN against NaN and equal infinities are no error")
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ULP, 0));
        assertThat(worst(f32(Float.NaN), f32(1f), ALMOST))
                .isEqualTo(WorstError.of(WorstError.Measure.MAX_ABS, Double.POSITIVE_INFINITY));
    }

    @Test
    void worstErrorsStayWithinBoundsOnlyInTheMeasuresTheyName() {
        WorstError three = WorstError.of(WorstError.Measure.MAX_ULP, 3);
        assertThat(three.within(WorstError.of(WorstError.Measure.MAX_ULP, 3))).isTrue();
        assertThat(three.within(WorstError.of(WorstError.Measure.MAX_ULP, 2))).isFalse();
        assertThat(three.within(WorstError.of(WorstError.Measure.MAX_ABS, 10))).isFalse();
        assertThat(WorstError.NONE.within(three))
                .as("nothing measured is within no bound")
                .isFalse();
        WorstError both = three.merge(WorstError.of(WorstError.Measure.MAX_ABS, 2.5e-4))
                .merge(WorstError.of(WorstError.Measure.MAX_ULP, 1));
        assertThat(both.toString()).isEqualTo("max_ulp=3 max_abs=2.5e-4");
        assertThat(both.toJson()).containsExactly(Map.entry("max_ulp", 3L), Map.entry("max_abs", 2.5e-4));
        assertThat(WorstError.of(WorstError.Measure.MAX_ULP, Double.POSITIVE_INFINITY)
                        .toString())
                .isEqualTo("max_ulp=inf");
    }
}
