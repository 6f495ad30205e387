package dev.nrt4j.samples.models;

import java.util.Random;

/**
 * Reproducible input batches for the samples: values in [-1, 1] drawn from a seed, so that a run and
 * the test that checks it see the same numbers. Stateless and thread-safe.
 */
public final class SampleInputs {
    private SampleInputs() {}

    /**
     * {@code rows × cols} floats, row-major, drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if a dimension is not positive or the batch is too large for an array
     */
    public static float[] batch(int rows, int cols, long seed) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("a batch needs positive dimensions, got " + rows + "×" + cols);
        }
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "a batch of " + rows + "×" + cols + " floats is more than a Java array holds; use fewer rows");
        }
        Random random = new Random(seed);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextFloat() * 2 - 1;
        }
        return out;
    }
}
