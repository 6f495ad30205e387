package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.TestModules.dims;
import static dev.nrt4j.reference.interpreter.TestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class RngOpsTest {
    private static Value generate(String algorithm, long[] state, HloShape data) {
        TestModules m = new TestModules();
        TestModules.Comp e = m.computation("entry");
        HloShape stateShape = shape(ElementType.U64, state.length);
        String s = e.param(stateShape);
        e.op(
                HloOpcode.RNG_BIT_GENERATOR,
                TestModules.tuple(stateShape, data),
                List.of(s),
                b -> b.rngAlgorithm(algorithm));
        return TestModules.run(
                m.build(), OpRegistry.standard(), Array.wrap(ElementType.U64, dims(state.length), state));
    }

    @Test
    void threeFryKnownAnswers() {
        // Random123 known-answer vectors for threefry2x32 with 20 rounds.
        int[] out = new int[2];
        RngOps.threeFry2x32(0, 0, 0, 0, out);
        assertThat(out).containsExactly(0x6b200159, 0x99ba4efe);
        RngOps.threeFry2x32(-1, -1, -1, -1, out);
        assertThat(out).containsExactly(0x1cb996fc, 0xbb002be7);
        RngOps.threeFry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, out);
        assertThat(out).containsExactly(0xc4923a9c, 0x483df7a0);
    }

    @Test
    void philoxKnownAnswers() {
        // Random123 known-answer vectors for philox4x32 with 10 rounds.
        int[] out = new int[4];
        RngOps.philox4x32(0, 0, 0, 0, 0, 0, out);
        assertThat(out).containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
        RngOps.philox4x32(-1, -1, -1, -1, -1, -1, out);
        assertThat(out).containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
        RngOps.philox4x32(0xa4093822, 0x299f31d0, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, out);
        assertThat(out).containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @Test
    void threeFryScalarU64AsXlaCpu() {
        // stablehlo testdata rng_bit_generator_uint64_2: state [3, 3] -> state [3, 4], bits 0x2e7d605246aac5cf.
        Value v = generate("rng_three_fry", new long[] {3, 3}, shape(ElementType.U64));
        assertThat(v.asTuple().get(0).asArray().longs()).containsExactly(3L, 4L);
        assertThat(v.asTuple().get(1).asArray().longs()).containsExactly(0x2e7d605246aac5cfL);
    }

    @Test
    void threeFryMatrixU64AsXlaCpu() {
        // stablehlo testdata rng_bit_generator_uint32_4: key 0x400000001, counter 0x100000000, u64[100,100].
        Value v = generate("rng_three_fry", new long[] {0x400000001L, 0x100000000L}, shape(ElementType.U64, 100, 100));
        assertThat(v.asTuple().get(0).asArray().longs()).containsExactly(0x400000001L, 0x100000000L + 10000);
        long[] bits = v.asTuple().get(1).asArray().longs();
        assertThat(bits[0]).isEqualTo(0xa3e974730835d3c1L);
        assertThat(bits[1]).isEqualTo(0x252e8081823789ceL);
        assertThat(bits[2]).isEqualTo(0xb4c691df7e36a68eL);
        assertThat(bits[9998]).isEqualTo(0x5a0de3da30adc23cL);
        assertThat(bits[9999]).isEqualTo(0xa39216886a197768L);
    }

    @Test
    void threeFry32BitElementsPairAlongTheFirstEvenDimension() {
        // u32[3,4]: split dimension 1 (even), half shape [3,2]; block (i,h) fills elements (i,2h) and (i,2h+1).
        long key = 0x0123456789abcdefL;
        Value v = generate("rng_three_fry", new long[] {key, 10}, shape(ElementType.U32, 3, 4));
        int[] bits = v.asTuple().get(1).asArray().ints();
        int[] x = new int[2];
        for (int i = 0; i < 3; i++) {
            for (int h = 0; h < 2; h++) {
                RngOps.threeFry2x32((int) key, (int) (key >>> 32), 10 + i * 2 + h, 0, x);
                assertThat(bits[i * 4 + 2 * h]).isEqualTo(x[0]);
                assertThat(bits[i * 4 + 2 * h + 1]).isEqualTo(x[1]);
            }
        }
        assertThat(v.asTuple().get(0).asArray().longs()).containsExactly(key, 16L);
    }

    @Test
    void philoxFillsFourWordsPerBlockAndCarriesTheCounter() {
        long key = 0x1111111122222222L;
        long lo = -1L;
        Value v = generate("rng_philox", new long[] {key, lo, 5}, shape(ElementType.U32, 6));
        int[] bits = v.asTuple().get(1).asArray().ints();
        int[] x = new int[4];
        RngOps.philox4x32((int) key, (int) (key >>> 32), -1, -1, 5, 0, x);
        assertThat(bits).startsWith(x[0], x[1], x[2], x[3]);
        // the second block's counter wraps the low word into the high word
        RngOps.philox4x32((int) key, (int) (key >>> 32), 0, 0, 6, 0, x);
        assertThat(bits[4]).isEqualTo(x[0]);
        assertThat(bits[5]).isEqualTo(x[1]);
        assertThat(v.asTuple().get(0).asArray().longs()).containsExactly(key, 1L, 6L);
    }

    @Test
    void defaultIsPhiloxAndTwoWordStatesUseTheKeyAsHighCounterWord() {
        long key = 42;
        Value v = generate("rng_default", new long[] {key, 7}, shape(ElementType.U64, 3));
        long[] bits = v.asTuple().get(1).asArray().longs();
        int[] x = new int[4];
        RngOps.philox4x32(42, 0, 7, 0, 42, 0, x);
        assertThat(bits[0]).isEqualTo((x[0] & 0xFFFFFFFFL) | ((long) x[1] << 32));
        assertThat(bits[1]).isEqualTo((x[2] & 0xFFFFFFFFL) | ((long) x[3] << 32));
        assertThat(v.asTuple().get(0).asArray().longs()).containsExactly(key, 9L);
    }

    @Test
    void badStatesAreInvalid() {
        assertThatThrownBy(() -> generate("rng_three_fry", new long[] {1, 2, 3}, shape(ElementType.U32, 2)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("u64[2]");
        assertThatThrownBy(() -> generate("rng_philox", new long[] {1, 2}, shape(ElementType.PRED, 2)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("pred");
    }
}
