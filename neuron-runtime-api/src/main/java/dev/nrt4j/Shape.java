package dev.nrt4j;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major, C order). A shape of rank 0 is a scalar
 * with one element.
 *
 * <p>Immutable and thread-safe.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0]);

    private final long[] dims;
    private final long elementCount;

    private Shape(long[] dims) {
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of " + Arrays.toString(dims) + " is negative");
            }
            empty |= dims[i] == 0;
        }
        // A zero anywhere makes the product 0, even when the dimensions before it would overflow.
        long count = empty ? 0 : 1;
        for (int i = 0; i < dims.length && !empty; i++) {
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(dims) + " has more than Long.MAX_VALUE elements");
            }
        }
        this.dims = dims;
        this.elementCount = count;
    }

    /**
     * A shape with these dimensions.
     *
     * @param dims the dimensions, outermost first, each 0 or more; copied. None for a scalar
     * @return the shape
     * @throws IllegalArgumentException if a dimension is negative or the element count overflows a long
     */
    public static Shape of(long... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /**
     * As {@link #of(long...)}, from {@code int} dimensions.
     *
     * @param dims the dimensions, outermost first, each 0 or more; copied. None for a scalar
     * @return the shape
     * @throws IllegalArgumentException if a dimension is negative
     */
    public static Shape of(int... dims) {
        return of(Arrays.stream(dims).asLongStream().toArray());
    }

    /** {@return the rank-0 shape of a single value} */
    public static Shape scalar() {
        return SCALAR;
    }

    /** {@return the number of dimensions, 0 for a scalar} */
    public int rank() {
        return dims.length;
    }

    /**
     * Dimension {@code i}, outermost first.
     *
     * @param i the dimension's index, {@code 0 <= i < rank()}
     * @return its size, 0 or more
     * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
     */
    public long dim(int i) {
        return dims[i];
    }

    /** {@return a new array with the dimensions, outermost first; the caller may change it} */
    public long[] dims() {
        return dims.clone();
    }

    /** {@return the product of the dimensions (1 for a scalar, 0 if any dimension is 0)} */
    public long elementCount() {
        return elementCount;
    }

    /**
     * Bytes needed to hold this shape's elements of {@code type}.
     *
     * @param type the element type; not null
     * @return the element count times the element size
     * @throws IllegalArgumentException if that overflows a long
     */
    public long byteSize(DType type) {
        try {
            return Math.multiplyExact(elementCount, type.byteSize());
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException(
                    "shape " + this + " of " + type.hloName() + " needs more than Long.MAX_VALUE bytes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** The dimensions as {@code [2, 3]}; a scalar is {@code []}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
