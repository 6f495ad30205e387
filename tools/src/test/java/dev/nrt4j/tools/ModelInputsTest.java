package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Random inputs written into device tensors in chunks are the bytes {@code bench}'s host tensors get. */
@Isolated("opens reference runtimes, which share simulated cores within the JVM")
class ModelInputsTest {
    @TempDir
    Path dir;

    @Test
    void chunkedRandomInputsEqualTheWholeHostTensorsForTheSameSeed() throws Exception {
        // f32[300001] and bf16[700001]: more than one 1 MiB chunk each, neither a whole number of chunks.
        Path hlo = Files.writeString(
                dir.resolve("two.hlo.txt"),
                String.join(
                        "\n",
                        "HloModule two",
                        "ENTRY e {",
                        "  a = f32[300001] parameter(0)",
                        "  b = bf16[700001] parameter(1)",
                        "  ROOT t = (f32[300001], bf16[700001]) tuple(a, b)",
                        "}"));
        RuntimeOptions options = RuntimeOptions.builder(Map.of(), new Properties())
                .backend("reference")
                .stateDir(dir.resolve("state"))
                .build();
        try (NeuronRuntime rt = NeuronRuntime.open(options);
                Model model = rt.load(ModelSource.of(hlo));
                TensorSet in = model.allocateInputs()) {
            ModelInputs.checkNames(model, hlo, Map.of(), true);
            ModelInputs.write(model, Map.of(), 7, in);
            var whole = ModelInputs.prepare(model, hlo, Map.of(), true, 7);
            for (String name : in.names()) {
                assertThat(in.get(name).readBytes())
                        .as(name)
                        .isEqualTo(whole.get(name).toByteArray());
            }
            var otherSeed = ModelInputs.prepare(model, hlo, Map.of(), true, 8);
            assertThat(in.get("input0").readBytes())
                    .isNotEqualTo(otherSeed.get("input0").toByteArray());
        }
    }
}
