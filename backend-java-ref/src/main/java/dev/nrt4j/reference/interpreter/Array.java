package dev.nrt4j.reference.interpreter;

import dev.nrt4j.BFloat16;
import dev.nrt4j.Float16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloLiteral;
import dev.nrt4j.hlo.HloShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An array value: element type, dimensions (row-major) and the elements in one primitive Java array
 * chosen by the type, so that kernels run over {@code float[]}, {@code int[]} … without boxing:
 *
 * <table>
 * <caption>Storage by element type</caption>
 * <tr><td>pred (0/1), s8, u8, 8-bit floats, sub-byte types</td><td>{@code byte[]}</td></tr>
 * <tr><td>s16, u16, f16 and bf16 (bit patterns)</td><td>{@code short[]}</td></tr>
 * <tr><td>s32, u32</td><td>{@code int[]}</td></tr>
 * <tr><td>s64, u64</td><td>{@code long[]}</td></tr>
 * <tr><td>f32; c64 as interleaved (re, im)</td><td>{@code float[]}</td></tr>
 * <tr><td>f64; c128 as interleaved (re, im)</td><td>{@code double[]}</td></tr>
 * </table>
 *
 * Unsigned types keep their bits in the signed Java type. An array is never changed after the
 * instruction that made it returns it; kernels fill a fresh array and then hand it out.
 */
public final class Array implements Value {
    /** The most elements one value may have: a Java array of complex doubles must fit. */
    public static final int MAX_ELEMENTS = (Integer.MAX_VALUE - 8) / 2;

    private final ElementType type;
    private final long[] dims;
    private final int size;
    private final Object data;

    private Array(ElementType type, long[] dims, int size, Object data) {
        this.type = type;
        this.dims = dims;
        this.size = size;
        this.data = data;
    }

    /**
     * A zeroed array.
     *
     * @throws NeuronException {@link Status#RESOURCE} when it has more than {@link #MAX_ELEMENTS} elements, or
     *     when the JVM heap cannot hold it
     */
    public static Array allocate(ElementType type, long... dims) {
        int n = checkedSize(type, dims);
        MemoryGuard.checkHeap("a " + type.textName() + Arrays.toString(dims) + " value", (long) n * type.byteSize());
        return new Array(type, dims.clone(), n, newStorage(type, n));
    }

    /** A zeroed array of this shape. */
    public static Array allocate(HloShape shape) {
        return allocate(shape.elementType(), shape.dims());
    }

    /**
     * An array over existing storage (not copied; the caller must not change it afterwards).
     *
     * @throws IllegalArgumentException if the storage's class or length does not fit the type and dimensions
     */
    public static Array wrap(ElementType type, long[] dims, Object data) {
        int n = checkedSize(type, dims);
        Object expected = newStorage(type, 0);
        if (data.getClass() != expected.getClass() || java.lang.reflect.Array.getLength(data) != n * lanes(type)) {
            throw new IllegalArgumentException("storage " + data.getClass().getSimpleName() + " of length "
                    + java.lang.reflect.Array.getLength(data) + " does not hold " + type.textName()
                    + Arrays.toString(dims));
        }
        return new Array(type, dims.clone(), n, data);
    }

    /** The array of an array literal. */
    public static Array fromLiteral(HloLiteral literal) {
        return fromBytes(literal.shape().elementType(), literal.shape().dims(), literal.data());
    }

    /** An array from little-endian row-major bytes (exactly the array's byte size remaining in {@code bytes}). */
    public static Array fromBytes(ElementType type, long[] dims, ByteBuffer bytes) {
        Array a = allocate(type, dims);
        if (bytes.remaining() != (long) a.size * type.byteSize()) {
            throw new IllegalArgumentException("a " + type.textName() + Arrays.toString(dims) + " array needs "
                    + (long) a.size * type.byteSize() + " bytes, got " + bytes.remaining());
        }
        a.load(0, bytes);
        return a;
    }

    /**
     * Copies the little-endian bytes remaining in {@code bytes} into the elements from byte {@code byteOffset} on,
     * for whoever builds the array from pieces of memory (so no intermediate buffer of the whole value is made).
     * Only while the array is being built: once handed out it must not change. {@code byteOffset} and the
     * byte count must be whole elements of the storage (e.g. multiples of 4 for f32).
     *
     * @throws IndexOutOfBoundsException if the bytes reach past the array
     */
    public void load(long byteOffset, ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining();
        Object d = data;
        if (d instanceof byte[]) {
            b.get((byte[]) d, (int) byteOffset, n);
        } else if (d instanceof short[]) {
            b.asShortBuffer().get((short[]) d, (int) (byteOffset / Short.BYTES), n / Short.BYTES);
        } else if (d instanceof int[]) {
            b.asIntBuffer().get((int[]) d, (int) (byteOffset / Integer.BYTES), n / Integer.BYTES);
        } else if (d instanceof long[]) {
            b.asLongBuffer().get((long[]) d, (int) (byteOffset / Long.BYTES), n / Long.BYTES);
        } else if (d instanceof float[]) {
            b.asFloatBuffer().get((float[]) d, (int) (byteOffset / Float.BYTES), n / Float.BYTES);
        } else {
            b.asDoubleBuffer().get((double[]) d, (int) (byteOffset / Double.BYTES), n / Double.BYTES);
        }
    }

