package dev.nrt4j;

import java.util.Locale;

/**
 * Element types of tensors: every {@code nrt_dtype_t} of libnrt, plus {@link #PRED} (HLO's boolean,
 * one byte holding 0 or 1) and {@link #FLOAT64} (HLO's f64, which the reference device computes
 * with but no NeuronCore stores).
 *
 * <p>Each constant knows its size in bytes and its HLO name ({@code f32}, {@code bf16}, {@code s8} …);
 * libnrt's numbers for them, which changed with runtime 2.30, are the native backend's business. Data
 * is always little-endian. Conversions between {@code float} and the 16-bit floating
 * types are in {@link BFloat16} and {@link Float16}.
 *
 * <p>Immutable and thread-safe.
 */
public enum DType {
    /** 32-bit IEEE float. */
    FLOAT32("f32", 4),
    /** 16-bit IEEE float (binary16). */
    FLOAT16("f16", 2),
    /** bfloat16: the upper half of a 32-bit float. */
    BFLOAT16("bf16", 2),
    /** 8-bit float, 4 exponent and 3 mantissa bits. */
    FP8_E4M3("f8e4m3fn", 1),
    /** 8-bit float, 5 exponent and 2 mantissa bits. */
    FP8_E5M2("f8e5m2", 1),
    /** 8-bit float, 3 exponent and 4 mantissa bits. */
    FP8_E3M4("f8e3m4", 1),
    /** Signed 8-bit integer. */
    INT8("s8", 1),
    /** Unsigned 8-bit integer. */
    UINT8("u8", 1),
    /** Signed 16-bit integer. */
    INT16("s16", 2),
    /** Unsigned 16-bit integer. */
    UINT16("u16", 2),
    /** Signed 32-bit integer. */
    INT32("s32", 4),
    /** Unsigned 32-bit integer. */
    UINT32("u32", 4),
    /** Signed 64-bit integer. */
    INT64("s64", 8),
    /** Unsigned 64-bit integer. */
    UINT64("u64", 8),
    /** libnrt's fp32 "replicated" layout type: four bytes per element, stored as f32. */
    FP32R("fp32r", 4),
    /** A boolean: one byte, 0 or 1. Stored as {@code uint8} by libnrt. */
    PRED("pred", 1),
    /** 64-bit float; the reference device computes with it, NeuronCores have no such type. */
    FLOAT64("f64", 8);

    private final String hloName;
    private final int byteSize;

    DType(String hloName, int byteSize) {
        this.hloName = hloName;
        this.byteSize = byteSize;
    }

    /** {@return the size of one element in bytes: 1, 2, 4 or 8} */
    public int byteSize() {
        return byteSize;
    }

    /** {@return the element type's name in HLO text, e.g. {@code f32}, {@code bf16}, {@code pred}} */
    public String hloName() {
        return hloName;
    }

    /** {@return whether elements are floating-point numbers (including the 8-bit and {@code fp32r} types)} */
    public boolean isFloatingPoint() {
        switch (this) {
            case FLOAT32:
            case FLOAT16:
            case BFLOAT16:
            case FP8_E4M3:
            case FP8_E5M2:
            case FP8_E3M4:
            case FP32R:
            case FLOAT64:
                return true;
            default:
                return false;
        }
    }

    /** {@return whether elements are signed integers} */
    public boolean isSignedInteger() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    /** {@return whether elements are unsigned integers ({@link #PRED} is not one)} */
    public boolean isUnsignedInteger() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }

    /**
     * The type with the given HLO name ({@code f32}, {@code s8}, {@code pred} …; case-insensitive).
     *
     * @param name the HLO element type name; not null
     * @return the matching type
     * @throws IllegalArgumentException naming the known types, when there is none
     */
    public static DType fromHloName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (DType t : values()) {
            if (t.hloName.equals(wanted)) {
                return t;
            }
        }
        StringBuilder known = new StringBuilder();
        for (DType t : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(t.hloName);
        }
        throw new IllegalArgumentException("unknown element type '" + name + "'; known: " + known);
    }
}
