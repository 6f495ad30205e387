package dev.nrt4j.hlo;

import dev.nrt4j.DType;
import java.util.Locale;
import java.util.Optional;

/**
 * XLA's element types ({@code PrimitiveType} in {@code xla_data.proto}), with the number the proto
 * uses, the name HLO text uses, and the bytes one element takes in a literal. Sub-byte types are
 * stored one element per byte. Immutable and thread-safe.
 */
public enum ElementType {
    PRED(1, "pred", 1),
    S8(2, "s8", 1),
    S16(3, "s16", 2),
    S32(4, "s32", 4),
    S64(5, "s64", 8),
    U8(6, "u8", 1),
    U16(7, "u16", 2),
    U32(8, "u32", 4),
    U64(9, "u64", 8),
    F16(10, "f16", 2),
    F32(11, "f32", 4),
    F64(12, "f64", 8),
    /** Not an element type of arrays: the type of a tuple shape. */
    TUPLE(13, "tuple", 0),
    /** An opaque handle. */
    OPAQUE(14, "opaque", 0),
    C64(15, "c64", 8),
    BF16(16, "bf16", 2),
    /** The type of a token shape (ordering of side effects). */
    TOKEN(17, "token", 0),
    C128(18, "c128", 16),
    F8E5M2(19, "f8e5m2", 1),
    F8E4M3FN(20, "f8e4m3fn", 1),
    S4(21, "s4", 1),
    U4(22, "u4", 1),
    F8E4M3B11FNUZ(23, "f8e4m3b11fnuz", 1),
    F8E5M2FNUZ(24, "f8e5m2fnuz", 1),
    F8E4M3FNUZ(25, "f8e4m3fnuz", 1),
    S2(26, "s2", 1),
    U2(27, "u2", 1),
    F8E4M3(28, "f8e4m3", 1),
    F8E3M4(29, "f8e3m4", 1),
    S1(30, "s1", 1),
    U1(31, "u1", 1),
    F4E2M1FN(32, "f4e2m1fn", 1),
    F8E8M0FNU(33, "f8e8m0fnu", 1);

    private final int protoNumber;
    private final String textName;
    private final int byteSize;

    ElementType(int protoNumber, String textName, int byteSize) {
        this.protoNumber = protoNumber;
        this.textName = textName;
        this.byteSize = byteSize;
    }

    /** The {@code PrimitiveType} number in {@code xla_data.proto}. */
    public int protoNumber() {
        return protoNumber;
    }

    /** The name in HLO text, e.g. {@code f32}. */
    public String textName() {
        return textName;
    }

    /** Bytes per element in a literal (0 for tuple, token and opaque). */
    public int byteSize() {
        return byteSize;
    }

    /** Whether arrays can have this element type (everything but tuple, token and opaque). */
    public boolean isArrayType() {
        return byteSize > 0;
    }

    /** Whether it is a floating-point type (complex types are not). */
    public boolean isFloatingPoint() {
        switch (this) {
            case F16:
            case F32:
            case F64:
            case BF16:
            case F8E5M2:
            case F8E4M3FN:
            case F8E4M3B11FNUZ:
            case F8E5M2FNUZ:
            case F8E4M3FNUZ:
            case F8E4M3:
            case F8E3M4:
            case F4E2M1FN:
            case F8E8M0FNU:
                return true;
            default:
                return false;
        }
    }

    /** Whether it is a signed integer type. */
    public boolean isSignedInteger() {
        return this == S8 || this == S16 || this == S32 || this == S64 || this == S4 || this == S2 || this == S1;
    }

    /** Whether it is an unsigned integer type. */
    public boolean isUnsignedInteger() {
        return this == U8 || this == U16 || this == U32 || this == U64 || this == U4 || this == U2 || this == U1;
    }

    /** Whether it is a complex type. */
    public boolean isComplex() {
        return this == C64 || this == C128;
    }

    /** The API's element type for tensors of this type, if the API has one. */
    public Optional<DType> toDType() {
        switch (this) {
            case PRED:
                return Optional.of(DType.PRED);
            case S8:
                return Optional.of(DType.INT8);
            case S16:
                return Optional.of(DType.INT16);
            case S32:
                return Optional.of(DType.INT32);
            case S64:
                return Optional.of(DType.INT64);
            case U8:
                return Optional.of(DType.UINT8);
            case U16:
                return Optional.of(DType.UINT16);
            case U32:
                return Optional.of(DType.UINT32);
            case U64:
                return Optional.of(DType.UINT64);
            case F16:
                return Optional.of(DType.FLOAT16);
            case BF16:
                return Optional.of(DType.BFLOAT16);
            case F32:
                return Optional.of(DType.FLOAT32);
            case F64:
                return Optional.of(DType.FLOAT64);
            case F8E5M2:
                return Optional.of(DType.FP8_E5M2);
            case F8E4M3FN:
                return Optional.of(DType.FP8_E4M3);
            case F8E3M4:
                return Optional.of(DType.FP8_E3M4);
            default:
                return Optional.empty();
        }
    }

    /** The type with this {@code PrimitiveType} number, if any. */
    public static Optional<ElementType> fromProtoNumber(int number) {
        for (ElementType t : values()) {
            if (t.protoNumber == number) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The type with this HLO text name (case-insensitive), if any. */
    public static Optional<ElementType> fromTextName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (ElementType t : values()) {
            if (t.textName.equals(wanted)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
