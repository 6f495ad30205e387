package dev.nrt4j;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Reads and writes {@link Tensor}s from and to {@link MemorySegment}s, on Java 22 and newer (the class
 * is in the jar's {@code META-INF/versions/22}; a Java 17 runtime does not have it). A segment may be
 * of any size, 2 GiB and more: it moves in chunks through the tensor's {@code ByteBuffer} path. Native
 * segments and heap segments over a {@code byte[]} are passed as views, with no copy; other heap
 * segments ({@code MemorySegment.ofArray(float[])} and the like) go through a bounce buffer of
 * {@value #CHUNK} bytes.
 *
 * <p><b>Ownership:</b> the tensor and the segment stay the caller's; nothing is kept after a call
 * returns. The segment must stay alive (its arena open) for the call.
 *
 * <p><b>Thread-safety:</b> stateless; calls may come from any thread, with the tensor's guarantees
 * ({@link Tensor}). A segment confined to one thread can only be used from that thread. A tensor closed
 * during a call waits for the call to end.
 *
 * <p><b>Errors:</b> a region outside the tensor is a {@link NeuronException} with {@link Status#INVALID},
 * checked for the whole segment before any byte moves; a closed tensor is an
 * {@link IllegalStateException}; the backend's own failures come as they do from
 * {@link Tensor#write(long, ByteBuffer)} and {@link Tensor#read(long, ByteBuffer)}.
 */
public final class TensorSegments {
    /** Bytes moved per call into the backend: few calls, and a small bounce buffer when one is needed. */
    static final int CHUNK = 1 << 20;

    private TensorSegments() {}

    /**
     * Writes all of {@code src} into {@code tensor} at {@code tensorOffset}.
     *
     * @param tensor the tensor written; not null, open
     * @param tensorOffset the byte offset in the tensor, 0 or more
     * @param src the bytes; not null, alive, may be read-only
     * @throws NeuronException {@link Status#INVALID} if {@code [tensorOffset, tensorOffset + src.byteSize())}
     *     lies outside the tensor (nothing is written then)
     * @throws IllegalArgumentException if {@code tensorOffset} is negative
     * @throws IllegalStateException if the tensor is closed, or the segment's arena is closed or owned by
     *     another thread
     */
    public static void write(Tensor tensor, long tensorOffset, MemorySegment src) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(src, "src");
        tensor.lifecycle().enter();
        try {
            tensor.checkRegion("write", tensorOffset, src.byteSize());
            long size = src.byteSize();
            ByteBuffer bounce = viewable(src) ? null : ByteBuffer.allocateDirect((int) Math.min(CHUNK, size));
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(CHUNK, size - done);
                MemorySegment part = src.asSlice(done, n);
                ByteBuffer chunk;
                if (bounce == null) {
                    chunk = part.asByteBuffer();
                } else {
                    MemorySegment.ofBuffer(bounce.clear()).copyFrom(part);
                    chunk = bounce.limit(n);
                }
                tensor.handle().write(tensorOffset + done, chunk);
                done += n;
            }
        } finally {
            tensor.lifecycle().exit();
        }
    }

    /**
     * Reads {@code dst.byteSize()} bytes of {@code tensor} from {@code tensorOffset} into {@code dst}.
     *
     * @param tensor the tensor read; not null, open
     * @param tensorOffset the byte offset in the tensor, 0 or more
     * @param dst where the bytes go; not null, alive, writable
     * @throws NeuronException {@link Status#INVALID} if {@code [tensorOffset, tensorOffset + dst.byteSize())}
     *     lies outside the tensor (nothing is read then)
     * @throws IllegalArgumentException if {@code dst} is read-only or {@code tensorOffset} negative
     * @throws IllegalStateException if the tensor is closed, or the segment's arena is closed or owned by
     *     another thread
     */
    public static void read(Tensor tensor, long tensorOffset, MemorySegment dst) {
        Objects.requireNonNull(tensor, "tensor");
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only segment");
        }
        tensor.lifecycle().enter();
        try {
            tensor.checkRegion("read", tensorOffset, dst.byteSize());
            long size = dst.byteSize();
            ByteBuffer bounce = viewable(dst) ? null : ByteBuffer.allocateDirect((int) Math.min(CHUNK, size));
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(CHUNK, size - done);
                MemorySegment part = dst.asSlice(done, n);
                if (bounce == null) {
                    tensor.handle().read(tensorOffset + done, part.asByteBuffer());
                } else {
                    tensor.handle().read(tensorOffset + done, bounce.clear().limit(n));
                    part.copyFrom(MemorySegment.ofBuffer(bounce.flip()));
                }
                done += n;
            }
        } finally {
            tensor.lifecycle().exit();
        }
    }

    /** Whether {@link MemorySegment#asByteBuffer()} works on the segment: native, or on the heap over a byte[]. */
    private static boolean viewable(MemorySegment segment) {
        return segment.isNative()
                || segment.heapBase().map(base -> base instanceof byte[]).orElse(false);
    }
}
