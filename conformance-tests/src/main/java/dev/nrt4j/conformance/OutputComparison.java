package dev.nrt4j.conformance;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Float16;
import dev.nrt4j.HostTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares an output with its expected value under an {@link OutputCheck}, element by element in the
 * tensor's own type: floats by value or by ULP distance in their own width (16, 32 or 64 bits),
 * integers, pred and 8-bit floats by their bits. Also measures how far the output is at worst
 * ({@link WorstError}), in the measure its rule counts in. Stateless and thread-safe.
 */
public final class OutputComparison {
    private static final int REPORTED_MISMATCHES = 3;

    private OutputComparison() {}

    /**
     * The outcome of comparing one output.
     *
     * @param mismatch why it does not match, or empty when it does
     * @param worst its worst error over all elements (infinite for a type or shape difference)
     */
    public record Result(Optional<String> mismatch, WorstError worst) {}

    /**
     * Why {@code actual} does not match {@code expected}, or empty when it does.
     *
     * @return a description of the shape or type difference, or of the mismatch count and the first few
     *     mismatching elements (index, actual, expected)
     */
    public static Optional<String> mismatch(HostTensor actual, HostTensor expected, OutputCheck check) {
        return compare(actual, expected, check).mismatch();
    }

    /** Compares {@code actual} with {@code expected}: what does not match, and the worst error. */
    public static Result compare(HostTensor actual, HostTensor expected, OutputCheck check) {
        WorstError.Measure measure = WorstError.Measure.of(check.kind());
        WorstError unmeasurable = WorstError.of(measure, Double.POSITIVE_INFINITY);
        if (actual.dtype() != expected.dtype()) {
            return new Result(
                    Optional.of("type " + actual.dtype().hloName() + " differs from the expected "
                            + expected.dtype().hloName()),
                    unmeasurable);
        }
        if (!actual.shape().equals(expected.shape())) {
            return new Result(
                    Optional.of("shape " + actual.shape() + " differs from the expected " + expected.shape()),
                    unmeasurable);
        }
        ByteBuffer a = actual.data();
        ByteBuffer e = expected.data();
        int n = (int) actual.elementCount();
        DType t = actual.dtype();
        int bad = 0;
        double worst = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, distance(t, a, e, i, measure));
            if (!matches(t, a, e, i, check)) {
                bad++;
                if (examples.size() < REPORTED_MISMATCHES) {
                    examples.add("[" + i + "] " + show(t, a, i) + " vs expected " + show(t, e, i));
                }
            }
        }
        WorstError w = WorstError.of(measure, worst);
        if (bad == 0) {
            return new Result(Optional.empty(), w);
        }
        return new Result(
                Optional.of(bad + " of " + n + " elements differ (" + check + "; " + w + "): "
                        + String.join("; ", examples)),
                w);
    }

    private static boolean matches(DType t, ByteBuffer a, ByteBuffer e, int i, OutputCheck check) {
        FloatPair p = FloatPair.of(t, a, e, i);
        return p != null
                ? floats(p.actual, p.expected, p.actualBits, p.expectedBits, p.width, check)
                : sameBits(t, a, e, i);
    }

    /**
     * Element {@code i} of a floating-point output and of its expected value, as values and as bits of
     * {@code width}; one decoding for the match and for the distance.
     */
    private record FloatPair(double actual, double expected, long actualBits, long expectedBits, int width) {
        /** The pair, or null when {@code t} is not one of the floating-point types compared by value. */
        static FloatPair of(DType t, ByteBuffer a, ByteBuffer e, int i) {
            switch (t) {
                case FLOAT32:
                case FP32R:
                    return new FloatPair(a.getFloat(i * 4), e.getFloat(i * 4), a.getInt(i * 4), e.getInt(i * 4), 32);
                case FLOAT64:
                    return new FloatPair(
                            a.getDouble(i * 8), e.getDouble(i * 8), a.getLong(i * 8), e.getLong(i * 8), 64);
                case FLOAT16:
                    return new FloatPair(
                            Float16.toFloat(a.getShort(i * 2)),
                            Float16.toFloat(e.getShort(i * 2)),
                            a.getShort(i * 2) & 0xFFFF,
                            e.getShort(i * 2) & 0xFFFF,
                            16);
                case BFLOAT16:
                    return new FloatPair(
                            BFloat16.toFloat(a.getShort(i * 2)),
                            BFloat16.toFloat(e.getShort(i * 2)),
                            a.getShort(i * 2) & 0xFFFF,
                            e.getShort(i * 2) & 0xFFFF,
                            16);
                default:
                    return null;
            }
        }
    }

    private static boolean sameBits(DType t, ByteBuffer a, ByteBuffer e, int i) {
        int size = t.byteSize();
        for (int b = 0; b < size; b++) {
            if (a.get(i * size + b) != e.get(i * size + b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param x actual value, {@code y} expected value
     * @param xBits actual bit pattern, {@code yBits} expected, in a {@code width}-bit format
     */
    static boolean floats(double x, double y, long xBits, long yBits, int width, OutputCheck check) {
        boolean xNan = Double.isNaN(x);
        boolean yNan = Double.isNaN(y);
        if (xNan || yNan) {
            return xNan && yNan;
        }
        switch (check.kind()) {
            case EXPECT_EQ:
                return xBits == yBits;
            case EXPECT_CLOSE:
                if (Double.isInfinite(x) || Double.isInfinite(y)) {
                    return xBits == yBits;
                }
                return ulpDistance(xBits, yBits, width) <= 1;
            case EXPECT_ALMOST_EQ:
                return x == y || Math.abs(x - y) <= OutputCheck.ALMOST_EQ_BOUND;
            default:
                return x == y || Math.abs(x - y) <= check.atol() + check.rtol() * Math.abs(y);
        }
    }

    /**
     * The number of representable values between two finite floats of a {@code width}-bit format: the
     * difference of their magnitudes' bit patterns when the signs agree, their sum when they do not
     * (so +0 and -0 are 0 apart).
     */
    static long ulpDistance(long xBits, long yBits, int width) {
        long signBit = 1L << (width - 1);
        long magnitudeMask = signBit - 1;
        long xMag = xBits & magnitudeMask;
        long yMag = yBits & magnitudeMask;
        boolean sameSign = (xBits & signBit) == (yBits & signBit);
        return sameSign ? Math.abs(xMag - yMag) : xMag + yMag;
    }

    /**
     * How far element {@code i} is from its expected value in {@code measure}: 0 when they are equal
     * (any NaN equals any NaN), infinite when no finite distance describes the difference (NaN against
     * a number, an infinity against another value, 8-bit floats whose bits differ).
     */
    private static double distance(DType t, ByteBuffer a, ByteBuffer e, int i, WorstError.Measure measure) {
        FloatPair p = FloatPair.of(t, a, e, i);
        if (p != null) {
            return floatDistance(p.actual, p.expected, p.actualBits, p.expectedBits, p.width, measure);
        }
        switch (t) {
            case INT8:
                return Math.abs((double) a.get(i) - e.get(i));
            case UINT8:
            case PRED:
                return Math.abs((double) (a.get(i) & 0xFF) - (e.get(i) & 0xFF));
            case INT16:
                return Math.abs((double) a.getShort(i * 2) - e.getShort(i * 2));
            case UINT16:
                return Math.abs((double) (a.getShort(i * 2) & 0xFFFF) - (e.getShort(i * 2) & 0xFFFF));
            case INT32:
                return Math.abs((double) a.getInt(i * 4) - e.getInt(i * 4));
            case UINT32:
                return Math.abs((double) (a.getInt(i * 4) & 0xFFFFFFFFL) - (e.getInt(i * 4) & 0xFFFFFFFFL));
            case INT64:
            case UINT64: {
                long x = a.getLong(i * 8);
                long y = e.getLong(i * 8);
                if (x == y) {
                    return 0;
                }
                // The magnitude of the 64-bit difference, read unsigned when it does not fit a signed long.
                boolean signed = t == DType.INT64;
                long hi = (signed ? x > y : Long.compareUnsigned(x, y) > 0) ? x : y;
                long lo = hi == x ? y : x;
                return unsignedToDouble(hi - lo);
            }
            default:
                return sameBits(t, a, e, i) ? 0 : Double.POSITIVE_INFINITY;
        }
    }

    /** {@link #distance} of two floats held as doubles, with their bit patterns in a {@code width}-bit format. */
    static double floatDistance(double x, double y, long xBits, long yBits, int width, WorstError.Measure measure) {
        boolean xNan = Double.isNaN(x);
        boolean yNan = Double.isNaN(y);
        if (xNan || yNan) {
            return xNan && yNan ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(x) || Double.isInfinite(y)) {
            return x == y ? 0 : Double.POSITIVE_INFINITY;
        }
        return measure == WorstError.Measure.MAX_ULP ? ulpDistance(xBits, yBits, width) : Math.abs(x - y);
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0;
    }

    private static String show(DType t, ByteBuffer b, int i) {
        switch (t) {
            case FLOAT32:
            case FP32R:
                return Float.toString(b.getFloat(i * 4));
            case FLOAT64:
                return Double.toString(b.getDouble(i * 8));
            case FLOAT16:
                return Float16.toFloat(b.getShort(i * 2)) + String.format(" (0x%04x)", b.getShort(i * 2) & 0xFFFF);
            case BFLOAT16:
                return BFloat16.toFloat(b.getShort(i * 2)) + String.format(" (0x%04x)", b.getShort(i * 2) & 0xFFFF);
            case INT8:
                return Byte.toString(b.get(i));
            case UINT8:
            case PRED:
                return Integer.toString(b.get(i) & 0xFF);
            case INT16:
                return Short.toString(b.getShort(i * 2));
            case UINT16:
                return Integer.toString(b.getShort(i * 2) & 0xFFFF);
            case INT32:
                return Integer.toString(b.getInt(i * 4));
            case UINT32:
                return Integer.toUnsignedString(b.getInt(i * 4));
            case INT64:
                return Long.toString(b.getLong(i * 8));
            case UINT64:
                return Long.toUnsignedString(b.getLong(i * 8));
            default:
                return String.format("0x%02x", b.get(i) & 0xFF);
        }
    }
}
