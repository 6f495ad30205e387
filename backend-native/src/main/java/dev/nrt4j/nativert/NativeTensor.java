package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.spi.TensorHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * A libnrt tensor ({@code nrt_tensor_t*}). Direct buffers are read and written in place (libnrt
 * copies straight between the buffer and the tensor); heap buffers go through one native bounce
 * buffer, the only copy Java can make for them. Freed exactly once, by {@link #free()} (which the API
 * layer calls, at the latest when the runtime closes); afterwards every use is a {@link NeuronException}
 * ({@link Status#INVALID_HANDLE}, or {@link Status#CLOSED} once the runtime closed), never a call into
 * libnrt with a dead pointer. Thread-safe.
 */
final class NativeTensor implements TensorHandle {
    /** Heap data moves through a bounce buffer of at most this size per call. */
    private static final int BOUNCE_CHUNK = 8 << 20;

    private final NativeRuntime runtime;
    private final LibNrt lib;
    private final NativeHandle handle;
    private final long size;
    private final int core;

    NativeTensor(NativeRuntime runtime, NativeHandle handle, long size, int core) {
        this.runtime = runtime;
        this.lib = runtime.lib();
        this.handle = handle;
        this.size = size;
        this.core = core;
    }

    /** The live {@code nrt_tensor_t*}, for one call. */
    long address(String operation) {
        runtime.checkOpen(operation);
        return handle.get(operation);
    }

    /** The core it was allocated on, or -1 on the host. */
    int core() {
        return core;
    }

    /** The runtime it belongs to. */
    NativeRuntime runtime() {
        return runtime;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        long t = address("nrt_tensor_read");
        int n = dst.remaining();
        if (dst.isDirect()) {
            try {
                lib.tensorRead(t, lib.directBufferAddress(dst) + dst.position(), offset, n);
            } finally {
                Reference.reachabilityFence(dst);
            }
            dst.position(dst.limit());
        } else if (dst.hasArray()) {
            int done = 0;
            while (done < n) {
                int chunk = Math.min(BOUNCE_CHUNK, n - done);
                lib.tensorRead(t, dst.array(), dst.arrayOffset() + dst.position(), offset + done, chunk);
                dst.position(dst.position() + chunk);
                done += chunk;
            }
        } else {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        long t = address("nrt_tensor_write");
        int n = src.remaining();
        if (src.isDirect()) {
            try {
                lib.tensorWrite(t, lib.directBufferAddress(src) + src.position(), offset, n);
            } finally {
                Reference.reachabilityFence(src);
            }
            src.position(src.limit());
            return;
        }
        int done = 0;
        byte[] scratch = src.hasArray() ? null : new byte[Math.min(BOUNCE_CHUNK, n)];
        while (done < n) {
            int chunk = Math.min(BOUNCE_CHUNK, n - done);
            if (scratch == null) {
                lib.tensorWrite(t, src.array(), src.arrayOffset() + src.position(), offset + done, chunk);
                src.position(src.position() + chunk);
            } else {
                // A read-only heap buffer hides its array: one extra copy through the scratch array.
                src.get(scratch, 0, chunk);
                lib.tensorWrite(t, scratch, 0, offset + done, chunk);
            }
            done += chunk;
        }
    }

    @Override
    public void copyTo(long offset, TensorHandle target, long targetOffset, long length) {
        if (!(target instanceof NativeTensor) || ((NativeTensor) target).runtime != runtime) {
            throw new NeuronException(
                    Status.INVALID, "nrt_tensor_copy", "the target tensor belongs to another runtime");
        }
        NativeTensor to = (NativeTensor) target;
        lib.tensorCopy(address("nrt_tensor_copy"), offset, to.address("nrt_tensor_copy"), targetOffset, length);
    }

    @Override
    public void fill(long offset, long length, byte value) {
        lib.tensorMemset(address("nrt_tensor_memset"), offset, value & 0xff, length);
    }

    /** The tensor's address in this process ({@code nrt_tensor_get_va}); 0 when libnrt has none. */
    long virtualAddress() {
        return lib.tensorVa(address("nrt_tensor_get_va"));
    }

    @Override
    public void free() {
        runtime.checkOpen("nrt_tensor_free");
        lib.tensorFree(handle.release("nrt_tensor_free"));
    }

    @Override
    public String toString() {
        return handle + " (" + size + " bytes, " + (core < 0 ? "host" : "core " + core) + ")";
    }
}
