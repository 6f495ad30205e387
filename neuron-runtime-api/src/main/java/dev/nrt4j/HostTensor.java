package dev.nrt4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A tensor in ordinary Java memory: an element type, a shape and the elements, little-endian and
 * row-major (C order). It is how data enters and leaves nrt4j: written to device {@link Tensor}s,
 * returned by {@code Model.run}, read from and written to {@code .npy} files.
 *
 * <p>Immutable and thread-safe: factories copy arrays they are given, and {@link #data()} is a
 * read-only view. A host tensor holds at most {@link Integer#MAX_VALUE} bytes.
 */
public final class HostTensor {
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer data;

    private HostTensor(DType dtype, Shape shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor over a copy of {@code data}'s remaining bytes, which are little-endian elements in C order.
     *
     * @param dtype the element type; not null
     * @param shape the dimensions; not null
     * @param data the elements, from its position to its limit; not null. Its position is left unchanged,
     *     and later changes to it do not show in the tensor
     * @return a new tensor holding its own copy of the bytes
     * @throws IllegalArgumentException if the byte count is not what {@code shape} and {@code dtype} need,
     *     or exceeds {@link Integer#MAX_VALUE}
     */
    public static HostTensor of(DType dtype, Shape shape, ByteBuffer data) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        long need = checkedByteSize(dtype, shape);
        if (data.remaining() != need) {
            throw new IllegalArgumentException(
                    "a " + dtype.hloName() + shape + " tensor needs " + need + " bytes, got " + data.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocate((int) need);
        copy.put(data.duplicate());
        return new HostTensor(dtype, shape, copy.flip().order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * As {@link #of(DType, Shape, ByteBuffer)}, from a byte array.
     *
     * @param dtype the element type; not null
     * @param shape the dimensions; not null
     * @param data every element's bytes, little-endian, in C order; copied, not null
     * @return a new tensor holding its own copy of the bytes
     * @throws IllegalArgumentException if the array's length is not what {@code shape} and {@code dtype} need
     */
    public static HostTensor of(DType dtype, Shape shape, byte[] data) {
        return of(dtype, shape, ByteBuffer.wrap(data));
    }

    /**
     * A tensor of zeros (all bits clear, so {@code 0.0} for floating-point types and {@code false} for pred).
     *
     * @param dtype the element type; not null
     * @param shape the dimensions; not null
     * @return a new tensor
     * @throws IllegalArgumentException if the tensor would exceed {@link Integer#MAX_VALUE} bytes
     */
    public static HostTensor zeros(DType dtype, Shape shape) {
        long need = checkedByteSize(dtype, shape);
        return new HostTensor(dtype, shape, ByteBuffer.allocate((int) need).order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * A {@link DType#FLOAT32} tensor. {@code shape} must hold {@code values.length} elements; with no
     * dimensions the tensor is one-dimensional ({@code [values.length]}). The same holds for every
     * array factory. A scalar is {@code of(DType, Shape.scalar(), bytes)}.
     *
     * @param values the elements in C order; copied, not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code shape} does not hold {@code values.length} elements
     */
    public static HostTensor of(float[] values, long... shape) {
        ByteBuffer b = allocate(DType.FLOAT32, values.length, shape);
        b.asFloatBuffer().put(values);
        return new HostTensor(DType.FLOAT32, shapeOf(values.length, shape), b);
    }

    /**
     * A {@link DType#FLOAT64} tensor, shaped as {@link #of(float[], long...)} describes.
     *
     * @param values the elements in C order; copied, not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code shape} does not hold {@code values.length} elements
     */
    public static HostTensor of(double[] values, long... shape) {
        ByteBuffer b = allocate(DType.FLOAT64, values.length, shape);
        b.asDoubleBuffer().put(values);
        return new HostTensor(DType.FLOAT64, shapeOf(values.length, shape), b);
    }

    /**
     * An {@link DType#INT32} tensor, shaped as {@link #of(float[], long...)} describes.
     *
     * @param values the elements in C order; copied, not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code shape} does not hold {@code values.length} elements
     */
    public static HostTensor of(int[] values, long... shape) {
        ByteBuffer b = allocate(DType.INT32, values.length, shape);
        b.asIntBuffer().put(values);
        return new HostTensor(DType.INT32, shapeOf(values.length, shape), b);
    }

    /**
     * An {@link DType#INT64} tensor, shaped as {@link #of(float[], long...)} describes.
     *
     * @param values the elements in C order; copied, not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code shape} does not hold {@code values.length} elements
     */
    public static HostTensor of(long[] values, long... shape) {
        ByteBuffer b = allocate(DType.INT64, values.length, shape);
        b.asLongBuffer().put(values);
        return new HostTensor(DType.INT64, shapeOf(values.length, shape), b);
    }

    /**
     * A {@link DType#PRED} tensor, each element stored as one byte, 0 or 1; shaped as
     * {@link #of(float[], long...)} describes.
     *
     * @param values the elements in C order; copied, not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException if {@code shape} does not hold {@code values.length} elements
     */
    public static HostTensor of(boolean[] values, long... shape) {
        ByteBuffer b = allocate(DType.PRED, values.length, shape);
        for (boolean v : values) {
            b.put((byte) (v ? 1 : 0));
        }
        return new HostTensor(DType.PRED, shapeOf(values.length, shape), b.flip());
    }

    /**
     * A {@link DType#BFLOAT16} or {@link DType#FLOAT16} tensor from floats, each rounded to nearest
     * even as {@link BFloat16#fromFloat} and {@link Float16#fromFloat} do.
     *
     * @param halfType {@link DType#BFLOAT16} or {@link DType#FLOAT16}
     * @param values the elements in C order, before rounding; not null
     * @param shape the dimensions, outermost first; none for a one-dimensional tensor
     * @return a new tensor
     * @throws IllegalArgumentException for any other {@code halfType}, or if {@code shape} does not hold
     *     {@code values.length} elements
     */
    public static HostTensor ofRounded(DType halfType, float[] values, long... shape) {
        if (halfType != DType.BFLOAT16 && halfType != DType.FLOAT16) {
            throw new IllegalArgumentException("ofRounded makes bf16 or f16 tensors, not " + halfType.hloName());
        }
        ByteBuffer b = allocate(halfType, values.length, shape);
        for (float v : values) {
            b.putShort(halfType == DType.BFLOAT16 ? BFloat16.fromFloat(v) : Float16.fromFloat(v));
        }
        return new HostTensor(halfType, shapeOf(values.length, shape), b.flip());
    }

    private static Shape shapeOf(int length, long[] dims) {
        return dims.length == 0 ? Shape.of((long) length) : Shape.of(dims);
    }

    private static ByteBuffer allocate(DType dtype, int length, long[] dims) {
        Shape shape = shapeOf(length, dims);
        if (shape.elementCount() != length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " holds " + shape.elementCount() + " elements, got " + length);
        }
        return ByteBuffer.allocate((int) checkedByteSize(dtype, shape)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long checkedByteSize(DType dtype, Shape shape) {
        long bytes = shape.byteSize(dtype);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + dtype.hloName() + shape + " tensor needs " + bytes
                    + " bytes; a host tensor holds at most " + Integer.MAX_VALUE);
        }
        return bytes;
    }

    /**
     * The same bytes seen as another element type of the same size, e.g. a {@code u16} array read from
     * a {@code .npy} file that holds bfloat16 bit patterns, seen as {@link DType#BFLOAT16}.
     *
     * @param type the element type to see the bytes as; not null
     * @return a tensor sharing this one's (immutable) bytes, or this tensor if {@code type} is its own
     * @throws IllegalArgumentException if the element sizes differ
     */
    public HostTensor reinterpret(DType type) {
        if (type.byteSize() != dtype.byteSize()) {
            throw new IllegalArgumentException("cannot see " + dtype.hloName() + " (" + dtype.byteSize() + " bytes) as "
                    + type.hloName() + " (" + type.byteSize() + " bytes)");
        }
        return type == dtype ? this : new HostTensor(type, shape, data);
    }

    /** {@return the element type} */
    public DType dtype() {
        return dtype;
    }

    /** {@return the dimensions, outermost first} */
    public Shape shape() {
        return shape;
    }

    /** {@return the number of elements (1 for a scalar)} */
    public long elementCount() {
        return shape.elementCount();
    }

    /** {@return the size of the data in bytes, at most {@link Integer#MAX_VALUE}} */
    public int byteSize() {
        return data.capacity();
    }

    /** {@return a new read-only, little-endian view of the elements, positioned at 0; callers may move it freely} */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@return a new array with a copy of the raw little-endian bytes; the caller may change it} */
    public byte[] toByteArray() {
        byte[] out = new byte[data.capacity()];
        data.duplicate().get(out);
        return out;
    }

    /**
     * The elements as floats: exact for f32, f16 and bf16 (widened); for other types the value
     * converted as a Java cast would, with pred as 0 or 1 and unsigned types read unsigned.
     *
     * @return a new array of {@link #elementCount()} floats in C order
     * @throws IllegalStateException for the 8-bit float types, which cannot be read as numbers (use
     *     {@link #data()})
     */
    public float[] toFloatArray() {
        int n = (int) elementCount();
        float[] out = new float[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = readAsFloat(b, i);
        }
        return out;
    }

    /**
     * The elements as doubles, converted as {@link #toFloatArray()} does but without narrowing.
     *
     * @return a new array of {@link #elementCount()} doubles in C order
     * @throws IllegalStateException for the 8-bit float types, which cannot be read as numbers (use
     *     {@link #data()})
     */
    public double[] toDoubleArray() {
        int n = (int) elementCount();
        double[] out = new double[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = readAsDouble(b, i);
        }
        return out;
    }

    /**
     * The elements of an integer or pred tensor as longs (unsigned types read unsigned; u64 values
     * above {@code Long.MAX_VALUE} come out negative, as in {@link Long#toUnsignedString}).
     *
     * @return a new array of {@link #elementCount()} longs in C order
     * @throws IllegalStateException for floating-point tensors
     */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongArray reads integer tensors; this one is " + dtype.hloName());
        }
        int n = (int) elementCount();
        long[] out = new long[n];
        ByteBuffer b = data();
        for (int i = 0; i < n; i++) {
            out[i] = readIntegral(b, i);
        }
        return out;
    }

    /**
     * The elements of a {@link DType#INT32} tensor.
     *
     * @return a new array of {@link #elementCount()} ints in C order
     * @throws IllegalStateException if the tensor is of another type (use {@link #toLongArray()})
     */
    public int[] toIntArray() {
        requireType(DType.INT32);
        int[] out = new int[(int) elementCount()];
        data().asIntBuffer().get(out);
        return out;
    }

    private void requireType(DType wanted) {
        if (dtype != wanted) {
            throw new IllegalStateException("tensor is " + dtype.hloName() + ", not " + wanted.hloName());
        }
    }

    private long readIntegral(ByteBuffer b, int i) {
        switch (dtype) {
            case INT8:
                return b.get(i);
            case UINT8:
            case PRED:
                return Byte.toUnsignedLong(b.get(i));
            case INT16:
                return b.getShort(i * 2);
            case UINT16:
                return Short.toUnsignedLong(b.getShort(i * 2));
            case INT32:
                return b.getInt(i * 4);
            case UINT32:
                return Integer.toUnsignedLong(b.getInt(i * 4));
            case INT64:
            case UINT64:
                return b.getLong(i * 8);
            default:
                throw new IllegalStateException(dtype.hloName() + " is not an integer type");
        }
    }

    private float readAsFloat(ByteBuffer b, int i) {
        // A 64-bit integer may need more than double's 53 bits; going through double would round
        // twice and can miss the nearest float. Every other type is exact in double.
        switch (dtype) {
            case INT64:
                return b.getLong(i * 8);
            case UINT64:
                return unsignedToFloat(b.getLong(i * 8));
            default:
                return (float) readAsDouble(b, i);
        }
    }

    // For an unsigned value at or above 2^63: halve it, folding the shifted-out bit into bit 0 so it
    // still counts as "above the midpoint" (a sticky bit), convert once, and double exactly.
    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : (double) ((v >>> 1) | (v & 1)) * 2.0;
    }

    private static float unsignedToFloat(long v) {
        return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2.0f;
    }

    private double readAsDouble(ByteBuffer b, int i) {
        switch (dtype) {
            case FLOAT32:
            case FP32R:
                return b.getFloat(i * 4);
            case FLOAT64:
                return b.getDouble(i * 8);
            case FLOAT16:
                return Float16.toFloat(b.getShort(i * 2));
            case BFLOAT16:
                return BFloat16.toFloat(b.getShort(i * 2));
            case UINT64:
                return unsignedToDouble(b.getLong(i * 8));
            case FP8_E4M3:
            case FP8_E5M2:
            case FP8_E3M4:
                throw new IllegalStateException(
                        "reading " + dtype.hloName() + " as numbers is not supported; use data()");
            default:
                return readIntegral(b, i);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HostTensor)) {
            return false;
        }
        HostTensor t = (HostTensor) o;
        return dtype == t.dtype && shape.equals(t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, shape, data);
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype.hloName() + shape + "]";
    }
}
