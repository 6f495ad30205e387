package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.NeuronException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("claims four simulated cores")
class TensorParallelMlpTest {
    @TempDir
    Path stateDir;

    @Test
    void fourRanksAgreeWithTheUnshardedMlpAndWithPlainLoops() {
        TensorParallelMlp.Result r = TensorParallelMlp.run(
                TestRuntimes.reference(stateDir, "inf2.24xlarge").numCores(4).build(), s -> {});

        assertThat(r.matches()).isTrue();
        assertThat(r.maxDifference()).isLessThanOrEqualTo(TensorParallelMlp.TOLERANCE);
        assertThat(r.ranks()).hasSize(4);
        // An all-reduce hands every rank the same sum.
        for (float[] y : r.ranks()) {
            assertThat(y).containsExactly(r.ranks().get(0));
        }
        double[] expected = PlainMlp.output(TensorParallelMlp.MODEL, r.input(), TensorParallelMlp.BATCH);
        float[] y = r.ranks().get(0);
        assertThat(y).hasSize(expected.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
            assertThat((double) r.unsharded()[i]).as("unsharded element %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }

    @Test
    void twoCoresAreNotEnough() {
        assertThatThrownBy(() -> TensorParallelMlp.run(
                        TestRuntimes.reference(stateDir, "trn1.2xlarge").build(), s -> {}))
                .isInstanceOf(NeuronException.class);
    }
}
