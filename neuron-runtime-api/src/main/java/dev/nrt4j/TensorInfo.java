package dev.nrt4j;

import java.util.Objects;

/**
 * One input or output of a model: its name, element type, shape and byte size. The byte size is what
 * execution checks; it can exceed {@code shape × element size} for packed types a runtime reports.
 * Immutable and thread-safe.
 */
public final class TensorInfo {
    private final String name;
    private final DType dtype;
    private final Shape shape;
    private final long byteSize;

    /**
     * An entry whose byte size follows from shape and type.
     *
     * @param name the input or output name, e.g. {@code input0}; not null
     * @param dtype the element type; not null
     * @param shape the dimensions; not null
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the byte size overflows a long
     */
    public TensorInfo(String name, DType dtype, Shape shape) {
        this(name, dtype, shape, shape.byteSize(dtype));
    }

    /**
     * An entry with an explicit byte size, as a runtime reports it.
     *
     * @param name the input or output name, e.g. {@code input0}; not null
     * @param dtype the element type; not null
     * @param shape the dimensions; not null
     * @param byteSize the size in bytes execution checks tensors against, 0 or more; not checked against
     *     the shape, since packed types may need more
     * @throws NullPointerException if {@code name}, {@code dtype} or {@code shape} is null
     * @throws IllegalArgumentException if {@code byteSize} is negative
     */
    public TensorInfo(String name, DType dtype, Shape shape, long byteSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize of " + name + " is negative: " + byteSize);
        }
        this.byteSize = byteSize;
    }

    /** {@return the input or output name, e.g. {@code input0}} */
    public String name() {
        return name;
    }

    /** {@return the element type} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the dimensions, outermost first} */
    public Shape shape() {
        return shape;
    }

    /** {@return the size in bytes that execution checks tensors against} */
    public long byteSize() {
        return byteSize;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorInfo)) {
            return false;
        }
        TensorInfo t = (TensorInfo) o;
        return name.equals(t.name) && dtype == t.dtype && shape.equals(t.shape) && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, shape, byteSize);
    }

    /** E.g. {@code input0: f32[2, 3] (24 bytes)}. */
    @Override
    public String toString() {
        return name + ": " + dtype.hloName() + shape + " (" + byteSize + " bytes)";
    }
}
