package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exhaustive and sampled checks of {@link BFloat16} and {@link Float16} against {@link SixteenBitFormat},
 * an oracle built from the IEEE definitions. Loops collect the first few mismatches instead of asserting
 * per element, so a failure names concrete bit patterns and the run stays fast.
 */
class HalfFloatConversionTest {
    private static final int MAX_REPORTED = 20;
    private static final int RANDOM_SAMPLES = 400_000;

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void oracleValuesAreStrictlyIncreasingAndExactFloats(HalfCodec codec) {
        // The other tests lean on these two properties of the oracle table: that a pattern's order is
        // its value's order, and that every value survives the trip through float.
        SixteenBitFormat format = codec.format;
        List<String> problems = new ArrayList<>();
        for (int p = 0; p <= format.maxFinite; p++) {
            double v = format.value(p);
            if (p > 0 && !(v > format.value(p - 1))) {
                report(problems, "not increasing at 0x%04x", p);
            }
            if ((double) (float) v != v) {
                report(problems, "0x%04x = %s is not a float", p, v);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(format.value(format.maxFinite)).isEqualTo(codec == HalfCodec.F16 ? 65504.0 : 0x1.FEp127);
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void toFloatMatchesTheFieldDecodingForEveryPattern(HalfCodec codec) {
        SixteenBitFormat format = codec.format;
        List<String> problems = new ArrayList<>();
        for (int p = 0; p <= 0xFFFF; p++) {
            float actual = codec.toFloat(p);
            double expected = format.decode(p);
            int actualBits = Float.floatToRawIntBits(actual);
            if (format.isNaN(p)) {
                int payload = p & (format.quietBit * 2 - 1);
                boolean ok = Float.isNaN(actual)
                        && (actualBits >>> 31) == (p >>> 15)
                        && (actualBits & 0x007F_FFFF) >>> (23 - format.mantissaBits) == payload;
                if (!ok) {
                    report(problems, "0x%04x -> 0x%08x, want NaN with the same sign and payload", p, actualBits);
                }
            } else if (actualBits != Float.floatToRawIntBits((float) expected) || (double) actual != expected) {
                report(problems, "0x%04x -> %s (0x%08x), want %s", p, actual, actualBits, expected);
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void everyPatternSurvivesTheRoundTripAndNaNsBecomeQuiet(HalfCodec codec) {
        SixteenBitFormat format = codec.format;
        List<String> problems = new ArrayList<>();
        for (int p = 0; p <= 0xFFFF; p++) {
            int back = codec.fromFloat(codec.toFloat(p));
            // A NaN keeps sign and payload; only the quiet bit may be added.
            int expected = format.isNaN(p) ? p | format.quietBit : p;
            if (back != expected) {
                report(problems, "0x%04x -> 0x%04x, want 0x%04x", p, back, expected);
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void midpointsTieToEvenAndTheirFloatNeighboursRoundToTheNearerValue(HalfCodec codec) {
        SixteenBitFormat format = codec.format;
        List<String> problems = new ArrayList<>();
        for (int lo = 0; lo <= format.maxFinite; lo++) {
            int hi = lo + 1;
            // Past the largest finite value IEEE rounds as if the exponent range went on: the value
            // one ulp above it sits where infinity's pattern is, and its mantissa is even.
            double hiValue = hi == format.infinity
                    ? format.value(lo) + (format.value(lo) - format.value(lo - 1))
                    : format.value(hi);
            double midpoint = (format.value(lo) + hiValue) / 2;
            float mid = (float) midpoint;
            if ((double) mid != midpoint) {
                report(problems, "midpoint of 0x%04x and 0x%04x is not a float", lo, hi);
                continue;
            }
            int even = (lo & 1) == 0 ? lo : hi;
            for (int sign : new int[] {0, 0x8000}) {
                float m = sign == 0 ? mid : -mid;
                check(problems, codec, m, sign | even);
                check(problems, codec, Math.nextDown(Math.abs(m)) * Math.signum(m), sign | lo);
                check(problems, codec, Math.nextUp(Math.abs(m)) * Math.signum(m), sign | hi);
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void seededRandomFloatsRoundAsTheExactOracleSays(HalfCodec codec) {
        SplittableRandom random = new SplittableRandom(0x6E72_7434L + codec.ordinal());
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < RANDOM_SAMPLES; i++) {
            float f = Float.intBitsToFloat(codec.sampleFloatBits(random));
            if (Float.isNaN(f)) {
                continue;
            }
            checked++;
            check(problems, codec, f, codec.format.nearestEven(f));
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("non-NaN samples").isGreaterThan(RANDOM_SAMPLES * 9 / 10);
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void nanInputsStayNaNWithSignTopPayloadAndQuietBit(HalfCodec codec) {
        SixteenBitFormat format = codec.format;
        int dropped = 23 - format.mantissaBits;
        SplittableRandom random = new SplittableRandom(42);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            // Every second sample has a payload only in the bits that are dropped: truncation alone
            // would turn those into infinity.
            int payload = i % 2 == 0 ? random.nextInt(1, 1 << dropped) : random.nextInt(1, 1 << 23);
            int bits = (random.nextBoolean() ? 0xFF80_0000 : 0x7F80_0000) | payload;
            int expected = (bits >>> 16 & 0x8000) | format.infinity | format.quietBit | (payload >>> dropped);
            int actual = codec.fromFloat(Float.intBitsToFloat(bits));
            if (actual != expected) {
                report(problems, "float 0x%08x -> 0x%04x, want 0x%04x", bits, actual, expected);
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HalfCodec.class)
    void zerosInfinitiesAndFloatSubnormalsKeepTheirSign(HalfCodec codec) {
        int inf = codec.format.infinity;
        assertThat(codec.fromFloat(0.0f)).isEqualTo(0);
        assertThat(codec.fromFloat(-0.0f)).isEqualTo(0x8000);
        assertThat(codec.fromFloat(Float.POSITIVE_INFINITY)).isEqualTo(inf);
        assertThat(codec.fromFloat(Float.NEGATIVE_INFINITY)).isEqualTo(0x8000 | inf);
        assertThat(codec.fromFloat(Float.MAX_VALUE)).isEqualTo(inf);
        assertThat(codec.fromFloat(-Float.MAX_VALUE)).isEqualTo(0x8000 | inf);
        assertThat(codec.fromFloat(Float.MIN_VALUE)).isEqualTo(0);
        assertThat(codec.fromFloat(-Float.MIN_VALUE)).isEqualTo(0x8000);
        assertThat(Float.floatToRawIntBits(codec.toFloat(0x8000))).isEqualTo(0x8000_0000);
        assertThat(codec.toFloat(inf)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(codec.toFloat(0x8000 | inf)).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    private static void check(List<String> problems, HalfCodec codec, float f, int expected) {
        int actual = codec.fromFloat(f);
        if (actual != expected) {
            report(problems, "%s (0x%08x) -> 0x%04x, want 0x%04x", f, Float.floatToRawIntBits(f), actual, expected);
        }
    }

    private static void report(List<String> problems, String format, Object... args) {
        if (problems.size() < MAX_REPORTED) {
            problems.add(String.format(format, args));
        }
    }
}
