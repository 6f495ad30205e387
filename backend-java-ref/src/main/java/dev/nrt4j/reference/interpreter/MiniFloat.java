package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import java.util.EnumMap;
import java.util.Map;

/**
 * The narrow floating-point formats (8-bit floats and f4e2m1fn), one element per byte: decoding by a
 * 256-entry table, encoding by round-to-nearest-even onto the sorted finite values. The formats differ
 * in bias and in how they spell infinity and NaN:
 * <ul>
 * <li>IEEE-like (f8e5m2, f8e4m3, f8e3m4): the all-ones exponent holds infinities and NaNs;</li>
 * <li>"fn" (f8e4m3fn): no infinity, only all-ones exponent and mantissa is NaN; overflow gives NaN;</li>
 * <li>"fnuz" (f8e4m3fnuz, f8e5m2fnuz, f8e4m3b11fnuz): no infinity and no negative zero, the pattern of
 * negative zero (0x80) is the only NaN;</li>
 * <li>f4e2m1fn: neither infinity nor NaN, so out-of-range values saturate;</li>
 * <li>f8e8m0fnu: powers of two only, unsigned, 0xFF is NaN.</li>
 * </ul>
 */
final class MiniFloat {
    private enum Kind {
        IEEE,
        FN,
        FNUZ,
        NONE,
        E8M0
    }

    private static final Map<ElementType, MiniFloat> FORMATS = new EnumMap<>(ElementType.class);

    static {
        add(ElementType.F8E5M2, 5, 2, 15, Kind.IEEE);
        add(ElementType.F8E4M3, 4, 3, 7, Kind.IEEE);
        add(ElementType.F8E3M4, 3, 4, 3, Kind.IEEE);
        add(ElementType.F8E4M3FN, 4, 3, 7, Kind.FN);
        add(ElementType.F8E4M3FNUZ, 4, 3, 8, Kind.FNUZ);
        add(ElementType.F8E5M2FNUZ, 5, 2, 16, Kind.FNUZ);
        add(ElementType.F8E4M3B11FNUZ, 4, 3, 11, Kind.FNUZ);
        add(ElementType.F4E2M1FN, 2, 1, 1, Kind.NONE);
        add(ElementType.F8E8M0FNU, 8, 0, 127, Kind.E8M0);
    }

    private static void add(ElementType t, int e, int m, int bias, Kind kind) {
        FORMATS.put(t, new MiniFloat(e, m, bias, kind));
    }

    private final int exponentBits;
    private final int mantissaBits;
    private final Kind kind;
    private final int codes;
    private final float[] values;
    /** The finite non-negative values in increasing order, and their codes. */
    private final double[] sorted;

    private final int[] sortedCodes;
    private final double maxFinite;
    /** Where values start rounding past the largest finite value. */
    private final double overflowAt;

    private MiniFloat(int e, int m, int bias, Kind kind) {
        this.exponentBits = e;
        this.mantissaBits = m;
        this.kind = kind;
        boolean signed = kind != Kind.E8M0;
        this.codes = 1 << (e + m + (signed ? 1 : 0));
        this.values = new float[256];
        java.util.TreeMap<Double, Integer> positive = new java.util.TreeMap<>();
        for (int c = 0; c < codes; c++) {
            double v = decodeCode(c, e, m, bias, kind, signed);
            values[c] = (float) v;
            if (!Double.isNaN(v) && !Double.isInfinite(v) && v >= 0 && !(v == 0 && (c >> (e + m)) != 0)) {
                positive.putIfAbsent(v, c);
            }
        }
        sorted = new double[positive.size()];
        sortedCodes = new int[positive.size()];
        int i = 0;
        for (Map.Entry<Double, Integer> en : positive.entrySet()) {
            sorted[i] = en.getKey();
            sortedCodes[i++] = en.getValue();
        }
        maxFinite = sorted[sorted.length - 1];
        double below = sorted[sorted.length - 2];
        // The gap above the largest value equals the gap below it, except in E8M0 where values double.
        double gap = kind == Kind.E8M0 ? maxFinite : maxFinite - below;
        overflowAt = maxFinite + gap / 2;
    }

