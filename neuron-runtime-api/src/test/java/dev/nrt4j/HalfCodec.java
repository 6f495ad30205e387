package dev.nrt4j;

import java.util.SplittableRandom;

/** The two 16-bit float codecs under test, each paired with its independent oracle. */
enum HalfCodec {
    BF16(SixteenBitFormat.BFLOAT16, 0, 254) {
        @Override
        int fromFloat(float f) {
            return BFloat16.fromFloat(f) & 0xFFFF;
        }

        @Override
        float toFloat(int pattern) {
            return BFloat16.toFloat((short) pattern);
        }
    },
    F16(SixteenBitFormat.FLOAT16, 127 - 27, 127 + 17) {
        @Override
        int fromFloat(float f) {
            return Float16.fromFloat(f) & 0xFFFF;
        }

        @Override
        float toFloat(int pattern) {
            return Float16.toFloat((short) pattern);
        }
    };

    final SixteenBitFormat format;
    /** Float biased exponents where this format has representable values or rounds to them. */
    private final int interestingExponentLo;

    private final int interestingExponentHi;

    HalfCodec(SixteenBitFormat format, int interestingExponentLo, int interestingExponentHi) {
        this.format = format;
        this.interestingExponentLo = interestingExponentLo;
        this.interestingExponentHi = interestingExponentHi;
    }

    /** The code under test, as an unsigned 16-bit pattern. */
    abstract int fromFloat(float f);

    /** The code under test. */
    abstract float toFloat(int pattern);

    /**
     * A float bit pattern drawn so that rounding is exercised everywhere: uniformly random bits (mostly
     * far outside the format's range), random values inside the range, and values within a few float
     * ulps of a midpoint between two neighbouring 16-bit values, where a wrong tie rule shows.
     */
    int sampleFloatBits(SplittableRandom random) {
        int sign = random.nextBoolean() ? 0x8000_0000 : 0;
        switch (random.nextInt(3)) {
            case 0:
                return random.nextInt();
            case 1: {
                int exponent = random.nextInt(interestingExponentLo, interestingExponentHi + 1);
                return sign | (exponent << 23) | random.nextInt(1 << 23);
            }
            default: {
                int lo = random.nextInt(format.maxFinite);
                double midpoint = (format.value(lo) + format.value(lo + 1)) / 2;
                int bits = Float.floatToRawIntBits((float) midpoint) + random.nextInt(-3, 4);
                return sign | bits;
            }
        }
    }
}
