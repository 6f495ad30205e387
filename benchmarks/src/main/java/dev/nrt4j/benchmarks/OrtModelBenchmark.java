package dev.nrt4j.benchmarks;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nrt4j.hlo.DotFlops;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * The yardstick for {@link ReferenceModelBenchmark}: ONNX Runtime Java (CPU, 2 intra-op threads, as a
 * Java user would run it on this machine) on the ONNX twins of the shared perf workloads, the same math
 * as the HLO the reference device runs, with inputs already in ORT tensors. Run both in one JMH
 * invocation so that their ratio comes from one machine state; see the README's Performance section.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OrtModelBenchmark {
    @Param({"matmul_1024", "mlp_64x1024x4096"})
    public String workload;

    /** Intra-op threads: the machine's cores, as the reference device uses them. */
    @Param({"2"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    private long flopsPerRun;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        Path dir = ReferenceModelBenchmark.sharedDir().resolve("perf").resolve(workload);
        Path onnx = dir.resolve("model.onnx");
        if (!Files.isRegularFile(onnx)) {
            throw new UncheckedIOException(new IOException("workload " + workload + " needs " + onnx
                    + "; run from the project directory beside shared/, or set -Dnrt4j.shared.dir"));
        }
        flopsPerRun = DotFlops.of(ReferenceModelBenchmark.hloOf(dir));
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            session = env.createSession(onnx.toString(), options);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            FloatBuffer data = FloatBuffer.allocate(Math.toIntExact(n));
            while (data.hasRemaining()) {
                data.put((float) (random.nextDouble() * 2 - 1));
            }
            inputs.put(e.getKey(), OnnxTensor.createTensor(env, data.flip(), shape));
        }
    }

    @Benchmark
    public void execute(GflopCounter flops) throws OrtException {
        try (OrtSession.Result r = session.run(inputs)) {
            flops.gflop += flopsPerRun / 1e9;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        inputs.values().forEach(OnnxTensor::close);
        inputs.clear();
        session.close();
    }
}
