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
 * integers, pred and 8-bit floats by their bits. Stateless and thread-safe.
 */
public final class OutputComparison {
    private static final int REPORTED_MISMATCHES = 3;

    private OutputComparison() {
    }

    /**
     * Why {@code actual} does not match {@code expected}, or empty when it does.
     *
     * @return a description of the shape or type difference, or of the mismatch count and the first few
     *     mismatching elements (index, actual, expected)
     */
    public static Optional<String> mismatch(HostTensor actual, HostTensor expected, OutputCheck check) {
        if (actual.dtype() != expected.dtype()) {
            return Optional.of("type " + actual.dtype().hloName() + " differs from the expected " + expected.dtype().hloName());
        }
        if (!actual.shape().equals(expected.shape())) {
            return Optional.of("shape " + actual.shape() + " differs from the expected " + expected.shape());
        }
        ByteBuffer a = actual.data();
        ByteBuffer e = expected.data();
        int n = (int) actual.elementCount();
        DType t = actual.dtype();
        int bad = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!matches(t, a, e, i, check)) {
                bad++;
                if (examples.size() < REPORTED_MISMATCHES) {
                    examples.add("[" + i + "] " + show(t, a, i) + " vs expected " + show(t, e, i));
                }
            }
        }
        if (bad == 0) {
            return Optional.empty();
        }
        return Optional.of(bad + " of " + n + " elements differ (" + check + "): " + String.join("; ", examples));
    }

    private static boolean matches(DType t, ByteBuffer a, ByteBuffer e, int i, OutputCheck check) {
        switch (t) {
            case FLOAT32: case FP32R:
                return floats(a.getFloat(i * 4), e.getFloat(i * 4), a.getInt(i * 4), e.getInt(i * 4), 32, check);
            case FLOAT64:
                return floats(a.getDouble(i * 8), e.getDouble(i * 8), a.getLong(i * 8), e.getLong(i * 8), 64, check);
            case FLOAT16:
                return floats(Float16.toFloat(a.getShort(i * 2)), Float16.toFloat(e.getShort(i * 2)),
                        a.getShort(i * 2) & 0xFFFF, e.getShort(i * 2) & 0xFFFF, 16, check);
            case BFLOAT16:
                return floats(BFloat16.toFloat(a.getShort(i * 2)), BFloat16.toFloat(e.getShort(i * 2)),
                        a.getShort(i * 2) & 0xFFFF, e.getShort(i * 2) & 0xFFFF, 16, check);
            default:
                return sameBits(t, a, e, i);
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

    private static String show(DType t, ByteBuffer b, int i) {
        switch (t) {
            case FLOAT32: case FP32R: return Float.toString(b.getFloat(i * 4));
            case FLOAT64: return Double.toString(b.getDouble(i * 8));
            case FLOAT16: return Float16.toFloat(b.getShort(i * 2)) + String.format(" (0x%04x)", b.getShort(i * 2) & 0xFFFF);
            case BFLOAT16: return BFloat16.toFloat(b.getShort(i * 2)) + String.format(" (0x%04x)", b.getShort(i * 2) & 0xFFFF);
            case INT8: return Byte.toString(b.get(i));
            case UINT8: case PRED: return Integer.toString(b.get(i) & 0xFF);
            case INT16: return Short.toString(b.getShort(i * 2));
            case UINT16: return Integer.toString(b.getShort(i * 2) & 0xFFFF);
            case INT32: return Integer.toString(b.getInt(i * 4));
            case UINT32: return Integer.toUnsignedString(b.getInt(i * 4));
            case INT64: return Long.toString(b.getLong(i * 8));
            case UINT64: return Long.toUnsignedString(b.getLong(i * 8));
            default: return String.format("0x%02x", b.get(i) & 0xFF);
        }
    }
}
