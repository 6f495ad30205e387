package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DTypeTest {

    /**
     * Size, HLO name and {@code nrt_dtype_t} of every type. The nrt codes are the current numbering
     * (runtime 2.30+, nrt-api.md §3.4); a blank code means libnrt has none.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "FLOAT32,  f32,      4, 0xA",
        "FLOAT16,  f16,      2, 0x7",
        "BFLOAT16, bf16,     2, 0x6",
        "FP8_E4M3, f8e4m3fn, 1, 0xE",
        "FP8_E5M2, f8e5m2,   1, 0xF",
        "FP8_E3M4, f8e3m4,   1, 0xD",
        "INT8,     s8,       1, 0x2",
        "UINT8,    u8,       1, 0x3",
        "INT16,    s16,      2, 0x4",
        "UINT16,   u16,      2, 0x5",
        "INT32,    s32,      4, 0x8",
        "UINT32,   u32,      4, 0x9",
        "INT64,    s64,      8, 0xC",
        "UINT64,   u64,      8, 0x1",
        "FP32R,    fp32r,    4, 0xB",
        "PRED,     pred,     1,",
        "FLOAT64,  f64,      8,",
    })
    void describesEachType(DType type, String hloName, int bytes, String nrtCode) {
        assertThat(type.hloName()).isEqualTo(hloName);
        assertThat(type.byteSize()).isEqualTo(bytes);
        Optional<Integer> code = nrtCode == null ? Optional.empty() : Optional.of(Integer.decode(nrtCode));
        assertThat(type.nrtCode()).isEqualTo(code);
        assertThat(DType.fromHloName(hloName)).isSameAs(type);
        code.ifPresent(c -> assertThat(DType.fromNrtCode(c)).contains(type));
    }

    @Test
    void theTableAboveCoversEveryConstant() {
        assertThat(DType.values()).hasSize(17);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -2, 0x10, 0x11, 255, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void numbersOutsideTheCurrentEnumHaveNoType(int code) {
        // 0 is NRT_DTYPE_UNKNOWN; -1 is the "no code" marker inside DType and must not leak out as PRED.
        assertThat(DType.fromNrtCode(code)).isEmpty();
    }

    @Test
    void theOldSequentialNumberingIsNotUsed() {
        // In the pre-2.30 numbering 1 was FLOAT32 and 3 BFLOAT16.
        assertThat(DType.fromNrtCode(1)).contains(DType.UINT64);
        assertThat(DType.fromNrtCode(3)).contains(DType.UINT8);
    }

    @Test
    void hloNamesAreCaseInsensitive() {
        assertThat(DType.fromHloName("BF16")).isSameAs(DType.BFLOAT16);
        assertThat(DType.fromHloName("F8E4M3FN")).isSameAs(DType.FP8_E4M3);
    }

    @Test
    void anUnknownHloNameListsTheKnownOnes() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DType.fromHloName("f128"))
                .withMessageContaining("'f128'")
                .withMessageContaining(String.join(", ",
                        Arrays.stream(DType.values()).map(DType::hloName).toArray(String[]::new)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void eachTypeIsInExactlyOneFamilyExceptPred(DType type) {
        int families = (type.isFloatingPoint() ? 1 : 0) + (type.isSignedInteger() ? 1 : 0)
                + (type.isUnsignedInteger() ? 1 : 0);
        assertThat(families).isEqualTo(type == DType.PRED ? 0 : 1);
        assertThat(type.isFloatingPoint()).isEqualTo(type.hloName().matches("b?f.*"));
        assertThat(type.isSignedInteger()).isEqualTo(type.hloName().startsWith("s"));
        assertThat(type.isUnsignedInteger()).isEqualTo(type.hloName().startsWith("u"));
    }
}
