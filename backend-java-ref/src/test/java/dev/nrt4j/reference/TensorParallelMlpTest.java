package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.HostTensor;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Tensor parallelism on the reference device: a two-layer MLP split over four cores, the first weight
 * by columns and the second by rows, each rank computing a partial product and an all-reduce summing
 * them, gives the unsharded MLP's result, computed here in double precision with plain loops.
 */
@Isolated("claims four simulated cores")
class TensorParallelMlpTest {
    private static final int RANKS = 4;
    private static final int BATCH = 8;
    private static final int MODEL = 64;
    private static final int HIDDEN = 128;
    private static final int SHARD = HIDDEN / RANKS;

    private static final String PROGRAM = String.join(
            "\n",
            "HloModule tensor_parallel_mlp, replica_count=" + RANKS,
            "sum {",
            "  a = f32[] parameter(0)",
            "  b = f32[] parameter(1)",
            "  ROOT s = f32[] add(a, b)",
            "}",
            "ENTRY mlp {",
            "  x = f32[" + BATCH + "," + MODEL + "] parameter(0)",
            "  w1 = f32[" + MODEL + "," + SHARD + "] parameter(1)",
            "  w2 = f32[" + SHARD + "," + MODEL + "] parameter(2)",
            "  h = f32[" + BATCH + "," + SHARD + "] dot(x, w1), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
            "  zero = f32[] constant(0)",
            "  zeros = f32[" + BATCH + "," + SHARD + "] broadcast(zero), dimensions={}",
            "  relu = f32[" + BATCH + "," + SHARD + "] maximum(h, zeros)",
            "  partial = f32[" + BATCH + "," + MODEL
                    + "] dot(relu, w2), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
            "  ROOT y = f32[" + BATCH + "," + MODEL + "] all-reduce(partial), replica_groups={{0,1,2,3}}, to_apply=sum",
            "}");

    @TempDir
    Path dir;

    @Test
    void fourRanksGiveTheUnshardedResult() throws Exception {
        Random random = new Random(42);
        float[] x = randoms(random, BATCH * MODEL);
        float[] w1 = randoms(random, MODEL * HIDDEN);
        float[] w2 = randoms(random, HIDDEN * MODEL);
        double[] expected = unsharded(x, w1, w2);

        Path hlo = Files.writeString(dir.resolve("mlp.hlo.txt"), PROGRAM);
        try (NeuronRuntime rt = NeuronRuntime.open(ReferenceRuntimeTest.options()
                .instanceType("trn1.32xlarge")
                .numCores(RANKS)
                .build())) {
            List<Model> ranks = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(RANKS);
            try {
                for (int r = 0; r < RANKS; r++) {
                    ranks.add(rt.load(ModelSource.of(hlo), LoadOptions.onCore(r).asRank(r, RANKS)));
                }
                List<Future<Map<String, HostTensor>>> results = new ArrayList<>();
                for (int r = 0; r < RANKS; r++) {
                    Model m = ranks.get(r);
                    Map<String, HostTensor> in = Map.of(
                            "input0",
                            HostTensor.of(x, BATCH, MODEL),
                            "input1",
                            HostTensor.of(columns(w1, r), MODEL, SHARD),
                            "input2",
                            HostTensor.of(rows(w2, r), SHARD, MODEL));
                    results.add(pool.submit(() -> m.run(in)));
                }
                for (Future<Map<String, HostTensor>> f : results) {
                    float[] y = f.get().get("output0").toFloatArray();
                    assertThat(y).hasSize(expected.length);
                    for (int i = 0; i < y.length; i++) {
                        assertThat((double) y[i])
                                .as("element %d", i)
                                .isCloseTo(
                                        expected[i],
                                        org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected[i]))));
                    }
                }
            } finally {
                pool.shutdownNow();
                ranks.forEach(Model::close);
            }
        }
    }

    private static float[] randoms(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * 0.5);
        }
        return a;
    }

    /** Rank r's columns [r*SHARD, (r+1)*SHARD) of the MODEL×HIDDEN first weight. */
    private static float[] columns(float[] w1, int r) {
        float[] out = new float[MODEL * SHARD];
        for (int i = 0; i < MODEL; i++) {
            System.arraycopy(w1, i * HIDDEN + r * SHARD, out, i * SHARD, SHARD);
        }
        return out;
    }

    /** Rank r's rows [r*SHARD, (r+1)*SHARD) of the HIDDEN×MODEL second weight. */
    private static float[] rows(float[] w2, int r) {
        float[] out = new float[SHARD * MODEL];
        System.arraycopy(w2, r * SHARD * MODEL, out, 0, SHARD * MODEL);
        return out;
    }

    private static double[] unsharded(float[] x, float[] w1, float[] w2) {
        double[] h = new double[BATCH * HIDDEN];
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < HIDDEN; j++) {
                double s = 0;
                for (int k = 0; k < MODEL; k++) {
                    s += (double) x[b * MODEL + k] * w1[k * HIDDEN + j];
                }
                h[b * HIDDEN + j] = Math.max(0, s);
            }
        }
        double[] y = new double[BATCH * MODEL];
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < MODEL; j++) {
                double s = 0;
                for (int k = 0; k < HIDDEN; k++) {
                    s += h[b * HIDDEN + k] * w2[k * MODEL + j];
                }
                y[b * MODEL + j] = s;
            }
        }
        return y;
    }
}
