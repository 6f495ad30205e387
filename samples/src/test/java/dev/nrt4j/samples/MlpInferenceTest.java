package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("claims simulated cores")
class MlpInferenceTest {
    @TempDir
    Path stateDir;

    @Test
    void theDevicesOutputIsTheMlpComputedWithPlainLoops() {
        List<String> log = new ArrayList<>();
        MlpInference.Result r = MlpInference.run(
                TestRuntimes.reference(stateDir, "trn1.2xlarge").build(), 5, 3, log::add);

        assertThat(r.executeNanos()).hasSize(3);
        assertThat(r.minNanos()).isPositive();
        assertThat(r.loadNanos()).isPositive();
        assertThat(log).anyMatch(l -> l.startsWith("input ") && l.contains("input0") && l.contains("[5, 64]"));
        double[] expected = PlainMlp.output(MlpInference.MODEL, r.input(), 5);
        assertThat(r.output()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) r.output()[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
        // Not a constant function: rows differ.
        assertThat(r.output()[0]).isNotEqualTo(r.output()[10]);
    }
}
