package dev.nrt4j.conformance;

import java.util.Locale;

/**
 * How an output of a corpus case must match its expected value (shared/corpus/README.md, "When an
 * output matches"). Immutable.
 *
 * @param kind the rule
 * @param rtol relative tolerance, for {@link Kind#TOLERANCE}
 * @param atol absolute tolerance, for {@link Kind#TOLERANCE}
 */
public record OutputCheck(Kind kind, double rtol, double atol) {
    /** The rules. */
    public enum Kind {
        /** {@code |actual - expected| <= atol + rtol * |expected|}; NaN matches NaN; integers and pred equal. */
        TOLERANCE,
        /** Bit-for-bit equal; any NaN matches any NaN. */
        EXPECT_EQ,
        /** At most 1 ULP apart; non-finite values bitwise equal or both NaN. */
        EXPECT_CLOSE,
        /** {@code |actual - expected| <= 1e-4}; NaN matches NaN. */
        EXPECT_ALMOST_EQ
    }

    /** The absolute bound of {@link Kind#EXPECT_ALMOST_EQ}. */
    public static final double ALMOST_EQ_BOUND = 1e-4;

    /** A tolerance check. */
    public static OutputCheck tolerance(double rtol, double atol) {
        return new OutputCheck(Kind.TOLERANCE, rtol, atol);
    }

    /**
     * The check a stablehlo case names ({@code expect_eq}, {@code expect_close}, {@code expect_almost_eq}).
     *
     * @throws IllegalArgumentException for another name
     */
    public static OutputCheck named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "expect_eq":
                return new OutputCheck(Kind.EXPECT_EQ, 0, 0);
            case "expect_close":
                return new OutputCheck(Kind.EXPECT_CLOSE, 0, 0);
            case "expect_almost_eq":
                return new OutputCheck(Kind.EXPECT_ALMOST_EQ, 0, 0);
            default:
                throw new IllegalArgumentException(
                        "unknown check '" + name + "'; known: expect_eq, expect_close, expect_almost_eq");
        }
    }

    @Override
    public String toString() {
        return kind == Kind.TOLERANCE
                ? "rtol=" + rtol + ", atol=" + atol
                : kind.name().toLowerCase(Locale.ROOT);
    }
}
