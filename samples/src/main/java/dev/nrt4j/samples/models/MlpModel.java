package dev.nrt4j.samples.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Random;

/**
 * A two-layer perceptron, {@code y = relu(x·W1 + b1)·W2 + b2}, with weights drawn from a seed, and
 * the HLO text program that computes it for a fixed batch size. The samples use it instead of a
 * compiled model so that they run anywhere and a test can recompute every output with plain loops.
 *
 * <p>Weights are multiples of 1/256 (biases of 1/128) in [-0.1875, 0.1875], so that they print as
 * short exact decimals in the HLO text and parse back to the very same floats. The weights are the
 * program's constants: the program's only parameter is {@code x}, so its signature is one input
 * {@code input0} of f32[batch, inputs] and one output {@code output0} of f32[batch, outputs].
 *
 * <p>Immutable; the arrays handed out are copies. Thread-safe.
 */
public final class MlpModel {
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;

    private MlpModel(int inputs, int hidden, int outputs, long seed) {
        this.inputs = positive("inputs", inputs);
        this.hidden = positive("hidden", hidden);
        this.outputs = positive("outputs", outputs);
        Random random = new Random(seed);
        this.w1 = draw(random, inputs * hidden, 256);
        this.b1 = draw(random, hidden, 128);
        this.w2 = draw(random, hidden * outputs, 256);
        this.b2 = draw(random, outputs, 128);
    }

    /**
     * An MLP of the given layer widths whose weights are drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if a width is not positive
     */
    public static MlpModel of(int inputs, int hidden, int outputs, long seed) {
        return new MlpModel(inputs, hidden, outputs, seed);
    }

    /** The width of {@code x}. */
    public int inputs() {
        return inputs;
    }

    /** The width of the hidden layer. */
    public int hidden() {
        return hidden;
    }

    /** The width of {@code y}. */
    public int outputs() {
        return outputs;
    }

    /** The first layer's weight, row-major [inputs, hidden]. */
    public float[] w1() {
        return w1.clone();
    }

    /** The first layer's bias, [hidden]. */
    public float[] b1() {
        return b1.clone();
    }

    /** The second layer's weight, row-major [hidden, outputs]. */
    public float[] w2() {
        return w2.clone();
    }

    /** The second layer's bias, [outputs]. */
    public float[] b2() {
        return b2.clone();
    }

    /** The HLO text of the program for batches of {@code batch} rows. */
    public String hloText(int batch) {
        positive("batch", batch);
        String x = "f32[" + batch + "," + inputs + "]";
        String h = "f32[" + batch + "," + hidden + "]";
        String y = "f32[" + batch + "," + outputs + "]";
        StringBuilder s = new StringBuilder(32 * (w1.length + w2.length));
        s.append("HloModule nrt4j_sample_mlp\n\n");
        s.append("ENTRY mlp {\n");
        s.append("  x = ").append(x).append(" parameter(0)\n");
        s.append("  w1 = f32[").append(inputs).append(',').append(hidden).append("] constant(");
        matrix(s, w1, inputs, hidden).append(")\n");
        s.append("  b1 = f32[").append(hidden).append("] constant(");
        vector(s, b1, 0, hidden).append(")\n");
        s.append("  xw1 = ").append(h).append(" dot(x, w1), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
        s.append("  b1s = ").append(h).append(" broadcast(b1), dimensions={1}\n");
        s.append("  pre = ").append(h).append(" add(xw1, b1s)\n");
        s.append("  zero = f32[] constant(0)\n");
        s.append("  zeros = ").append(h).append(" broadcast(zero), dimensions={}\n");
        s.append("  act = ").append(h).append(" maximum(pre, zeros)\n");
        s.append("  w2 = f32[").append(hidden).append(',').append(outputs).append("] constant(");
        matrix(s, w2, hidden, outputs).append(")\n");
        s.append("  b2 = f32[").append(outputs).append("] constant(");
        vector(s, b2, 0, outputs).append(")\n");
        s.append("  hw2 = ").append(y).append(" dot(act, w2), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
        s.append("  b2s = ").append(y).append(" broadcast(b2), dimensions={1}\n");
        s.append("  ROOT y = ").append(y).append(" add(hw2, b2s)\n");
        s.append("}\n");
        return s.toString();
    }

    /**
     * Writes the program for batches of {@code batch} rows to {@code dir/<name>.hlo.txt} and returns
     * that path; the file name's suffix is what tells the runtime it holds HLO text.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public Path writeHlo(Path dir, String name, int batch) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(name, "name");
        try {
            return Files.writeString(dir.resolve(name + ".hlo.txt"), hloText(batch));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the MLP program to " + dir, e);
        }
    }

    /** Values k/scale for k uniform in [-0.1875·scale, 0.1875·scale]: exact in binary and in decimal. */
    static float[] draw(Random random, int n, int scale) {
        int bound = scale * 3 / 16;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextInt(2 * bound + 1) - bound) / scale;
        }
        return out;
    }

    static StringBuilder matrix(StringBuilder s, float[] values, int rows, int cols) {
        s.append('{');
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                s.append(", ");
            }
            vector(s, values, r * cols, cols);
        }
        return s.append('}');
    }

    static StringBuilder vector(StringBuilder s, float[] values, int from, int n) {
        s.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(',');
            }
            // BigDecimal prints the float's exact binary value; Float.toString could choose exponent notation.
            s.append(new BigDecimal(values[from + i]).toPlainString());
        }
        return s.append('}');
    }

    private static int positive(String what, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + n);
        }
        return n;
    }
}
