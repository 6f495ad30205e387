package dev.nrt4j.benchmarks;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * One exact elementwise instruction over {@value #N} elements on the reference device, through the public API as a
 * model of that one instruction (so the handler, its output allocation and its parallel split are all in the time):
 * f32 {@code add} and {@code multiply}, f32 {@code select} on a pred, f32 {@code compare} (LT), and {@code convert}
 * f32 to bf16, bf16 to f32 and f32 to s32; and bf16 {@code add}, and a fused bf16 {@code multiply}-{@code add} chain,
 * whose loads, stores and per-member rounding use the bf16 conversions. Microseconds per execution.
 *
 * <p>The fork has no {@code jdk.incubator.vector}, so the scalar kernels run; to time the vector ones, run with
 * {@code -jvmArgsAppend "--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector"} (JMH's option
 * replaces the annotation's), and alternate the two runs on a noisy machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ElementwiseKernelBenchmark {
    /** Elements per operand: 4 MiB of f32, past the L2 cache and within the L3 one of the machines measured. */
    static final int N = 1 << 20;

    @Param({
        "add_f32",
        "multiply_f32",
        "select_f32",
        "compare_lt_f32",
        "convert_f32_bf16",
        "convert_bf16_f32",
        "convert_f32_s32",
        "add_bf16",
        "fused_bf16"
    })
    public String op;

    private NeuronRuntime runtime;
    private Model model;
    private TensorSet inputs;
    private TensorSet outputs;

    /** The module of one instruction. */
    static String hlo(String op) {
        String f = "f32[" + N + "]";
        String root;
        String params = "  a = " + f + " parameter(0)\n  b = " + f + " parameter(1)\n";
        switch (op) {
            case "add_f32":
                root = f + " add(a, b)";
                break;
            case "multiply_f32":
                root = f + " multiply(a, b)";
                break;
            case "select_f32":
                params = "  p = pred[" + N + "] parameter(0)\n  a = " + f + " parameter(1)\n  b = " + f
                        + " parameter(2)\n";
                root = f + " select(p, a, b)";
                break;
            case "compare_lt_f32":
                root = "pred[" + N + "] compare(a, b), direction=LT";
                break;
            case "convert_f32_bf16":
                params = "  a = " + f + " parameter(0)\n";
                root = "bf16[" + N + "] convert(a)";
                break;
            case "convert_bf16_f32":
                params = "  a = bf16[" + N + "] parameter(0)\n";
                root = f + " convert(a)";
                break;
            case "add_bf16":
                params = "  a = bf16[" + N + "] parameter(0)\n  b = bf16[" + N + "] parameter(1)\n";
                root = "bf16[" + N + "] add(a, b)";
                break;
            case "fused_bf16":
                // Two members: the evaluator runs them as one fused pass, rounding each to bf16.
                params = "  a = bf16[" + N + "] parameter(0)\n  b = bf16[" + N + "] parameter(1)\n  m = bf16[" + N
                        + "] multiply(a, b)\n";
                root = "bf16[" + N + "] add(m, a)";
                break;
            case "convert_f32_s32":
                params = "  a = " + f + " parameter(0)\n";
                root = "s32[" + N + "] convert(a)";
                break;
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
        return "HloModule " + op + "\nENTRY e {\n" + params + "  ROOT r = " + root + "\n}\n";
    }

    @Setup(Level.Trial)
    public void setUp() {
        runtime =
                NeuronRuntime.open(RuntimeOptions.builder().backend("reference").build());
        model = runtime.load(ModelSource.of(hlo(op).getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT));
        inputs = model.allocateInputs();
        outputs = model.allocateOutputs();
        SplittableRandom random = new SplittableRandom(42);
        for (TensorInfo info : model.signature().inputs()) {
            ByteBuffer b = ByteBuffer.allocate((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                // Values of activations: mostly small, some past s32's range so a convert saturates now and then.
                float v = (float) (random.nextGaussian() * (random.nextInt(64) == 0 ? 1e10 : 100));
                switch (info.dtype()) {
                    case PRED:
                        b.put((byte) (random.nextBoolean() ? 1 : 0));
                        break;
                    case BFLOAT16:
                        b.putShort(BFloat16.fromFloat(v));
                        break;
                    default:
                        b.putFloat(v);
                }
            }
            inputs.get(info.name()).write(b.flip());
        }
    }

    @Benchmark
    public void execute() {
        model.execute(inputs, outputs);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        runtime.close();
    }
}
