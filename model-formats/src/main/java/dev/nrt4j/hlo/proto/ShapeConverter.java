package dev.nrt4j.hlo.proto;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.proto.schema.LayoutProto;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ShapeProto} to {@link HloShape} and back. Recursion follows tuple nesting, which the
 * protobuf parser already bounded to {@link HloProtoReader#MAX_NESTING} when reading, and the IR's
 * own nesting when writing.
 */
final class ShapeConverter {
    private final String source;

    ShapeConverter(String source) {
        this.source = source;
    }

    /** @param what the owner of the shape, for messages */
    HloShape convert(ShapeProto s, String what) {
        int number = s.getElementType();
        ElementType type = ElementType.fromProtoNumber(number)
                .orElseThrow(() -> ProtoFailure.invalid(
                        source,
                        what + " has element type " + number + ", which is not one of XLA's PrimitiveType numbers"));
        switch (type) {
            case TUPLE: {
                List<HloShape> elements = new ArrayList<>(s.getTupleShapesCount());
                for (int i = 0; i < s.getTupleShapesCount(); i++) {
                    elements.add(convert(s.getTupleShapes(i), what));
                }
                return HloShape.tuple(elements);
            }
            case TOKEN:
                return HloShape.token();
            case OPAQUE:
                return HloShape.opaque();
            default:
                return array(type, s, what);
        }
    }

    private HloShape array(ElementType type, ShapeProto s, String what) {
        int rank = s.getDimensionsCount();
        if (rank > HloProtoReader.MAX_RANK) {
            throw ProtoFailure.invalid(
                    source, what + " has rank " + rank + "; at most " + HloProtoReader.MAX_RANK + " is accepted");
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = s.getDimensions(i);
        }
        int[] minorToMajor = null;
        if (s.hasLayout() && s.getLayout().getMinorToMajorCount() > 0) {
            List<Long> m = s.getLayout().getMinorToMajorList();
            if (m.size() != rank) {
                throw ProtoFailure.invalid(
                        source,
                        what + ": layout minor_to_major " + m + " does not list the " + rank + " dimensions of "
                                + type.textName() + java.util.Arrays.toString(dims));
            }
            minorToMajor = new int[rank];
            for (int i = 0; i < rank; i++) {
                long d = m.get(i);
                // Out-of-range values must not wrap into valid ones when narrowed.
                minorToMajor[i] = d < 0 || d >= rank ? -1 : (int) d;
            }
        }
        try {
            return HloShape.array(type, dims, minorToMajor);
        } catch (IllegalArgumentException e) {
            throw ProtoFailure.invalid(source, what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The proto of a shape. Arrays always get a layout, the default one (descending
     * {@code minor_to_major}, row-major) included, as XLA writes them: XLA refuses literals without
     * one and takes the entry's layouts from them. Tuples, tokens and opaque shapes have none.
     */
    static ShapeProto toProto(HloShape shape) {
        ShapeProto.Builder b =
                ShapeProto.newBuilder().setElementType(shape.elementType().protoNumber());
        if (shape.isTuple()) {
            for (HloShape element : shape.tupleShapes()) {
                b.addTupleShapes(toProto(element));
            }
        } else if (shape.isArray()) {
            LayoutProto.Builder layout = LayoutProto.newBuilder();
            for (int d : shape.minorToMajor()) {
                layout.addMinorToMajor(d);
            }
            for (long d : shape.dims()) {
                b.addDimensions(d);
            }
            b.setLayout(layout);
        }
        return b.build();
    }
}
