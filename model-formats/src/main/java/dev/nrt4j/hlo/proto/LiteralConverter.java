package dev.nrt4j.hlo.proto;

import com.google.protobuf.ByteString;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code LiteralProto} to {@link HloLiteral}: picks the field of the element type, checks its length
 * against the shape before allocating, encodes little-endian, and reorders from the literal's layout
 * into row-major.
 */
final class LiteralConverter {
    /** Largest array literal: one Java array. */
    private static final long MAX_LITERAL_BYTES = Integer.MAX_VALUE - 8;

    private final String source;
    private final ShapeConverter shapes;

    LiteralConverter(String source, ShapeConverter shapes) {
        this.source = source;
        this.shapes = shapes;
    }

    /** @param what the owner of the literal, for messages */
    HloLiteral convert(LiteralProto l, String what) {
        if (!l.hasShape()) {
            throw ProtoFailure.invalid(source, what + ": the literal has no shape");
        }
        HloShape shape = shapes.convert(l.getShape(), what);
        if (shape.isTuple()) {
            List<HloShape> declared = shape.tupleShapes();
            if (l.getTupleLiteralsCount() != declared.size()) {
                throw ProtoFailure.invalid(source, what + ": a literal of shape " + shape + " has "
                        + l.getTupleLiteralsCount() + " tuple elements");
            }
            List<HloLiteral> elements = new ArrayList<>(declared.size());
            for (int i = 0; i < declared.size(); i++) {
                HloLiteral e = convert(l.getTupleLiterals(i), what);
                if (!e.shape().sameDimensionsAndType(declared.get(i))) {
                    throw ProtoFailure.invalid(source, what + ": tuple element " + i + " is a " + e.shape()
                            + " literal, but the tuple shape says " + declared.get(i));
                }
                elements.add(e);
            }
            return HloLiteral.tuple(elements);
        }
        if (!shape.isArray()) {
            throw ProtoFailure.invalid(source, what + ": a literal of shape " + shape + " has no value");
        }
        if (shape.byteSize() > MAX_LITERAL_BYTES) {
            throw ProtoFailure.invalid(source, what + ": a " + shape + " literal would take " + shape.byteSize()
                    + " bytes; at most " + MAX_LITERAL_BYTES + " are supported");
        }
        byte[] physical = physicalBytes(l, shape, what);
        byte[] rowMajor = shape.hasDefaultLayout() ? physical : toRowMajor(physical, shape);
        return HloLiteral.array(shape, rowMajor);
    }