    private static double decodeCode(int c, int e, int m, int bias, Kind kind, boolean signed) {
        if (kind == Kind.E8M0) {
            return c == 0xFF ? Double.NaN : Math.scalb(1.0, c - bias);
        }
        int sign = (c >> (e + m)) & 1;
        int exp = (c >> m) & ((1 << e) - 1);
        int man = c & ((1 << m) - 1);
        int maxExp = (1 << e) - 1;
        if (kind == Kind.IEEE && exp == maxExp) {
            return man == 0 ? (sign == 1 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.NaN;
        }
        if (kind == Kind.FN && exp == maxExp && man == (1 << m) - 1) {
            return Double.NaN;
        }
        if (kind == Kind.FNUZ && sign == 1 && exp == 0 && man == 0) {
            return Double.NaN;
        }
        double mag = exp == 0
                ? Math.scalb((double) man, 1 - bias - m)
                : Math.scalb((double) ((1 << m) | man), exp - bias - m);
        return sign == 1 ? -mag : mag;
    }

    /** Whether the type is one of the narrow float formats. */
    static boolean isMiniFloat(ElementType t) {
        return FORMATS.containsKey(t);
    }

    /** The format of a narrow float type. */
    static MiniFloat of(ElementType t) {
        MiniFloat f = FORMATS.get(t);
        if (f == null) {
            throw new IllegalArgumentException(t.textName() + " is not an 8-bit float type");
        }
        return f;
    }

    /** The exact value of a code. */
    float decode(byte code) {
        return values[code & (codes - 1)];
    }

    /** The code nearest to {@code d}, ties to even; overflow gives infinity, NaN or the largest value as the format allows. */
    byte encode(double d) {
        boolean negative = d < 0 || (d == 0 && Double.doubleToRawLongBits(d) != 0);
        if (Double.isNaN(d)) {
            return nan(Double.doubleToRawLongBits(d) < 0);
        }
        if (kind == Kind.E8M0 && (negative && d != 0)) {
            return nan(false);
        }
        double a = Math.abs(d);
        int code;
        if (a >= overflowAt || Double.isInfinite(a)) {
            switch (kind) {
                case IEEE:
                    code = (((1 << exponentBits) - 1) << mantissaBits);
                    break;
                case NONE:
                    code = sortedCodes[sorted.length - 1];
                    break;
                default:
                    return nan(negative);
            }
        } else {
            code = nearest(a);
        }
        if (kind == Kind.E8M0) {
            return (byte) code;
        }
        if (negative && !(kind == Kind.FNUZ && code == 0)) {
            code |= 1 << (exponentBits + mantissaBits);
        }
        return (byte) code;
    }

    private byte nan(boolean negative) {
        switch (kind) {
            case IEEE: {
                int c = (((1 << exponentBits) - 1) << mantissaBits) | (1 << (mantissaBits - 1));
                return (byte) (negative ? c | (1 << (exponentBits + mantissaBits)) : c);
            }
            case FN:
                return (byte) (negative ? 0xFF : 0x7F);
            case FNUZ:
                return (byte) 0x80;
            case E8M0:
                return (byte) 0xFF;
            default:
                return 0; // f4e2m1fn has no NaN
        }
    }

    private int nearest(double a) {
        int lo = 0;
        int hi = sorted.length - 1;
        if (a >= sorted[hi]) {
            return sortedCodes[hi];
        }
        if (a <= sorted[0]) {
            return sortedCodes[0];
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= a) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double dl = a - sorted[lo];
        double dh = sorted[hi] - a;
        if (dl < dh) {
            return sortedCodes[lo];
        }
        if (dh < dl) {
            return sortedCodes[hi];
        }
        return (sortedCodes[lo] & 1) == 0 ? sortedCodes[lo] : sortedCodes[hi];
    }
}
