package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.Shape;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.nativert.binding.RawTensorInfo;
import dev.nrt4j.nativert.binding.RuntimeVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

class DTypeCodesTest {
    private static RuntimeVersion v(long major, long minor) {
        return new RuntimeVersion(major, minor, 0, 0, "", "");
    }

    @Test
    void theNumberingFollowsTheRuntimeVersion() {
        assertThat(DTypeCodes.of(v(2, 30))).isEqualTo(DTypeCodes.CURRENT);
        assertThat(DTypeCodes.of(v(2, 34))).isEqualTo(DTypeCodes.CURRENT);
        assertThat(DTypeCodes.of(v(3, 0))).isEqualTo(DTypeCodes.CURRENT);
        assertThat(DTypeCodes.of(v(2, 29))).isEqualTo(DTypeCodes.SEQUENTIAL);
    }

    @Test
    void theSameNumberMeansDifferentTypesInTheTwoNumberings() {
        assertThat(DTypeCodes.CURRENT.decode(0xA)).hasValue(DType.FLOAT32);
        assertThat(DTypeCodes.CURRENT.decode(1)).hasValue(DType.UINT64);
        assertThat(DTypeCodes.CURRENT.decode(6)).hasValue(DType.BFLOAT16);
        assertThat(DTypeCodes.SEQUENTIAL.decode(1)).hasValue(DType.FLOAT32);
        assertThat(DTypeCodes.SEQUENTIAL.decode(3)).hasValue(DType.BFLOAT16);
        assertThat(DTypeCodes.SEQUENTIAL.decode(11)).hasValue(DType.UINT64);
    }

    /** Every code of runtime 2.30's numbering (nrt-api.md section 3.4), and the types no code names. */
    @Test
    void theCurrentNumberingNamesEveryLibnrtType() {
        java.util.Map<Integer, DType> table = java.util.Map.ofEntries(
                java.util.Map.entry(0x1, DType.UINT64),
                java.util.Map.entry(0x2, DType.INT8),
                java.util.Map.entry(0x3, DType.UINT8),
                java.util.Map.entry(0x4, DType.INT16),
                java.util.Map.entry(0x5, DType.UINT16),
                java.util.Map.entry(0x6, DType.BFLOAT16),
                java.util.Map.entry(0x7, DType.FLOAT16),
                java.util.Map.entry(0x8, DType.INT32),
                java.util.Map.entry(0x9, DType.UINT32),
                java.util.Map.entry(0xA, DType.FLOAT32),
                java.util.Map.entry(0xB, DType.FP32R),
                java.util.Map.entry(0xC, DType.INT64),
                java.util.Map.entry(0xD, DType.FP8_E3M4),
                java.util.Map.entry(0xE, DType.FP8_E4M3),
                java.util.Map.entry(0xF, DType.FP8_E5M2));
        for (int code = -2; code <= 0x11; code++) {
            assertThat(DTypeCodes.CURRENT.decode(code))
                    .as("code %#x", code)
                    .isEqualTo(java.util.Optional.ofNullable(table.get(code)));
        }
        assertThat(DTypeCodes.CURRENT.decode(Integer.MIN_VALUE)).isEmpty();
        assertThat(DTypeCodes.CURRENT.decode(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void unknownCodesDecodeToNothing() {
        assertThat(DTypeCodes.CURRENT.decode(0)).isEmpty();
        assertThat(DTypeCodes.CURRENT.decode(0x2A)).isEmpty();
        assertThat(DTypeCodes.SEQUENTIAL.decode(0)).isEmpty();
        assertThat(DTypeCodes.SEQUENTIAL.decode(12)).isEmpty();
        assertThat(DTypeCodes.SEQUENTIAL.decode(-1)).isEmpty();
    }

    @Test
    void signaturesTakeSizesFromTheRuntimeAndShowUnknownOrInconsistentTypesAsBytes() {
        ModelSignature s = NativeModel.signatureOf(
                List.of(
                        new RawTensorInfo("input0", LibNrt.USAGE_INPUT, 24, 0xA, new long[] {2, 3}),
                        new RawTensorInfo("input1", LibNrt.USAGE_INPUT, 16, 0x2A, new long[] {4, 4}),
                        new RawTensorInfo("output0", LibNrt.USAGE_OUTPUT, 4, 0xA, new long[] {4})),
                DTypeCodes.CURRENT);
        assertThat(s.inputs().get(0).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(s.inputs().get(1).dtype()).isEqualTo(DType.UINT8);
        assertThat(s.inputs().get(1).shape()).isEqualTo(Shape.of(4, 4));
        assertThat(s.inputs().get(1).byteSize()).isEqualTo(16);
        // 4 elements of f32 would be 16 bytes, the runtime says 4: the size wins, the dtype is not trusted.
        assertThat(s.outputs().get(0).dtype()).isEqualTo(DType.UINT8);
        assertThat(s.outputs().get(0).byteSize()).isEqualTo(4);
    }
}
