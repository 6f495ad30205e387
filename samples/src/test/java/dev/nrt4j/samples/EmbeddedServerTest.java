package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.samples.models.SampleInputs;
import dev.nrt4j.server.InferenceServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("claims simulated cores")
class EmbeddedServerTest {
    @TempDir
    Path stateDir;

    @TempDir
    Path modelDir;

    @Test
    void theEmbeddedServerAnswersTheMlpOverHttp() {
        float[] rows = SampleInputs.batch(EmbeddedServer.BATCH, EmbeddedServer.MODEL.inputs(), 3);
        try (NeuronRuntime runtime = NeuronRuntime.open(
                        TestRuntimes.reference(stateDir, "trn1.2xlarge").build());
                InferenceServer server = EmbeddedServer.start(runtime, modelDir, 0)) {
            float[] out = EmbeddedServer.infer(server.port(), rows);

            double[] expected = PlainMlp.output(EmbeddedServer.MODEL, rows, EmbeddedServer.BATCH);
            assertThat(out).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) out[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
            }
            // Rows differ, so the answer is not one row repeated.
            assertThat(out[0]).isNotEqualTo(out[EmbeddedServer.MODEL.outputs()]);
        }
    }

    @Test
    void aRefusedRequestIsReportedWithTheServersAnswer() {
        try (NeuronRuntime runtime = NeuronRuntime.open(
                        TestRuntimes.reference(stateDir, "trn1.2xlarge").build());
                InferenceServer server = EmbeddedServer.start(runtime, modelDir, 0)) {
            // One row short: the server refuses the shape with 400 and says what the model expects.
            float[] shortRows = new float[EmbeddedServer.MODEL.inputs()];
            assertThatThrownBy(() -> EmbeddedServer.infer(server.port(), shortRows))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("answered 400");
        }
    }
}