    /** The elements as little-endian row-major bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(size * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (data instanceof byte[]) {
            b.put((byte[]) data);
        } else if (data instanceof short[]) {
            b.asShortBuffer().put((short[]) data);
        } else if (data instanceof int[]) {
            b.asIntBuffer().put((int[]) data);
        } else if (data instanceof long[]) {
            b.asLongBuffer().put((long[]) data);
        } else if (data instanceof float[]) {
            b.asFloatBuffer().put((float[]) data);
        } else {
            b.asDoubleBuffer().put((double[]) data);
        }
        return b.array();
    }

    private static int checkedSize(ElementType type, long[] dims) {
        if (!type.isArrayType()) {
            throw new IllegalArgumentException(type.textName() + " is not an array element type");
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new NeuronException(
                        Status.RESOURCE,
                        "allocate a " + type.textName() + Arrays.toString(dims) + " value",
                        "the reference device holds at most " + MAX_ELEMENTS + " elements in one value");
            }
        }
        return (int) n;
    }

    /** Primitive entries per element: 2 for complex types, else 1. */
    public static int lanes(ElementType type) {
        return type.isComplex() ? 2 : 1;
    }

    private static Object newStorage(ElementType type, int n) {
        switch (type) {
            case S16:
            case U16:
            case F16:
            case BF16:
                return new short[n];
            case S32:
            case U32:
                return new int[n];
            case S64:
            case U64:
                return new long[n];
            case F32:
                return new float[n];
            case C64:
                return new float[2 * n];
            case F64:
                return new double[n];
            case C128:
                return new double[2 * n];
            default:
                return new byte[n];
        }
    }

    @Override
    public boolean isTuple() {
        return false;
    }

    /** The element type. */
    public ElementType type() {
        return type;
    }

    /** A copy of the dimensions. */
    public long[] dims() {
        return dims.clone();
    }

    /** Dimension {@code i}. */
    public long dim(int i) {
        return dims[i];
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** The shape (row-major layout). */
    public HloShape shape() {
        return HloShape.array(type, dims);
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        return rowMajorStrides(dims);
    }

    /** Row-major strides in elements of an array with these dimensions (at most {@link #MAX_ELEMENTS} elements). */
    static int[] rowMajorStrides(long[] dims) {
        int[] s = new int[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = (int) acc;
            acc *= dims[i];
        }
        return s;
    }

    /** The storage array (see the class description); do not change it once the array is handed out. */
    public Object data() {
        return data;
    }

    /** Storage of byte-sized types. */
    public byte[] bytes() {
        return (byte[]) data;
    }

    /** Storage of 16-bit types (f16 and bf16 as bit patterns). */
    public short[] shorts() {
        return (short[]) data;
    }

    /** Storage of 32-bit integer types. */
    public int[] ints() {
        return (int[]) data;
    }

    /** Storage of 64-bit integer types. */
    public long[] longs() {
        return (long[]) data;
    }

    /** Storage of f32 (and c64, interleaved). */
    public float[] floats() {
        return (float[]) data;
    }

    /** Storage of f64 (and c128, interleaved). */
    public double[] doubles() {
        return (double[]) data;
    }

    /**
     * Copies {@code count} elements, whatever the type; both arrays must have the same element type.
     * The workhorse of data-movement ops (transpose, slice, concatenate, gather …).
     */
    public static void copy(Array src, int srcIndex, Array dst, int dstIndex, int count) {
        int lanes = lanes(src.type);
        System.arraycopy(src.data, srcIndex * lanes, dst.data, dstIndex * lanes, count * lanes);
    }

    /**
     * Element {@code i} as a double: exact for every type but s64/u64 beyond 2^53 (rounded) and complex
     * (the real part). Unsigned types read unsigned; pred is 0 or 1; 8-bit floats are not decoded.
     * For slow paths (sorting keys, index reads, tests), not for kernels.
     */
    public double getDouble(int i) {
        switch (type) {
            case F32:
                return ((float[]) data)[i];
            case F64:
                return ((double[]) data)[i];
            case F16:
                return Float16.toFloat(((short[]) data)[i]);
            case BF16:
                return BFloat16.toFloat(((short[]) data)[i]);
            case C64:
                return ((float[]) data)[2 * i];
            case C128:
                return ((double[]) data)[2 * i];
            case U64: {
                long v = ((long[]) data)[i];
                return v >= 0 ? (double) v : ((double) (v >>> 1)) * 2.0 + (v & 1);
            }
            default:
                return getLong(i);
        }
    }

    /**
     * Element {@code i} of an integer or pred array as a long (unsigned types zero-extended; u64 as its
     * bits). Used for index operands (dynamic-slice starts, gather indices, conditional branch index).
     */
    public long getLong(int i) {
        switch (type) {
            case PRED:
            case U8:
            case U4:
            case U2:
            case U1:
                return ((byte[]) data)[i] & 0xFFL;
            case S8:
            case S4:
            case S2:
            case S1:
                return ((byte[]) data)[i];
            case S16:
                return ((short[]) data)[i];
            case U16:
                return ((short[]) data)[i] & 0xFFFFL;
            case S32:
                return ((int[]) data)[i];
            case U32:
                return ((int[]) data)[i] & 0xFFFFFFFFL;
            case S64:
            case U64:
                return ((long[]) data)[i];
            default:
                throw new IllegalStateException(type.textName() + " is not an integer type");
        }
    }

    @Override
    public String toString() {
        return type.textName() + Arrays.toString(dims);
    }
}
