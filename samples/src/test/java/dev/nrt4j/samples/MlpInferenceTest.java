package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.samples.models.MlpModel;
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
        MlpInference.Result r = MlpInference.run(TestRuntimes.reference(stateDir, "trn1.2xlarge").build(), 5, 3, log::add);

        assertThat(r.executeNanos()).hasSize(3);
        assertThat(r.minNanos()).isPositive();
        assertThat(r.loadNanos()).isPositive();
        assertThat(log).anyMatch(l -> l.startsWith("input ") && l.contains("input0") && l.contains("[5, 64]"));
        double[] expected = mlp(MlpInference.MODEL, r.input(), 5);
        assertThat(r.output()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) r.output()[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
        // Not a constant function: rows differ.
        assertThat(r.output()[0]).isNotEqualTo(r.output()[10]);
    }

    /** relu(x·W1 + b1)·W2 + b2 in double precision. */
    static double[] mlp(MlpModel m, float[] x, int batch) {
        float[] w1 = m.w1();
        float[] b1 = m.b1();
        float[] w2 = m.w2();
        float[] b2 = m.b2();
        double[] y = new double[batch * m.outputs()];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[m.hidden()];
            for (int j = 0; j < m.hidden(); j++) {
                double s = b1[j];
                for (int k = 0; k < m.inputs(); k++) {
                    s += (double) x[b * m.inputs() + k] * w1[k * m.hidden() + j];
                }
                h[j] = Math.max(0, s);
            }
            for (int o = 0; o < m.outputs(); o++) {
                double s = b2[o];
                for (int j = 0; j < m.hidden(); j++) {
                    s += h[j] * w2[j * m.outputs() + o];
                }
                y[b * m.outputs() + o] = s;
            }
        }
        return y;
    }
}
