package dev.nrt4j.samples.examples;

import dev.nrt4j.HostTensor;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.samples.MlpInference;
import dev.nrt4j.samples.TensorParallelMlp;
import dev.nrt4j.samples.models.MlpModel;
import dev.nrt4j.samples.models.SampleInputs;
import dev.nrt4j.samples.models.ShardedMlp;
import dev.nrt4j.samples.models.TransformerBlock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the repository's {@code examples/} folder: small models the project generates itself, so that
 * a fresh clone has something to {@code run}, {@code bench}, {@code inspect} and check with
 * {@code conformance --corpus examples}. Each is a corpus case ({@link ExampleCase}) whose expected
 * outputs come from {@link PlainFloat}'s loops on the host, never from a device:
 *
 * <ul>
 *   <li>{@code mlp}: the {@link MlpInference} sample's MLP (64 → 128 → 10) on its batch of 8;
 *   <li>{@code transformer_block}: a {@link TransformerBlock} of 8 tokens × 16 features with a
 *       32-unit MLP;
 *   <li>{@code tensor_parallel_mlp_r4}: the {@link TensorParallelMlp} sample's MLP split over 4 ranks
 *       ({@link ShardedMlp}), joined by an all-reduce.
 * </ul>
 *
 * <p>Everything is drawn from fixed seeds, so a second run writes the same bytes (a test holds the
 * committed files to that). Run from the repository root after building the samples jar:
 * {@code java -cp samples/target/nrt4j-samples.jar dev.nrt4j.samples.examples.GenerateExamples examples}.
 * Stateless; thread-safe as long as two callers do not write the same directory.
 */
public final class GenerateExamples {
    /** Rows per batch of the two MLPs and tokens of the transformer block. */
    static final int BATCH = 8;
    /** The transformer block: 8 tokens, 16 features, a 32-unit MLP. */
    static final TransformerBlock BLOCK = TransformerBlock.of(BATCH, 16, 32, 13);

    private GenerateExamples() {}

