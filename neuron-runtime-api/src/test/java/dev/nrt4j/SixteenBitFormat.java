package dev.nrt4j;

import java.math.BigDecimal;

/**
 * A test oracle for the 16-bit float formats, written from the IEEE 754 definitions and sharing no
 * code or bit tricks with {@link BFloat16} and {@link Float16}: values come from the fields through
 * {@link Math#scalb}, and rounding is decided by exact {@link BigDecimal} distances to the
 * neighbouring representable values.
 */
final class SixteenBitFormat {
    static final SixteenBitFormat BFLOAT16 = new SixteenBitFormat("bf16", 8, 7);
    static final SixteenBitFormat FLOAT16 = new SixteenBitFormat("f16", 5, 10);

    final String name;
    final int exponentBits;
    final int mantissaBits;
    final int bias;
    final int maxExponentField;
    /** Bit pattern of positive infinity. */
    final int infinity;
    /** Bit pattern of the largest finite value. */
    final int maxFinite;
    /** The quiet bit of a NaN: the top mantissa bit. */
    final int quietBit;
    /** Values of the non-negative finite patterns 0..maxFinite, indexed by pattern. */
    private final double[] values;
    /** The magnitude from which IEEE rounding gives infinity: maxFinite plus half its ulp. */
    private final double overflowThreshold;

    private SixteenBitFormat(String name, int exponentBits, int mantissaBits) {
        this.name = name;
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
        this.bias = (1 << (exponentBits - 1)) - 1;
        this.maxExponentField = (1 << exponentBits) - 1;
        this.infinity = maxExponentField << mantissaBits;
        this.maxFinite = infinity - 1;
        this.quietBit = 1 << (mantissaBits - 1);
        this.values = new double[maxFinite + 1];
        for (int p = 0; p <= maxFinite; p++) {
            values[p] = decode(p);
        }
        int maxExponent = maxExponentField - 1 - bias;
        this.overflowThreshold = values[maxFinite] + Math.scalb(1.0, maxExponent - mantissaBits - 1);
    }

    /** The value of a 16-bit pattern, straight from its sign, exponent and mantissa fields. */
    double decode(int pattern) {
        int sign = (pattern >> 15) & 1;
        int exponent = (pattern >> mantissaBits) & maxExponentField;
        int mantissa = pattern & ((1 << mantissaBits) - 1);
        double magnitude;
        if (exponent == maxExponentField) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) mantissa, 1 - bias - mantissaBits);
        } else {
            magnitude = Math.scalb((double) ((1 << mantissaBits) + mantissa), exponent - bias - mantissaBits);
        }
        return sign == 0 ? magnitude : -magnitude;
    }

    boolean isNaN(int pattern) {
        return (pattern & 0x7FFF) > infinity;
    }

    /** Value of a non-negative finite pattern (a table lookup). */
    double value(int pattern) {
        return values[pattern];
    }

    /** The correctly rounded (nearest, ties to even) pattern for a non-NaN float. */
    int nearestEven(float f) {
        int sign = (Float.floatToRawIntBits(f) >>> 31) << 15;
        double magnitude = Math.abs((double) f);
        if (magnitude >= overflowThreshold) {
            return sign | infinity;
        }
        int lo = floorIndex(magnitude);
        if (values[lo] == magnitude) {
            return sign | lo;
        }
        BigDecimal x = new BigDecimal(magnitude);
        int hi = lo + 1;
        // hi == infinity is possible here (magnitude between maxFinite and the threshold) and is never
        // nearer, so treat its distance as unbounded.
        int cmp = hi == infinity
                ? -1
                : x.subtract(new BigDecimal(values[lo])).compareTo(new BigDecimal(values[hi]).subtract(x));
        int chosen = cmp < 0 ? lo : cmp > 0 ? hi : ((lo & 1) == 0 ? lo : hi);
        return sign | chosen;
    }

    /** Largest pattern whose value is at most {@code magnitude} (which is below the threshold). */
    private int floorIndex(double magnitude) {
        int lo = 0;
        int hi = maxFinite;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (values[mid] <= magnitude) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        return name;
    }
}
