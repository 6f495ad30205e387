package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-checked binary16 values, and, on JDK 20+, agreement with the JDK's own conversion. */
class Float16Test {
    private static final int JDK_SAMPLES = 4_000_000;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0x1p0, 0x3C00",
        "-0x1p1, 0xC000",
        "0.33333334, 0x3555", // 1/3: the dropped bits start 01..., so it rounds down
        "65504, 0x7BFF", // largest finite
        "65519.996, 0x7BFF", // just under the overflow midpoint
        "65520, 0x7C00", // the midpoint ties to the even side, which is infinity
        "-65520, 0xFC00",
        "0x1p-14, 0x0400", // smallest normal
        "0x1.ff8p-15, 0x03FF", // largest subnormal
        "0x1.ffcp-15, 0x0400", // tie between the largest subnormal and the smallest normal: even wins
        "0x1.ffbfep-15, 0x03FF", // just under that tie
        "0x1p-24, 0x0001", // smallest subnormal
        "0x1p-25, 0x0000", // tie between 0 and 2^-24: even is 0
        "0x1.000002p-25, 0x0001", // just over that tie
        "0x1.8p-24, 0x0002", // tie between 1 and 2 ulps: even is 2
        "0x1.4p-23, 0x0002", // 2.5 ulps ties down to 2
        "0x1p-26, 0x0000",
        "-0x1p-26, 0x8000",
        "0x1.002p0, 0x3C00", // tie above 1.0 goes down to the even mantissa
        "0x1.006p0, 0x3C02", // tie above an odd mantissa goes up
    })
    void roundsHandPickedValues(String value, String pattern) {
        float f = Float.parseFloat(value);
        assertThat(Float16.fromFloat(f) & 0xFFFF).isEqualTo(Integer.decode(pattern));
    }

    @Test
    void widensToExactValues() {
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat((short) 0x03FF)).isEqualTo(1023 * 0x1p-24f);
        assertThat(Float16.toFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(Float16.toFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(Float16.toFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0x1.554p-2f);
    }

    @Test
    void nanNeverBecomesInfinity() {
        // The payload sits only in the 13 bits that are dropped.
        assertThat(Float16.fromFloat(Float.intBitsToFloat(0x7F80_0001)) & 0xFFFF)
                .isEqualTo(0x7E00);
        assertThat(Float16.fromFloat(Float.intBitsToFloat(0xFF80_1FFF)) & 0xFFFF)
                .isEqualTo(0xFE00);
        assertThat(Float16.fromFloat(Float.NaN) & 0xFFFF).isEqualTo(0x7E00);
        assertThat(Float16.fromFloat(Float.intBitsToFloat(0x7FA0_2000)) & 0xFFFF)
                .isEqualTo(0x7F01);
    }

    @Test
    void agreesWithTheJdkConversionsOnJdk20AndLater() throws Throwable {
        int feature = Runtime.version().feature();
        assumeTrue(
                feature >= 20,
                () -> "Float.floatToFloat16/float16ToFloat need JDK 20+; this is JDK " + feature
                        + ", so the comparison with the JDK is skipped");
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodHandle toHalf =
                lookup.findStatic(Float.class, "floatToFloat16", MethodType.methodType(short.class, float.class));
        MethodHandle toFloat =
                lookup.findStatic(Float.class, "float16ToFloat", MethodType.methodType(float.class, short.class));
        List<String> problems = new ArrayList<>();

        for (int p = 0; p <= 0xFFFF; p++) {
            float mine = Float16.toFloat((short) p);
            float jdk = (float) toFloat.invokeExact((short) p);
            if (!sameResult(mine, jdk)) {
                report(problems, "toFloat(0x%04x) = %s, JDK %s", p, mine, jdk);
            }
            compareFromFloat(problems, toHalf, jdk);
        }
        SplittableRandom random = new SplittableRandom(20);
        for (int i = 0; i < JDK_SAMPLES; i++) {
            compareFromFloat(problems, toHalf, Float.intBitsToFloat(HalfCodec.F16.sampleFloatBits(random)));
        }
        assertThat(problems).isEmpty();
    }

    private static void compareFromFloat(List<String> problems, MethodHandle toHalf, float f) throws Throwable {
        short mine = Float16.fromFloat(f);
        short jdk = (short) toHalf.invokeExact(f);
        // The JDK picks a different NaN payload (it does not force the quiet bit); any NaN of the same
        // sign is a match.
        boolean ok = Float.isNaN(f)
                ? (mine & 0x7FFF) > 0x7C00 && (jdk & 0x7FFF) > 0x7C00 && (mine & 0x8000) == (jdk & 0x8000)
                : mine == jdk;
        if (!ok) {
            report(problems, "fromFloat(0x%08x) = 0x%04x, JDK 0x%04x", Float.floatToRawIntBits(f), mine, jdk);
        }
    }

    private static boolean sameResult(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            // The JIT may widen through hardware that quiets signalling NaNs, so only NaN-ness and sign
            // are compared.
            return Float.isNaN(a)
                    && Float.isNaN(b)
                    && (Float.floatToRawIntBits(a) < 0) == (Float.floatToRawIntBits(b) < 0);
        }
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    private static void report(List<String> problems, String format, Object... args) {
        if (problems.size() < 20) {
            problems.add(String.format(format, args));
        }
    }
}
