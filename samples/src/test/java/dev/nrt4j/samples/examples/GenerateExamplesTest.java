package dev.nrt4j.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed {@code examples/} are exactly what the generator writes, so they never drift from it. */
class GenerateExamplesTest {
    @TempDir
    Path dir;

    @Test
    void theCommittedExamplesAreWhatTheGeneratorWrites() throws IOException {
        GenerateExamples.writeAll(dir);
        Path committed = ExampleFiles.committed();

        List<String> written = files(dir);
        assertThat(files(committed))
                .as("files in %s (regenerate them with GenerateExamples if this is intended)", committed)
                .containsExactlyElementsOf(written);
        for (String f : written) {
            assertThat(Files.readAllBytes(committed.resolve(f)))
                    .as("%s differs from what GenerateExamples writes; regenerate the examples", f)
                    .isEqualTo(Files.readAllBytes(dir.resolve(f)));
        }
        assertThat(written)
                .contains(
                        "mlp/model.hlo_module.pb",
                        "mlp/model.hlo.txt",
                        "mlp/input0.npy",
                        "mlp/output0.npy",
                        "transformer_block/case.json",
                        "tensor_parallel_mlp_r4/replica3/output0.npy");
    }

    /** Every regular file under {@code root}, as sorted relative paths with '/' separators. */
    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }
}
