package dev.nrt4j.spi;

import java.nio.ByteBuffer;

/**
 * A backend's tensor storage. The API layer has checked every offset and length against
 * {@link #size()} before calling, and never calls after {@link #free()}. Reads and writes of
 * different regions may come from different threads at once.
 */
public interface TensorHandle {
    /** Size in bytes. */
    long size();

    /** Copies {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}, advancing its position. */
    void read(long offset, ByteBuffer dst);

    /** Copies {@code src.remaining()} bytes into the tensor at {@code offset}, advancing {@code src}'s position. */
    void write(long offset, ByteBuffer src);

    /**
     * Copies {@code length} bytes to another tensor of the same backend.
     *
     * @throws dev.nrt4j.NeuronException {@link dev.nrt4j.Status#INVALID} if the backend cannot copy between
     *     these two tensors (libnrt: device tensors on different cores)
     */
    void copyTo(long offset, TensorHandle target, long targetOffset, long length);

    /** Sets {@code length} bytes at {@code offset} to {@code value}. */
    void fill(long offset, long length, byte value);

    /** Releases the storage; called exactly once. */
    void free();
}
