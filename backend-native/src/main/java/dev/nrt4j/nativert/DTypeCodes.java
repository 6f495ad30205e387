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
    /** Runtime 2.30 and later: the hardware codes ({@link DType#nrtCode()}). */
    CURRENT,
    /** Runtimes before 2.30: {@code UNKNOWN=0, FLOAT32=1, FLOAT16=2, BFLOAT16=3, INT8=4, ... UINT64=11}. */
    SEQUENTIAL;

    private static final DType[] SEQUENTIAL_CODES = {
        null, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8, DType.INT16, DType.UINT16,
        DType.INT32, DType.UINT32, DType.INT64, DType.UINT64,
    };

    /** The numbering a runtime of this version reports. */
    static DTypeCodes of(RuntimeVersion version) {
        return version.atLeast(2, 30) ? CURRENT : SEQUENTIAL;
    }

    /** The type with this raw code, or empty (unknown, including {@code NRT_DTYPE_UNKNOWN}). */
    Optional<DType> decode(int raw) {
        if (this == CURRENT) {
            return DType.fromNrtCode(raw).filter(t -> raw != 0);
        }
        return raw > 0 && raw < SEQUENTIAL_CODES.length ? Optional.of(SEQUENTIAL_CODES[raw]) : Optional.empty();
    }
}
