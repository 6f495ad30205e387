package dev.nrt4j.reference.interpreter;

/**
 * f32 transcendental functions as the interpreter defines them, {@code (float) StrictMath.f((double) x)}, computed
 * faster with the same bits. {@link Math}'s intrinsic gives the double result first; the specification holds it to
 * within one ulp of the exact value, as fdlibm ({@link StrictMath}) is, so the two doubles lie within two ulps of
 * each other. When every double within a relative {@value #WINDOW_TEXT} of the fast result (thousands of ulps, far
 * more than that bound) rounds to the same float, the strict double does too, and the float is taken; otherwise
 * (about one element in sixty thousand, and every NaN) the strict function runs. A JVM whose intrinsic strayed
 * further than the specification allows would still have to stray past the window to change a result. Stateless.
 */
final class CheckedFastMath {
    private static final String WINDOW_TEXT = "2^-40";
    /** The window's lower and upper factor: 1 ∓ 2^-40. */
    private static final double BELOW = 1 - 0x1p-40;

    private static final double ABOVE = 1 + 0x1p-40;

    private CheckedFastMath() {}

    /** {@code (float) StrictMath.exp(x)}. */
    static float exp(float x) {
        return settle(Math.exp(x), x, StrictMath::exp);
    }

    /** {@code (float) StrictMath.log(x)}. */
    static float log(float x) {
        return settle(Math.log(x), x, StrictMath::log);
    }

    /**
     * The float of {@code fast} when the window around it rounds to one float, else the float of the strict
     * function at {@code x}. Package-private so a test can hand it a fast value off by a chosen amount.
     */
    static float settle(double fast, float x, java.util.function.DoubleUnaryOperator strict) {
        float f = (float) fast;
        // Both ends have fast's sign, so one float for both ends means one float for all doubles between them. A
        // NaN fails the comparison and goes the strict way, and so does a negative zero or tiny negative value,
        // whose zero sign == cannot tell.
        if ((float) (fast * BELOW) == f
                && (float) (fast * ABOVE) == f
                && !(f == 0 && Double.doubleToRawLongBits(fast) < 0)) {
            return f;
        }
        return (float) strict.applyAsDouble(x);
    }
}
