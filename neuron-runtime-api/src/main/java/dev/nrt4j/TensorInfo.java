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

    /** An entry whose byte size follows from shape and type. */
    public TensorInfo(String name, DType dtype, Shape shape) {
        this(name, dtype, shape, shape.byteSize(dtype));
    }

    /** An entry with an explicit byte size, as a runtime reports it. */
    public TensorInfo(String name, DType dtype, Shape shape, long byteSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = Objects.requireNonNull(shape, "shape");
        if (byteSize < 0) {
            throw new IllegalArgumentException("byteSize of " + name + " is negative: " + byteSize);
        }
        this.byteSize = byteSize;
    }

    /** The input or output name, e.g. {@code input0}. */
    public String name() {
        return name;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** The size in bytes that execution checks tensors against. */
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
