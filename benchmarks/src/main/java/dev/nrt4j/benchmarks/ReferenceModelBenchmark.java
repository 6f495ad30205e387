package dev.nrt4j.benchmarks;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.hlo.DotFlops;
import dev.nrt4j.hlo.HloModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One execution of a model on the reference device through the public API, inputs already in
 * device tensors: executions per second, and the dot GFLOP/s they reach ({@code gflop} counter,
 * reported as a rate).
 *
 * <p>Workloads: {@code matmul_1024} (an f32 [1024,1024]·[1024,1024] dot written here, the perf set's
 * program), {@code conv3x3_56x56x64} (an f32 3x3 convolution with "same" padding, [1,56,56,64] to 64
 * features, NHWC as JAX writes it, also written here), the perf set's {@code mlp_64x1024x4096} and
 * {@code llama_block_s128_d512}, and the shared corpus's {@code tiny_llama_block}, read from
 * {@code ../shared} (or {@code -Dnrt4j.shared.dir}).
 * {@link OrtModelBenchmark} runs the ONNX twins of the first two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class ReferenceModelBenchmark {
    private static final String MATMUL_1024 = String.join(
            "\n",
            "HloModule matmul_1024",
            "ENTRY e {",
            "  a = f32[1024,1024] parameter(0)",
            "  b = f32[1024,1024] parameter(1)",
            "  ROOT d = f32[1024,1024] dot(a, b), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
            "}");

    private static final String CONV3X3_56X56X64 = String.join(
            "\n",
            "HloModule conv3x3_56x56x64",
            "ENTRY e {",
            "  x = f32[1,56,56,64] parameter(0)",
            "  w = f32[3,3,64,64] parameter(1)",
            "  ROOT c = f32[1,56,56,64] convolution(x, w), window={size=3x3 pad=1_1x1_1}, dim_labels=b01f_01io->b01f",
            "}");

    @Param({"matmul_1024", "conv3x3_56x56x64", "mlp_64x1024x4096", "tiny_llama_block", "llama_block_s128_d512"})
    public String workload;

    private NeuronRuntime runtime;
    private Model model;
    private TensorSet inputs;
    private TensorSet outputs;
    private long flopsPerRun;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ModelSource source = modelSource();
        HloModule module =
                ModelArtifacts.of(source).requireHlo("the reference device").readHloModule();
        flopsPerRun = DotFlops.of(module);
        runtime =
                NeuronRuntime.open(RuntimeOptions.builder().backend("reference").build());
        model = runtime.load(source);
        inputs = model.allocateInputs();
        outputs = model.allocateOutputs();
        SplittableRandom random = new SplittableRandom(42);
        for (TensorInfo info : model.signature().inputs()) {
            ByteBuffer b = ByteBuffer.allocate((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 4) {
                b.putFloat((float) (random.nextDouble() * 2 - 1));
            }
            inputs.get(info.name()).write(b.flip());
        }
    }

    /** The HLO module of a workload directory, for counting its FLOPs (also for the ORT twin). */
    static HloModule hloOf(Path dir) {
        return ModelArtifacts.of(ModelSource.of(dir)).requireHlo("a FLOP count").readHloModule();
    }

    /** The shared folder the workloads come from: {@code -Dnrt4j.shared.dir}, else {@code ../shared}. */
    static Path sharedDir() {
        return Path.of(System.getProperty("nrt4j.shared.dir", "../shared"));
    }

    private ModelSource modelSource() {
        if (workload.equals("matmul_1024")) {
            return ModelSource.of(MATMUL_1024.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT);
        }
        if (workload.equals("conv3x3_56x56x64")) {
            return ModelSource.of(CONV3X3_56X56X64.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT);
        }
        Path shared = sharedDir();
        for (Path dir : new Path[] {
            shared.resolve("corpus/jax").resolve(workload),
            shared.resolve("perf").resolve(workload)
        }) {
            if (Files.isDirectory(dir)) {
                return ModelSource.of(dir);
            }
        }
        throw new UncheckedIOException(new IOException("workload " + workload + " needs " + shared
                + "/corpus or /perf; run from the project directory beside shared/, or set -Dnrt4j.shared.dir"));
    }

    @Benchmark
    public void execute(GflopCounter flops) {
        model.execute(inputs, outputs);
        flops.gflop += flopsPerRun / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        runtime.close();
    }
}
