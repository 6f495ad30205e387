package dev.nrt4j.samples.models;

import java.math.BigDecimal;
import java.util.Random;

/**
 * A tiny pre-norm transformer block with one attention head, weights drawn from a seed, and the HLO
 * text program that computes it: {@code h = x + attention(layernorm1(x))}, then
 * {@code y = h + mlp(layernorm2(h))}, where attention is {@code softmax(q·kᵀ / √width)·v·Wo} with
 * {@code q, k, v = n·Wq, n·Wk, n·Wv}, the MLP is {@code relu(n·W1 + b1)·W2 + b2}, and layer norm is
 * {@code (x − mean)·rsqrt(variance + ε)·γ + β} over each row.
 *
 * <p>As in {@link MlpModel}, weights are multiples of 1/256 (biases, β and γ − 1 of 1/128) in
 * [-0.1875, 0.1875], and ε is 2<sup>-16</sup>, so that every constant prints as a short exact decimal
 * in the HLO text and parses back to the very same float. The program's only parameter is {@code x}:
 * one input {@code input0} of f32[sequence, width] and one output {@code output0} of the same shape.
 *
 * <p>Immutable; the arrays handed out are copies. Thread-safe.
 */
public final class TransformerBlock {
    /** The ε added to the variance in both layer norms: 2<sup>-16</sup>, exact in binary and decimal. */
    public static final float EPSILON = 0x1p-16f;

    private final int sequence;
    private final int width;
    private final int hidden;
    private final float[] gamma1;
    private final float[] beta1;
    private final float[] wq;
    private final float[] wk;
    private final float[] wv;
    private final float[] wo;
    private final float[] gamma2;
    private final float[] beta2;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;

    private TransformerBlock(int sequence, int width, int hidden, long seed) {
        if (sequence <= 0 || width <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("a transformer block needs positive sizes, got sequence " + sequence
                    + ", width " + width + ", hidden " + hidden);
        }
        if (Integer.bitCount(width) != 1 || Integer.numberOfTrailingZeros(width) % 2 != 0) {
            // 1/√width must be exact, so that the scaled scores mean the same in the text and on the host.
            throw new IllegalArgumentException("the width must be a power of 4, got " + width);
        }
        this.sequence = sequence;
        this.width = width;
        this.hidden = hidden;
        Random random = new Random(seed);
        this.gamma1 = plusOne(MlpModel.draw(random, width, 128));
        this.beta1 = MlpModel.draw(random, width, 128);
        this.wq = MlpModel.draw(random, width * width, 256);
        this.wk = MlpModel.draw(random, width * width, 256);
        this.wv = MlpModel.draw(random, width * width, 256);
        this.wo = MlpModel.draw(random, width * width, 256);
        this.gamma2 = plusOne(MlpModel.draw(random, width, 128));
        this.beta2 = MlpModel.draw(random, width, 128);
        this.w1 = MlpModel.draw(random, width * hidden, 256);
        this.b1 = MlpModel.draw(random, hidden, 128);
        this.w2 = MlpModel.draw(random, hidden * width, 256);
        this.b2 = MlpModel.draw(random, width, 128);
    }

    /**
     * A block for {@code sequence} tokens of {@code width} features (a power of 4) with an MLP of
     * {@code hidden} units, weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if a size is not positive or the width not a power of 4
     */
    public static TransformerBlock of(int sequence, int width, int hidden, long seed) {
        return new TransformerBlock(sequence, width, hidden, seed);
    }

    /** Tokens per input. */
    public int sequence() {
        return sequence;
    }

    /** Features per token. */
    public int width() {
        return width;
    }

    /** Units of the MLP's hidden layer. */
    public int hidden() {
        return hidden;
    }

    /** The scale of the attention scores, 1/√width (exact, as the width is a power of 4). */
    public float scale() {
        return 1f / (1 << (Integer.numberOfTrailingZeros(width) / 2));
    }

    /** γ of the first layer norm, [width]. */
    public float[] gamma1() {
        return gamma1.clone();
    }

    /** β of the first layer norm, [width]. */
    public float[] beta1() {
        return beta1.clone();
    }

    /** The query projection, row-major [width, width]. */
    public float[] wq() {
        return wq.clone();
    }

    /** The key projection, row-major [width, width]. */
    public float[] wk() {
        return wk.clone();
    }

    /** The value projection, row-major [width, width]. */
    public float[] wv() {
        return wv.clone();
    }

    /** The output projection, row-major [width, width]. */
    public float[] wo() {
        return wo.clone();
    }

    /** γ of the second layer norm, [width]. */
    public float[] gamma2() {
        return gamma2.clone();
    }