    /** Usage: {@code GenerateExamples [DIR]}, default {@code examples}; exits 1 if a file cannot be written. */
    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println(
                    "usage: GenerateExamples [DIR]   (writes the example models into DIR, default examples)");
            System.exit(2);
            return;
        }
        Path dir = Path.of(args.length == 1 ? args[0] : "examples");
        try {
            writeAll(dir);
        } catch (NeuronException e) {
            System.err.println("GenerateExamples: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("wrote " + cases().size() + " examples to " + dir);
    }

    /**
     * Writes every example, and a README saying what they are, into {@code dir}.
     *
     * @throws NeuronException {@link Status#FAILURE} if a file cannot be written
     */
    public static void writeAll(Path dir) {
        for (ExampleCase c : cases()) {
            c.writeInto(dir);
        }
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("README.md"), readme().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "write examples " + dir, "could not write the README: " + e, e);
        }
    }

    /** The examples, in the order they are written. */
    static List<ExampleCase> cases() {
        return List.of(mlp(), transformerBlock(), tensorParallelMlp());
    }

    private static ExampleCase mlp() {
        MlpModel m = MlpInference.MODEL;
        float[] x = SampleInputs.batch(BATCH, m.inputs(), 11);
        float[] y = mlp(x, m.w1(), m.b1(), m.w2(), m.inputs(), m.hidden(), m.outputs());
        return new ExampleCase(
                "mlp",
                "the MlpInference sample's MLP, relu(x·W1 + b1)·W2 + b2, 64 → 128 → 10, on a batch of 8",
                m.hloText(BATCH),
                List.of(List.of(HostTensor.of(x, BATCH, m.inputs()))),
                List.of(List.of(HostTensor.of(PlainFloat.addRow(y, m.b2()), BATCH, m.outputs()))));
    }

    /** {@code relu(x·w1 + b1)·w2} for a batch of {@link #BATCH} rows: the MLP before its second bias. */
    private static float[] mlp(float[] x, float[] w1, float[] b1, float[] w2, int in, int hidden, int out) {
        float[] act = PlainFloat.relu(PlainFloat.addRow(PlainFloat.matmul(x, w1, BATCH, in, hidden), b1));
        return PlainFloat.matmul(act, w2, BATCH, hidden, out);
    }

    private static ExampleCase transformerBlock() {
        TransformerBlock b = BLOCK;
        int s = b.sequence();
        int d = b.width();
        float[] x = SampleInputs.batch(s, d, 17);
        float[] n1 = PlainFloat.layerNorm(x, b.gamma1(), b.beta1(), TransformerBlock.EPSILON);
        float[] q = PlainFloat.matmul(n1, b.wq(), s, d, d);
        float[] k = PlainFloat.matmul(n1, b.wk(), s, d, d);
        float[] v = PlainFloat.matmul(n1, b.wv(), s, d, d);
        float[] probs = PlainFloat.scaledSoftmax(PlainFloat.matmulTransposed(q, k, s, d, s), s, b.scale());
        float[] attn = PlainFloat.matmul(probs, v, s, s, d);
        float[] h = PlainFloat.add(x, PlainFloat.matmul(attn, b.wo(), s, d, d));
        float[] n2 = PlainFloat.layerNorm(h, b.gamma2(), b.beta2(), TransformerBlock.EPSILON);
        float[] act = PlainFloat.relu(PlainFloat.addRow(PlainFloat.matmul(n2, b.w1(), s, d, b.hidden()), b.b1()));
        float[] y = PlainFloat.add(h, PlainFloat.addRow(PlainFloat.matmul(act, b.w2(), s, b.hidden(), d), b.b2()));
        return new ExampleCase(
                "transformer_block",
                "a pre-norm transformer block, 8 tokens × 16 features: layer norm, one "
                        + "attention head (q/k/v dots, softmax, output dot), residual, layer norm, a 32-unit ReLU MLP, residual",
                b.hloText(),
                List.of(List.of(HostTensor.of(x, s, d))),
                List.of(List.of(HostTensor.of(y, s, d))));
    }

    private static ExampleCase tensorParallelMlp() {
        MlpModel m = TensorParallelMlp.MODEL;
        int ranks = TensorParallelMlp.RANKS;
        ShardedMlp sharded = ShardedMlp.of(m, ranks);
        int shard = m.hidden() / ranks;
        float[] x = SampleInputs.batch(BATCH, m.inputs(), 5);
        List<List<HostTensor>> inputs = new ArrayList<>();
        float[] total = null;
        for (int r = 0; r < ranks; r++) {
            Map<String, HostTensor> in = sharded.inputs(r, x, BATCH);
            inputs.add(List.copyOf(in.values()));
            float[] partial = mlp(
                    x,
                    in.get("input1").toFloatArray(),
                    in.get("input2").toFloatArray(),
                    in.get("input3").toFloatArray(),
                    m.inputs(),
                    shard,
                    m.outputs());
            // The all-reduce folds the ranks' partial products in rank order.
            total = total == null ? partial : PlainFloat.add(total, partial);
        }
        HostTensor y = HostTensor.of(PlainFloat.addRow(total, m.b2()), BATCH, m.outputs());
        List<List<HostTensor>> outputs = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            outputs.add(List.of(y));
        }
        return new ExampleCase(
                "tensor_parallel_mlp_r4",
                "the TensorParallelMlp sample's MLP, 32 → 256 → 16, split over " + ranks
                        + " ranks (W1 by columns, W2 by rows) and joined by an all-reduce; every rank gets the whole output",
                sharded.hloText(BATCH),
                inputs,
                outputs);
    }

    private static String readme() {
        return String.join(
                "\n",
                "# Example models",
                "",
                "Small models that nrt4j generates itself, so that a fresh clone has something to run. Each",
                "directory is a conformance corpus case: the program as HLO text (`model.hlo.txt`) and as the",
                "HloModuleProto `neuronx-cc` compiles (`model.hlo_module.pb`), inputs `input<i>.npy`, expected",
                "outputs `output<j>.npy` and `case.json`. A program for several ranks keeps each rank's files in",
                "`replica<r>/`.",
                "",
                "- `mlp`: the `MlpInference` sample's MLP, 64 → 128 → 10, on a batch of 8.",
                "- `transformer_block`: a pre-norm transformer block of 8 tokens × 16 features (layer norm,",
                "  one attention head, residual, layer norm, a 32-unit MLP, residual).",
                "- `tensor_parallel_mlp_r4`: the `TensorParallelMlp` sample's MLP split over 4 ranks with an",
                "  all-reduce; it needs 4 cores (`--instance-type trn1.32xlarge` on the reference device).",
                "",
                "```",
                "bin/nrt4j run examples/mlp/model.hlo_module.pb --input input0=examples/mlp/input0.npy",
                "bin/nrt4j conformance --no-rules --corpus examples --instance-type trn1.32xlarge",
                "```",
                "",
                "The expected outputs are computed on the host with plain float loops, not by any device; the",
                "reference device matches them bit for bit, and `case.json` allows another backend the JAX",
                "corpus cases' tolerance. Do not edit these files: they are written by",
                "`dev.nrt4j.samples.examples.GenerateExamples` (from the repository root, after",
                "`./mvnw -q -pl samples -am package -DskipTests`:",
                "`java -cp samples/target/nrt4j-samples.jar dev.nrt4j.samples.examples.GenerateExamples examples`),",
                "and `GenerateExamplesTest` fails when they differ from what it writes.",
                "");
    }
}
