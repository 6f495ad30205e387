package dev.nrt4j.conformance.contract;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Many threads, many models, many cores at once: every result still right, nothing lost. */
final class ConcurrencyRules {
    private static final int THREADS = 8;

    private ConcurrencyRules() {}

    /** Runs {@code task(i)} for i in [0, n) on THREADS threads and waits for all, rethrowing the first failure. */
    private static void parallel(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                all.add(pool.submit(() -> {
                    task.run(id);
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(ContractRunner.RULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Task {
        void run(int id) throws Exception;
    }

    static List<Rule> all() {
        String area = "concurrency";
        return List.of(
                new Rule(area, "many_threads_may_execute_one_model_at_once", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD))) {
                        parallel(64, i -> {
                            float[] a = ExecuteRules.ramp(64, i);
                            float[] b = ExecuteRules.ramp(64, 1);
                            float[] y = m.run(Map.of("input0", HostTensor.of(a, 64), "input1", HostTensor.of(b, 64)))
                                    .get("output0")
                                    .toFloatArray();
                            for (int k = 0; k < 64; k++) {
                                Expect.equal(y[k], a[k] + b[k]);
                            }
                        });
                    }
                }),
                new Rule(area, "models_on_every_core_execute_at_once", ctx -> {
                    try (NeuronRuntime rt = ctx.open(
                            ctx.options().numCores(Math.min(4, coresOf(ctx))).build())) {
                        List<Model> models = new ArrayList<>();
                        try {
                            for (int c = 0; c < rt.cores().size(); c++) {
                                models.add(rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(c)));
                            }
                            parallel(64, i -> {
                                float[] x = ExecuteRules.ramp(16, i + 1);
                                Model m = models.get(i % models.size());
                                Expect.equal(
                                        m.run(Map.of("input0", HostTensor.of(x, 16)))
                                                .get("output0")
                                                .toFloatArray(),
                                        x);
                            });
                        } finally {
                            models.forEach(Model::close);
                        }
                    }
                }),
                new Rule(area, "many_models_on_one_core_keep_their_own_results", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        List<Model> models = new ArrayList<>();
                        try {
                            for (int k = 0; k < 6; k++) {
                                models.add(rt.load(
                                        ctx.program(k % 2 == 0 ? ContractProgram.COPY : ContractProgram.TWO_OUTPUTS),
                                        LoadOptions.onCore(0)));
                            }
                            parallel(48, i -> {
                                Model m = models.get(i % models.size());
                                if (m.signature().inputs().get(0).shape().dim(0) == 16) {
                                    float[] x = ExecuteRules.ramp(16, i);
                                    Expect.equal(
                                            m.run(Map.of("input0", HostTensor.of(x, 16)))
                                                    .get("output0")
                                                    .toFloatArray(),
                                            x);
                                } else {
                                    float[] x = ExecuteRules.ramp(8, i);
                                    float[] y = m.run(Map.of("input0", HostTensor.of(x, 8)))
                                            .get("output1")
                                            .toFloatArray();
                                    for (int k = 0; k < 8; k++) {
                                        Expect.equal(y[k], x[k] + 1);
                                    }
                                }
                            });
                        } finally {
                            models.forEach(Model::close);
                        }
                    }
                }),
                new Rule(area, "threads_may_allocate_and_free_at_once", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        parallel(200, i -> {
                            try (Tensor t =
                                    rt.allocate("t" + i, 64 + i, i % rt.cores().size())) {
                                byte[] data = new byte[64 + i];
                                data[i % data.length] = (byte) i;
                                t.write(data);
                                Expect.equal(t.readBytes(), data);
                            }
                        });
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "closing_a_runtime_waits_for_executions_in_flight", ctx -> {
                    // An execution that only its timeout ends is surely in flight when close begins. Close must
                    // not free the model under it: when close returns, the execution has ended, by its timeout
                    // (libnrt cannot stop a running NEFF) or because the backend cancelled it (CLOSED).
                    NeuronRuntime rt = ctx.open(
                            ctx.options().execTimeout(Duration.ofSeconds(2)).build());
                    Model forever = rt.load(ctx.program(ContractProgram.FOREVER));
                    Map<String, HostTensor> input =
                            Map.of("input0", HostTensor.of(DType.INT32, Shape.scalar(), new byte[4]));
                    ExecutorService pool = Executors.newSingleThreadExecutor();
                    try {
                        CountDownLatch calling = new CountDownLatch(1);
                        Future<Object> running = pool.submit(() -> {
                            calling.countDown();
                            try {
                                return forever.run(input);
                            } catch (NeuronException e) {
                                return e.status();
                            }
                        });
                        calling.await();
                        Thread.sleep(200);
                        Expect.isFalse(running.isDone(), "the endless execution is in flight when close begins");
                        rt.close();
                        // A close that did not wait would leave the execution running for most of its 2 s.
                        Object ended = running.get(500, TimeUnit.MILLISECONDS);
                        Expect.oneOf(
                                ended, List.of(Status.TIMEOUT, Status.CLOSED), "how the execution in flight ended");
                        Expect.empty(rt.openResources());
                        Expect.closed(() -> forever.run(input));
                    } catch (TimeoutException e) {
                        throw new AssertionError("close returned while the execution was still running");
                    } finally {
                        pool.shutdownNow();
                        rt.close();
                    }
                }));
    }

    private static int coresOf(RuleContext ctx) {
        try (NeuronRuntime rt = ctx.open()) {
            return rt.cores().size();
        }
    }
}
