package dev.nrt4j.hlo.proto;

import com.google.protobuf.ByteString;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where a {@code LiteralProto} keeps the elements of each element type, and how they map to the
 * IR's little-endian bytes in both directions. XLA gives every array type a field of its own: typed
 * repeated fields for pred, 32- and 64-bit integers, f32, f64 and complex (real and imaginary parts
 * interleaved); byte strings, already little-endian, for everything else, one element per byte
 * below 16 bits.
 *
 * <p>Counts are in the field's own units ({@link #unit()}) so that messages can say what was found.
 */
enum LiteralField {
    PREDS(ElementType.PRED, "preds", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getPredsCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getPredsCount(); i++) {
                out.put((byte) (l.getPreds(i) ? 1 : 0));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                int position = in.position();
                byte b = in.get();
                // preds is repeated bool: any other byte would read back as 1.
                if (b != 0 && b != 1) {
                    throw new IllegalArgumentException("pred element " + position + " is " + b + ", not 0 or 1");
                }
                out.addPreds(b == 1);
            }
        }
    },
    S32S(ElementType.S32, "s32s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getS32SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getS32SCount(); i++) {
                out.putInt(l.getS32S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addS32S(in.getInt());
            }
        }
    },
    U32S(ElementType.U32, "u32s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getU32SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getU32SCount(); i++) {
                out.putInt(l.getU32S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addU32S(in.getInt());
            }
        }
    },
    S64S(ElementType.S64, "s64s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getS64SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getS64SCount(); i++) {
                out.putLong(l.getS64S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addS64S(in.getLong());
            }
        }
    },
    U64S(ElementType.U64, "u64s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getU64SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getU64SCount(); i++) {
                out.putLong(l.getU64S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addU64S(in.getLong());
            }
        }
    },
    F32S(ElementType.F32, "f32s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getF32SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getF32SCount(); i++) {
                out.putFloat(l.getF32S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addF32S(in.getFloat());
            }
        }
    },
    F64S(ElementType.F64, "f64s", 1) {
        @Override
        int count(LiteralProto l) {
            return l.getF64SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getF64SCount(); i++) {
                out.putDouble(l.getF64S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addF64S(in.getDouble());
            }
        }
    },
    C64S(ElementType.C64, "c64s (real and imaginary parts)", 2) {
        @Override
        int count(LiteralProto l) {
            return l.getC64SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getC64SCount(); i++) {
                out.putFloat(l.getC64S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addC64S(in.getFloat());
            }
        }
    },
    C128S(ElementType.C128, "c128s (real and imaginary parts)", 2) {
        @Override
        int count(LiteralProto l) {
            return l.getC128SCount();
        }

        @Override
        void decode(LiteralProto l, ByteBuffer out) {
            for (int i = 0; i < l.getC128SCount(); i++) {
                out.putDouble(l.getC128S(i));
            }
        }

        @Override
        void encode(ByteBuffer in, LiteralProto.Builder out) {
            while (in.hasRemaining()) {
                out.addC128S(in.getDouble());
            }
        }
    },
    S8S(ElementType.S8, "s8s", LiteralProto::getS8S, LiteralProto.Builder::setS8S),
    U8S(ElementType.U8, "u8s", LiteralProto::getU8S, LiteralProto.Builder::setU8S),
    S16S(ElementType.S16, "s16s", LiteralProto::getS16S, LiteralProto.Builder::setS16S),
    U16S(ElementType.U16, "u16s", LiteralProto::getU16S, LiteralProto.Builder::setU16S),
    F16S(ElementType.F16, "f16s", LiteralProto::getF16S, LiteralProto.Builder::setF16S),
    BF16S(ElementType.BF16, "bf16s", LiteralProto::getBf16S, LiteralProto.Builder::setBf16S),
    F8E5M2S(ElementType.F8E5M2, "f8e5m2s", LiteralProto::getF8E5M2S, LiteralProto.Builder::setF8E5M2S),
    F8E4M3FNS(ElementType.F8E4M3FN, "f8e4m3fns", LiteralProto::getF8E4M3Fns, LiteralProto.Builder::setF8E4M3Fns),
    F8E4M3B11FNUZS(
            ElementType.F8E4M3B11FNUZ,
            "f8e4m3b11fnuzs",
            LiteralProto::getF8E4M3B11Fnuzs,
            LiteralProto.Builder::setF8E4M3B11Fnuzs),
    F8E5M2FNUZS(
            ElementType.F8E5M2FNUZ, "f8e5m2fnuzs", LiteralProto::getF8E5M2Fnuzs, LiteralProto.Builder::setF8E5M2Fnuzs),
    F8E4M3FNUZS(
            ElementType.F8E4M3FNUZ, "f8e4m3fnuzs", LiteralProto::getF8E4M3Fnuzs, LiteralProto.Builder::setF8E4M3Fnuzs),
    F8E4M3S(ElementType.F8E4M3, "f8e4m3s", LiteralProto::getF8E4M3S, LiteralProto.Builder::setF8E4M3S),
    F8E3M4S(ElementType.F8E3M4, "f8e3m4s", LiteralProto::getF8E3M4S, LiteralProto.Builder::setF8E3M4S),
    F8E8M0FNUS(ElementType.F8E8M0FNU, "f8e8m0fnus", LiteralProto::getF8E8M0Fnus, LiteralProto.Builder::setF8E8M0Fnus),
    F4E2M1FNS(ElementType.F4E2M1FN, "f4e2m1fns", LiteralProto::getF4E2M1Fns, LiteralProto.Builder::setF4E2M1Fns),
    S4S(ElementType.S4, "s4s", LiteralProto::getS4S, LiteralProto.Builder::setS4S),
    U4S(ElementType.U4, "u4s", LiteralProto::getU4S, LiteralProto.Builder::setU4S),
    S2S(ElementType.S2, "s2s", LiteralProto::getS2S, LiteralProto.Builder::setS2S),
    U2S(ElementType.U2, "u2s", LiteralProto::getU2S, LiteralProto.Builder::setU2S),
    S1S(ElementType.S1, "s1s", LiteralProto::getS1S, LiteralProto.Builder::setS1S),
    U1S(ElementType.U1, "u1s", LiteralProto::getU1S, LiteralProto.Builder::setU1S);

    private static final Map<ElementType, LiteralField> BY_TYPE = new EnumMap<>(ElementType.class);

    static {
        for (LiteralField f : values()) {
            BY_TYPE.put(f.type, f);
        }
    }

    private final ElementType type;
    private final String name;
    private final int perElement;
    private final Function<LiteralProto, ByteString> bytes;
    private final BiConsumer<LiteralProto.Builder, ByteString> setBytes;

    /** A typed repeated field holding {@code perElement} values per element. */
    LiteralField(ElementType type, String name, int perElement) {
        this(type, name, perElement, null, null);
    }

    /** A byte-string field holding the elements little-endian as they are. */
    LiteralField(
            ElementType type,
            String name,
            Function<LiteralProto, ByteString> bytes,
            BiConsumer<LiteralProto.Builder, ByteString> setBytes) {
        this(type, name, type.byteSize(), bytes, setBytes);
    }

    private LiteralField(
            ElementType type,
            String name,
            int perElement,
            Function<LiteralProto, ByteString> bytes,
            BiConsumer<LiteralProto.Builder, ByteString> setBytes) {
        this.type = type;
        this.name = name;
        this.perElement = perElement;
        this.bytes = bytes;
        this.setBytes = setBytes;
    }

    /**
     * The field of an array element type.
     *
     * @throws IllegalArgumentException for tuple, token and opaque, which hold no array data
     */
    static LiteralField of(ElementType type) {
        LiteralField f = BY_TYPE.get(type);
        if (f == null) {
            throw new IllegalArgumentException("literals of element type " + type.textName() + " have no array data");
        }
        return f;
    }

    /** The field's name as messages give it, e.g. {@code f32s}. */
    String fieldName() {
        return name;
    }

    /** What {@link #count} counts: {@code bytes} for byte strings, else {@code values}. */
    String unit() {
        return bytes != null ? "bytes" : "values";
    }

    /** Whether the field is a byte string (whose sub-byte types XLA may also write packed). */
    boolean isByteString() {
        return bytes != null;
    }

    /** How many units {@code elements} elements take. */
    long needed(long elements) {
        return elements * perElement;
    }

    /** Units present in {@code l}. */
    int count(LiteralProto l) {
        return bytes.apply(l).size();
    }

    /** Appends the field's content to {@code out} (little-endian, room for {@link #count} units). */
    void decode(LiteralProto l, ByteBuffer out) {
        bytes.apply(l).copyTo(out);
    }

    /**
     * Sets the field from little-endian elements.
     *
     * @throws IllegalArgumentException for bytes the field cannot hold (a pred other than 0 or 1)
     */
    void encode(ByteBuffer in, LiteralProto.Builder out) {
        setBytes.accept(out, ByteString.copyFrom(in));
    }

    /** A little-endian buffer, as both directions use. */
    static ByteBuffer littleEndian(byte[] array) {
        return ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
    }
}
