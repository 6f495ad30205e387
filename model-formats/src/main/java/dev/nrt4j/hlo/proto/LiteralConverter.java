package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.proto.schema.LiteralProto;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code LiteralProto} to {@link HloLiteral} and back. Reading picks the field of the element type
 * ({@link LiteralField}), checks its length against the shape before allocating, and reorders from
 * the literal's layout into row-major; writing does the reverse into the layout it is given.
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
                throw ProtoFailure.invalid(
                        source,
                        what + ": a literal of shape " + shape + " has " + l.getTupleLiteralsCount()
                                + " tuple elements");
            }
            List<HloLiteral> elements = new ArrayList<>(declared.size());
            for (int i = 0; i < declared.size(); i++) {
                HloLiteral e = convert(l.getTupleLiterals(i), what);
                if (!e.shape().sameDimensionsAndType(declared.get(i))) {
                    throw ProtoFailure.invalid(
                            source,
                            what + ": tuple element " + i + " is a " + e.shape() + " literal, but the tuple shape says "
                                    + declared.get(i));
                }
                elements.add(e);
            }
            return HloLiteral.tuple(elements);
        }
        if (!shape.isArray()) {
            throw ProtoFailure.invalid(source, what + ": a literal of shape " + shape + " has no value");
        }
        if (shape.byteSize() > MAX_LITERAL_BYTES) {
            throw ProtoFailure.invalid(
                    source,
                    what + ": a " + shape + " literal would take " + shape.byteSize() + " bytes; at most "
                            + MAX_LITERAL_BYTES + " are supported");
        }
        byte[] physical = physicalBytes(l, shape, what);
        byte[] rowMajor = shape.hasDefaultLayout() ? physical : relayout(physical, shape, true);
        return HloLiteral.array(shape, rowMajor);
    }

    /** The elements little-endian, in the literal's layout order. */
    private byte[] physicalBytes(LiteralProto l, HloShape shape, String what) {
        LiteralField field = LiteralField.of(shape.elementType());
        int found = field.count(l);
        long needed = field.needed(shape.elementCount());
        if (found != needed) {
            throw ProtoFailure.invalid(
                    source,
                    what + ": a " + shape + " literal needs " + needed + " " + field.unit()
                            + " in " + field.fieldName() + ", found " + found
                            + (field.isByteString() && shape.elementType().byteSize() == 1 && found < needed
                                    ? " (packed sub-byte data is not supported)"
                                    : ""));
        }
        byte[] out = new byte[(int) shape.byteSize()];
        field.decode(l, LiteralField.littleEndian(out));
        return out;
    }

    /**
     * The proto of a literal, its array data laid out as {@code layout} says (XLA requires a
     * constant's literal to have the instruction's layout, and every literal shape to have one).
     *
     * @param layout a shape of the literal's dimensions and types whose layouts to use
     * @param what the owner of the literal, for messages
     * @throws IllegalArgumentException if {@code layout} does not have the literal's dimensions and
     *     types, or the data cannot be held by its field
     */
    static LiteralProto toProto(HloLiteral literal, HloShape layout, String what) {
        if (!literal.shape().sameDimensionsAndType(layout)) {
            throw new IllegalArgumentException(
                    what + " has shape " + layout + " but its literal is a " + literal.shape());
        }
        LiteralProto.Builder b = LiteralProto.newBuilder().setShape(ShapeConverter.toProto(layout));
        if (literal.isTuple()) {
            for (int i = 0; i < literal.elements().size(); i++) {
                b.addTupleLiterals(
                        toProto(literal.elements().get(i), layout.tupleShapes().get(i), what));
            }
            return b.build();
        }
        byte[] rowMajor = literal.toByteArray();
        byte[] physical = layout.hasDefaultLayout() ? rowMajor : relayout(rowMajor, layout, false);
        try {
            LiteralField.of(layout.elementType()).encode(LiteralField.littleEndian(physical), b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        return b.build();
    }

    /**
     * Moves elements between the order of the shape's layout (how XLA writes a literal's buffer, as
     * it lies in memory) and the row-major order of the IR: {@code toRowMajor} reads physical and
     * writes row-major, otherwise the reverse. Walks the row-major index like an odometer and moves
     * the physical offset along.
     */
    static byte[] relayout(byte[] data, HloShape shape, boolean toRowMajor) {
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
        byte[] out = new byte[data.length];
        long n = shape.elementCount();
        long[] index = new long[rank];
        long physical = 0;
        for (long rowMajor = 0; rowMajor < n; rowMajor++) {
            if (toRowMajor) {
                System.arraycopy(data, (int) (physical * size), out, (int) (rowMajor * size), size);
            } else {
                System.arraycopy(data, (int) (rowMajor * size), out, (int) (physical * size), size);
            }
            for (int k = rank - 1; k >= 0; k--) {
                physical += stride[k];
                if (++index[k] < dims[k]) {
                    break;
                }
                physical -= stride[k] * dims[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
