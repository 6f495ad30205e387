package dev.nrt4j.hlo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * A constant value of the IR: an array (its elements little-endian in logical row-major order,
 * whatever layout the source wrote them in) or a tuple of literals. Readers put the data into this
 * order, so users of the IR never see layouts. Immutable and thread-safe.
 */
public final class HloLiteral {
    private final HloShape shape;
    private final byte[] data;
    private final List<HloLiteral> elements;

    private HloLiteral(HloShape shape, byte[] data, List<HloLiteral> elements) {
        this.shape = shape;
        this.data = data;
        this.elements = elements;
    }

    /**
     * An array literal; {@code rowMajorLittleEndian} is copied.
     *
     * @throws IllegalArgumentException if the shape is not an array or the byte count does not match it
     */
    public static HloLiteral array(HloShape shape, byte[] rowMajorLittleEndian) {
        if (!shape.isArray()) {
            throw new IllegalArgumentException("an array literal needs an array shape, not " + shape);
        }
        if (rowMajorLittleEndian.length != shape.byteSize()) {
            throw new IllegalArgumentException(
                    "a " + shape + " literal holds " + shape.byteSize() + " bytes, got " + rowMajorLittleEndian.length);
        }
        return new HloLiteral(shape.withDefaultLayout(), rowMajorLittleEndian.clone(), List.of());
    }

    /** A tuple literal. */
    public static HloLiteral tuple(List<HloLiteral> elements) {
        List<HloShape> shapes = new java.util.ArrayList<>();
        for (HloLiteral e : elements) {
            shapes.add(Objects.requireNonNull(e).shape);
        }
        return new HloLiteral(HloShape.tuple(shapes), null, List.copyOf(elements));
    }

    /** The shape (arrays always with the default layout). */
    public HloShape shape() {
        return shape;
    }

    /** Whether this is a tuple literal. */
    public boolean isTuple() {
        return shape.isTuple();
    }

    /** A read-only little-endian view of an array literal's elements, row-major. */
    public ByteBuffer data() {
        if (data == null) {
            throw new IllegalStateException("a tuple literal has no data of its own; see elements()");
        }
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of an array literal's bytes. */
    public byte[] toByteArray() {
        if (data == null) {
            throw new IllegalStateException("a tuple literal has no data of its own; see elements()");
        }
        return data.clone();
    }

    /** The elements of a tuple literal. */
    public List<HloLiteral> elements() {
        return elements;
    }

    @Override
    public String toString() {
        return "literal " + shape;
    }
}
