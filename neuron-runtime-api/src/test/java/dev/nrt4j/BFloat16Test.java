package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-checked bfloat16 values, given as float bit patterns so the rounding position is visible. */
class BFloat16Test {

    @ParameterizedTest(name = "0x{0} -> {1}")
    @CsvSource({
        "3F800000, 0x3F80", // 1.0
        "3F808000, 0x3F80", // tie above an even mantissa stays
        "3F818000, 0x3F82", // tie above an odd mantissa goes up
        "3F808001, 0x3F81", // just over a tie
        "3F807FFF, 0x3F80", // just under a tie
        "3FFF8000, 0x4000", // the carry runs into the exponent: 1.99609375 ties up to 2.0
        "7F7F7FFF, 0x7F7F", // stays the largest finite bfloat16
        "7F7F8000, 0x7F80", // ties to the even side, which is infinity
        "FF7FFFFF, 0xFF80", // -Float.MAX_VALUE overflows to -inf
        "00008000, 0x0000", // tie between 0 and the smallest subnormal
        "00018000, 0x0002", // subnormal tie, odd side goes up
        "00010001, 0x0001",
        "807FFFFF, 0x8080", // the largest float subnormal rounds up to the smallest normal
        "7FC00000, 0x7FC0", // canonical NaN
        "7F800001, 0x7FC0", // signalling NaN with payload only in the dropped half
        "FFA00000, 0xFFE0", // signalling NaN keeps its top payload and gains the quiet bit
        "7F800000, 0x7F80",
        "FF800000, 0xFF80",
    })
    void roundsHandPickedBitPatterns(String floatBits, String expected) {
        float f = Float.intBitsToFloat(Integer.parseUnsignedInt(floatBits, 16));
        assertThat(BFloat16.fromFloat(f) & 0xFFFF).isEqualTo(Integer.decode(expected));
    }

    @Test
    void widensByPlacingTheBitsInTheUpperHalf() {
        assertThat(BFloat16.toFloat((short) 0x3F80)).isEqualTo(1.0f);
        assertThat(BFloat16.toFloat((short) 0xC040)).isEqualTo(-3.0f);
        assertThat(BFloat16.toFloat((short) 0x0001)).isEqualTo(0x1p-133f);
        assertThat(BFloat16.toFloat((short) 0x7F7F)).isEqualTo(0x1.FEp127f);
    }
}
