package dev.nrt4j.samples;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.samples.models.MlpModel;
import dev.nrt4j.samples.models.SampleInputs;
import dev.nrt4j.samples.models.ShardedMlp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Tensor parallelism: an MLP split over four cores ({@link ShardedMlp}), loaded once per rank with
 * {@link LoadOptions#asRank}, executed on all four at once so that their all-reduce can meet, and
 * checked against the same MLP unsharded on one core.
 *
 * <p>Each rank's execution blocks until every rank has reached the collective, so the four are
 * started from four threads; started one after another from one thread, the first would wait for
 * peers that never come and fail with {@code TIMEOUT}. Needs four visible cores: on the reference
 * device the sample imitates a trn1.32xlarge unless an instance type is configured. Run it with
 * {@code bin/nrt4j-sample TensorParallelMlp}.
 */
public final class TensorParallelMlp {
    /** The number of ranks and cores. */
    public static final int RANKS = 4;
    /** The model split over them: 32 → 256 → 16, so each rank holds 64 hidden units. */
    public static final MlpModel MODEL = MlpModel.of(32, 256, 16, 21);
    /** Rows per batch. */
    public static final int BATCH = 8;
    /** The largest difference, relative to max(1, |unsharded|), that still counts as the same result. */
    public static final double TOLERANCE = 1e-5;

    /**
     * What one run computed.
     *
     * @param input the batch, row-major [BATCH, inputs]
     * @param ranks each rank's output, in rank order
     * @param unsharded the unsharded model's output on core 0
     * @param maxDifference the largest relative difference between any rank's output and the unsharded one
     */
    public record Result(float[] input, List<float[]> ranks, float[] unsharded, double maxDifference) {
        /** Whether every rank's output matches the unsharded result within {@link #TOLERANCE}. */
        public boolean matches() {
            return maxDifference <= TOLERANCE;
        }
    }

    private TensorParallelMlp() {}

    /** Usage: {@code TensorParallelMlp} (no arguments). */
    public static void main(String[] args) {
        SampleExit.onFailure("TensorParallelMlp", () -> {
            if (args.length != 0) {
                System.err.println(
                        "usage: TensorParallelMlp    run an MLP split over 4 cores and check it against the unsharded MLP");
                System.exit(2);
            }
            RuntimeOptions options = RuntimeOptions.defaults();
            if (options.instanceType().isEmpty()) {
                options = options.toBuilder().instanceType("trn1.32xlarge").build();
            }
            if (options.numCores().isEmpty() && options.visibleCores().isEmpty()) {
                options = options.toBuilder().numCores(RANKS).build();
            }
            Result r = run(options, System.out::println);
            System.out.printf(
                    Locale.ROOT,
                    "largest relative difference from the unsharded MLP: %.3g (tolerance %.0g)%n",
                    r.maxDifference(),
                    TOLERANCE);
            System.out.println(
                    r.matches()
                            ? "the 4 ranks match the unsharded result"
                            : "MISMATCH: the ranks differ from the unsharded result");
            if (!r.matches()) {
                System.exit(1);
            }
        });
    }

    /**
     * Runs one batch on {@link #RANKS} ranks on cores 0–3 and the unsharded model on core 0.
     *
     * @throws NeuronException if the runtime has fewer than four cores ({@code LOAD_NOT_ENOUGH_NC} or
     *     {@code INVALID}), or loading or executing fails
     */
    public static Result run(RuntimeOptions options, Consumer<String> log) {
        ShardedMlp sharded = ShardedMlp.of(MODEL, RANKS);
        float[] x = SampleInputs.batch(BATCH, MODEL.inputs(), 5);
        try (SampleFiles files = SampleFiles.create();
                NeuronRuntime rt = NeuronRuntime.open(options)) {
            log.accept("backend: " + rt.backend() + ", " + rt.cores().size() + " cores");
            Path program = files.dir().resolve("sharded_mlp.hlo.txt");
            writeString(program, sharded.hloText(BATCH));
            List<Model> ranks = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(RANKS);
            try (Model whole =
                    rt.load(ModelSource.of(MODEL.writeHlo(files.dir(), "mlp", BATCH)), LoadOptions.onCore(0))) {
                for (int r = 0; r < RANKS; r++) {
                    ranks.add(rt.load(
                            ModelSource.of(program), LoadOptions.onCore(r).asRank(r, RANKS)));
                }
                log.accept("loaded " + RANKS + " ranks on cores 0-" + (RANKS - 1) + " and the unsharded MLP on core 0");
                List<Future<Map<String, HostTensor>>> pending = new ArrayList<>();
                for (int r = 0; r < RANKS; r++) {
                    Model m = ranks.get(r);
                    Map<String, HostTensor> in = sharded.inputs(r, x, BATCH);
                    pending.add(threads.submit(() -> m.run(in)));
                }
                List<float[]> outputs = new ArrayList<>();
                for (Future<Map<String, HostTensor>> f : pending) {
                    outputs.add(get(f).get("output0").toFloatArray());
                }
                float[] reference = whole.run(Map.of("input0", HostTensor.of(x, BATCH, MODEL.inputs())))
                        .get("output0")
                        .toFloatArray();
                double worst = 0;
                for (float[] y : outputs) {
                    for (int i = 0; i < y.length; i++) {
                        worst = Math.max(worst, Math.abs(y[i] - reference[i]) / Math.max(1, Math.abs(reference[i])));
                    }
                }
                return new Result(x, outputs, reference, worst);
            } finally {
                threads.shutdownNow();
                ranks.forEach(Model::close);
            }
        }
    }

    private static Map<String, HostTensor> get(Future<Map<String, HostTensor>> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("a rank failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ranks", e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