    /** β of the second layer norm, [width]. */
    public float[] beta2() {
        return beta2.clone();
    }

    /** The MLP's first weight, row-major [width, hidden]. */
    public float[] w1() {
        return w1.clone();
    }

    /** The MLP's first bias, [hidden]. */
    public float[] b1() {
        return b1.clone();
    }

    /** The MLP's second weight, row-major [hidden, width]. */
    public float[] w2() {
        return w2.clone();
    }

    /** The MLP's second bias, [width]. */
    public float[] b2() {
        return b2.clone();
    }

    /** The HLO text of the block. */
    public String hloText() {
        String x = f32(sequence, width);
        String rows = f32(sequence);
        String scores = f32(sequence, sequence);
        String h = f32(sequence, hidden);
        StringBuilder s = new StringBuilder(16 * (4 * width * width + 2 * width * hidden));
        s.append("HloModule nrt4j_example_transformer_block\n\n");
        s.append(
                "add_f32 {\n  lhs = f32[] parameter(0)\n  rhs = f32[] parameter(1)\n  ROOT sum = f32[] add(lhs, rhs)\n}\n\n");
        s.append(
                "max_f32 {\n  lhs = f32[] parameter(0)\n  rhs = f32[] parameter(1)\n  ROOT max = f32[] maximum(lhs, rhs)\n}\n\n");
        s.append("ENTRY transformer_block {\n");
        s.append("  x = ").append(x).append(" parameter(0)\n");
        s.append("  zero = f32[] constant(0)\n");
        s.append("  minus_inf = f32[] constant(-inf)\n");
        s.append("  width = f32[] constant(").append(width).append(")\n");
        s.append("  epsilon = f32[] constant(")
                .append(new BigDecimal(EPSILON).toPlainString())
                .append(")\n");
        layerNorm(s, "ln1", "x", gamma1, beta1);
        projection(s, "q", "ln1", wq);
        projection(s, "k", "ln1", wk);
        projection(s, "v", "ln1", wv);
        s.append("  qk = ").append(scores).append(" dot(q, k), lhs_contracting_dims={1}, rhs_contracting_dims={1}\n");
        s.append("  scale = f32[] constant(")
                .append(new BigDecimal(scale()).toPlainString())
                .append(")\n");
        s.append("  scales = ").append(scores).append(" broadcast(scale), dimensions={}\n");
        s.append("  scores = ").append(scores).append(" multiply(qk, scales)\n");
        s.append("  row_max = ").append(rows).append(" reduce(scores, minus_inf), dimensions={1}, to_apply=max_f32\n");
        s.append("  row_maxes = ").append(scores).append(" broadcast(row_max), dimensions={0}\n");
        s.append("  shifted = ").append(scores).append(" subtract(scores, row_maxes)\n");
        s.append("  exps = ").append(scores).append(" exponential(shifted)\n");
        s.append("  exp_sum = ").append(rows).append(" reduce(exps, zero), dimensions={1}, to_apply=add_f32\n");
        s.append("  exp_sums = ").append(scores).append(" broadcast(exp_sum), dimensions={0}\n");
        s.append("  probs = ").append(scores).append(" divide(exps, exp_sums)\n");
        s.append("  attn = ").append(x).append(" dot(probs, v), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
        projection(s, "proj", "attn", wo);
        s.append("  h = ").append(x).append(" add(x, proj)\n");
        layerNorm(s, "ln2", "h", gamma2, beta2);
        s.append("  w1 = f32[").append(width).append(',').append(hidden).append("] constant(");
        MlpModel.matrix(s, w1, width, hidden).append(")\n");
        s.append("  b1 = f32[").append(hidden).append("] constant(");
        MlpModel.vector(s, b1, 0, hidden).append(")\n");
        s.append("  up = ").append(h).append(" dot(ln2, w1), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
        s.append("  b1s = ").append(h).append(" broadcast(b1), dimensions={1}\n");
        s.append("  pre = ").append(h).append(" add(up, b1s)\n");
        s.append("  zeros = ").append(h).append(" broadcast(zero), dimensions={}\n");
        s.append("  act = ").append(h).append(" maximum(pre, zeros)\n");
        s.append("  w2 = f32[").append(hidden).append(',').append(width).append("] constant(");
        MlpModel.matrix(s, w2, hidden, width).append(")\n");
        s.append("  b2 = f32[").append(width).append("] constant(");
        MlpModel.vector(s, b2, 0, width).append(")\n");
        s.append("  down = ").append(x).append(" dot(act, w2), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
        s.append("  b2s = ").append(x).append(" broadcast(b2), dimensions={1}\n");
        s.append("  mlp = ").append(x).append(" add(down, b2s)\n");
        s.append("  ROOT y = ").append(x).append(" add(h, mlp)\n");
        s.append("}\n");
        return s.toString();
    }

    /** Lines computing {@code name = layernorm(in)·γ + β} over each row, with helpers prefixed {@code name_}. */
    private void layerNorm(StringBuilder s, String name, String in, float[] gamma, float[] beta) {
        String x = f32(sequence, width);
        String rows = f32(sequence);
        String p = "  " + name + "_";
        s.append(p).append("widths = ").append(rows).append(" broadcast(width), dimensions={}\n");
        s.append(p)
                .append("sum = ")
                .append(rows)
                .append(" reduce(")
                .append(in)
                .append(", zero), dimensions={1}, to_apply=add_f32\n");
        s.append(p)
                .append("mean = ")
                .append(rows)
                .append(" divide(")
                .append(name)
                .append("_sum, ")
                .append(name)
                .append("_widths)\n");
        s.append(p)
                .append("means = ")
                .append(x)
                .append(" broadcast(")
                .append(name)
                .append("_mean), dimensions={0}\n");
        s.append(p)
                .append("centred = ")
                .append(x)
                .append(" subtract(")
                .append(in)
                .append(", ")
                .append(name)
                .append("_means)\n");
        s.append(p)
                .append("squares = ")
                .append(x)
                .append(" multiply(")
                .append(name)
                .append("_centred, ")
                .append(name)
                .append("_centred)\n");
        s.append(p)
                .append("square_sum = ")
                .append(rows)
                .append(" reduce(")
                .append(name)
                .append("_squares, zero), dimensions={1}, to_apply=add_f32\n");
        s.append(p)
                .append("variance = ")
                .append(rows)
                .append(" divide(")
                .append(name)
                .append("_square_sum, ")
                .append(name)
                .append("_widths)\n");
        s.append(p).append("epsilons = ").append(rows).append(" broadcast(epsilon), dimensions={}\n");
        s.append(p)
                .append("shifted = ")
                .append(rows)
                .append(" add(")
                .append(name)
                .append("_variance, ")
                .append(name)
                .append("_epsilons)\n");
        s.append(p)
                .append("rstd = ")
                .append(rows)
                .append(" rsqrt(")
                .append(name)
                .append("_shifted)\n");
        s.append(p)
                .append("rstds = ")
                .append(x)
                .append(" broadcast(")
                .append(name)
                .append("_rstd), dimensions={0}\n");
        s.append(p)
                .append("normed = ")
                .append(x)
                .append(" multiply(")
                .append(name)
                .append("_centred, ")
                .append(name)
                .append("_rstds)\n");
        s.append(p).append("gamma = f32[").append(width).append("] constant(");
        MlpModel.vector(s, gamma, 0, width).append(")\n");
        s.append(p)
                .append("gammas = ")
                .append(x)
                .append(" broadcast(")
                .append(name)
                .append("_gamma), dimensions={1}\n");
        s.append(p)
                .append("scaled = ")
                .append(x)
                .append(" multiply(")
                .append(name)
                .append("_normed, ")
                .append(name)
                .append("_gammas)\n");
        s.append(p).append("beta = f32[").append(width).append("] constant(");
        MlpModel.vector(s, beta, 0, width).append(")\n");
        s.append(p)
                .append("betas = ")
                .append(x)
                .append(" broadcast(")
                .append(name)
                .append("_beta), dimensions={1}\n");
        s.append("  ")
                .append(name)
                .append(" = ")
                .append(x)
                .append(" add(")
                .append(name)
                .append("_scaled, ")
                .append(name)
                .append("_betas)\n");
    }

    /** Lines computing {@code name = in·w} for a [width, width] weight {@code w}, held as {@code w_name}. */
    private void projection(StringBuilder s, String name, String in, float[] w) {
        String x = f32(sequence, width);
        s.append("  w_")
                .append(name)
                .append(" = f32[")
                .append(width)
                .append(',')
                .append(width)
                .append("] constant(");
        MlpModel.matrix(s, w, width, width).append(")\n");
        s.append("  ")
                .append(name)
                .append(" = ")
                .append(x)
                .append(" dot(")
                .append(in)
                .append(", w_")
                .append(name)
                .append("), lhs_contracting_dims={1}, rhs_contracting_dims={0}\n");
    }

    private static String f32(int... dims) {
        StringBuilder s = new StringBuilder("f32[");
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : ",").append(dims[i]);
        }
        return s.append(']').toString();
    }

    private static float[] plusOne(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] += 1;
        }
        return values;
    }
}
