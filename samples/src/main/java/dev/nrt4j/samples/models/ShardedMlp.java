package dev.nrt4j.samples.models;

import dev.nrt4j.HostTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link MlpModel} split over {@code ranks} cores the way tensor-parallel transformer layers are:
 * the first weight by columns and the second by rows, so that each rank computes the hidden units of
 * its slice and a partial second product, and one all-reduce (a sum over the ranks) gives every rank
 * the whole output. The bias of the second layer is added after the sum, once.
 *
 * <p>All ranks load the same program ({@code replica_count = ranks}); what differs is the weight
 * slices each rank is given as inputs: {@code input0} x [batch, inputs], {@code input1} its columns of
 * W1 [inputs, shard], {@code input2} its slice of b1 [shard], {@code input3} its rows of W2
 * [shard, outputs], {@code input4} b2 [outputs]. Immutable and thread-safe.
 */
public final class ShardedMlp {
    private final MlpModel model;
    private final int ranks;
    private final int shard;

    private ShardedMlp(MlpModel model, int ranks) {
        this.model = Objects.requireNonNull(model, "model");
        if (ranks < 1 || model.hidden() % ranks != 0) {
            throw new IllegalArgumentException(
                    "the hidden width " + model.hidden() + " does not split into " + ranks + " equal shards");
        }
        this.ranks = ranks;
        this.shard = model.hidden() / ranks;
    }

    /**
     * {@code model} split over {@code ranks} ranks.
     *
     * @throws IllegalArgumentException if the hidden width is not a multiple of {@code ranks}
     */
    public static ShardedMlp of(MlpModel model, int ranks) {
        return new ShardedMlp(model, ranks);
    }

    /** The number of ranks (and cores) the program runs on. */
    public int ranks() {
        return ranks;
    }

    /** The unsharded model. */
    public MlpModel model() {
        return model;
    }

    /** The HLO text every rank loads, for batches of {@code batch} rows. */
    public String hloText(int batch) {
        int in = model.inputs();
        int out = model.outputs();
        String h = "f32[" + batch + "," + shard + "]";
        String y = "f32[" + batch + "," + out + "]";
        StringBuilder group = new StringBuilder("{");
        for (int r = 0; r < ranks; r++) {
            group.append(r == 0 ? "" : ",").append(r);
        }
        group.append('}');
        return String.join(
                "\n",
                "HloModule nrt4j_sample_sharded_mlp, replica_count=" + ranks,
                "",
                "add_f32 {",
                "  lhs = f32[] parameter(0)",
                "  rhs = f32[] parameter(1)",
                "  ROOT sum = f32[] add(lhs, rhs)",
                "}",
                "",
                "ENTRY sharded_mlp {",
                "  x = f32[" + batch + "," + in + "] parameter(0)",
                "  w1 = f32[" + in + "," + shard + "] parameter(1)",
                "  b1 = f32[" + shard + "] parameter(2)",
                "  w2 = f32[" + shard + "," + out + "] parameter(3)",
                "  b2 = f32[" + out + "] parameter(4)",
                "  xw1 = " + h + " dot(x, w1), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
                "  b1s = " + h + " broadcast(b1), dimensions={1}",
                "  pre = " + h + " add(xw1, b1s)",
                "  zero = f32[] constant(0)",
                "  zeros = " + h + " broadcast(zero), dimensions={}",
                "  act = " + h + " maximum(pre, zeros)",
                "  partial = " + y + " dot(act, w2), lhs_contracting_dims={1}, rhs_contracting_dims={0}",
                "  total = " + y + " all-reduce(partial), replica_groups={" + group + "}, to_apply=add_f32",
                "  b2s = " + y + " broadcast(b2), dimensions={1}",
                "  ROOT y = " + y + " add(total, b2s)",
                "}",
                "");
    }

    /** The inputs of rank {@code rank} for the batch {@code x} of {@code batch} rows. */
    public Map<String, HostTensor> inputs(int rank, float[] x, int batch) {
        if (rank < 0 || rank >= ranks) {
            throw new IllegalArgumentException("rank " + rank + " is not one of 0.." + (ranks - 1));
        }
        int in = model.inputs();
        int hidden = model.hidden();
        int out = model.outputs();
        float[] w1 = model.w1();
        float[] w1Columns = new float[in * shard];
        for (int i = 0; i < in; i++) {
            System.arraycopy(w1, i * hidden + rank * shard, w1Columns, i * shard, shard);
        }
        float[] b1Slice = new float[shard];
        System.arraycopy(model.b1(), rank * shard, b1Slice, 0, shard);
        float[] w2Rows = new float[shard * out];
        System.arraycopy(model.w2(), rank * shard * out, w2Rows, 0, shard * out);
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put("input0", HostTensor.of(x, batch, in));
        m.put("input1", HostTensor.of(w1Columns, in, shard));
        m.put("input2", HostTensor.of(b1Slice, shard));
        m.put("input3", HostTensor.of(w2Rows, shard, out));
        m.put("input4", HostTensor.of(model.b2(), out));
        return m;
    }
}
