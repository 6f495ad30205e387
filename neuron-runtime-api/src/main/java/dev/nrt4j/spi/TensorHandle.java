package dev.nrt4j.spi;

import java.nio.ByteBuffer;

/**
 * A backend's tensor storage. The API layer has checked every offset and length against
 * {@link #size()} before calling, and never calls after {@link #free()}. Reads and writes of
 * different regions may come from different threads at once.
 */
public interface TensorHandle {
    /** {@return the size in bytes, fixed at allocation} */
    long size();

    /**
     * Copies {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}, advancing its position.
     *
     * @param offset the byte offset in this tensor; {@code offset + dst.remaining() <= size()}
     * @param dst where the bytes go, heap or direct
     */
    void read(long offset, ByteBuffer dst);

    /**
     * Copies {@code src.remaining()} bytes into the tensor at {@code offset}, advancing {@code src}'s position.
     *
     * @param offset the byte offset in this tensor; {@code offset + src.remaining() <= size()}
     * @param src the bytes to write, heap or direct
     */
    void write(long offset, ByteBuffer src);

    /**
     * Copies {@code length} bytes to another tensor of the same backend.
     *
     * @param offset the byte offset in this tensor to copy from
     * @param target the tensor to copy into, of the same backend
     * @param targetOffset the byte offset in {@code target}
     * @param length the number of bytes; both ranges lie within their tensors
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} if the backend cannot copy between
     *     these two tensors (libnrt: device tensors on different cores)
     */
    void copyTo(long offset, TensorHandle target, long targetOffset, long length);

    /**
     * Sets {@code length} bytes at {@code offset} to {@code value}.
     *
     * @param offset the first byte to set
     * @param length the number of bytes; {@code offset + length <= size()}
     * @param value the byte every one of them gets
     */
    void fill(long offset, long length, byte value);

    /** Releases the storage; called exactly once. */
    void free();
}