    /** The elements little-endian, in the literal's layout order. */
    private byte[] physicalBytes(LiteralProto l, HloShape shape, String what) {
        ElementType t = shape.elementType();
        long n = shape.elementCount();
        switch (t) {
            case PRED: {
                check(l.getPredsCount(), n, "preds", shape, what);
                byte[] out = new byte[(int) n];
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) (l.getPreds(i) ? 1 : 0);
                }
                return out;
            }
            case S32: {
                check(l.getS32SCount(), n, "s32s", shape, what);
                ByteBuffer b = buffer(n * 4);
                l.getS32SList().forEach(b::putInt);
                return b.array();
            }
            case U32: {
                check(l.getU32SCount(), n, "u32s", shape, what);
                ByteBuffer b = buffer(n * 4);
                l.getU32SList().forEach(b::putInt);
                return b.array();
            }
            case S64: {
                check(l.getS64SCount(), n, "s64s", shape, what);
                ByteBuffer b = buffer(n * 8);
                l.getS64SList().forEach(b::putLong);
                return b.array();
            }
            case U64: {
                check(l.getU64SCount(), n, "u64s", shape, what);
                ByteBuffer b = buffer(n * 8);
                l.getU64SList().forEach(b::putLong);
                return b.array();
            }
            case F32: {
                check(l.getF32SCount(), n, "f32s", shape, what);
                ByteBuffer b = buffer(n * 4);
                l.getF32SList().forEach(b::putFloat);
                return b.array();
            }
            case F64: {
                check(l.getF64SCount(), n, "f64s", shape, what);
                ByteBuffer b = buffer(n * 8);
                l.getF64SList().forEach(b::putDouble);
                return b.array();
            }
            case C64: {
                check(l.getC64SCount(), 2 * n, "c64s (real and imaginary parts)", shape, what);
                ByteBuffer b = buffer(n * 8);
                l.getC64SList().forEach(b::putFloat);
                return b.array();
            }
            case C128: {
                check(l.getC128SCount(), 2 * n, "c128s (real and imaginary parts)", shape, what);
                ByteBuffer b = buffer(n * 16);
                l.getC128SList().forEach(b::putDouble);
                return b.array();
            }
            default:
                return rawBytes(l, shape, what);
        }
    }

    /** Types XLA stores as a byte string: already little-endian, one element per byte below 16 bits. */
    private byte[] rawBytes(LiteralProto l, HloShape shape, String what) {
        ByteString data;
        String field;
        switch (shape.elementType()) {
            case S8: data = l.getS8S(); field = "s8s"; break;
            case U8: data = l.getU8S(); field = "u8s"; break;
            case S16: data = l.getS16S(); field = "s16s"; break;
            case U16: data = l.getU16S(); field = "u16s"; break;
            case F16: data = l.getF16S(); field = "f16s"; break;
            case BF16: data = l.getBf16S(); field = "bf16s"; break;
            case F8E5M2: data = l.getF8E5M2S(); field = "f8e5m2s"; break;
            case F8E4M3FN: data = l.getF8E4M3Fns(); field = "f8e4m3fns"; break;
            case F8E4M3B11FNUZ: data = l.getF8E4M3B11Fnuzs(); field = "f8e4m3b11fnuzs"; break;
            case F8E5M2FNUZ: data = l.getF8E5M2Fnuzs(); field = "f8e5m2fnuzs"; break;
            case F8E4M3FNUZ: data = l.getF8E4M3Fnuzs(); field = "f8e4m3fnuzs"; break;
            case F8E4M3: data = l.getF8E4M3S(); field = "f8e4m3s"; break;
            case F8E3M4: data = l.getF8E3M4S(); field = "f8e3m4s"; break;
            case F8E8M0FNU: data = l.getF8E8M0Fnus(); field = "f8e8m0fnus"; break;
            case F4E2M1FN: data = l.getF4E2M1Fns(); field = "f4e2m1fns"; break;
            case S4: data = l.getS4S(); field = "s4s"; break;
            case U4: data = l.getU4S(); field = "u4s"; break;
            case S2: data = l.getS2S(); field = "s2s"; break;
            case U2: data = l.getU2S(); field = "u2s"; break;
            case S1: data = l.getS1S(); field = "s1s"; break;
            case U1: data = l.getU1S(); field = "u1s"; break;
            default:
                throw ProtoFailure.invalid(source, what + ": literals of element type "
                        + shape.elementType().textName() + " are not supported");
        }
        if (data.size() != shape.byteSize()) {
            throw ProtoFailure.invalid(source, what + ": a " + shape + " literal needs " + shape.byteSize()
                    + " bytes in " + field + ", found " + data.size()
                    + (shape.elementType().byteSize() == 1 && data.size() < shape.byteSize()
                            ? " (packed sub-byte data is not supported)" : ""));
        }
        return data.toByteArray();
    }

    private void check(int found, long needed, String field, HloShape shape, String what) {
        if (found != needed) {
            throw ProtoFailure.invalid(source, what + ": a " + shape + " literal needs " + needed + " values in "
                    + field + ", found " + found);
        }
    }

    private static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * XLA writes a literal's buffer as it lies in memory, i.e. in the order of its layout; the IR wants
     * row-major. Walks the row-major index like an odometer and moves the physical offset along.
     */
    static byte[] toRowMajor(byte[] physical, HloShape shape) {
        int rank = shape.rank();
        long[] dims = shape.dims();
        int[] minorToMajor = shape.minorToMajor();
        int size = shape.elementType().byteSize();
        long[] stride = new long[rank];
        long s = 1;
        for (int d : minorToMajor) {
            stride[d] = s;
            s *= dims[d];
        }
        byte[] out = new byte[physical.length];
        long n = shape.elementCount();
        long[] index = new long[rank];
        long from = 0;
        for (long to = 0; to < n; to++) {
            System.arraycopy(physical, (int) (from * size), out, (int) (to * size), size);
            for (int k = rank - 1; k >= 0; k--) {
                from += stride[k];
                if (++index[k] < dims[k]) {
                    break;
                }
                from -= stride[k] * dims[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
