package dev.nrt4j.nativert;

import dev.nrt4j.DType;
import dev.nrt4j.nativert.binding.RuntimeVersion;
import java.util.Optional;

/**
 * Reads {@code nrt_dtype_t} values, whose numbering depends on the runtime: runtime 2.30 (SDK 2.28)
 * renumbered the enum to hardware codes (nrt-api.md section 3.4); older runtimes used a sequential
 * enum. A value neither numbering knows is kept raw by the caller. Immutable and thread-safe.
 */
enum DTypeCodes {
    /** Runtime 2.30 and later: the hardware codes (nrt-api.md section 3.4). */
    CURRENT,
    /** Runtimes before 2.30: {@code UNKNOWN=0, FLOAT32=1, FLOAT16=2, BFLOAT16=3, INT8=4, ... UINT64=11}. */
    SEQUENTIAL;

    /** Runtime 2.30's codes, indexed by code; null where libnrt has no type nrt4j knows. */
    private static final DType[] CURRENT_CODES = new DType[0x10];

    static {
        CURRENT_CODES[0x1] = DType.UINT64;
        CURRENT_CODES[0x2] = DType.INT8;
        CURRENT_CODES[0x3] = DType.UINT8;
        CURRENT_CODES[0x4] = DType.INT16;
        CURRENT_CODES[0x5] = DType.UINT16;
        CURRENT_CODES[0x6] = DType.BFLOAT16;
        CURRENT_CODES[0x7] = DType.FLOAT16;
        CURRENT_CODES[0x8] = DType.INT32;
        CURRENT_CODES[0x9] = DType.UINT32;
        CURRENT_CODES[0xA] = DType.FLOAT32;
        CURRENT_CODES[0xB] = DType.FP32R;
        CURRENT_CODES[0xC] = DType.INT64;
        CURRENT_CODES[0xD] = DType.FP8_E3M4;
        CURRENT_CODES[0xE] = DType.FP8_E4M3;
        CURRENT_CODES[0xF] = DType.FP8_E5M2;
    }

    private static final DType[] SEQUENTIAL_CODES = {
        null,
        DType.FLOAT32,
        DType.FLOAT16,
        DType.BFLOAT16,
        DType.INT8,
        DType.UINT8,
        DType.INT16,
        DType.UINT16,
        DType.INT32,
        DType.UINT32,
        DType.INT64,
        DType.UINT64,
    };

    /** The numbering a runtime of this version reports. */
    static DTypeCodes of(RuntimeVersion version) {
        return version.atLeast(2, 30) ? CURRENT : SEQUENTIAL;
    }

    /** The type with this raw code, or empty (unknown, including {@code NRT_DTYPE_UNKNOWN}). */
    Optional<DType> decode(int raw) {
        DType[] codes = this == CURRENT ? CURRENT_CODES : SEQUENTIAL_CODES;
        // 0 is NRT_DTYPE_UNKNOWN in both numberings.
        return raw > 0 && raw < codes.length ? Optional.ofNullable(codes[raw]) : Optional.empty();
    }
}
