package dev.nrt4j.samples;

import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.TensorSet;
import dev.nrt4j.samples.models.MlpModel;
import dev.nrt4j.samples.models.SampleInputs;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Loads an MLP program onto one core, runs a batch through it a number of times with tensors that
 * stay in device memory between runs, and reports the result and the time each execution took.
 *
 * <p>The model is {@link MlpModel} (64 → 128 → 10, weights from a fixed seed) written as HLO text,
 * which the reference device interprets and the native backend compiles with {@code neuronx-cc}.
 * Run it with {@code bin/nrt4j-sample MlpInference [batch] [iterations]}.
 */
public final class MlpInference {
    /** The sample's model: 64 inputs, 128 hidden units, 10 outputs. */
    public static final MlpModel MODEL = MlpModel.of(64, 128, 10, 7);

    /**
     * What one run computed.
     *
     * @param batch rows in the batch
     * @param input the batch, row-major [batch, 64]
     * @param output the model's output for it, row-major [batch, 10]
     * @param loadNanos how long loading the program took
     * @param executeNanos each execution's wall time, in order (the first includes any warm-up)
     */
    public record Result(int batch, float[] input, float[] output, long loadNanos, long[] executeNanos) {
        /** The fastest execution. */
        public long minNanos() {
            return Arrays.stream(executeNanos).min().orElse(0);
        }

        /** The median execution time. */
        public long medianNanos() {
            long[] sorted = executeNanos.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        }
    }

    private MlpInference() {}

    /** Usage: {@code MlpInference [batch] [iterations]}, defaults 8 and 20. */
    public static void main(String[] args) {
        SampleExit.onFailure("MlpInference", () -> {
            int batch;
            int iterations;
            try {
                batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
                iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
                if (args.length > 2 || batch < 1 || iterations < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                System.err.println(
                        "usage: MlpInference [batch] [iterations]    run an MLP batch (default 8 rows, 20 times)");
                System.exit(2);
                return;
            }
            Result r = run(RuntimeOptions.defaults(), batch, iterations, System.out::println);
            int outputs = MODEL.outputs();
            for (int row = 0; row < Math.min(r.batch(), 4); row++) {
                float[] y = Arrays.copyOfRange(r.output(), row * outputs, (row + 1) * outputs);
                System.out.println("row " + row + ": class " + argmax(y) + "  " + Arrays.toString(y));
            }
            if (r.batch() > 4) {
                System.out.println("... " + (r.batch() - 4) + " more rows");
            }
            System.out.printf(
                    Locale.ROOT,
                    "load %.1f ms; %d executions: median %.3f ms, fastest %.3f ms%n",
                    r.loadNanos() / 1e6,
                    r.executeNanos().length,
                    r.medianNanos() / 1e6,
                    r.minNanos() / 1e6);
        });
    }

    /**
     * Runs a {@code batch}-row input (drawn from a fixed seed) {@code iterations} times on core 0.
     *
     * @throws dev.nrt4j.NeuronException if the runtime cannot be opened or the program loaded or executed
     * @throws IllegalArgumentException if {@code batch} or {@code iterations} is not positive
     */
    public static Result run(RuntimeOptions options, int batch, int iterations, Consumer<String> log) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive, got " + iterations);
        }
        float[] x = SampleInputs.batch(batch, MODEL.inputs(), 11);
        try (SampleFiles files = SampleFiles.create();
                NeuronRuntime rt = NeuronRuntime.open(options)) {
            log.accept("backend: " + rt.backend());
            long t0 = System.nanoTime();
            try (Model model =
                    rt.load(ModelSource.of(MODEL.writeHlo(files.dir(), "mlp", batch)), LoadOptions.onCore(0))) {
                long loadNanos = System.nanoTime() - t0;
                for (TensorInfo t : model.signature().inputs()) {
                    log.accept("input  " + t);
                }
                for (TensorInfo t : model.signature().outputs()) {
                    log.accept("output " + t);
                }
                // Allocated once and reused: each execution then only moves the batch, as a server would.
                try (TensorSet in = model.allocateInputs();
                        TensorSet out = model.allocateOutputs()) {
                    in.get("input0").write(x);
                    long[] times = new long[iterations];
                    for (int i = 0; i < iterations; i++) {
                        long s = System.nanoTime();
                        model.execute(in, out);
                        times[i] = System.nanoTime() - s;
                    }
                    return new Result(batch, x, out.get("output0").readFloats(), loadNanos, times);
                }
            }
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
