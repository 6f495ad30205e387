package dev.nrt4j.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.npy.Npy;
import dev.nrt4j.samples.MlpInference;
import dev.nrt4j.samples.PlainMlp;
import dev.nrt4j.samples.TensorParallelMlp;
import dev.nrt4j.samples.TestRuntimes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each committed example, both its {@code .pb} and its {@code .hlo.txt}, run on the reference device
 * with its committed inputs, gives its committed expected outputs <em>bit for bit</em>: the expected
 * outputs round every step as the HLO op does (dots as in-order fused multiply-adds, reductions in
 * index order, exp and rsqrt rounded once from double), which is how the reference device computes.
 */
@Isolated("claims four simulated cores")
class ExamplesOnTheReferenceDeviceTest {
    @TempDir
    Path stateDir;

    static Stream<Arguments> programs() {
        return GenerateExamples.cases().stream()
                .flatMap(c -> Stream.of("model.hlo_module.pb", "model.hlo.txt")
                        .map(file -> Arguments.of(c.name(), c.replicas(), file)));
    }

    @ParameterizedTest(name = "{0}/{2}")
    @MethodSource("programs")
    void theDeviceGivesTheExpectedOutputsBitForBit(String name, int replicas, String file) throws Exception {
        Path dir = ExampleFiles.committed().resolve(name);
        try (NeuronRuntime rt = NeuronRuntime.open(TestRuntimes.reference(stateDir, "trn1.32xlarge")
                .numCores(replicas)
                .build())) {
            List<Model> ranks = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(replicas);
            try {
                for (int r = 0; r < replicas; r++) {
                    LoadOptions where = replicas == 1
                            ? LoadOptions.onCore(0)
                            : LoadOptions.onCore(r).asRank(r, replicas);
                    ranks.add(rt.load(ModelSource.of(dir.resolve(file)), where));
                }
                // Ranks run at once from their own threads: each waits for the others at the all-reduce.
                List<Future<Map<String, HostTensor>>> pending = new ArrayList<>();
                for (int r = 0; r < replicas; r++) {
                    Model m = ranks.get(r);
                    Map<String, HostTensor> in = tensors(
                            replicaDir(dir, r, replicas),
                            "input",
                            m.signature().inputs().size());
                    pending.add(threads.submit(() -> m.run(in)));
                }
                for (int r = 0; r < replicas; r++) {
                    Map<String, HostTensor> actual = pending.get(r).get();
                    Map<String, HostTensor> expected = tensors(replicaDir(dir, r, replicas), "output", actual.size());
                    assertThat(actual.keySet())
                            .as("outputs of rank %d", r)
                            .containsExactlyElementsOf(expected.keySet());
                    for (String out : expected.keySet()) {
                        assertThat(actual.get(out).shape())
                                .as("%s of rank %d", out, r)
                                .isEqualTo(expected.get(out).shape());
                        assertThat(bits(actual.get(out)))
                                .as("%s of rank %d, as float bits", out, r)
                                .containsExactly(bits(expected.get(out)));
                    }
                }
            } finally {
                threads.shutdownNow();
                ranks.forEach(Model::close);
            }
        }
    }

    /**
     * The oracle is not just self-consistent: the two MLPs' expected outputs agree with the samples'
     * double-precision MLP, as the sample tests hold the device to.
     */
    @ParameterizedTest
    @MethodSource("mlps")
    void theMlpsExpectedOutputsAgreeWithTheDoublePrecisionMlp(String name, String expectedFile, boolean sharded) {
        Path dir = ExampleFiles.committed().resolve(name);
        float[] x = Npy.read(dir.resolve(sharded ? "replica0/input0.npy" : "input0.npy"))
                .toFloatArray();
        float[] y = Npy.read(dir.resolve(expectedFile)).toFloatArray();
        double[] plain =
                PlainMlp.output(sharded ? TensorParallelMlp.MODEL : MlpInference.MODEL, x, GenerateExamples.BATCH);
        assertThat(y).hasSize(plain.length);
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).as("element %d", i).isCloseTo(plain[i], within(1e-5));
        }
    }

    static Stream<Arguments> mlps() {
        return Stream.of(
                Arguments.of("mlp", "output0.npy", false),
                Arguments.of("tensor_parallel_mlp_r4", "replica2/output0.npy", true));
    }

    private static Path replicaDir(Path dir, int r, int replicas) {
        return replicas == 1 ? dir : dir.resolve("replica" + r);
    }

    /** {@code <prefix>0.npy} … {@code <prefix><n-1>.npy} of {@code dir}, by their names without suffix. */
    private static Map<String, HostTensor> tensors(Path dir, String prefix, int n) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(prefix + i, Npy.read(dir.resolve(prefix + i + ".npy")));
        }
        return m;
    }

    private static int[] bits(HostTensor t) {
        float[] f = t.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }
}
