package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DTypeTest {

    /** Size and HLO name of every type. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "FLOAT32, f32, 4",
        "FLOAT16, f16, 2",
        "BFLOAT16, bf16, 2",
        "FP8_E4M3, f8e4m3fn, 1",
        "FP8_E5M2, f8e5m2, 1",
        "FP8_E3M4, f8e3m4, 1",
        "INT8, s8, 1",
        "UINT8, u8, 1",
        "INT16, s16, 2",
        "UINT16, u16, 2",
        "INT32, s32, 4",
        "UINT32, u32, 4",
        "INT64, s64, 8",
        "UINT64, u64, 8",
        "FP32R, fp32r, 4",
        "PRED, pred, 1",
        "FLOAT64, f64, 8",
    })
    void describesEachType(DType type, String hloName, int bytes) {
        assertThat(type.hloName()).isEqualTo(hloName);
        assertThat(type.byteSize()).isEqualTo(bytes);
        assertThat(DType.fromHloName(hloName)).isSameAs(type);
    }

    @Test
    void theTableAboveCoversEveryConstant() {
        assertThat(DType.values()).hasSize(17);
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
                .withMessageContaining(String.join(
                        ", ", Arrays.stream(DType.values()).map(DType::hloName).toArray(String[]::new)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void eachTypeIsInExactlyOneFamilyExceptPred(DType type) {
        int families = (type.isFloatingPoint() ? 1 : 0)
                + (type.isSignedInteger() ? 1 : 0)
                + (type.isUnsignedInteger() ? 1 : 0);
        assertThat(families).isEqualTo(type == DType.PRED ? 0 : 1);
        assertThat(type.isFloatingPoint()).isEqualTo(type.hloName().matches("b?f.*"));
        assertThat(type.isSignedInteger()).isEqualTo(type.hloName().startsWith("s"));
        assertThat(type.isUnsignedInteger()).isEqualTo(type.hloName().startsWith("u"));
    }
}
