package dev.nrt4j.samples.examples;

/**
 * The example models' oracle: their layers as plain float loops on the host, independent of any
 * device. Each step rounds to float as the HLO op it stands for does: a dot is one accumulator per
 * output that starts at zero and takes {@code fma(a, b, acc)} over the contracted index in ascending
 * order (XLA's evaluator order, which the reference device follows), a reduction folds in index order
 * from its initial value, and exp and rsqrt are computed in double and rounded once, exp with
 * {@link StrictMath} so that the files come out the same on every JVM and machine. Stateless and
 * thread-safe; arrays are row-major.
 */
final class PlainFloat {
    private PlainFloat() {}

    /** {@code a[m, k]·b[k, n]}. */
    static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int t = 0; t < k; t++) {
                    acc = Math.fma(a[i * k + t], b[t * n + j], acc);
                }
                out[i * n + j] = acc;
            }
        }
        return out;
    }

    /** {@code a[m, k]·b[n, k]ᵀ}: the same sums as {@link #matmul} of {@code b} transposed (transposing is exact). */
    static float[] matmulTransposed(float[] a, float[] b, int m, int k, int n) {
        float[] bt = new float[k * n];
        for (int j = 0; j < n; j++) {
            for (int t = 0; t < k; t++) {
                bt[t * n + j] = b[j * k + t];
            }
        }
        return matmul(a, bt, m, k, n);
    }

    /** {@code a + row} for every row of {@code a[rows, row.length]}. */
    static float[] addRow(float[] a, float[] row) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + row[i % row.length];
        }
        return out;
    }

    /** {@code a + b}, elementwise. */
    static float[] add(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** {@code max(a, 0)}, elementwise. */
    static float[] relu(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.max(a[i], 0f);
        }
        return out;
    }

    /** {@code (x − mean)·rsqrt(variance + epsilon)·gamma + beta} over each row of {@code x[rows, gamma.length]}. */
    static float[] layerNorm(float[] x, float[] gamma, float[] beta, float epsilon) {
        int width = gamma.length;
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / width; r++) {
            int row = r * width;
            float sum = 0;
            for (int i = 0; i < width; i++) {
                sum += x[row + i];
            }
            float mean = sum / width;
            float squares = 0;
            for (int i = 0; i < width; i++) {
                float c = x[row + i] - mean;
                squares += c * c;
            }
            float variance = squares / width;
            float rstd = (float) (1 / Math.sqrt(variance + epsilon));
            for (int i = 0; i < width; i++) {
                float normed = (x[row + i] - mean) * rstd;
                out[row + i] = normed * gamma[i] + beta[i];
            }
        }
        return out;
    }

    /** {@code softmax(x·scale)} over each row of {@code x[rows, width]}, shifted by the row's maximum. */
    static float[] scaledSoftmax(float[] x, int width, float scale) {
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / width; r++) {
            int row = r * width;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < width; i++) {
                max = Math.max(max, x[row + i] * scale);
            }
            float sum = 0;
            for (int i = 0; i < width; i++) {
                out[row + i] = (float) StrictMath.exp(x[row + i] * scale - max);
                sum += out[row + i];
            }
            for (int i = 0; i < width; i++) {
                out[row + i] /= sum;
            }
        }
        return out;
    }
}
