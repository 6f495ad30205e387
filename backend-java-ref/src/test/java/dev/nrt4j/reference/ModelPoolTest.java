package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.HostTensor;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.pool.ModelPool;
import dev.nrt4j.pool.PoolOptions;
import dev.nrt4j.pool.PoolStats;
import dev.nrt4j.testsupport.BatchedHlo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** {@link ModelPool} on the reference device: instances per core, batching, padding that never leaks. */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ModelPoolTest {
    private static final String SUM = String.join(
            "\n",
            "HloModule sum",
            "ENTRY e {",
            "  x = f32[4] parameter(0)",
            "  z = f32[] constant(0)",
            "  ROOT s = f32[] reduce(x, z), dimensions={0}, to_apply=add",
            "}",
            "add {",
            "  a = f32[] parameter(0)",
            "  b = f32[] parameter(1)",
            "  ROOT c = f32[] add(a, b)",
            "}");

    @TempDir
    Path dir;

    private ModelSource model(String name, String text) throws Exception {
        return ModelSource.of(Files.writeString(dir.resolve(name + ".hlo.txt"), text));
    }

    /** Caller {@code id}'s rows: values no other caller sends, all above 0. */
    private static float[] rowsOf(int id, int rows) {
        float[] v = new float[rows * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = id * 100 + i + 1;
        }
        return v;
    }

    private static float[] affine(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i] + 1;
        }
        return y;
    }

    private static Map<String, HostTensor> request(int id, int rows) {
        return Map.of("input0", HostTensor.of(rowsOf(id, rows), rows, 3));
    }

    @Test
    void requestsThatFillTheBatchRunAsOneExecutionAndEachCallerGetsExactlyItsRows() throws Exception {
        int[] rows = {1, 2, 2, 3};
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                ModelPool pool = ModelPool.load(
                        rt,
                        model("affine", BatchedHlo.AFFINE),
                        PoolOptions.onCores(0).withBatching(Duration.ofSeconds(60)))) {
            assertThat(pool.maxBatch()).isEqualTo(8);
            ExecutorService callers = Executors.newFixedThreadPool(rows.length);
            try {
                CyclicBarrier start = new CyclicBarrier(rows.length);
                List<Future<Map<String, HostTensor>>> answers = new ArrayList<>();
                for (int id = 0; id < rows.length; id++) {
                    int caller = id;
                    answers.add(callers.submit(() -> {
                        start.await();
                        return pool.run(request(caller + 1, rows[caller]));
                    }));
                }
                for (int id = 0; id < rows.length; id++) {
                    // Well before the minute-long delay: a full batch runs at once, without waiting for it.
                    HostTensor y = answers.get(id).get(30, TimeUnit.SECONDS).get("output0");
                    assertThat(y.shape()).isEqualTo(Shape.of(rows[id], 3));
                    assertThat(y.toFloatArray()).containsExactly(affine(rowsOf(id + 1, rows[id])));
                }
            } finally {
                callers.shutdownNow();
            }
            PoolStats stats = pool.stats();
            assertThat(stats.executions()).isEqualTo(1);
            assertThat(stats.inferences()).isEqualTo(8);
            assertThat(stats.requestSuccess()).isEqualTo(4);
        }
    }

    @Test
    void aPartialBatchIsPaddedAndThePaddingRowsAreNotReturned() throws Exception {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                ModelPool pool = ModelPool.load(
                        rt,
                        model("affine", BatchedHlo.AFFINE),
                        PoolOptions.onCores(0).withBatching(Duration.ZERO))) {
            HostTensor y = pool.run(request(7, 3)).get("output0");
            assertThat(y.shape()).isEqualTo(Shape.of(3, 3));
            assertThat(y.toFloatArray()).containsExactly(affine(rowsOf(7, 3)));
            assertThat(pool.stats().executions()).isEqualTo(1);
            assertThat(pool.stats().inferences()).isEqualTo(3);
        }
    }

    @Test
    void manyConcurrentCallersOnTwoCoresEachGetTheirOwnRows() throws Exception {
        int callers = 16;
        int each = 20;
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                ModelPool pool = ModelPool.load(
                        rt,
                        model("affine", BatchedHlo.AFFINE),
                        PoolOptions.onFirstCores(2).withBatching(Duration.ofMillis(2)))) {
            assertThat(pool.cores()).containsExactly(0, 1);
            ExecutorService threads = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            int id = caller * each + i + 1;
                            int rows = 1 + (id % 3);
                            HostTensor y = pool.run(request(id, rows)).get("output0");
                            assertThat(y.shape()).isEqualTo(Shape.of(rows, 3));
                            assertThat(y.toFloatArray()).containsExactly(affine(rowsOf(id, rows)));
                        }
                        return each;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(each);
                }
            } finally {
                threads.shutdownNow();
            }
            PoolStats stats = pool.stats();
            assertThat(stats.requestSuccess()).isEqualTo(callers * each);
            assertThat(stats.requestFailure()).isZero();
            assertThat(stats.executions()).isBetween(1L, (long) callers * each);
        }
    }

    @Test
    void withoutBatchingEachRequestIsOneExecutionOfTheModelsOwnShape() throws Exception {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                ModelPool pool = ModelPool.load(rt, model("sum", SUM), PoolOptions.onCores(1, 0))) {
            assertThat(pool.maxBatch()).isZero();
            assertThat(pool.cores()).containsExactly(1, 0);
            assertThat(pool.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3, 4})))
                            .get("output0")
                            .toFloatArray())
                    .containsExactly(10f);
            assertThatThrownBy(() -> pool.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3}))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT))
                    .hasMessageContaining("f32[3] but the model takes f32[4]");
            PoolStats stats = pool.stats();
            assertThat(stats.requestFailure()).isEqualTo(1);
            // One execution ran, on one of the two instances: that core was busy at least as long as it took.
            assertThat(stats.busyNanosByCore()).containsOnlyKeys(0, 1);
            assertThat(stats.busyNanosByCore().values().stream().filter(n -> n > 0))
                    .hasSize(1);
            assertThat(stats.busyNanosByCore().values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isGreaterThanOrEqualTo(stats.computeNanos())
                    .isPositive();
        }
    }

    @Test
    void refusesRequestsThatDoNotFitTheBatch() throws Exception {
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                ModelPool pool = ModelPool.load(
                        rt,
                        model("affine", BatchedHlo.AFFINE),
                        PoolOptions.onCores(0).withBatching(Duration.ZERO))) {
            assertThatThrownBy(() -> pool.run(request(1, 9)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT))
                    .hasMessageContaining("f32[9, 3] but the model takes f32[1..8, 3]");
            assertThatThrownBy(() -> pool.run(Map.of("input0", HostTensor.of(new float[] {1, 2}, 1, 2))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT));
            assertThatThrownBy(() -> pool.run(Map.of()))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.EXEC_BAD_INPUT))
                    .hasMessageContaining("input 'input0' is missing");
        }
    }

    @Test
    void refusesBatchingAModelWithoutABatchDimensionAndCoresTheRuntimeLacks() throws Exception {
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            ModelSource sum = model("sum", SUM);
            assertThatThrownBy(
                            () -> ModelPool.load(rt, sum, PoolOptions.onCores(0).withBatching(Duration.ZERO)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("turn batching off");
            int cores = rt.cores().size();
            assertThatThrownBy(() -> ModelPool.load(rt, sum, PoolOptions.onCores(cores)))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("is not one of the runtime's " + cores + " cores");
            // Nothing was left loaded by the refused pools.
            assertThat(rt.openResources()).isEmpty();
        }
    }

    @Test
    void closingUnloadsTheInstancesAndRefusesLaterRequests() throws Exception {
        try (NeuronRuntime rt =
                NeuronRuntime.open(ReferenceRuntimeTest.options().build())) {
            ModelPool pool = ModelPool.load(rt, model("sum", SUM), PoolOptions.onFirstCores(2));
            assertThat(rt.openResources()).hasSize(2);
            pool.close();
            pool.close();
            assertThat(pool.isOpen()).isFalse();
            assertThat(rt.openResources()).isEmpty();
            assertThatThrownBy(() -> pool.run(Map.of("input0", HostTensor.of(new float[] {1, 2, 3, 4}))))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.CLOSED));
        }
    }
}
