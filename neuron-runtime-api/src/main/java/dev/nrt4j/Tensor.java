package dev.nrt4j;

import dev.nrt4j.spi.TensorHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A block of memory on a NeuronCore (or in runtime-managed host memory) that models read inputs
 * from and write outputs to. Data is raw little-endian bytes; the typed methods convert.
 *
 * <p><b>Ownership:</b> the caller owns a tensor from {@link NeuronRuntime#allocate} and closes it;
 * tensors made by {@link Model#allocateInputs()} belong to that {@link TensorSet}. Closing the runtime
 * closes tensors it still owns; a tensor dropped without closing is freed by the garbage collector
 * (and reported with {@code -Dnrt4j.leakDetection=true}).
 *
 * <p><b>Thread-safety:</b> all methods may be called from any thread. Concurrent reads and writes of
 * overlapping bytes see each other's data in no defined order. {@link #close()} waits for calls in
 * progress; any call after it throws {@link IllegalStateException}.
 *
 * <p><b>Errors:</b> a region outside the tensor, or data of the wrong size, is a {@link NeuronException}
 * with {@link Status#INVALID}; so is a copy the backend cannot make (libnrt: device tensors on
 * different cores).
 */
public final class Tensor implements AutoCloseable {
    private final NeuronRuntime runtime;
    private final TensorHandle handle;
    private final String name;
    private final long size;
    private final TensorPlacement placement;
    private final int core;
    private final Lifecycle lifecycle;

    Tensor(
            NeuronRuntime runtime,
            TensorHandle handle,
            String name,
            TensorPlacement placement,
            int core,
            ResourceRegistry registry,
            boolean trackAllocation) {
        this.runtime = runtime;
        this.handle = handle;
        this.name = name;
        this.size = handle.size();
        this.placement = placement;
        this.core = core;
        String where = placement == TensorPlacement.HOST ? "host" : "core " + core;
        this.lifecycle = new Lifecycle(
                this,
                ResourceRegistry.Kind.TENSOR,
                "tensor '" + name + "' (" + size + " bytes on " + where + ")",
                handle::free,
                registry,
                trackAllocation);
    }

    /** {@return the name given at allocation (used in messages and logs only)} */
    public String name() {
        return name;
    }

    /** {@return the size in bytes, fixed at allocation} */
    public long size() {
        return size;
    }

    /** {@return where the tensor's bytes live} */
    public TensorPlacement placement() {
        return placement;
    }

    /** {@return the core index whose memory holds the tensor, or -1 for host placement} */
    public int core() {
        return core;
    }

    /** {@return whether the tensor is still open (not closed by the caller, its owning set or its runtime)} */
    public boolean isOpen() {
        return lifecycle.isOpen();
    }

    NeuronRuntime runtime() {
        return runtime;
    }

    TensorHandle handle() {
        return handle;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * Writes {@code src}'s remaining bytes at offset 0, advancing its position.
     *
     * @param src the bytes, heap or direct; not null. May be shorter than the tensor
     * @throws NeuronException {@link Status#INVALID} if it has more bytes than the tensor
     */
    public void write(ByteBuffer src) {
        write(0, src);
    }

    /**
     * Writes {@code src}'s remaining bytes at {@code offset}, advancing its position.
     *
     * @param offset the byte offset in the tensor, 0 or more
     * @param src the bytes, heap or direct; not null
     * @throws NeuronException {@link Status#INVALID} if the region lies outside the tensor
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public void write(long offset, ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        lifecycle.enter();
        try {
            checkRegion("write", offset, src.remaining());
            handle.write(offset, src);
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * Writes the bytes at offset 0.
     *
     * @param data the bytes; not null. May be shorter than the tensor
     * @throws NeuronException {@link Status#INVALID} if it is longer than the tensor
     */
    public void write(byte[] data) {
        write(0, ByteBuffer.wrap(data));
    }

    /**
     * Writes the floats, little-endian, at offset 0.
     *
     * @param data the values, 4 bytes each; not null. May be shorter than the tensor
     * @throws NeuronException {@link Status#INVALID} if they take more bytes than the tensor holds
     */
    public void write(float[] data) {
        ByteBuffer b = littleEndian(Math.multiplyExact(data.length, 4L), "write");
        b.asFloatBuffer().put(data);
        write(0, b);
    }

    /**
     * Writes the ints, little-endian, at offset 0.
     *
     * @param data the values, 4 bytes each; not null. May be shorter than the tensor
     * @throws NeuronException {@link Status#INVALID} if they take more bytes than the tensor holds
     */
    public void write(int[] data) {
        ByteBuffer b = littleEndian(Math.multiplyExact(data.length, 4L), "write");
        b.asIntBuffer().put(data);
        write(0, b);
    }

    /**
     * Writes the longs, little-endian, at offset 0.
     *
     * @param data the values, 8 bytes each; not null. May be shorter than the tensor
     * @throws NeuronException {@link Status#INVALID} if they take more bytes than the tensor holds
     */
    public void write(long[] data) {
        ByteBuffer b = littleEndian(Math.multiplyExact(data.length, 8L), "write");
        b.asLongBuffer().put(data);
        write(0, b);
    }

    /**
     * Writes a host tensor's bytes; its byte size must equal this tensor's.
     *
     * @param data the values; not null. Its type and shape are not checked, only its byte size
     * @throws NeuronException {@link Status#INVALID} when the sizes differ
     */
    public void write(HostTensor data) {
        if (data.byteSize() != size) {
            throw new NeuronException(
                    Status.INVALID,
                    "write tensor '" + name + "'",
                    "it holds " + size + " bytes but " + data + " has " + data.byteSize());
        }
        write(0, data.data());
    }

    /**
     * Reads {@code dst.remaining()} bytes from offset 0 into {@code dst}, advancing its position.
     *
     * @param dst where the bytes go, heap or direct, not read-only; not null
     * @throws NeuronException {@link Status#INVALID} if it has more room than the tensor has bytes
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    public void read(ByteBuffer dst) {
        read(0, dst);
    }

    /**
     * Reads {@code dst.remaining()} bytes from {@code offset} into {@code dst}, advancing its position.
     *
     * @param offset the byte offset in the tensor, 0 or more
     * @param dst where the bytes go, heap or direct, not read-only; not null
     * @throws NeuronException {@link Status#INVALID} if the region lies outside the tensor
     * @throws IllegalArgumentException if {@code dst} is read-only or {@code offset} negative
     */
    public void read(long offset, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        lifecycle.enter();
        try {
            checkRegion("read", offset, dst.remaining());
            handle.read(offset, dst);
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * All bytes.
     *
     * @return a new array of {@link #size()} bytes, the caller's
     * @throws NeuronException {@link Status#INVALID} if the tensor is too large for one Java array
     */
    public byte[] readBytes() {
        byte[] out = new byte[wholeArrayLength(1, "bytes")];
        read(0, ByteBuffer.wrap(out));
        return out;
    }

    /**
     * All bytes as little-endian floats; the size must be a multiple of 4.
     *
     * @return a new array of {@code size() / 4} floats, the caller's
     * @throws NeuronException {@link Status#INVALID} if the size is not a multiple of 4 or too large for one array
     */
    public float[] readFloats() {
        float[] out = new float[wholeArrayLength(4, "floats")];
        readAll().asFloatBuffer().get(out);
        return out;
    }

    /**
     * All bytes as little-endian ints; the size must be a multiple of 4.
     *
     * @return a new array of {@code size() / 4} ints, the caller's
     * @throws NeuronException {@link Status#INVALID} if the size is not a multiple of 4 or too large for one array
     */
    public int[] readInts() {
        int[] out = new int[wholeArrayLength(4, "ints")];
        readAll().asIntBuffer().get(out);
        return out;
    }

    /**
     * All bytes as little-endian longs; the size must be a multiple of 8.
     *
     * @return a new array of {@code size() / 8} longs, the caller's
     * @throws NeuronException {@link Status#INVALID} if the size is not a multiple of 8 or too large for one array
     */
    public long[] readLongs() {
        long[] out = new long[wholeArrayLength(8, "longs")];
        readAll().asLongBuffer().get(out);
        return out;
    }

    /**
     * All bytes as a host tensor of the given type and shape.
     *
     * @param dtype the element type to read the bytes as; not null
     * @param shape the dimensions; not null
     * @return a new host tensor, independent of this tensor
     * @throws NeuronException {@link Status#INVALID} if {@code dtype} and {@code shape} do not need exactly {@link #size()} bytes
     */
    public HostTensor read(DType dtype, Shape shape) {
        long need = shape.byteSize(dtype);
        if (need != size) {
            throw new NeuronException(
                    Status.INVALID,
                    "read tensor '" + name + "'",
                    "it holds " + size + " bytes but " + dtype.hloName() + shape + " needs " + need);
        }
        return HostTensor.of(dtype, shape, readAll());
    }

    private ByteBuffer readAll() {
        ByteBuffer b = littleEndian(size, "read");
        read(0, b);
        return b.flip();
    }

    /**
     * Copies all bytes into {@code target}, which must be at least as large.
     *
     * @param target the tensor to copy into, at offset 0, of the same runtime and open; not null
     * @throws NeuronException {@link Status#INVALID} if it is smaller, belongs to another runtime, or the backend cannot copy between the two
     */
    public void copyTo(Tensor target) {
        copyTo(0, target, 0, size);
    }

    /**
     * Copies {@code length} bytes from {@code offset} to {@code target} at {@code targetOffset}.
     *
     * @param offset the byte offset in this tensor, 0 or more
     * @param target the tensor to copy into, of the same runtime and open; not null
     * @param targetOffset the byte offset in {@code target}, 0 or more
     * @param length the number of bytes, 0 or more
     * @throws NeuronException {@link Status#INVALID} for a region outside either tensor, a tensor of another
     *     runtime, or a copy the backend cannot make
     * @throws IllegalArgumentException if an offset or the length is negative
     */
    public void copyTo(long offset, Tensor target, long targetOffset, long length) {
        Objects.requireNonNull(target, "target");
        if (target.runtime != runtime) {
            throw new NeuronException(
                    Status.INVALID, "copy tensor '" + name + "'", "the target belongs to another runtime");
        }
        lifecycle.enter();
        try {
            target.lifecycle.enterNested();
            try {
                checkRegion("copy from", offset, length);
                target.checkRegion("copy to", targetOffset, length);
                handle.copyTo(offset, target.handle, targetOffset, length);
            } finally {
                target.lifecycle.exit();
            }
        } finally {
            lifecycle.exit();
        }
    }

    /**
     * Sets every byte to {@code value}.
     *
     * @param value the byte to set; {@code 0} zeroes the tensor
     */
    public void fill(byte value) {
        fill(0, size, value);
    }

    /**
     * Sets {@code length} bytes from {@code offset} to {@code value}.
     *
     * @param offset the first byte to set, 0 or more
     * @param length the number of bytes, 0 or more
     * @param value the byte to set
     * @throws NeuronException {@link Status#INVALID} if the region lies outside the tensor
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     */
    public void fill(long offset, long length, byte value) {
        lifecycle.enter();
        try {
            checkRegion("fill", offset, length);
            handle.fill(offset, length, value);
        } finally {
            lifecycle.exit();
        }
    }

    /** Frees the memory. Idempotent; waits for calls in progress on this tensor. */
    @Override
    public void close() {
        lifecycle.close();
    }

    /** Fails unless {@code [offset, offset + length)} lies in the tensor; also used by {@code TensorSegments} (Java 22+). */
    void checkRegion(String what, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(
                    what + " tensor '" + name + "': offset " + offset + " and length " + length + " must be 0 or more");
        }
        if (offset > size - length) {
            throw new NeuronException(
                    Status.INVALID,
                    what + " tensor '" + name + "'",
                    "bytes [" + offset + ", " + end(offset, length) + ") are outside its " + size + " bytes");
        }
    }

    /** The end of a region as a number, also where {@code offset + length} passes {@code Long.MAX_VALUE}. */
    private static String end(long offset, long length) {
        return BigInteger.valueOf(offset).add(BigInteger.valueOf(length)).toString();
    }

    private int wholeArrayLength(int elementSize, String what) {
        if (size % elementSize != 0) {
            throw new NeuronException(
                    Status.INVALID,
                    "read tensor '" + name + "'",
                    "its " + size + " bytes are not a whole number of " + what);
        }
        return checkedArrayLength(size / elementSize, "read");
    }

    private int checkedArrayLength(long length, String what) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new NeuronException(
                    Status.INVALID,
                    what + " tensor '" + name + "'",
                    "its " + size + " bytes do not fit one Java array; read it in regions with read(offset, buffer)");
        }
        return (int) length;
    }

    private ByteBuffer littleEndian(long bytes, String what) {
        return ByteBuffer.allocate(checkedArrayLength(bytes, what)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return lifecycle.description() + (isOpen() ? "" : " [closed]");
    }
}
