package dev.nrt4j.testsupport;

/**
 * A batched model for the tests of batching (the pool's, the server's, {@code nrt4j serve}'s): one
 * definition, so every module batches the same program. Stateless.
 */
public final class BatchedHlo {
    private BatchedHlo() {}

    /** The batch {@link #AFFINE} is compiled for. */
    public static final int BATCH = 8;

    /**
     * {@code y = 2x + 1} on {@code f32[8,3]}: rows do not affect each other, and a zero padding row comes out
     * as {@code 1.0}, which no row of positive inputs can give, so a padding row reaching a caller shows.
     */
    public static final String AFFINE = String.join(
            "\n",
            "HloModule affine",
            "ENTRY e {",
            "  x = f32[8,3] parameter(0)",
            "  two = f32[] constant(2)",
            "  one = f32[] constant(1)",
            "  twos = f32[8,3] broadcast(two), dimensions={}",
            "  ones = f32[8,3] broadcast(one), dimensions={}",
            "  m = f32[8,3] multiply(x, twos)",
            "  ROOT r = f32[8,3] add(m, ones)",
            "}");
}
