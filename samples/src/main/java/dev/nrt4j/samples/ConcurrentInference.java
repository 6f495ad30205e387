package dev.nrt4j.samples;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.samples.models.MlpModel;
import dev.nrt4j.samples.models.SampleInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Data parallelism on one machine: the same model loaded once per visible core, and requests from a
 * pool of client threads spread over the copies round-robin, each one a {@link CompletableFuture}.
 * Executions on one core run one at a time while the cores run in parallel, so throughput grows
 * with the number of cores (on the reference device, up to the number of CPUs).
 *
 * <p>Every answer is compared with the answer core 0 gave for the same input before the run: the
 * copies must agree exactly. Run it with {@code bin/nrt4j-sample ConcurrentInference [requests] [threads]}.
 */
public final class ConcurrentInference {
    /** The model each core serves: 64 → 96 → 8. */
    public static final MlpModel MODEL = MlpModel.of(64, 96, 8, 3);
    /** Rows per request. */
    public static final int BATCH = 4;
    /** How many different inputs the requests cycle through. */
    private static final int DISTINCT_INPUTS = 8;

    /**
     * What one run did.
     *
     * @param cores the number of cores that served requests
     * @param completedPerCore requests completed by each core, by core index
     * @param mismatches answers that differed from the expected one (0 on a correct runtime)
     * @param elapsedNanos wall time from the first request to the last answer
     */
    public record Result(int cores, long[] completedPerCore, int mismatches, long elapsedNanos) {
        /** All completed requests. */
        public long completed() {
            return Arrays.stream(completedPerCore).sum();
        }

        /** Completed requests per second. */
        public double throughput() {
            return completed() / (elapsedNanos / 1e9);
        }
    }

    private ConcurrentInference() {}

    /** Usage: {@code ConcurrentInference [requests] [threads]}, defaults 400 and 8. */
    public static void main(String[] args) {
        SampleExit.onFailure("ConcurrentInference", () -> {
            int requests;
            int threads;
            try {
                requests = args.length > 0 ? Integer.parseInt(args[0]) : 400;
                threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
                if (args.length > 2 || requests < 1 || threads < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                System.err.println(
                        "usage: ConcurrentInference [requests] [threads]    one model per core, requests from many threads (default 400, 8)");
                System.exit(2);
                return;
            }
            Result r = run(RuntimeOptions.defaults(), requests, threads, System.out::println);
            for (int c = 0; c < r.cores(); c++) {
                System.out.println("core " + c + ": " + r.completedPerCore()[c] + " requests");
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d requests on %d cores from %d threads in %.1f ms: %.0f requests/s, %d wrong answers%n",
                    r.completed(),
                    r.cores(),
                    threads,
                    r.elapsedNanos() / 1e6,
                    r.throughput(),
                    r.mismatches());
            if (r.mismatches() != 0) {
                System.exit(1);
            }
        });
    }

    /**
     * Loads {@link #MODEL} on every core of a runtime opened with {@code options} and sends it
     * {@code requests} requests from {@code threads} threads.
     *
     * @throws dev.nrt4j.NeuronException if the runtime cannot be opened, or a load or an execution fails
     */
    public static Result run(RuntimeOptions options, int requests, int threads, Consumer<String> log) {
        if (requests < 1 || threads < 1) {
            throw new IllegalArgumentException(
                    "requests and threads must be positive, got " + requests + " and " + threads);
        }
        List<HostTensor> inputs = new ArrayList<>();
        for (int i = 0; i < DISTINCT_INPUTS; i++) {
            inputs.add(HostTensor.of(SampleInputs.batch(BATCH, MODEL.inputs(), 100 + i), BATCH, MODEL.inputs()));
        }
        try (SampleFiles files = SampleFiles.create();
                NeuronRuntime rt = NeuronRuntime.open(options)) {
            Path program = MODEL.writeHlo(files.dir(), "mlp", BATCH);
            List<Model> models = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(threads);
            try {
                for (NeuronCore core : rt.cores()) {
                    models.add(rt.load(ModelSource.of(program), LoadOptions.onCore(core.index())));
                }
                log.accept("backend: " + rt.backend() + "; the model is loaded on " + models.size() + " cores");
                // The answers to check against, computed one at a time before the concurrent run.
                List<float[]> expected = new ArrayList<>();
                for (HostTensor x : inputs) {
                    expected.add(models.get(0)
                            .run(Map.of("input0", x))
                            .get("output0")
                            .toFloatArray());
                }
                AtomicLongArray perCore = new AtomicLongArray(models.size());
                long start = System.nanoTime();
                List<CompletableFuture<Boolean>> answers = new ArrayList<>(requests);
                for (int i = 0; i < requests; i++) {
                    int core = i % models.size();
                    int which = i % DISTINCT_INPUTS;
                    Model model = models.get(core);
                    answers.add(CompletableFuture.supplyAsync(
                                    () -> model.run(Map.of("input0", inputs.get(which))), clients)
                            .thenApply(out -> {
                                perCore.incrementAndGet(core);
                                return Arrays.equals(out.get("output0").toFloatArray(), expected.get(which));
                            }));
                }
                CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]))
                        .join();
                long elapsed = System.nanoTime() - start;
                int mismatches = (int) answers.stream().filter(a -> !a.join()).count();
                long[] counts = new long[models.size()];
                for (int c = 0; c < counts.length; c++) {
                    counts[c] = perCore.get(c);
                }
                return new Result(models.size(), counts, mismatches, elapsed);
            } finally {
                clients.shutdownNow();
                models.forEach(Model::close);
            }
        }
    }
}
